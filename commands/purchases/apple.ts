// The App Store: App Store Server API, Get Transaction Info.
//
//   GET {base}/inApps/v1/transactions/{transactionId}
//   Authorization: Bearer <ES256 JWT: kid = key id; iss = issuer id, aud = appstoreconnect-v1, bid = bundle id>
//   -> 200 {"signedTransactionInfo": "<JWS>"}       404 {"errorCode": 4040010, "errorMessage": "Transaction id not found."}
//
// Chosen over the legacy verifyReceipt endpoint, which Apple deprecated (WWDC 2023) and which
// answers with an unsigned JSON blob: the App Store Server API answers for one transaction id
// (the StoreKit 2 client hands it over) and signs the answer, so the server checks Apple's
// signature itself rather than trusting a TLS connection alone.
//
// The JWS carries its certificate chain in the x5c header: leaf, intermediate, root. It is
// genuine when the root is one we trust (Apple Root CA - G3; configurable, so tests trust a
// chain of their own), each certificate is signed by the next and is in its validity
// period, the leaf and intermediate carry Apple's marker extensions, and the leaf's key
// verifies the ES256 signature. Anything else is `purchase/forged`. (Apple's own library
// can also check revocation online (OCSP); this does not.)
import { X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { callPlatform, type HttpPort } from './http.ts';
import { withSlash } from './steam.ts';
import { refused, type Verification, type Verifier } from './verification.ts';

export type AppleSettings = {
  baseUrl: string;
  issuerId: string;
  keyId: string;
  /** The In-App Purchase key (.p8), PKCS#8 PEM. */
  privateKey: string;
  bundleId: string;
  environment: 'Production' | 'Sandbox';
  /** PEM bundle of trusted roots. */
  rootCertificates: string;
};

export const AppleReceipt = z.strictObject({ transactionId: z.string().regex(/^\d{1,40}$/, 'App Store transaction ids are digits') });
export type AppleReceipt = z.infer<typeof AppleReceipt>;

const TransactionPayload = z.object({
  transactionId: z.string(),
  originalTransactionId: z.string().optional(),
  bundleId: z.string(),
  productId: z.string().min(1),
  quantity: z.int().min(1).default(1),
  type: z.string(),
  environment: z.string(),
  signedDate: z.number(),
  revocationDate: z.number().optional(),
  revocationReason: z.number().optional(),
  /** The UUID the app set on the purchase; it may name the player's account. */
  appAccountToken: z.string().optional(),
});

/** DER of Apple's marker extensions: 1.2.840.113635.100.6.11.1 (receipt signing leaf), 1.2.840.113635.100.6.2.1 (WWDR intermediate). */
const LEAF_MARKER = Buffer.from('060a2a864886f76364060b01', 'hex');
const INTERMEDIATE_MARKER = Buffer.from('060a2a864886f76364060201', 'hex');

export function appleVerifier(settings: AppleSettings, http: HttpPort, now: () => Date = () => new Date()): Verifier<AppleReceipt> {
  const roots = splitPem(settings.rootCertificates).map((pem) => new X509Certificate(pem));
  if (roots.length === 0) throw new Error('APPLE_ROOT_CERTIFICATES holds no certificate');
  const signingKey = importPKCS8(settings.privateKey, 'ES256');
  let token: { value: string; expiresAt: number } | undefined;

  async function bearer(): Promise<string> {
    const seconds = Math.floor(now().getTime() / 1000);
    if (token && token.expiresAt - 60 > seconds) return token.value;
    // Apple accepts tokens that live up to an hour; one lasts 20 minutes here and is reused.
    const expiresAt = seconds + 20 * 60;
    const value = await new SignJWT({ bid: settings.bundleId })
      .setProtectedHeader({ alg: 'ES256', kid: settings.keyId, typ: 'JWT' })
      .setIssuer(settings.issuerId)
      .setAudience('appstoreconnect-v1')
      .setIssuedAt(seconds)
      .setExpirationTime(expiresAt)
      .sign(await signingKey);
    token = { value, expiresAt };
    return value;
  }

  /** The payload of a signedTransactionInfo whose signature and chain hold, or why not. */
  async function openJws(jws: string): Promise<{ ok: true; payload: unknown } | { ok: false; message: string }> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(jws);
    } catch {
      return { ok: false, message: 'signedTransactionInfo is not a JWS' };
    }
    if (header.alg !== 'ES256') return { ok: false, message: `signed with ${String(header.alg)}, not ES256` };
    if (!Array.isArray(header.x5c) || header.x5c.length !== 3) return { ok: false, message: 'the JWS does not carry a three-certificate chain' };
    let chain: X509Certificate[];
    try {
      chain = header.x5c.map((der) => new X509Certificate(Buffer.from(der, 'base64')));
    } catch {
      return { ok: false, message: 'the JWS chain holds something that is not a certificate' };
    }
    const [leaf, intermediate, root] = chain as [X509Certificate, X509Certificate, X509Certificate];
    if (!roots.some((trusted) => trusted.raw.equals(root.raw))) return { ok: false, message: 'the chain does not end in a trusted root' };
    if (!intermediate.checkIssued(root) || !intermediate.verify(root.publicKey)) return { ok: false, message: 'the intermediate is not signed by the root' };
    if (!leaf.checkIssued(intermediate) || !leaf.verify(intermediate.publicKey)) return { ok: false, message: 'the leaf is not signed by the intermediate' };
    if (!leaf.raw.includes(LEAF_MARKER) || !intermediate.raw.includes(INTERMEDIATE_MARKER)) return { ok: false, message: 'the chain lacks the App Store marker extensions' };
    const at = now().getTime();
    const expired = chain.find((cert) => at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo));
    if (expired) return { ok: false, message: `certificate ${expired.subject.replaceAll('\n', ', ')} is not valid now` };
    try {
      const { payload } = await compactVerify(jws, leaf.publicKey, { algorithms: ['ES256'] });
      return { ok: true, payload: JSON.parse(new TextDecoder().decode(payload)) as unknown };
    } catch {
      return { ok: false, message: 'the signature does not verify with the leaf certificate' };
    }
  }

  return {
    platform: 'apple',
    parseReceipt: (input) => {
      const parsed = AppleReceipt.safeParse(input);
      return parsed.success ? { ok: true, receipt: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'not an App Store receipt' };
    },
    receiptId: (receipt) => receipt.transactionId,
    async verify(receipt): Promise<Verification> {
      const url = new URL(`inApps/v1/transactions/${receipt.transactionId}`, withSlash(settings.baseUrl));
      const answer = await callPlatform('apple', http, url, { headers: { authorization: `Bearer ${await bearer()}` } });
      const body = z.object({ signedTransactionInfo: z.string() }).safeParse(answer.body);
      if (answer.status !== 200 || !body.success) {
        const error = z.object({ errorCode: z.number(), errorMessage: z.string() }).safeParse(answer.body);
        const why = error.success ? `${error.data.errorMessage} (${error.data.errorCode})` : `HTTP ${answer.status}`;
        return refused('purchase/invalid_receipt', `App Store: transaction ${receipt.transactionId}: ${why}`);
      }
      const opened = await openJws(body.data.signedTransactionInfo);
      if (!opened.ok) return refused('purchase/forged', `App Store transaction ${receipt.transactionId}: ${opened.message}`);
      const parsed = TransactionPayload.safeParse(opened.payload);
      if (!parsed.success) return refused('purchase/invalid_receipt', `App Store transaction ${receipt.transactionId}: unexpected payload`);
      const txn = parsed.data;
      if (txn.transactionId !== receipt.transactionId) return refused('purchase/invalid_receipt', `App Store answered for transaction ${txn.transactionId}, not ${receipt.transactionId}`);
      if (txn.bundleId !== settings.bundleId) return refused('purchase/invalid_receipt', `transaction ${receipt.transactionId} is for ${txn.bundleId}, not ${settings.bundleId}`);
      if (txn.environment !== settings.environment) return refused('purchase/invalid_receipt', `transaction ${receipt.transactionId} is from ${txn.environment}, this server takes ${settings.environment}`);
      if (txn.revocationDate !== undefined) return refused('purchase/refunded', `App Store revoked transaction ${receipt.transactionId} (reason ${txn.revocationReason ?? 'unknown'})`);
      return {
        ok: true,
        purchase: {
          platform: 'apple', productId: txn.productId, quantity: txn.quantity, platformAccount: txn.appAccountToken ?? null,
          environment: txn.environment, orderReference: null,
        },
      };
    },
  };
}

function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
