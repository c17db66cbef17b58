// The interactions endpoint, POST /discord/interactions: Discord's signed webhook for slash
// commands. Every request's Ed25519 signature is checked against the raw body before it is
// parsed; a bad or missing one is 401 and nothing else happens. PING is answered PONG; a
// command is answered from the read models within Discord's 3-second window, or deferred
// (type 5) and the answer sent later by editing the original response through the
// interaction webhook (PATCH /webhooks/{application}/{token}/messages/@original).
//
// Who asks matters only for private data: a Discord user linked to a player (an identity
// recorded in the account streams) sees their own wallet and progress; everyone sees the
// public boards, codex, progress of others, live matches and audits.
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { listFindings } from '../../projections/anticheat/index.ts';
import { codexOf } from '../../projections/codex/index.ts';
import { Board, leaderboard } from '../../projections/leaderboards/index.ts';
import { progressionOf } from '../../projections/progression/index.ts';
import { questLogOf } from '../../projections/quests/index.ts';
import { readModelTable } from '../../projections/runner/tables.ts';
import { MatchRef, summaryOf } from '../../projections/spectator/index.ts';
import { walletOf } from '../../projections/wallets/index.ts';
import { defineRoute, HttpError, readBody, type Route } from '../http/route.ts';
import type { Logger } from '../logger.ts';
import { EPHEMERAL, Interaction, InteractionResponse, InteractionType, ResponseType, type MessageData } from './commands.ts';
import { auditMessage, codexMessage, leaderboardMessage, progressMessage, refusalMessage, walletMessage, type AuditView } from './render.ts';
import { questsMessage } from './quests.ts';
import type { DiscordRest } from './rest.ts';
import { verifyInteraction } from './signature.ts';

/** Interaction bodies are small JSON documents; anything larger is not Discord's. */
const MAX_INTERACTION_BYTES = 32 * 1024;
/** Discord waits 3 s for the first answer; past this we defer and answer through the webhook. */
export const ANSWER_WITHIN_MS = 2000;

export const discordCodes = {
  invalidSignature: 'discord/invalid_signature',
  invalidInteraction: 'discord/invalid_interaction',
  unknownCommand: 'discord/unknown_command',
  invalidOption: 'discord/invalid_option',
  notLinked: 'discord/not_linked',
  playerNotLinked: 'discord/player_not_linked',
  unknownMatch: 'discord/unknown_match',
  noChannel: 'discord/no_channel',
  failed: 'discord/failed',
} as const;

export type InteractionServices = {
  db: SqlQueryable;
  schema: string;
  publicKey: KeyObject;
  applicationId: string;
  /** Sends deferred answers (interaction webhooks need no bot token). */
  rest: DiscordRest;
  /** Starts a live message (the publisher, or the table another process's publisher reads). */
  watch(matchStreamId: string, channelId: string, requestedBy: string): Promise<boolean>;
  /** The player a Discord user id is linked to, or null. */
  linkedPlayer(discordUserId: string): Promise<string | null>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** Resolves when a command still working must be deferred; default ANSWER_WITHIN_MS after it arrived. */
  answerDeadline?: () => Promise<void>;
};

type Reply = MessageData;
type Context = {
  interaction: Interaction;
  userId: string;
  channelId: string | null;
  option(name: string): string | number | boolean | undefined;
  /** The player the invoking user is linked to (asked once). */
  me(): Promise<string | null>;
};
type Command = {
  /** Whether only the invoking user sees the answer (decided before running: a deferral fixes it). */
  private(ctx: Context): boolean;
  run(ctx: Context): Promise<Reply>;
};

const refuse = (code: string, message: string): Reply => refusalMessage(code, message);

function commands(services: InteractionServices): Record<string, Command> {
  const { db, schema } = services;
  /** Whose data: the `player` option's linked player, else the invoker's own. */
  async function whose(ctx: Context): Promise<{ playerId: string; own: boolean } | Reply> {
    const other = ctx.option('player');
    if (other !== undefined && String(other) !== ctx.userId) {
      const playerId = await services.linkedPlayer(String(other));
      return playerId ? { playerId, own: false } : refuse(discordCodes.playerNotLinked, 'that Discord user has not linked a game account');
    }
    const playerId = await ctx.me();
    return playerId ? { playerId, own: true } : refuse(discordCodes.notLinked, 'link your Discord account in the game (Settings → Accounts) to see your own data, or name a player');
  }
  const matchOption = (ctx: Context) => MatchRef.safeParse(ctx.option('match'));
  const isOwn = (ctx: Context) => ctx.option('player') === undefined || String(ctx.option('player')) === ctx.userId;

  return {
    watch: {
      private: () => false,
      async run(ctx) {
        const match = matchOption(ctx);
        if (!match.success) return refuse(discordCodes.invalidOption, 'name the match by its room id or stream id, e.g. battle-7f3a');
        if (!ctx.channelId) return refuse(discordCodes.noChannel, 'use /watch in a channel');
        const summary = await summaryOf(db, schema, match.data);
        if (!summary) return refuse(discordCodes.unknownMatch, `no battle, raid or ritual called ${match.data}`);
        const added = await services.watch(summary.streamId, ctx.channelId, ctx.userId);
        return { content: `${added ? 'Watching' : 'Already watching'} ${summary.kind} **${summary.matchId}** here: the live message ${added ? 'follows' : 'is above'}.`, allowed_mentions: { parse: [] } };
      },
    },
    wallet: {
      private: () => true,
      async run(ctx) {
        const playerId = await ctx.me();
        if (!playerId) return refuse(discordCodes.notLinked, 'link your Discord account in the game (Settings → Accounts) to see your wallet here');
        return walletMessage(await walletOf(db, schema, playerId));
      },
    },
    codex: {
      private: isOwn,
      async run(ctx) {
        const target = await whose(ctx);
        if (!('playerId' in target)) return target;
        return codexMessage(await codexOf(db, schema, target.playerId), target.own);
      },
    },
    progress: {
      private: isOwn,
      async run(ctx) {
        const target = await whose(ctx);
        if (!('playerId' in target)) return target;
        return progressMessage(await progressionOf(db, schema, target.playerId), target.own);
      },
    },
    quests: {
      private: () => true,
      async run(ctx) {
        const playerId = await ctx.me();
        if (!playerId) return refuse(discordCodes.notLinked, 'link your Discord account in the game (Settings → Accounts) to see your quests here');
        return questsMessage(await questLogOf(db, schema, playerId));
      },
    },
    leaderboard: {
      private: () => false,
      async run(ctx) {
        const board = Board.safeParse(ctx.option('board') ?? 'rating');
        if (!board.success) return refuse(discordCodes.invalidOption, `boards are ${Board.options.join(', ')}`);
        return leaderboardMessage(await leaderboard(db, schema, { board: board.data, limit: 10 }));
      },
    },
    audit: {
      private: () => false,
      async run(ctx) {
        const match = matchOption(ctx);
        if (!match.success) return refuse(discordCodes.invalidOption, 'name the match by its room id or stream id, e.g. battle-7f3a');
        const streamId = (await summaryOf(db, schema, match.data))?.streamId;
        if (!streamId) return refuse(discordCodes.unknownMatch, `no battle, raid or ritual called ${match.data}`);
        return auditMessage(await auditOf(db, schema, streamId));
      },
    },
  };
}

async function auditOf(db: SqlQueryable, schema: string, streamId: string): Promise<AuditView> {
  const [audits, findings] = await Promise.all([
    db.query<{ verdict: string; last_version: string; rules_version: string | null }>(
      `SELECT verdict, last_version, rules_version FROM ${readModelTable(schema, 'anticheat', 'audits')} WHERE stream_id = $1`,
      [streamId],
    ),
    listFindings(db, readModelTable(schema, 'anticheat', 'findings'), { streamId, limit: 10 }),
  ]);
  const audit = audits[0];
  return {
    streamId,
    verdict: audit?.verdict ?? null,
    lastVersion: audit ? Number(audit.last_version) : null,
    rulesVersion: audit?.rules_version ?? null,
    findings: findings.map((f) => ({ kind: f.kind, playerId: f.playerId, tick: f.tick })),
  };
}

export function interactionRoutes(services: InteractionServices): Route[] {
  const now = services.now ?? Date.now;
  const deadline = services.answerDeadline ?? (() => new Promise<void>((resolve) => setTimeout(resolve, ANSWER_WITHIN_MS).unref()));
  const handlers = commands(services);
  const log = services.logger;

  async function followUp(interaction: Interaction, data: MessageData): Promise<void> {
    const answer = await services.rest.request('PATCH', `/webhooks/${services.applicationId}/${interaction.token}/messages/@original`, { body: data, auth: 'none' });
    if (answer.status >= 300) log.warn({ component: 'discord', command: interaction.data?.name, status: answer.status }, 'Discord did not take a deferred answer');
  }

  async function command(interaction: Interaction): Promise<InteractionResponse> {
    const name = interaction.data?.name ?? '';
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (!handler) return { type: ResponseType.CHANNEL_MESSAGE_WITH_SOURCE, data: { ...refuse(discordCodes.unknownCommand, `this server has no /${name}`), flags: EPHEMERAL } };
    const userId = interaction.member?.user.id ?? interaction.user?.id;
    if (!userId) throw new HttpError(400, discordCodes.invalidInteraction, 'a command interaction names its user');
    let me: Promise<string | null> | undefined;
    const ctx: Context = {
      interaction,
      userId,
      channelId: interaction.channel_id ?? interaction.channel?.id ?? null,
      option: (option) => interaction.data?.options?.find((o) => o.name === option)?.value,
      me: () => (me ??= services.linkedPlayer(userId)),
    };
    const flags = handler.private(ctx) ? EPHEMERAL : undefined;
    const withFlags = (data: MessageData): MessageData => (flags ? { ...data, flags } : data);
    const failed = (error: unknown): MessageData => {
      log.error({ component: 'discord', command: name, err: error }, 'slash command failed');
      return refuse(discordCodes.failed, 'the answer could not be read just now; try again shortly');
    };
    const work = handler.run(ctx).catch(failed);
    const answered = await Promise.race([work.then((reply) => ({ reply })), deadline().then(() => null)]);
    if (answered) return { type: ResponseType.CHANNEL_MESSAGE_WITH_SOURCE, data: withFlags(answered.reply) };
    void work.then((reply) => followUp(interaction, reply)).catch((error: unknown) => log.warn({ component: 'discord', command: name, err: error }, 'deferred answer not sent'));
    return { type: ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, ...(flags ? { data: { flags } } : {}) };
  }

  return [
    defineRoute({
      name: 'discordInteractions',
      method: 'POST',
      path: '/discord/interactions',
      summary: "Discord's interactions webhook (Ed25519-signed): PING and the slash commands",
      tags: ['discord'],
      // Discord does not send our session tokens: the signature is the authentication.
      access: 'public',
      response: InteractionResponse,
      refusals: { 401: 'the request is not signed by Discord with this application key', 400: 'not an interaction' },
      async handle({ request }) {
        if (!request) throw new HttpError(400, discordCodes.invalidInteraction, 'no request');
        // The raw bytes: the signature covers exactly these.
        const body = await readBody(request, MAX_INTERACTION_BYTES);
        const check = verifyInteraction({
          publicKey: services.publicKey,
          signature: request.headers.get('x-signature-ed25519'),
          timestamp: request.headers.get('x-signature-timestamp'),
          body,
          nowMs: now(),
        });
        if (!check.ok) throw new HttpError(401, discordCodes.invalidSignature, `invalid request signature (${check.reason})`);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(400, discordCodes.invalidInteraction, 'the body is not JSON');
        }
        const parsed = Interaction.safeParse(json);
        if (!parsed.success) throw new HttpError(400, discordCodes.invalidInteraction, z.prettifyError(parsed.error).slice(0, 500));
        const interaction = parsed.data;
        if (interaction.type === InteractionType.PING) return { type: ResponseType.PONG };
        if (interaction.type === InteractionType.APPLICATION_COMMAND) return command(interaction);
        throw new HttpError(400, discordCodes.invalidInteraction, `interaction type ${interaction.type} is not handled here`);
      },
    }),
  ];
}
