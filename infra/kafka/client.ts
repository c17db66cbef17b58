// The kafkajs client every Kafka piece of Pantheon uses: brokers from KAFKA_BROKERS,
// kafkajs's own log lines routed into pino, and retry settings short enough that a
// dead broker surfaces as an error the caller can act on (the projection runner backs
// off and retries the relay's batch) instead of a half-minute stall.
import { Kafka, logLevel, type LogEntry, type RetryOptions } from 'kafkajs';
import { z } from 'zod';
import type { Logger } from '../logger.ts';

export const KafkaBrokers = z
  .string()
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'each broker is host:port')).min(1, 'name at least one broker'));

export type KafkaClientOptions = {
  brokers: readonly string[];
  clientId: string;
  logger: Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
  retry?: RetryOptions;
  /** Milliseconds to wait for a request's answer (default 30 s). */
  requestTimeout?: number;
};

export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger;
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3000,
    requestTimeout: options.requestTimeout ?? 30_000,
    retry: options.retry ?? { initialRetryTime: 100, maxRetryTime: 2000, retries: 4 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      const fields = { component: 'kafkajs', namespace: entry.namespace, ...rest };
      if (entry.level === logLevel.ERROR) log.error(fields, message);
      else if (entry.level === logLevel.WARN) log.warn(fields, message);
      else if (entry.level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    },
  });
}
