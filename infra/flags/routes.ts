// Live operations over HTTP. Players fetch their client manifest (GET /config) after
// sign-in; admins define, change and archive flags, set minimum client versions, start and
// stop staged rollouts, and read experiment counts. Every change goes through the log
// (commands/flags/), so every game server and every later audit sees the same values.
import { z } from 'zod';
import { ClientVersion, FlagDefinition, FlagKey, FlagRules, FlagValue, HealthGuard, Platform, RolloutId, RolloutSteps, platforms } from '../../commands/flags/model.ts';
import { FlagRefused, type Changed, type FlagService } from '../../commands/flags/service.ts';
import type { FlagRefusalCode } from '../../commands/flags/rules.ts';
import { canonicalJson, sha256Hex } from '../../events/canonical.ts';
import { uuidv7 } from '../../events/ids.ts';
import { activeContentVersion } from '../../events/content/registry.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { experimentCounts } from '../../projections/experiments/queries.ts';
import { defineRoute, HttpError, Reply, type Route } from '../http/route.ts';
import { callingClient, CLIENT_HEADER, REGION_HEADER } from './client.ts';
import type { LiveOps } from './liveOps.ts';

const statusOf: Record<FlagRefusalCode, number> = {
  'flags/invalid': 400,
  'flags/unknown': 404,
  'flags/unknown_rollout': 404,
  'flags/exists': 409,
  'flags/archived': 409,
  'flags/rollout_running': 409,
};

async function refusing(work: () => Promise<Changed>): Promise<{ revision: number; recorded: string[] }> {
  try {
    const changed = await work();
    return { revision: changed.revision, recorded: changed.events.map((e) => e.type) };
  } catch (error) {
    if (error instanceof FlagRefused) throw new HttpError(statusOf[error.code], error.code, error.message);
    throw error;
  }
}

/** Parses with `schema`, refusing with flags/invalid and the fields that are wrong. */
function valid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError(400, 'flags/invalid', z.prettifyError(parsed.error).replaceAll('\n', '; ').slice(0, 2000));
  return parsed.data;
}

const Changed = z.object({ revision: z.int(), recorded: z.array(z.string()) });
const KeyParams = z.strictObject({ key: FlagKey });
const Evaluated = z.object({ value: FlagValue, variant: z.string().optional() });

export const Manifest = z.object({
  /** The content version new rooms take. */
  contentVersion: z.string(),
  /** This player's value of every live flag, with its variant. */
  flags: z.record(z.string(), Evaluated),
  /** The oldest build each platform may still play with. */
  minimumVersions: z.partialRecord(Platform, ClientVersion),
  /** Revision of the live-ops configuration these values come from. */
  revision: z.int(),
  serverTime: z.string().describe('ISO 8601'),
  serverTimeMs: z.int(),
});
export type Manifest = z.output<typeof Manifest>;

const ChangeBody = z.strictObject({ rules: FlagRules, defaultValue: FlagValue.optional(), reason: z.string().max(500).optional() });
const RolloutBody = z.strictObject({
  rolloutId: RolloutId.optional(),
  ruleIndex: z.int().min(0).max(49),
  steps: RolloutSteps,
  stepSeconds: z.int().min(1).max(7 * 24 * 3600),
  guard: HealthGuard.default(HealthGuard.parse({})),
});

export function liveOpsRoutes(liveOps: LiveOps, options: { db: SqlQueryable; schema: string; now?: () => number }): Route[] {
  const now = options.now ?? Date.now;
  const flags: FlagService = liveOps.service;
  return [
    defineRoute({
      name: 'clientConfig',
      method: 'GET',
      path: '/config',
      summary: 'The client manifest for this player: content version, flag values, minimum client versions, server time (ETag: send If-None-Match)',
      tags: ['live-ops'],
      access: 'authenticated',
      headers: z.object({ 'if-none-match': z.string().max(200).optional(), [CLIENT_HEADER]: z.string().max(100).optional(), [REGION_HEADER]: z.string().max(10).optional() }),
      response: Manifest,
      refusals: { 400: 'X-Pantheon-Client or X-Pantheon-Region is malformed (client/invalid_header)', 304: 'Not modified since the ETag sent in If-None-Match' },
      handle: async ({ principal, headers, request }) => {
        const client = callingClient(request?.headers);
        const evaluated = await liveOps.evaluateAll({ targetingKey: principal!.playerId, cohorts: principal!.roles, ...client });
        const state = liveOps.registry.state;
        const stable = {
          contentVersion: activeContentVersion(),
          flags: Object.fromEntries(Object.entries(evaluated).map(([key, e]) => [key, { value: e.value, ...(e.variant ? { variant: e.variant } : {}) }])),
          minimumVersions: state.minimumVersions,
          revision: state.revision,
        };
        // What the client caches: everything but the clock.
        const etag = `"${sha256Hex(canonicalJson(stable)).slice(0, 32)}"`;
        const caching = { etag, 'cache-control': 'private, no-cache', vary: `Authorization, ${CLIENT_HEADER}, ${REGION_HEADER}` };
        if (headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) return new Reply(undefined, { status: 304, headers: caching });
        const at = now();
        return new Reply({ ...stable, serverTime: new Date(at).toISOString(), serverTimeMs: at }, { headers: caching });
      },
    }),
    defineRoute({
      name: 'listFlags',
      method: 'GET',
      path: '/flags',
      summary: 'Every flag with its rules, the minimum client versions and the rollouts (admins)',
      tags: ['live-ops'],
      access: 'admin',
      response: z.object({ revision: z.int(), flags: z.array(z.record(z.string(), z.unknown())), minimumVersions: z.record(z.string(), z.string()), rollouts: z.array(z.record(z.string(), z.unknown())) }),
      handle: async () => {
        await liveOps.follower.refresh();
        const state = liveOps.registry.state;
        return { revision: state.revision, flags: Object.values(state.flags), minimumVersions: state.minimumVersions, rollouts: Object.values(state.rollouts) };
      },
    }),
    defineRoute({
      name: 'defineFlag',
      method: 'POST',
      path: '/flags',
      summary: 'Define a flag: its type, default, rules (platform, client versions, regions, cohorts, sticky percentage) and whether it is an experiment',
      tags: ['live-ops'],
      access: 'admin',
      body: z.unknown().describe('{ key, type, description?, defaultValue, rules?, experiment? } (commands/flags/model.ts FlagDefinition)'),
      response: Changed,
      refusals: { 400: 'Malformed definition, naming the field (flags/invalid)', 409: 'The key is defined otherwise, or archived (flags/exists, flags/archived)' },
      handle: ({ body, principal }) => refusing(() => flags.define(valid(FlagDefinition, body), principal!.playerId)),
    }),
    defineRoute({
      name: 'changeFlagRules',
      method: 'POST',
      path: '/flags/:key/rules',
      summary: 'Replace a flag’s rules (and optionally its default)',
      tags: ['live-ops'],
      access: 'admin',
      params: KeyParams,
      body: z.unknown().describe('{ rules, defaultValue?, reason? }'),
      response: Changed,
      refusals: { 400: 'flags/invalid', 404: 'flags/unknown', 409: 'flags/archived, flags/rollout_running' },
      handle: ({ params, body, principal }) => refusing(() => flags.changeRules(params.key, valid(ChangeBody, body), principal!.playerId)),
    }),
    defineRoute({
      name: 'archiveFlag',
      method: 'POST',
      path: '/flags/:key/archive',
      summary: 'Archive a flag: it leaves the manifest and evaluates to its default',
      tags: ['live-ops'],
      access: 'admin',
      params: KeyParams,
      response: Changed,
      refusals: { 404: 'flags/unknown', 409: 'flags/rollout_running' },
      handle: ({ params, principal }) => refusing(() => flags.archive(params.key, principal!.playerId)),
    }),
    defineRoute({
      name: 'startRollout',
      method: 'POST',
      path: '/flags/:key/rollouts',
      summary: 'Raise one rule’s percentage step by step while the health guard holds; roll back when it breaks',
      tags: ['live-ops'],
      access: 'admin',
      params: KeyParams,
      body: z.unknown().describe('{ rolloutId?, ruleIndex, steps: [5, 25, 100], stepSeconds, guard? }'),
      response: Changed.extend({ rolloutId: RolloutId }),
      refusals: { 400: 'flags/invalid', 404: 'flags/unknown', 409: 'flags/archived, flags/rollout_running' },
      handle: async ({ params, body, principal }) => {
        const { rolloutId = uuidv7(), ...rollout } = valid(RolloutBody, body);
        return { ...(await refusing(() => flags.startRollout({ rolloutId, key: params.key, ...rollout }, now(), principal!.playerId))), rolloutId };
      },
    }),
    defineRoute({
      name: 'stopRollout',
      method: 'POST',
      path: '/flags/rollouts/:rolloutId/stop',
      summary: 'Stop a rollout and put its flag back to its rules before it',
      tags: ['live-ops'],
      access: 'admin',
      params: z.strictObject({ rolloutId: RolloutId }),
      body: z.strictObject({ reason: z.string().min(1).max(300) }),
      response: Changed,
      refusals: { 404: 'flags/unknown_rollout' },
      handle: ({ params, body, principal }) => refusing(() => flags.stopRollout(params.rolloutId, body.reason, now(), principal!.playerId)),
    }),
    defineRoute({
      name: 'setMinimumClientVersion',
      method: 'POST',
      path: '/config/minimum-versions',
      summary: 'Set (or clear, with null) the oldest client build a platform may sign in with',
      tags: ['live-ops'],
      access: 'admin',
      body: z.strictObject({ platform: z.enum(platforms), version: ClientVersion.nullable() }),
      response: Changed,
      handle: ({ body, principal }) => refusing(() => flags.setMinimumVersion(body.platform, body.version, principal!.playerId)),
    }),
    defineRoute({
      name: 'experiments',
      method: 'GET',
      path: '/experiments',
      summary: 'Exposures and outcomes per experiment variant (the experiments read model)',
      tags: ['live-ops'],
      access: { roles: ['admin', 'auditor'] },
      response: z.object({ experiments: z.array(z.object({ experiment: z.string(), variant: z.string(), exposures: z.int(), battles: z.int(), wins: z.int() })) }),
      handle: async () => ({ experiments: await experimentCounts(options.db, options.schema) }),
    }),
  ];
}
