// The battle's events: facts in past tense, each defined once with zod. Together with
// evolve() (evolve.ts, re-exported here) they are all a reader needs to fold a battle.
//
// Randomness: the PRNG state lives in BattleState.prng. Every event whose decision drew
// from the generator (an ability hit, a status proc) carries `prng`, the generator state
// right after its draws, plus the rolled outcome (critical, variancePercent, roll). evolve
// copies `prng` into the state and never draws itself, so a fold reproduces the exact
// generator without re-running rules, and an auditor can re-draw from the previous state
// to check each roll. Events that drew nothing (burn pulses, heals) carry no `prng`.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { AbilityId, StatusKind } from '../../events/content/index.ts';
import { EndReason, OracleId, Participant, PlayerId, Prng, Side, StatusInstance, Wager, WagerSettlement } from './model.ts';

const Amount = z.int().min(0);
const Percent = z.int().min(0).max(1000);

export const BattleCreated = defineEvent(
  'BattleCreated',
  z.strictObject({
    battleId: z.string().min(1).max(100),
    rulesVersion: z.string().min(1),
    contentVersion: z.string().min(1),
    /** Seeds BattleState.prng via seedPrng(seed). */
    seed: z.string().min(1).max(128),
    startTick: z.int().min(0),
    tickLimit: z.int().min(1),
    participants: z.array(Participant).min(2).max(6),
    wager: Wager.nullable(),
    /** Feature flags the battle's rules read, as evaluated at creation (battleKind.flags); replays read them from here. */
    flags: z.record(z.string(), z.union([z.boolean(), z.string(), z.int(), z.record(z.string(), z.json())])).optional(),
  }),
);

export const AbilityCast = defineEvent(
  'AbilityCast',
  z.strictObject({ casterId: OracleId, abilityId: AbilityId, targetId: OracleId, readyAtTick: z.int().min(0) }),
);

/** `amount` is HP lost and `absorbed` is shield lost; *After are the results, for readers. */
export const DamageDealt = defineEvent(
  'DamageDealt',
  z.strictObject({
    sourceId: OracleId,
    targetId: OracleId,
    amount: Amount,
    absorbed: Amount,
    hpAfter: Amount,
    shieldAfter: Amount,
    cause: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('ability'),
        abilityId: AbilityId,
        elementPercent: Percent,
        variancePercent: Percent,
        critical: z.boolean(),
        prng: Prng,
      }),
      z.strictObject({ kind: z.literal('burn') }),
    ]),
  }),
);

export const HealApplied = defineEvent(
  'HealApplied',
  z.strictObject({ sourceId: OracleId, targetId: OracleId, abilityId: AbilityId, amount: Amount, hpAfter: Amount }),
);

export const ShieldRaised = defineEvent(
  'ShieldRaised',
  z.strictObject({ sourceId: OracleId, targetId: OracleId, abilityId: AbilityId, amount: Amount, shieldAfter: Amount }),
);

const procRoll = {
  /** The roll in 0..99; the status took when roll < chancePercent. */
  roll: z.int().min(0).max(99),
  chancePercent: z.int().min(0).max(100),
  prng: Prng,
};

export const StatusApplied = defineEvent(
  'StatusApplied',
  z.strictObject({ targetId: OracleId, abilityId: AbilityId, status: StatusInstance, ...procRoll }),
);

export const StatusResisted = defineEvent(
  'StatusResisted',
  z.strictObject({ sourceId: OracleId, targetId: OracleId, abilityId: AbilityId, kind: StatusKind, ...procRoll }),
);

export const StatusExpired = defineEvent('StatusExpired', z.strictObject({ oracleId: OracleId, kind: StatusKind }));

export const OracleFell = defineEvent(
  'OracleFell',
  z.strictObject({
    oracleId: OracleId,
    cause: z.enum(['damage', 'burn', 'forfeit']),
    /** Whose ability or burn dealt the last blow; null when the owner forfeited. */
    byOracleId: OracleId.nullable(),
  }),
);

export const PlayerForfeited = defineEvent('PlayerForfeited', z.strictObject({ playerId: PlayerId }));

export const BattleEnded = defineEvent(
  'BattleEnded',
  z.strictObject({
    /** null is a draw. */
    winnerSide: Side.nullable(),
    reason: EndReason,
    /** Remaining HP percent per side (integer, truncated), side a first. */
    sides: z.array(z.strictObject({ side: Side, hpPercent: z.int().min(0).max(100) })).length(2),
    wager: WagerSettlement.nullable(),
  }),
);

/** Every battle event definition, for registering in the EventCatalog. */
export const battleEventDefinitions = [
  BattleCreated, AbilityCast, DamageDealt, HealApplied, ShieldRaised, StatusApplied,
  StatusResisted, StatusExpired, OracleFell, PlayerForfeited, BattleEnded,
] as const;

export type BattleCreated = EventOf<typeof BattleCreated>;
export type AbilityCast = EventOf<typeof AbilityCast>;
export type DamageDealt = EventOf<typeof DamageDealt>;
export type HealApplied = EventOf<typeof HealApplied>;
export type ShieldRaised = EventOf<typeof ShieldRaised>;
export type StatusApplied = EventOf<typeof StatusApplied>;
export type StatusResisted = EventOf<typeof StatusResisted>;
export type StatusExpired = EventOf<typeof StatusExpired>;
export type OracleFell = EventOf<typeof OracleFell>;
export type PlayerForfeited = EventOf<typeof PlayerForfeited>;
export type BattleEnded = EventOf<typeof BattleEnded>;
export type BattleEvent = EventOf<(typeof battleEventDefinitions)[number]>;

export { evolve, initialState } from './evolve.ts';
