// Property tests of the wallet rules over random command sequences across several wallets
// and shared wagers: balances never go negative, the ledger of everything recorded sums to
// zero, the ledger agrees with each wallet's folded state, and retries change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fold } from '../../events/decider.ts';
import { checkAgainst } from '../../events/testing/ruleTesting.ts';
import type { WalletCommand } from './commands.ts';
import { walletEventDefinitions, type WalletEvent } from './events.ts';
import { postings, walletTransfers } from '../../projections/wallets/ledger.ts';
import { walletRefusalCodes } from './refusals.ts';
import { walletDecider } from './rules.ts';
import { escrowedBalances, type WalletState } from './state.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const players = ['p1', 'p2', 'p3'];
const wagers = ['battle-a', 'battle-b'];
const checkEvent = checkAgainst(walletEventDefinitions);

// Mostly small amounts (so sequences interact), some near the limit (so overflow is exercised);
// credits run larger than spends, so stakes often go through and wagers get closed.
const amount = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: MAX - 300, max: MAX }) });
const income = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 100, max: 1000 }) }, { weight: 1, arbitrary: fc.integer({ min: MAX - 300, max: MAX }) });
const currency = fc.constantFrom('coins', 'embers');
const player = fc.constantFrom(...players);
const wager = fc.constantFrom(...wagers);
// A key pool small enough that keys come back (reused with other content, or as exact
// retries), large enough that most commands are new.
const key = fc.integer({ min: 0, max: 150 }).map((n) => `k${n}`);

const command: fc.Arbitrary<WalletCommand> = fc.oneof(
  fc.record({ type: fc.constant('Credit' as const), playerId: player, idempotencyKey: key, currency, amount: income, counterAccount: fc.constant('system:rewards'), reason: fc.constant('test.credit') }),
  fc.record({ type: fc.constant('Debit' as const), playerId: player, idempotencyKey: key, currency, amount, counterAccount: fc.constant('shop:items'), reason: fc.constant('test.debit') }),
  fc.record({ type: fc.constant('EscrowWager' as const), playerId: player, idempotencyKey: key, wagerId: wager, currency, amount }),
  fc.record({ type: fc.constant('SettleWager' as const), playerId: player, idempotencyKey: key, wagerId: wager, payout: fc.oneof(fc.constant(0), amount) }),
  fc.record({ type: fc.constant('RefundWager' as const), playerId: player, idempotencyKey: key, wagerId: wager }),
  fc.record({
    type: fc.constant('GrantPurchase' as const), playerId: player, idempotencyKey: key, platform: fc.constant('steam' as const),
    transactionId: fc.integer({ min: 1, max: 5 }).map(String), sku: fc.constant('starter_pack'),
    grants: fc.uniqueArray(fc.record({ currency, amount }), { minLength: 1, maxLength: 2, selector: (g) => g.currency }),
  }),
);

/** Event types and refusal codes the generated sequences reached, so the properties cannot hold vacuously. */
const seen = new Set<string>();

type World = { logs: Map<string, WalletEvent[]>; states: Map<string, WalletState> };

function run(commands: readonly WalletCommand[], check: (world: World, produced: readonly WalletEvent[], command: WalletCommand) => void): World {
  const world: World = { logs: new Map(players.map((p) => [p, []])), states: new Map(players.map((p) => [p, walletDecider.initialState()])) };
  for (const cmd of commands) {
    const state = world.states.get(cmd.playerId)!;
    const decision = walletDecider.decide(state, cmd);
    const produced = decision.ok ? decision.events : [];
    produced.forEach(checkEvent);
    for (const event of produced) seen.add(event.type === 'WalletCommandRefused' ? event.data.code : event.type);
    world.logs.get(cmd.playerId)!.push(...produced);
    world.states.set(cmd.playerId, fold(walletDecider, state, produced));
    check(world, produced, cmd);
  }
  return world;
}

/** Sum per account and currency of every movement recorded in all wallets (BigInt: no rounding, whatever the sums). */
function ledger(world: World): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const log of world.logs.values()) {
    for (const event of log) {
      for (const transfer of walletTransfers(event)) {
        for (const line of postings(transfer)) {
          const id = `${line.account}|${line.currency}`;
          sums.set(id, (sums.get(id) ?? 0n) + BigInt(line.delta));
        }
      }
    }
  }
  return sums;
}

test('random credits, debits, escrows, settlements, refunds and purchases: never negative, the ledger sums to zero and matches the wallets', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 80, size: 'max' }), (commands) => {
      run(commands, (world) => {
        const sums = ledger(world);
        for (const c of ['coins', 'embers']) {
          const total = [...sums].filter(([id]) => id.endsWith(`|${c}`)).reduce((sum, [, value]) => sum + value, 0n);
          assert.equal(total, 0n, `the ${c} ledger sums to zero`);
        }
        for (const [playerId, state] of world.states) {
          for (const [c, balance] of state.balances) {
            assert.ok(Number.isSafeInteger(balance) && balance >= 0, `${playerId} ${c} balance ${balance} stays a non-negative safe integer`);
            assert.equal(sums.get(`wallet:${playerId}|${c}`) ?? 0n, BigInt(balance), `the ledger holds ${playerId}'s available ${c}`);
          }
        }
        // Each escrow account holds exactly the stakes still open in the wallets.
        for (const wagerId of wagers) {
          for (const c of ['coins', 'embers']) {
            let open = 0n;
            for (const state of world.states.values()) {
              const w = state.wagers.get(wagerId);
              if (w?.status === 'escrowed' && w.currency === c) open += BigInt(w.stake);
            }
            assert.equal(sums.get(`escrow:${wagerId}|${c}`) ?? 0n, open, `escrow:${wagerId} holds the open ${c} stakes`);
          }
        }
      });
    }),
    { numRuns: 300 },
  );
});

test('every new command records exactly one event; a retried one records nothing and changes nothing', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), fc.nat(), (commands, pick) => {
      const answered = new Map<string, WalletCommand>();
      const world = run(commands, (_world, produced, cmd) => {
        const id = `${cmd.playerId}|${cmd.idempotencyKey}`;
        const before = answered.get(id);
        if (!before) {
          assert.equal(produced.length, 1);
          answered.set(id, cmd);
        } else {
          assert.equal(produced.length, 0, 'a key is answered once');
        }
      });
      // Replaying any earlier command is a retry: no events, the same state.
      const again = commands[pick % commands.length]!;
      const original = answered.get(`${again.playerId}|${again.idempotencyKey}`)!;
      const state = world.states.get(original.playerId)!;
      const decision = walletDecider.decide(state, original);
      assert.deepEqual(decision, { ok: true, events: [] });
    }),
    { numRuns: 200 },
  );
});

test('the open stakes of a wallet are never counted as available', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), (commands) => {
      const world = run(commands, () => undefined);
      for (const [playerId, log] of world.logs) {
        const state = world.states.get(playerId)!;
        const held = escrowedBalances(state);
        for (const [c, stake] of held) {
          // Whatever is held, a debit of the available balance plus one unit is refused.
          const available = state.balances.get(c) ?? 0;
          if (available + 1 > MAX) continue;
          const probe: WalletCommand = { type: 'Debit', playerId, idempotencyKey: 'probe', currency: c, amount: available + 1, counterAccount: 'shop:items', reason: 'test.probe' };
          const decision = walletDecider.decide(state, probe);
          const event = decision.ok ? decision.events[0] : undefined;
          assert.ok(stake > 0);
          assert.equal(event?.type === 'WalletCommandRefused' ? event.data.code : event?.type, 'wallet/insufficient_funds', `${log.length} events`);
        }
      }
    }),
    { numRuns: 100 },
  );
});

test('the generated sequences reached every event type and every recorded refusal', () => {
  assert.deepEqual([...seen].filter((type) => !type.startsWith('wallet/')).sort(), walletEventDefinitions.map((d) => d.type).filter((t) => t !== 'WalletCommandRefused').sort());
  assert.deepEqual([...seen].filter((type) => type.startsWith('wallet/')).sort(), [...walletRefusalCodes].filter((code) => code !== 'wallet/unknown_currency').sort());
});
