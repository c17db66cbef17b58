// Live operations through the log: every change to flags, minimum client versions and
// rollouts is decided by liveOpsDecider and appended to `liveops-flags` by handleCommand,
// with an event id derived from the revision it records (a retry of the same change from
// any process is caught by the store). The change is applied to this process's registry at
// once and announced to the others (follower.ts).
import type { Logger } from 'pino';
import { handleCommand } from '../../events/commandHandler.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import { LIVEOPS_STREAM, type LiveOpsEvent } from './events.ts';
import type { ChangeNotifier } from './follower.ts';
import type { FlagDefinition, FlagRule, FlagValue, HealthGuard, HealthReading, Platform } from './model.ts';
import type { LiveOpsRegistry } from './registry.ts';
import { liveOpsDecider, type FlagRefusalCode, type LiveOpsCommand, type LiveOpsState } from './rules.ts';

/** A refused change: a stable code (flags/…) and what is wrong. */
export class FlagRefused extends Error {
  readonly code: FlagRefusalCode;
  constructor(code: FlagRefusalCode, message: string) {
    super(message);
    this.name = 'FlagRefused';
    this.code = code;
  }
}

export type Changed = { revision: number; events: { type: string; data: unknown }[]; state: LiveOpsState };

export type FlagServiceOptions = {
  store: EventStore;
  registry: LiveOpsRegistry;
  notifier?: Pick<ChangeNotifier, 'publish'>;
  logger?: Logger;
};

export class FlagService {
  readonly #store: EventStore;
  readonly #registry: LiveOpsRegistry;
  readonly #notifier: Pick<ChangeNotifier, 'publish'> | undefined;
  readonly #logger: Logger | undefined;

  constructor(options: FlagServiceOptions) {
    this.#store = options.store;
    this.#registry = options.registry;
    this.#notifier = options.notifier;
    this.#logger = options.logger?.child({ component: 'flags' });
  }

  get registry(): LiveOpsRegistry {
    return this.#registry;
  }

  define(definition: FlagDefinition, by: string): Promise<Changed> {
    return this.#handle({ type: 'DefineFlag', definition, by });
  }

  changeRules(key: string, change: { rules: FlagRule[]; defaultValue?: FlagValue | undefined; reason?: string | undefined }, by: string): Promise<Changed> {
    return this.#handle({ type: 'ChangeFlagRules', key, ...change, by });
  }

  archive(key: string, by: string): Promise<Changed> {
    return this.#handle({ type: 'ArchiveFlag', key, by });
  }

  setMinimumVersion(platform: Platform, version: string | null, by: string): Promise<Changed> {
    return this.#handle({ type: 'SetMinimumVersion', platform, version, by });
  }

  startRollout(rollout: { rolloutId: string; key: string; ruleIndex: number; steps: number[]; stepSeconds: number; guard: HealthGuard }, now: number, by: string): Promise<Changed> {
    return this.#handle({ type: 'StartRollout', ...rollout, now, by });
  }

  /** One look at a running rollout: roll back if `health` breaks its guard, else take the next step when it is due. */
  checkRollout(rolloutId: string, now: number, health: HealthReading | null): Promise<Changed> {
    return this.#handle({ type: 'CheckRollout', rolloutId, now, health });
  }

  stopRollout(rolloutId: string, reason: string, now: number, by: string): Promise<Changed> {
    return this.#handle({ type: 'StopRollout', rolloutId, reason, now, by });
  }

  async #handle(command: LiveOpsCommand): Promise<Changed> {
    const actor = 'by' in command ? command.by : `rollout:${command.rolloutId}`;
    const handled = await handleCommand(this.#store, LIVEOPS_STREAM, liveOpsDecider, command, {
      eventId: (event: LiveOpsEvent) => nameBasedUuid(LIVEOPS_STREAM, String(event.data.revision)),
      metadata: { actor },
    });
    if (!handled.ok) throw new FlagRefused(handled.refusal.code as FlagRefusalCode, handled.refusal.message);
    this.#registry.adopt(handled.state, handled.version);
    if (handled.events.length > 0) {
      for (const event of handled.events) this.#logger?.info({ stream: LIVEOPS_STREAM, type: event.type, revision: event.data.revision, actor, key: 'key' in event.data ? event.data.key : undefined }, 'live-ops change recorded');
      await this.#notifier?.publish(handled.state.revision).catch((error: unknown) => this.#logger?.warn({ err: error }, 'change not announced; other processes see it at their next poll'));
    }
    return { revision: handled.state.revision, events: handled.events.map((e) => ({ type: e.type, data: e.data })), state: handled.state };
  }
}
