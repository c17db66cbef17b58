// The web pages in a real browser: Debian's Chromium driven by playwright-core against the
// server as `npm start` runs it (infra/main.ts on the local PostgreSQL, in a schema of its
// own). Two people play a battle to its end on /play while a third watches it on
// /watch/:match; the replay viewer shows what `pantheon replay` shows, and the first bad tick
// of a forged stream; the console shows projection lag and a rebuild finishing, and opens the
// Colyseus monitor; a ritual is performed with rhythm input; unknown matches and streams,
// expired sessions and finished matches are met as a person would meet them. Every page is
// screenshotted under .cache/test-output/web (TEST_OUTPUT_DIR), and no page may send a
// request anywhere but the server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { AccountService } from '../../commands/account/service.ts';
import type { SqlExecutor } from '../../events/sql/executor.ts';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '../../events/sql/testing/schema.ts';
import type { EventStore } from '../../events/store.ts';
import { forger } from '../../events/testing/tampering.ts';
import { battlePlayers, battleSetup, raidPlayers, raidSetup, recordRoom, ritualPlayers, ritualSetup, simulateRoom } from '../../load-tests/simulate/room.ts';
import { battleKind } from '../../rooms/battle/room.ts';
import { raidKind } from '../../rooms/raid/room.ts';
import { ritualKind } from '../../rooms/ritual/room.ts';
import { AccessTokens } from '../auth/tokens.ts';
import { createCatalog } from '../catalog.ts';
import { freePort, startServerProcess, type ServerProcess } from '../testing/process.ts';
import { testJwtSecret } from '../testing/signedIn.ts';
import { launchBrowser, type TestBrowser } from './testing/browser.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outputDir = process.env.TEST_OUTPUT_DIR ?? path.join(repoRoot, '.cache', 'test-output', 'web');
const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const adminDevice = 'console-admin-device-0001';

let schema: TestSchema;
let db: SqlExecutor;
let store: EventStore;
let server: ServerProcess;
let origin: string;
let browser: TestBrowser;
/** The battle played on /play, once it is over. */
let battleStream: string | undefined;
let battleRoom: string | undefined;

before(async () => {
  await mkdir(outputDir, { recursive: true });
  schema = await createTestSchema('web');
  db = await openPgExecutor({ connectionString: testDatabaseUrl });
  store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name });
  // The operator's account exists before the server starts, as it would: its player id is the admin.
  const admin = await new AccountService({ store }).signIn({ provider: 'guest', subject: adminDevice }, 'Ops');
  const port = await freePort();
  server = startServerProcess({
    PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name,
    PANTHEON_ADMIN_PLAYER_IDS: admin.playerId, LOG_LEVEL: 'warn',
    // Every context of this file signs in from 127.0.0.1.
    PANTHEON_RATE_LIMITS: 'signin.ip=1000/60,spectator.ip=1000/600',
  });
  origin = `http://127.0.0.1:${port}`;
  await waitForHealth(origin, server);
  browser = await launchBrowser(origin);
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await server?.exit;
  await store?.close();
  await db?.close();
  await schema?.drop();
});

async function waitForHealth(url: string, process: ServerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz: ${JSON.stringify(process.lines.slice(-5))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(outputDir, `${name}.png`), fullPage: true });
}

/** Polls `check` until it returns something, or fails after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/play');
  await page.getByLabel('Display name (optional)').fill(name);
  await page.getByTestId('sign-in').click();
  await page.getByRole('heading', { name: `Welcome, ${name}` }).waitFor();
  return page;
}

/** Casts whatever this page offers until the battle has a result; returns the result text. */
async function playToTheEnd(page: Page, deadline: number): Promise<string> {
  for (;;) {
    const result = page.getByTestId('result');
    if (await result.count()) return result.innerText();
    if (Date.now() > deadline) throw new Error('the battle did not end in time');
    const ready = page.locator('[data-testid=ability]:enabled');
    if (await ready.count()) await ready.first().click({ timeout: 1000 }).catch(() => {});
    await page.waitForTimeout(120);
  }
}

const hpOf = async (page: Page) =>
  page.locator('[data-testid^=hp-]').evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-testid')}=${node.getAttribute('data-hp')}`).join(','));

describe('the web pages, in Chromium', { concurrency: false }, () => {
  test('two players battle to the end on /play while a third watches /watch/:match', async () => {
    const [ann, bo] = [await browser.context(), await browser.context()];
    const [annPage, boPage] = await Promise.all([signIn(ann, 'Ann'), signIn(bo, 'Bo')]);
    await shot(annPage, 'play-lobby');
    await Promise.all([annPage.getByTestId('queue').click(), boPage.getByTestId('queue').click()]);
    await Promise.all([annPage.getByTestId('battle-status').waitFor({ timeout: 30_000 }), boPage.getByTestId('battle-status').waitFor({ timeout: 30_000 })]);
    const watchHref = await annPage.getByRole('link', { name: 'Spectator link' }).getAttribute('href');
    battleRoom = decodeURIComponent(watchHref!.replace('/watch/', ''));
    battleStream = `battle-${battleRoom}`;

    const watcher = await browser.context({ viewport: { width: 1280, height: 900 } });
    const watchPage = await watcher.newPage();
    const response = await watchPage.goto(watchHref!);
    assert.equal(response?.status(), 200);
    await watchPage.locator('[data-testid^=hp-]').first().waitFor();
    const before = await hpOf(watchPage);
    await shot(annPage, 'play-battle');

    // A knockout usually comes within two minutes; the battle's tick limit (3 minutes) ends it otherwise.
    const deadline = Date.now() + 240_000;
    const watched: string[] = [before];
    const watching = (async () => {
      while (!(await watchPage.getByTestId('result').count()) && Date.now() < deadline) {
        watched.push(await hpOf(watchPage));
        await watchPage.waitForTimeout(200);
      }
    })();
    const [annResult, boResult] = await Promise.all([playToTheEnd(annPage, deadline), playToTheEnd(boPage, deadline)]);
    await watching;
    await shot(boPage, 'play-battle-ended');
    // One won and one lost (or both drew), and the watcher saw HP move and the same end.
    assert.match(`${annResult}|${boResult}`, /^(Victory.*\|Defeat.*|Defeat.*\|Victory.*|Draw.*\|Draw.*)$/);
    assert.ok(new Set(watched).size > 1, `the watcher saw HP change: ${watched.slice(0, 3).join(' / ')}`);
    const watchedResult = await watchPage.getByTestId('result').innerText();
    assert.match(watchedResult, /Side [AB] wins|Draw/);
    assert.equal(await watchPage.getByTestId('audit-link').getAttribute('href'), `/replay/${battleStream}`);
    await shot(watchPage, 'watch-battle-ended');
    await Promise.all([ann.close(), bo.close(), watcher.close()]);
  });

  test('the replay viewer shows the same final state as `pantheon replay`', async () => {
    assert.ok(battleStream, 'the battle of the first test');
    const context = await browser.context({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`/replay/${battleStream}`);
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('verdict').innerText(), 'clean');
    const shown = JSON.parse((await page.getByTestId('state-json').textContent())!) as unknown;
    const replayed = await pantheon(['replay', battleStream!, '--json']);
    assert.deepEqual(shown, (JSON.parse(replayed) as { state: unknown }).state);
    // Tick by tick: the first tick with events shows the battle as it began.
    await page.getByTestId('first').click();
    await eventually(async () => (await page.getByTestId('state-json').getAttribute('data-tick')) === '0', 'the state at tick 0');
    const first = JSON.parse((await page.getByTestId('state-json').textContent())!) as { oracles: { hp: number; stats: { hp: number } }[] };
    assert.ok(first.oracles.every((oracle) => oracle.hp === oracle.stats.hp), 'everyone at full HP at the start');
    await page.getByTestId('last').click();
    await eventually(async () => (await page.getByTestId('state-json').getAttribute('data-tick')) !== '0' && JSON.stringify(JSON.parse((await page.getByTestId('state-json').textContent())!)) === JSON.stringify(shown), 'the last tick again');
    assert.ok((await page.getByTestId('checkpoints').locator('tbody tr').count()) > 0, 'state hash checkpoints are listed');
    await shot(page, 'replay');
    await context.close();
  });

  test("a forged stream's first bad tick is highlighted: diverged, then tampered", async () => {
    // A battle of its own, recorded as a room would have: forging it leaves the others alone.
    const played = simulateRoom(battleKind, { roomId: 'web-forged', setup: battleSetup(['ana', 'bo'], { tickLimit: 400 }), seed: 'web-test-forged-seed-000000000000' }, battlePlayers({ everyTicks: 10 }));
    await recordRoom(store, played);
    const forged = played.streamId;
    const events = await store.readStream(forged);
    const blow = events.find((event) => event.type === 'DamageDealt')!;
    await forger(db, schema.name).forgeWithValidChain(forged, blow.version, (data) => { data.amount = Number(data.amount) + 1; });
    const context = await browser.context();
    const page = await context.newPage();
    await page.goto(`/replay/${forged}`);
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('verdict').innerText(), 'diverged');
    const bad = page.getByTestId('first-bad');
    assert.equal(await bad.getAttribute('data-version'), String(blow.version));
    await page.getByTestId('jump-bad').click();
    await eventually(async () => (await page.getByTestId('current-tick').innerText()).startsWith(`tick ${blow.metadata.tick} `), 'the first bad tick');
    assert.match((await bad.getAttribute('class'))!, /current/);
    await shot(page, 'replay-diverged');

    const later = events.at(-3)!;
    await forger(db, schema.name).edit(forged, later.version, (data) => { data.tampered = true; });
    await page.reload();
    await page.getByTestId('verdict').waitFor();
    assert.equal(await page.getByTestId('verdict').innerText(), 'tampered');
    assert.equal(await page.getByTestId('first-bad').getAttribute('data-version'), String(later.version));
    assert.ok(await page.getByTestId('replay-warning').count(), 'the broken hash chain is a warning');
    await shot(page, 'replay-tampered');
    await context.close();
  });

  test('the console shows projection lag, a rebuild finishing, and opens the monitor for its admin', async () => {
    const context = await browser.context({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/console');
    await page.getByLabel('Device id').fill(adminDevice);
    await page.getByTestId('console-sign-in').click();
    const row = page.getByTestId('projection-spectator');
    await row.waitFor();
    const lag = await row.getByTestId('lag-events').innerText();
    assert.match(lag, /^\d+$/);
    assert.match(await row.getByTestId('lag-ms').innerText(), /^\d+$/);
    await eventually(async () => (await page.getByTestId('chart-Clients connected').innerText()).includes('CCU'), 'the CCU chart');
    await row.getByTestId('rebuild').click();
    const done = page.getByTestId('rebuild-done');
    await done.waitFor({ timeout: 60_000 });
    assert.match(await done.innerText(), /^spectator rebuilt: \d+ events up to position \d+ in \d+ ms$/);
    await eventually(async () => (await row.getByTestId('projection-state').innerText()) !== 'rebuilding', 'the rebuild to leave the table');
    await page.waitForTimeout(2500); // two more polls: the charts have points to draw
    await shot(page, 'console');

    await page.getByTestId('open-monitor').click();
    await page.waitForURL('**/monitor');
    await eventually(async () => (await page.title()) === 'Colyseus Stats', 'the monitor page');
    await page.waitForTimeout(1500);
    await shot(page, 'monitor');
    // Without the console's cookie the monitor is closed.
    const anonymous = await fetch(`${origin}/monitor/api`);
    assert.equal(anonymous.status, 401);
    await context.close();
  });

  test('a bot challenged on /play: a refusal is shown with its code, and a forfeit ends it', async () => {
    const context = await browser.context();
    const page = await signIn(context, 'Dee');
    await page.getByTestId('challenge-bot').click();
    const ability = page.locator('[data-testid=ability]').first();
    await ability.waitFor();
    await eventually(() => ability.isEnabled(), 'the countdown to end');
    // Twice before the state can show the cooldown: the second cast is refused by the rules.
    await ability.evaluate((button: { click(): void }) => { button.click(); button.click(); });
    const refusal = page.getByTestId('refusal').first();
    await refusal.waitFor({ timeout: 10_000 });
    assert.match(await refusal.innerText(), /^battle\/on_cooldown CastAbility: /);
    await shot(page, 'play-bot-refused');
    await page.getByTestId('forfeit').click();
    await page.getByTestId('result').waitFor({ timeout: 10_000 });
    assert.match(await page.getByTestId('result').innerText(), /^Defeat by forfeit/);
    await context.close();
  });

  test('a raid and a ritual on /watch: the boss and its phase, the ritual and its outcome', async () => {
    const raid = simulateRoom(raidKind, { roomId: 'web-raid', setup: raidSetup(['ana', 'bo', 'cy'], { tickLimit: 600 }), seed: 'web-test-raid-seed-00000000000000' }, raidPlayers({ everyTicks: 10 }));
    await recordRoom(store, raid);
    const ritual = simulateRoom(ritualKind, { roomId: 'web-ritual', setup: ritualSetup(['ana', 'bo']), seed: 'web-test-ritual-seed-0000000000000' }, ritualPlayers());
    await recordRoom(store, ritual);
    const context = await browser.context();
    const page = await context.newPage();
    await page.goto('/watch/web-raid');
    await page.getByTestId('result').waitFor({ timeout: 10_000 });
    assert.match(await page.getByTestId('boss-phase').innerText(), /^phase \S+/);
    assert.match(await page.getByTestId('result').innerText(), /^Raid (victory|defeat|timeout)/);
    await shot(page, 'watch-raid');
    await page.goto('/watch/web-ritual');
    await page.getByTestId('result').waitFor({ timeout: 10_000 });
    assert.match(await page.getByTestId('result').innerText(), /^Ritual (success|failure)/);
    await shot(page, 'watch-ritual');
    await context.close();
  });

  test('a ritual performed with rhythm input on /play', async () => {
    const context = await browser.context();
    const page = await signIn(context, 'Cy');
    await page.getByLabel('Ritual').selectOption('anointing-of-the-dawn');
    await page.getByTestId('ritual-bot').click();
    await page.getByTestId('ritual-step').waitFor();
    const deadline = Date.now() + 120_000;
    let pressed = '';
    let shown = false;
    while (!(await page.getByTestId('result').count())) {
      if (Date.now() > deadline) throw new Error('the ritual did not end in time');
      const bar = page.locator('.rhythm');
      const expected = page.locator('.rites button.expected');
      // The bar and the expected rite come and go as steps change: a read that misses them waits for the next look.
      const label = (await bar.count()) && (await expected.count()) ? await bar.getAttribute('aria-label', { timeout: 500 }).catch(() => null) : null;
      const window = label === null ? null : /opens at tick (\d+) and closes at tick (\d+); now tick (\d+)/.exec(label);
      const step = window ? await page.getByTestId('ritual-step').innerText({ timeout: 500 }).catch(() => null) : null;
      if (window && step !== null) {
        const [, open, close, now] = window.map(Number) as [number, number, number, number];
        // Mid-window, once per step: the key of the expected rite.
        if (!shown) {
          shown = true;
          await shot(page, 'play-ritual-rhythm');
        }
        if (now >= open + Math.floor((close - open) / 3) && now < close - 1 && pressed !== step) {
          pressed = step;
          const key = await expected.getAttribute('aria-keyshortcuts', { timeout: 500 }).catch(() => null);
          if (key !== null) await page.keyboard.press(String(Number(key)));
          else pressed = '';
        }
      }
      await page.waitForTimeout(50);
    }
    const result = await page.getByTestId('result').innerText();
    assert.match(result, /^Ritual success/);
    await shot(page, 'play-ritual');
    await context.close();
  });

  test('bad input: unknown match and stream, an expired session, a finished match', async () => {
    const context = await browser.context();
    const page = await context.newPage();
    const unknownMatch = await page.goto('/watch/no-such-match');
    assert.equal(unknownMatch?.status(), 404);
    await page.getByTestId('not-found').waitFor();
    assert.match(await page.getByRole('heading').first().innerText(), /Match not found/);
    await shot(page, 'watch-unknown');
    const unknownStream = await page.goto('/replay/battle-no-such-stream');
    assert.equal(unknownStream?.status(), 404);
    await page.getByTestId('not-found').waitFor();
    await shot(page, 'replay-unknown');

    // A session whose token expired and whose refresh token is no good: back to sign-in, saying why.
    const expired = await new AccessTokens({ secret: new TextEncoder().encode(testJwtSecret), now: () => Date.now() - 3_600_000 }).issue({ playerId: 'web-expired-player', roles: ['player'] });
    await page.goto('/play');
    await page.evaluate((token) => localStorage.setItem('pantheon.session', JSON.stringify({ playerId: 'web-expired-player', roles: ['player'], displayName: 'Old', accessToken: token, refreshToken: 'rt1.not-a-real-one', expiresAt: Date.now() + 600_000 })), expired.token);
    await page.reload();
    await page.getByTestId('signin-reason').waitFor();
    assert.match(await page.getByTestId('signin-reason').innerText(), /expired/);
    assert.equal(await page.evaluate(() => localStorage.getItem('pantheon.session')), null);
    await shot(page, 'play-expired');

    // The battle of the first test is over: its spectator page shows the result at once.
    assert.ok(battleRoom);
    await page.goto(`/watch/${battleRoom}`);
    await page.getByTestId('result').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('match-status').innerText(), 'ended');
    await context.close();
  });

  test('no page made a request outside the server, nor failed', () => {
    assert.deepEqual(browser.foreign, []);
    // Expected: the join refused for an unknown match (526) and the 404s of unknown pages.
    const unexpected = browser.pageErrors.filter((error) => !/status of (526|404)/.test(error));
    assert.deepEqual(unexpected, []);
  });
});

function pantheon(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`pantheon ${args.join(' ')}: ${stderr}`)) : resolve(stdout));
  });
}
