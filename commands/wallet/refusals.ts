// Stable refusal codes: clients, the HTTP API and tests branch on these strings, so they
// never change meaning; new situations get new codes.
export const walletRefusalCodes = [
  /** A debit or stake larger than the available balance (escrowed funds are not available). */
  'wallet/insufficient_funds',
  /** Not a currency the game defines. */
  'wallet/unknown_currency',
  /** The balance would pass Number.MAX_SAFE_INTEGER. */
  'wallet/balance_overflow',
  /** No stake for this wager was escrowed in this wallet. */
  'wallet/unknown_wager',
  /** The wager was already settled or refunded in this wallet. */
  'wallet/wager_already_settled',
  /** This wallet already staked in this wager. */
  'wallet/wager_already_escrowed',
  /** This receipt was already granted to this wallet (under another idempotency key). */
  'wallet/purchase_already_granted',
] as const;
export type WalletRefusalCode = (typeof walletRefusalCodes)[number];

/**
 * The same idempotency key came with different content. Not recorded (it would need a key of
 * its own) and not a rule's refusal: the caller has a bug, or derived two requests' keys alike.
 */
export const IDEMPOTENCY_KEY_REUSED = 'wallet/idempotency_key_reused';
/** The command failed its zod schema; nothing was decided or recorded. */
export const COMMAND_INVALID = 'command/invalid';
