// Wallets read model: each player's balances (available and held in escrow) and the
// double-entry ledger behind them. Every wallet event becomes transfers
// (commands/wallet/ledger.ts), each transfer two postings — a debit line on the account
// money left and a credit line on the one it reached — so the ledger sums to zero.
import type { RecordedEvent } from '../../events/envelope.ts';
import { postings, walletTransfers } from './ledger.ts';
import { walletEventTypes, type WalletEvent } from '../../commands/wallet/events.ts';
import { defineProjection } from '../../events/processor.ts';

/** Why money moved, as the ledger shows it. */
function reasonOf(event: WalletEvent): string {
  switch (event.type) {
    case 'Credited':
    case 'Debited':
      return event.data.reason;
    case 'WagerEscrowed':
      return 'wager.escrow';
    case 'WagerSettled':
      return 'wager.settle';
    case 'WagerRefunded':
      return 'wager.refund';
    case 'PurchaseGranted':
      return `purchase.${event.data.platform}`;
    case 'WalletCommandRefused':
      return 'refused';
  }
}

/** How an event changes a player's balances: the available balance it left, and escrow moved. */
function balanceChanges(event: WalletEvent): { currency: string; available: number; escrowed: number }[] {
  switch (event.type) {
    case 'Credited':
    case 'Debited':
      return [{ currency: event.data.currency, available: event.data.balanceAfter, escrowed: 0 }];
    case 'WagerEscrowed':
      return [{ currency: event.data.currency, available: event.data.balanceAfter, escrowed: event.data.amount }];
    case 'WagerSettled':
      return [{ currency: event.data.currency, available: event.data.balanceAfter, escrowed: -event.data.stake }];
    case 'WagerRefunded':
      return [{ currency: event.data.currency, available: event.data.balanceAfter, escrowed: -event.data.amount }];
    case 'PurchaseGranted':
      return event.data.grants.map((grant) => ({ currency: grant.currency, available: grant.balanceAfter, escrowed: 0 }));
    case 'WalletCommandRefused':
      return [];
  }
}

type Balance = { player: string; currency: string; available: number; escrowed: number; position: number };

export const walletsProjection = defineProjection({
  name: 'wallets',
  version: 1,
  tables: {
    balances: {
      columns: `player_id text NOT NULL, currency text NOT NULL, available bigint NOT NULL, escrowed bigint NOT NULL,
                updated_position bigint NOT NULL, PRIMARY KEY (player_id, currency)`,
    },
    ledger: {
      columns: `position bigint NOT NULL, line smallint NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL,
                player_id text NOT NULL, account text NOT NULL, counter_account text NOT NULL, currency text NOT NULL,
                delta bigint NOT NULL, reason text NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (position, line)`,
      indexes: ['account, position DESC, line DESC'],
    },
  },
  eventTypes: walletEventTypes,
  async apply(tx, events, tables) {
    const balances = new Map<string, Balance>();
    const lines = { position: [] as number[], line: [] as number[], eventId: [] as string[], type: [] as string[], player: [] as string[],
      account: [] as string[], counter: [] as string[], currency: [] as string[], delta: [] as number[], reason: [] as string[], at: [] as string[] };
    for (const recorded of events as readonly RecordedEvent<WalletEvent['type']>[]) {
      const event = { type: recorded.type, data: recorded.data } as WalletEvent;
      const player = event.data.playerId;
      for (const change of balanceChanges(event)) {
        const key = `${player}\u0000${change.currency}`;
        const current = balances.get(key) ?? { player, currency: change.currency, available: 0, escrowed: 0, position: 0 };
        balances.set(key, { ...current, available: change.available, escrowed: current.escrowed + change.escrowed, position: recorded.position });
      }
      let line = 0;
      for (const transfer of walletTransfers(event)) {
        for (const posting of postings(transfer)) {
          lines.position.push(recorded.position);
          lines.line.push(line++);
          lines.eventId.push(recorded.id);
          lines.type.push(recorded.type);
          lines.player.push(player);
          lines.account.push(posting.account);
          lines.counter.push(posting.account === transfer.from ? transfer.to : transfer.from);
          lines.currency.push(posting.currency);
          lines.delta.push(posting.delta);
          lines.reason.push(reasonOf(event));
          lines.at.push(recorded.metadata.recordedAt);
        }
      }
    }
    if (lines.position.length > 0) {
      await tx.query(
        `INSERT INTO ${tables.ledger} (position, line, event_id, event_type, player_id, account, counter_account, currency, delta, reason, recorded_at)
         SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::timestamptz[])`,
        [lines.position, lines.line, lines.eventId, lines.type, lines.player, lines.account, lines.counter, lines.currency, lines.delta, lines.reason, lines.at],
      );
    }
    if (balances.size > 0) {
      const rows = [...balances.values()];
      await tx.query(
        `INSERT INTO ${tables.balances} AS b (player_id, currency, available, escrowed, updated_position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
         ON CONFLICT (player_id, currency) DO UPDATE
           SET available = EXCLUDED.available, escrowed = b.escrowed + EXCLUDED.escrowed, updated_position = EXCLUDED.updated_position`,
        [rows.map((r) => r.player), rows.map((r) => r.currency), rows.map((r) => r.available), rows.map((r) => r.escrowed), rows.map((r) => r.position)],
      );
    }
  },
});

