// The legion hall read model: each legion, its members and roles, and its battles against
// other legions with a legion rating. A battle is a legion battle when each side's players
// all belong to one legion, and the two legions differ (membership as the log stands at the
// battle's end, so a rebuild gives the same rows). The rating starts at 1000 and moves by
// 25 a win or a loss. The treasury is the wallets model's balance of `legion:<id>`.
import { legionEventTypes, type LegionEvent } from '../../commands/legions/events.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { defineProjection } from '../../events/processor.ts';
import type { BattleCreated, BattleEnded } from '../../rooms/battle/events.ts';

export const LEGION_RATING_START = 1000;
export const LEGION_RATING_STEP = 25;

export const legionsProjection = defineProjection({
  name: 'legions',
  version: 1,
  tables: {
    legions: {
      columns: `legion_id text PRIMARY KEY, name text NOT NULL, tag text NOT NULL, rating integer NOT NULL,
                wins integer NOT NULL DEFAULT 0, losses integer NOT NULL DEFAULT 0, draws integer NOT NULL DEFAULT 0, founded_at timestamptz NOT NULL`,
    },
    members: { columns: 'legion_id text NOT NULL, player_id text NOT NULL, role text NOT NULL, joined_at timestamptz NOT NULL, PRIMARY KEY (legion_id, player_id)', indexes: ['player_id'] },
    open_battles: { columns: 'stream_id text NOT NULL, player_id text NOT NULL, side text NOT NULL, PRIMARY KEY (stream_id, player_id)' },
    battles: {
      columns: `legion_id text NOT NULL, stream_id text NOT NULL, opponent_id text NOT NULL, result text NOT NULL,
                rating_after integer NOT NULL, ended_at timestamptz NOT NULL, position bigint NOT NULL, PRIMARY KEY (legion_id, stream_id)`,
      indexes: ['legion_id, position DESC'],
    },
  },
  eventTypes: new Set([...legionEventTypes, 'BattleCreated', 'BattleEnded']),
  async apply(tx, events, tables) {
    for (const recorded of events as readonly RecordedEvent[]) {
      const at = recorded.metadata.recordedAt;
      if (recorded.type === 'BattleCreated') {
        for (const p of (recorded.data as BattleCreated['data']).participants) {
          await tx.query(`INSERT INTO ${tables.open_battles} VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [recorded.streamId, p.playerId, p.side]);
        }
        continue;
      }
      if (recorded.type === 'BattleEnded') {
        const { winnerSide } = recorded.data as BattleEnded['data'];
        const sides = await tx.query<{ side: string; legions: string[] | null; players: string; members: string }>(
          `SELECT b.side, array_agg(DISTINCT m.legion_id) FILTER (WHERE m.legion_id IS NOT NULL) AS legions, count(*)::text AS players,
                  count(m.legion_id)::text AS members
             FROM ${tables.open_battles} b LEFT JOIN ${tables.members} m ON m.player_id = b.player_id
            WHERE b.stream_id = $1 GROUP BY b.side ORDER BY b.side`,
          [recorded.streamId],
        );
        await tx.query(`DELETE FROM ${tables.open_battles} WHERE stream_id = $1`, [recorded.streamId]);
        const whole = sides.filter((s): s is typeof s & { legions: string[] } => s.legions?.length === 1 && s.members === s.players);
        if (sides.length !== 2 || whole.length !== 2 || whole[0]!.legions[0] === whole[1]!.legions[0]) continue;
        for (const [mine, theirs] of [[whole[0]!, whole[1]!], [whole[1]!, whole[0]!]] as const) {
          const result = winnerSide === null ? 'draw' : winnerSide === mine.side ? 'win' : 'loss';
          const step = result === 'win' ? LEGION_RATING_STEP : result === 'loss' ? -LEGION_RATING_STEP : 0;
          const column = result === 'win' ? 'wins' : result === 'loss' ? 'losses' : 'draws';
          const [row] = await tx.query<{ rating: number }>(
            `UPDATE ${tables.legions} SET rating = GREATEST(0, rating + $2), ${column} = ${column} + 1 WHERE legion_id = $1 RETURNING rating`,
            [mine.legions[0], step],
          );
          await tx.query(`INSERT INTO ${tables.battles} VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, [mine.legions[0], recorded.streamId, theirs.legions[0], result, row?.rating ?? LEGION_RATING_START, at, recorded.position]);
        }
        continue;
      }
      const event = { type: recorded.type, data: recorded.data } as LegionEvent;
      switch (event.type) {
        case 'LegionFounded':
          await tx.query(`INSERT INTO ${tables.legions} (legion_id, name, tag, rating, founded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [event.data.legionId, event.data.name, event.data.tag, LEGION_RATING_START, at]);
          await tx.query(`INSERT INTO ${tables.members} VALUES ($1, $2, 'leader', $3) ON CONFLICT DO NOTHING`, [event.data.legionId, event.data.leader, at]);
          break;
        case 'LegionMemberJoined':
          await tx.query(`INSERT INTO ${tables.members} VALUES ($1, $2, 'member', $3) ON CONFLICT DO NOTHING`, [event.data.legionId, event.data.playerId, at]);
          break;
        case 'LegionMemberLeft':
          await tx.query(`DELETE FROM ${tables.members} WHERE legion_id = $1 AND player_id = $2`, [event.data.legionId, event.data.playerId]);
          break;
        case 'LegionRoleChanged':
          await tx.query(`UPDATE ${tables.members} SET role = $3 WHERE legion_id = $1 AND player_id = $2`, [event.data.legionId, event.data.playerId, event.data.role]);
          break;
        default:
          break;
      }
    }
  },
});
