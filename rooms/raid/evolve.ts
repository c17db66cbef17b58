// Folds raid events into state. Never mutates its input (decide folds into drafts of the
// state the room holds), never draws randomness (events carry the generator state), and
// never consults content (events carry every number the state needs).
import { evolveCombat, fielded, type CombatantChange } from '../battle/evolve.ts';
import type { OracleState } from '../battle/model.ts';
import { seedPrng } from '../../events/tick/prng.ts';
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
    // Battle's combat facts fold as in battle, on the boss as on any party oracle.
    case 'DamageDealt':
    case 'HealApplied':
    case 'ShieldRaised':
    case 'StatusApplied':
    case 'StatusResisted':
    case 'StatusExpired':
    case 'OracleFell':
    case 'PlayerForfeited':
      return evolveCombat(state, event, updateCombatant);
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
  const oracles = data.participants.flatMap((participant) =>
    participant.oracles.map((snapshot) => fielded(snapshot, participant.playerId, 'a', data.startTick)),
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

function updateCombatant(state: RaidState, id: string, change: CombatantChange): RaidState {
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
