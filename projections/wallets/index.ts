// Wallets read model: balances and the double-entry ledger, and the queries readers use.
export { walletsProjection } from './projection.ts';
export { LedgerCursor, LedgerPage, LedgerLine, WalletView, ledgerOf, ledgerTotals, walletOf } from './queries.ts';
