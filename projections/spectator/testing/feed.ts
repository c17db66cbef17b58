// Test support for the spectator feed: records a narration of a room event, as the
// narrator reactor would (infra/narrator), without asking a model.
import type { RecordedEvent } from '../../../events/envelope.ts';
import type { EventStore } from '../../../events/store.ts';
import { narrationEventId, narrationStreamOf, type NarrationData } from '../../narration/events.ts';

export async function narrate(store: EventStore, source: RecordedEvent, text: string): Promise<RecordedEvent> {
  const data: NarrationData = {
    use: 'battle_highlight', kind: 'oracle_fell', roomStreamId: source.streamId, sourceEventId: source.id, sourceEventType: source.type,
    codexEntryId: null, model: null, promptHash: '0'.repeat(64), text, tokens: { prompt: 0, completion: 0, total: 0 },
    offline: true, fallbackReason: 'no_key', cached: false,
  };
  const appended = await store.append(narrationStreamOf(source.streamId), 'any', [{ id: narrationEventId('battle_highlight', source.id), type: 'NarrationGenerated', data }]);
  return appended.events[0]!;
}
