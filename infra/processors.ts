// The process managers the projector runs beside the read models: reactors that turn
// what happened into commands (a battle's outcome into wallet payouts, …). Composed here
// because they need services; the read models themselves are in projections/index.ts.
import { createPayoutsReactor } from '../commands/wallet/payouts.ts';
import { WalletService } from '../commands/wallet/service.ts';
import type { EventStore } from '../events/store.ts';
import type { Processor } from '../projections/index.ts';

export function processManagers(store: EventStore, wallets: WalletService = new WalletService({ store })): Processor[] {
  return [createPayoutsReactor({ wallets, store })];
}
