// A channel's rules, pure. Moderation of the text and per-player rate limits happen before
// a post gets here (service.ts): what reaches the rules is a clean text from a player
// within their rate; the rules refuse a muted player and let moderators retract and mute.
// Time comes in with each command.
import { accept, refusalsOf, type Decider } from '../../events/decider.ts';
import type { ChatEvent } from './events.ts';
import { chatCodes, HISTORY_SIZE, MAX_MUTE_MS, type ChannelId, type ChatCode, type ChatMessage } from './model.ts';

export type ChannelState = {
  /** The latest messages, oldest first, retracted ones removed. */
  readonly recent: readonly ChatMessage[];
  /** Player id -> muted until (ms). */
  readonly muted: Readonly<Record<string, number>>;
};

export type ChatCommand =
  | { readonly type: 'Post'; readonly channel: ChannelId; readonly messageId: string; readonly playerId: string; readonly text: string; readonly at: number }
  | { readonly type: 'Retract'; readonly channel: ChannelId; readonly messageId: string; readonly by: string; readonly moderator: boolean; readonly at: number }
  | { readonly type: 'Mute'; readonly channel: ChannelId; readonly playerId: string; readonly by: string; readonly moderator: boolean; readonly forMs: number; readonly at: number }
  | { readonly type: 'Unmute'; readonly channel: ChannelId; readonly playerId: string; readonly by: string; readonly moderator: boolean };

const refuse = refusalsOf<ChatCode>();

export const channelDecider: Decider<ChannelState, ChatCommand, ChatEvent> = {
  initialState: () => ({ recent: [], muted: {} }),
  decide(state, command) {
    switch (command.type) {
      case 'Post': {
        const { channel, messageId, playerId, text, at } = command;
        const until = state.muted[playerId] ?? 0;
        if (until > at) return refuse(chatCodes.muted, `you are muted in ${channel} for ${Math.ceil((until - at) / 1000)} s more`);
        return accept({ type: 'ChatMessagePosted', data: { channel, messageId, playerId, text, at } });
      }
      case 'Retract': {
        if (!command.moderator) return refuse(chatCodes.notModerator, `only moderators of ${command.channel} retract messages`);
        // Moderators act on what readers still see: the latest messages.
        if (!state.recent.some((m) => m.messageId === command.messageId)) return refuse(chatCodes.unknownMessage, `no recent message ${command.messageId} in ${command.channel}`);
        const { channel, messageId, by, at } = command;
        return accept({ type: 'ChatMessageRetracted', data: { channel, messageId, by, at } });
      }
      case 'Mute': {
        if (!command.moderator) return refuse(chatCodes.notModerator, `only moderators of ${command.channel} mute players`);
        const forMs = Math.min(Math.max(0, Math.trunc(command.forMs)), MAX_MUTE_MS);
        const { channel, playerId, by } = command;
        return accept({ type: 'ChatPlayerMuted', data: { channel, playerId, by, until: command.at + forMs } });
      }
      case 'Unmute': {
        if (!command.moderator) return refuse(chatCodes.notModerator, `only moderators of ${command.channel} unmute players`);
        if (state.muted[command.playerId] === undefined) return accept();
        const { channel, playerId, by } = command;
        return accept({ type: 'ChatPlayerUnmuted', data: { channel, playerId, by } });
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ChatMessagePosted': {
        const { channel, messageId, playerId, text, at } = event.data;
        return { ...state, recent: [...state.recent, { messageId, channel, playerId, text, at }].slice(-HISTORY_SIZE) };
      }
      case 'ChatMessageRetracted':
        return { ...state, recent: state.recent.filter((m) => m.messageId !== event.data.messageId) };
      case 'ChatPlayerMuted':
        return { ...state, muted: { ...state.muted, [event.data.playerId]: event.data.until } };
      case 'ChatPlayerUnmuted': {
        const { [event.data.playerId]: _gone, ...muted } = state.muted;
        return { ...state, muted };
      }
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};

/**
 * Many posts decided in order against the evolving state, appended as one commit: a busy
 * channel takes a burst in a few appends. `outcomes` tells each post's fate (the last decide
 * wins: handleCommand decides again after a conflict).
 */
export function channelBatchDecider(outcomes: Map<string, { ok: true } | { ok: false; code: string; message: string }>): Decider<ChannelState, readonly ChatCommand[], ChatEvent> {
  return {
    initialState: channelDecider.initialState,
    evolve: channelDecider.evolve,
    decide(state, commands) {
      outcomes.clear();
      let current = state;
      const events: ChatEvent[] = [];
      commands.forEach((command, index) => {
        const decision = channelDecider.decide(current, command);
        outcomes.set(String(index), decision.ok ? { ok: true } : { ok: false, ...decision.refusal });
        if (!decision.ok) return;
        for (const event of decision.events) {
          current = channelDecider.evolve(current, event);
          events.push(event);
        }
      });
      return accept(...events);
    },
  };
}
