// What a service may ask of a wallet. Every command names the wallet (playerId) and carries
// an idempotency key: a retried command (same key, same content) gets the original result,
// the same key with other content is refused with `wallet/idempotency_key_reused`.
import { z } from 'zod';
import {
  Amount, Currency, ExternalAccount, IdempotencyKey, Platform, PlayerId, Quantity, Reason, Sku, TransactionId, WagerId,
} from './model.ts';

const addressed = { playerId: PlayerId, idempotencyKey: IdempotencyKey };

/** Adds money from an external account (`system:rewards`, `admin:grants`). */
export const Credit = z.strictObject({
  type: z.literal('Credit'), ...addressed, currency: Currency, amount: Amount, counterAccount: ExternalAccount, reason: Reason,
});
export type Credit = z.infer<typeof Credit>;

/** Spends money into an external account (`shop:items`); refused rather than going below zero. */
export const Debit = z.strictObject({
  type: z.literal('Debit'), ...addressed, currency: Currency, amount: Amount, counterAccount: ExternalAccount, reason: Reason,
});
export type Debit = z.infer<typeof Debit>;

/** Holds a stake for a wager: it leaves the available balance until settled or refunded. */
export const EscrowWager = z.strictObject({ type: z.literal('EscrowWager'), ...addressed, wagerId: WagerId, currency: Currency, amount: Amount });
export type EscrowWager = z.infer<typeof EscrowWager>;

/** Closes this wallet's stake in a wager: the stake goes to the pot and `payout` (maybe 0) comes out of it. */
export const SettleWager = z.strictObject({ type: z.literal('SettleWager'), ...addressed, wagerId: WagerId, payout: Quantity });
export type SettleWager = z.infer<typeof SettleWager>;

/** Closes this wallet's stake in a wager by giving it back (a draw, a void wager). */
export const RefundWager = z.strictObject({ type: z.literal('RefundWager'), ...addressed, wagerId: WagerId });
export type RefundWager = z.infer<typeof RefundWager>;

export const Grant = z.strictObject({ currency: Currency, amount: Amount });
export type Grant = z.infer<typeof Grant>;

/** Credits what a verified platform purchase buys; one receipt is granted at most once per wallet. */
export const GrantPurchase = z.strictObject({
  type: z.literal('GrantPurchase'),
  ...addressed,
  platform: Platform,
  transactionId: TransactionId,
  sku: Sku,
  grants: z.array(Grant).min(1).max(8).refine((grants) => new Set(grants.map((g) => g.currency)).size === grants.length, {
    message: 'a purchase grants each currency once',
  }),
});
export type GrantPurchase = z.infer<typeof GrantPurchase>;

export const WalletCommand = z.discriminatedUnion('type', [Credit, Debit, EscrowWager, SettleWager, RefundWager, GrantPurchase]);
export type WalletCommand = z.infer<typeof WalletCommand>;

export const WalletCommandType = z.enum(['Credit', 'Debit', 'EscrowWager', 'SettleWager', 'RefundWager', 'GrantPurchase']);
export type WalletCommandType = z.infer<typeof WalletCommandType>;
// Both lists name the same commands: a new command must be added to each.
const sameTypes: [WalletCommand['type'], WalletCommandType] extends [WalletCommandType, WalletCommand['type']] ? true : never = true;
void sameTypes;
