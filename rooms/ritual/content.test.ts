// The content table and its schema: the shipped rituals load, and broken ones are caught at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RitualContent, RitualDefinition, ritualContent, ritualContentVersion } from './content.ts';
import { RitualCreated } from './events.ts';

const [dawn] = ritualContent.rituals;
assert.ok(dawn);

test('the shipped content has three rituals under its version', () => {
  assert.equal(ritualContent.version, ritualContentVersion);
  assert.deepEqual(ritualContent.rituals.map((r) => r.name), ['Anointing of the Dawn', 'Tidecall', 'Ember Vigil']);
});

test('the schema rejects windows that close before they open, unreachable seats and bad party sizes', () => {
  const step = dawn.steps[0];
  assert.ok(step);
  const broken = [
    { ...dawn, steps: [{ ...step, window: { earliest: 5, latest: 4 } }] },
    { ...dawn, steps: [{ ...step, seat: 2 }] }, // only two seats are guaranteed
    { ...dawn, minParticipants: 4, maxParticipants: 3 },
    { ...dawn, steps: [] },
    { ...dawn, omen: { anointment: 'anointment/x', numerator: 5, denominator: 4 } },
  ];
  for (const ritual of broken) assert.equal(RitualDefinition.safeParse(ritual).success, false, JSON.stringify(ritual));
});

test('the schema rejects two rituals with one id', () => {
  assert.equal(RitualContent.safeParse({ version: 'v', rituals: [dawn, dawn] }).success, false);
});

test('RitualCreated must carry the definition of the ritual it names', () => {
  const data = { rulesVersion: 'r', contentVersion: 'c', ritualId: dawn.id, definition: dawn, participants: ['a', 'b'], seed: 's', tick: 0 };
  assert.equal(RitualCreated.schema.safeParse(data).success, true);
  assert.equal(RitualCreated.schema.safeParse({ ...data, ritualId: 'tidecall' }).success, false);
});
