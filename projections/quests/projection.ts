// The quests read model: every player's quest log as rows (status and progress per quest),
// the story chapters they completed, their titles, and the achievements those earn (with the
// Steam API names clients mirror). Folded from the quest-log events alone, in global order,
// so a rebuild from position 0 gives the same rows as the live run; quest events are few
// (a handful per match and player), so each is written as it comes.
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { contentByVersion } from '../../events/content/registry.ts';
import type { Achievement } from '../../events/content/quests.ts';
import { defineProjection, type ProjectionTables } from '../../events/processor.ts';
import { questEventTypes, type QuestEvent } from '../../commands/quests/events.ts';

export const QUESTS = 'quests';
export const QUESTS_PROJECTION_VERSION = 1;

type Tables = ProjectionTables<'log' | 'chapters' | 'titles' | 'tallies' | 'achievements'>;
type Tally = { claimed: number; daily: number; weekly: number; story: number; event: number };

async function earn(tx: SqlQueryable, tables: Tables, playerId: string, achievements: readonly Achievement[], earned: (a: Achievement) => boolean, position: number): Promise<void> {
  for (const achievement of achievements.filter(earned)) {
    await tx.query(
      `INSERT INTO ${tables.achievements} (player_id, achievement_id, steam_id, title, position) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [playerId, achievement.id, achievement.steamId, achievement.title, position],
    );
  }
}

async function applyOne(tx: SqlQueryable, tables: Tables, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as QuestEvent;
  const { position } = recorded;
  switch (event.type) {
    case 'QuestAccepted': {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${tables.log} (player_id, quest_key, quest_id, cadence, content_version, period, expires_at, status, progress, accepted_position, updated_position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8::jsonb, $9, $9)
         ON CONFLICT (player_id, quest_key) DO UPDATE SET status = 'active', progress = EXCLUDED.progress, expires_at = EXCLUDED.expires_at,
           content_version = EXCLUDED.content_version, accepted_position = EXCLUDED.accepted_position, updated_position = EXCLUDED.updated_position`,
        [d.playerId, d.key, d.questId, d.cadence, d.contentVersion, d.period, d.expiresAt, JSON.stringify(Array(d.objectives).fill(0)), position],
      );
      return;
    }
    case 'QuestAbandoned':
      await tx.query(`DELETE FROM ${tables.log} WHERE player_id = $1 AND quest_key = $2`, [event.data.playerId, event.data.key]);
      return;
    case 'QuestProgressed': {
      const d = event.data;
      await tx.query(
        `UPDATE ${tables.log} SET progress = jsonb_set(progress, ARRAY[$3::text], to_jsonb($4::int)), updated_position = $5 WHERE player_id = $1 AND quest_key = $2`,
        [d.playerId, d.key, String(d.objective), d.progress, position],
      );
      return;
    }
    case 'QuestCompleted':
    case 'QuestRewardClaimed': {
      const d = event.data;
      const status = event.type === 'QuestCompleted' ? 'completed' : 'claimed';
      await tx.query(`UPDATE ${tables.log} SET status = $3, updated_position = $4 WHERE player_id = $1 AND quest_key = $2`, [d.playerId, d.key, status, position]);
      if (event.type !== 'QuestRewardClaimed') return;
      const { cadence, rewards, contentVersion } = event.data;
      for (const titleId of rewards.titles) {
        await tx.query(`INSERT INTO ${tables.titles} (player_id, title_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [d.playerId, titleId, position]);
      }
      const [row] = await tx.query<Tally>(
        `INSERT INTO ${tables.tallies} AS t (player_id, claimed, ${cadence}) VALUES ($1, 1, 1)
         ON CONFLICT (player_id) DO UPDATE SET claimed = t.claimed + 1, ${cadence} = t.${cadence} + 1
         RETURNING claimed, daily, weekly, story, event`,
        [d.playerId],
      );
      const tally = row!;
      await earn(tx, tables, d.playerId, contentByVersion(contentVersion).quests.achievements, (a) => {
        const c = a.criterion;
        if (c.kind === 'quests_claimed') return (c.cadence ? tally[c.cadence] : tally.claimed) >= c.atLeast;
        return c.kind === 'title_earned' && rewards.titles.includes(c.titleId);
      }, position);
      return;
    }
    case 'StoryChapterCompleted': {
      const d = event.data;
      await tx.query(`INSERT INTO ${tables.chapters} (player_id, chapter_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [d.playerId, d.chapterId, position]);
      await earn(tx, tables, d.playerId, contentByVersion(d.contentVersion).quests.achievements, (a) => a.criterion.kind === 'chapter_completed' && a.criterion.chapterId === d.chapterId, position);
      return;
    }
    case 'StoryEncounterOpened':
      return;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown quest event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const questsProjection = defineProjection({
  name: QUESTS,
  version: QUESTS_PROJECTION_VERSION,
  tables: {
    log: {
      columns: `player_id text NOT NULL, quest_key text NOT NULL, quest_id text NOT NULL, cadence text NOT NULL, content_version text NOT NULL,
                period text, expires_at text, status text NOT NULL, progress jsonb NOT NULL, accepted_position bigint NOT NULL,
                updated_position bigint NOT NULL, PRIMARY KEY (player_id, quest_key)`,
    },
    chapters: { columns: 'player_id text NOT NULL, chapter_id text NOT NULL, position bigint NOT NULL, PRIMARY KEY (player_id, chapter_id)' },
    titles: { columns: 'player_id text NOT NULL, title_id text NOT NULL, position bigint NOT NULL, PRIMARY KEY (player_id, title_id)' },
    tallies: {
      columns: `player_id text PRIMARY KEY, claimed integer NOT NULL DEFAULT 0, daily integer NOT NULL DEFAULT 0, weekly integer NOT NULL DEFAULT 0,
                story integer NOT NULL DEFAULT 0, event integer NOT NULL DEFAULT 0`,
    },
    achievements: { columns: 'player_id text NOT NULL, achievement_id text NOT NULL, steam_id text NOT NULL, title text NOT NULL, position bigint NOT NULL, PRIMARY KEY (player_id, achievement_id)' },
  },
  eventTypes: questEventTypes,
  async apply(tx, events, tables) {
    for (const event of events) await applyOne(tx, tables, event);
  },
});
