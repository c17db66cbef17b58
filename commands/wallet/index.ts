// The wallet's public boundary: what the HTTP API, the read models and the composition root use.
export { WalletService } from './service.ts';
export type {
  CommandMetadata, RecordedWalletEvent, WalletAccepted, WalletRefused, WalletResult, WalletServiceOptions, WalletView,
} from './service.ts';
export { Credit, Debit, EscrowWager, GrantPurchase, RefundWager, SettleWager, WalletCommand, WalletCommandType } from './commands.ts';
export {
  Credited, Debited, PurchaseGranted, WagerEscrowed, WagerRefunded, WagerSettled, WalletCommandRefused, walletEventDefinitions, walletEventTypes,
} from './events.ts';
export type { WalletEvent, WalletEventType } from './events.ts';
export {
  Account, Currency, Platform, PlayerId, escrowAccount, potAccount, purchasesAccount, walletAccount, walletCurrencies, walletStreamId,
} from './model.ts';
export { COMMAND_INVALID, IDEMPOTENCY_KEY_REUSED, walletRefusalCodes, type WalletRefusalCode } from './refusals.ts';
export { createWalletDecider, walletDecider } from './rules.ts';
export { createPayoutsReactor, PAYOUTS_REACTOR, type PayoutsOptions } from './payouts.ts';
export { RewardTable, rewardTable } from './rewards.ts';
