// Friends read model: for each player, the others they stand with, one row per side:
// `friend` (mutual: both agreed), `incoming` / `outgoing` (a request waits), `blocked`
// (this player blocks the other). A one-sided request is never a friend: a list shows only
// friendships both players agreed to.
import { friendsEventTypes, type FriendsEvent } from '../../commands/friends/events.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { defineProjection } from '../../events/processor.ts';

export const friendsProjection = defineProjection({
  name: 'friends',
  version: 1,
  tables: {
    links: {
      columns: `player_id text NOT NULL, other_id text NOT NULL, status text NOT NULL, since timestamptz NOT NULL,
                PRIMARY KEY (player_id, other_id, status)`,
      indexes: ['other_id'],
    },
  },
  eventTypes: new Set(friendsEventTypes),
  async apply(tx, events, tables) {
    const put = (player: string, other: string, status: string, at: string) =>
      tx.query(`INSERT INTO ${tables.links} (player_id, other_id, status, since) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [player, other, status, at]);
    const drop = (player: string, other: string, statuses: string[]) =>
      tx.query(`DELETE FROM ${tables.links} WHERE player_id = $1 AND other_id = $2 AND status = ANY($3)`, [player, other, statuses]);
    for (const recorded of events as readonly RecordedEvent[]) {
      const event = { type: recorded.type, data: recorded.data } as FriendsEvent;
      const { by, other } = event.data;
      const at = recorded.metadata.recordedAt;
      switch (event.type) {
        case 'FriendRequested':
          await put(by, other, 'outgoing', at);
          await put(other, by, 'incoming', at);
          break;
        case 'FriendRequestAccepted':
          await drop(by, other, ['incoming', 'outgoing']);
          await drop(other, by, ['incoming', 'outgoing']);
          await put(by, other, 'friend', at);
          await put(other, by, 'friend', at);
          break;
        case 'FriendRequestDeclined':
          await drop(by, other, ['incoming', 'outgoing']);
          await drop(other, by, ['incoming', 'outgoing']);
          break;
        case 'FriendRemoved':
          await drop(by, other, ['friend']);
          await drop(other, by, ['friend']);
          break;
        case 'PlayerBlocked':
          await drop(by, other, ['friend', 'incoming', 'outgoing']);
          await drop(other, by, ['friend', 'incoming', 'outgoing']);
          await put(by, other, 'blocked', at);
          break;
        case 'PlayerUnblocked':
          await drop(by, other, ['blocked']);
          break;
      }
    }
  },
});
