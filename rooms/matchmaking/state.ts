// The matchmaking queue as clients see it: public queue figures (how many wait, per mode)
// and, tagged `.view()`, each player's own entry (gathering their party, queued, being
// matched), so only that player's client receives it. The seat reservation itself is never
// in the state: it goes to its player alone, in the `matched` message.
import { schema, t, type SchemaType } from '@colyseus/schema';

export const QueueEntryView = schema(
  {
    playerId: t.string(),
    mode: t.string(),
    /** gathering (a party waits for members) | queued | matching (a game room is being opened). */
    status: t.string(),
    /** The whole party, this player included; one name when queuing alone. */
    party: t.array('string'),
    /** Party members who have not joined the queue room yet. */
    missing: t.array('string'),
    /** The pass on which the ticket entered the queue; 0 while gathering. */
    queuedAtTick: t.uint32(),
  },
  'MatchmakingEntry',
);
export type QueueEntryView = SchemaType<typeof QueueEntryView>;

export const MatchmakingView = schema(
  {
    /** Matching passes run since the room opened: the queue's clock. */
    tick: t.uint32(),
    /** Players in tickets waiting for a match. */
    queued: t.uint32(),
    /** Players whose party is still gathering. */
    gathering: t.uint32(),
    /** Queued players per mode (modes with nobody waiting are absent). */
    modes: t.map('uint32'),
    matchesFormed: t.uint32().default(0),
    /** By player id; each client sees its own entry only. */
    entries: t.map(QueueEntryView).view(),
  },
  'MatchmakingState',
);
export type MatchmakingView = SchemaType<typeof MatchmakingView>;
