// What the operator console (infra/web, /console) reads beside the projection, anti-cheat,
// content and flag routes: the rooms and clients of every game-server process, a snapshot of
// this process's metrics (the series GET /metrics exposes, as JSON the console charts), the
// Kafka relay's checkpoint and lag, and the audits the audit worker recorded.
import { matchMaker } from '@colyseus/core';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { ANTICHEAT, listAudits } from '../../projections/anticheat/index.ts';
import { readModelTable } from '../../projections/index.ts';
import { readCheckpoints } from '../../projections/runner/checkpoints.ts';
import { defineRoute, Reply } from './route.ts';

const operators = { roles: ['admin', 'auditor'] } as const;

/** The relay's checkpoint name (infra/kafka/relay.ts). */
export const RELAY_CHECKPOINT = 'kafka_relay';

const RoomBody = z.object({
  roomId: z.string(), name: z.string(), processId: z.string(), clients: z.int(), maxClients: z.number().nullable(),
  locked: z.boolean(), createdAt: z.string().nullable(), match: z.string().nullable().describe('the stream a spectator room shows'),
});

export const MetricsSnapshot = z.object({
  at: z.number().describe('ms since the epoch, on this server'),
  processId: z.string().nullable(),
  ccu: z.number(),
  rooms: z.record(z.string(), z.number()).describe('rooms of this process by kind'),
  appendedEvents: z.number().describe('events appended through this process since it started'),
  commands: z.object({ accepted: z.number(), refused: z.number() }),
  roomErrors: z.number(),
  ticks: z.record(z.string(), z.object({ count: z.number(), sumSeconds: z.number() })).describe('room ticks by kind: how many, and their total duration'),
  eventLoopLagSeconds: z.number().nullable(),
  residentMemoryBytes: z.number().nullable(),
  projectionLagEvents: z.record(z.string(), z.number()).describe('per processor this process runs'),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;

type MetricJson = { name: string; type: string; values: { value: number; labels: Record<string, string | number>; metricName?: string }[] };

/** The console's figures from a prom-client registry: what /metrics exposes, summed over labels the console does not split by. */
export async function metricsSnapshot(registry: Registry, now: () => number = Date.now): Promise<MetricsSnapshot> {
  const metrics = (await registry.getMetricsAsJSON()) as unknown as MetricJson[];
  const byName = new Map(metrics.map((metric) => [metric.name, metric]));
  const values = (name: string) => byName.get(name)?.values ?? [];
  const sum = (name: string, filter: (labels: Record<string, string | number>) => boolean = () => true) =>
    values(name).filter((v) => filter(v.labels)).reduce((total, v) => total + v.value, 0);
  const single = (name: string) => values(name)[0]?.value ?? null;
  const perLabel = (name: string, label: string) => {
    const out: Record<string, number> = {};
    for (const v of values(name)) out[String(v.labels[label])] = (out[String(v.labels[label])] ?? 0) + v.value;
    return out;
  };
  const ticks: MetricsSnapshot['ticks'] = {};
  for (const v of values('pantheon_tick_seconds')) {
    const kind = String(v.labels.kind);
    const entry = (ticks[kind] ??= { count: 0, sumSeconds: 0 });
    if (v.metricName === 'pantheon_tick_seconds_count') entry.count += v.value;
    if (v.metricName === 'pantheon_tick_seconds_sum') entry.sumSeconds += v.value;
  }
  return {
    at: now(),
    processId: matchMaker.processId ?? null,
    ccu: sum('pantheon_ccu'),
    rooms: perLabel('pantheon_rooms', 'kind'),
    appendedEvents: sum('pantheon_appended_events_total'),
    commands: {
      accepted: sum('pantheon_room_commands_total', (l) => l.outcome === 'accepted'),
      refused: sum('pantheon_room_commands_total', (l) => l.outcome === 'refused'),
    },
    roomErrors: sum('pantheon_room_errors_total'),
    ticks,
    eventLoopLagSeconds: single('nodejs_eventloop_lag_seconds'),
    residentMemoryBytes: single('process_resident_memory_bytes'),
    projectionLagEvents: perLabel('pantheon_projection_lag_events', 'name'),
  };
}

/** The cookie /monitor reads (infra/web/serve.ts). */
export const MONITOR_COOKIE = 'pantheon_monitor';

export type OperationsServices = {
  store: Pick<EventStore, 'headPosition' | 'readAll'>;
  db: SqlQueryable;
  schema: string;
  /** This process's metrics (infra/metrics.ts); without it the snapshot route is not served. */
  registry?: Registry;
};

export function operationsRoutes({ store, db, schema, registry }: OperationsServices) {
  return [
    defineRoute({
      name: 'listRooms',
      method: 'GET',
      path: '/operations/rooms',
      summary: 'Every room of every game-server process (through the shared driver with REDIS_URL), and the clients per process',
      tags: ['operations'],
      access: operators,
      response: z.object({
        processes: z.array(z.object({ processId: z.string(), rooms: z.int(), ccu: z.int() })),
        rooms: z.array(RoomBody),
      }),
      handle: async () => {
        const rooms = await matchMaker.query({});
        const processes = new Map<string, { processId: string; rooms: number; ccu: number }>();
        if (matchMaker.processId) processes.set(matchMaker.processId, { processId: matchMaker.processId, rooms: 0, ccu: 0 });
        for (const room of rooms) {
          const entry = processes.get(room.processId) ?? { processId: room.processId, rooms: 0, ccu: 0 };
          entry.rooms += 1;
          entry.ccu += room.clients;
          processes.set(room.processId, entry);
        }
        return {
          processes: [...processes.values()],
          rooms: rooms.map((room) => ({
            roomId: room.roomId,
            name: room.name,
            processId: room.processId,
            clients: room.clients,
            maxClients: Number.isFinite(room.maxClients) ? room.maxClients : null,
            locked: room.locked ?? false,
            createdAt: room.createdAt ? new Date(room.createdAt).toISOString() : null,
            match: typeof room.metadata?.streamId === 'string' ? room.metadata.streamId : null,
          })),
        };
      },
    }),
    ...(registry
      ? [
          defineRoute({
            name: 'metricsSnapshot',
            method: 'GET',
            path: '/operations/metrics',
            summary: "This process's metrics as JSON (CCU, rooms, appends, commands, ticks, event loop lag, memory, projection lag): the series GET /metrics exposes",
            tags: ['operations'],
            access: operators,
            response: MetricsSnapshot,
            handle: () => metricsSnapshot(registry),
          }),
        ]
      : []),
    defineRoute({
      name: 'relayStatus',
      method: 'GET',
      path: '/operations/relay',
      summary: "The Kafka relay's checkpoint and how far behind the log it is (null when no relay has run on this store)",
      tags: ['operations'],
      access: operators,
      response: z.object({
        relay: z.object({ name: z.string(), position: z.int(), head: z.int(), lagEvents: z.int(), lagMs: z.number(), error: z.string().nullable() }).nullable(),
      }),
      handle: async () => {
        const checkpoint = (await readCheckpoints(db, schema).catch(whenMissing([]))).find((c) => c.name === RELAY_CHECKPOINT);
        if (!checkpoint) return { relay: null };
        const head = await store.headPosition();
        const lagEvents = Math.max(0, head - checkpoint.position);
        let lagMs = 0;
        if (lagEvents > 0) {
          const [oldest] = await store.readAll({ fromPosition: checkpoint.position + 1, limit: 1 });
          lagMs = oldest ? Math.max(0, Date.now() - Date.parse(oldest.metadata.recordedAt)) : 0;
        }
        return { relay: { name: checkpoint.name, position: checkpoint.position, head, lagEvents, lagMs, error: checkpoint.error } };
      },
    }),
    defineRoute({
      name: 'openMonitor',
      method: 'POST',
      path: '/operations/monitor-session',
      summary: "Opens @colyseus/monitor at /monitor for this admin: the session token in an HttpOnly, SameSite=Strict cookie scoped to /monitor (the monitor's page sends no Authorization header)",
      tags: ['operations'],
      access: 'admin',
      response: z.object({ url: z.string(), expiresIn: z.int() }),
      handle: async ({ request }) => {
        const token = (request?.headers.get('authorization') ?? '').slice('Bearer '.length);
        const expiresIn = Math.max(1, expiryOf(token) - Math.floor(Date.now() / 1000));
        const secure = request?.headers.get('x-forwarded-proto') === 'https' || request?.url.startsWith('https:') ? '; Secure' : '';
        return new Reply({ url: '/monitor', expiresIn }, {
          headers: { 'set-cookie': `${MONITOR_COOKIE}=${token}; Path=/monitor; HttpOnly; SameSite=Strict; Max-Age=${expiresIn}${secure}`, 'cache-control': 'no-store' },
        });
      },
    }),
    defineRoute({
      name: 'listAudits',
      method: 'GET',
      path: '/anticheat/audits',
      summary: 'Streams the audit worker audited, most recent first, optionally of one verdict',
      tags: ['operations'],
      access: operators,
      query: z.strictObject({
        verdict: z.enum(['clean', 'diverged', 'tampered', 'unauditable']).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(50),
      }),
      response: z.object({ audits: z.array(z.object({ streamId: z.string(), verdict: z.string(), lastVersion: z.int(), rulesVersion: z.string().nullable(), position: z.int() })) }),
      handle: async ({ query }) => {
        // Before the anti-cheat read model first ran, its view does not exist: nothing audited yet.
        return { audits: await listAudits(db, readModelTable(schema, ANTICHEAT, 'audits'), { verdict: query.verdict, limit: query.limit }).catch(whenMissing([])) };
      },
    }),
  ];
}

/** A table or view that does not exist yet (no projector has run on this store): `empty` instead. */
function whenMissing<T>(empty: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof Error && ((error as { code?: unknown }).code === '42P01' || /does not exist/.test(error.message))) return empty;
    throw error;
  };
}

/** The `exp` of a token the route's access check has just verified. */
function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : Math.floor(Date.now() / 1000) + 900;
  } catch {
    return Math.floor(Date.now() / 1000) + 900;
  }
}
