// Players' money, read from the wallets read model: balances and the ledger behind them.
import { z } from 'zod';
import { PlayerId } from '../../commands/wallet/model.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { LedgerCursor, LedgerPage, WalletView, ledgerOf, walletOf } from '../../projections/wallets/index.ts';
import { defineRoute } from './route.ts';

const PlayerParams = z.object({ playerId: PlayerId });

export function walletRoutes(db: SqlQueryable, schema: string) {
  return [
    defineRoute({
      name: 'getWallet',
      method: 'GET',
      path: '/players/:playerId/wallet',
      summary: "A player's balances per currency: available, and held in escrow for wagers",
      tags: ['wallet'],
      access: 'player',
      params: PlayerParams,
      response: WalletView,
      handle: ({ params }) => walletOf(db, schema, params.playerId),
    }),
    defineRoute({
      name: 'getLedger',
      method: 'GET',
      path: '/players/:playerId/ledger',
      summary: "A player's ledger, newest first: every movement of their money with its counter-account and reason",
      tags: ['wallet'],
      access: 'player',
      params: PlayerParams,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50).describe('lines per page (1-200, default 50)'),
        before: LedgerCursor.optional().describe("the previous page's `next`"),
      }),
      response: LedgerPage,
      handle: ({ params, query }) => ledgerOf(db, schema, params.playerId, query),
    }),
  ];
}
