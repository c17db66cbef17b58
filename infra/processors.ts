// What the projector side of each role runs beside the rooms: the read models, and the
// reactors that act on what happened — pay out a match's outcome (projector), audit every
// finished match (audit), narrate it (narrator). Composed here because the reactors need
// services; the read models themselves are listed in projections/index.ts.
import type { Logger } from 'pino';
import { createPayoutsReactor } from '../commands/wallet/payouts.ts';
import { WalletService } from '../commands/wallet/service.ts';
import type { EventCatalog } from '../events/catalog.ts';
import type { SqlQueryable } from '../events/sql/executor.ts';
import type { EventStore } from '../events/store.ts';
import { auditWorker } from '../projections/anticheat/index.ts';
import { readModels, type Processor } from '../projections/index.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import type { Role } from './config.ts';
import type { Narrator } from './narrator/index.ts';
import { codexLoreReactor, narratorReactor } from './narrator/reactor.ts';

/** What turns outcomes into money: enough for the benchmarks, which need the wallet events in the log. */
export function processManagers(store: EventStore, wallets: WalletService = new WalletService({ store })): Processor[] {
  return [createPayoutsReactor({ wallets, store })];
}

export type ProcessorServices = {
  store: EventStore;
  /** The read models' database (the codex lore reads the codex's unlocks). */
  db: SqlQueryable;
  schema: string;
  catalog: EventCatalog;
  logger: Logger;
  wallets: WalletService;
  /** Only where the narrator role runs. */
  narrator?: Narrator;
  /** Content published through the log, loaded up to a position (the audit worker waits for it). */
  contentAt?: (position: number) => Promise<void>;
};

/** The processors the given roles run, each exactly once across a deployment's roles. */
export function processorsOf(runs: (role: Role) => boolean, services: ProcessorServices): Processor[] {
  const { store, db, schema, catalog, logger, wallets, narrator, contentAt } = services;
  return [
    ...(runs('projector') ? [...readModels(roomRules), ...processManagers(store, wallets)] : []),
    ...(runs('audit') ? [auditWorker({ store, rules: roomRules, catalog, logger: logger.child({ component: 'audit' }), ...(contentAt ? { contentAt } : {}) })] : []),
    ...(runs('narrator') && narrator ? [narratorReactor({ narrator, store, logger }), codexLoreReactor({ narrator, store, logger, db, schema })] : []),
  ];
}
