// The experiments read model: per experiment variant, how many players were exposed to it
// (ExperimentAssigned, once per player) and the outcomes of their battles since (battles
// finished, battles won). A battle counts for a player assigned before it was created: its
// assigned participants are kept from BattleCreated to BattleEnded (open_battles).
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { defineProjection, type ProjectionTables } from '../../events/processor.ts';
import type { ExperimentAssigned } from '../../commands/flags/events.ts';
import type { BattleCreated, BattleEnded } from '../../rooms/battle/events.ts';

export const EXPERIMENTS = 'experiments';

type Tables = ProjectionTables<'assignments' | 'variants' | 'open_battles'>;

async function apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> {
  for (const event of events) {
    if (event.type === 'ExperimentAssigned') {
      const { experiment, playerId, variant } = event.data as ExperimentAssigned['data'];
      const inserted = await tx.query(
        `INSERT INTO ${tables.assignments} (experiment, player_id, variant, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING player_id`,
        [experiment, playerId, variant, event.position],
      );
      if (inserted.length === 0) continue;
      await tx.query(
        `INSERT INTO ${tables.variants} (experiment, variant, exposures, battles, wins) VALUES ($1, $2, 1, 0, 0)
         ON CONFLICT (experiment, variant) DO UPDATE SET exposures = ${tables.variants}.exposures + 1`,
        [experiment, variant],
      );
    } else if (event.type === 'BattleCreated') {
      const created = event.data as BattleCreated['data'];
      await tx.query(
        `INSERT INTO ${tables.open_battles} (stream_id, player_id, side)
         SELECT $1, p.player_id, p.side FROM unnest($2::text[], $3::text[]) AS p(player_id, side)
          WHERE EXISTS (SELECT 1 FROM ${tables.assignments} a WHERE a.player_id = p.player_id)
         ON CONFLICT DO NOTHING`,
        [event.streamId, created.participants.map((p) => p.playerId), created.participants.map((p) => p.side)],
      );
    } else if (event.type === 'BattleEnded') {
      const ended = event.data as BattleEnded['data'];
      const players = await tx.query<{ player_id: string; side: string }>(`DELETE FROM ${tables.open_battles} WHERE stream_id = $1 RETURNING player_id, side`, [event.streamId]);
      for (const { player_id, side } of players) {
        await tx.query(
          `UPDATE ${tables.variants} v SET battles = v.battles + 1, wins = v.wins + $2
             FROM ${tables.assignments} a WHERE a.player_id = $1 AND v.experiment = a.experiment AND v.variant = a.variant`,
          [player_id, side === ended.winnerSide ? 1 : 0],
        );
      }
    }
  }
}

export const experimentsProjection = defineProjection({
  name: EXPERIMENTS,
  version: 1,
  tables: {
    assignments: { columns: 'experiment text not null, player_id text not null, variant text not null, position bigint not null, primary key (experiment, player_id)', indexes: ['player_id'] },
    variants: { columns: 'experiment text not null, variant text not null, exposures integer not null, battles integer not null, wins integer not null, primary key (experiment, variant)' },
    open_battles: { columns: 'stream_id text not null, player_id text not null, side text not null, primary key (stream_id, player_id)' },
  },
  eventTypes: new Set(['ExperimentAssigned', 'BattleCreated', 'BattleEnded']),
  apply,
});
