// The codex read model: which codex entries each player has unlocked (first unlock wins,
// with the event that unlocked it), and the oracron, the log of notable oracle deeds.
//
// A batch: load the open matches its events continue; read each event into feats and
// deeds (deeds.ts); count wins from the players' tallies; evaluate the codex's unlock rules
// (unlocks.ts); write unlocks, deeds, tallies and open matches with one statement each.
import { canonicalJson, sha256Hex } from '../../events/canonical.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { loadCodex, type Codex } from '../../events/content/index.ts';
import { rowsWhereIn, tableColumns, writeRows, type Column } from '../runner/bulk.ts';
import { OpenMatches, openMatchesTable } from '../matches/openMatches.ts';
import { defineProjection, type Projection, type ProjectionTables } from '../../events/processor.ts';
import { happeningsOf, type OracleDeedRecord, type PlayerFeat } from './deeds.ts';
import type { QuestRewardClaimed } from '../../commands/quests/events.ts';
import { UnlockRules, type Feat } from './unlocks.ts';

export const CODEX = 'codex';
/** Bump when the unlock rules of the codex it runs, or this handler, change: the runner then rebuilds. */
export const CODEX_PROJECTION_VERSION = 2;

/** What the unlock rows depend on in the codex: a test pins it, so a rule change cannot ship without a version bump. */
export function unlockRulesFingerprint(codex: Codex): string {
  return sha256Hex(canonicalJson(codex.entries.map((entry) => ({ id: entry.id, unlock: entry.unlock }))));
}

const unlockColumns = [['player_id', 'text'], ['entry_id', 'text'], ['position', 'bigint'], ['stream_id', 'text'], ['event_id', 'text']] as const satisfies readonly Column[];
const deedColumns = [
  ['player_id', 'text'], ['oracle_id', 'text'], ['deed', 'text'], ['stream_id', 'text'], ['position', 'bigint'], ['tick', 'integer'], ['details', 'jsonb'],
] as const satisfies readonly Column[];
const tallyColumns = [['player_id', 'text'], ['battles_won', 'integer'], ['raids_won', 'integer']] as const satisfies readonly Column[];

type Tally = { player_id: string; battles_won: number; raids_won: number };
type Tables = ProjectionTables<'unlocks' | 'oracron' | 'tallies' | 'open_matches'>;

/** Win counts after each win feat, in order, from the stored tallies. */
async function countWins(tx: SqlQueryable, table: string, feats: readonly PlayerFeat[]): Promise<{ counted: { playerId: string; feat: Feat; source: PlayerFeat['source'] }[]; tallies: Tally[] }> {
  const winners = [...new Set(feats.filter((f) => f.feat.kind === 'battle_won' || f.feat.kind === 'raid_won').map((f) => f.playerId))];
  const tallies = new Map((await rowsWhereIn<Tally>(tx, table, 'player_id', winners)).map((row) => [row.player_id, row]));
  const tallyOf = (playerId: string) => {
    let tally = tallies.get(playerId);
    if (!tally) tallies.set(playerId, (tally = { player_id: playerId, battles_won: 0, raids_won: 0 }));
    return tally;
  };
  const counted = feats.map((f) => {
    const seen = f.feat;
    let feat: Feat;
    if (seen.kind === 'battle_won') feat = { kind: 'battle_won', wins: ++tallyOf(f.playerId).battles_won };
    else if (seen.kind === 'raid_won') feat = { kind: 'raid_won', bossId: seen.bossId, wins: ++tallyOf(f.playerId).raids_won };
    else feat = seen;
    return { playerId: f.playerId, feat, source: f.source };
  });
  return { counted, tallies: [...tallies.values()] };
}

/** The codex projection over `codex` (default: the current published codex). */
export function createCodexProjection(codex: Codex = loadCodex()): Projection<keyof Tables & string> {
  const rules = new UnlockRules(codex);

  async function apply(tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> {
    const matches = await OpenMatches.load(tx, tables.open_matches, events, { oracles: true });
    const feats: PlayerFeat[] = [];
    const deeds: OracleDeedRecord[] = [];
    const granted: { playerId: string; entryId: string; source: RecordedEvent }[] = [];
    for (const event of events) {
      // A quest's reward may grant codex entries outright, whatever their unlock rule.
      if (event.type === 'QuestRewardClaimed') {
        const { playerId, rewards } = (event as RecordedEvent & QuestRewardClaimed).data;
        for (const entryId of rewards.codexEntries) if (codex.entries.some((e) => e.id === entryId)) granted.push({ playerId, entryId, source: event });
        continue;
      }
      const match = matches.track(event);
      if (!match) continue;
      const happened = happeningsOf(event, match);
      feats.push(...happened.feats);
      deeds.push(...happened.deeds);
    }
    await matches.save(tx);

    const { counted, tallies } = await countWins(tx, tables.tallies, feats);
    // The first unlock of an entry in the log wins: within the batch here, across batches by the primary key.
    const unlocks = new Map<string, Record<string, unknown>>();
    for (const { playerId, feat, source } of counted) {
      for (const entryId of rules.unlockedBy(feat)) {
        const key = `${playerId}\u0000${entryId}`;
        if (!unlocks.has(key)) unlocks.set(key, { player_id: playerId, entry_id: entryId, position: source.position, stream_id: source.streamId, event_id: source.eventId });
      }
    }
    for (const { playerId, entryId, source } of granted) {
      const key = `${playerId}\u0000${entryId}`;
      const earlier = unlocks.get(key);
      // The first in log order wins, whichever unlocked it.
      if (!earlier || (earlier.position as number) > source.position) unlocks.set(key, { player_id: playerId, entry_id: entryId, position: source.position, stream_id: source.streamId, event_id: source.id });
    }
    await writeRows(tx, { table: tables.unlocks, columns: unlockColumns, rows: [...unlocks.values()], conflict: { key: ['player_id', 'entry_id'], action: 'nothing' } });
    await writeRows(tx, {
      table: tables.oracron,
      columns: deedColumns,
      rows: deeds.map((d) => ({ player_id: d.playerId, oracle_id: d.oracleId, deed: d.deed, stream_id: d.source.streamId, position: d.source.position, tick: d.source.tick, details: d.details })),
    });
    await writeRows(tx, { table: tables.tallies, columns: tallyColumns, rows: tallies, conflict: { key: ['player_id'], action: 'update' } });
  }

  return defineProjection({
    name: CODEX,
    version: CODEX_PROJECTION_VERSION,
    tables: {
      unlocks: { columns: tableColumns(unlockColumns, 'player_id, entry_id') },
      oracron: { columns: tableColumns(deedColumns, 'position, oracle_id, deed'), indexes: ['player_id, position DESC'] },
      tallies: { columns: tableColumns(tallyColumns, 'player_id') },
      open_matches: openMatchesTable,
    },
    eventTypes: new Set([
      'BattleCreated', 'DamageDealt', 'OracleFell', 'PlayerForfeited', 'BattleEnded',
      'RaidCreated', 'BossDefeated', 'RaidEnded', 'RitualCreated', 'RitualAbandoned', 'RitualCompleted',
      'QuestRewardClaimed',
    ]),
    apply,
  });
}

export const codexProjection = createCodexProjection();
