// Live operations composed for one process: the registry of flags folded from the log, the
// follower that keeps it current (Redis notifications, a poll behind them), the service that
// records changes, and the OpenFeature client every evaluation goes through (our provider,
// provider.ts). Rooms get their flags from here at creation (RoomServices.flags); the
// client manifest (manifest.ts) evaluates a player's flags here; an experiment flag's first
// evaluation for a player is recorded as ExperimentAssigned (an OpenFeature hook).
import { randomUUID } from 'node:crypto';
import { OpenFeature, type Client, type EvaluationContext, type EvaluationDetails, type FlagValue as OpenFeatureValue, type Hook, type HookContext, type JsonValue } from '@openfeature/server-sdk';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { recordAssignment } from '../../commands/flags/experiments.ts';
import { followLiveOps, type ChangeNotifier, type LiveOpsFollower } from '../../commands/flags/follower.ts';
import type { FlagType, FlagValue } from '../../commands/flags/model.ts';
import { LiveOpsRegistry } from '../../commands/flags/registry.ts';
import { FlagService } from '../../commands/flags/service.ts';
import type { EventStore } from '../../events/store.ts';
import type { RoomServices } from '../../rooms/shared/colyseusRoom.ts';
import { localNotifier, redisNotifier } from './notifier.ts';
import { LogFlagProvider } from './provider.ts';

export type Evaluated = { value: FlagValue; variant: string | undefined; reason: string | undefined };

export type LiveOps = {
  registry: LiveOpsRegistry;
  service: FlagService;
  follower: LiveOpsFollower;
  /** The OpenFeature client of this process's flags. */
  client: Client;
  /** One flag, typed by its default (boolean, string, number or object), for a player or a room. */
  evaluate(key: string, defaultValue: FlagValue, context: EvaluationContext): Promise<Evaluated>;
  /** Every flag that is not archived, for a player (the client manifest). */
  evaluateAll(context: EvaluationContext): Promise<Record<string, Evaluated>>;
  /** What rooms are created with (RoomServices.flags). */
  rooms: NonNullable<RoomServices['flags']>;
  stop(): Promise<void>;
};

export type LiveOpsOptions = {
  store: EventStore;
  logger: Logger;
  /** Redis shared by the game servers; unset: one process. */
  redisUrl?: string | undefined;
  /** Prefix of the Redis channel (PANTHEON_REDIS_PREFIX). */
  redisPrefix?: string;
  /** How often the follower reads the log without being told to (default 5 s). */
  pollMs?: number;
};

const typeOf = (value: FlagValue): FlagType => (typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'object');

export async function startLiveOps(options: LiveOpsOptions): Promise<LiveOps> {
  const { store, logger } = options;
  const log = logger.child({ component: 'flags' });
  const registry = new LiveOpsRegistry();
  const notifier: ChangeNotifier = options.redisUrl
    ? await redisNotifier({ url: options.redisUrl, prefix: options.redisPrefix ?? 'pantheon:', logger })
    : localNotifier();
  const follower = await followLiveOps(store, registry, { notifier, logger, ...(options.pollMs ? { pollMs: options.pollMs } : {}) });
  const service = new FlagService({ store, registry, notifier, logger });

  // A domain of its own, so several servers in one process (tests) keep their registries apart.
  const domain = `pantheon-${randomUUID()}`;
  await OpenFeature.setProviderAndWait(domain, new LogFlagProvider(registry, logger));
  const client = OpenFeature.getClient(domain);
  client.setLogger({
    error: (...args: unknown[]) => log.error({ args }, 'openfeature'),
    warn: (...args: unknown[]) => log.warn({ args }, 'openfeature'),
    info: (...args: unknown[]) => log.info({ args }, 'openfeature'),
    debug: (...args: unknown[]) => log.debug({ args }, 'openfeature'),
  });
  client.addHooks(experimentHook(store, log));

  const evaluate = async (key: string, defaultValue: FlagValue, context: EvaluationContext): Promise<Evaluated> => {
    let details: EvaluationDetails<OpenFeatureValue>;
    switch (typeOf(defaultValue)) {
      case 'boolean':
        details = await client.getBooleanDetails(key, defaultValue as boolean, context);
        break;
      case 'string':
        details = await client.getStringDetails(key, defaultValue as string, context);
        break;
      case 'number':
        details = await client.getNumberDetails(key, defaultValue as number, context);
        break;
      default:
        details = await client.getObjectDetails(key, defaultValue as JsonValue, context);
    }
    return { value: details.value as FlagValue, variant: details.variant, reason: details.reason };
  };

  return {
    registry,
    service,
    follower,
    client,
    evaluate,
    async evaluateAll(context) {
      const flags = Object.values(registry.state.flags).filter((flag) => !flag.archived).sort((a, b) => a.key.localeCompare(b.key));
      const values = await Promise.all(flags.map((flag) => evaluate(flag.key, flag.defaultValue, context)));
      return Object.fromEntries(flags.map((flag, i) => [flag.key, values[i]!]));
    },
    rooms: {
      async values(kind, declared, context) {
        const entries = await Promise.all(Object.entries(declared).map(async ([key, fallback]) => [key, (await evaluate(key, fallback as FlagValue, { ...context, roomKind: kind })).value] as const));
        return Object.fromEntries(entries);
      },
    },
    async stop() {
      await follower.stop();
      await notifier.close();
    },
  };
}

/**
 * Records the variant of an experiment flag a player is shown, the first time: after an
 * evaluation whose flag is an experiment (flagMetadata) for a player (not a room). Off the
 * caller's path: the evaluation never waits for the append, and a failure is logged only.
 * A process remembers whom it recorded, so a player's next evaluations append nothing.
 */
function experimentHook(store: EventStore, log: Logger): Hook {
  const recorded = new LRUCache<string, true>({ max: 100_000 });
  return {
    after(hook: Readonly<HookContext>, details: EvaluationDetails<OpenFeatureValue>) {
      const playerId = hook.context.targetingKey;
      if (details.flagMetadata.experiment !== true || !playerId || hook.context.roomKind !== undefined || !details.variant) return;
      const key = `${details.flagKey}\u0000${playerId}`;
      if (recorded.has(key)) return;
      recorded.set(key, true);
      const assignment = { experiment: details.flagKey, playerId, variant: details.variant, value: details.value as FlagValue, revision: Number(details.flagMetadata.revision) };
      recordAssignment(store, assignment).catch((error: unknown) => {
        recorded.delete(key);
        log.warn({ err: error, experiment: details.flagKey, player: playerId }, 'experiment assignment not recorded; the next evaluation tries again');
      });
    },
  };
}
