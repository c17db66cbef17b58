// Specs for what the end of a tick does on its own: burn pulses, status expiry, and the
// battle ending on defeat or at the tick limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BattleEvent } from './events.ts';
import { START, TICK_LIMIT, cast, created, given, play, squads, statusOn, wounded } from './testing/fixtures.ts';
import type { StatusInstance } from './model.ts';

const LAST = START + TICK_LIMIT - 1;
const burn = (targetId: string, appliedAtTick: number): StatusInstance =>
  ({ kind: 'burn', sourceId: 'ember', appliedAtTick, expiresAtTick: appliedAtTick + 120, damagePerPulse: 10, pulseEveryTicks: 20 });
const burning = [created(), statusOn('zephyr', 'kindle', burn('zephyr', START))];

test('onTick: a burn pulses every pulseEveryTicks after it lands, and not in between', () => {
  given(burning).whenTick({ tick: START + 20 }).then([
    { type: 'DamageDealt', data: { sourceId: 'ember', targetId: 'zephyr', amount: 10, absorbed: 0, hpAfter: 390, shieldAfter: 0, cause: { kind: 'burn' } } },
  ]);
  given(burning).whenTick({ tick: START }).then([]);
  given(burning).whenTick({ tick: START + 21 }).then([]);
});

test('onTick: a burn pulses on its last tick, then expires', () => {
  given(burning).whenTick({ tick: START + 120 }).then([
    { type: 'DamageDealt', data: { sourceId: 'ember', targetId: 'zephyr', amount: 10, absorbed: 0, hpAfter: 390, shieldAfter: 0, cause: { kind: 'burn' } } },
    { type: 'StatusExpired', data: { oracleId: 'zephyr', kind: 'burn' } },
  ]);
});

test('onTick: a shield soaks burn damage', () => {
  const shielded: BattleEvent = { type: 'ShieldRaised', data: { sourceId: 'zephyr', targetId: 'zephyr', abilityId: 'second-wind', amount: 4, shieldAfter: 4 } };
  const pulse = given([...burning, shielded]).whenTick({ tick: START + 20 }).events()[0];
  assert.deepEqual(pulse?.type === 'DamageDealt' && [pulse.data.absorbed, pulse.data.amount, pulse.data.shieldAfter], [4, 6, 0]);
});

test('onTick: a burn that fells the last oracle ends the battle', () => {
  given([...burning, wounded('ember', 'zephyr', 395, 5)]).whenTick({ tick: START + 20 }).then([
    { type: 'DamageDealt', data: { sourceId: 'ember', targetId: 'zephyr', amount: 5, absorbed: 0, hpAfter: 0, shieldAfter: 0, cause: { kind: 'burn' } } },
    { type: 'OracleFell', data: { oracleId: 'zephyr', cause: 'burn', byOracleId: 'ember' } },
    { type: 'BattleEnded', data: { winnerSide: 'a', reason: 'defeat', sides: [{ side: 'a', hpPercent: 100 }, { side: 'b', hpPercent: 0 }], wager: null } },
  ]);
});

test('onTick: both sides burning out in the same tick is a draw', () => {
  const history = [
    created({ wager: { currency: 'crowns', amount: 50 } }),
    statusOn('zephyr', 'kindle', burn('zephyr', START)),
    statusOn('ember', 'kindle', { ...burn('ember', START), sourceId: 'zephyr' }),
    wounded('ember', 'zephyr', 395, 5),
    wounded('zephyr', 'ember', 495, 5),
  ];
  const ended = given(history).whenTick({ tick: START + 20 }).events().at(-1);
  assert.deepEqual(ended, { type: 'BattleEnded', data: { winnerSide: null, reason: 'defeat',
    sides: [{ side: 'a', hpPercent: 0 }, { side: 'b', hpPercent: 0 }],
    wager: { currency: 'crowns', stake: 50, pot: 100, payouts: [{ playerId: 'p1', amount: 50 }, { playerId: 'p2', amount: 50 }] } } });
});

test('onTick: a stun is active through its expiry tick and gone after it', () => {
  const stun: StatusInstance = { kind: 'stun', sourceId: 'zephyr', appliedAtTick: START, expiresAtTick: START + 20 };
  const history = [created(), statusOn('ember', 'thunderclap', stun)];
  given(history).whenTick({ tick: START + 19 }).then([]);
  given(history).whenTick({ tick: START + 20 }).then([{ type: 'StatusExpired', data: { oracleId: 'ember', kind: 'stun' } }]);
});

test('onTick: at the tick limit the side with more HP percent wins', () => {
  // Side a: 500 / 500 = 100 %. Side b: 300 / 400 = 75 %.
  const history = [created(), wounded('ember', 'zephyr', 100, 300)];
  given(history).whenTick({ tick: LAST - 1 }).then([]);
  given(history).whenTick({ tick: LAST }).then([
    { type: 'BattleEnded', data: { winnerSide: 'a', reason: 'tick_limit', sides: [{ side: 'a', hpPercent: 100 }, { side: 'b', hpPercent: 75 }], wager: null } },
  ]);
});

test('onTick: at the tick limit equal HP percents draw, counting whole squads', () => {
  // Side a: (250 + 225) / (500 + 450) = 50 %. Side b: (200 + 300) / (400 + 600) = 50 %.
  const history = [
    created({ participants: squads }),
    wounded('zephyr', 'ember', 250, 250), wounded('zephyr', 'tide', 225, 225),
    wounded('ember', 'zephyr', 200, 200), wounded('ember', 'boulder', 300, 300),
  ];
  const ended = given(history).whenTick({ tick: LAST }).events()[0];
  assert.deepEqual(ended?.type === 'BattleEnded' && [ended.data.winnerSide, ended.data.sides], [null, [{ side: 'a', hpPercent: 50 }, { side: 'b', hpPercent: 50 }]]);
});

test('onTick: nothing happens before creation, before the start tick, or after the end', () => {
  given([]).whenTick({ tick: START }).then([]);
  given(burning).whenTick({ tick: START - 1 }).then([]);
  given(play([created()], [cast('p1', 'ember', 'kindle', 'zephyr'), START], ['tick', LAST])).whenTick({ tick: LAST + 20 }).then([]);
});
