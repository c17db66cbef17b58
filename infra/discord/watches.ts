// Which matches are watched in which Discord channels, and the live message each has there.
// Kept in a table beside the read models (not a projection: it records what this bot did in
// Discord, which no event says), so a restarted publisher edits the messages it already
// posted instead of posting new ones.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { quote, readModelTable } from '../../projections/runner/tables.ts';
import { SPECTATOR, type MatchSummary } from '../../projections/spectator/index.ts';

export type Watch = { matchStreamId: string; channelId: string; messageId: string | null; publishedRevision: number };

export type WatchTable = {
  ensure(): Promise<void>;
  /** Starts watching (once per match and channel); true if it was new. */
  add(matchStreamId: string, channelId: string, requestedBy: string): Promise<boolean>;
  /** Watches whose message is missing or older than the match's summary, with that summary. */
  due(): Promise<Array<Watch & { summary: MatchSummary }>>;
  published(watch: Pick<Watch, 'matchStreamId' | 'channelId'>, messageId: string, revision: number): Promise<void>;
  /** The message or channel is gone (deleted, or the bot was removed): stop updating it. */
  abandon(watch: Pick<Watch, 'matchStreamId' | 'channelId'>, reason: string): Promise<void>;
  all(): Promise<Watch[]>;
};

export function watchTable(db: SqlQueryable, schema: string): WatchTable {
  const table = `${quote(schema)}.${quote('discord_watches')}`;
  const feed = readModelTable(schema, SPECTATOR, 'matches');
  let ready: Promise<unknown> | undefined;
  // Created on first use, so composing Discord needs no await.
  const ensure = () => (ready ??= db.query(`CREATE TABLE IF NOT EXISTS ${table} (
        match_stream_id text NOT NULL, channel_id text NOT NULL, message_id text, published_revision integer NOT NULL DEFAULT 0,
        requested_by text NOT NULL, abandoned text, created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (match_stream_id, channel_id))`).catch((error: unknown) => {
    // Another process created it at the same moment (CREATE TABLE IF NOT EXISTS races on pg_type): it exists.
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === '23505' || code === '42P07') return;
    ready = undefined;
    throw error;
  }));
  return {
    async ensure() {
      await ensure();
    },
    async add(matchStreamId, channelId, requestedBy) {
      await ensure();
      const rows = await db.query(
        `INSERT INTO ${table} (match_stream_id, channel_id, requested_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING match_stream_id`,
        [matchStreamId, channelId, requestedBy],
      );
      return rows.length > 0;
    },
    async due() {
      await ensure();
      const rows = await db.query<{ match_stream_id: string; channel_id: string; message_id: string | null; published_revision: number; summary: MatchSummary }>(
        `SELECT w.match_stream_id, w.channel_id, w.message_id, w.published_revision, m.summary
           FROM ${table} w JOIN ${feed} m ON m.stream_id = w.match_stream_id
          WHERE w.abandoned IS NULL AND (w.message_id IS NULL OR m.revision > w.published_revision)
          ORDER BY w.created_at, w.channel_id`,
      );
      return rows.map((r) => ({ matchStreamId: r.match_stream_id, channelId: r.channel_id, messageId: r.message_id, publishedRevision: r.published_revision, summary: r.summary }));
    },
    async published(watch, messageId, revision) {
      await db.query(
        `UPDATE ${table} SET message_id = $3, published_revision = GREATEST(published_revision, $4) WHERE match_stream_id = $1 AND channel_id = $2`,
        [watch.matchStreamId, watch.channelId, messageId, revision],
      );
    },
    async abandon(watch, reason) {
      await db.query(`UPDATE ${table} SET abandoned = $3 WHERE match_stream_id = $1 AND channel_id = $2`, [watch.matchStreamId, watch.channelId, reason]);
    },
    async all() {
      await ensure();
      const rows = await db.query<{ match_stream_id: string; channel_id: string; message_id: string | null; published_revision: number }>(
        `SELECT match_stream_id, channel_id, message_id, published_revision FROM ${table} ORDER BY created_at, channel_id`,
      );
      return rows.map((r) => ({ matchStreamId: r.match_stream_id, channelId: r.channel_id, messageId: r.message_id, publishedRevision: r.published_revision }));
    },
  };
}
