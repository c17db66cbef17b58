// What the narrator records: one NarrationGenerated per narrated moment. A model's words are
// not reproducible, so they enter the log as data; replays, audits and spectator feeds read
// them back and never ask the model again.
//
// Streams: `narration-<room stream id>` for a room's moments (battle highlights, raid calls,
// ritual omens), `narration-codex:<slug>` for the lore of a codex entry (written once per
// entry). Event ids derive from what was narrated (the source event, or the codex entry), so
// a redelivered source event or a second narrator appends the same id: a no-op.
import { z } from 'zod';
import { nameBasedUuid } from '../../events/ids.ts';
import { defineEvent, type EventOf } from '../../events/catalog.ts';

/** What the narration is for; each use has its own system prompt and limits (prompts.ts). */
export const NarrationUse = z.enum(['battle_highlight', 'raid_phase', 'ritual_omen', 'codex_lore', 'story_chapter']);
export type NarrationUse = z.infer<typeof NarrationUse>;

/** The moment narrated. */
export const NarrationKind = z.enum([
  'critical_finish', 'oracle_fell', 'battle_ended',
  'boss_phase', 'raid_enraged', 'boss_defeated', 'raid_ended',
  'ritual_completed',
  'codex_entry',
  'chapter_completed',
]);
export type NarrationKind = z.infer<typeof NarrationKind>;

/** Why the offline narrator spoke instead of the model. */
export const FallbackReason = z.enum([
  /** No OPENAI_API_KEY configured. */
  'no_key',
  /** The daily token budget is spent. */
  'budget_exhausted',
  /** The circuit breaker is open after repeated model failures. */
  'circuit_open',
  /** Global or per-player narration rate exceeded. */
  'rate_limited',
  /** The rate limiter or budget store (Redis) could not be asked. */
  'guard_unavailable',
  /** The model did not answer in time (after retries). */
  'timeout',
  /** The model answered with an error (after retries). */
  'model_error',
  /** The moderation endpoint flagged the model's text: it was not used. */
  'flagged',
  /** The moderation endpoint could not be asked: unchecked text is not used. */
  'moderation_failed',
  /** The model returned no usable text. */
  'empty',
]);
export type FallbackReason = z.infer<typeof FallbackReason>;

const Count = z.int().min(0);

export const NarrationGenerated = defineEvent(
  'NarrationGenerated',
  z.strictObject({
    use: NarrationUse,
    kind: NarrationKind,
    /** The room stream narrated; null for codex lore. */
    roomStreamId: z.string().min(1).max(200).nullable(),
    /** The event narrated (for lore: the event that first unlocked the entry, if any). */
    sourceEventId: z.string().min(1).max(100).nullable(),
    sourceEventType: z.string().min(1).max(64).nullable(),
    codexEntryId: z.string().min(1).max(80).nullable(),
    /** The model asked; null when none was (no key, budget, circuit, rate limit). */
    model: z.string().min(1).max(100).nullable(),
    /** SHA-256 over the canonical prompt (model, limits, messages): the cache key. */
    promptHash: z.string().regex(/^[0-9a-f]{64}$/),
    text: z.string().min(1).max(2000),
    /** Tokens this narration spent (0 when nothing was asked or the text came from the cache). */
    tokens: z.strictObject({ prompt: Count, completion: Count, total: Count }),
    /** The text is the offline template narrator's. */
    offline: z.boolean(),
    fallbackReason: FallbackReason.nullable(),
    /** The model's text came from the prompt cache (a narration of an identical prompt). */
    cached: z.boolean(),
  }),
);
export type NarrationGenerated = EventOf<typeof NarrationGenerated>;
export type NarrationData = NarrationGenerated['data'];

export const narratorEventDefinitions = [NarrationGenerated] as const;

export const narrationStreamOf = (roomStreamId: string): string => `narration-${roomStreamId}`;

/** `codex/dawn-hymn` → `narration-codex:dawn-hymn`. */
export const loreStreamOf = (entryId: string): string => `narration-codex:${entryId.replace(/^codex\//, '')}`;

/** A source event is narrated at most once per use. */
export const narrationEventId = (use: NarrationUse, sourceEventId: string): string => nameBasedUuid('narration', use, sourceEventId);

/** A codex entry's lore is written once. */
export const loreEventId = (entryId: string): string => nameBasedUuid('narration', 'codex_lore', entryId);
