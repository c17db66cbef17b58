// Configuration of the purchase verifiers, from the environment: base URLs (so tests and
// sandboxes can point them elsewhere) and credentials. Shaped like infra/config.ts (each
// field's description is its example) so it merges into the application's ConfigSchema:
// spread `purchaseConfigShape` into the object and call `checkPurchaseConfig` from its
// superRefine. A platform is on when all its credentials are set, off when none are; a
// partial set is an error naming what is missing.
import { z } from 'zod';

const pem = (label: string) =>
  z
    .string()
    // Env files often hold PEMs on one line with literal \n.
    .transform((value) => value.replaceAll('\\n', '\n'))
    .refine((value) => value.includes(`-----BEGIN ${label}`), `must be a PEM (-----BEGIN ${label}…)`);

export const purchaseConfigShape = {
  PURCHASE_VERIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000).describe('5000'),

  STEAM_API_BASE_URL: z.url().default('https://partner.steam-api.com').describe('https://partner.steam-api.com'),
  /** The publisher Web API key (only valid from allow-listed servers). */
  STEAM_WEB_API_KEY: z.string().regex(/^[0-9A-F]{32}$/i, 'must be a 32-character hex publisher key').optional().describe('0123456789ABCDEF0123456789ABCDEF'),
  STEAM_APP_ID: z.string().regex(/^\d{1,10}$/, 'must be a numeric app id').optional().describe('480'),
  /** Query ISteamMicroTxnSandbox instead of ISteamMicroTxn. */
  STEAM_USE_SANDBOX: z.stringbool().default(false).describe('false'),

  APPLE_API_BASE_URL: z.url().default('https://api.storekit.itunes.apple.com').describe('https://api.storekit-sandbox.itunes.apple.com'),
  APPLE_ISSUER_ID: z.guid().optional().describe('57246542-96fe-1a63-e053-0824d011072a'),
  APPLE_KEY_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character key id').optional().describe('2X9R4HXF34'),
  /** The In-App Purchase key (.p8), PKCS#8 PEM. */
  APPLE_PRIVATE_KEY: pem('PRIVATE KEY').optional().describe('-----BEGIN PRIVATE KEY-----\\n…\\n-----END PRIVATE KEY-----'),
  APPLE_BUNDLE_ID: z.string().regex(/^[A-Za-z0-9.-]{1,155}$/, 'must be a bundle id').optional().describe('com.pantheon.oracles'),
  APPLE_ENVIRONMENT: z.enum(['Production', 'Sandbox']).default('Production').describe('Production'),
  /** Roots the signedTransactionInfo chain must end in: Apple Root CA - G3 (apple.com/certificateauthority), as PEM. */
  APPLE_ROOT_CERTIFICATES: pem('CERTIFICATE').optional().describe('-----BEGIN CERTIFICATE-----\\n…\\n-----END CERTIFICATE-----'),

  GOOGLE_PLAY_API_BASE_URL: z.url().default('https://androidpublisher.googleapis.com').describe('https://androidpublisher.googleapis.com'),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token').describe('https://oauth2.googleapis.com/token'),
  GOOGLE_PLAY_PACKAGE_NAME: z.string().regex(/^[A-Za-z0-9_.]{1,150}$/, 'must be an Android package name').optional().describe('com.pantheon.oracles'),
  GOOGLE_SERVICE_ACCOUNT_EMAIL: z.email().optional().describe('purchases@pantheon.iam.gserviceaccount.com'),
  GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY: pem('PRIVATE KEY').optional().describe('-----BEGIN PRIVATE KEY-----\\n…\\n-----END PRIVATE KEY-----'),

  DISCORD_API_BASE_URL: z.url().default('https://discord.com/api/v10').describe('https://discord.com/api/v10'),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'must be a snowflake').optional().describe('1310000000000000000'),
  DISCORD_BOT_TOKEN: z.string().min(20).optional().describe('MTMx…'),
};

export const PurchaseConfigSchema = z.object(purchaseConfigShape).superRefine((config, ctx) => checkPurchaseConfig(config, ctx));
export type PurchaseConfig = z.infer<typeof PurchaseConfigSchema>;

/** Each platform's credentials: all set (the platform is on) or none (off). */
export const platformCredentials = {
  steam: ['STEAM_WEB_API_KEY', 'STEAM_APP_ID'],
  apple: ['APPLE_ISSUER_ID', 'APPLE_KEY_ID', 'APPLE_PRIVATE_KEY', 'APPLE_BUNDLE_ID', 'APPLE_ROOT_CERTIFICATES'],
  google_play: ['GOOGLE_PLAY_PACKAGE_NAME', 'GOOGLE_SERVICE_ACCOUNT_EMAIL', 'GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY'],
  discord: ['DISCORD_APPLICATION_ID', 'DISCORD_BOT_TOKEN'],
} as const satisfies Record<string, ReadonlyArray<keyof typeof purchaseConfigShape>>;

/**
 * Credentials that also serve something else, and so may be set alone: the Discord
 * application id is what the interactions endpoint needs with DISCORD_PUBLIC_KEY, without
 * any bot token. Discord purchases are on only when the bot token is set too.
 */
const sharedCredentials: ReadonlySet<string> = new Set(['DISCORD_APPLICATION_ID']);

export function checkPurchaseConfig(config: Partial<Record<keyof typeof purchaseConfigShape, unknown>>, ctx: z.RefinementCtx): void {
  for (const names of Object.values(platformCredentials)) {
    const set = names.filter((name) => config[name] !== undefined);
    if (set.every((name) => sharedCredentials.has(name))) continue;
    if (set.length === 0 || set.length === names.length) continue;
    for (const name of names) {
      if (config[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `must be set with ${set.join(', ')}` });
    }
  }
}
