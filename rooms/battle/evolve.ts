// Folds battle events into state. Never mutates its input (decide folds into drafts of
// the state the room holds), never draws randomness (events carry the generator state),
// and never consults content (events carry every number the state needs).
import { seedPrng } from '../shared/prng.ts';
import type { BattleCreated, BattleEvent } from './events.ts';
import type { BattleState, OracleState } from './model.ts';

export function initialState(): BattleState {
  return {
    status: 'pending',
    battleId: '',
    rulesVersion: '',
    contentVersion: '',
    startTick: 0,
    tickLimit: 0,
    prng: [0, 0, 0, 0],
    wager: null,
    participants: [],
    oracles: [],
    outcome: null,
  };
}

export function evolve(state: BattleState, event: BattleEvent): BattleState {
  switch (event.type) {
    case 'BattleCreated':
      return created(event.data);
    case 'AbilityCast': {
      const { casterId, abilityId, readyAtTick } = event.data;
      return updateOracle(state, casterId, (o) => ({
        ...o,
        cooldowns: o.cooldowns.map((c) => (c.abilityId === abilityId ? { ...c, readyAtTick } : c)),
      }));
    }
    case 'DamageDealt': {
      const { targetId, amount, absorbed, cause } = event.data;
      const next = updateOracle(state, targetId, (o) => ({ ...o, hp: o.hp - amount, shield: o.shield - absorbed }));
      return cause.kind === 'ability' ? { ...next, prng: cause.prng } : next;
    }
    case 'HealApplied':
      return updateOracle(state, event.data.targetId, (o) => ({ ...o, hp: o.hp + event.data.amount }));
    case 'ShieldRaised':
      return updateOracle(state, event.data.targetId, (o) => ({ ...o, shield: o.shield + event.data.amount }));
    case 'StatusApplied': {
      const { targetId, status, prng } = event.data;
      const next = updateOracle(state, targetId, (o) => {
        // One status per kind: a re-applied one replaces the old in place (fresh timer, same list position).
        const existing = o.statuses.some((s) => s.kind === status.kind);
        const statuses = existing
          ? o.statuses.map((s) => (s.kind === status.kind ? { ...status } : s))
          : [...o.statuses, { ...status }];
        return { ...o, statuses };
      });
      return { ...next, prng };
    }
    case 'StatusResisted':
      return { ...state, prng: event.data.prng };
    case 'StatusExpired': {
      const { oracleId, kind } = event.data;
      return updateOracle(state, oracleId, (o) => ({ ...o, statuses: o.statuses.filter((s) => s.kind !== kind) }));
    }
    case 'OracleFell':
      // A fallen oracle keeps nothing: statuses and shield die with it, so no later event refers to them.
      return updateOracle(state, event.data.oracleId, (o) => ({ ...o, hp: 0, shield: 0, fallen: true, statuses: [] }));
    case 'PlayerForfeited':
      return {
        ...state,
        participants: state.participants.map((p) => (p.playerId === event.data.playerId ? { ...p, forfeited: true } : p)),
      };
    case 'BattleEnded':
      return { ...state, status: 'ended', outcome: { winnerSide: event.data.winnerSide, reason: event.data.reason } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function created(data: BattleCreated['data']): BattleState {
  const oracles: OracleState[] = data.participants.flatMap((participant) =>
    participant.oracles.map((snapshot) => ({
      oracleId: snapshot.oracleId,
      playerId: participant.playerId,
      side: participant.side,
      name: snapshot.name,
      element: snapshot.element,
      stats: { ...snapshot.stats },
      abilityIds: [...snapshot.abilityIds],
      hp: snapshot.stats.hp,
      shield: 0,
      fallen: false,
      statuses: [],
      cooldowns: snapshot.abilityIds.map((abilityId) => ({ abilityId, readyAtTick: data.startTick })),
    })),
  );
  return {
    status: 'active',
    battleId: data.battleId,
    rulesVersion: data.rulesVersion,
    contentVersion: data.contentVersion,
    startTick: data.startTick,
    tickLimit: data.tickLimit,
    prng: seedPrng(data.seed),
    wager: data.wager ? { ...data.wager } : null,
    participants: data.participants.map((p) => ({ playerId: p.playerId, side: p.side, forfeited: false })),
    oracles,
    outcome: null,
  };
}

function updateOracle(state: BattleState, oracleId: string, change: (oracle: OracleState) => OracleState): BattleState {
  return { ...state, oracles: state.oracles.map((o) => (o.oracleId === oracleId ? change(o) : o)) };
}
