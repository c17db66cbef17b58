// Every processor of a deployment, in one list: what reads the log after the rooms, the role
// that runs it (each exactly once across a deployment's roles), and where it is declared.
// Each is declared in the folder of what it produces; this list is the only place that
// knows them all.
//
//   processor                 role       declared in                          produces
//   the read models           projector  projections/*/projection.ts          read-model tables
//   wallet_payouts            projector  commands/wallet/payouts.ts           wallet commands
//   quest_progress            projector  commands/quests/progress.ts          quest-log progress
//   quest_rewards             projector  commands/quests/rewards.ts           wallet credits for claimed quests
//   audit_worker              audit      projections/anticheat/auditWorker.ts AuditCompleted
//   narrator, codex lore      narrator   projections/narration/reactor.ts     NarrationGenerated
//   story_narrator            narrator   projections/narration/story.ts       NarrationGenerated (chapters)
//   spectator publisher       discord    infra/discord/publisher.ts           Discord messages
//   kafka_relay               relay      infra/kafka/relay.ts                 Kafka records
//
// The relay runs in a runner of its own (one page is one produce round, so its pages are
// larger); the others share the role's projector.
import type { Logger } from 'pino';
import { createQuestProgressReactor, createQuestRewardsReactor, QuestService } from '../commands/quests/index.ts';
import { createPayoutsReactor } from '../commands/wallet/payouts.ts';
import { WalletService } from '../commands/wallet/service.ts';
import type { EventCatalog } from '../events/catalog.ts';
import type { Processor } from '../events/processor.ts';
import type { SqlQueryable } from '../events/sql/executor.ts';
import type { EventStore } from '../events/store.ts';
import { auditWorker } from '../projections/anticheat/index.ts';
import { readModels } from '../projections/index.ts';
import { roomRules } from '../rooms/rulesRegistry.ts';
import type { Role } from './config.ts';
import type { KafkaRelay } from './kafka/relay.ts';
import type { Narrator } from './narrator/index.ts';
import { codexLoreReactor, narratorReactor } from '../projections/narration/reactor.ts';
import { storyNarratorReactor } from '../projections/narration/story.ts';

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
  /** The Discord publisher's reactors (none without a bot token). */
  discord?: readonly Processor[];
  /** Only where the relay role runs with brokers configured. */
  kafkaRelay?: KafkaRelay;
  /** Content published through the log, loaded up to a position (the audit worker waits for it). */
  contentAt?: (position: number) => Promise<void>;
};

type Registered = {
  readonly role: Role;
  /** `own`: a runner of its own rather than the role's projector. */
  readonly runner: 'projector' | 'own';
  readonly build: (services: ProcessorServices) => Processor[];
};

export const processorRegistry: readonly Registered[] = [
  { role: 'projector', runner: 'projector', build: () => readModels(roomRules) },
  { role: 'projector', runner: 'projector', build: ({ store, wallets }) => processManagers(store, wallets) },
  { role: 'projector', runner: 'projector', build: ({ store, wallets, logger }) => questReactors(store, wallets, logger) },
  {
    role: 'audit',
    runner: 'projector',
    build: ({ store, catalog, logger, contentAt }) => [auditWorker({ store, rules: roomRules, catalog, logger: logger.child({ component: 'audit' }), ...(contentAt ? { contentAt } : {}) })],
  },
  {
    role: 'narrator',
    runner: 'projector',
    build: ({ narrator, store, logger, db, schema }) => (narrator ? [narratorReactor({ narrator, store, logger }), codexLoreReactor({ narrator, store, logger, db, schema }), storyNarratorReactor({ narrator, store, logger })] : []),
  },
  { role: 'discord', runner: 'projector', build: ({ discord }) => [...(discord ?? [])] },
  { role: 'relay', runner: 'own', build: ({ kafkaRelay }) => (kafkaRelay ? [kafkaRelay.reactor] : []) },
];

/** The processors the given roles run in a runner (the role's projector by default). */
export function processorsOf(runs: (role: Role) => boolean, services: ProcessorServices, runner: Registered['runner'] = 'projector'): Processor[] {
  return processorRegistry.filter((entry) => entry.runner === runner && runs(entry.role)).flatMap((entry) => entry.build(services));
}

/** What turns outcomes into money: enough for the benchmarks, which need the wallet events in the log. */
export function processManagers(store: EventStore, wallets: WalletService = new WalletService({ store })): Processor[] {
  return [createPayoutsReactor({ wallets, store })];
}

/** What turns outcomes into quest progress, and claimed quests into money. */
export function questReactors(store: EventStore, wallets: WalletService = new WalletService({ store }), logger?: Logger): Processor[] {
  const log = logger?.child({ component: 'quests' });
  return [createQuestProgressReactor({ quests: new QuestService({ store }), store, ...(log ? { logger: log } : {}) }), createQuestRewardsReactor({ wallets, ...(log ? { logger: log } : {}) })];
}
