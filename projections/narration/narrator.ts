// What the narration reactor asks of a narrator: the words for a moment, and a feed to
// stream them live. The narrator itself (the OpenAI client, its guardrails and the offline
// templates) is infra/narrator; this is the port it implements.
import type { FallbackReason } from './events.ts';
import type { NarrationFeed } from './feed.ts';
import type { Moment } from './moments.ts';

export type Usage = { prompt: number; completion: number; total: number };

export type NarrationResult = {
  text: string;
  /** The model asked, or null when none was. */
  model: string | null;
  promptHash: string;
  tokens: Usage;
  offline: boolean;
  fallbackReason: FallbackReason | null;
  cached: boolean;
};

export type Narrator = {
  narrate(moment: Moment): Promise<NarrationResult>;
  readonly feed: Pick<NarrationFeed, 'publish'>;
};

/** Thrown by `narrate` once the narrator is closed: the moment was not narrated and must be retried later. */
export class NarratorClosed extends Error {
  readonly code = 'narrator/closed';
  constructor() {
    super('the narrator is closed');
    this.name = 'NarratorClosed';
  }
}
