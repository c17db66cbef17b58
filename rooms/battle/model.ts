// The folded battle state and the value shapes its events share. State is plain JSON
// (arrays in a fixed order, no Maps, Sets or classes) so a canonical encoding and hash of
// it are stable across machines.
import { z } from 'zod';
import type { FlagValue } from '../../events/tick/roomKind.ts';
import { OracleTemplate, type Element, type Stats } from '../../events/content/index.ts';
import type { PrngState } from '../../events/tick/prng.ts';
import { PlayerId } from '../../events/players.ts';

/** Rules version written into BattleCreated; bump it when a rule change would alter replays. */
export const BATTLE_RULES_VERSION = 'battle/1';

export const sides = ['a', 'b'] as const;
export const Side = z.enum(sides);
export type Side = z.infer<typeof Side>;

export { PlayerId };
export const OracleId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'oracle ids are 1-64 characters of A-Z a-z 0-9 _ . : -');
const Tick = z.int().min(0);
const Uint32 = z.int().min(0).max(0xffff_ffff);

/** A generator state as stored in events (see prng.ts). */
export const Prng = z.tuple([Uint32, Uint32, Uint32, Uint32]).readonly();

/** An oracle as fielded: its derived template frozen at creation, plus identity. */
export const OracleSnapshot = z.strictObject({ oracleId: OracleId, name: z.string().min(1).max(60), ...OracleTemplate.shape });
export type OracleSnapshot = z.infer<typeof OracleSnapshot>;

export const Participant = z.strictObject({ playerId: PlayerId, side: Side, oracles: z.array(OracleSnapshot).min(1).max(3) });
export type Participant = z.infer<typeof Participant>;

/** Every player stakes `amount` of `currency`; the winning side splits the pot. */
export const Wager = z.strictObject({
  currency: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'currencies are lower_snake_case, e.g. crowns'),
  amount: z.int().min(1).max(1_000_000_000),
});
export type Wager = z.infer<typeof Wager>;

export const WagerSettlement = z.strictObject({
  currency: z.string(),
  stake: z.int().min(1),
  pot: z.int().min(1),
  /** One entry per participant, in participant order; amounts sum to the pot. */
  payouts: z.array(z.strictObject({ playerId: PlayerId, amount: z.int().min(0) })),
});
export type WagerSettlement = z.infer<typeof WagerSettlement>;

const statusTiming = { sourceId: OracleId, appliedAtTick: Tick, expiresAtTick: Tick };
/** A status on an oracle. At most one per kind: re-applying replaces it in place. */
export const StatusInstance = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('burn'), ...statusTiming, damagePerPulse: z.int().min(1), pulseEveryTicks: z.int().min(1) }),
  z.strictObject({ kind: z.literal('stun'), ...statusTiming }),
  z.strictObject({ kind: z.literal('weaken'), ...statusTiming, attackReductionPercent: z.int().min(1).max(90) }),
]);
export type StatusInstance = z.infer<typeof StatusInstance>;

export const EndReason = z.enum(['defeat', 'tick_limit', 'forfeit']);
export type EndReason = z.infer<typeof EndReason>;

export type OracleState = {
  oracleId: string;
  playerId: string;
  side: Side;
  name: string;
  element: Element;
  /** Base stats; `stats.hp` is the maximum HP. */
  stats: Stats;
  abilityIds: string[];
  hp: number;
  shield: number;
  fallen: boolean;
  statuses: StatusInstance[];
  /** One entry per ability, in loadout order. */
  cooldowns: { abilityId: string; readyAtTick: number }[];
};

export type ParticipantState = { playerId: string; side: Side; forfeited: boolean };

export type BattleState = {
  /** pending: no BattleCreated yet; active: created (commands wait for startTick); ended. */
  status: 'pending' | 'active' | 'ended';
  battleId: string;
  rulesVersion: string;
  contentVersion: string;
  /** First tick at which commands are accepted. */
  startTick: number;
  /** Number of playable ticks: the battle ends at the end of tick startTick + tickLimit - 1. */
  tickLimit: number;
  prng: PrngState;
  wager: Wager | null;
  participants: ParticipantState[];
  /** Participant order, then each participant's oracle order. */
  oracles: OracleState[];
  outcome: { winnerSide: Side | null; reason: EndReason } | null;
  /** Feature flag values recorded at creation (absent in battles created before flags). */
  flags?: Readonly<Record<string, FlagValue>>;
};

export function findOracle(state: BattleState, oracleId: string): OracleState | undefined {
  return state.oracles.find((oracle) => oracle.oracleId === oracleId);
}

/** For rule code that already validated the id; a miss is a bug, not a refusal. */
export function oracleIn(state: BattleState, oracleId: string): OracleState {
  const oracle = findOracle(state, oracleId);
  if (!oracle) throw new Error(`battle ${state.battleId} has no oracle ${oracleId}`);
  return oracle;
}

export function lastTick(state: BattleState): number {
  return state.startTick + state.tickLimit - 1;
}
