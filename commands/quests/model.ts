// The quest log's values: what a player did as the log tells it (facts, read from room and
// quest events by outcomes.ts), where a source event sits in the log, and the state a
// player's quest-log stream (`quests-<playerId>`) folds into.
import { z } from 'zod';
import { Element } from '../../events/content/elements.ts';
import { PlayerId } from '../../events/players.ts';

export { PlayerId };

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
export const QuestKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}(@[DW]\d{4}-\d{2}-\d{2})?$/, 'quest keys are <questId> or <questId>@<period>');
export const ContentVersion = z.string().regex(/^\d{4}\.\d{1,2}\.\d{1,3}$/);
/** Milliseconds since the epoch (UTC), as the caller's clock or the log's recordedAt says. */
export const Millis = z.int().min(0).max(8_640_000_000_000_000);

/** A fact the log records about one player, in the vocabulary quest objectives are written in. */
export const Fact = z.discriminatedUnion('kind', [
  /** Won a battle (not having forfeited), with oracles of these elements fielded. */
  z.strictObject({ kind: z.literal('battle_won'), elements: z.array(Element).max(4) }),
  /** Played a battle to its end (not forfeited). */
  z.strictObject({ kind: z.literal('battle_played') }),
  /** Took part in a successful ritual; `perfect`: every rite perfect, no misstep. */
  z.strictObject({ kind: z.literal('ritual_completed'), ritualId: Slug, perfect: z.boolean() }),
  /** Won a raid (stayed to the end), the boss falling in `phaseId`. */
  z.strictObject({ kind: z.literal('raid_won'), bossId: Slug, phaseId: Slug }),
  /** A codex entry the log names for the player. */
  z.strictObject({ kind: z.literal('codex_entry'), entryId: z.string().regex(/^codex\/[a-z0-9-]{1,64}$/) }),
]);
export type Fact = z.infer<typeof Fact>;

/** The event a fact was read from: progress is keyed by it, and applied in global order. */
export const Source = z.strictObject({
  eventId: z.string().min(1).max(100),
  type: z.string().min(1).max(64),
  streamId: z.string().min(1).max(200),
  position: z.int().min(1),
  /** When the log recorded it: what decides which period it counts in. */
  recordedAt: Millis,
});
export type Source = z.infer<typeof Source>;

export type QuestStatus = 'active' | 'completed' | 'claimed';

export type QuestEntry = {
  readonly key: string;
  readonly questId: string;
  readonly cadence: 'daily' | 'weekly' | 'story' | 'event';
  /** The content whose quest book defines it: its objectives never change under the player. */
  readonly contentVersion: string;
  readonly period: string | null;
  /** When it stops progressing (ms): the period's reset or the event's end; null for story quests. */
  readonly expiresAt: number | null;
  /** Only source events after this global position count. */
  readonly acceptedAfter: number;
  /** Per objective, how far along (capped at its count). */
  readonly progress: readonly number[];
  readonly status: QuestStatus;
};

export type QuestLogState = {
  /** By quest key, in acceptance order; abandoned quests leave. */
  readonly entries: ReadonlyMap<string, QuestEntry>;
  /** Quest ids whose reward was ever claimed (prerequisites). */
  readonly claimed: ReadonlySet<string>;
  readonly chapters: ReadonlySet<string>;
  readonly titles: ReadonlySet<string>;
  /** Story encounter rooms opened: room stream id → encounter id. */
  readonly encounters: ReadonlyMap<string, string>;
  /** Encounters opened so far, per encounter id: the next one's attempt number. */
  readonly attempts: ReadonlyMap<string, number>;
  /** Global position of the last source event that advanced this log. */
  readonly through: number;
};

export const initialQuestLog = (): QuestLogState => ({
  entries: new Map(), claimed: new Set(), chapters: new Set(), titles: new Set(), encounters: new Map(), attempts: new Map(), through: 0,
});

export const questLogStreamId = (playerId: string): string => `quests-${playerId}`;
