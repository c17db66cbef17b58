// Tally's one command: add 1 to 3 to the count.
import { z } from 'zod';

export const AddPayload = z.strictObject({ amount: z.int().min(1).max(3) });
export type TallyCommand = { type: 'Add'; playerId: string; amount: number };

/** Client message type -> payload schema (the room adds `type` and the sender's `playerId`). */
export const tallyCommandPayloads = { Add: AddPayload } as const;
