// The slash commands Pantheon offers on Discord, as the application-commands API takes them
// (register.ts writes them), and the interaction payloads Discord sends when one is used.
import { z } from 'zod';
import { boards } from '../../projections/leaderboards/index.ts';

/** Application command option types (docs: interactions/application-commands). */
export const OptionType = { STRING: 3, USER: 6 } as const;
/** CHAT_INPUT: a slash command. */
export const CHAT_INPUT = 1;

export type CommandOption = {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: Array<{ name: string; value: string }>;
};
export type CommandDefinition = { name: string; description: string; type: number; options?: CommandOption[] };

const match: CommandOption = { type: OptionType.STRING, name: 'match', description: 'the battle, raid or ritual: its room id or stream id (battle-…)', required: true };
const player: CommandOption = { type: OptionType.USER, name: 'player', description: 'whose (default: you, if your Discord account is linked to the game)', required: false };

export const commandDefinitions: readonly CommandDefinition[] = [
  { name: 'watch', type: CHAT_INPUT, description: 'Follow a battle, raid or ritual live in this channel', options: [match] },
  { name: 'wallet', type: CHAT_INPUT, description: 'Your balances (only you see them; link your account in the game first)' },
  { name: 'codex', type: CHAT_INPUT, description: 'Codex entries unlocked', options: [player] },
  { name: 'progress', type: CHAT_INPUT, description: 'Level, crowns, records and rating', options: [player] },
  {
    name: 'leaderboard', type: CHAT_INPUT, description: 'The top of a leaderboard',
    options: [{ type: OptionType.STRING, name: 'board', description: 'which board (default rating)', required: false, choices: boards.map((b) => ({ name: b.replace('_', ' '), value: b })) }],
  },
  { name: 'audit', type: CHAT_INPUT, description: "A match's anti-cheat audit verdict and findings", options: [match] },
  { name: 'quests', type: CHAT_INPUT, description: 'Your quests and story chapters (only you see them; link your account in the game first)' },
];

// --- what Discord sends (docs: interactions/receiving-and-responding) ---

export const InteractionType = { PING: 1, APPLICATION_COMMAND: 2 } as const;
export const ResponseType = { PONG: 1, CHANNEL_MESSAGE_WITH_SOURCE: 4, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: 5 } as const;
/** Message flag: only the invoking user sees it. */
export const EPHEMERAL = 64;

const Snowflake = z.string().regex(/^\d{15,21}$/, 'Discord ids are snowflakes');
const User = z.object({ id: Snowflake, username: z.string().max(100).optional() });

export const Interaction = z.object({
  id: Snowflake,
  application_id: Snowflake,
  type: z.int(),
  token: z.string().min(1).max(1000).regex(/^[A-Za-z0-9._-]+$/, 'interaction tokens are URL-safe'),
  version: z.int().optional(),
  data: z
    .object({
      name: z.string().max(32),
      options: z.array(z.object({ name: z.string().max(32), type: z.int(), value: z.union([z.string().max(200), z.number(), z.boolean()]).optional() })).max(25).optional(),
    })
    .optional(),
  guild_id: Snowflake.optional(),
  channel_id: Snowflake.optional(),
  channel: z.object({ id: Snowflake }).optional(),
  /** In a guild: the member who used the command. */
  member: z.object({ user: User }).optional(),
  /** In a DM: the user. */
  user: User.optional(),
});
export type Interaction = z.infer<typeof Interaction>;

// --- what we answer ---

export const Embed = z.object({
  title: z.string().max(256).optional(),
  description: z.string().max(4096).optional(),
  color: z.int().optional(),
  fields: z.array(z.object({ name: z.string().max(256), value: z.string().max(1024), inline: z.boolean().optional() })).max(25).optional(),
  footer: z.object({ text: z.string().max(2048) }).optional(),
});
export type Embed = z.infer<typeof Embed>;

export const MessageData = z.object({
  content: z.string().max(2000).optional(),
  embeds: z.array(Embed).max(10).optional(),
  flags: z.int().optional(),
  /** Player names are people's text: never let them ping anyone. */
  allowed_mentions: z.object({ parse: z.array(z.string()) }).optional(),
});
export type MessageData = z.infer<typeof MessageData>;

export const InteractionResponse = z.object({ type: z.int(), data: MessageData.optional() });
export type InteractionResponse = z.infer<typeof InteractionResponse>;
