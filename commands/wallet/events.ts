// The wallet's events: facts in past tense, one per command, defined once with zod.
//
// Each carries what makes the wallet idempotent across processes and restarts (the
// command's idempotency key and a hash of its content), what a double-entry ledger needs
// (the counter-account every movement goes to or comes from; the player's side is
// `wallet:<playerId>`, see ledger.ts), and the balance it left, so a balance read model
// never has to re-add amounts. A refused command is recorded too (WalletCommandRefused), so
// a retry gets the original refusal back even from another process.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { WalletCommandType } from './commands.ts';
import { Account, Amount, Currency, IdempotencyKey, Platform, PlayerId, Quantity, Reason, Sku, TransactionId, WagerId } from './model.ts';

const recorded = {
  playerId: PlayerId,
  idempotencyKey: IdempotencyKey,
  /** SHA-256 (hex) of the command's canonical JSON: a retry must match it. */
  commandHash: z.string().regex(/^[0-9a-f]{64}$/),
};

export const Credited = defineEvent(
  'Credited',
  z.strictObject({ ...recorded, currency: Currency, amount: Amount, counterAccount: Account, reason: Reason, balanceAfter: Quantity }),
);

export const Debited = defineEvent(
  'Debited',
  z.strictObject({ ...recorded, currency: Currency, amount: Amount, counterAccount: Account, reason: Reason, balanceAfter: Quantity }),
);

/** The stake moved from the player's available funds to `counterAccount` (`escrow:<wagerId>`). */
export const WagerEscrowed = defineEvent(
  'WagerEscrowed',
  z.strictObject({ ...recorded, wagerId: WagerId, currency: Currency, amount: Amount, counterAccount: Account, balanceAfter: Quantity }),
);

/** Two movements: `stake` from `escrowAccount` to `potAccount`, then `payout` from `potAccount` to the player. */
export const WagerSettled = defineEvent(
  'WagerSettled',
  z.strictObject({
    ...recorded, wagerId: WagerId, currency: Currency, stake: Amount, payout: Quantity,
    escrowAccount: Account, potAccount: Account, balanceAfter: Quantity,
  }),
);

/** The stake came back from `counterAccount` (`escrow:<wagerId>`). */
export const WagerRefunded = defineEvent(
  'WagerRefunded',
  z.strictObject({ ...recorded, wagerId: WagerId, currency: Currency, amount: Amount, counterAccount: Account, balanceAfter: Quantity }),
);

/** Each grant moved from `counterAccount` (`purchases:<platform>`) to the player. */
export const PurchaseGranted = defineEvent(
  'PurchaseGranted',
  z.strictObject({
    ...recorded, platform: Platform, transactionId: TransactionId, sku: Sku, counterAccount: Account,
    grants: z.array(z.strictObject({ currency: Currency, amount: Amount, balanceAfter: Quantity })).min(1),
  }),
);

/** A command the rules refused, with its stable code; no money moved. */
export const WalletCommandRefused = defineEvent(
  'WalletCommandRefused',
  z.strictObject({
    ...recorded,
    command: WalletCommandType,
    code: z.string().regex(/^wallet\/[a-z_]+$/),
    message: z.string().max(500),
  }),
);

/** Every wallet event definition, for registering in the EventCatalog. */
export const walletEventDefinitions = [Credited, Debited, WagerEscrowed, WagerSettled, WagerRefunded, PurchaseGranted, WalletCommandRefused] as const;
export const walletEventTypes: ReadonlySet<string> = new Set(walletEventDefinitions.map((definition) => definition.type));

export type Credited = EventOf<typeof Credited>;
export type Debited = EventOf<typeof Debited>;
export type WagerEscrowed = EventOf<typeof WagerEscrowed>;
export type WagerSettled = EventOf<typeof WagerSettled>;
export type WagerRefunded = EventOf<typeof WagerRefunded>;
export type PurchaseGranted = EventOf<typeof PurchaseGranted>;
export type WalletCommandRefused = EventOf<typeof WalletCommandRefused>;
export type WalletEvent = EventOf<(typeof walletEventDefinitions)[number]>;
export type WalletEventType = WalletEvent['type'];
