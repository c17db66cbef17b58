// What the end of a match means for each of its players: won, lost, drawn or forfeited a
// battle; won, lost or stayed out of a raid; performed or abandoned a ritual. Progression
// and the leaderboards both read results from here, so crowns and ratings mean the same
// thing on a profile and on a board.
//
// Definitions:
// - Crowns: one per battle won. A player wins a battle when their side wins it (by defeat,
//   at the tick limit or by the other side's forfeit) and they did not forfeit themselves.
//   Raids and rituals give no crowns.
// - Rated battles: those that ended with the same number of players on each side, one to
//   three (1v1, 2v2, 3v3). A draw scores 0.5; a player who forfeited loses, whatever their
//   side's result.
import type { RecordedEvent } from '../../events/envelope.ts';
import type { BattleEnded } from '../../rooms/battle/events.ts';
import type { RaidEnded } from '../../rooms/raid/events.ts';
import type { RitualEvent } from '../../rooms/ritual/events.ts';
import type { OpenMatch } from '../matches/openMatches.ts';
import type { Result } from './rating.ts';
import type { AwardReason, BattleResult, RaidResult, RitualResult } from './xp.ts';
import { xpTable } from './xp.ts';

/** Where a fact came from in the log. */
export type Source = { streamId: string; eventId: string; position: number; tick: number; recordedAt: string };

export function sourceOf(event: RecordedEvent): Source {
  return { streamId: event.streamId, eventId: event.id, position: event.position, tick: event.metadata.tick ?? 0, recordedAt: event.metadata.recordedAt };
}

export type PlayerResult = { playerId: string; reason: AwardReason; xp: number; crowns: number };

export type BattleOutcome = {
  kind: 'battle';
  source: Source;
  winnerSide: 'a' | 'b' | null;
  reason: BattleEnded['data']['reason'];
  rated: boolean;
  players: (PlayerResult & { side: 'a' | 'b'; result: BattleResult; rating: Result })[];
};
export type RaidOutcome = { kind: 'raid'; source: Source; bossId: string; outcome: RaidEnded['data']['outcome']; players: (PlayerResult & { result: RaidResult })[] };
export type RitualOutcome = { kind: 'ritual'; source: Source; ritualId: string; outcome: 'success' | 'failure'; players: (PlayerResult & { result: RitualResult })[] };
export type MatchOutcome = BattleOutcome | RaidOutcome | RitualOutcome;

const ratingResult: Readonly<Record<BattleResult, Result>> = { won: 'win', drawn: 'draw', lost: 'loss', forfeited: 'loss' };

/** Whether a battle with these players counts for the PvP rating. */
export function isRated(players: readonly { side: 'a' | 'b' | null }[]): boolean {
  const a = players.filter((p) => p.side === 'a').length;
  const b = players.filter((p) => p.side === 'b').length;
  return a === b && a >= 1 && a <= 3 && a + b === players.length;
}

/** The outcome of the match that `event` (an end event) ended; undefined for any other event. */
export function outcomeOf(event: RecordedEvent, match: OpenMatch): MatchOutcome | undefined {
  const source = sourceOf(event);
  if (event.type === 'BattleEnded' && match.kind === 'battle') {
    const { winnerSide, reason } = event.data as BattleEnded['data'];
    const players = match.players.map((p) => {
      const side = p.side ?? 'a';
      const result: BattleResult = p.forfeited ? 'forfeited' : winnerSide === null ? 'drawn' : side === winnerSide ? 'won' : 'lost';
      return { playerId: p.playerId, side, result, rating: ratingResult[result], reason: `battle_${result}` as const, xp: xpTable.battle[result], crowns: result === 'won' ? 1 : 0 };
    });
    return { kind: 'battle', source, winnerSide, reason, rated: isRated(match.players), players };
  }
  if (event.type === 'RaidEnded' && match.kind === 'raid') {
    const { outcome } = event.data as RaidEnded['data'];
    const players = match.players.map((p) => {
      const result: RaidResult = p.forfeited ? 'forfeited' : outcome;
      return { playerId: p.playerId, result, reason: `raid_${result}` as const, xp: xpTable.raid[result], crowns: 0 };
    });
    return { kind: 'raid', source, bossId: match.subject ?? '', outcome, players };
  }
  if (event.type === 'RitualCompleted' && match.kind === 'ritual') {
    const { outcome } = event.data as Extract<RitualEvent, { type: 'RitualCompleted' }>['data'];
    const players = match.players.map((p) => {
      const result: RitualResult = p.forfeited ? 'abandoned' : outcome;
      return { playerId: p.playerId, result, reason: `ritual_${result}` as const, xp: xpTable.ritual[result], crowns: 0 };
    });
    return { kind: 'ritual', source, ritualId: match.subject ?? '', outcome, players };
  }
  return undefined;
}
