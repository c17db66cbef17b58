// Ritual definitions as data. Designers edit this table; the zod schema checks it when the
// module loads, so a broken ritual fails the server at start-up, not mid-ritual.
// The content version goes into every RitualCreated event: a replay audit knows which table
// the stream was played against, and a changed table must carry a new version.
import { z } from 'zod';

export const ritualContentVersion = 'ritual-content/2025.1';

export const RiteKind = z.enum(['invoke', 'offer', 'chant', 'seal']);
export type RiteKind = z.infer<typeof RiteKind>;

/** A seat index (0 = first participant) or `any` participant. */
export const StepSeat = z.union([z.number().int().min(0).max(4), z.literal('any')]);
export type StepSeat = z.infer<typeof StepSeat>;

/**
 * The rhythm window, in ticks after the previous step was channelled (after the ritual's
 * creation tick for the first step). Both ends are inclusive.
 */
export const RhythmWindow = z
  .object({ earliest: z.number().int().min(0).max(600), latest: z.number().int().min(0).max(600) })
  .refine((w) => w.earliest <= w.latest, { message: 'earliest must not be after latest' });
export type RhythmWindow = z.infer<typeof RhythmWindow>;

export const RitualStep = z.object({ rite: RiteKind, seat: StepSeat, window: RhythmWindow });
export type RitualStep = z.infer<typeof RitualStep>;

const ContentId = z.string().regex(/^[a-z][a-z0-9_-]*(\/[a-z0-9_-]+)*$/, 'ids are lower-case slugs, e.g. codex/dawn-hymn');

export const RitualUnlocks = z.object({
  codexEntries: z.array(ContentId),
  anointments: z.array(ContentId),
});
export type RitualUnlocks = z.infer<typeof RitualUnlocks>;

/** A rare extra anointment rolled with the seeded PRNG when a ritual succeeds. */
export const RitualOmen = z
  .object({
    anointment: ContentId,
    numerator: z.number().int().min(0),
    denominator: z.number().int().min(1).max(1_000_000),
  })
  .refine((o) => o.numerator <= o.denominator, { message: 'omen chance must be at most 1' });
export type RitualOmen = z.infer<typeof RitualOmen>;

export const RitualDefinition = z
  .object({
    id: ContentId,
    name: z.string().min(1),
    minParticipants: z.number().int().min(2).max(5),
    maxParticipants: z.number().int().min(2).max(5),
    steps: z.array(RitualStep).min(1).max(64),
    /** Missteps tolerated; one more fails the ritual. */
    allowedMistakes: z.number().int().min(0),
    unlocks: RitualUnlocks,
    omen: RitualOmen.nullable(),
  })
  .superRefine((ritual, issue) => {
    if (ritual.minParticipants > ritual.maxParticipants) {
      issue.addIssue({ code: 'custom', message: `${ritual.id}: minParticipants exceeds maxParticipants` });
    }
    // A step bound to a seat that a minimal party lacks could never be performed.
    ritual.steps.forEach((step, index) => {
      if (step.seat !== 'any' && step.seat >= ritual.minParticipants) {
        issue.addIssue({ code: 'custom', message: `${ritual.id}: step ${index} needs seat ${step.seat} but only ${ritual.minParticipants} seats are guaranteed` });
      }
    });
  });
export type RitualDefinition = z.infer<typeof RitualDefinition>;

export const RitualContent = z
  .object({ version: z.string().min(1), rituals: z.array(RitualDefinition).min(1) })
  .superRefine((content, issue) => {
    const seen = new Set<string>();
    for (const ritual of content.rituals) {
      if (seen.has(ritual.id)) issue.addIssue({ code: 'custom', message: `ritual id ${ritual.id} is defined twice` });
      seen.add(ritual.id);
    }
  });
export type RitualContent = z.infer<typeof RitualContent>;

// Rituals tick at 5 Hz, so a window of [3, 8] is 0.6 s to 1.6 s after the previous rite.
export const ritualContent: RitualContent = RitualContent.parse({
  version: ritualContentVersion,
  rituals: [
    {
      id: 'anointing-of-the-dawn',
      name: 'Anointing of the Dawn',
      minParticipants: 2,
      maxParticipants: 4,
      steps: [
        { rite: 'invoke', seat: 0, window: { earliest: 2, latest: 8 } },
        { rite: 'offer', seat: 1, window: { earliest: 3, latest: 9 } },
        { rite: 'chant', seat: 'any', window: { earliest: 2, latest: 6 } },
        { rite: 'seal', seat: 0, window: { earliest: 4, latest: 10 } },
      ],
      allowedMistakes: 2,
      unlocks: { codexEntries: ['codex/dawn-hymn', 'codex/first-light'], anointments: ['anointment/dawnmarked'] },
      omen: { anointment: 'anointment/sunlit-brow', numerator: 1, denominator: 4 },
    },
    {
      id: 'tidecall',
      name: 'Tidecall',
      minParticipants: 3,
      maxParticipants: 5,
      steps: [
        { rite: 'chant', seat: 0, window: { earliest: 1, latest: 5 } },
        { rite: 'chant', seat: 1, window: { earliest: 1, latest: 5 } },
        { rite: 'chant', seat: 2, window: { earliest: 1, latest: 5 } },
        { rite: 'offer', seat: 'any', window: { earliest: 3, latest: 7 } },
        { rite: 'invoke', seat: 0, window: { earliest: 2, latest: 6 } },
        { rite: 'seal', seat: 2, window: { earliest: 5, latest: 11 } },
      ],
      allowedMistakes: 3,
      unlocks: { codexEntries: ['codex/tidecall', 'codex/drowned-choir'], anointments: ['anointment/saltbound'] },
      omen: { anointment: 'anointment/moon-tithe', numerator: 1, denominator: 5 },
    },
    {
      id: 'ember-vigil',
      name: 'Ember Vigil',
      minParticipants: 2,
      maxParticipants: 5,
      steps: [
        { rite: 'invoke', seat: 'any', window: { earliest: 0, latest: 10 } },
        { rite: 'offer', seat: 1, window: { earliest: 5, latest: 15 } },
        { rite: 'offer', seat: 0, window: { earliest: 5, latest: 15 } },
        { rite: 'chant', seat: 'any', window: { earliest: 10, latest: 20 } },
        { rite: 'seal', seat: 1, window: { earliest: 5, latest: 9 } },
      ],
      allowedMistakes: 1,
      unlocks: { codexEntries: ['codex/ember-vigil'], anointments: ['anointment/ashen-palm', 'anointment/keeper-of-coals'] },
      omen: null,
    },
  ],
});

/** The definition of a ritual in the loaded content, or undefined if this content has none by that id. */
export function findRitual(ritualId: string): RitualDefinition | undefined {
  return ritualContent.rituals.find((ritual) => ritual.id === ritualId);
}
