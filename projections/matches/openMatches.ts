// Battles, raids and rituals under way, as the read models need them: who plays, on which
// side, with which oracles, who forfeited, which oracles fell or stood on the brink. A
// match's end event says only how it ended; who that rewards is in its creation event,
// often many batches earlier. So this working state lives in a table of the projection
// (one row per open match, deleted when it ends), never in memory across batches: the live
// run and a rebuild, whatever their batch boundaries, see the same thing.
//
// Each batch loads the rows of the matches its events touch, tracks its events in order,
// and writes back only what changed. (The codex and the leaderboards keep theirs the same way.)
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { BattleCreated, DamageDealt, OracleFell, PlayerForfeited } from '../../rooms/battle/events.ts';
import type { OracleSnapshot } from '../../rooms/battle/model.ts';
import type { Element } from '../../events/content/index.ts';
import type { RaidCreated } from '../../rooms/raid/events.ts';
import type { RitualEvent } from '../../rooms/ritual/events.ts';
import type { TableDefinition } from '../../events/processor.ts';
import { rowsWhereIn, writeRows } from '../runner/bulk.ts';

export const openMatchesTable: TableDefinition = { columns: 'stream_id text PRIMARY KEY, state jsonb NOT NULL' };

export type MatchKind = 'battle' | 'raid' | 'ritual';

export type MatchPlayer = {
  playerId: string;
  /** Battles only; null in raids and rituals. */
  side: 'a' | 'b' | null;
  /** Forfeited a battle or raid, or abandoned a ritual. */
  forfeited: boolean;
};

export type MatchOracle = {
  oracleId: string;
  playerId: string;
  side: 'a' | 'b' | null;
  element: Element;
  maxHp: number;
  fallen: boolean;
  /** The lowest HP it was left with below 10 % of its max, or null if it never was. */
  brinkHp: number | null;
};

export type OpenMatch = {
  kind: MatchKind;
  /** The raid's boss id or the ritual's id; null for a battle. */
  subject: string | null;
  /** In participant (seat) order. */
  players: MatchPlayer[];
  /** In participant order, then each participant's oracle order; none in rituals. */
  oracles: MatchOracle[];
};

/** Event types that open a match, and those that end one. */
export const matchOpeners: ReadonlySet<string> = new Set(['BattleCreated', 'RaidCreated', 'RitualCreated']);
export const matchEnders: ReadonlySet<string> = new Set(['BattleEnded', 'RaidEnded', 'RitualCompleted']);

/** Below this share of its max HP (in percent) an oracle stands on the brink. */
export const BRINK_PERCENT = 10;

type RitualData<T extends RitualEvent['type']> = Extract<RitualEvent, { type: T }>['data'];

function fieldedOracles(participants: readonly { playerId: string; side?: 'a' | 'b'; oracles: readonly OracleSnapshot[] }[]): MatchOracle[] {
  return participants.flatMap((p) =>
    p.oracles.map((o) => ({ oracleId: o.oracleId, playerId: p.playerId, side: p.side ?? null, element: o.element, maxHp: o.stats.hp, fallen: false, brinkHp: null })),
  );
}

/** The match an opening event starts; without `oracles` (leaner rows) unless asked. */
export function openedBy(event: RecordedEvent, options: { oracles: boolean }): OpenMatch | undefined {
  const oraclesOf = options.oracles ? fieldedOracles : () => [];
  switch (event.type) {
    case 'BattleCreated': {
      const { participants } = event.data as BattleCreated['data'];
      return {
        kind: 'battle',
        subject: null,
        players: participants.map((p) => ({ playerId: p.playerId, side: p.side, forfeited: false })),
        oracles: oraclesOf(participants),
      };
    }
    case 'RaidCreated': {
      const { participants, boss } = event.data as RaidCreated['data'];
      return {
        kind: 'raid',
        subject: boss.bossId,
        players: participants.map((p) => ({ playerId: p.playerId, side: null, forfeited: false })),
        oracles: oraclesOf(participants),
      };
    }
    case 'RitualCreated': {
      const { participants, ritualId } = event.data as RitualData<'RitualCreated'>;
      return { kind: 'ritual', subject: ritualId, players: participants.map((playerId) => ({ playerId, side: null, forfeited: false })), oracles: [] };
    }
    default:
      return undefined;
  }
}

/** Applies one mid-match event to the match; returns whether anything changed. */
function track(match: OpenMatch, event: RecordedEvent): boolean {
  switch (event.type) {
    case 'PlayerForfeited':
    case 'RitualAbandoned': {
      const playerId = event.type === 'PlayerForfeited' ? (event.data as PlayerForfeited['data']).playerId : (event.data as RitualData<'RitualAbandoned'>).player;
      const player = match.players.find((p) => p.playerId === playerId);
      if (!player || player.forfeited) return false;
      player.forfeited = true;
      return true;
    }
    case 'OracleFell': {
      const oracle = match.oracles.find((o) => o.oracleId === (event.data as OracleFell['data']).oracleId);
      if (!oracle || oracle.fallen) return false;
      oracle.fallen = true;
      return true;
    }
    case 'DamageDealt': {
      const { targetId, hpAfter } = event.data as DamageDealt['data'];
      const oracle = match.oracles.find((o) => o.oracleId === targetId);
      if (!oracle || hpAfter * 100 >= oracle.maxHp * BRINK_PERCENT || (oracle.brinkHp !== null && oracle.brinkHp <= hpAfter)) return false;
      oracle.brinkHp = hpAfter;
      return true;
    }
    default:
      return false;
  }
}

export type OpenMatchesOptions = {
  /** Track each match's oracles (owner, element, max HP, fallen, brink); progression needs only players. */
  oracles: boolean;
};

export class OpenMatches {
  readonly #table: string;
  readonly #options: OpenMatchesOptions;
  readonly #matches = new Map<string, OpenMatch>();
  /** Streams whose row exists in the table. */
  readonly #stored = new Set<string>();
  readonly #dirty = new Set<string>();

  private constructor(table: string, options: OpenMatchesOptions) {
    this.#table = table;
    this.#options = options;
  }

  /** Loads the open matches that `events` continue (those not opened within the batch). */
  static async load(tx: SqlQueryable, table: string, events: readonly RecordedEvent[], options: OpenMatchesOptions): Promise<OpenMatches> {
    const matches = new OpenMatches(table, options);
    const openedHere = new Set<string>();
    const continued = new Set<string>();
    for (const event of events) {
      if (matchOpeners.has(event.type)) openedHere.add(event.streamId);
      else if (!openedHere.has(event.streamId)) continued.add(event.streamId);
    }
    const rows = await rowsWhereIn<{ stream_id: string; state: OpenMatch }>(tx, table, 'stream_id', [...continued]);
    for (const row of rows) {
      matches.#matches.set(row.stream_id, row.state);
      matches.#stored.add(row.stream_id);
    }
    return matches;
  }

  /**
   * Tracks one event (in global order) and returns the match it belongs to, as it stands
   * after the event; for an end event, as it ended (it is closed afterwards). Undefined for
   * events of a match this projection never saw open.
   */
  track(event: RecordedEvent): OpenMatch | undefined {
    const opened = openedBy(event, this.#options);
    if (opened) {
      this.#matches.set(event.streamId, opened);
      this.#dirty.add(event.streamId);
      return opened;
    }
    const match = this.#matches.get(event.streamId);
    if (!match) return undefined;
    if (matchEnders.has(event.type)) {
      this.#matches.delete(event.streamId);
      this.#dirty.add(event.streamId);
    } else if (track(match, event)) {
      this.#dirty.add(event.streamId);
    }
    return match;
  }

  /** Writes back the matches still open that changed and deletes those that ended. */
  async save(tx: SqlQueryable): Promise<void> {
    const open: { stream_id: string; state: OpenMatch }[] = [];
    const ended: string[] = [];
    for (const streamId of this.#dirty) {
      const match = this.#matches.get(streamId);
      if (match) open.push({ stream_id: streamId, state: match });
      else if (this.#stored.has(streamId)) ended.push(streamId);
    }
    if (ended.length > 0) await tx.query(`DELETE FROM ${this.#table} WHERE stream_id = ANY($1::text[])`, [ended]);
    await writeRows(tx, {
      table: this.#table,
      columns: [['stream_id', 'text'], ['state', 'jsonb']],
      rows: open,
      conflict: { key: ['stream_id'], action: 'update' },
    });
  }
}
