// Prometheus metrics of a Pantheon process (prom-client), served at GET /metrics, and its
// readiness, served at GET /readyz. One Registry per process: the projection runner, the
// Kafka relay and the narrator register their own series in it (pass `metrics.registry`).
//
// What this module measures itself:
// - pantheon_ccu                      clients connected to this process's rooms (the HPA's metric)
// - pantheon_rooms{kind}              rooms this process hosts, by room name
// - pantheon_tick_seconds{kind}       a room tick, from decide to durable append (RoomServices.onTick)
// - pantheon_tick_events_total{kind}  events the ticks appended
// - pantheon_append_seconds{result}   one EventStore.append (instrumentStore), ok | conflict | error
// - pantheon_appended_events_total    events the instrumented store appended
// - pantheon_room_commands_total{kind,outcome}  commands rooms decided, accepted | refused
// - pantheon_room_errors_total{kind}  room handlers that failed (bugs)
// plus prom-client's default process_* and nodejs_* metrics (CPU, memory, event loop lag, GC),
// and, where the anti-cheat read model is (auditMetrics), audits by verdict and findings by kind.
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createEndpoint, matchMaker } from '@colyseus/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SqlQueryable } from '../events/sql/executor.ts';
import type { EventStore } from '../events/store.ts';
import type { RoomServices } from '../rooms/shared/colyseusRoom.ts';

export type TickObservation = Parameters<NonNullable<RoomServices['onTick']>>[0];

export type Metrics = {
  registry: Registry;
  /** Pass as GameServerOptions.onTick. */
  onTick(tick: TickObservation): void;
  /** The same store, with each append timed into pantheon_append_seconds. */
  instrumentStore(store: EventStore): EventStore;
  readiness: Readiness;
  /** Pass as GameServerOptions.onRoomError. */
  onRoomError(error: { kind: string }): void;
  /** Totals since start, for the rollout health guard (infra/flags/health.ts). */
  health(): HealthTotals;
};

export type HealthTotals = { commands: number; refused: number; roomErrors: number; appends: number; appendFailures: number };

export type MetricsOptions = {
  /** Labels on every series (e.g. { role: 'game' }). */
  defaultLabels?: Record<string, string>;
  /** prom-client's process metrics (default true; tests that make many registries turn them off). */
  processMetrics?: boolean;
};

const tickBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const appendBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  // Read from Colyseus at scrape time: a process without rooms (projector, relay) reports 0.
  new Gauge({
    name: 'pantheon_ccu',
    help: 'Clients connected to the rooms of this process',
    registers,
    collect() {
      this.set(matchMaker.stats?.local.ccu ?? 0);
    },
  });
  new Gauge({
    name: 'pantheon_rooms',
    help: 'Rooms this process hosts, by kind',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [kind, count] of await localRoomsByKind()) this.set({ kind }, count);
    },
  });
  const tickSeconds = new Histogram({
    name: 'pantheon_tick_seconds',
    help: 'Duration of one room tick, rules and durable append included',
    labelNames: ['kind'] as const,
    buckets: tickBuckets,
    registers,
  });
  const tickEvents = new Counter({ name: 'pantheon_tick_events_total', help: 'Events appended by room ticks', labelNames: ['kind'] as const, registers });
  const appendSeconds = new Histogram({
    name: 'pantheon_append_seconds',
    help: 'Duration of one event store append, by result (ok, conflict: expected version or idempotency, error)',
    labelNames: ['result'] as const,
    buckets: appendBuckets,
    registers,
  });
  const appendedEvents = new Counter({ name: 'pantheon_appended_events_total', help: 'Events appended through this process', registers });
  const roomCommands = new Counter({ name: 'pantheon_room_commands_total', help: 'Commands rooms decided, by outcome', labelNames: ['kind', 'outcome'] as const, registers });
  const roomErrors = new Counter({ name: 'pantheon_room_errors_total', help: 'Room handlers that failed', labelNames: ['kind'] as const, registers });
  const totals: HealthTotals = { commands: 0, refused: 0, roomErrors: 0, appends: 0, appendFailures: 0 };

  return {
    registry,
    onTick(tick) {
      tickSeconds.observe({ kind: tick.kind }, tick.durationMs / 1000);
      if (tick.appended > 0) tickEvents.inc({ kind: tick.kind }, tick.appended);
      const commands = tick.commands ?? 0;
      const refused = tick.refused ?? 0;
      if (commands > refused) roomCommands.inc({ kind: tick.kind, outcome: 'accepted' }, commands - refused);
      if (refused > 0) roomCommands.inc({ kind: tick.kind, outcome: 'refused' }, refused);
      totals.commands += commands;
      totals.refused += refused;
    },
    onRoomError({ kind }) {
      roomErrors.inc({ kind });
      totals.roomErrors += 1;
    },
    health: () => ({ ...totals }),
    instrumentStore(store) {
      return {
        ...bindAll(store),
        async append(streamId, expected, events) {
          const started = performance.now();
          try {
            const result = await store.append(streamId, expected, events);
            appendSeconds.observe({ result: 'ok' }, (performance.now() - started) / 1000);
            totals.appends += 1;
            appendedEvents.inc(result.events.length);
            return result;
          } catch (error) {
            const conflict = isConflict(error);
            appendSeconds.observe({ result: conflict ? 'conflict' : 'error' }, (performance.now() - started) / 1000);
            totals.appends += 1;
            if (!conflict) totals.appendFailures += 1;
            throw error;
          }
        },
      };
    },
    readiness: createReadiness(),
  };
}

/** The store's methods bound to it, so a decorator can override some and keep the rest. */
function bindAll(store: EventStore): EventStore {
  return {
    append: store.append.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    subscribeAll: store.subscribeAll.bind(store),
    streamVersion: store.streamVersion.bind(store),
    headPosition: store.headPosition.bind(store),
    close: store.close.bind(store),
  };
}

function isConflict(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code === 'store/expected_version_conflict' || code === 'store/idempotency_conflict';
}

/** Rooms of this process by room name; empty where no Colyseus server runs here. */
async function localRoomsByKind(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (!matchMaker.driver || !matchMaker.processId) return counts;
  for (const room of await matchMaker.query({ processId: matchMaker.processId })) {
    counts.set(room.name, (counts.get(room.name) ?? 0) + 1);
  }
  return counts;
}

/**
 * pantheon_audits{verdict} and pantheon_audit_findings{kind}, read at scrape time from the
 * anti-cheat read model (projections/anticheat: its `anticheat_audits` and
 * `anticheat_findings` views in `schema`). Before the read model exists both are empty.
 */
export function auditMetrics(registry: Registry, db: SqlQueryable, schema: string): void {
  const table = (name: string) => `"${schema.replaceAll('"', '""')}".${name}`;
  const countBy = async (view: string, column: string) => {
    try {
      return await db.query<{ key: string; count: string }>(`SELECT ${column} AS key, count(*) AS count FROM ${table(view)} GROUP BY ${column}`);
    } catch {
      return [];
    }
  };
  new Gauge({
    name: 'pantheon_audits',
    help: 'Audited room streams by verdict (clean, diverged, tampered), from the anti-cheat read model',
    labelNames: ['verdict'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await countBy('anticheat_audits', 'verdict')) this.set({ verdict: row.key }, Number(row.count));
    },
  });
  new Gauge({
    name: 'pantheon_audit_findings',
    help: 'Open anti-cheat findings by kind (failed audits, inhuman command rates, repeated impossible commands)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await countBy('anticheat_findings', 'kind')) this.set({ kind: row.key }, Number(row.count));
    },
  });
}

// --- readiness -------------------------------------------------------------------------

export type ReadinessState = 'starting' | 'ready' | 'draining';

/**
 * Whether a load balancer should send this process new work. `ready` once started;
 * `draining` from SIGTERM on (infra/drain.ts), while the process still serves the rooms it
 * has: liveness (/healthz) stays up, readiness (/readyz) goes down, so Kubernetes takes the
 * pod out of its Service without killing it.
 */
export type Readiness = {
  readonly state: ReadinessState;
  markReady(): void;
  markDraining(): void;
  /** A dependency that must answer for the process to be ready (bounded by `timeoutMs`). */
  addCheck(name: string, check: () => Promise<unknown>): void;
  /** Runs the checks; ready only if the state is `ready` and every check answered in time. */
  probe(timeoutMs?: number): Promise<{ ready: boolean; state: ReadinessState; checks: Record<string, 'ok' | string> }>;
};

export function createReadiness(): Readiness {
  let state: ReadinessState = 'starting';
  const checks = new Map<string, () => Promise<unknown>>();
  return {
    get state() {
      return state;
    },
    markReady() {
      if (state === 'starting') state = 'ready';
    },
    markDraining() {
      state = 'draining';
    },
    addCheck(name, check) {
      checks.set(name, check);
    },
    // Within a second whatever the dependencies do: a probe that hangs is a probe that fails.
    async probe(timeoutMs = 800) {
      const results: Record<string, string> = {};
      await Promise.all(
        [...checks].map(async ([name, check]) => {
          results[name] = await withTimeout(check(), timeoutMs).then(
            () => 'ok',
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          );
        }),
      );
      const ready = state === 'ready' && Object.values(results).every((result) => result === 'ok');
      return { ready, state, checks: results };
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// --- HTTP ------------------------------------------------------------------------------

/** GET /metrics in the Prometheus text format (raw: infra/http/route.ts only speaks JSON). */
/**
 * GET /metrics. On a public port it needs `Authorization: Bearer <token>`; with no token it
 * is not served there at all (the operator port, PANTHEON_METRICS_PORT, serves it openly).
 */
export function metricsEndpoint(registry: Registry, access: { token: string } | 'open' = 'open') {
  return createEndpoint('/metrics', { method: 'GET' }, async (ctx) => {
    if (access !== 'open' && !sameToken(ctx.request?.headers.get('authorization') ?? '', `Bearer ${access.token}`)) {
      return Response.json({ error: { code: 'auth/missing_token', message: 'metrics need the operator token (Authorization: Bearer …) or the operator port' } }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    }
    return new Response(await registry.metrics(), { status: 200, headers: { 'Content-Type': registry.contentType } });
  });
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GET /readyz: 200 when ready, 503 while starting or draining or when a check fails. */
export function readyzEndpoint(readiness: Readiness) {
  return createEndpoint('/readyz', { method: 'GET' }, async () => {
    const result = await readiness.probe();
    return Response.json(result, { status: result.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
  });
}

/** For the game server's public router: /readyz, and /metrics only with a token. */
export function metricsRoutes(metrics: Pick<Metrics, 'registry' | 'readiness'>, options: { token?: string } = {}) {
  return { ...(options.token ? { metrics: metricsEndpoint(metrics.registry, { token: options.token }) } : {}), readyz: readyzEndpoint(metrics.readiness) };
}
