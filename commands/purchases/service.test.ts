// Platform purchases end to end: the real verifiers against local stand-ins speaking each
// platform's API, claims and grants in the real PostgreSQL store.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../../infra/catalog.ts';
import { WalletService } from '../wallet/service.ts';
import { PurchaseConfigSchema, type PurchaseConfig } from './config.ts';
import { purchaseRefusalCodes } from './refusals.ts';
import { PurchaseService, type PurchaseResult } from './service.ts';
import { appleTestRoot, startAppleStandIn, type AppleStandIn } from './testing/apple.ts';
import { startDiscordStandIn, type DiscordStandIn } from './testing/discord.ts';
import { startGooglePlayStandIn, type GooglePlayStandIn } from './testing/googlePlay.ts';
import type { HttpStandIn } from './testing/httpStandIn.ts';
import { startSteamStandIn, type SteamStandIn } from './testing/steam.ts';
import { createVerifiers } from './verifiers.ts';

const STEAM_KEY = '0123456789ABCDEF0123456789ABCDEF';
const STEAM_APP = '480';
const APPLE = { issuerId: '57246542-96fe-1a63-e053-0824d011072a', keyId: '2X9R4HXF34', bundleId: 'com.pantheon.oracles', environment: 'Production' as const };
const GOOGLE = { packageName: 'com.pantheon.oracles', serviceAccountEmail: 'purchases@pantheon.iam.gserviceaccount.com' };
const DISCORD = { applicationId: '1310000000000000000', botToken: 'MTMxMDAwMDAwMDAwMDAwMDAwMA.test.bot-token' };

const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const googleKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = (key: typeof appleKey.privateKey) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let wallets: WalletService;
let steam: SteamStandIn;
let apple: AppleStandIn;
let google: GooglePlayStandIn;
let discord: DiscordStandIn;
let config: PurchaseConfig;
let purchases: PurchaseService;
const codesSeen = new Set<string>();

/** The environment a deployment would set, pointing every platform at its stand-in. */
function environment(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PURCHASE_VERIFY_TIMEOUT_MS: '500',
    STEAM_API_BASE_URL: steam.origin, STEAM_WEB_API_KEY: STEAM_KEY, STEAM_APP_ID: STEAM_APP,
    APPLE_API_BASE_URL: apple.origin, APPLE_ISSUER_ID: APPLE.issuerId, APPLE_KEY_ID: APPLE.keyId,
    // As an env file holds it: one line, literal \n.
    APPLE_PRIVATE_KEY: pkcs8(appleKey.privateKey).trim().replaceAll('\n', '\\n'),
    APPLE_BUNDLE_ID: APPLE.bundleId, APPLE_ROOT_CERTIFICATES: appleTestRoot(),
    GOOGLE_PLAY_API_BASE_URL: google.origin, GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl, GOOGLE_PLAY_PACKAGE_NAME: GOOGLE.packageName,
    GOOGLE_SERVICE_ACCOUNT_EMAIL: GOOGLE.serviceAccountEmail, GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY: pkcs8(googleKey.privateKey),
    DISCORD_API_BASE_URL: discord.baseUrl, DISCORD_APPLICATION_ID: DISCORD.applicationId, DISCORD_BOT_TOKEN: DISCORD.botToken,
    ...overrides,
  };
}

const serviceFor = (env: Record<string, string | undefined>) =>
  new PurchaseService({ store, wallets, verifiers: createVerifiers(PurchaseConfigSchema.parse(env)) });

before(async () => {
  schema = await createTestSchema('purchases');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  wallets = new WalletService({ store });
  steam = await startSteamStandIn({ webApiKey: STEAM_KEY, appId: STEAM_APP });
  apple = await startAppleStandIn({ ...APPLE, apiPublicKey: appleKey.publicKey });
  google = await startGooglePlayStandIn({ ...GOOGLE, publicKey: googleKey.publicKey });
  discord = await startDiscordStandIn(DISCORD);
  config = PurchaseConfigSchema.parse(environment());
  purchases = new PurchaseService({ store, wallets, verifiers: createVerifiers(config) });
});
after(async () => {
  for (const standIn of [steam, apple, google, discord]) await standIn?.close();
  await store.close();
  await db.close();
  await schema.drop();
});

function refused(result: PurchaseResult, code: string): void {
  assert.equal(result.ok, false, `expected ${code}, got a grant`);
  if (!result.ok) {
    assert.equal(result.code, code, result.message);
    assert.ok(result.message.length > 0);
  }
  codesSeen.add(code);
}

/** Runs `attempt` and asserts it recorded nothing at all: no claim, no wallet event. */
async function recordsNothing<T>(attempt: () => Promise<T>): Promise<T> {
  const head = await store.headPosition();
  const result = await attempt();
  assert.equal(await store.headPosition(), head, 'nothing was appended');
  return result;
}

const balances = async (playerId: string) => (await wallets.wallet(playerId)).balances;

describe('Steam (ISteamMicroTxn/QueryTxn)', () => {
  test('a succeeded order grants its sku once: claim, wallet credit from purchases:steam', async () => {
    steam.addOrder('7001', 1004);
    const result = await purchases.verifyAndGrant('steam', { orderId: '7001' }, 'ann');
    assert.deepEqual(result.ok && { duplicate: result.duplicate, sku: result.sku, balance: result.balance }, {
      duplicate: false, sku: 'starter_pack', balance: { coins: 1000, embers: 10 },
    });
    const [claim] = await store.readStream('receipt-steam.7001');
    assert.equal(claim?.type, 'ReceiptClaimed');
    assert.deepEqual({ ...(claim?.data as object) }, {
      platform: 'steam', transactionId: '7001', playerId: 'ann', productId: '1004', sku: 'starter_pack',
      grants: [{ currency: 'coins', amount: 1000 }, { currency: 'embers', amount: 10 }],
      platformAccount: '76561197960287930', environment: 'Production', orderReference: '70019',
    });
    const granted = (await store.readStream('wallet-ann')).at(-1);
    assert.equal(granted?.type, 'PurchaseGranted');
    assert.equal((granted?.data as { counterAccount: string }).counterAccount, 'purchases:steam');
    // Steam was asked with the publisher key and app id, on the live interface.
    const asked = steam.requests.at(-1);
    assert.equal(asked?.path, '/ISteamMicroTxn/QueryTxn/v3/');
    assert.deepEqual([asked?.query.get('key'), asked?.query.get('appid'), asked?.query.get('orderid')], [STEAM_KEY, STEAM_APP, '7001']);
  });

  test('a replayed receipt: the same player gets the original grant without asking Steam, another player is refused', async () => {
    steam.addOrder('7002', 1001);
    const first = await purchases.verifyAndGrant('steam', { orderId: '7002' }, 'ben');
    const asked = steam.requests.length;
    const again = await recordsNothing(() => purchases.verifyAndGrant('steam', { orderId: '7002' }, 'ben'));
    assert.ok(first.ok && again.ok);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.events, first.events);
    assert.equal(steam.requests.length, asked);
    refused(await recordsNothing(() => purchases.verifyAndGrant('steam', { orderId: '7002' }, 'cat')), 'purchase/already_granted');
    assert.deepEqual(await balances('ben'), { coins: 500 });
    assert.deepEqual(await balances('cat'), {});
  });

  test('two players racing for one receipt: exactly one is granted', async () => {
    steam.addOrder('7003', 1002);
    const racers = ['dan', 'eve', 'fay', 'gus', 'hal'];
    const results = await Promise.all(racers.map((player) => purchases.verifyAndGrant('steam', { orderId: '7003' }, player)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results) if (!r.ok) refused(r, 'purchase/already_granted');
    const granted = await Promise.all(racers.map(balances));
    assert.deepEqual(granted.filter((b) => b.coins === 3000).length, 1);
  });

  test('refunded, unfinished, unknown, mis-shaped and uncatalogued orders are refused and record nothing', async () => {
    steam.addOrder('7010', 1001, { status: 'Refunded' });
    steam.addOrder('7011', 1001, { status: 'Chargedback' });
    steam.addOrder('7012', 1001, { status: 'Approved' });
    steam.addOrder('7013', 1001, { status: 'Init' });
    steam.addOrder('7014', 9999);
    const attempts: [unknown, string][] = [
      [{ orderId: '7010' }, 'purchase/refunded'],
      [{ orderId: '7011' }, 'purchase/refunded'],
      [{ orderId: '7012' }, 'purchase/not_completed'],
      [{ orderId: '7013' }, 'purchase/not_completed'],
      [{ orderId: '7099' }, 'purchase/invalid_receipt'],
      [{ orderId: 'DROP TABLE' }, 'purchase/invalid_receipt'],
      [{ orderId: '7014' }, 'purchase/unknown_product'],
    ];
    for (const [receipt, code] of attempts) refused(await recordsNothing(() => purchases.verifyAndGrant('steam', receipt, 'ivy')), code);
    assert.deepEqual(await balances('ivy'), {});
  });
});

describe('App Store (App Store Server API, signedTransactionInfo JWS)', () => {
  test('a genuine transaction grants its sku times its quantity, asked with a valid App Store Connect token', async () => {
    apple.transactions.set('2000000111', { transactionId: '2000000111', productId: 'com.pantheon.embers.pouch', quantity: 2 });
    const result = await purchases.verifyAndGrant('apple', { transactionId: '2000000111' }, 'jon');
    assert.deepEqual(result.ok && result.balance, { embers: 50 });
    assert.equal(apple.requests.at(-1)?.path, '/inApps/v1/transactions/2000000111');
  });

  test('forged answers are refused with purchase/forged: an untrusted chain, an edited payload', async () => {
    apple.transactions.set('2000000112', { transactionId: '2000000112', productId: 'com.pantheon.coins.large', signedBy: 'forger' });
    apple.transactions.set('2000000113', { transactionId: '2000000113', productId: 'com.pantheon.coins.small', tamper: { productId: 'com.pantheon.coins.large', quantity: 100 } });
    refused(await recordsNothing(() => purchases.verifyAndGrant('apple', { transactionId: '2000000112' }, 'kim')), 'purchase/forged');
    refused(await recordsNothing(() => purchases.verifyAndGrant('apple', { transactionId: '2000000113' }, 'kim')), 'purchase/forged');
  });

  test('revoked, foreign, sandbox and unknown transactions are refused', async () => {
    apple.transactions.set('2000000114', { transactionId: '2000000114', productId: 'com.pantheon.coins.small', revocationDate: Date.now() });
    apple.transactions.set('2000000115', { transactionId: '2000000115', productId: 'com.pantheon.coins.small', bundleId: 'com.other.game' });
    apple.transactions.set('2000000116', { transactionId: '2000000116', productId: 'com.pantheon.coins.small', environment: 'Sandbox' });
    apple.transactions.set('2000000117', { transactionId: '2000000117', productId: 'com.other.gems' });
    const attempts: [string, string][] = [
      ['2000000114', 'purchase/refunded'], ['2000000115', 'purchase/invalid_receipt'], ['2000000116', 'purchase/invalid_receipt'],
      ['2000000199', 'purchase/invalid_receipt'], ['2000000117', 'purchase/unknown_product'],
    ];
    for (const [transactionId, code] of attempts) refused(await recordsNothing(() => purchases.verifyAndGrant('apple', { transactionId }, 'kim')), code);
    assert.deepEqual(await balances('kim'), {});
  });

  test('a server holding the wrong In-App Purchase key is refused by Apple: platform unavailable, nothing recorded', async () => {
    apple.transactions.set('2000000118', { transactionId: '2000000118', productId: 'com.pantheon.coins.small' });
    const wrongKey = serviceFor(environment({ APPLE_PRIVATE_KEY: pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey) }));
    refused(await recordsNothing(() => wrongKey.verifyAndGrant('apple', { transactionId: '2000000118' }, 'lee')), 'purchase/platform_unavailable');
    assert.ok((await purchases.verifyAndGrant('apple', { transactionId: '2000000118' }, 'lee')).ok);
  });
});

describe('Google Play (androidpublisher v3 purchases.products)', () => {
  test('a purchased product grants its sku, then is consumed', async () => {
    const token = 'opaque-token-of-the-purchase.AO-J1Oy2abcdefghijklmnop';
    const purchase = google.addPurchase(token, 'coins_large', { obfuscatedExternalAccountId: 'mia' });
    const result = await purchases.verifyAndGrant('google_play', { productId: 'coins_large', purchaseToken: token }, 'mia', { platformAccount: 'mia' });
    assert.deepEqual(result.ok && result.balance, { coins: 3000 });
    assert.equal(purchase.consumptionState, 1);
    const claim = (await store.readStream(`receipt-google_play.${result.ok ? result.transactionId : ''}`))[0];
    assert.equal((claim?.data as { orderReference: string }).orderReference, purchase.orderId);
  });

  test('canceled, pending and unknown purchases are refused', async () => {
    google.addPurchase('token-canceled-0000000001', 'coins_small', { purchaseState: 1 });
    google.addPurchase('token-pending-00000000001', 'coins_small', { purchaseState: 2 });
    const attempts: [string, string][] = [
      ['token-canceled-0000000001', 'purchase/refunded'], ['token-pending-00000000001', 'purchase/not_completed'], ['token-unknown-00000000001', 'purchase/invalid_receipt'],
    ];
    for (const [purchaseToken, code] of attempts) {
      refused(await recordsNothing(() => purchases.verifyAndGrant('google_play', { productId: 'coins_small', purchaseToken }, 'ned')), code);
    }
  });

  test('a receipt naming another account than the player\'s is refused with purchase/wrong_account', async () => {
    google.addPurchase('token-of-someone-else-0001', 'coins_small', { obfuscatedExternalAccountId: 'someone-else' });
    refused(await recordsNothing(() => purchases.verifyAndGrant('google_play', { productId: 'coins_small', purchaseToken: 'token-of-someone-else-0001' }, 'ned', { platformAccount: 'ned' })), 'purchase/wrong_account');
  });

  test('a service account Google does not accept: platform unavailable, nothing recorded', async () => {
    google.addPurchase('token-for-wrong-account-1', 'coins_small');
    const wrongKey = serviceFor(environment({ GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY: pkcs8(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) }));
    refused(await recordsNothing(() => wrongKey.verifyAndGrant('google_play', { productId: 'coins_small', purchaseToken: 'token-for-wrong-account-1' }, 'ned')), 'purchase/platform_unavailable');
  });
});

describe('Discord (application entitlements)', () => {
  test('a purchase entitlement grants its sku, then is consumed', async () => {
    const entitlement = discord.addEntitlement('1320000000000000001', '1310000000000000003');
    const result = await purchases.verifyAndGrant('discord', { entitlementId: '1320000000000000001' }, 'oli');
    assert.deepEqual(result.ok && result.balance, { embers: 25 });
    assert.equal(entitlement.consumed, true);
    assert.equal(discord.requests.at(-1)?.path, '/api/v10/applications/1310000000000000000/entitlements/1320000000000000001/consume');
    // A retry after the consume is answered from the claim.
    const again = await recordsNothing(() => purchases.verifyAndGrant('discord', { entitlementId: '1320000000000000001' }, 'oli'));
    assert.equal(again.ok && again.duplicate, true);
  });

  test('deleted, consumed elsewhere, unknown and non-purchase entitlements are refused', async () => {
    discord.addEntitlement('1320000000000000002', '1310000000000000001', { deleted: true });
    discord.addEntitlement('1320000000000000003', '1310000000000000001', { consumed: true });
    discord.addEntitlement('1320000000000000004', '1310000000000000001', { type: 8 });
    const attempts: [string, string][] = [
      ['1320000000000000002', 'purchase/refunded'], ['1320000000000000003', 'purchase/already_granted'],
      ['1320000000000000009', 'purchase/invalid_receipt'], ['1320000000000000004', 'purchase/invalid_receipt'],
    ];
    for (const [entitlementId, code] of attempts) refused(await recordsNothing(() => purchases.verifyAndGrant('discord', { entitlementId }, 'pat')), code);
  });
});

describe('a platform that cannot answer', () => {
  const cases: [string, () => HttpStandIn, () => unknown][] = [
    ['steam', () => steam, () => (steam.addOrder('7050', 1001), { orderId: '7050' })],
    ['apple', () => apple, () => (apple.transactions.set('2000000150', { transactionId: '2000000150', productId: 'com.pantheon.coins.small' }), { transactionId: '2000000150' })],
    ['google_play', () => google, () => (google.addPurchase('token-while-down-0000001', 'coins_small'), { productId: 'coins_small', purchaseToken: 'token-while-down-0000001' })],
    ['discord', () => discord, () => (discord.addEntitlement('1320000000000000050', '1310000000000000001'), { entitlementId: '1320000000000000050' })],
  ];
  for (const [platform, standIn, receiptOf] of cases) {
    test(`${platform}: down (503), silent (timeout) or cut off: purchase/platform_unavailable and nothing recorded; back up, the receipt grants`, async () => {
      const receipt = receiptOf();
      const player = `down-${platform}`;
      try {
        for (const mode of ['unavailable', 'hang', 'reset'] as const) {
          standIn().mode = mode;
          refused(await recordsNothing(() => purchases.verifyAndGrant(platform, receipt, player)), 'purchase/platform_unavailable');
        }
      } finally {
        standIn().mode = 'up';
      }
      const granted = await purchases.verifyAndGrant(platform, receipt, player);
      assert.ok(granted.ok, JSON.stringify(granted));
      assert.deepEqual(await balances(player), { coins: 500 });
    });
  }
});

test('a grant cut short after its claim completes on the next try, without asking the platform again', async () => {
  // What a crash between the claim and the wallet append leaves: the claim alone.
  await store.append('receipt-steam.7077', 'no_stream', [{
    type: 'ReceiptClaimed',
    data: { platform: 'steam', transactionId: '7077', playerId: 'quin', productId: '1001', sku: 'coins_small', grants: [{ currency: 'coins', amount: 500 }], platformAccount: null, environment: 'Production', orderReference: null },
  }]);
  const asked = steam.requests.length;
  const result = await purchases.verifyAndGrant('steam', { orderId: '7077' }, 'quin');
  assert.deepEqual(result.ok && [result.duplicate, result.balance], [false, { coins: 500 }]);
  assert.equal(steam.requests.length, asked);
});

test('malformed requests and unconfigured platforms are refused before anyone is asked', async () => {
  const onlyDiscord = serviceFor(environment({ STEAM_WEB_API_KEY: undefined, STEAM_APP_ID: undefined }));
  assert.deepEqual(onlyDiscord.platforms, ['apple', 'google_play', 'discord']);
  refused(await recordsNothing(() => onlyDiscord.verifyAndGrant('steam', { orderId: '7001' }, 'rae')), 'purchase/platform_not_configured');
  refused(await purchases.verifyAndGrant('xbox', { orderId: '1' }, 'rae'), 'command/invalid');
  refused(await purchases.verifyAndGrant('steam', { orderId: '1' }, 'not a player id'), 'command/invalid');
  refused(await purchases.verifyAndGrant('apple', { orderId: '1' }, 'rae'), 'purchase/invalid_receipt');
});

test('configuration: defaults point at the real platforms, a half-configured platform names what is missing', () => {
  const defaults = PurchaseConfigSchema.parse({});
  assert.deepEqual([defaults.STEAM_API_BASE_URL, defaults.APPLE_API_BASE_URL, defaults.GOOGLE_PLAY_API_BASE_URL, defaults.DISCORD_API_BASE_URL], [
    'https://partner.steam-api.com', 'https://api.storekit.itunes.apple.com', 'https://androidpublisher.googleapis.com', 'https://discord.com/api/v10',
  ]);
  assert.deepEqual(createVerifiers(defaults), []);
  assert.equal(config.APPLE_PRIVATE_KEY?.includes('\n'), true, 'literal \\n in a PEM env var become line breaks');
  const half = PurchaseConfigSchema.safeParse({ DISCORD_BOT_TOKEN: DISCORD.botToken });
  assert.equal(half.success, false);
  assert.deepEqual(half.error?.issues.map((i) => [i.path[0], i.message]), [['DISCORD_APPLICATION_ID', 'must be set with DISCORD_BOT_TOKEN']]);
  // The application id alone serves the interactions endpoint: no purchases, and no refusal.
  const interactionsOnly = PurchaseConfigSchema.parse({ DISCORD_APPLICATION_ID: DISCORD.applicationId });
  assert.deepEqual(createVerifiers(interactionsOnly), []);
});

test('every refusal code has been seen', () => {
  assert.deepEqual([...purchaseRefusalCodes].filter((code) => !codesSeen.has(code)), []);
});
