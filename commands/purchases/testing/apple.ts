// Test support: App Store Server API stand-in. Answers Get Transaction Info
// (GET /inApps/v1/transactions/{id}) with a signedTransactionInfo JWS whose x5c chain is the
// test chain in fixtures/ (made by fixtures/make-apple-chains.sh), and checks the bearer
// token the way Apple does: ES256, signed with the In-App Purchase key, kid, iss, aud, bid.
// A transaction can be served signed by a forger's chain, or with its payload swapped after
// signing, to see both refused.
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { CompactSign, importPKCS8, jwtVerify } from 'jose';
import { bearerOf, startHttpStandIn, type HttpStandIn } from './httpStandIn.ts';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const der = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** The root the verifier under test should trust (APPLE_ROOT_CERTIFICATES). */
export const appleTestRoot = (): string => fixture('apple-root.pem');

type Signer = 'apple' | 'forger';
const chains: Record<Signer, { key: string; x5c: string[] }> = {
  apple: { key: fixture('apple-leaf.key'), x5c: ['apple-leaf.pem', 'apple-intermediate.pem', 'apple-root.pem'].map((f) => der(fixture(f))) },
  forger: { key: fixture('forger-leaf.key'), x5c: ['forger-leaf.pem', 'forger-intermediate.pem', 'forger-root.pem'].map((f) => der(fixture(f))) },
};

/** The fields of a JWSTransactionDecodedPayload the tests vary. */
export type AppleTransaction = {
  transactionId: string;
  productId: string;
  bundleId?: string;
  environment?: 'Production' | 'Sandbox';
  quantity?: number;
  revocationDate?: number;
  appAccountToken?: string;
  /** Who signs the JWS; `forger` uses a chain under an untrusted root. */
  signedBy?: Signer;
  /** Serve a payload other than the one signed (an edited JWS). */
  tamper?: Record<string, unknown>;
};

export type AppleStandIn = HttpStandIn & { readonly transactions: Map<string, AppleTransaction> };

export type AppleCredentials = { issuerId: string; keyId: string; bundleId: string; environment: 'Production' | 'Sandbox'; apiPublicKey: KeyObject };

export async function startAppleStandIn(credentials: AppleCredentials): Promise<AppleStandIn> {
  const transactions = new Map<string, AppleTransaction>();
  const leafKeys = { apple: await importPKCS8(chains.apple.key, 'ES256'), forger: await importPKCS8(chains.forger.key, 'ES256') };

  async function authorised(token: string | undefined): Promise<boolean> {
    if (!token) return false;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, credentials.apiPublicKey, {
        algorithms: ['ES256'], issuer: credentials.issuerId, audience: 'appstoreconnect-v1', maxTokenAge: '1h',
      });
      return protectedHeader.kid === credentials.keyId && payload.bid === credentials.bundleId;
    } catch {
      return false;
    }
  }

  async function signed(txn: AppleTransaction): Promise<string> {
    const now = Date.now();
    const payload = {
      transactionId: txn.transactionId, originalTransactionId: txn.transactionId, webOrderLineItemId: '0',
      bundleId: txn.bundleId ?? credentials.bundleId, productId: txn.productId, purchaseDate: now - 60_000, originalPurchaseDate: now - 60_000,
      quantity: txn.quantity ?? 1, type: 'Consumable', inAppOwnershipType: 'PURCHASED', signedDate: now,
      environment: txn.environment ?? credentials.environment, transactionReason: 'PURCHASE', storefront: 'USA', storefrontId: '143441',
      price: 4990, currency: 'USD',
      ...(txn.revocationDate === undefined ? {} : { revocationDate: txn.revocationDate, revocationReason: 0 }),
      ...(txn.appAccountToken === undefined ? {} : { appAccountToken: txn.appAccountToken }),
    };
    const signer = txn.signedBy ?? 'apple';
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', x5c: chains[signer].x5c })
      .sign(leafKeys[signer]);
    if (!txn.tamper) return jws;
    const [header, , signature] = jws.split('.');
    const edited = Buffer.from(JSON.stringify({ ...payload, ...txn.tamper })).toString('base64url');
    return `${header}.${edited}.${signature}`;
  }

  const standIn = await startHttpStandIn(async (request) => {
    const match = /^\/inApps\/v1\/transactions\/([^/]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match) return undefined;
    if (!(await authorised(bearerOf(request)))) return { status: 401, text: 'Unauthenticated' };
    const id = decodeURIComponent(match[1]!);
    if (!/^\d+$/.test(id)) return { status: 400, json: { errorCode: 4000006, errorMessage: 'Invalid transaction id.' } };
    const txn = transactions.get(id);
    if (!txn) return { status: 404, json: { errorCode: 4040010, errorMessage: 'Transaction id not found.' } };
    return { status: 200, json: { signedTransactionInfo: await signed(txn) } };
  });
  return Object.assign(standIn, { transactions });
}
