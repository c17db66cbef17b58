// The anti-cheat read model: findings an investigator works through.
//
// - From AuditCompleted: streams whose audit came back diverged, tampered or unauditable.
// - Command rates beyond human limits: more than `maxCommandsPerSecond` commands (accepted
//   or refused) from one player in one second of a room's ticks (ticks, not wall clock, so
//   a rebuild gives the same rows).
// - Repeated impossible commands: one player refused with the same code again and again in
//   one room (a client that does not look at the state, or probes the rules).
//
// Working state (the current second's count, refusal tallies) lives in its own tables and
// is dropped when the room ends. Every batch loads the state it touches, folds its events
// in order in memory and writes the result back, so the rows do not depend on how the
// events were batched: a rebuild produces the same findings as the live run.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { AuditCompleted, type AuditCompletedData } from './events.ts';
import { CommandAccepted, CommandRejected } from '../../events/tick/roomEvents.ts';
import { defineProjection, type Projection } from '../../events/processor.ts';

export type AnticheatLimits = {
  /** Commands per player per second of ticks a human can plausibly send. */
  maxCommandsPerSecond: number;
  /** Refusals with one code per player per room before it is a finding. */
  repeatedRefusals: number;
  /** Codes an honest client never earns (its UI does not offer the move): flagged sooner. */
  impossibleCodes: ReadonlySet<string>;
  repeatedImpossible: number;
};

export const defaultLimits: AnticheatLimits = {
  maxCommandsPerSecond: 15,
  repeatedRefusals: 40,
  impossibleCodes: new Set([
    'command/invalid', 'command/unknown', 'command/too_large',
    'battle/not_participant', 'battle/not_your_oracle', 'battle/unknown_ability', 'battle/invalid_target',
    'raid/not_participant', 'raid/not_your_oracle', 'raid/unknown_ability', 'raid/invalid_target',
    'ritual/not_participant',
  ]),
  repeatedImpossible: 5,
};

export type AnticheatOptions = {
  /** Ticks per second by stream category (`battle-…` → battle); rooms of other categories are not rate-checked. */
  tickHz: Readonly<Record<string, number>>;
  /** Event types that end a room: its working state is dropped then. */
  endEventTypes: ReadonlySet<string>;
  limits?: Partial<AnticheatLimits>;
};

export type FindingKind = 'diverged' | 'tampered' | 'unauditable' | 'command_rate' | 'repeated_refusal';

export type Finding = {
  findingId: string;
  streamId: string;
  playerId: string | null;
  kind: FindingKind;
  tick: number | null;
  version: number | null;
  detail: Record<string, unknown>;
  /** Global position of the event that raised it. */
  position: number;
};

export const ANTICHEAT = 'anticheat';

const tables = {
  findings: {
    columns: `finding_id text PRIMARY KEY, stream_id text NOT NULL, player_id text, kind text NOT NULL,
      tick integer, version bigint, detail jsonb NOT NULL, position bigint NOT NULL`,
    indexes: ['stream_id', 'kind, position', 'player_id'],
  },
  audits: {
    columns: `stream_id text PRIMARY KEY, verdict text NOT NULL, last_version bigint NOT NULL, rules_version text, position bigint NOT NULL`,
    indexes: ['verdict'],
  },
  rate_windows: {
    columns: 'stream_id text NOT NULL, player_id text NOT NULL, second bigint NOT NULL, count integer NOT NULL, PRIMARY KEY (stream_id, player_id)',
  },
  refusal_tallies: {
    columns: 'stream_id text NOT NULL, player_id text NOT NULL, code text NOT NULL, count integer NOT NULL, PRIMARY KEY (stream_id, player_id, code)',
  },
} as const;

type TableKey = keyof typeof tables;

type RateRow = { second: number; count: number };
type Command = { streamId: string; playerId: string; tick: number; code: string | null };

export function anticheatProjection(options: AnticheatOptions): Projection<TableKey> {
  const limits = { ...defaultLimits, ...options.limits };
  const commandTypes: readonly string[] = [CommandAccepted.type, CommandRejected.type];
  return defineProjection<TableKey>({
    name: ANTICHEAT,
    version: 1,
    tables,
    eventTypes: new Set([...commandTypes, AuditCompleted.type, ...options.endEventTypes]),
    async apply(tx, events, t) {
      const hzOf = (streamId: string) => options.tickHz[streamId.slice(0, streamId.indexOf('-'))];
      const commands = events.filter((e) => commandTypes.includes(e.type) && hzOf(e.streamId) !== undefined);

      // The state this batch touches, as stored.
      const rateKey = (s: string, p: string) => `${s}\u0000${p}`;
      const tallyKey = (s: string, p: string, c: string) => `${s}\u0000${p}\u0000${c}`;
      const pairs = unique(commands.map((e) => [e.streamId, playerOf(e)] as const), ([s, p]) => rateKey(s, p));
      const rates = new Map<string, RateRow>();
      const tallies = new Map<string, number>();
      const findings = new Map<string, Finding>();
      if (pairs.length > 0) {
        const keys = JSON.stringify(pairs.map(([stream, player]) => ({ stream, player })));
        const rows = await tx.query<{ stream_id: string; player_id: string; second: string; count: number }>(
          `SELECT r.stream_id, r.player_id, r.second, r.count FROM ${t.rate_windows} r
             JOIN jsonb_to_recordset($1::jsonb) AS k(stream text, player text) ON r.stream_id = k.stream AND r.player_id = k.player`,
          [keys],
        );
        for (const row of rows) rates.set(rateKey(row.stream_id, row.player_id), { second: Number(row.second), count: row.count });
        const tallied = await tx.query<{ stream_id: string; player_id: string; code: string; count: number }>(
          `SELECT r.stream_id, r.player_id, r.code, r.count FROM ${t.refusal_tallies} r
             JOIN jsonb_to_recordset($1::jsonb) AS k(stream text, player text) ON r.stream_id = k.stream AND r.player_id = k.player`,
          [keys],
        );
        for (const row of tallied) tallies.set(tallyKey(row.stream_id, row.player_id, row.code), row.count);
        const found = await tx.query<FindingRow>(
          `SELECT f.* FROM ${t.findings} f
             JOIN jsonb_to_recordset($1::jsonb) AS k(stream text, player text) ON f.stream_id = k.stream AND f.player_id = k.player`,
          [keys],
        );
        for (const row of found) findings.set(row.finding_id, fromRow(row));
      }

      const ended = new Set<string>();
      const audits: { streamId: string; data: AuditCompletedData; position: number }[] = [];
      for (const event of events) {
        if (event.type === AuditCompleted.type) {
          audits.push({ streamId: (event.data as AuditCompletedData).stream, data: event.data as AuditCompletedData, position: event.position });
          continue;
        }
        if (options.endEventTypes.has(event.type)) {
          ended.add(event.streamId);
          for (const map of [rates, tallies]) for (const key of map.keys()) if (key.startsWith(`${event.streamId}\u0000`)) map.delete(key);
          continue;
        }
        const hz = hzOf(event.streamId);
        if (hz === undefined || !commandTypes.includes(event.type)) continue;
        const command = commandOf(event);

        // Rate: the count of the current second of ticks.
        const second = Math.floor(command.tick / hz);
        const key = rateKey(command.streamId, command.playerId);
        const window = rates.get(key);
        const current = window && window.second === second ? { second, count: window.count + 1 } : { second, count: 1 };
        rates.set(key, current);
        if (current.count > limits.maxCommandsPerSecond) {
          const id = `command_rate:${command.streamId}:${command.playerId}`;
          const previous = findings.get(id);
          const seconds = (previous?.detail.seconds as number | undefined) ?? 0;
          findings.set(id, {
            findingId: id, streamId: command.streamId, playerId: command.playerId, kind: 'command_rate',
            tick: previous?.tick ?? command.tick, version: previous?.version ?? event.version, position: previous?.position ?? event.position,
            detail: {
              limitPerSecond: limits.maxCommandsPerSecond,
              // Seconds in which the limit was exceeded, and the busiest one.
              seconds: current.count === limits.maxCommandsPerSecond + 1 ? seconds + 1 : seconds,
              peakPerSecond: Math.max((previous?.detail.peakPerSecond as number | undefined) ?? 0, current.count),
              lastTick: command.tick,
            },
          });
        }

        // Repeated refusals with one code.
        if (command.code !== null) {
          const tally = tallyKey(command.streamId, command.playerId, command.code);
          const count = (tallies.get(tally) ?? 0) + 1;
          tallies.set(tally, count);
          const threshold = limits.impossibleCodes.has(command.code) ? limits.repeatedImpossible : limits.repeatedRefusals;
          if (count >= threshold) {
            const id = `repeated_refusal:${command.streamId}:${command.playerId}:${command.code}`;
            const previous = findings.get(id);
            findings.set(id, {
              findingId: id, streamId: command.streamId, playerId: command.playerId, kind: 'repeated_refusal',
              tick: previous?.tick ?? command.tick, version: previous?.version ?? event.version, position: previous?.position ?? event.position,
              detail: { code: command.code, count, threshold, impossible: limits.impossibleCodes.has(command.code), lastTick: command.tick },
            });
          }
        }
      }

      for (const { streamId, data, position } of audits) {
        await tx.query(
          `INSERT INTO ${t.audits} AS a (stream_id, verdict, last_version, rules_version, position) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (stream_id) DO UPDATE SET verdict = excluded.verdict, last_version = excluded.last_version,
             rules_version = excluded.rules_version, position = excluded.position
           WHERE a.last_version <= excluded.last_version`,
          [streamId, data.verdict, data.lastVersion, data.rulesVersion, position],
        );
        if (data.verdict === 'clean') continue;
        const id = `${data.verdict}:${streamId}:${data.lastVersion}`;
        findings.set(id, {
          findingId: id, streamId, playerId: null, kind: data.verdict,
          tick: data.divergence?.tick ?? null,
          version: data.divergence?.version ?? data.tampered?.version ?? null,
          detail: { rulesVersion: data.rulesVersion, lastVersion: data.lastVersion, divergence: data.divergence, tampered: data.tampered, problem: data.problem },
          position,
        });
      }

      if (findings.size > 0) {
        await tx.query(
          `INSERT INTO ${t.findings} (finding_id, stream_id, player_id, kind, tick, version, detail, position)
           SELECT f.finding_id, f.stream_id, f.player_id, f.kind, f.tick, f.version, f.detail, f.position
             FROM jsonb_to_recordset($1::jsonb) AS f(finding_id text, stream_id text, player_id text, kind text, tick integer, version bigint, detail jsonb, position bigint)
           ON CONFLICT (finding_id) DO UPDATE SET detail = excluded.detail`,
          [JSON.stringify([...findings.values()].map(toRow))],
        );
      }
      const rateRows = [...rates].map(([key, row]) => ({ ...splitKey(key), second: row.second, count: row.count }));
      if (rateRows.length > 0) {
        await tx.query(
          `INSERT INTO ${t.rate_windows} (stream_id, player_id, second, count)
           SELECT r.stream_id, r.player_id, r.second, r.count FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, player_id text, second bigint, count integer)
           ON CONFLICT (stream_id, player_id) DO UPDATE SET second = excluded.second, count = excluded.count`,
          [JSON.stringify(rateRows)],
        );
      }
      const tallyRows = [...tallies].map(([key, count]) => ({ ...splitKey(key), count }));
      if (tallyRows.length > 0) {
        await tx.query(
          `INSERT INTO ${t.refusal_tallies} (stream_id, player_id, code, count)
           SELECT r.stream_id, r.player_id, r.code, r.count FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, player_id text, code text, count integer)
           ON CONFLICT (stream_id, player_id, code) DO UPDATE SET count = excluded.count`,
          [JSON.stringify(tallyRows)],
        );
      }
      if (ended.size > 0) {
        const streams = [...ended];
        await tx.query(`DELETE FROM ${t.rate_windows} WHERE stream_id = ANY($1::text[])`, [streams]);
        await tx.query(`DELETE FROM ${t.refusal_tallies} WHERE stream_id = ANY($1::text[])`, [streams]);
      }
    },
  });
}

type FindingRow = {
  finding_id: string; stream_id: string; player_id: string | null; kind: FindingKind;
  tick: number | null; version: string | number | null; detail: Record<string, unknown>; position: string | number;
};

function fromRow(row: FindingRow): Finding {
  return {
    findingId: row.finding_id, streamId: row.stream_id, playerId: row.player_id, kind: row.kind, tick: row.tick,
    version: row.version === null ? null : Number(row.version), detail: row.detail, position: Number(row.position),
  };
}

function toRow(f: Finding) {
  return { finding_id: f.findingId, stream_id: f.streamId, player_id: f.playerId, kind: f.kind, tick: f.tick, version: f.version, detail: f.detail, position: f.position };
}

/** Findings, newest first, optionally for one stream: what an investigator lists. */
export async function listFindings(db: SqlQueryable, table: string, filter: { streamId?: string; kind?: FindingKind; limit?: number } = {}): Promise<Finding[]> {
  const rows = await db.query<FindingRow>(
    `SELECT * FROM ${table} WHERE ($1::text IS NULL OR stream_id = $1) AND ($2::text IS NULL OR kind = $2) ORDER BY position DESC, finding_id LIMIT $3`,
    [filter.streamId ?? null, filter.kind ?? null, filter.limit ?? 100],
  );
  return rows.map(fromRow);
}

function playerOf(event: RecordedEvent): string {
  return (event.data as { playerId: string }).playerId;
}

function commandOf(event: RecordedEvent): Command {
  const data = event.data as { playerId: string; tick: number; code?: string };
  return { streamId: event.streamId, playerId: data.playerId, tick: data.tick, code: event.type === CommandRejected.type ? (data.code ?? null) : null };
}

function splitKey(key: string): { stream_id: string; player_id: string; code?: string } {
  const [stream_id, player_id, code] = key.split('\u0000') as [string, string, string | undefined];
  return code === undefined ? { stream_id, player_id } : { stream_id, player_id, code };
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

export type AuditRow = { streamId: string; verdict: string; lastVersion: number; rulesVersion: string | null; position: number };

/** Audited streams, most recently audited first, optionally of one verdict or stream: what an operator lists. */
export async function listAudits(db: SqlQueryable, table: string, filter: { verdict?: string; streamId?: string; limit?: number } = {}): Promise<AuditRow[]> {
  const rows = await db.query<{ stream_id: string; verdict: string; last_version: string | number; rules_version: string | null; position: string | number }>(
    `SELECT * FROM ${table} WHERE ($1::text IS NULL OR verdict = $1) AND ($2::text IS NULL OR stream_id = $2) ORDER BY position DESC, stream_id LIMIT $3`,
    [filter.verdict ?? null, filter.streamId ?? null, filter.limit ?? 100],
  );
  return rows.map((row) => ({ streamId: row.stream_id, verdict: row.verdict, lastVersion: Number(row.last_version), rulesVersion: row.rules_version, position: Number(row.position) }));
}
