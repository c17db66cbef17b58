// Platform purchases: verify a receipt with its platform, claim it, grant what it buys.
//
//   1. The receipt names its claim stream, `receipt-<platform>.<id>`. A claim already there
//      answers at once: the same player gets the original grant back, anyone else
//      `purchase/already_granted`. The platform is not asked again.
//   2. The platform's verifier says whether the purchase is real, paid and not refunded. A
//      refusal, or a platform that cannot tell, records nothing.
//   3. The product's sku and grants come from the catalog.
//   4. The claim is decided and appended through handleCommand (claim.ts): of two claims
//      racing for a receipt exactly one lands (the loser reads the winner's and answers as in 1).
//   5. GrantPurchase on the player's wallet, keyed by the receipt: a grant interrupted after
//      its claim completes on the next try, and never happens twice.
//   6. The platform is told the purchase was delivered where it wants that (Play, Discord).
import type { Logger } from 'pino';
import { handleCommand, load } from '../../events/commandHandler.ts';
import type { EventStore } from '../../events/store.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import type { Grant } from '../wallet/commands.ts';
import { Platform, PlayerId } from '../wallet/model.ts';
import { COMMAND_INVALID } from '../wallet/refusals.ts';
import type { RecordedWalletEvent, WalletService } from '../wallet/service.ts';
import { productCatalog, productGrants, type ProductCatalog } from './catalog.ts';
import { receiptDecider, type Claim } from './claim.ts';
import type { PurchaseRefusalCode } from './refusals.ts';
import { PlatformUnavailable, type VerifiedPurchase, type Verifier } from './verification.ts';

export type PurchaseGranted = {
  readonly ok: true;
  /** True when this receipt had already been granted to this player: the original grant. */
  readonly duplicate: boolean;
  readonly platform: Platform;
  /** The receipt's id on its platform (for Play, a digest of the purchase token). */
  readonly transactionId: string;
  readonly sku: string;
  readonly grants: readonly Grant[];
  /** Available balances right after the grant, per currency granted. */
  readonly balance: Readonly<Record<string, number>>;
  readonly events: readonly RecordedWalletEvent[];
};

export type PurchaseRefused = {
  readonly ok: false;
  /** A `purchase/…` code; `command/invalid` for a malformed platform or player; a `wallet/…` code if the wallet refused the grant. */
  readonly code: PurchaseRefusalCode | string;
  readonly message: string;
};

export type PurchaseResult = PurchaseGranted | PurchaseRefused;

export type VerifyAndGrantOptions = {
  /** The player's own account on the platform, when the caller knows it: a receipt naming another is refused. */
  readonly platformAccount?: string;
};

export type PurchaseServiceOptions = {
  readonly store: EventStore;
  readonly wallets: WalletService;
  readonly verifiers: readonly Verifier<unknown>[];
  readonly catalog?: ProductCatalog;
  readonly logger?: Logger;
};

/** Purchases of more units than this in one receipt are not taken (no pack sells in such numbers). */
const MAX_QUANTITY = 100;

export class PurchaseService {
  readonly #store: EventStore;
  readonly #wallets: WalletService;
  readonly #verifiers: ReadonlyMap<string, Verifier<unknown>>;
  readonly #catalog: ProductCatalog;
  readonly #logger: Logger | undefined;

  constructor(options: PurchaseServiceOptions) {
    this.#store = options.store;
    this.#wallets = options.wallets;
    this.#verifiers = new Map(options.verifiers.map((verifier) => [verifier.platform, verifier]));
    this.#catalog = options.catalog ?? productCatalog;
    this.#logger = options.logger?.child({ component: 'purchases' });
  }

  /** The platforms with a verifier configured. */
  get platforms(): Platform[] {
    return Platform.options.filter((platform) => this.#verifiers.has(platform));
  }

  async verifyAndGrant(platformInput: unknown, receiptInput: unknown, playerInput: unknown, options: VerifyAndGrantOptions = {}): Promise<PurchaseResult> {
    const platform = Platform.safeParse(platformInput);
    const player = PlayerId.safeParse(playerInput);
    if (!platform.success || !player.success) {
      return refusal(COMMAND_INVALID, platform.success ? `player: ${player.error?.issues[0]?.message}` : `platform must be one of ${Platform.options.join(', ')}`);
    }
    const playerId = player.data;
    const verifier = this.#verifiers.get(platform.data);
    if (!verifier) return refusal('purchase/platform_not_configured', `${platform.data} purchases are not configured on this server`);
    const parsed = verifier.parseReceipt(receiptInput);
    if (!parsed.ok) return refusal('purchase/invalid_receipt', `${platform.data} receipt: ${parsed.message}`);
    const { receipt } = parsed;
    const transactionId = verifier.receiptId(receipt);
    const streamId = `receipt-${platform.data}.${transactionId}`;
    const log = { platform: platform.data, transactionId, playerId };

    const earlier = await this.#claimOf(streamId);
    if (earlier) return this.#grant(earlier, playerId);

    let verified: VerifiedPurchase;
    try {
      const verification = await verifier.verify(receipt);
      if (!verification.ok) {
        this.#logger?.warn({ ...log, code: verification.code }, verification.message);
        return refusal(verification.code, verification.message);
      }
      verified = verification.purchase;
    } catch (error) {
      if (!(error instanceof PlatformUnavailable)) throw error;
      this.#logger?.error({ ...log, err: error }, 'purchase platform unavailable; nothing recorded');
      return refusal('purchase/platform_unavailable', `${error.message}; nothing was recorded, try again later`);
    }

    if (options.platformAccount !== undefined && verified.platformAccount !== null && verified.platformAccount !== options.platformAccount) {
      this.#logger?.warn({ ...log, receiptAccount: verified.platformAccount }, 'receipt belongs to another platform account');
      return refusal('purchase/wrong_account', `this ${platform.data} receipt belongs to another ${platform.data} account`);
    }
    if (verified.quantity > MAX_QUANTITY) return refusal('purchase/invalid_receipt', `a receipt for ${verified.quantity} units is more than this server takes`);
    const product = productGrants(this.#catalog, platform.data, verified.productId, verified.quantity);
    if (!product) {
      this.#logger?.error({ ...log, productId: verified.productId }, 'a verified purchase of a product the catalog does not list');
      return refusal('purchase/unknown_product', `${platform.data} product ${verified.productId} is not in the catalog`);
    }

    const claim: Claim = {
      platform: platform.data, transactionId, playerId, productId: verified.productId, sku: product.sku, grants: product.grants,
      platformAccount: verified.platformAccount, environment: verified.environment, orderReference: verified.orderReference,
    };
    const winner = await this.#claim(streamId, claim);
    const result = await this.#grant(winner, playerId);
    if (result.ok && winner.playerId === playerId && verifier.delivered) {
      // The grant is recorded; telling the platform is a courtesy it may repeat on a retry.
      await verifier.delivered(receipt).catch((error: unknown) => this.#logger?.warn({ ...log, err: error }, 'could not tell the platform the purchase was delivered'));
    }
    return result;
  }

  async #claimOf(streamId: string): Promise<Claim | undefined> {
    return (await load(this.#store, streamId, receiptDecider)).state ?? undefined;
  }

  /** Appends the claim unless one is there; returns the claim that holds. */
  async #claim(streamId: string, claim: Claim): Promise<Claim> {
    const handled = await handleCommand(this.#store, streamId, receiptDecider, claim, {
      eventId: () => nameBasedUuid('pantheon.receipt', streamId, claim.playerId),
      metadata: { actor: claim.playerId },
    });
    if (!handled.ok || handled.state === null) throw new Error(`${streamId}: a claim was decided but the receipt holds none`);
    return handled.state;
  }

  /** Grants a claim to its player (again, idempotently); anyone else is refused. */
  async #grant(claim: Claim, playerId: string): Promise<PurchaseResult> {
    const { platform, transactionId, sku, grants } = claim;
    if (claim.playerId !== playerId) {
      this.#logger?.warn({ platform, transactionId, playerId, claimedBy: claim.playerId }, 'receipt already granted to another player');
      return refusal('purchase/already_granted', `this ${platform} receipt was already granted to another player`);
    }
    const result = await this.#wallets.execute(
      { type: 'GrantPurchase', playerId, idempotencyKey: `purchase:${platform}.${transactionId}`, platform, transactionId, sku, grants },
      { actor: playerId, correlationId: `receipt-${platform}.${transactionId}` },
    );
    if (!result.ok) return refusal(result.code, result.message);
    if (!result.duplicate) this.#logger?.info({ platform, transactionId, playerId, sku }, 'purchase granted');
    return { ok: true, duplicate: result.duplicate, platform, transactionId, sku, grants, balance: result.balance, events: result.events };
  }
}

function refusal(code: string, message: string): PurchaseRefused {
  return { ok: false, code, message };
}
