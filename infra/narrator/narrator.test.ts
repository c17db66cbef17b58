// The narrator service against a local server speaking the OpenAI REST shape, through the
// real `openai` SDK pointed at it by baseURL: model text streamed and moderated, flagged text
// refused, 429 retried, timeouts opening the circuit, the daily budget, rate limits (on the
// real Redis), the prompt cache, and the offline narrator when no key is configured.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadCodex } from '../../events/content/codex.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { narrationEventId } from '../../projections/narration/events.ts';
import type { FeedMessage } from '../../projections/narration/feed.ts';
import { createNarrator, type CreateNarratorOptions, type NarratorConfig } from './index.ts';
import { loreMoment, type Facts, type Moment } from '../../projections/narration/moments.ts';
import { offlineText } from './offline.ts';
import { systemPromptOf } from './prompts.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from './testing/openaiStandIn.ts';

const silent = pino({ level: 'silent' });

let standIn: OpenAiStandIn;
before(async () => {
  standIn = await startOpenAiStandIn({ flagWords: ['blasphemy'], usage: { prompt: 40, completion: 20 } });
});
after(async () => {
  await standIn.close();
});

function narratorAt(config: Partial<NarratorConfig> = {}, options: Partial<CreateNarratorOptions> = {}) {
  const registry = new Registry();
  const narrator = createNarrator(
    { OPENAI_API_KEY: standIn.apiKey, OPENAI_BASE_URL: standIn.baseURL, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 1_000_000, REDIS_URL: undefined, ...config },
    { logger: silent, metrics: registry, ...options },
  );
  return { narrator, registry };
}

let sequence = 0;
/** A battle highlight no other test narrates (its names differ, so its prompt does). */
function fell(players: string[] = ['p1', 'p2']): Moment {
  const n = ++sequence;
  const facts: Facts = { kind: 'oracle_fell', fallen: { name: `Thalassa ${n}`, element: 'water' }, by: { name: 'Pyra', element: 'fire' }, cause: 'damage' };
  const sourceEventId = `source-${n}`;
  return {
    id: narrationEventId('battle_highlight', sourceEventId), streamId: 'narration-battle-t', use: 'battle_highlight', facts,
    roomStreamId: 'battle-t', sourceEventId, sourceEventType: 'OracleFell', codexEntryId: null, tick: 40, players,
  };
}

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return values.filter((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value)).reduce((sum, v) => sum + v.value, 0);
}

function collect(narrator: ReturnType<typeof narratorAt>['narrator']): FeedMessage[] {
  const messages: FeedMessage[] = [];
  narrator.feed.listen((message) => messages.push(message));
  return messages;
}

describe('narrator against the OpenAI REST shape', () => {
  test('a live moment streams to spectators a moderated sentence at a time and comes back with model, tokens and prompt hash', async () => {
    const { narrator, registry } = narratorAt();
    const spectators = collect(narrator);
    const chatsBefore = standIn.chatRequests().length;
    const moment = fell();

    const result = await narrator.narrate(moment);

    assert.deepEqual({ ...result, promptHash: result.promptHash.length }, {
      text: 'The arena holds its breath. The stars have written this moment in fire!',
      model: 'gpt-test', promptHash: 64, tokens: { prompt: 40, completion: 20, total: 60 }, offline: false, fallbackReason: null, cached: false,
    });
    const [request, ...others] = standIn.chatRequests().slice(chatsBefore);
    assert.equal(others.length, 0);
    assert.equal(request!.stream, true);
    assert.equal(request!.max_completion_tokens, 90);
    assert.deepEqual(request!.messages[0], { role: 'system', content: systemPromptOf('battle_highlight') });
    assert.match(request!.messages[1]!.content, /Thalassa/);
    // Two sentences, each passed on only after moderation cleared the text so far.
    assert.deepEqual(spectators.map((m) => m.type === 'delta' && m.text), ['The arena holds its breath. ', 'The stars have written this moment in fire!']);
    assert.deepEqual(standIn.moderationInputs().slice(-2), ['The arena holds its breath. ', result.text]);
    assert.equal(await metric(registry, 'pantheon_narrator_tokens_total'), 60);
    assert.equal(await metric(registry, 'pantheon_narrator_narrations_total', { source: 'model' }), 1);

    // The same prompt again is served from the cache: no request, no tokens.
    const again = await narrator.narrate({ ...moment, id: 'other', sourceEventId: 'other-source' });
    assert.deepEqual({ text: again.text, cached: again.cached, tokens: again.tokens.total }, { text: result.text, cached: true, tokens: 0 });
    assert.equal(standIn.chatRequests().length, chatsBefore + 1);
    await narrator.close();
  });

  test('codex lore is asked whole, not streamed, and moderated before use', async () => {
    const { narrator } = narratorAt();
    const entry = loadCodex().entries.find((e) => e.id === 'codex/dawn-hymn')!;
    standIn.setReply(() => 'Before the first oracle spoke, the sky was sung awake; the fifth verse is still the sunrise.');
    const chatsBefore = standIn.chatRequests().length;
    try {
      const result = await narrator.narrate(loreMoment(entry, null, []));
      assert.equal(result.offline, false);
      assert.equal(result.text, 'Before the first oracle spoke, the sky was sung awake; the fifth verse is still the sunrise.');
      const [request] = standIn.chatRequests().slice(chatsBefore);
      assert.notEqual(request!.stream, true);
      assert.equal(request!.max_completion_tokens, 200);
      assert.equal(standIn.moderationInputs().at(-1), result.text);
    } finally {
      standIn.setReply(() => 'The arena holds its breath. The stars have written this moment in fire!');
      await narrator.close();
    }
  });

  test('text the moderation endpoint flags is never used: spectators see it retracted and the offline words are recorded', async () => {
    const { narrator, registry } = narratorAt();
    const spectators = collect(narrator);
    standIn.setReply(() => 'The arena trembles. Then comes blasphemy beyond words.');
    try {
      const moment = fell();
      const result = await narrator.narrate(moment);
      assert.deepEqual(result, {
        text: offlineText(moment.facts, moment.sourceEventId!), model: 'gpt-test', promptHash: result.promptHash,
        tokens: { prompt: 40, completion: 20, total: 60 }, offline: true, fallbackReason: 'flagged', cached: false,
      });
      assert.doesNotMatch(result.text, /blasphemy/i);
      // The clean first sentence went out, then was withdrawn; the flagged one never did.
      assert.deepEqual(spectators.map((m) => m.type), ['delta', 'retracted']);
      assert.ok(!spectators.some((m) => m.type === 'delta' && /blasphemy/i.test(m.text)));
      assert.equal(await metric(registry, 'pantheon_narrator_flagged_total'), 1);
      // Flagged text is not cached: the same moment asks the model again.
      const chats = standIn.chatRequests().length;
      await narrator.narrate(moment);
      assert.equal(standIn.chatRequests().length, chats + 1);

      // Flagged in its first sentence: the stream is cut there and spectators see nothing of it.
      standIn.setReply(() => 'Blasphemy first, and loudly. Then calm words that never come.');
      spectators.length = 0;
      const cut = await narrator.narrate(fell());
      assert.deepEqual({ offline: cut.offline, reason: cut.fallbackReason }, { offline: true, reason: 'flagged' });
      assert.deepEqual(spectators, []);
      assert.equal(standIn.moderationInputs().at(-1), 'Blasphemy first, and loudly. ');
    } finally {
      standIn.setReply(() => 'The arena holds its breath. The stars have written this moment in fire!');
      await narrator.close();
    }
  });

  test('a 429 is retried with backoff, then answered', async () => {
    const { narrator, registry } = narratorAt({}, { maxRetries: 3 });
    standIn.failNextChats(2, 429, { 'retry-after-ms': '20' });
    const chatsBefore = standIn.chatRequests().length;
    const result = await narrator.narrate(fell());
    assert.equal(result.offline, false);
    assert.equal(result.fallbackReason, null);
    assert.equal(standIn.chatRequests().length, chatsBefore + 3);
    assert.equal(await metric(registry, 'pantheon_narrator_model_requests_total', { endpoint: 'chat', outcome: 'ok' }), 1);
    await narrator.close();
  });

  test('timeouts open the circuit; then the offline narrator speaks without asking, until a trial after the cooldown succeeds', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const { narrator, registry } = narratorAt({}, { timeoutMs: 150, maxRetries: 1, circuit: { failureThreshold: 2, cooldownMs: 60_000 }, now: () => now });
    standIn.setMode('hang');
    try {
      const chatsBefore = standIn.chatRequests().length;
      const first = await narrator.narrate(fell());
      const second = await narrator.narrate(fell());
      assert.deepEqual([first.fallbackReason, second.fallbackReason], ['timeout', 'timeout']);
      assert.ok(first.offline && second.offline);
      assert.equal(standIn.chatRequests().length, chatsBefore + 4, 'each narration tried once and retried once');
      assert.equal(await metric(registry, 'pantheon_narrator_circuit_open'), 1);

      const third = fell();
      const refused = await narrator.narrate(third);
      assert.deepEqual({ offline: refused.offline, reason: refused.fallbackReason, model: refused.model, text: refused.text },
        { offline: true, reason: 'circuit_open', model: null, text: offlineText(third.facts, third.sourceEventId!) });
      assert.equal(standIn.chatRequests().length, chatsBefore + 4, 'no request while the circuit is open');

      standIn.setMode('answer');
      now += 60_000;
      const trial = await narrator.narrate(fell());
      assert.equal(trial.offline, false);
      assert.equal(await metric(registry, 'pantheon_narrator_circuit_open'), 0);
    } finally {
      standIn.setMode('answer');
      await narrator.close();
    }
  });

  test('the daily token budget caps spending, visible in metrics, until the day turns', async () => {
    let now = Date.parse('2026-03-01T23:00:00Z');
    const { narrator, registry } = narratorAt({ NARRATOR_DAILY_TOKENS: 100 }, { now: () => now });
    const reasons = [];
    for (let i = 0; i < 3; i++) reasons.push((await narrator.narrate(fell())).fallbackReason);
    assert.deepEqual(reasons, [null, null, 'budget_exhausted']);
    assert.equal(await metric(registry, 'pantheon_narrator_tokens_today'), 120);
    assert.equal(await metric(registry, 'pantheon_narrator_daily_token_budget'), 100);
    assert.equal(await metric(registry, 'pantheon_narrator_budget_exhausted'), 1);
    assert.equal(await metric(registry, 'pantheon_narrator_narrations_total', { source: 'offline', reason: 'budget_exhausted' }), 1);

    now += 2 * 3600_000;
    assert.equal((await narrator.narrate(fell())).fallbackReason, null);
    assert.equal(await metric(registry, 'pantheon_narrator_budget_exhausted'), 0);
    await narrator.close();
  });

  for (const shared of [true, false]) {
    test(`rate limits per player and globally${shared ? ', shared by narrators through Redis' : ', in process without Redis'}`, async () => {
      let now = Date.parse('2026-03-01T12:00:30Z');
      const redis = shared ? new Redis('redis://127.0.0.1:6379') : undefined;
      const options = { rateLimits: { playerPerWindow: 1, globalPerWindow: 3, windowMs: 60_000 }, redis, redisPrefix: `test:narrator:${randomBytes(4).toString('hex')}`, now: () => now };
      const one = narratorAt({}, options).narrator;
      const two = shared ? narratorAt({}, options).narrator : one;
      try {
        const reasons = [
          (await one.narrate(fell(['ana']))).fallbackReason,
          (await two.narrate(fell(['ana', 'bo']))).fallbackReason,
          (await two.narrate(fell(['bo']))).fallbackReason,
          (await one.narrate(fell(['cy']))).fallbackReason,
          (await two.narrate(fell(['di']))).fallbackReason,
        ];
        assert.deepEqual(reasons, [null, 'rate_limited', null, null, 'rate_limited']);
        now += 60_000;
        assert.equal((await two.narrate(fell(['ana']))).fallbackReason, null);
      } finally {
        await one.close();
        await two.close();
        if (redis) {
          const keys = await redis.keys(`${options.redisPrefix}:*`);
          if (keys.length > 0) await redis.del(...keys);
          await redis.quit();
        }
      }
    });
  }

  test('text moderation could not check is not used either', async () => {
    const { narrator } = narratorAt({}, { maxRetries: 0 });
    standIn.failNextModerations(1, 503);
    const moment = fell();
    const result = await narrator.narrate(moment);
    assert.deepEqual({ offline: result.offline, reason: result.fallbackReason, text: result.text },
      { offline: true, reason: 'moderation_failed', text: offlineText(moment.facts, moment.sourceEventId!) });
    // The stream was cut at its first sentence, before the API reported usage: what it produced is estimated, not forgotten.
    assert.ok(result.tokens.total > 0);
    await narrator.close();
  });

  test('the narrator settings come from the environment, checked', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.OPENAI_API_KEY, defaults.OPENAI_BASE_URL, defaults.OPENAI_MODEL, defaults.NARRATOR_DAILY_TOKENS], [undefined, undefined, 'gpt-4o-mini', 200_000]);
    const set = loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODEL: 'gpt-5-mini', NARRATOR_DAILY_TOKENS: '5000' });
    assert.deepEqual([set.OPENAI_API_KEY, set.OPENAI_BASE_URL, set.OPENAI_MODEL, set.NARRATOR_DAILY_TOKENS], ['sk-x', 'http://127.0.0.1:9/v1', 'gpt-5-mini', 5000]);
    assert.throws(() => loadConfig({ OPENAI_BASE_URL: 'ftp://x', NARRATOR_DAILY_TOKENS: 'lots' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /OPENAI_BASE_URL="ftp:\/\/x" must be an http\(s\):\/\/ URL \(example: OPENAI_BASE_URL=https:\/\/api.openai.com\/v1\)/);
      assert.match(error.message, /NARRATOR_DAILY_TOKENS="lots" .*\(example: NARRATOR_DAILY_TOKENS=200000\)/);
      return true;
    });
  });

  test('with no key the offline narrator speaks, the same words for the same moment, and nothing is asked', async () => {
    const registry = new Registry();
    const narrator = createNarrator({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: standIn.baseURL, OPENAI_MODEL: 'gpt-test', NARRATOR_DAILY_TOKENS: 1000, REDIS_URL: undefined }, { logger: silent, metrics: registry });
    const requests = standIn.requests.length;
    const moment = fell();
    const [a, b] = [await narrator.narrate(moment), await narrator.narrate(moment)];
    assert.deepEqual(a, b);
    assert.deepEqual({ offline: a.offline, reason: a.fallbackReason, model: a.model, tokens: a.tokens.total }, { offline: true, reason: 'no_key', model: null, tokens: 0 });
    assert.equal(a.text, offlineText(moment.facts, moment.sourceEventId!));
    assert.equal(standIn.requests.length, requests);
    await narrator.close();
  });
});
