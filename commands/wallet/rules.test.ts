// Specs for every wallet command and every refusal code: given(history).when(command).then(...).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAgainst } from '../../events/testing/ruleTesting.ts';
import { specFor, type SpecOutcome } from '../../events/testing/specs.ts';
import type { Credit, Debit, EscrowWager, GrantPurchase, RefundWager, SettleWager, WalletCommand } from './commands.ts';
import { walletEventDefinitions, type WalletEvent } from './events.ts';
import { walletTransfers } from '../../projections/wallets/ledger.ts';
import { IDEMPOTENCY_KEY_REUSED, walletRefusalCodes, type WalletRefusalCode } from './refusals.ts';
import { commandHash, createWalletDecider, walletDecider } from './rules.ts';
import type { WalletState } from './state.ts';

const given = specFor(walletDecider, { checkEvent: checkAgainst(walletEventDefinitions) });
/** Wallets have no clock; the Decider shape still passes a tick. */
const MAX = Number.MAX_SAFE_INTEGER;

const credit = (key: string, amount: number, currency = 'coins'): Credit => ({
  type: 'Credit', playerId: 'p1', idempotencyKey: key, currency, amount, counterAccount: 'system:rewards', reason: 'battle.victory',
});
const debit = (key: string, amount: number, currency = 'coins'): Debit => ({
  type: 'Debit', playerId: 'p1', idempotencyKey: key, currency, amount, counterAccount: 'shop:items', reason: 'shop.potion',
});
const escrow = (key: string, wagerId: string, amount: number, currency = 'coins'): EscrowWager => ({
  type: 'EscrowWager', playerId: 'p1', idempotencyKey: key, wagerId, currency, amount,
});
const settle = (key: string, wagerId: string, payout: number): SettleWager => ({ type: 'SettleWager', playerId: 'p1', idempotencyKey: key, wagerId, payout });
const refund = (key: string, wagerId: string): RefundWager => ({ type: 'RefundWager', playerId: 'p1', idempotencyKey: key, wagerId });
const purchase = (key: string, transactionId: string, grants = [{ currency: 'coins', amount: 500 }, { currency: 'embers', amount: 5 }]): GrantPurchase => ({
  type: 'GrantPurchase', playerId: 'p1', idempotencyKey: key, platform: 'steam', transactionId, sku: 'starter_pack', grants,
});

/** What the rules record for `command`, built the way a reader would expect it. */
const recorded = (command: WalletCommand) => ({ playerId: command.playerId, idempotencyKey: command.idempotencyKey, commandHash: commandHash(command) });
const credited = (command: Credit, balanceAfter: number): WalletEvent => ({
  type: 'Credited',
  data: { ...recorded(command), currency: command.currency, amount: command.amount, counterAccount: command.counterAccount, reason: command.reason, balanceAfter },
});
const debited = (command: Debit, balanceAfter: number): WalletEvent => ({
  type: 'Debited',
  data: { ...recorded(command), currency: command.currency, amount: command.amount, counterAccount: command.counterAccount, reason: command.reason, balanceAfter },
});
const escrowed = (command: EscrowWager, balanceAfter: number): WalletEvent => ({
  type: 'WagerEscrowed',
  data: { ...recorded(command), wagerId: command.wagerId, currency: command.currency, amount: command.amount, counterAccount: `escrow:${command.wagerId}`, balanceAfter },
});

const covered = new Set<string>();
/** Asserts the command is refused with `code`, recorded as WalletCommandRefused, and moves no money. */
function refused(history: readonly WalletEvent[], command: WalletCommand, code: WalletRefusalCode): SpecOutcome<WalletState, WalletEvent> {
  const start = given(history);
  const outcome = start.when(command);
  const [event, ...rest] = outcome.events();
  assert.equal(rest.length, 0);
  assert.equal(event?.type, 'WalletCommandRefused');
  if (event?.type !== 'WalletCommandRefused') return outcome;
  assert.deepEqual({ ...event.data, message: '' }, { ...recorded(command), command: command.type, code, message: '' });
  assert.ok(event.data.message.length > 0, 'a refusal says why');
  assert.deepEqual(walletTransfers(event), []);
  assert.deepEqual(outcome.stateAfter.balances, start.state.balances);
  assert.deepEqual(outcome.stateAfter.wagers, start.state.wagers);
  // The key is answered: a retry gets this refusal back.
  assert.equal(outcome.stateAfter.processed.get(command.idempotencyKey)?.version, start.state.version + 1);
  covered.add(code);
  return outcome;
}

const c100 = credit('c-100', 100);
const history100 = [credited(c100, 100)];

test('Credit: adds to the available balance from the counter-account', () => {
  given([]).when(c100).then([credited(c100, 100)]);
  const second = credit('c-2', 50);
  const outcome = given(history100).when(second);
  outcome.then([credited(second, 150)]);
  assert.equal(outcome.stateAfter.balances.get('coins'), 150);
  assert.equal(outcome.stateAfter.version, 1);
});

test('Credit: currencies are kept apart', () => {
  const embers = credit('e-1', 7, 'embers');
  const outcome = given(history100).when(embers);
  outcome.then([credited(embers, 7)]);
  assert.deepEqual([...outcome.stateAfter.balances], [['coins', 100], ['embers', 7]]);
});

test('Credit refusals: unknown currency, and a balance past MAX_SAFE_INTEGER', () => {
  const gold = credit('g-1', 5, 'gold');
  refused([], gold, 'wallet/unknown_currency');
  const huge = credit('h-1', MAX - 99);
  refused(history100, huge, 'wallet/balance_overflow');
  // Exactly the limit is fine.
  const exact = credit('h-2', MAX - 100);
  given(history100).when(exact).then([credited(exact, MAX)]);
});

test('a currency list of its own: the rules accept only what the content defines', () => {
  const crowns = credit('k-1', 3, 'crowns');
  const decision = createWalletDecider({ currencies: ['crowns'] }).decide(given([]).state, crowns);
  assert.deepEqual(decision, { ok: true, events: [credited(crowns, 3)] });
});

test('Debit: takes from the available balance into the counter-account, down to exactly zero', () => {
  const d40 = debit('d-40', 40);
  given(history100).when(d40).then([debited(d40, 60)]);
  const all = debit('d-all', 100);
  assert.equal(given(history100).when(all).stateAfter.balances.get('coins'), 0);
});

test('Debit refusals: insufficient funds (never below zero), unknown currency', () => {
  const d101 = debit('d-101', 101);
  assert.equal(refused(history100, d101, 'wallet/insufficient_funds').stateAfter.balances.get('coins'), 100);
  const fromNothing = debit('d-1', 1, 'embers');
  refused(history100, fromNothing, 'wallet/insufficient_funds');
  const gold = debit('g-1', 1, 'gold');
  refused(history100, gold, 'wallet/unknown_currency');
});

const stake = escrow('w-1', 'battle-b1', 30);
const staked = [...history100, escrowed(stake, 70)];

test('EscrowWager: the stake leaves the available balance for escrow:<wagerId>', () => {
  const outcome = given(history100).when(stake);
  outcome.then([escrowed(stake, 70)]);
  assert.deepEqual(outcome.stateAfter.wagers.get('battle-b1'), { currency: 'coins', stake: 30, status: 'escrowed' });
  // Escrowed funds cannot be spent.
  const d71 = debit('d-71', 71);
  refused(staked, d71, 'wallet/insufficient_funds');
});

test('EscrowWager refusals: insufficient funds, a second stake in the same wager, unknown currency', () => {
  const big = escrow('w-big', 'battle-b2', 101);
  refused(history100, big, 'wallet/insufficient_funds');
  const again = escrow('w-again', 'battle-b1', 10);
  refused(staked, again, 'wallet/wager_already_escrowed');
  const gold = escrow('w-gold', 'battle-b3', 1, 'gold');
  refused(history100, gold, 'wallet/unknown_currency');
});

test('SettleWager: the stake goes to the pot and the payout comes out of it', () => {
  const win = settle('s-1', 'battle-b1', 60);
  const outcome = given(staked).when(win);
  outcome.then([{
    type: 'WagerSettled',
    data: {
      ...recorded(win), wagerId: 'battle-b1', currency: 'coins', stake: 30, payout: 60,
      escrowAccount: 'escrow:battle-b1', potAccount: 'pot:battle-b1', balanceAfter: 130,
    },
  }]);
  assert.equal(outcome.stateAfter.wagers.get('battle-b1')?.status, 'settled');
  const [event] = outcome.events();
  assert.ok(event);
  assert.deepEqual(walletTransfers(event), [
    { from: 'escrow:battle-b1', to: 'pot:battle-b1', currency: 'coins', amount: 30 },
    { from: 'pot:battle-b1', to: 'wallet:p1', currency: 'coins', amount: 60 },
  ]);
  // A loss pays nothing: the stake is gone.
  const lose = settle('s-2', 'battle-b1', 0);
  assert.equal(given(staked).when(lose).stateAfter.balances.get('coins'), 70);
});

test('SettleWager refusals: unknown wager, already settled or refunded, overflow', () => {
  const stray = settle('s-stray', 'battle-zz', 10);
  refused(history100, stray, 'wallet/unknown_wager');
  const settledHistory = [...staked, ...given(staked).when(settle('s-1', 'battle-b1', 60)).events()];
  const twice = settle('s-twice', 'battle-b1', 60);
  refused(settledHistory, twice, 'wallet/wager_already_settled');
  const refundedHistory = [...staked, ...given(staked).when(refund('r-1', 'battle-b1')).events()];
  const afterRefund = settle('s-after', 'battle-b1', 60);
  refused(refundedHistory, afterRefund, 'wallet/wager_already_settled');
  const rich = [...staked, credited(credit('c-max', MAX - 70), MAX)];
  const overflow = settle('s-over', 'battle-b1', 1);
  refused(rich, overflow, 'wallet/balance_overflow');
});

test('RefundWager: the stake comes back from escrow', () => {
  const back = refund('r-1', 'battle-b1');
  const outcome = given(staked).when(back);
  outcome.then([{
    type: 'WagerRefunded',
    data: { ...recorded(back), wagerId: 'battle-b1', currency: 'coins', amount: 30, counterAccount: 'escrow:battle-b1', balanceAfter: 100 },
  }]);
  assert.equal(outcome.stateAfter.wagers.get('battle-b1')?.status, 'refunded');
});

test('RefundWager refusals: unknown wager, already closed, overflow', () => {
  const stray = refund('r-stray', 'battle-zz');
  refused(history100, stray, 'wallet/unknown_wager');
  const closed = [...staked, ...given(staked).when(settle('s-1', 'battle-b1', 0)).events()];
  const late = refund('r-late', 'battle-b1');
  refused(closed, late, 'wallet/wager_already_settled');
  const rich = [...staked, credited(credit('c-max', MAX - 80), MAX - 10)];
  const overflow = refund('r-over', 'battle-b1');
  refused(rich, overflow, 'wallet/balance_overflow');
});

test('GrantPurchase: every grant credited from purchases:<platform>, the receipt remembered', () => {
  const buy = purchase('purchase:steam.1001', '1001');
  const outcome = given(history100).when(buy);
  outcome.then([{
    type: 'PurchaseGranted',
    data: {
      ...recorded(buy), platform: 'steam', transactionId: '1001', sku: 'starter_pack', counterAccount: 'purchases:steam',
      grants: [{ currency: 'coins', amount: 500, balanceAfter: 600 }, { currency: 'embers', amount: 5, balanceAfter: 5 }],
    },
  }]);
  assert.ok(outcome.stateAfter.receipts.has('steam.1001'));
});

test('GrantPurchase refusals: the same receipt under another key, unknown currency, overflow', () => {
  const buy = purchase('purchase:steam.1001', '1001');
  const bought = [...history100, ...given(history100).when(buy).events()];
  const again = purchase('other-key', '1001');
  refused(bought, again, 'wallet/purchase_already_granted');
  const gold = purchase('p-gold', '1002', [{ currency: 'gold', amount: 1 }]);
  refused(history100, gold, 'wallet/unknown_currency');
  const huge = purchase('p-huge', '1003', [{ currency: 'embers', amount: 1 }, { currency: 'coins', amount: MAX }]);
  // All or nothing: the embers before the overflowing coins were not granted either.
  assert.equal(refused(history100, huge, 'wallet/balance_overflow').stateAfter.balances.get('embers'), undefined);
});

test('a retried command (same key, same content) yields nothing new: the original event is the answer', () => {
  given(history100).when(c100).then([]);
  // Also for a refusal: the recorded refusal stands, even once the funds are there.
  const d500 = debit('d-500', 500);
  const refusedOnce = [...history100, ...given(history100).when(d500).events()];
  const richer = [...refusedOnce, credited(credit('c-1000', 1000), 1100)];
  given(richer).when(d500).then([]);
});

test('the same key with different content is refused, unrecorded, with wallet/idempotency_key_reused', () => {
  const outcome = given(history100).when(credit('c-100', 101));
  assert.equal(outcome.decision.ok, false);
  if (!outcome.decision.ok) assert.equal(outcome.decision.refusal.code, IDEMPOTENCY_KEY_REUSED);
  const otherCommand = given(history100).when(debit('c-100', 1));
  assert.equal(!otherCommand.decision.ok && otherCommand.decision.refusal.code, IDEMPOTENCY_KEY_REUSED);
});

test('every refusal code has a spec', () => {
  assert.deepEqual([...covered].sort(), [...walletRefusalCodes].sort());
});
