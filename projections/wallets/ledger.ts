// The double-entry view of wallet events: each event becomes transfers, each transfer a
// debit on one account and a credit on another, so the ledger of any set of wallet events
// sums to zero per currency. The ledger read model turns events into rows with this, and
// the property tests hold the rules to it.
import type { WalletEvent } from '../../commands/wallet/events.ts';
import { walletAccount } from '../../commands/wallet/model.ts';

/** `amount` of `currency` leaves `from` (its debit line) and reaches `to` (its credit line). */
export type Transfer = { readonly from: string; readonly to: string; readonly currency: string; readonly amount: number };

/** The transfers one wallet event records, in order; none for a refusal or a zero payout. */
export function walletTransfers(event: WalletEvent): Transfer[] {
  const player = walletAccount(event.data.playerId);
  switch (event.type) {
    case 'Credited':
      return [{ from: event.data.counterAccount, to: player, currency: event.data.currency, amount: event.data.amount }];
    case 'Debited':
    case 'WagerEscrowed':
      return [{ from: player, to: event.data.counterAccount, currency: event.data.currency, amount: event.data.amount }];
    case 'WagerRefunded':
      return [{ from: event.data.counterAccount, to: player, currency: event.data.currency, amount: event.data.amount }];
    case 'WagerSettled': {
      const { escrowAccount, potAccount, currency, stake, payout } = event.data;
      const transfers: Transfer[] = [{ from: escrowAccount, to: potAccount, currency, amount: stake }];
      if (payout > 0) transfers.push({ from: potAccount, to: player, currency, amount: payout });
      return transfers;
    }
    case 'PurchaseGranted':
      return event.data.grants.map((grant) => ({ from: event.data.counterAccount, to: player, currency: grant.currency, amount: grant.amount }));
    case 'WalletCommandRefused':
      return [];
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown wallet event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** One line per side of a transfer: negative on the account debited, positive on the one credited. */
export type Posting = { readonly account: string; readonly currency: string; readonly delta: number };

export function postings(transfer: Transfer): [Posting, Posting] {
  return [
    { account: transfer.from, currency: transfer.currency, delta: -transfer.amount },
    { account: transfer.to, currency: transfer.currency, delta: transfer.amount },
  ];
}
