// The narrator as a reactor of the projection runner. Rooms only append to the store; this
// reads the global stream in its own loop, so a slow or hanging model delays narration,
// never a room tick.
//
// Per batch: the room events worth narrating become moments (moments.ts), grouped by
// narration stream; streams are narrated side by side (`concurrency`), each in order. The
// runner delivers at least once, so before asking the model a stream's recorded narrations
// are read: a moment whose (deterministic) event id is already there is skipped. Replaying
// the log, or a second narrator on the same store, therefore asks the model nothing for what
// is recorded; two narrators racing on one moment end with the first text (the second append
// is an IdempotencyConflict, ignored).
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { RecordedEvent } from '../../events/envelope.ts';
import { IdempotencyConflict } from '../../events/errors.ts';
import type { EventStore } from '../../events/store.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { CODEX } from '../codex/index.ts';
import { matchEnders } from '../matches/openMatches.ts';
import { defineReactor, readModelTable, type Reactor } from '../index.ts';
import { isConnectionError } from '../runner/runner.ts';
import { loadCodex, type Codex } from '../../events/content/codex.ts';
import { NarrationGenerated, loreStreamOf, type NarrationData } from './events.ts';
import {
  codexUnlocks, contextOf, creationEventTypes, loreMoment, MomentSelector, narratedEventTypes, type Moment, type RoomContext,
} from './moments.ts';
import { NarratorClosed, type Narrator } from './narrator.ts';

export const NARRATOR = 'narrator';

export type NarratorReactorOptions = {
  narrator: Narrator;
  store: Pick<EventStore, 'append' | 'readStream'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The reactor's (and checkpoint's) name; default `narrator`. */
  name?: string;
  /** Narration streams narrated at once (default 4). */
  concurrency?: number;
  codex?: Codex;
};

/** Contexts of rooms seen lately; a room not among them is looked up again (one read). */
const CONTEXTS_KEPT = 10_000;

export function narratorReactor(options: NarratorReactorOptions): Reactor {
  const recorder = new NarrationRecorder(options);
  const codex = options.codex ?? loadCodex();
  const selector = new MomentSelector();
  const contexts = new LRUCache<string, { context: RoomContext | null }>({ max: CONTEXTS_KEPT });

  async function contextFor(event: RecordedEvent): Promise<RoomContext | null> {
    if (creationEventTypes.has(event.type)) remember(event.streamId, contextOf(event));
    const known = contexts.get(event.streamId);
    if (known) return known.context;
    const [creation] = await options.store.readStream(event.streamId, { limit: 1 });
    return remember(event.streamId, creation ? contextOf(creation) : null);
  }
  function remember(streamId: string, context: RoomContext | null): RoomContext | null {
    contexts.set(streamId, { context });
    return context;
  }

  return defineReactor({
    name: options.name ?? NARRATOR,
    eventTypes: narratedEventTypes,
    async react(events) {
      const byStream = new Map<string, Moment[]>();
      const add = (moment: Moment) => {
        const moments = byStream.get(moment.streamId);
        if (moments) moments.push(moment);
        else byStream.set(moment.streamId, [moment]);
      };
      for (const event of events) {
        const context = await contextFor(event);
        for (const moment of selector.select(event, context)) add(moment);
        for (const { entry, players } of codexUnlocks(event, context, codex)) {
          if (!recorder.hasLore(entry.id)) add(loreMoment(entry, event, players));
        }
      }
      await eachLimited([...byStream], options.concurrency ?? 4, ([streamId, moments]) => recorder.record(streamId, moments));
    },
    isTransient: (error) => error instanceof NarratorClosed || isConnectionError(error),
  });
}

export type CodexLore = {
  /**
   * Writes the lore of a codex entry unless it is recorded already: for entries whose unlock
   * the codex projection judges (counts, flawless victories). Resolves once it is recorded.
   */
  ensure(entryId: string, players?: readonly string[]): Promise<void>;
};

export function codexLore(options: Omit<NarratorReactorOptions, 'name' | 'concurrency'>): CodexLore {
  const recorder = new NarrationRecorder(options);
  const codex = options.codex ?? loadCodex();
  return {
    async ensure(entryId, players = []) {
      const entry = codex.entries.find((candidate) => candidate.id === entryId);
      if (!entry) throw new Error(`unknown codex entry ${entryId}`);
      if (!recorder.hasLore(entryId)) await recorder.record(loreStreamOf(entryId), [loreMoment(entry, null, [...players])]);
    },
  };
}

export type CodexLoreReactorOptions = Omit<NarratorReactorOptions, 'name' | 'concurrency'> & {
  /** Where the codex read model is (its unlocks view). */
  db: SqlQueryable;
  schema: string;
};

export const CODEX_LORE = 'codex_lore';

/**
 * Lore for the entries whose unlock only the codex read model can judge (a count of wins, a
 * draw, a deed): after each batch that ends matches, every entry anyone has unlocked gets
 * its lore once, named after its first unlockers. Entries known to have lore cost nothing;
 * the read model may lag this reactor, so an entry it has not unlocked yet is caught after
 * a later match ends.
 */
export function codexLoreReactor(options: CodexLoreReactorOptions): Reactor {
  const lore = codexLore(options);
  const unlocks = readModelTable(options.schema, CODEX, 'unlocks');
  return defineReactor({
    name: CODEX_LORE,
    eventTypes: matchEnders,
    async react() {
      const rows = await options.db.query<{ entry_id: string; players: string[] }>(
        `SELECT entry_id, (array_agg(player_id ORDER BY position, player_id))[1:3] AS players FROM ${unlocks} GROUP BY entry_id ORDER BY entry_id`,
      );
      for (const row of rows) await lore.ensure(row.entry_id, row.players);
    },
    isTransient: (error) => error instanceof NarratorClosed || isConnectionError(error),
  });
}

/** Narrates the moments of one narration stream that it does not hold yet, in order, and appends them. */
class NarrationRecorder {
  readonly #options: Pick<NarratorReactorOptions, 'narrator' | 'store' | 'logger'>;
  /** Codex entries whose lore is known to be recorded: no read needed to skip them again. */
  readonly #lore = new Set<string>();

  constructor(options: Pick<NarratorReactorOptions, 'narrator' | 'store' | 'logger'>) {
    this.#options = options;
  }

  hasLore(entryId: string): boolean {
    return this.#lore.has(entryId);
  }

  async record(streamId: string, moments: readonly Moment[]): Promise<void> {
    const { narrator, store, logger } = this.#options;
    const recorded = new Set((await store.readStream(streamId)).map((event) => event.id));
    for (const moment of moments) {
      if (!recorded.has(moment.id)) {
        const result = await narrator.narrate(moment);
        const data: NarrationData = {
          use: moment.use,
          kind: moment.facts.kind,
          roomStreamId: moment.roomStreamId,
          sourceEventId: moment.sourceEventId,
          sourceEventType: moment.sourceEventType,
          codexEntryId: moment.codexEntryId,
          model: result.model,
          promptHash: result.promptHash,
          text: result.text,
          tokens: result.tokens,
          offline: result.offline,
          fallbackReason: result.fallbackReason,
          cached: result.cached,
        };
        const metadata = {
          actor: 'narrator',
          ...(moment.sourceEventId ? { causationId: moment.sourceEventId } : {}),
          ...(moment.tick !== undefined ? { tick: moment.tick } : {}),
        };
        try {
          await store.append(streamId, 'any', [{ id: moment.id, type: NarrationGenerated.type, data, metadata }]);
          narrator.feed.publish({ type: 'recorded', narrationId: moment.id, streamId, roomStreamId: moment.roomStreamId, use: moment.use, text: result.text, offline: result.offline });
        } catch (error) {
          // Another narrator recorded this moment first, with its own words: theirs stand.
          if (!(error instanceof IdempotencyConflict)) throw error;
          logger.info({ narration: moment.id, stream: streamId }, 'moment already narrated by another narrator');
        }
        recorded.add(moment.id);
      }
      if (moment.codexEntryId) this.#lore.add(moment.codexEntryId);
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time; rejects with the first failure once all settled. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  const results = await Promise.allSettled(workers);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
