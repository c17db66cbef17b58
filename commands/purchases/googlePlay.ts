// Google Play: the Android Publisher API (v3), purchases.products.get, called as the game's
// service account.
//
//   POST {token url}  grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT:
//                     iss = service account, scope = androidpublisher, aud = token url>
//   -> {"access_token": "…", "expires_in": 3599, "token_type": "Bearer"}
//   GET {base}/androidpublisher/v3/applications/{package}/purchases/products/{productId}/tokens/{token}
//   -> ProductPurchase {"purchaseState": 0|1|2, "consumptionState", "orderId", "quantity", …}
//   POST …/tokens/{token}:consume  once granted, so the player can buy the consumable again.
import { createHash } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { callPlatform, type HttpPort } from './http.ts';
import { withSlash } from './steam.ts';
import { PlatformUnavailable, refused, type Verification, type Verifier } from './verification.ts';

export type GooglePlaySettings = {
  baseUrl: string;
  tokenUrl: string;
  packageName: string;
  serviceAccountEmail: string;
  /** The service account's key, PKCS#8 PEM. */
  privateKey: string;
};

export const GooglePlayReceipt = z.strictObject({
  productId: z.string().regex(/^[a-z0-9][a-z0-9_.]{0,148}$/, 'Play product ids are lower-case letters, digits, _ and .'),
  purchaseToken: z.string().regex(/^[A-Za-z0-9_.:-]{10,4096}$/, 'not a Play purchase token'),
});
export type GooglePlayReceipt = z.infer<typeof GooglePlayReceipt>;

const ProductPurchase = z.object({
  kind: z.literal('androidpublisher#productPurchase').optional(),
  /** 0 purchased, 1 canceled, 2 pending. */
  purchaseState: z.int().min(0).max(2),
  consumptionState: z.int().optional(),
  orderId: z.string().optional(),
  /** 0 test (licence testers), 1 promo, 2 rewarded; absent for a real purchase. */
  purchaseType: z.int().optional(),
  quantity: z.int().min(1).optional(),
  obfuscatedExternalAccountId: z.string().optional(),
});

const SCOPE = 'https://www.googleapis.com/auth/androidpublisher';

export function googlePlayVerifier(settings: GooglePlaySettings, http: HttpPort, now: () => Date = () => new Date()): Verifier<GooglePlayReceipt> {
  const signingKey = importPKCS8(settings.privateKey, 'RS256');
  let token: { value: string; expiresAt: number } | undefined;

  async function accessToken(): Promise<string> {
    const seconds = Math.floor(now().getTime() / 1000);
    if (token && token.expiresAt - 60 > seconds) return token.value;
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(settings.serviceAccountEmail)
      .setAudience(settings.tokenUrl)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 3600)
      .sign(await signingKey);
    const answer = await callPlatform('google_play', http, new URL(settings.tokenUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    });
    const granted = z.object({ access_token: z.string().min(1), expires_in: z.int().min(1) }).safeParse(answer.body);
    // Our own service account refused is a configuration problem, not a bad receipt.
    if (answer.status !== 200 || !granted.success) throw new PlatformUnavailable('google_play', `the token endpoint refused the service account (HTTP ${answer.status})`);
    token = { value: granted.data.access_token, expiresAt: seconds + granted.data.expires_in };
    return token.value;
  }

  const purchaseUrl = (receipt: GooglePlayReceipt, suffix = '') =>
    new URL(
      `androidpublisher/v3/applications/${encodeURIComponent(settings.packageName)}/purchases/products/${encodeURIComponent(receipt.productId)}/tokens/${encodeURIComponent(receipt.purchaseToken)}${suffix}`,
      withSlash(settings.baseUrl),
    );

  return {
    platform: 'google_play',
    parseReceipt: (input) => {
      const parsed = GooglePlayReceipt.safeParse(input);
      return parsed.success ? { ok: true, receipt: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'not a Play receipt' };
    },
    // Tokens are long: the claim is named by a digest of the token.
    receiptId: (receipt) => `token.${createHash('sha256').update(receipt.purchaseToken).digest('hex').slice(0, 48)}`,
    async verify(receipt): Promise<Verification> {
      const answer = await callPlatform('google_play', http, purchaseUrl(receipt), { headers: { authorization: `Bearer ${await accessToken()}` } });
      const parsed = ProductPurchase.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) {
        const error = z.object({ error: z.object({ message: z.string() }) }).safeParse(answer.body);
        return refused('purchase/invalid_receipt', `Play: ${error.success ? error.data.error.message : `HTTP ${answer.status}`} for ${receipt.productId}`);
      }
      const purchase = parsed.data;
      if (purchase.purchaseState === 1) return refused('purchase/refunded', `the Play purchase of ${receipt.productId} was canceled`);
      if (purchase.purchaseState === 2) return refused('purchase/not_completed', `the Play purchase of ${receipt.productId} is pending`);
      return {
        ok: true,
        purchase: {
          platform: 'google_play', productId: receipt.productId, quantity: purchase.quantity ?? 1,
          platformAccount: purchase.obfuscatedExternalAccountId ?? null,
          environment: purchase.purchaseType === 0 ? 'Test' : 'Production', orderReference: purchase.orderId ?? null,
        },
      };
    },
    async delivered(receipt) {
      const answer = await callPlatform('google_play', http, purchaseUrl(receipt, ':consume'), {
        method: 'POST',
        headers: { authorization: `Bearer ${await accessToken()}` },
      });
      if (answer.status >= 300) throw new Error(`Play did not consume ${receipt.productId}: HTTP ${answer.status}`);
    },
  };
}
