// What anyone may read of a player's journey and of the boards: progression, codex and
// oracron, leaderboards. (Money is private: walletRoutes.ts.)
import { z } from 'zod';
import { PlayerId } from '../../commands/wallet/model.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { codexOf, CodexView, oracronOf, OracronPage } from '../../projections/codex/index.ts';
import { Board, GLOBAL, leaderboard, LeaderboardPage, LeaderboardQuery, PlayerRank, playerRank, SeasonId, seasons } from '../../projections/leaderboards/index.ts';
import { progressionOf, ProgressionView } from '../../projections/progression/index.ts';
import { defineRoute } from './route.ts';

const PlayerParams = z.object({ playerId: PlayerId });

export function readRoutes(db: SqlQueryable, schema: string) {
  return [
    defineRoute({
      name: 'getProgression',
      method: 'GET',
      path: '/players/:playerId/progression',
      summary: "A player's XP, level, crowns, ascensions and rating, with the matches that earned them",
      tags: ['progression'],
      access: 'public',
      params: PlayerParams,
      response: ProgressionView,
      handle: ({ params }) => progressionOf(db, schema, params.playerId),
    }),
    defineRoute({
      name: 'getCodex',
      method: 'GET',
      path: '/players/:playerId/codex',
      summary: "The codex as a player has it: every entry, unlocked ones with their lore, and recent deeds",
      tags: ['codex'],
      access: 'public',
      params: PlayerParams,
      response: CodexView,
      handle: ({ params }) => codexOf(db, schema, params.playerId),
    }),
    defineRoute({
      name: 'getOracron',
      method: 'GET',
      path: '/players/:playerId/oracron',
      summary: "The oracron: a player's oracles' notable deeds, newest first",
      tags: ['codex'],
      access: 'public',
      params: PlayerParams,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(20),
        before: z.coerce.number().int().min(1).optional().describe("the previous page's `next`"),
      }),
      response: OracronPage,
      handle: ({ params, query }) => oracronOf(db, schema, params.playerId, query),
    }),
    defineRoute({
      name: 'getLeaderboard',
      method: 'GET',
      path: '/leaderboards/:board',
      summary: 'A leaderboard page (rating, crowns, raid victories), global or for a season such as S2026-11',
      tags: ['leaderboards'],
      access: 'public',
      params: z.object({ board: Board }),
      query: LeaderboardQuery.omit({ board: true }),
      response: LeaderboardPage,
      handle: ({ params, query }) => leaderboard(db, schema, { ...query, board: params.board }),
    }),
    defineRoute({
      name: 'getPlayerRank',
      method: 'GET',
      path: '/leaderboards/:board/players/:playerId',
      summary: "A player's rank on a board",
      tags: ['leaderboards'],
      access: 'public',
      params: z.object({ board: Board, playerId: PlayerId }),
      query: z.object({ season: SeasonId.default(GLOBAL) }),
      response: PlayerRank,
      handle: ({ params, query }) => playerRank(db, schema, { board: params.board, season: query.season, playerId: params.playerId }),
    }),
    defineRoute({
      name: 'listSeasons',
      method: 'GET',
      path: '/leaderboards',
      summary: 'The seasons that have boards',
      tags: ['leaderboards'],
      access: 'public',
      response: z.object({ seasons: z.array(z.string()) }),
      handle: async () => ({ seasons: await seasons(db, schema) }),
    }),
  ];
}
