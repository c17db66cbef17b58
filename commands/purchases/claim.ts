// The receipt's claim as a Decider: a receipt stream holds at most one ReceiptClaimed, and
// whoever claims second is answered with the first claim (the state), never a second event.
import { accept, type Decider } from '../../events/decider.ts';
import type { ReceiptClaimed } from './events.ts';

export type Claim = ReceiptClaimed['data'];

/** The claim that holds the receipt; null while nobody has claimed it. */
export type ReceiptState = Claim | null;

export const receiptDecider: Decider<ReceiptState, Claim, ReceiptClaimed> = {
  initialState: () => null,
  decide: (state, claim) => (state === null ? accept({ type: 'ReceiptClaimed', data: claim }) : accept()),
  evolve: (state, event) => state ?? event.data,
};
