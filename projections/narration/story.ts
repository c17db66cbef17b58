// The narrator's line when a player completes a story chapter: one NarrationGenerated per
// StoryChapterCompleted, in `narration-quests-<playerId>` (the narration stream of the
// player's quest log), its id derived from the chapter event, so a redelivery or a second
// narrator records it once. The chapter's words come from the content the chapter was
// completed under.
import type { Logger } from 'pino';
import { contentByVersion } from '../../events/content/registry.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { IdempotencyConflict } from '../../events/errors.ts';
import { defineReactor, type Reactor } from '../../events/processor.ts';
import type { EventStore } from '../../events/store.ts';
import type { StoryChapterCompleted } from '../../commands/quests/events.ts';
import { isConnectionError } from '../runner/runner.ts';
import { NarrationGenerated, narrationEventId, narrationStreamOf, type NarrationData } from './events.ts';
import type { Moment } from './moments.ts';
import { NarratorClosed, type Narrator } from './narrator.ts';

export const STORY_NARRATOR = 'story_narrator';

/** The moment a chapter's completion is narrated from. */
export function chapterMoment(event: Pick<RecordedEvent, 'id' | 'streamId'> & StoryChapterCompleted): Moment {
  const { chapterId, contentVersion, playerId } = event.data;
  const chapters = contentByVersion(contentVersion).quests.chapters;
  const index = chapters.findIndex((c) => c.id === chapterId);
  const chapter = chapters[index];
  return {
    id: narrationEventId('story_chapter', event.id),
    streamId: narrationStreamOf(event.streamId),
    use: 'story_chapter',
    facts: { kind: 'chapter_completed', chapter: event.data.title, summary: chapter?.summary ?? event.data.title, next: chapters[index + 1]?.title ?? null },
    roomStreamId: null,
    sourceEventId: event.id,
    sourceEventType: event.type,
    codexEntryId: null,
    tick: undefined,
    players: [playerId],
  };
}

export function storyNarratorReactor(options: { narrator: Narrator; store: Pick<EventStore, 'append' | 'readStream'>; logger: Pick<Logger, 'info'> }): Reactor {
  const { narrator, store, logger } = options;
  return defineReactor({
    name: STORY_NARRATOR,
    eventTypes: new Set(['StoryChapterCompleted']),
    async react(events) {
      for (const event of events) {
        const moment = chapterMoment(event as RecordedEvent & StoryChapterCompleted);
        const recorded = await store.readStream(moment.streamId);
        if (recorded.some((e) => e.id === moment.id)) continue;
        const result = await narrator.narrate(moment);
        const data: NarrationData = {
          use: moment.use, kind: moment.facts.kind, roomStreamId: null, sourceEventId: moment.sourceEventId, sourceEventType: moment.sourceEventType,
          codexEntryId: null, model: result.model, promptHash: result.promptHash, text: result.text, tokens: result.tokens,
          offline: result.offline, fallbackReason: result.fallbackReason, cached: result.cached,
        };
        try {
          await store.append(moment.streamId, 'any', [{ id: moment.id, type: NarrationGenerated.type, data, metadata: { actor: 'narrator', causationId: event.id } }]);
        } catch (error) {
          // Another narrator told this chapter first: its words stand.
          if (!(error instanceof IdempotencyConflict)) throw error;
          logger.info({ narration: moment.id, stream: moment.streamId }, 'chapter already narrated by another narrator');
        }
      }
    },
    isTransient: (error) => error instanceof NarratorClosed || isConnectionError(error),
  });
}
