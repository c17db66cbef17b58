// The progression read model: per player, lifetime XP with its level and ascension, crowns,
// battle/raid/ritual records and the Glicko-2 PvP rating; plus the line-by-line history
// behind them (one XP award per finished match, one rating change per rated battle).
//
// A batch: load the open matches its events continue, track the events in order, collect
// the outcomes of the matches that ended; load those players' rows; fold the outcomes in
// order in memory; write every table with one statement each.
import { canonicalJson, sha256Hex } from '../../events/canonical.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { defineProjection, type ProjectionTables } from '../../events/processor.ts';
import { rowsWhereIn, tableColumns, writeRows, type Column } from '../runner/bulk.ts';
import { levelProgress, MAX_LEVEL, xpToAdvance } from './levels.ts';
import { OpenMatches, openMatchesTable } from '../matches/openMatches.ts';
import { outcomeOf, type MatchOutcome } from './outcomes.ts';
import { initialRating, rateBattle, RATING_SCALE, TAU, VOLATILITY_SCALE, type StoredRating } from './rating.ts';
import { xpTable } from './xp.ts';

export const PROGRESSION = 'progression';
/** Bump when the rules below or this handler change: the runner then rebuilds from the log. */
export const PROGRESSION_VERSION = 1;

/**
 * The numbers stored rows depend on (XP table, level bars, rating constants): tests pin it,
 * so changing them cannot ship without bumping the versions of progression and leaderboards.
 */
export function progressionRulesFingerprint(): string {
  const bars = Array.from({ length: MAX_LEVEL }, (_, i) => xpToAdvance(i + 1));
  return sha256Hex(canonicalJson({ xpTable, bars, tau: TAU, initialRating, scales: [RATING_SCALE, VOLATILITY_SCALE] }));
}

const playerColumns = [
  ['player_id', 'text'], ['xp', 'bigint'], ['level', 'integer'], ['ascension', 'integer'], ['crowns', 'integer'],
  ['battles', 'integer'], ['battles_won', 'integer'], ['battles_drawn', 'integer'], ['battles_lost', 'integer'], ['battles_forfeited', 'integer'],
  ['raids', 'integer'], ['raid_victories', 'integer'], ['rituals', 'integer'], ['rituals_succeeded', 'integer'],
  ['rating', 'integer'], ['rd', 'integer'], ['volatility', 'integer'], ['rated_battles', 'integer'],
  ['last_position', 'bigint'],
] as const satisfies readonly Column[];

const awardColumns = [
  ['player_id', 'text'], ['position', 'bigint'], ['stream_id', 'text'], ['event_id', 'text'], ['reason', 'text'], ['xp', 'integer'],
] as const satisfies readonly Column[];

const ratingChangeColumns = [
  ['player_id', 'text'], ['position', 'bigint'], ['stream_id', 'text'], ['result', 'text'],
  ['opponent_rating', 'integer'], ['opponent_rd', 'integer'],
  ['rating_before', 'integer'], ['rating_after', 'integer'], ['rd_before', 'integer'], ['rd_after', 'integer'],
  ['volatility_before', 'integer'], ['volatility_after', 'integer'],
] as const satisfies readonly Column[];

type Row<C extends readonly Column[]> = { [K in C[number][0]]: K extends 'player_id' | 'stream_id' | 'event_id' | 'reason' | 'result' ? string : number };
export type PlayerRow = Row<typeof playerColumns>;
export type AwardRow = Row<typeof awardColumns>;
export type RatingChangeRow = Row<typeof ratingChangeColumns>;

export function newPlayer(playerId: string): PlayerRow {
  return {
    player_id: playerId, xp: 0, level: 1, ascension: 0, crowns: 0,
    battles: 0, battles_won: 0, battles_drawn: 0, battles_lost: 0, battles_forfeited: 0,
    raids: 0, raid_victories: 0, rituals: 0, rituals_succeeded: 0,
    rating: initialRating.rating, rd: initialRating.rd, volatility: initialRating.volatility, rated_battles: 0,
    last_position: 0,
  };
}

const ratingOf = (row: PlayerRow): StoredRating => ({ rating: row.rating, rd: row.rd, volatility: row.volatility });

/** Folds one match outcome into the players' rows; returns the history rows it adds. */
function applyOutcome(outcome: MatchOutcome, players: Map<string, PlayerRow>): { awards: AwardRow[]; ratingChanges: RatingChangeRow[] } {
  const { source } = outcome;
  const row = (playerId: string) => players.get(playerId)!;
  const awards: AwardRow[] = [];
  for (const result of outcome.players) {
    const player = row(result.playerId);
    player.xp += result.xp;
    const { level, ascension } = levelProgress(player.xp);
    player.level = level;
    player.ascension = ascension;
    player.crowns += result.crowns;
    player.last_position = source.position;
    awards.push({ player_id: result.playerId, position: source.position, stream_id: source.streamId, event_id: source.eventId, reason: result.reason, xp: result.xp });
  }
  switch (outcome.kind) {
    case 'battle':
      for (const p of outcome.players) {
        const player = row(p.playerId);
        player.battles += 1;
        if (p.result === 'won') player.battles_won += 1;
        else if (p.result === 'drawn') player.battles_drawn += 1;
        else if (p.result === 'lost') player.battles_lost += 1;
        else player.battles_forfeited += 1;
      }
      break;
    case 'raid':
      for (const p of outcome.players) {
        const player = row(p.playerId);
        player.raids += 1;
        if (p.result === 'victory') player.raid_victories += 1;
      }
      break;
    case 'ritual':
      for (const p of outcome.players) {
        const player = row(p.playerId);
        player.rituals += 1;
        if (p.result === 'success') player.rituals_succeeded += 1;
      }
      break;
  }
  const ratingChanges: RatingChangeRow[] = [];
  if (outcome.kind === 'battle' && outcome.rated) {
    const changes = rateBattle(outcome.players.map((p) => ({ playerId: p.playerId, side: p.side, result: p.rating, before: ratingOf(row(p.playerId)) })));
    for (const change of changes) {
      const player = row(change.playerId);
      Object.assign(player, change.after);
      player.rated_battles += 1;
      ratingChanges.push({
        player_id: change.playerId, position: source.position, stream_id: source.streamId, result: change.result,
        opponent_rating: Math.round(change.opponent.rating * 1000), opponent_rd: Math.round(change.opponent.rd * 1000),
        rating_before: change.before.rating, rating_after: change.after.rating, rd_before: change.before.rd, rd_after: change.after.rd,
        volatility_before: change.before.volatility, volatility_after: change.after.volatility,
      });
    }
  }
  return { awards, ratingChanges };
}

/** The players table's columns as a select list that reads bigints as JS numbers. */
export const playerSelectList = playerColumns.map(([name, type]) => (type === 'bigint' ? `${name}::float8 AS ${name}` : name)).join(', ');

async function loadPlayers(tx: SqlQueryable, table: string, playerIds: readonly string[]): Promise<Map<string, PlayerRow>> {
  const rows = await rowsWhereIn<PlayerRow>(tx, table, 'player_id', playerIds, playerSelectList);
  const players = new Map(rows.map((row) => [row.player_id, row]));
  for (const playerId of playerIds) if (!players.has(playerId)) players.set(playerId, newPlayer(playerId));
  return players;
}

type Tables = ProjectionTables<'players' | 'awards' | 'rating_changes' | 'open_matches'>;

async function apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> {
  const matches = await OpenMatches.load(tx, tables.open_matches, events, { oracles: false });
  const outcomes: MatchOutcome[] = [];
  for (const event of events) {
    const match = matches.track(event);
    const outcome = match && outcomeOf(event, match);
    if (outcome) outcomes.push(outcome);
  }
  await matches.save(tx);
  if (outcomes.length === 0) return;

  const playerIds = [...new Set(outcomes.flatMap((o) => o.players.map((p) => p.playerId)))];
  const players = await loadPlayers(tx, tables.players, playerIds);
  const awards: AwardRow[] = [];
  const ratingChanges: RatingChangeRow[] = [];
  for (const outcome of outcomes) {
    const added = applyOutcome(outcome, players);
    awards.push(...added.awards);
    ratingChanges.push(...added.ratingChanges);
  }
  await writeRows(tx, { table: tables.players, columns: playerColumns, rows: [...players.values()], conflict: { key: ['player_id'], action: 'update' } });
  await writeRows(tx, { table: tables.awards, columns: awardColumns, rows: awards });
  await writeRows(tx, { table: tables.rating_changes, columns: ratingChangeColumns, rows: ratingChanges });
}

export const progressionProjection = defineProjection({
  name: PROGRESSION,
  version: PROGRESSION_VERSION,
  tables: {
    players: { columns: tableColumns(playerColumns, 'player_id') },
    awards: { columns: tableColumns(awardColumns, 'player_id, position') },
    rating_changes: { columns: tableColumns(ratingChangeColumns, 'player_id, position') },
    open_matches: openMatchesTable,
  },
  eventTypes: new Set(['BattleCreated', 'PlayerForfeited', 'BattleEnded', 'RaidCreated', 'RaidEnded', 'RitualCreated', 'RitualAbandoned', 'RitualCompleted']),
  apply,
});
