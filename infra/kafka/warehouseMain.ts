// CLI: `node infra/kafka/warehouseMain.ts --out ./warehouse` loads the relayed topics
// into NDJSON files until interrupted (see warehouse.ts). Topics default to every
// `<prefix>.*` topic on the cluster at start.
import { Command } from 'commander';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { createKafka, KafkaBrokers } from './client.ts';
import { TopicPrefix, topicOf } from './messages.ts';
import { createWarehouseLoader } from './warehouse.ts';

const Args = z.object({
  brokers: KafkaBrokers,
  prefix: TopicPrefix,
  categories: z
    .string()
    .optional()
    .transform((value) => value?.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'categories are stream kinds such as battle, wallet')).min(1).optional()),
  out: z.string().min(1),
  group: z.string().min(1).max(200),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

const program = new Command()
  .name('warehouse')
  .description('Load the event topics the Kafka relay publishes into NDJSON files, one per topic partition.')
  .option('--brokers <list>', 'Kafka brokers, host:port[,host:port]', process.env.KAFKA_BROKERS || '127.0.0.1:9092')
  .option('--prefix <prefix>', 'topic prefix the relay publishes under', process.env.KAFKA_TOPIC_PREFIX || 'pantheon')
  .option('--categories <list>', 'stream categories to load, e.g. battle,wallet (default: every <prefix>.* topic)')
  .requiredOption('--out <dir>', 'output folder')
  .option('--group <id>', 'Kafka consumer group (its committed offsets are where a restart resumes)', 'pantheon-warehouse')
  .option('--log-level <level>', 'pino level', process.env.LOG_LEVEL || 'info')
  .parse();

const parsed = Args.safeParse(program.opts());
if (!parsed.success) {
  program.error(`invalid arguments:\n${z.prettifyError(parsed.error)}`, { exitCode: 2 });
}
const args = parsed.data!;
const logger = createLogger(args.logLevel).child({ component: 'warehouse' });
const kafka = createKafka({ brokers: args.brokers, clientId: 'pantheon-warehouse', logger });

let topics: string[];
if (args.categories) {
  topics = args.categories.map((category) => topicOf(args.prefix, category));
} else {
  const admin = kafka.admin();
  await admin.connect();
  topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${args.prefix}.`)).sort();
  await admin.disconnect();
  if (topics.length === 0) {
    logger.fatal({ prefix: args.prefix }, `no ${args.prefix}.* topics on the cluster yet; name --categories to wait for them`);
    process.exit(1);
  }
}

const loader = createWarehouseLoader({ kafka, topics, dir: args.out, groupId: args.group, logger });
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, ...loader.stats() }, 'warehouse loader stopping');
  await loader.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
await loader.start();
