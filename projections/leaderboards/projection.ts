// The leaderboards read model: per player and per season (and all-time, as season
// `global`), the scores the boards rank: Glicko-2 rating, crowns and raid victories.
//
// Seasons are calendar months (UTC) of the event that ended the match, from its recordedAt:
// data in the log, so a rebuild puts every match in the same season. Each season's rating
// starts afresh at 1500 ± 350; the global rating is the all-time one, equal to the rating on
// the player's progression profile (both fold the same outcomes with the same rules).
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { tableColumns, writeRows, type Column } from '../runner/bulk.ts';
import { OpenMatches, openMatchesTable } from '../matches/openMatches.ts';
import { outcomeOf, type BattleOutcome, type MatchOutcome, type RaidOutcome } from '../progression/outcomes.ts';
import { initialRating, rateBattle } from '../progression/rating.ts';
import { defineProjection, type ProjectionTables } from '../../events/processor.ts';
import { GLOBAL, seasonOf } from './seasons.ts';

export const LEADERBOARDS = 'leaderboards';
/** Bump when the rating or crown rules (progression/), the seasons or this handler change. */
export const LEADERBOARDS_VERSION = 1;

const standingColumns = [
  ['season', 'text'], ['player_id', 'text'],
  ['rating', 'integer'], ['rd', 'integer'], ['volatility', 'integer'], ['rated_battles', 'integer'],
  ['crowns', 'integer'], ['raid_victories', 'integer'],
] as const satisfies readonly Column[];

export type StandingRow = {
  season: string; player_id: string;
  rating: number; rd: number; volatility: number; rated_battles: number;
  crowns: number; raid_victories: number;
};

type Tables = ProjectionTables<'standings' | 'open_matches'>;

const keyOf = (season: string, playerId: string) => `${season}\u0000${playerId}`;

function newStanding(season: string, playerId: string): StandingRow {
  return { season, player_id: playerId, ...initialRating, rated_battles: 0, crowns: 0, raid_victories: 0 };
}

type Ranked = BattleOutcome | RaidOutcome;

async function loadStandings(tx: SqlQueryable, table: string, outcomes: readonly Ranked[]): Promise<Map<string, StandingRow>> {
  const wanted = new Map<string, [string, string]>();
  for (const outcome of outcomes) {
    const season = seasonOf(outcome.source.recordedAt);
    for (const { playerId } of outcome.players) {
      for (const scope of [GLOBAL, season]) wanted.set(keyOf(scope, playerId), [scope, playerId]);
    }
  }
  const keys = [...wanted.values()];
  const rows = await tx.query<StandingRow>(
    `SELECT s.* FROM ${table} s JOIN unnest($1::text[], $2::text[]) AS k(season, player_id) USING (season, player_id)`,
    [keys.map(([season]) => season), keys.map(([, playerId]) => playerId)],
  );
  const standings = new Map(rows.map((row) => [keyOf(row.season, row.player_id), row]));
  for (const [key, [season, playerId]] of wanted) if (!standings.has(key)) standings.set(key, newStanding(season, playerId));
  return standings;
}

/** Folds one outcome into the global and seasonal standings of its players. */
export function rankOutcome(outcome: Ranked, standings: Map<string, StandingRow>): void {
  for (const scope of [GLOBAL, seasonOf(outcome.source.recordedAt)]) {
    const row = (playerId: string) => standings.get(keyOf(scope, playerId))!;
    if (outcome.kind === 'raid') {
      for (const p of outcome.players) if (p.result === 'victory') row(p.playerId).raid_victories += 1;
      continue;
    }
    for (const p of outcome.players) row(p.playerId).crowns += p.crowns;
    if (!outcome.rated) continue;
    const changes = rateBattle(outcome.players.map((p) => {
      const { rating, rd, volatility } = row(p.playerId);
      return { playerId: p.playerId, side: p.side, result: p.rating, before: { rating, rd, volatility } };
    }));
    for (const change of changes) {
      const standing = row(change.playerId);
      Object.assign(standing, change.after);
      standing.rated_battles += 1;
    }
  }
}

async function apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> {
  const matches = await OpenMatches.load(tx, tables.open_matches, events, { oracles: false });
  const outcomes: Ranked[] = [];
  for (const event of events) {
    const match = matches.track(event);
    const outcome: MatchOutcome | undefined = match && outcomeOf(event, match);
    if (outcome && outcome.kind !== 'ritual') outcomes.push(outcome);
  }
  await matches.save(tx);
  if (outcomes.length === 0) return;
  const standings = await loadStandings(tx, tables.standings, outcomes);
  for (const outcome of outcomes) rankOutcome(outcome, standings);
  await writeRows(tx, { table: tables.standings, columns: standingColumns, rows: [...standings.values()], conflict: { key: ['season', 'player_id'], action: 'update' } });
}

export const leaderboardsProjection = defineProjection({
  name: LEADERBOARDS,
  version: LEADERBOARDS_VERSION,
  tables: {
    standings: {
      columns: tableColumns(standingColumns, 'season, player_id'),
      indexes: ['season, rating DESC, player_id', 'season, crowns DESC, player_id', 'season, raid_victories DESC, player_id'],
    },
    open_matches: openMatchesTable,
  },
  eventTypes: new Set(['BattleCreated', 'PlayerForfeited', 'BattleEnded', 'RaidCreated', 'RaidEnded']),
  apply,
});
