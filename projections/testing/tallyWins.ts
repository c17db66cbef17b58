// A read model in a fixture: tally wins per player. What docs/architecture.md says a read
// model needs: a projection (tables, the events it folds, apply) and a query.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { defineProjection } from '../../events/processor.ts';
import type { TallyWon } from '../../rooms/testing/tally/events.ts';

export const tallyWinsProjection = defineProjection({
  name: 'tally_wins',
  version: 1,
  tables: { wins: { columns: 'player_id text not null, wins integer not null, primary key (player_id)' } },
  eventTypes: new Set(['TallyWon']),
  async apply(tx, events, tables) {
    for (const event of events) {
      const { winner } = (event as unknown as TallyWon).data;
      await tx.query(`insert into ${tables.wins} (player_id, wins) values ($1, 1) on conflict (player_id) do update set wins = ${tables.wins}.wins + 1`, [winner]);
    }
  },
});

export async function tallyWins(db: SqlQueryable, table: string): Promise<Record<string, number>> {
  const rows = await db.query<{ player_id: string; wins: number }>(`select player_id, wins from ${table} order by player_id`);
  return Object.fromEntries(rows.map((row) => [row.player_id, row.wins]));
}
