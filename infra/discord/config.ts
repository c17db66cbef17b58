// Discord's configuration, shaped like infra/config.ts (each field's description is its
// example) so it merges into the application's ConfigSchema: spread `discordConfigShape`.
// The application id, bot token and API base URL are the very definitions purchases use
// (commands/purchases/config.ts), so spreading both shapes merges without conflict.
import { z } from 'zod';
import { purchaseConfigShape } from '../../commands/purchases/config.ts';

export const discordConfigShape = {
  /** The application's Ed25519 public key (Developer Portal → General Information), hex; unset: no interactions endpoint. */
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the application public key: 64 hex characters')
    .optional()
    .describe('8f2b6c1a0d9e4f7b3a5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a'),
  DISCORD_APPLICATION_ID: purchaseConfigShape.DISCORD_APPLICATION_ID,
  DISCORD_BOT_TOKEN: purchaseConfigShape.DISCORD_BOT_TOKEN,
  DISCORD_API_BASE_URL: purchaseConfigShape.DISCORD_API_BASE_URL,
};

export const DiscordConfigSchema = z.object(discordConfigShape);
export type DiscordConfig = z.infer<typeof DiscordConfigSchema>;
