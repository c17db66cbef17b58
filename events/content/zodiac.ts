// The twelve signs and the astrological chart an oracle is drawn from.
import { z } from 'zod';
import { Element } from './elements.ts';

export const signIds = [
  'aries', 'taurus', 'gemini', 'cancer', 'leo', 'virgo',
  'libra', 'scorpio', 'sagittarius', 'capricorn', 'aquarius', 'pisces',
] as const;
export const SignId = z.enum(signIds);
export type SignId = z.infer<typeof SignId>;

export const Modality = z.enum(['cardinal', 'fixed', 'mutable']);
export type Modality = z.infer<typeof Modality>;

export const Sign = z.strictObject({
  id: SignId,
  name: z.string().min(1).max(40),
  element: Element,
  modality: Modality,
});
export type Sign = z.infer<typeof Sign>;

/** Every sign exactly once, so a chart can never name a sign the content lacks. */
export const Signs = z.array(Sign).superRefine((signs, ctx) => {
  for (const id of signIds) {
    const count = signs.filter((sign) => sign.id === id).length;
    if (count !== 1) ctx.addIssue({ code: 'custom', message: `sign ${id} must appear exactly once, found ${count}` });
  }
  if (signs.length !== signIds.length) {
    ctx.addIssue({ code: 'custom', message: `expected ${signIds.length} signs, found ${signs.length}` });
  }
});

/** The three placements that shape an oracle, strongest first (ties break in this order). */
export const placements = ['sun', 'moon', 'rising'] as const;
export const Placement = z.enum(placements);
export type Placement = z.infer<typeof Placement>;

export const Chart = z.strictObject({ sun: SignId, moon: SignId, rising: SignId });
export type Chart = z.infer<typeof Chart>;

export function signById(signs: readonly Sign[], id: SignId): Sign {
  const sign = signs.find((candidate) => candidate.id === id);
  // Signs validation guarantees presence; reaching this means unvalidated content.
  if (!sign) throw new Error(`content has no sign ${id}`);
  return sign;
}
