// Folds raid events into state. Never mutates its input (decide folds into drafts of the
// state the room holds), never draws randomness (events carry the generator state), and
// never consults content (events carry every number the state needs).
import type { OracleState, StatusInstance } from '../battle/model.ts';
import { seedPrng } from '../shared/prng.ts';
import type { RaidCreated, RaidEvent } from './events.ts';
import type { BossState, RaidState } from './model.ts';

export function initialState(): RaidState {
  return {
    status: 'pending',
    raidId: '',
    rulesVersion: '',
    contentVersion: '',
    bossId: '',
    startTick: 0,
    tickLimit: 0,
    bossCadenceTicks: 1,
    prng: [0, 0, 0, 0],
    participants: [],
    oracles: [],
    // A placeholder until RaidCreated: rules refuse everything while the raid is pending.
    boss: {
      oracleId: '', playerId: '', side: 'b', name: '', element: 'fire', stats: { hp: 1, attack: 1, defense: 0, speed: 0 },
      abilityIds: [], hp: 0, shield: 0, fallen: false, statuses: [], cooldowns: [], phaseId: '', enraged: false, casting: null,
    },
    loot: [],
    outcome: null,
  };
}

export function evolve(state: RaidState, event: RaidEvent): RaidState {
  switch (event.type) {
    case 'RaidCreated':
      return created(event.data);
    case 'AbilityCast': {
      const { casterId, abilityId, readyAtTick } = event.data;
      return updateCombatant(state, casterId, (c) => ({ ...c, cooldowns: withCooldown(c.cooldowns, abilityId, readyAtTick) }));
    }
    case 'DamageDealt': {
      const { targetId, amount, absorbed, cause } = event.data;
      const next = updateCombatant(state, targetId, (c) => ({ ...c, hp: c.hp - amount, shield: c.shield - absorbed }));
      return cause.kind === 'ability' ? { ...next, prng: cause.prng } : next;
    }
    case 'HealApplied':
      return updateCombatant(state, event.data.targetId, (c) => ({ ...c, hp: c.hp + event.data.amount }));
    case 'ShieldRaised':
      return updateCombatant(state, event.data.targetId, (c) => ({ ...c, shield: c.shield + event.data.amount }));
    case 'StatusApplied': {
      const { targetId, status, prng } = event.data;
      return { ...updateCombatant(state, targetId, (c) => ({ ...c, statuses: withStatus(c.statuses, status) })), prng };
    }
    case 'StatusResisted':
      return { ...state, prng: event.data.prng };
    case 'StatusExpired': {
      const { oracleId, kind } = event.data;
      return updateCombatant(state, oracleId, (c) => ({ ...c, statuses: c.statuses.filter((s) => s.kind !== kind) }));
    }
    case 'OracleFell':
      // A fallen oracle keeps nothing: statuses and shield die with it, so no later event refers to them.
      return updateCombatant(state, event.data.oracleId, (c) => ({ ...c, hp: 0, shield: 0, fallen: true, statuses: [] }));
    case 'PlayerForfeited':
      return {
        ...state,
        participants: state.participants.map((p) => (p.playerId === event.data.playerId ? { ...p, forfeited: true } : p)),
      };
    case 'BossAbilityCast': {
      const { abilityId, targetIds, landsAtTick, readyAtTick, prng } = event.data;
      const boss = { ...state.boss, cooldowns: withCooldown(state.boss.cooldowns, abilityId, readyAtTick), casting: { abilityId, targetIds: [...targetIds], landsAtTick } };
      return { ...state, boss, prng };
    }
    case 'BossAbilityLanded':
      return withBoss(state, { casting: null });
    case 'BossPhaseChanged':
      return withBoss(state, { phaseId: event.data.toPhaseId });
    case 'RaidEnraged':
      return withBoss(state, { enraged: true });
    case 'BossDefeated':
      return withBoss(state, { hp: 0, shield: 0, fallen: true, statuses: [], casting: null });
    case 'LootDropped':
      return { ...state, loot: [...state.loot, { playerId: event.data.playerId, items: event.data.items.map((i) => ({ ...i })) }], prng: event.data.prng };
    case 'RaidEnded':
      return { ...withBoss(state, { casting: null }), status: 'ended', outcome: event.data.outcome };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function created(data: RaidCreated['data']): RaidState {
  const oracles: OracleState[] = data.participants.flatMap((participant) =>
    participant.oracles.map((snapshot) => ({
      oracleId: snapshot.oracleId,
      playerId: participant.playerId,
      side: 'a' as const,
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
  const { boss } = data;
  return {
    status: 'active',
    raidId: data.raidId,
    rulesVersion: data.rulesVersion,
    contentVersion: data.contentVersion,
    bossId: boss.bossId,
    startTick: data.startTick,
    tickLimit: data.tickLimit,
    bossCadenceTicks: data.bossCadenceTicks,
    prng: seedPrng(data.seed),
    participants: data.participants.map((p) => ({ playerId: p.playerId, forfeited: false })),
    oracles,
    boss: {
      oracleId: boss.bossId, playerId: '', side: 'b', name: boss.name, element: boss.element, stats: { ...boss.stats },
      abilityIds: [], hp: boss.stats.hp, shield: 0, fallen: false, statuses: [], cooldowns: [],
      phaseId: boss.phaseId, enraged: false, casting: null,
    },
    loot: [],
    outcome: null,
  };
}

/** A change that keeps whatever else the combatant carries (the boss's phase, enrage and cast). */
type Change = <C extends OracleState>(combatant: C) => C;

function updateCombatant(state: RaidState, id: string, change: Change): RaidState {
  if (id === state.boss.oracleId) return { ...state, boss: change(state.boss) };
  return { ...state, oracles: state.oracles.map((o) => (o.oracleId === id ? change(o) : o)) };
}

function withBoss(state: RaidState, fields: Partial<BossState>): RaidState {
  return { ...state, boss: { ...state.boss, ...fields } };
}

/** Updates the ability's entry, or appends one (the boss lists only abilities it has used). */
function withCooldown(cooldowns: OracleState['cooldowns'], abilityId: string, readyAtTick: number): OracleState['cooldowns'] {
  const known = cooldowns.some((c) => c.abilityId === abilityId);
  return known ? cooldowns.map((c) => (c.abilityId === abilityId ? { ...c, readyAtTick } : c)) : [...cooldowns, { abilityId, readyAtTick }];
}

/** At most one status per kind: re-applying replaces it in place. */
function withStatus(statuses: StatusInstance[], status: StatusInstance): StatusInstance[] {
  const existing = statuses.some((s) => s.kind === status.kind);
  return existing ? statuses.map((s) => (s.kind === status.kind ? { ...status } : s)) : [...statuses, { ...status }];
}
