// The chat service: a post is validated, counted against the player's rate, moderated, and
// only then decided and recorded in its channel's stream; nothing refused is recorded.
// Posts to one channel wait in one lane and go out a batch at a time (one append for many
// messages), decided in order by the channel's rules through handleCommand, so a burst into
// a busy channel neither conflicts with itself nor loses an accepted message.
import { handleCommand, load, stateCache, type StateCache } from '../../events/commandHandler.ts';
import { nameBasedUuid, uuidv7 } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import type { ModerationPort } from './moderation.ts';
import { ChannelId, chatCodes, chatStreamId, MessageText, type ChatMessage } from './model.ts';
import { channelBatchDecider, channelDecider, type ChannelState, type ChatCommand } from './rules.ts';

export type ChatRefusal = { readonly ok: false; readonly code: string; readonly message: string; readonly retryAfterMs?: number };
export type ChatResult<T> = ({ readonly ok: true } & T) | ChatRefusal;

/** Per-player rate of posts (infra: GCRA in Redis shared by every process, or in this one). */
export type ChatRateLimit = { take(playerId: string): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> };

/** Told of what the log recorded, for live delivery (chat and party rooms, other processes). */
export type ChatListener = {
  posted?(message: ChatMessage): void;
  retracted?(channel: string, messageId: string): void;
};

export type ChatServiceOptions = {
  store: EventStore;
  moderation: ModerationPort;
  rateLimit: ChatRateLimit;
  now?: () => number;
  newId?: () => string;
  listener?: ChatListener;
  /** Most posts decided and appended together. */
  maxBatch?: number;
};

type Job = { readonly command: ChatCommand; readonly resolve: (result: ChatResult<object>) => void; readonly reject: (error: unknown) => void };
type Lane = { readonly jobs: Job[]; running: boolean };

export class ChatService {
  readonly #store: EventStore;
  readonly #moderation: ModerationPort;
  readonly #rate: ChatRateLimit;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #listener: ChatListener;
  readonly #maxBatch: number;
  readonly #lanes = new Map<string, Lane>();
  readonly #cache: StateCache<ChannelState> = stateCache(5_000);

  constructor(options: ChatServiceOptions) {
    this.#store = options.store;
    this.#moderation = options.moderation;
    this.#rate = options.rateLimit;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => uuidv7());
    this.#listener = options.listener ?? {};
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /** Posts `text` as `playerId`. Who may post in the channel is the caller's to check first. */
  async post(channelInput: string, playerId: string, textInput: unknown): Promise<ChatResult<{ message: ChatMessage }>> {
    const channel = ChannelId.safeParse(channelInput);
    const text = MessageText.safeParse(textInput);
    if (!channel.success || !text.success) return { ok: false, code: chatCodes.invalid, message: !channel.success ? channel.error.issues[0]!.message : `text: ${text.error!.issues[0]!.message}` };
    const rate = await this.#rate.take(playerId);
    if (!rate.ok) return { ok: false, code: chatCodes.rateLimited, message: `too many messages; wait ${Math.ceil(rate.retryAfterMs / 1000)} s`, retryAfterMs: rate.retryAfterMs };
    const verdict = await this.#moderation.check(text.data);
    if (verdict.flagged) return { ok: false, code: chatCodes.flagged, message: 'this message was held back by moderation and not sent' };
    const command = { type: 'Post', channel: channel.data, messageId: this.#newId(), playerId, text: text.data, at: this.#now() } as const;
    const result = await this.#enqueue(command);
    if (!result.ok) return result;
    const message: ChatMessage = { messageId: command.messageId, channel: command.channel, playerId, text: command.text, at: command.at };
    this.#listener.posted?.(message);
    return { ok: true, message };
  }

  /** A moderator takes a message back: it leaves the history and live readers are told. */
  async retract(channel: ChannelId, messageId: string, by: string, moderator: boolean): Promise<ChatResult<object>> {
    const result = await this.#enqueue({ type: 'Retract', channel, messageId, by, moderator, at: this.#now() });
    if (result.ok) this.#listener.retracted?.(channel, messageId);
    return result;
  }

  async mute(channel: ChannelId, playerId: string, by: string, moderator: boolean, forMs: number): Promise<ChatResult<object>> {
    return this.#enqueue({ type: 'Mute', channel, playerId, by, moderator, forMs, at: this.#now() });
  }

  async unmute(channel: ChannelId, playerId: string, by: string, moderator: boolean): Promise<ChatResult<object>> {
    return this.#enqueue({ type: 'Unmute', channel, playerId, by, moderator });
  }

  /** The channel's latest messages, oldest first (retracted ones gone). */
  async history(channel: ChannelId): Promise<readonly ChatMessage[]> {
    return (await load(this.#store, chatStreamId(channel), channelDecider, undefined, this.#cache)).state.recent;
  }

  #enqueue(command: ChatCommand): Promise<ChatResult<object>> {
    const streamId = chatStreamId(command.channel);
    return new Promise((resolve, reject) => {
      let lane = this.#lanes.get(streamId);
      if (!lane) {
        lane = { jobs: [], running: false };
        this.#lanes.set(streamId, lane);
      }
      lane.jobs.push({ command, resolve, reject });
      if (!lane.running) {
        lane.running = true;
        void this.#drain(streamId, lane);
      }
    });
  }

  async #drain(streamId: string, lane: Lane): Promise<void> {
    while (lane.jobs.length > 0) {
      const batch = lane.jobs.splice(0, this.#maxBatch);
      const outcomes = new Map<string, { ok: true } | { ok: false; code: string; message: string }>();
      try {
        await handleCommand(this.#store, streamId, channelBatchDecider(outcomes), batch.map((job) => job.command), {
          cache: this.#cache,
          // One event per accepted command, named by what it is about: a retried append is the same append.
          eventId: (event) => ('messageId' in event.data ? nameBasedUuid('pantheon.chat', streamId, event.type, event.data.messageId) : uuidv7()),
          metadata: (event) => ({ actor: 'by' in event.data ? event.data.by : event.data.playerId }),
        });
        batch.forEach((job, index) => {
          const outcome = outcomes.get(String(index)) ?? { ok: false as const, code: chatCodes.invalid, message: 'not decided' };
          job.resolve(outcome.ok ? { ok: true } : { ok: false, code: outcome.code, message: outcome.message });
        });
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
    }
    lane.running = false;
    this.#lanes.delete(streamId);
  }
}
