// What a ritual participant may ask for. The client sends the payload (`{ rite }`, `{}`);
// the room parses it with the payload schema and adds the acting playerId from the
// authenticated session, so a client can never act for someone else.
import { z } from 'zod';
import { RiteKind } from './content.ts';
import { PlayerId } from './model.ts';

export const ChannelRitePayload = z.strictObject({ rite: RiteKind });
export const AbandonPayload = z.strictObject({});

export const ChannelRite = z.strictObject({ type: z.literal('ChannelRite'), playerId: PlayerId, rite: RiteKind });
export type ChannelRite = z.infer<typeof ChannelRite>;

export const Abandon = z.strictObject({ type: z.literal('Abandon'), playerId: PlayerId });
export type Abandon = z.infer<typeof Abandon>;

export const RitualCommand = z.discriminatedUnion('type', [ChannelRite, Abandon]);
export type RitualCommand = z.infer<typeof RitualCommand>;

/** Client message type -> payload schema (the room adds `type` and the sender's `playerId`). */
export const ritualCommandPayloads = { ChannelRite: ChannelRitePayload, Abandon: AbandonPayload } as const;
