// Platform purchases: a client hands over its receipt, the server verifies it with the
// platform and grants what it bought, at most once per receipt.
import { z } from 'zod';
import { PlayerId, Platform } from '../../commands/wallet/model.ts';
import type { PurchaseService } from '../../commands/purchases/index.ts';
import { defineRoute, HttpError } from './route.ts';

/** HTTP status per refusal: what the client should do differs (fix, stop, or retry later). */
const statusOf: Record<string, number> = {
  'purchase/invalid_receipt': 400,
  'command/invalid': 400,
  'purchase/forged': 422,
  'purchase/refunded': 422,
  'purchase/not_completed': 422,
  'purchase/unknown_product': 422,
  'purchase/wrong_account': 403,
  'purchase/already_granted': 409,
  'purchase/platform_not_configured': 501,
  'purchase/platform_unavailable': 503,
};

export const PurchaseBody = z.strictObject({
  platform: Platform,
  /** The platform's receipt as its SDK hands it over (shape checked by the platform's verifier). */
  receipt: z.unknown(),
});

export const PurchaseAnswer = z.object({
  duplicate: z.boolean().describe('true when this receipt had already been granted to this player'),
  platform: Platform,
  transactionId: z.string(),
  sku: z.string(),
  grants: z.array(z.object({ currency: z.string(), amount: z.int() })),
  balance: z.record(z.string(), z.int()),
});

export function purchaseRoutes(purchases: PurchaseService) {
  return [
    defineRoute({
      name: 'redeemPurchase',
      method: 'POST',
      path: '/players/:playerId/purchases',
      summary: 'Verifies a platform receipt (Steam, App Store, Google Play, Discord) and grants what it bought, once',
      tags: ['wallet'],
      access: 'player',
      params: z.object({ playerId: PlayerId }),
      body: PurchaseBody,
      response: PurchaseAnswer,
      refusals: {
        403: 'The receipt belongs to another platform account (purchase/wrong_account)',
        409: 'The receipt was already granted to another player (purchase/already_granted)',
        422: 'Forged, refunded, unfinished or unknown purchase',
        501: 'That platform is not configured on this server',
        503: 'The platform could not be reached; nothing was recorded, retry later',
      },
      async handle({ params, body }) {
        const result = await purchases.verifyAndGrant(body.platform, body.receipt, params.playerId);
        if (!result.ok) {
          const status = statusOf[result.code] ?? 422;
          throw new HttpError(status, result.code, result.message, status === 503 ? { 'retry-after': '30' } : {});
        }
        return {
          duplicate: result.duplicate,
          platform: result.platform,
          transactionId: result.transactionId,
          sku: result.sku,
          grants: result.grants.map((g) => ({ currency: g.currency, amount: g.amount })),
          balance: result.balance,
        };
      },
    }),
  ];
}
