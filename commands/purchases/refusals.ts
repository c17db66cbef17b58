// Stable refusal codes of purchase verification. Only a grant (and the claim before it) is
// recorded; a refused receipt leaves no trace in the log, so a receipt refused while its
// platform was down, or before it completed, can be presented again later.
export const purchaseRefusalCodes = [
  /** Malformed, unknown to the platform, for another app or environment. */
  'purchase/invalid_receipt',
  /** The platform's signature does not hold (App Store JWS: bad signature, untrusted chain). */
  'purchase/forged',
  /** Refunded, revoked, charged back, cancelled or deleted. */
  'purchase/refunded',
  /** Not paid yet: pending, initialised, approved but not finalised, failed. */
  'purchase/not_completed',
  /** The platform did not answer usefully (down, 5xx, 429, timeout, our credentials refused): nothing recorded, try again. */
  'purchase/platform_unavailable',
  /** The product is not in the catalog. */
  'purchase/unknown_product',
  /** This receipt was granted to another player (or spent outside this server). */
  'purchase/already_granted',
  /** The receipt names a platform account other than the one the caller says the player has. */
  'purchase/wrong_account',
  /** No verifier is configured for this platform. */
  'purchase/platform_not_configured',
] as const;
export type PurchaseRefusalCode = (typeof purchaseRefusalCodes)[number];
