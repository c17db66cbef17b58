// The relay as a service over an opened store: its own projection runner holding only the
// Kafka relay (checkpoint `kafka_relay` in the store's schema), for the relay process
// (relayMain.ts) or any role that composes it. Several replicas may run: each batch is
// published at least once and the checkpoint only moves forwards.
import { Gauge, type Registry } from 'prom-client';
import { openProjectionRunner, type ProcessorStatus, type ProjectionRunner } from '../../projections/index.ts';
import type { Config } from '../config.ts';
import type { OpenedStore } from '../eventStore.ts';
import type { Logger } from '../logger.ts';
import { createKafka, KafkaBrokers } from './client.ts';
import { createKafkaRelay, type KafkaRelay, type KafkaRelayStatus } from './relay.ts';

export type RelayService = {
  relay: KafkaRelay;
  runner: ProjectionRunner;
  /** The relay's own view (broker acknowledgements) and the runner's (checkpoint, lag in events and ms). */
  status(): Promise<{ relay: KafkaRelayStatus; checkpoint: ProcessorStatus | undefined }>;
  stop(): Promise<void>;
};

export type RelayServiceOptions = {
  metrics?: Registry;
  /** Events per page read from the store, and so per produce round (default 2,000). */
  batchSize?: number;
};

/** The relay to the configured brokers (its reactor is what infra/processors.ts lists). */
export function createConfiguredRelay(config: Pick<Config, 'KAFKA_BROKERS' | 'KAFKA_TOPIC_PREFIX'>, logger: Logger, options: Pick<RelayServiceOptions, 'metrics'> = {}): KafkaRelay {
  const brokers = KafkaBrokers.parse(config.KAFKA_BROKERS ?? '127.0.0.1:9092');
  const kafka = createKafka({ brokers, clientId: 'pantheon-relay', logger });
  logger.info({ brokers, topicPrefix: config.KAFKA_TOPIC_PREFIX }, 'relaying to Kafka');
  return createKafkaRelay({ kafka, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, ...(options.metrics ? { metrics: options.metrics } : {}) });
}

export async function startRelayService(relay: KafkaRelay, opened: Pick<OpenedStore, 'db' | 'store' | 'schema'>, logger: Logger, options: RelayServiceOptions = {}): Promise<RelayService> {
  const runner = await openProjectionRunner({
    db: opened.db,
    store: opened.store,
    schema: opened.schema,
    processors: [relay.reactor],
    logger,
    // Bigger pages than the read models': one page is one produce round.
    batchSize: options.batchSize ?? 2000,
  });
  await runner.start();
  const status = async () => ({ relay: relay.status(), checkpoint: (await runner.status()).find((s) => s.name === relay.reactor.name) });
  if (options.metrics) {
    // Lag as the runner sees it (checkpoint against the store's head), read at scrape time.
    const name = relay.reactor.name;
    new Gauge({
      name: 'pantheon_kafka_relay_lag_events',
      help: 'Events recorded in the store and not yet acknowledged by Kafka',
      labelNames: ['relay'],
      registers: [options.metrics],
      async collect() {
        const found = (await runner.status()).find((s) => s.name === name);
        if (found) this.set({ relay: name }, found.lagEvents);
      },
    });
    new Gauge({
      name: 'pantheon_kafka_relay_lag_seconds',
      help: 'Age of the oldest event not yet acknowledged by Kafka (0 when caught up)',
      labelNames: ['relay'],
      registers: [options.metrics],
      async collect() {
        const found = (await runner.status()).find((s) => s.name === name);
        if (found) this.set({ relay: name }, found.lagMs / 1000);
      },
    });
  }
  const { checkpoint } = await status();
  logger.info({ checkpoint: checkpoint?.position, head: checkpoint?.head }, 'relay running');
  return {
    relay,
    runner,
    status,
    async stop() {
      await runner.stop();
      await relay.close();
    },
  };
}
