// The wallet's rules: pure functions of (state, command). No clock, no randomness, integer
// math; an amount that would push a balance past Number.MAX_SAFE_INTEGER is refused.
//
// Every new command yields exactly one event: its effect, or WalletCommandRefused with a
// stable code (so refusals are recorded and a retry returns them). A command whose key the
// wallet has already answered yields nothing when its content matches (the original event
// is the answer) and is refused, unrecorded, with `wallet/idempotency_key_reused` otherwise.
import { canonicalJson, sha256Hex } from '../../events/canonical.ts';
import { accept, refuse, type Decider, type Decision } from '../../events/decider.ts';
import type { Credit, Debit, EscrowWager, GrantPurchase, RefundWager, SettleWager, WalletCommand } from './commands.ts';
import type { WalletCommandRefused, WalletEvent } from './events.ts';
import { escrowAccount, potAccount, purchasesAccount, walletCurrencies } from './model.ts';
import { IDEMPOTENCY_KEY_REUSED, type WalletRefusalCode } from './refusals.ts';
import { applyEvent, balanceOf, cloneState, evolve, initialState, receiptKey, type WalletState } from './state.ts';

const MAX = Number.MAX_SAFE_INTEGER;

/** SHA-256 of the command's canonical JSON: what a retry under the same key must match. */
export function commandHash(command: WalletCommand): string {
  return sha256Hex(canonicalJson(command));
}

/** Whether the wallet has answered this command's key before, and if so with the same content. */
export type Recall =
  | { readonly kind: 'new' }
  | { readonly kind: 'retry'; readonly version: number }
  | { readonly kind: 'reused'; readonly version: number };

export function recall(state: WalletState, command: WalletCommand, hash: string = commandHash(command)): Recall {
  const seen = state.processed.get(command.idempotencyKey);
  if (!seen) return { kind: 'new' };
  return seen.commandHash === hash ? { kind: 'retry', version: seen.version } : { kind: 'reused', version: seen.version };
}

export type WalletDeciderOptions = {
  /** The currencies the game defines; default: `walletCurrencies`. */
  readonly currencies?: readonly string[];
};

type Context = { readonly state: WalletState; readonly hash: string; readonly currencies: ReadonlySet<string> };

export function createWalletDecider(options: WalletDeciderOptions = {}): Decider<WalletState, WalletCommand, WalletEvent> {
  const currencies: ReadonlySet<string> = new Set(options.currencies ?? walletCurrencies);
  const decide = (state: WalletState, command: WalletCommand): Decision<WalletEvent> => {
    const hash = commandHash(command);
    const prior = recall(state, command, hash);
    if (prior.kind === 'retry') return accept();
    if (prior.kind === 'reused') {
      return refuse(IDEMPOTENCY_KEY_REUSED, `idempotency key ${command.idempotencyKey} was used for a different command (recorded at version ${prior.version})`);
    }
    const ctx: Context = { state, hash, currencies };
    return accept(decideNew(ctx, command));
  };
  // Wallets have no clock: nothing happens between commands.
  return { initialState, decide, evolve };
}

export const walletDecider = createWalletDecider();

/**
 * Several commands of one wallet decided as one, each against the state the ones before it
 * left: what a wallet's lane appends in one commit. Never refused as a whole; a command the
 * wallet refuses without recording (a reused key) adds nothing, and the caller answers it
 * from the state after (see `recall`).
 */
export function walletBatchDecider(decider: Decider<WalletState, WalletCommand, WalletEvent>): Decider<WalletState, readonly WalletCommand[], WalletEvent> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide(state, commands) {
      const working = cloneState(state);
      const events: WalletEvent[] = [];
      for (const command of commands) {
        const decision = decider.decide(working, command);
        if (!decision.ok) continue;
        for (const event of decision.events) {
          applyEvent(working, event);
          events.push(event);
        }
      }
      return accept(...events);
    },
  };
}

/** Folds a batch of events into one copy of the state (evolve copies per event). */
export function foldWallet(state: WalletState, events: readonly WalletEvent[]): WalletState {
  const next = cloneState(state);
  for (const event of events) applyEvent(next, event);
  return next;
}

function decideNew(ctx: Context, command: WalletCommand): WalletEvent {
  switch (command.type) {
    case 'Credit':
      return credit(ctx, command);
    case 'Debit':
      return debit(ctx, command);
    case 'EscrowWager':
      return escrow(ctx, command);
    case 'SettleWager':
      return settle(ctx, command);
    case 'RefundWager':
      return refund(ctx, command);
    case 'GrantPurchase':
      return grantPurchase(ctx, command);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown wallet command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function recorded(ctx: Context, command: WalletCommand) {
  return { playerId: command.playerId, idempotencyKey: command.idempotencyKey, commandHash: ctx.hash };
}

function refused(ctx: Context, command: WalletCommand, code: WalletRefusalCode, message: string): WalletCommandRefused {
  return { type: 'WalletCommandRefused', data: { ...recorded(ctx, command), command: command.type, code, message } };
}

function unknownCurrency(ctx: Context, command: WalletCommand, currency: string): WalletCommandRefused | undefined {
  if (ctx.currencies.has(currency)) return undefined;
  return refused(ctx, command, 'wallet/unknown_currency', `${currency} is not a currency (known: ${[...ctx.currencies].join(', ')})`);
}

/** The balance after adding `amount`, or a refusal if it would pass MAX_SAFE_INTEGER. */
function added(ctx: Context, command: WalletCommand, currency: string, amount: number): number | WalletCommandRefused {
  const balance = balanceOf(ctx.state, currency);
  if (amount > MAX - balance) return refused(ctx, command, 'wallet/balance_overflow', `${currency} ${balance} + ${amount} would pass the largest balance a wallet can hold`);
  return balance + amount;
}

/** The balance after taking `amount`, or a refusal if it would go below zero. */
function taken(ctx: Context, command: WalletCommand, currency: string, amount: number): number | WalletCommandRefused {
  const balance = balanceOf(ctx.state, currency);
  if (amount > balance) return refused(ctx, command, 'wallet/insufficient_funds', `needs ${amount} ${currency}, has ${balance} available`);
  return balance - amount;
}

function credit(ctx: Context, command: Credit): WalletEvent {
  const { currency, amount, counterAccount, reason } = command;
  const after = unknownCurrency(ctx, command, currency) ?? added(ctx, command, currency, amount);
  if (typeof after !== 'number') return after;
  return { type: 'Credited', data: { ...recorded(ctx, command), currency, amount, counterAccount, reason, balanceAfter: after } };
}

function debit(ctx: Context, command: Debit): WalletEvent {
  const { currency, amount, counterAccount, reason } = command;
  const after = unknownCurrency(ctx, command, currency) ?? taken(ctx, command, currency, amount);
  if (typeof after !== 'number') return after;
  return { type: 'Debited', data: { ...recorded(ctx, command), currency, amount, counterAccount, reason, balanceAfter: after } };
}

function escrow(ctx: Context, command: EscrowWager): WalletEvent {
  const { wagerId, currency, amount } = command;
  if (ctx.state.wagers.has(wagerId)) return refused(ctx, command, 'wallet/wager_already_escrowed', `this wallet already staked in wager ${wagerId}`);
  const after = unknownCurrency(ctx, command, currency) ?? taken(ctx, command, currency, amount);
  if (typeof after !== 'number') return after;
  return {
    type: 'WagerEscrowed',
    data: { ...recorded(ctx, command), wagerId, currency, amount, counterAccount: escrowAccount(wagerId), balanceAfter: after },
  };
}

function openWager(ctx: Context, command: SettleWager | RefundWager) {
  const wager = ctx.state.wagers.get(command.wagerId);
  if (!wager) return refused(ctx, command, 'wallet/unknown_wager', `this wallet has no stake in wager ${command.wagerId}`);
  if (wager.status !== 'escrowed') return refused(ctx, command, 'wallet/wager_already_settled', `wager ${command.wagerId} was already ${wager.status} in this wallet`);
  return wager;
}

function settle(ctx: Context, command: SettleWager): WalletEvent {
  const wager = openWager(ctx, command);
  if ('type' in wager) return wager;
  const { wagerId, payout } = command;
  const after = added(ctx, command, wager.currency, payout);
  if (typeof after !== 'number') return after;
  return {
    type: 'WagerSettled',
    data: {
      ...recorded(ctx, command), wagerId, currency: wager.currency, stake: wager.stake, payout,
      escrowAccount: escrowAccount(wagerId), potAccount: potAccount(wagerId), balanceAfter: after,
    },
  };
}

function refund(ctx: Context, command: RefundWager): WalletEvent {
  const wager = openWager(ctx, command);
  if ('type' in wager) return wager;
  const after = added(ctx, command, wager.currency, wager.stake);
  if (typeof after !== 'number') return after;
  return {
    type: 'WagerRefunded',
    data: {
      ...recorded(ctx, command), wagerId: command.wagerId, currency: wager.currency, amount: wager.stake,
      counterAccount: escrowAccount(command.wagerId), balanceAfter: after,
    },
  };
}

function grantPurchase(ctx: Context, command: GrantPurchase): WalletEvent {
  const { platform, transactionId, sku } = command;
  if (ctx.state.receipts.has(receiptKey(platform, transactionId))) {
    return refused(ctx, command, 'wallet/purchase_already_granted', `${platform} transaction ${transactionId} was already granted to this wallet`);
  }
  const grants: { currency: string; amount: number; balanceAfter: number }[] = [];
  for (const { currency, amount } of command.grants) {
    const after = unknownCurrency(ctx, command, currency) ?? added(ctx, command, currency, amount);
    if (typeof after !== 'number') return after;
    grants.push({ currency, amount, balanceAfter: after });
  }
  return {
    type: 'PurchaseGranted',
    data: { ...recorded(ctx, command), platform, transactionId, sku, counterAccount: purchasesAccount(platform), grants },
  };
}
