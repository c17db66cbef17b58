// The party as its members see it: who leads, who is in (with how many oracles each picked
// and the rating they queue with), who was invited, and whether the party is in a queue.
import { schema, t, type SchemaType } from '@colyseus/schema';

export const PartyMemberView = schema(
  {
    playerId: t.string(),
    /** Oracles picked for the next queue (0: none yet). */
    oracles: t.uint8(),
    rating: t.uint32(),
    /** Join order: the lead passes to the lowest when the leader leaves. */
    order: t.uint32(),
  },
  'PartyMember',
);
export type PartyMemberView = SchemaType<typeof PartyMemberView>;

export const PartyView = schema(
  {
    leader: t.string(),
    /** By player id. */
    members: t.map(PartyMemberView),
    /** Players invited who have not joined yet. */
    invited: t.array('string'),
    /** gathering | queued (seats in the matchmaking room were handed out for `mode`). */
    status: t.string().default('gathering'),
    mode: t.string(),
    maxSize: t.uint8().default(6),
  },
  'PartyState',
);
export type PartyView = SchemaType<typeof PartyView>;
