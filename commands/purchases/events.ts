// The purchase claim: the one fact that makes a platform receipt grant at most once.
// It is the first (and only) event of `receipt-<platform>.<transactionId>`, appended with
// expected version `no_stream`, so of two claims racing for a receipt exactly one lands.
// It carries what the wallet grant needs, so a grant interrupted after its claim can be
// completed from the claim alone.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { Grant } from '../wallet/commands.ts';
import { Platform, PlayerId, Sku, TransactionId } from '../wallet/model.ts';

export const ReceiptClaimed = defineEvent(
  'ReceiptClaimed',
  z.strictObject({
    platform: Platform,
    transactionId: TransactionId,
    playerId: PlayerId,
    /** The platform's product id as it verified it. */
    productId: z.string().min(1).max(200),
    sku: Sku,
    grants: z.array(Grant).min(1),
    /** The platform's own account for the buyer (Steam id, Discord user id, …) where it names one. */
    platformAccount: z.string().max(200).nullable(),
    /** The platform's environment when it tells (`Sandbox`, `Production`, a test purchase). */
    environment: z.string().max(40).nullable(),
    /** The platform's order reference where it differs from transactionId (a Play order id, a Steam transid). */
    orderReference: z.string().max(200).nullable(),
  }),
);

export const purchaseEventDefinitions = [ReceiptClaimed] as const;
export type ReceiptClaimed = EventOf<typeof ReceiptClaimed>;
