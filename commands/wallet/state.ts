// The folded wallet: available balances, open and closed wagers, granted receipts, and
// every idempotency key the wallet has answered (with the hash of the command and the
// version of the event that answered it).
//
// Two ways to fold. `evolve` is the Decider's pure fold: it copies the state, so specs and
// property tests can hold on to every intermediate state. `applyEvent` folds in place: the
// wallet service keeps one private state per wallet and folds each new event into it,
// which keeps a long-lived wallet's fold linear in its events. Both share one body.
import type { WalletEvent } from './events.ts';

export type WagerStatus = 'escrowed' | 'settled' | 'refunded';
export type WagerRecord = { readonly currency: string; readonly stake: number; readonly status: WagerStatus };
export type ProcessedCommand = { readonly commandHash: string; readonly version: number };

export type WalletState = {
  /** Stream version of the last folded event; -1 for a wallet with no events. */
  version: number;
  /** Available funds per currency (escrowed stakes are not in here). Absent means 0. */
  readonly balances: Map<string, number>;
  readonly wagers: Map<string, WagerRecord>;
  /** Receipts granted, as `<platform>.<transactionId>`. */
  readonly receipts: Set<string>;
  readonly processed: Map<string, ProcessedCommand>;
};

export function initialState(): WalletState {
  return { version: -1, balances: new Map(), wagers: new Map(), receipts: new Set(), processed: new Map() };
}

export function cloneState(state: WalletState): WalletState {
  return {
    version: state.version,
    balances: new Map(state.balances),
    wagers: new Map(state.wagers),
    receipts: new Set(state.receipts),
    processed: new Map(state.processed),
  };
}

export const balanceOf = (state: WalletState, currency: string): number => state.balances.get(currency) ?? 0;
export const receiptKey = (platform: string, transactionId: string): string => `${platform}.${transactionId}`;

/** Folds one event into `state` in place. */
export function applyEvent(state: WalletState, event: WalletEvent): void {
  state.version += 1;
  const { idempotencyKey, commandHash } = event.data;
  state.processed.set(idempotencyKey, { commandHash, version: state.version });
  switch (event.type) {
    case 'Credited':
    case 'Debited':
    case 'WagerEscrowed':
    case 'WagerRefunded':
    case 'WagerSettled':
      state.balances.set(event.data.currency, event.data.balanceAfter);
      if (event.type === 'WagerEscrowed') {
        state.wagers.set(event.data.wagerId, { currency: event.data.currency, stake: event.data.amount, status: 'escrowed' });
      } else if (event.type === 'WagerRefunded' || event.type === 'WagerSettled') {
        const wager = state.wagers.get(event.data.wagerId);
        if (!wager) throw new Error(`wallet ${event.data.playerId}: ${event.type} for wager ${event.data.wagerId} that was never escrowed`);
        state.wagers.set(event.data.wagerId, { ...wager, status: event.type === 'WagerSettled' ? 'settled' : 'refunded' });
      }
      return;
    case 'PurchaseGranted':
      for (const grant of event.data.grants) state.balances.set(grant.currency, grant.balanceAfter);
      state.receipts.add(receiptKey(event.data.platform, event.data.transactionId));
      return;
    case 'WalletCommandRefused':
      return;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown wallet event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** The Decider's fold: never mutates its input. */
export function evolve(state: WalletState, event: WalletEvent): WalletState {
  const next = cloneState(state);
  applyEvent(next, event);
  return next;
}

/** Escrowed stakes per currency (wagers still open). */
export function escrowedBalances(state: WalletState): Map<string, number> {
  const held = new Map<string, number>();
  for (const wager of state.wagers.values()) {
    if (wager.status === 'escrowed') held.set(wager.currency, (held.get(wager.currency) ?? 0) + wager.stake);
  }
  return held;
}
