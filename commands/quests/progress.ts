// The quest progress reactor: reads match outcomes (and quest rewards naming codex entries)
// in global order and records what they mean for each player's quest log. Keyed by the source
// event: the log applies a player's sources in global order and remembers how far it got, and
// the events it appends have ids derived from the source, so a redelivered batch, a restart
// or a second reactor records nothing twice. Rebuilding a player's progress is folding their
// quest-log stream; every QuestProgressed names the event it came from.
import type { Logger } from 'pino';
import type { RecordedEvent } from '../../events/envelope.ts';
import { defineReactor, type Reactor } from '../../events/processor.ts';
import type { EventStore } from '../../events/store.ts';
import { factsOf, needsStream, progressSourceTypes } from './outcomes.ts';
import type { QuestService } from './service.ts';

export const QUEST_PROGRESS = 'quest_progress';

export type QuestProgressOptions = {
  readonly quests: QuestService;
  /** Reads the ended match's own stream (line-up, forfeits, rites). */
  readonly store: Pick<EventStore, 'readStream'>;
  readonly logger?: Pick<Logger, 'error'>;
};

export function createQuestProgressReactor(options: QuestProgressOptions): Reactor {
  return defineReactor({
    name: QUEST_PROGRESS,
    eventTypes: progressSourceTypes,
    async react(events) {
      // In global order: each player's log takes its sources in the order the log has them.
      for (const event of events) await progressFrom(options, event);
    },
  });
}

async function progressFrom(options: QuestProgressOptions, event: RecordedEvent): Promise<void> {
  const stream = needsStream(event.type) ? await options.store.readStream(event.streamId, { limit: event.version + 1, raw: true }) : [];
  const source = { eventId: event.id, type: event.type, streamId: event.streamId, position: event.position, recordedAt: Date.parse(event.metadata.recordedAt) };
  await Promise.all(factsOf(event, stream).map(async ({ playerId, facts }) => {
    const result = await options.quests.recordProgress({ type: 'RecordProgress', playerId, source, facts });
    // Progress is never refused by the rules; a malformed source is a bug worth stopping for.
    if (!result.ok) {
      options.logger?.error({ playerId, sourceEventId: event.id, code: result.code }, result.message);
      throw new Error(`quest progress from ${event.id} for ${playerId} was refused: ${result.code} ${result.message}`);
    }
  }));
}
