// What outcomes pay: one small versioned table of integer amounts, read by the payouts
// process manager. Changing an amount means a new version; an outcome already paid under
// the old table is not paid again (its idempotency keys are taken), and a redelivered old
// event meeting new amounts is refused as `wallet/idempotency_key_reused` and logged.
import { z } from 'zod';
import { Amount, Currency } from './model.ts';

const Grants = z.array(z.strictObject({ currency: Currency, amount: Amount })).refine(
  (grants) => new Set(grants.map((g) => g.currency)).size === grants.length,
  'a reward names each currency once',
);
export type RewardGrants = z.infer<typeof Grants>;

export const RewardTable = z.strictObject({
  version: z.string().regex(/^rewards\/\d+$/),
  battle: z.strictObject({
    /** Every player who stayed to the end (a forfeit forgoes it). */
    participation: Grants,
    /** On top, each player of the winning side who stayed. */
    victory: Grants,
  }),
  raid: z.strictObject({
    /** Each player the boss dropped loot for: the raid was won and they stayed to the end. */
    victory: Grants,
  }),
  ritual: z.strictObject({
    /** Each participant of a ritual completed successfully. */
    success: Grants,
    /** On top, when the omen read favourable. */
    favourableOmen: Grants,
  }),
});
export type RewardTable = z.infer<typeof RewardTable>;

export const rewardTable: RewardTable = RewardTable.parse({
  version: 'rewards/1',
  battle: {
    participation: [{ currency: 'coins', amount: 10 }],
    victory: [{ currency: 'coins', amount: 40 }, { currency: 'embers', amount: 1 }],
  },
  raid: {
    victory: [{ currency: 'coins', amount: 120 }, { currency: 'embers', amount: 3 }],
  },
  ritual: {
    success: [{ currency: 'coins', amount: 30 }, { currency: 'embers', amount: 1 }],
    favourableOmen: [{ currency: 'embers', amount: 2 }],
  },
});
