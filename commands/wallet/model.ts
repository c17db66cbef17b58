// The wallet's value shapes: currencies, amounts, ledger accounts and the ids commands
// carry. Amounts are integers up to Number.MAX_SAFE_INTEGER, so every sum the rules make is
// exact in a JS number (a sum that would pass the limit is refused, never rounded).
import { z } from 'zod';
import { PlayerId } from '../../events/players.ts';

/** Currencies the game defines (content data): lower_snake_case, as battle wagers name them. */
export const walletCurrencies = ['coins', 'embers'] as const;

export const Currency = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'currencies are lower_snake_case, e.g. coins');
export type Currency = z.infer<typeof Currency>;

/** A positive amount of a currency. */
export const Amount = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
/** An amount that may be zero (a payout to the losing side, a balance). */
export const Quantity = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export { PlayerId };

/** Printable ASCII without spaces; callers derive it from what makes the request unique (a source event id, a receipt). */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'idempotency keys are 1-200 printable ASCII characters without spaces');

/** Names a wager across the wallets that stake in it, e.g. the battle's stream id. */
export const WagerId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,119}$/, 'wager ids are 1-120 characters of A-Z a-z 0-9 _ . : @ -, e.g. battle-7f3a');

/** Why money moved, for the ledger's readers: `battle.victory`, `shop.potion`. */
export const Reason = z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'reasons are lower-case codes, e.g. battle.victory');

/**
 * A ledger account: `<kind>:<id>`. Every movement debits one account and credits another:
 * `wallet:<playerId>` (a player's available funds), `escrow:<wagerId>` (stakes held),
 * `pot:<wagerId>` (stakes a settlement pays out of), `purchases:<platform>`, and the
 * external accounts credits come from and debits go to (`system:rewards`, `shop:items`).
 */
export const Account = z.string().regex(/^[a-z][a-z0-9_]{0,31}:[A-Za-z0-9_.:@-]{1,160}$/, 'accounts look like <kind>:<id>, e.g. system:rewards');

/** Account kinds only the wallet's own commands move money through. */
const managedKinds = new Set(['wallet', 'escrow', 'pot', 'purchases']);

/** The counter-account of a Credit or Debit: anything but the accounts wagers and purchases manage. */
export const ExternalAccount = Account.refine((account) => !managedKinds.has(account.slice(0, account.indexOf(':'))), {
  message: 'credits and debits move money from or to an external account such as system:rewards; wallet:, escrow:, pot: and purchases: are moved by their own commands',
});

export const Platform = z.enum(['steam', 'apple', 'google_play', 'discord']);
export type Platform = z.infer<typeof Platform>;

/** A platform's id for one purchase (Steam order id, App Store transaction id, …). */
export const TransactionId = z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/, 'transaction ids are 1-120 characters of A-Z a-z 0-9 _ . : -');
export const Sku = z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'skus are lower-case, e.g. coins_small');

export const walletAccount = (playerId: string): string => `wallet:${playerId}`;
export const escrowAccount = (wagerId: string): string => `escrow:${wagerId}`;
export const potAccount = (wagerId: string): string => `pot:${wagerId}`;
export const purchasesAccount = (platform: Platform): string => `purchases:${platform}`;
export const walletStreamId = (playerId: string): string => `wallet-${playerId}`;
