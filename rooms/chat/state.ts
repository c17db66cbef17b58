// The chat room's state: which channel it carries and how many are reading. Messages are
// not state (a late joiner gets the history in `history`, then each message as `chat`).
import { schema, t, type SchemaType } from '@colyseus/schema';

export const ChatView = schema(
  {
    channel: t.string(),
    readers: t.uint32(),
  },
  'ChatState',
);
export type ChatView = SchemaType<typeof ChatView>;
