// Events every room kind appends besides its domain events: the commands it accepted
// and refused (with the tick and the player), and periodic state hashes. An audit
// re-runs the accepted commands through the rules and compares the rest.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog.ts';
import { PlayerId } from '../players.ts';

const Tick = z.number().int().nonnegative();

export const CommandAccepted = defineEvent(
  'CommandAccepted',
  z.strictObject({
    tick: Tick,
    playerId: PlayerId,
    /** The full command as the rules saw it: `{ type, playerId, ...payload }`. */
    command: z.looseObject({ type: z.string().min(1).max(64) }),
    /** The client's own reference for the command, echoed back so it can match the outcome. */
    ref: z.string().max(64).optional(),
  }),
);

export const CommandRejected = defineEvent(
  'CommandRejected',
  z.strictObject({
    tick: Tick,
    playerId: PlayerId,
    /** The message type the client sent (for malformed input, only that is kept). */
    commandType: z.string().max(64),
    /** The command as validated, when it was well-formed. */
    command: z.looseObject({ type: z.string() }).nullable(),
    code: z.string().min(1).max(80),
    message: z.string().max(500),
    ref: z.string().max(64).optional(),
  }),
);

export const StateHashed = defineEvent('StateHashed', z.strictObject({ tick: Tick, hash: z.string().regex(/^[0-9a-f]{64}$/) }));

export const roomEventDefinitions = [CommandAccepted, CommandRejected, StateHashed] as const;
export type RoomEvent = EventOf<(typeof roomEventDefinitions)[number]>;
export const roomEventTypes: ReadonlySet<string> = new Set(roomEventDefinitions.map((d) => d.type));
