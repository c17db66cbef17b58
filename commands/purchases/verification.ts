// What every platform verifier answers, and the error that means "the platform could not
// say": the service refuses with `purchase/platform_unavailable` and records nothing.
import type { Platform } from '../wallet/model.ts';
import type { PurchaseRefusalCode } from './refusals.ts';

/** A purchase the platform vouched for. */
export type VerifiedPurchase = {
  readonly platform: Platform;
  /** The platform's product id (Steam item id, App Store product id, Play product id, Discord SKU id). */
  readonly productId: string;
  /** Units bought (Play and the App Store sell consumables in quantities). */
  readonly quantity: number;
  /** The buyer's account on the platform, where it names one. */
  readonly platformAccount: string | null;
  /** `Production`, `Sandbox`, `Test`, as the platform tells it. */
  readonly environment: string | null;
  /** The platform's order reference when it differs from the receipt's own id (a Play order id). */
  readonly orderReference: string | null;
};

export type VerificationRefusalCode = Extract<
  PurchaseRefusalCode,
  'purchase/invalid_receipt' | 'purchase/forged' | 'purchase/refunded' | 'purchase/not_completed' | 'purchase/already_granted'
>;

export type Verification =
  | { readonly ok: true; readonly purchase: VerifiedPurchase }
  | { readonly ok: false; readonly code: VerificationRefusalCode; readonly message: string };

export const refused = (code: VerificationRefusalCode, message: string): Verification => ({ ok: false, code, message });

export type Verifier<R = unknown> = {
  readonly platform: Platform;
  /** Parses the client's receipt; a failure is `purchase/invalid_receipt`. */
  parseReceipt(input: unknown): { ok: true; receipt: R } | { ok: false; message: string };
  /** The receipt's id on the platform, known before asking it: names the claim stream. */
  receiptId(receipt: R): string;
  /** Asks the platform. Throws PlatformUnavailable when it cannot tell. */
  verify(receipt: R): Promise<Verification>;
  /** Tells the platform the purchase was delivered (consume, acknowledge), where it wants that. */
  delivered?(receipt: R): Promise<void>;
};

export class PlatformUnavailable extends Error {
  readonly code = 'purchase/platform_unavailable';
  readonly platform: Platform;
  constructor(platform: Platform, message: string, options?: { cause?: unknown }) {
    super(`${platform}: ${message}`, options);
    this.name = 'PlatformUnavailable';
    this.platform = platform;
  }
}
