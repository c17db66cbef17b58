// Folds battle events into state. Never mutates its input (decide folds into drafts of
// the state the room holds), never draws randomness (events carry the generator state),
// and never consults content (events carry every number the state needs).
import { seedPrng, type PrngState } from '../../events/tick/prng.ts';
import type {
  BattleCreated, BattleEvent, DamageDealt, HealApplied, OracleFell, PlayerForfeited, ShieldRaised, StatusApplied, StatusExpired,
  StatusResisted,
} from './events.ts';
import type { BattleState, OracleSnapshot, OracleState, Side, StatusInstance } from './model.ts';

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
    case 'DamageDealt':
    case 'HealApplied':
    case 'ShieldRaised':
    case 'StatusApplied':
    case 'StatusResisted':
    case 'StatusExpired':
    case 'OracleFell':
    case 'PlayerForfeited':
      return evolveCombat(state, event, updateOracle);
    case 'BattleEnded':
      return { ...state, status: 'ended', outcome: { winnerSide: event.data.winnerSide, reason: event.data.reason } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function created(data: BattleCreated['data']): BattleState {
  const oracles = data.participants.flatMap((participant) =>
    participant.oracles.map((snapshot) => fielded(snapshot, participant.playerId, participant.side, data.startTick)),
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
    ...(data.flags ? { flags: data.flags } : {}),
  };
}

function updateOracle(state: BattleState, oracleId: string, change: (oracle: OracleState) => OracleState): BattleState {
  return { ...state, oracles: state.oracles.map((o) => (o.oracleId === oracleId ? change(o) : o)) };
}

/** An oracle as it enters combat: full HP, no shield or statuses, every ability ready at the start tick. */
export function fielded(snapshot: OracleSnapshot, playerId: string, side: Side, startTick: number): OracleState {
  return {
    oracleId: snapshot.oracleId,
    playerId,
    side,
    name: snapshot.name,
    element: snapshot.element,
    stats: { ...snapshot.stats },
    abilityIds: [...snapshot.abilityIds],
    hp: snapshot.stats.hp,
    shield: 0,
    fallen: false,
    statuses: [],
    cooldowns: snapshot.abilityIds.map((abilityId) => ({ abilityId, readyAtTick: startTick })),
  };
}

/** The combat facts every kind built on battle's model records with battle's definitions. */
export type CombatFact =
  | DamageDealt | HealApplied | ShieldRaised | StatusApplied | StatusResisted | StatusExpired | OracleFell | PlayerForfeited;

/** A change to one combatant that keeps whatever else it carries (raid's boss: its phase, enrage and cast). */
export type CombatantChange = <C extends OracleState>(combatant: C) => C;

/** Applies a change to the combatant with this id; the kind knows where its combatants live. */
export type UpdateCombatant<S> = (state: S, id: string, change: CombatantChange) => S;

type CombatState = { prng: PrngState; participants: readonly { playerId: string; forfeited: boolean }[] };

/**
 * Folds a combat fact: the same in every kind, which only says how to reach a combatant by
 * id. Events that drew from the generator hand their state after the draws to the fold.
 */
export function evolveCombat<S extends CombatState>(state: S, event: CombatFact, update: UpdateCombatant<S>): S {
  switch (event.type) {
    case 'DamageDealt': {
      const { targetId, amount, absorbed, cause } = event.data;
      const next = update(state, targetId, (c) => ({ ...c, hp: c.hp - amount, shield: c.shield - absorbed }));
      return cause.kind === 'ability' ? { ...next, prng: cause.prng } : next;
    }
    case 'HealApplied':
      return update(state, event.data.targetId, (c) => ({ ...c, hp: c.hp + event.data.amount }));
    case 'ShieldRaised':
      return update(state, event.data.targetId, (c) => ({ ...c, shield: c.shield + event.data.amount }));
    case 'StatusApplied': {
      const { targetId, status, prng } = event.data;
      return { ...update(state, targetId, (c) => ({ ...c, statuses: withStatus(c.statuses, status) })), prng };
    }
    case 'StatusResisted':
      return { ...state, prng: event.data.prng };
    case 'StatusExpired': {
      const { oracleId, kind } = event.data;
      return update(state, oracleId, (c) => ({ ...c, statuses: c.statuses.filter((s) => s.kind !== kind) }));
    }
    case 'OracleFell':
      // A fallen oracle keeps nothing: statuses and shield die with it, so no later event refers to them.
      return update(state, event.data.oracleId, (c) => ({ ...c, hp: 0, shield: 0, fallen: true, statuses: [] }));
    case 'PlayerForfeited':
      return {
        ...state,
        participants: state.participants.map((p) => (p.playerId === event.data.playerId ? { ...p, forfeited: true } : p)),
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** One status per kind: a re-applied one replaces the old in place (fresh timer, same list position). */
function withStatus(statuses: StatusInstance[], status: StatusInstance): StatusInstance[] {
  const existing = statuses.some((s) => s.kind === status.kind);
  return existing ? statuses.map((s) => (s.kind === status.kind ? { ...status } : s)) : [...statuses, { ...status }];
}
