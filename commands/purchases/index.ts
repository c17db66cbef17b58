// Platform purchases' public boundary: the service the HTTP API calls, its configuration (to
// merge into infra/config.ts) and the claim event (for the catalog).
import type { Logger } from 'pino';
import type { EventStore } from '../../events/store.ts';
import type { WalletService } from '../wallet/service.ts';
import type { PurchaseConfig } from './config.ts';
import { PurchaseService } from './service.ts';
import { createVerifiers, type VerifierPorts } from './verifiers.ts';

export { PurchaseService } from './service.ts';
export type { PurchaseGranted, PurchaseRefused, PurchaseResult, PurchaseServiceOptions, VerifyAndGrantOptions } from './service.ts';
export { checkPurchaseConfig, platformCredentials, purchaseConfigShape, PurchaseConfigSchema, type PurchaseConfig } from './config.ts';
export { purchaseEventDefinitions, ReceiptClaimed } from './events.ts';
export { purchaseRefusalCodes, type PurchaseRefusalCode } from './refusals.ts';
export { ProductCatalog, productCatalog } from './catalog.ts';
export { createVerifiers, type VerifierPorts } from './verifiers.ts';
export { PlatformUnavailable, type Verification, type VerifiedPurchase, type Verifier } from './verification.ts';

/** The purchase service with a verifier for every platform the configuration turns on. */
export function createPurchaseService(options: {
  store: EventStore;
  wallets: WalletService;
  config: PurchaseConfig;
  logger?: Logger;
  ports?: VerifierPorts;
}): PurchaseService {
  return new PurchaseService({
    store: options.store,
    wallets: options.wallets,
    verifiers: createVerifiers(options.config, options.ports),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
