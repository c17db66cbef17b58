// What each platform product buys: the product catalog, as data. A sku names a bundle of
// currency grants; each platform maps its own product ids onto skus. Validated at load, so a
// product that names a missing sku stops the process instead of failing a player's purchase.
import { z } from 'zod';
import { Grant } from '../wallet/commands.ts';
import { Platform, Sku } from '../wallet/model.ts';

const ProductIds = z.record(z.string().min(1).max(200), Sku);

export const ProductCatalog = z
  .strictObject({
    version: z.string().regex(/^products\/\d+$/),
    skus: z.record(Sku, z.strictObject({ name: z.string().min(1).max(80), grants: z.array(Grant).min(1) })),
    platforms: z.strictObject({ steam: ProductIds, apple: ProductIds, google_play: ProductIds, discord: ProductIds }),
  })
  .superRefine((catalog, ctx) => {
    for (const platform of Platform.options) {
      for (const [productId, sku] of Object.entries(catalog.platforms[platform])) {
        if (!Object.hasOwn(catalog.skus, sku)) ctx.addIssue({ code: 'custom', path: ['platforms', platform, productId], message: `names sku ${sku}, which is not in skus` });
      }
    }
    for (const [sku, { grants }] of Object.entries(catalog.skus)) {
      if (new Set(grants.map((g) => g.currency)).size !== grants.length) ctx.addIssue({ code: 'custom', path: ['skus', sku], message: 'grants each currency once' });
    }
  });
export type ProductCatalog = z.infer<typeof ProductCatalog>;

export const productCatalog: ProductCatalog = ProductCatalog.parse({
  version: 'products/1',
  skus: {
    coins_small: { name: 'Pouch of coins', grants: [{ currency: 'coins', amount: 500 }] },
    coins_large: { name: 'Chest of coins', grants: [{ currency: 'coins', amount: 3000 }] },
    embers_pouch: { name: 'Pouch of embers', grants: [{ currency: 'embers', amount: 25 }] },
    starter_pack: { name: 'Starter pack', grants: [{ currency: 'coins', amount: 1000 }, { currency: 'embers', amount: 10 }] },
  },
  platforms: {
    // Steam item ids are the game's own numbers, sent in InitTxn.
    steam: { '1001': 'coins_small', '1002': 'coins_large', '1003': 'embers_pouch', '1004': 'starter_pack' },
    apple: {
      'com.pantheon.coins.small': 'coins_small', 'com.pantheon.coins.large': 'coins_large',
      'com.pantheon.embers.pouch': 'embers_pouch', 'com.pantheon.starter': 'starter_pack',
    },
    google_play: { coins_small: 'coins_small', coins_large: 'coins_large', embers_pouch: 'embers_pouch', starter_pack: 'starter_pack' },
    // Discord SKU ids (snowflakes) from the application's store settings.
    discord: { '1310000000000000001': 'coins_small', '1310000000000000002': 'coins_large', '1310000000000000003': 'embers_pouch', '1310000000000000004': 'starter_pack' },
  },
});

/** The sku a platform product maps to and what it grants, times the quantity bought. */
export function productGrants(catalog: ProductCatalog, platform: Platform, productId: string, quantity: number): { sku: string; grants: Grant[] } | undefined {
  const products = catalog.platforms[platform];
  if (!Object.hasOwn(products, productId)) return undefined;
  const sku = products[productId]!;
  const bundle = catalog.skus[sku]!;
  return { sku, grants: bundle.grants.map((g) => ({ currency: g.currency, amount: g.amount * quantity })) };
}
