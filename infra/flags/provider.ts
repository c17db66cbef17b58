// The OpenFeature provider of Pantheon's flags: it answers from this process's
// LiveOpsRegistry (the fold of `liveops-flags`, kept current by the follower), so an
// evaluation is a lookup and a hash, never a network call. An unknown key, or a value of
// another type than asked, answers the caller's default with OpenFeature's error code and a
// warning logged once per key (never an exception on a hot path).
import { ErrorCode, StandardResolutionReasons, type EvaluationContext, type JsonValue, type Provider, type ResolutionDetails } from '@openfeature/server-sdk';
import type { Logger } from 'pino';
import { z } from 'zod';
import { evaluateFlag, type FlagContext } from '../../commands/flags/evaluate.ts';
import { ClientVersion, Cohort, Platform, Region, type FlagType } from '../../commands/flags/model.ts';
import type { LiveOpsRegistry } from '../../commands/flags/registry.ts';

/** What an evaluation context may carry besides the targeting key; anything malformed counts as absent. */
const Attributes = z.object({
  platform: Platform.optional().catch(undefined),
  clientVersion: ClientVersion.optional().catch(undefined),
  region: Region.optional().catch(undefined),
  cohorts: z.array(Cohort).max(20).optional().catch(undefined),
});

export function flagContextOf(context: EvaluationContext): FlagContext {
  const attributes = Attributes.parse(context);
  return { targetingKey: typeof context.targetingKey === 'string' ? context.targetingKey : '', ...attributes };
}

export class LogFlagProvider implements Provider {
  readonly metadata = { name: 'pantheon-log' } as const;
  readonly runsOn = 'server' as const;
  readonly #registry: LiveOpsRegistry;
  readonly #logger: Logger | undefined;
  /** Keys already warned about, forgotten whenever the configuration changes. */
  #warned = new Set<string>();

  constructor(registry: LiveOpsRegistry, logger?: Logger) {
    this.#registry = registry;
    this.#logger = logger?.child({ component: 'flags' });
    registry.onChange(() => {
      this.#warned = new Set();
    });
  }

  resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.#resolve('boolean', key, defaultValue, context));
  }

  resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.#resolve('string', key, defaultValue, context));
  }

  resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.#resolve('number', key, defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.#resolve('object', key, defaultValue, context));
  }

  #resolve<T>(type: FlagType, key: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    const flag = this.#registry.state.flags[key];
    if (!flag || flag.type !== type) {
      const errorCode = flag ? ErrorCode.TYPE_MISMATCH : ErrorCode.FLAG_NOT_FOUND;
      const errorMessage = flag ? `flag ${key} is a ${flag.type} flag, asked for a ${type}` : `no flag ${key}; answering the declared default`;
      if (!this.#warned.has(key)) {
        this.#warned.add(key);
        this.#logger?.warn({ flag: key, errorCode, defaultValue }, errorMessage);
      }
      return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage };
    }
    const evaluation = evaluateFlag(flag, flagContextOf(context));
    return {
      value: evaluation.value as T,
      variant: evaluation.variant,
      reason: evaluation.reason,
      flagMetadata: { revision: flag.revision, experiment: flag.experiment },
    };
  }
}
