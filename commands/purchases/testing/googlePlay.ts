// Test support: Google Play stand-in. The OAuth token endpoint (JWT bearer grant, checking the
// service account's RS256 assertion) and androidpublisher v3 purchases.products get and
// consume, in Google's shapes, for the purchases a test puts in.
import { randomBytes, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { bearerOf, startHttpStandIn, type HttpStandIn } from './httpStandIn.ts';

export type PlayPurchase = {
  productId: string;
  /** 0 purchased, 1 canceled, 2 pending. */
  purchaseState: 0 | 1 | 2;
  consumptionState: 0 | 1;
  orderId: string;
  quantity?: number;
  purchaseType?: 0 | 1 | 2;
  obfuscatedExternalAccountId?: string;
};

export type GooglePlayStandIn = HttpStandIn & {
  /** The token endpoint: GOOGLE_OAUTH_TOKEN_URL. */
  readonly tokenUrl: string;
  /** By purchase token. */
  readonly purchases: Map<string, PlayPurchase>;
  addPurchase(token: string, productId: string, options?: Partial<PlayPurchase>): PlayPurchase;
};

const invalid = (code: number, message: string, status: string) => ({ status: code, json: { error: { code, message, status, errors: [{ message, domain: 'global', reason: 'invalid' }] } } });

export async function startGooglePlayStandIn(credentials: { packageName: string; serviceAccountEmail: string; publicKey: KeyObject }): Promise<GooglePlayStandIn> {
  const purchases = new Map<string, PlayPurchase>();
  const tokens = new Set<string>();
  let tokenUrl = '';
  let orders = 0;
  const standIn = await startHttpStandIn(async (request) => {
    if (request.method === 'POST' && request.path === '/token') {
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
      try {
        const { payload } = await jwtVerify(form.get('assertion') ?? '', credentials.publicKey, {
          algorithms: ['RS256'], issuer: credentials.serviceAccountEmail, audience: tokenUrl, maxTokenAge: '1h',
        });
        if (payload.scope !== 'https://www.googleapis.com/auth/androidpublisher') return { status: 400, json: { error: 'invalid_scope', error_description: 'Invalid OAuth scope' } };
      } catch {
        return { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      }
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      tokens.add(token);
      return { status: 200, json: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    }
    const match = /^\/androidpublisher\/v3\/applications\/([^/]+)\/purchases\/products\/([^/]+)\/tokens\/([^/:]+)(:consume)?$/.exec(request.path);
    if (!match) return undefined;
    const bearer = bearerOf(request);
    if (!bearer || !tokens.has(bearer)) return invalid(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'UNAUTHENTICATED');
    const [, packageName, productId, token, consume] = match.map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
    if (packageName !== credentials.packageName) return invalid(404, 'No application was found for the given package name.', 'NOT_FOUND');
    const purchase = purchases.get(token!);
    if (!purchase || purchase.productId !== productId) return invalid(400, 'Invalid Value', 'INVALID_ARGUMENT');
    if (consume) {
      if (request.method !== 'POST') return undefined;
      purchase.consumptionState = 1;
      return { status: 204 };
    }
    if (request.method !== 'GET') return undefined;
    return {
      status: 200,
      json: {
        kind: 'androidpublisher#productPurchase', purchaseTimeMillis: String(Date.now() - 60_000), developerPayload: '', regionCode: 'US',
        acknowledgementState: 0, ...purchase, quantity: purchase.quantity ?? 1,
      },
    };
  });
  tokenUrl = `${standIn.origin}/token`;
  return Object.assign(standIn, {
    tokenUrl,
    purchases,
    addPurchase(token: string, productId: string, options: Partial<PlayPurchase> = {}) {
      orders += 1;
      const purchase: PlayPurchase = { productId, purchaseState: 0, consumptionState: 0, orderId: `GPA.3333-4444-5555-${String(orders).padStart(5, '0')}`, ...options };
      purchases.set(token, purchase);
      return purchase;
    },
  });
}
