// Ritual rules as given(events).when(command).then(events | refusal) specs: every command,
// every misstep reason, every refusal code, and a property that replays are exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventCatalog } from '../../events/catalog.ts';
import { fold, type Decision } from '../../events/decider.ts';
import { seedPrng } from '../../events/tick/prng.ts';
import type { RitualCommand } from './commands.ts';
import { findRitual, RiteKind } from './content.ts';
import { initialState, ritualEventDefinitions, rollOmen, type RitualEvent } from './events.ts';
import { misstepReasons, type MisstepReason, type RitualState } from './model.ts';
import { createRitual, judgeTiming, onTick, ritualDecider, ritualRefusalCodes, type RitualRefusalCode } from './rules.ts';

// A local given/when/then (events/testing/specs.ts did not exist yet when this was written).
const refusalsSeen = new Set<RitualRefusalCode>();
const misstepsSeen = new Set<MisstepReason>();

function given(...events: RitualEvent[]) {
  const state = fold(ritualDecider, initialState(), events);
  const expectations = (decision: Decision<RitualEvent>) => ({
    then(...expected: RitualEvent[]) {
      assert.deepEqual(decision, { ok: true, events: expected });
      for (const event of expected) if (event.type === 'RiteMisstepped') misstepsSeen.add(event.data.reason);
    },
    thenRefused(code: RitualRefusalCode) {
      assert.equal(decision.ok, false);
      if (!decision.ok) assert.equal(decision.refusal.code, code);
      refusalsSeen.add(code);
    },
  });
  return {
    state,
    when: (command: RitualCommand, tick: number) => expectations(ritualDecider.decide(state, command, { tick })),
    whenCreated: (ritualId: string, participants: string[], tick = 0) => expectations(createRitual(state, { ritualId, participants, seed: 's' }, { tick })),
    whenTickEnds: (tick: number) => expectations({ ok: true, events: [...onTick(state, { tick })] }),
  };
}

function created(ritualId: string, participants: string[], tick: number, seed = 'seed-1'): RitualEvent {
  const decision = createRitual(initialState(), { ritualId, participants, seed }, { tick });
  assert.ok(decision.ok);
  const [event] = decision.events;
  assert.ok(event);
  return event;
}

const channel = (playerId: string, rite: RiteKind): RitualCommand => ({ type: 'ChannelRite', playerId, rite });
const abandonBy = (playerId: string): RitualCommand => ({ type: 'Abandon', playerId });
type Channelled = Extract<RitualEvent, { type: 'RiteChannelled' }>['data'];
const channelled = (data: Channelled): RitualEvent => ({ type: 'RiteChannelled', data });
const misstep = (step: number, reason: MisstepReason, tick: number, actor?: [string, number, RiteKind]): RitualEvent => ({
  type: 'RiteMisstepped',
  data: { step, reason, tick, player: actor?.[0] ?? null, seat: actor?.[1] ?? null, rite: actor?.[2] ?? null },
});
const noUnlocks = { codexEntries: [], anointments: [] };
const failed = (reason: 'too_many_missteps' | 'abandoned', score: number, tick: number): RitualEvent => ({
  type: 'RitualCompleted', data: { outcome: 'failure', reason, score, tick, omen: 'none', unlocks: noUnlocks },
});

// Anointing of the Dawn, begun at tick 100: invoke (seat 0) [2,8] · offer (seat 1) [3,9] · chant (any) [2,6] · seal (seat 0) [4,10]; 2 mistakes allowed.
const DAWN = 'anointing-of-the-dawn';
const dawn = created(DAWN, ['ana', 'bo'], 100);
const invoked = channelled({ step: 0, player: 'ana', seat: 0, rite: 'invoke', tick: 105, quality: 'perfect', halfTicksFromCentre: 0 });
const offered = channelled({ step: 1, player: 'bo', seat: 1, rite: 'offer', tick: 111, quality: 'perfect', halfTicksFromCentre: 0 });
const chanted = channelled({ step: 2, player: 'bo', seat: 1, rite: 'chant', tick: 115, quality: 'perfect', halfTicksFromCentre: 0 });

test('creating a ritual records rules, content, seats, seed and the starting tick', () => {
  const event = created(DAWN, ['ana', 'bo', 'cyd'], 7, 'omens');
  assert.equal(event.type, 'RitualCreated');
  if (event.type !== 'RitualCreated') return;
  assert.deepEqual({ ...event.data, definition: event.data.definition.id }, {
    rulesVersion: 'ritual-rules/1', contentVersion: 'ritual-content/2025.1', ritualId: DAWN,
    definition: DAWN, participants: ['ana', 'bo', 'cyd'], seed: 'omens', tick: 7,
  });
});

test('creation refusals: twice, unknown ritual, wrong party size, duplicate players', () => {
  given(dawn).whenCreated(DAWN, ['ana', 'bo']).thenRefused('ritual/already_created');
  given().whenCreated('moon-dance', ['ana', 'bo']).thenRefused('ritual/unknown_ritual');
  given().whenCreated('tidecall', ['ana', 'bo']).thenRefused('ritual/invalid_participants');
  given().whenCreated(DAWN, ['a', 'b', 'c', 'd', 'e']).thenRefused('ritual/invalid_participants');
  given().whenCreated(DAWN, ['ana', 'ana']).thenRefused('ritual/invalid_participants');
});

test('ChannelRite: the right seat and rite in the window is channelled, graded by distance to the centre', () => {
  given(dawn).when(channel('ana', 'invoke'), 105).then(invoked);
  given(dawn).when(channel('ana', 'invoke'), 104).then(channelled({ step: 0, player: 'ana', seat: 0, rite: 'invoke', tick: 104, quality: 'perfect', halfTicksFromCentre: 2 }));
  given(dawn).when(channel('ana', 'invoke'), 103).then(channelled({ step: 0, player: 'ana', seat: 0, rite: 'invoke', tick: 103, quality: 'good', halfTicksFromCentre: 4 }));
  given(dawn).when(channel('ana', 'invoke'), 108).then(channelled({ step: 0, player: 'ana', seat: 0, rite: 'invoke', tick: 108, quality: 'fair', halfTicksFromCentre: 6 }));
});

test('ChannelRite: the next window counts from the tick the previous rite landed', () => {
  // Offer is [3,9] after tick 105: centre 111.
  given(dawn, invoked).when(channel('bo', 'offer'), 111).then(offered);
  given(dawn, invoked).when(channel('bo', 'offer'), 108).then(channelled({ step: 1, player: 'bo', seat: 1, rite: 'offer', tick: 108, quality: 'fair', halfTicksFromCentre: 6 }));
});

test('ChannelRite: a step open to any seat accepts every participant', () => {
  given(dawn, invoked, offered).when(channel('ana', 'chant'), 115).then(channelled({ ...(chanted.data as Channelled), player: 'ana', seat: 0 }));
  given(dawn, invoked, offered).when(channel('bo', 'chant'), 115).then(chanted);
});

test('ChannelRite: the last rite completes the ritual with its unlocks and an omen rolled from the seeded PRNG', () => {
  const seal = channelled({ step: 3, player: 'ana', seat: 0, rite: 'seal', tick: 122, quality: 'perfect', halfTicksFromCentre: 0 });
  const outcomes = new Set<string>();
  for (let i = 0; outcomes.size < 2 && i < 100; i++) {
    const seed = `seed-${i}`;
    const favourable = rollOmen(seedPrng(seed), { anointment: 'anointment/sunlit-brow', numerator: 1, denominator: 4 })[0];
    outcomes.add(String(favourable));
    const anointments = favourable ? ['anointment/dawnmarked', 'anointment/sunlit-brow'] : ['anointment/dawnmarked'];
    const completed: RitualEvent = {
      type: 'RitualCompleted',
      data: {
        outcome: 'success', reason: 'all_rites_channelled', score: 12, tick: 122, omen: favourable ? 'favourable' : 'silent',
        unlocks: { codexEntries: ['codex/dawn-hymn', 'codex/first-light'], anointments },
      },
    };
    const start = created(DAWN, ['ana', 'bo'], 100, seed);
    given(start, invoked, offered, chanted).when(channel('ana', 'seal'), 122).then(seal, completed);
    // The fold repeats the roll: the replayed generator has advanced exactly as the rules advanced it.
    const ended = given(start, invoked, offered, chanted, seal, completed).state;
    assert.ok(ended.status === 'ended');
    assert.deepEqual(ended.prng, rollOmen(seedPrng(seed), { anointment: 'anointment/sunlit-brow', numerator: 1, denominator: 4 })[1]);
  }
  assert.equal(outcomes.size, 2, 'some seed should read each omen');
});

test('ChannelRite: a ritual without an omen completes without rolling', () => {
  // Ember Vigil's last step is seal by seat 1, [5,9] after the chant.
  const [vigil, ...rites] = [created('ember-vigil', ['ana', 'bo'], 0), ...(['invoke', 'offer', 'offer', 'chant'] as const).map((rite, step) =>
    channelled({ step, player: step === 2 ? 'ana' : 'bo', seat: step === 2 ? 0 : 1, rite, tick: [5, 15, 25, 40][step] ?? 0, quality: 'perfect', halfTicksFromCentre: 0 }))];
  assert.ok(vigil);
  const after = given(vigil, ...rites);
  assert.equal(after.state.status, 'in_progress');
  after.when(channel('bo', 'seal'), 47).then(
    channelled({ step: 4, player: 'bo', seat: 1, rite: 'seal', tick: 47, quality: 'perfect', halfTicksFromCentre: 0 }),
    { type: 'RitualCompleted', data: { outcome: 'success', reason: 'all_rites_channelled', score: 15, tick: 47, omen: 'none', unlocks: { codexEntries: ['codex/ember-vigil'], anointments: ['anointment/ashen-palm', 'anointment/keeper-of-coals'] } } },
  );
});

test('missteps: wrong player, wrong rite, too early, too late — recorded, not refused', () => {
  given(dawn).when(channel('bo', 'invoke'), 105).then(misstep(0, 'wrong_player', 105, ['bo', 1, 'invoke']));
  given(dawn).when(channel('ana', 'chant'), 105).then(misstep(0, 'wrong_rite', 105, ['ana', 0, 'chant']));
  given(dawn).when(channel('ana', 'invoke'), 101).then(misstep(0, 'too_early', 101, ['ana', 0, 'invoke']));
  given(dawn).when(channel('ana', 'invoke'), 109).then(misstep(0, 'too_late', 109, ['ana', 0, 'invoke']));
});

test('missteps: lateness outranks the wrong seat or rite, then seat outranks rite, and rite outranks earliness', () => {
  given(dawn).when(channel('bo', 'seal'), 109).then(misstep(0, 'too_late', 109, ['bo', 1, 'seal']));
  given(dawn).when(channel('bo', 'seal'), 105).then(misstep(0, 'wrong_player', 105, ['bo', 1, 'seal']));
  given(dawn).when(channel('ana', 'seal'), 101).then(misstep(0, 'wrong_rite', 101, ['ana', 0, 'seal']));
});

test('a misstep keeps the step, and only lateness restarts its rhythm window', () => {
  given(dawn, misstep(0, 'wrong_rite', 104, ['ana', 0, 'chant'])).when(channel('ana', 'invoke'), 105).then(invoked);
  // After a late rite at 109 the window is [111,117] from 109.
  const late = misstep(0, 'too_late', 109, ['ana', 0, 'invoke']);
  given(dawn, late).when(channel('ana', 'invoke'), 110).then(misstep(0, 'too_early', 110, ['ana', 0, 'invoke']));
  given(dawn, late).when(channel('ana', 'invoke'), 114).then(channelled({ step: 0, player: 'ana', seat: 0, rite: 'invoke', tick: 114, quality: 'perfect', halfTicksFromCentre: 0 }));
  given(dawn, late).whenTickEnds(109).then();
});

test('onTick: a window that closes with nobody channelling is a misstep and restarts the window', () => {
  given(dawn).whenTickEnds(108).then();
  given(dawn).whenTickEnds(109).then(misstep(0, 'window_expired', 109));
  given(dawn, misstep(0, 'window_expired', 109)).whenTickEnds(117).then();
  given(dawn, misstep(0, 'window_expired', 109)).whenTickEnds(118).then(misstep(0, 'window_expired', 118));
  given().whenTickEnds(500).then();
});

test('one misstep more than allowed fails the ritual, from a rite or from the clock', () => {
  const twice = [misstep(0, 'wrong_rite', 103, ['ana', 0, 'chant']), misstep(0, 'wrong_rite', 104, ['ana', 0, 'chant'])];
  given(dawn, ...twice).when(channel('bo', 'invoke'), 105).then(misstep(0, 'wrong_player', 105, ['bo', 1, 'invoke']), failed('too_many_missteps', 0, 105));
  const twiceMore = [misstep(1, 'too_early', 106, ['bo', 1, 'offer']), misstep(1, 'wrong_rite', 109, ['bo', 1, 'seal'])];
  given(dawn, invoked, ...twiceMore).whenTickEnds(115).then(misstep(1, 'window_expired', 115), failed('too_many_missteps', 0, 115));
  given(dawn, invoked, ...twiceMore.slice(1)).whenTickEnds(115).then(misstep(1, 'window_expired', 115));
});

test('Abandon: any participant ends the ritual for all, as a failure that keeps its score', () => {
  given(dawn, invoked).when(abandonBy('bo'), 106).then({ type: 'RitualAbandoned', data: { player: 'bo', seat: 1, tick: 106 } }, failed('abandoned', 3, 106));
});

test('refusals: not started, ended, not a participant — for every command', () => {
  const ended = [dawn, { type: 'RitualAbandoned', data: { player: 'bo', seat: 1, tick: 101 } } as const, failed('abandoned', 0, 101)];
  for (const command of [channel('ana', 'invoke'), abandonBy('ana')]) {
    given().when(command, 105).thenRefused('ritual/not_started');
    given(...ended).when(command, 105).thenRefused('ritual/ended');
    given(dawn).when({ ...command, playerId: 'zed' }, 105).thenRefused('ritual/not_participant');
  }
  given(...ended).whenTickEnds(500).then();
});

test('refusal: a seat channels at most one rite per tick, so a double-send is not a second move', () => {
  given(dawn, misstep(0, 'wrong_rite', 104, ['ana', 0, 'chant'])).when(channel('ana', 'invoke'), 104).thenRefused('ritual/already_channelled_this_tick');
  given(dawn, misstep(0, 'wrong_rite', 104, ['ana', 0, 'chant'])).when(channel('bo', 'invoke'), 104).then(misstep(0, 'wrong_player', 104, ['bo', 1, 'invoke']));
  given(dawn, invoked).when(channel('ana', 'offer'), 105).thenRefused('ritual/already_channelled_this_tick');
});

test('judgeTiming: a two-tick window is perfect on both ticks; a one-tick window only on its tick', () => {
  assert.deepEqual(judgeTiming({ earliest: 3, latest: 4 }, 0, 3), { verdict: 'in_window', quality: 'perfect', halfTicksFromCentre: 1 });
  assert.deepEqual(judgeTiming({ earliest: 3, latest: 4 }, 0, 4), { verdict: 'in_window', quality: 'perfect', halfTicksFromCentre: 1 });
  assert.deepEqual(judgeTiming({ earliest: 5, latest: 5 }, 10, 15), { verdict: 'in_window', quality: 'perfect', halfTicksFromCentre: 0 });
  assert.deepEqual(judgeTiming({ earliest: 5, latest: 5 }, 10, 16), { verdict: 'too_late' });
});

// A room in miniature: every tick, decide that tick's commands in order, fold, then run onTick.
type Script = { ritualId: string; participants: string[]; seed: string; ticks: { tick: number; commands: RitualCommand[] }[] };
function play(script: Script): { events: RitualEvent[]; state: RitualState } {
  const events: RitualEvent[] = [];
  let state = ritualDecider.initialState();
  const record = (produced: readonly RitualEvent[]) => { events.push(...produced); state = fold(ritualDecider, state, produced); };
  const start = createRitual(state, script, { tick: 0 });
  if (start.ok) record(start.events);
  const lastTick = script.ticks.at(-1)?.tick ?? 0;
  // Past the script, idle until the ritual ends (the bound only guards against a rules bug).
  for (let tick = 1; tick <= lastTick || (state.status === 'in_progress' && tick <= lastTick + 10_000); tick++) {
    for (const command of script.ticks.find((t) => t.tick === tick)?.commands ?? []) {
      const decision = ritualDecider.decide(state, command, { tick });
      if (decision.ok) record(decision.events);
    }
    record(ritualDecider.onTick(state, { tick }));
  }
  return { events, state };
}

const setting = fc.record({
  ritualId: fc.constantFrom(DAWN, 'tidecall', 'ember-vigil'),
  participants: fc.constantFrom(['ana', 'bo', 'cyd'], ['ana', 'bo', 'cyd', 'dee']).map((seats) => [...seats]),
  seed: fc.string({ minLength: 1, maxLength: 12 }),
});

// Random noise: mostly missteps, refusals and abandons.
const noisyScripts: fc.Arbitrary<Script> = fc
  .record({
    setting,
    steps: fc.array(fc.record({
      gap: fc.nat(6),
      commands: fc.array(fc.record({ playerId: fc.constantFrom('ana', 'bo', 'cyd', 'dee', 'zed'), rite: fc.option(fc.constantFrom(...RiteKind.options), { nil: undefined, freq: 30 }) }), { maxLength: 3 }),
    }), { maxLength: 60 }),
  })
  .map(({ setting, steps }) => {
    let tick = 0;
    const ticks = steps.map(({ gap, commands }) => ({
      tick: (tick += gap + 1),
      commands: commands.map(({ playerId, rite }): RitualCommand => (rite === undefined ? abandonBy(playerId) : channel(playerId, rite))),
    }));
    return { ...setting, ticks };
  });

// A group that knows the ritual: the right seat and rite near each window's centre, with slips.
const faithfulScripts: fc.Arbitrary<Script> = fc
  .record({ setting, plays: fc.array(fc.record({ jitter: fc.integer({ min: -3, max: 3 }), slip: fc.nat(9) }), { minLength: 6, maxLength: 6 }) })
  .map(({ setting, plays }) => {
    const steps = findRitual(setting.ritualId)?.steps ?? [];
    let anchor = 0;
    const ticks = steps.map((step, index) => {
      const play = plays[index] ?? { jitter: 0, slip: 9 };
      const tick = Math.max(anchor + 1, anchor + Math.floor((step.window.earliest + step.window.latest) / 2) + play.jitter);
      const seat = step.seat === 'any' ? index % setting.participants.length : step.seat;
      anchor = tick;
      return { tick, commands: [channel(setting.participants[seat] ?? 'zed', play.slip === 0 ? 'seal' : step.rite)] };
    });
    return { ...setting, ticks };
  });

test('property: the same seed and commands give the same events, and the stored stream folds back to the state', () => {
  const catalog = new EventCatalog(ritualEventDefinitions);
  const outcomes = new Set<string>();
  fc.assert(fc.property(fc.oneof(noisyScripts, faithfulScripts), (script) => {
    const first = play(script);
    assert.deepEqual(play(script), first);
    // Through the catalog and JSON, as a store would keep them.
    const stored = first.events.map((event) => JSON.parse(JSON.stringify({ type: event.type, ...catalog.encode(event.type, event.data, { streamId: 'ritual-p' }) })) as { type: string; schemaVersion: number; data: unknown });
    const decoded = stored.map((e) => ({ type: e.type, data: catalog.decode(e.type, e.schemaVersion, e.data, { streamId: 'ritual-p' }) }) as RitualEvent);
    assert.deepEqual(fold(ritualDecider, initialState(), decoded), first.state);
    // A ritual always ends (idle windows cost missteps), exactly once, with its last event.
    assert.equal(first.state.status, 'ended');
    assert.equal(first.events.filter((event) => event.type === 'RitualCompleted').length, 1);
    const last = first.events.at(-1);
    assert.equal(last?.type, 'RitualCompleted');
    if (last?.type === 'RitualCompleted') outcomes.add(`${last.data.outcome}/${last.data.omen}`);
  }), { numRuns: 400 });
  for (const outcome of ['success/favourable', 'success/silent', 'success/none', 'failure/none']) assert.ok(outcomes.has(outcome), `no run ended ${outcome}`);
});

test('every refusal code and every misstep reason has a spec above', () => {
  assert.deepEqual([...refusalsSeen].sort(), [...ritualRefusalCodes].sort());
  assert.deepEqual([...misstepsSeen].sort(), [...misstepReasons].sort());
});
