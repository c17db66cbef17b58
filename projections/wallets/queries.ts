// What readers ask of the wallets read model: a player's balances, and their ledger a
// page at a time (newest first, keyset-paged so pages stay stable while money moves).
import { z } from 'zod';
import { walletAccount } from '../../commands/wallet/model.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';

export const WalletView = z.object({
  playerId: z.string(),
  balances: z.array(z.object({ currency: z.string(), available: z.int(), escrowed: z.int() })),
});
export type WalletView = z.infer<typeof WalletView>;

export const LedgerLine = z.object({
  position: z.int(),
  line: z.int(),
  eventId: z.string(),
  eventType: z.string(),
  currency: z.string(),
  /** Positive: money reached the player's wallet; negative: it left. */
  delta: z.int(),
  counterAccount: z.string(),
  reason: z.string(),
  recordedAt: z.string(),
});

export const LedgerPage = z.object({
  playerId: z.string(),
  lines: z.array(LedgerLine),
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: z.string().nullable(),
});
export type LedgerPage = z.infer<typeof LedgerPage>;

/** A ledger cursor: `<position>.<line>` of the last line of the previous page. */
export const LedgerCursor = z.string().regex(/^\d{1,15}\.\d{1,4}$/, 'cursors look like 1234.0 (from a previous page\'s next)');

export async function walletOf(db: SqlQueryable, schema: string, playerId: string): Promise<WalletView> {
  const rows = await db.query<{ currency: string; available: string; escrowed: string }>(
    `SELECT currency, available, escrowed FROM ${readModelTable(schema, 'wallets', 'balances')} WHERE player_id = $1 ORDER BY currency`,
    [playerId],
  );
  return { playerId, balances: rows.map((r) => ({ currency: r.currency, available: Number(r.available), escrowed: Number(r.escrowed) })) };
}

export async function ledgerOf(db: SqlQueryable, schema: string, playerId: string, page: { limit: number; before?: string }): Promise<LedgerPage> {
  const [position, line] = page.before ? page.before.split('.').map(Number) : [Number.MAX_SAFE_INTEGER, 0];
  const rows = await db.query<{ position: string; line: number; event_id: string; event_type: string; currency: string; delta: string; counter_account: string; reason: string; recorded_at: Date }>(
    `SELECT position, line, event_id, event_type, currency, delta, counter_account, reason, recorded_at
       FROM ${readModelTable(schema, 'wallets', 'ledger')}
      WHERE account = $1 AND (position, line) < ($2::bigint, $3::smallint)
      ORDER BY position DESC, line DESC
      LIMIT $4`,
    [walletAccount(playerId), position, line, page.limit + 1],
  );
  const lines = rows.slice(0, page.limit).map((r) => ({
    position: Number(r.position),
    line: r.line,
    eventId: r.event_id,
    eventType: r.event_type,
    currency: r.currency,
    delta: Number(r.delta),
    counterAccount: r.counter_account,
    reason: r.reason,
    recordedAt: new Date(r.recorded_at).toISOString(),
  }));
  const last = lines.at(-1);
  return { playerId, lines, next: rows.length > page.limit && last ? `${last.position}.${last.line}` : null };
}

/** Sum of every ledger line per currency: zero when the books balance. */
export async function ledgerTotals(db: SqlQueryable, schema: string): Promise<{ currency: string; total: number }[]> {
  const rows = await db.query<{ currency: string; total: string }>(
    `SELECT currency, sum(delta) AS total FROM ${readModelTable(schema, 'wallets', 'ledger')} GROUP BY currency ORDER BY currency`,
  );
  return rows.map((r) => ({ currency: r.currency, total: Number(r.total) }));
}
