// What the payouts read of the rooms' outcome events. The rooms own these events and define
// them in full (rooms/<kind>/events.ts); the wallet does not import the rooms, so this is a
// tolerant reader's view of them: the event types it pays on, and only the fields it needs,
// checked when read. payouts.test.ts holds each view to the rooms' own events, so a change
// of shape there fails here first.
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';
import { PlayerId } from '../../events/players.ts';
import { Currency } from './model.ts';

const Stake = z.object({ currency: Currency, amount: z.int().min(1) });
const Payouts = z.object({ payouts: z.array(z.object({ playerId: PlayerId, amount: z.int().min(0) })) });

/** A battle's creation: who plays on which side, and what each staked. */
export const BattleLineUp = z.object({
  participants: z.array(z.object({ playerId: PlayerId, side: z.string() })).min(1),
  wager: Stake.nullable(),
});

/** A battle's end: the winning side (null: a draw) and how the pot is divided. */
export const BattleResult = z.object({ winnerSide: z.string().nullable(), wager: Payouts.nullable() });

/** A raid's loot for one player: the raid was won. */
export const RaidLoot = z.object({ playerId: PlayerId });

/** A ritual's participants. */
export const RitualLineUp = z.object({ participants: z.array(PlayerId).min(1) });

/** A ritual's end: whether it succeeded, and the omen it read. */
export const RitualResult = z.object({ outcome: z.string(), omen: z.string() });

/** The outcome events' types, as the rooms record them. */
export const outcomeTypes = {
  battleCreated: 'BattleCreated',
  battleEnded: 'BattleEnded',
  playerForfeited: 'PlayerForfeited',
  lootDropped: 'LootDropped',
  ritualCreated: 'RitualCreated',
  ritualCompleted: 'RitualCompleted',
} as const;

/** The view of `event`, or an error naming the event when it does not fit. */
export function read<T>(view: z.ZodType<T>, event: Pick<RecordedEvent, 'type' | 'streamId' | 'version' | 'data'>): T {
  const parsed = view.safeParse(event.data);
  if (!parsed.success) throw new Error(`payouts cannot read ${event.type} at ${event.streamId}@${event.version}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
