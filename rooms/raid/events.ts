// The raid's events: facts in past tense, each defined once with zod. Together with
// evolve() (evolve.ts, re-exported here) they are all a reader needs to fold a raid.
//
// Combat facts (AbilityCast, DamageDealt, HealApplied, ShieldRaised, the status events,
// OracleFell, PlayerForfeited) are battle's own definitions, reused: a hit is a hit in any
// room, readers such as the spectator feed handle one shape, and the catalog accepts the
// same definition object registered by both kinds. Boss hits are DamageDealt with the
// boss's id as sourceId and its ability id in the cause.
//
// Randomness follows battle: an event whose decision drew from the generator carries
// `prng`, the generator state after its draws; evolve copies it and never draws.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { AbilityId } from '../../events/content/index.ts';
import {
  AbilityCast, DamageDealt, HealApplied, OracleFell, PlayerForfeited, ShieldRaised, StatusApplied, StatusExpired, StatusResisted,
} from '../battle/events.ts';
import { OracleId, PlayerId, Prng } from '../battle/model.ts';
import { BossSnapshot, ContentId, LootItem, RaidOutcome, RaidParticipant } from './model.ts';

const Tick = z.int().min(0);
const HpPercent = z.int().min(0).max(100);
/** Phase × enrage attack multiplier in integer percent (up to 1000 × 1000 / 100). */
const AttackPercent = z.int().min(1).max(10_000);

export const RaidCreated = defineEvent(
  'RaidCreated',
  z.strictObject({
    raidId: z.string().min(1).max(100),
    rulesVersion: z.string().min(1),
    contentVersion: z.string().min(1),
    /** Seeds RaidState.prng via seedPrng(seed). */
    seed: z.string().min(1).max(128),
    startTick: Tick,
    tickLimit: z.int().min(1),
    bossCadenceTicks: z.int().min(1).max(72_000),
    boss: BossSnapshot,
    participants: z.array(RaidParticipant).min(2).max(6),
  }),
);

/** The boss picked an ability (roll over its ready rotation) and its targets; it lands at landsAtTick. */
export const BossAbilityCast = defineEvent(
  'BossAbilityCast',
  z.strictObject({
    abilityId: AbilityId,
    phaseId: ContentId,
    targetIds: z.array(OracleId).min(1),
    landsAtTick: Tick,
    readyAtTick: Tick,
    prng: Prng,
  }),
);

/** The wind-up is over; the ability's effects follow, hitting with `attackPercent` of the boss's attack. */
export const BossAbilityLanded = defineEvent('BossAbilityLanded', z.strictObject({ abilityId: AbilityId, attackPercent: AttackPercent }));

export const BossPhaseChanged = defineEvent(
  'BossPhaseChanged',
  z.strictObject({ fromPhaseId: ContentId, toPhaseId: ContentId, hpPercent: HpPercent, attackPercent: z.int().min(1).max(1000) }),
);

export const RaidEnraged = defineEvent(
  'RaidEnraged',
  z.strictObject({ attackPercent: z.int().min(100).max(1000), abilityIds: z.array(AbilityId) }),
);

export const BossDefeated = defineEvent(
  'BossDefeated',
  z.strictObject({ bossId: ContentId, cause: z.enum(['damage', 'burn']), byOracleId: OracleId }),
);

/** One per player who stayed to the end, in participant order: that player's roll on the drop table. */
export const LootDropped = defineEvent('LootDropped', z.strictObject({ playerId: PlayerId, items: z.array(LootItem).min(1), prng: Prng }));

export const RaidEnded = defineEvent(
  'RaidEnded',
  z.strictObject({ outcome: RaidOutcome, bossHp: z.int().min(0), bossHpPercent: HpPercent, phaseId: ContentId, enraged: z.boolean() }),
);

/** Every raid event definition, for registering in the EventCatalog (battle's shared ones included). */
export const raidEventDefinitions = [
  RaidCreated, AbilityCast, DamageDealt, HealApplied, ShieldRaised, StatusApplied, StatusResisted, StatusExpired,
  OracleFell, PlayerForfeited, BossAbilityCast, BossAbilityLanded, BossPhaseChanged, RaidEnraged, BossDefeated,
  LootDropped, RaidEnded,
] as const;

export type RaidCreated = EventOf<typeof RaidCreated>;
export type BossAbilityCast = EventOf<typeof BossAbilityCast>;
export type BossAbilityLanded = EventOf<typeof BossAbilityLanded>;
export type BossPhaseChanged = EventOf<typeof BossPhaseChanged>;
export type RaidEnraged = EventOf<typeof RaidEnraged>;
export type BossDefeated = EventOf<typeof BossDefeated>;
export type LootDropped = EventOf<typeof LootDropped>;
export type RaidEnded = EventOf<typeof RaidEnded>;
export type RaidEvent = EventOf<(typeof raidEventDefinitions)[number]>;

export { evolve, initialState } from './evolve.ts';
