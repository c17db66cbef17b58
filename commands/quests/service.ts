// The quest log service: runs quest-log commands through handleCommand (load, decide,
// append with the expected version, retry on conflicts) with the quest-log Decider. The
// player's commands get the time, the log's head and the content version from here (the
// clock and registry are passed in); progress comes from the reactor (progress.ts) with
// event ids derived from the source event, so a redelivered source appends nothing new.
import { handleCommand, load, stateCache, type StateCache } from '../../events/commandHandler.ts';
import { activeContentVersion } from '../../events/content/registry.ts';
import type { Decider } from '../../events/decider.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import { QuestCommand, type RecordProgress } from './commands.ts';
import type { QuestEvent } from './events.ts';
import { PlayerId, questLogStreamId, type QuestLogState } from './model.ts';
import { COMMAND_INVALID } from './refusals.ts';
import { questLogDecider } from './rules.ts';

export type QuestResult =
  | { readonly ok: true; readonly events: readonly (RecordedEvent & QuestEvent)[]; readonly state: QuestLogState }
  | { readonly ok: false; readonly code: string; readonly message: string };

export type QuestServiceOptions = {
  readonly store: EventStore;
  /** Milliseconds since the epoch; default Date.now. */
  readonly now?: () => number;
  /** The content version whose quests are offered; default the registry's active one. */
  readonly contentVersion?: () => string;
  /** The codex entries a player has unlocked (the codex read model); default none. */
  readonly codexEntries?: (playerId: string) => Promise<readonly string[]>;
  readonly decider?: Decider<QuestLogState, QuestCommand, QuestEvent>;
};

/** What a player asks; the service adds time, head position, content version and codex entries. */
export type PlayerRequest =
  | { type: 'AcceptQuest'; playerId: string; questId: string }
  | { type: 'AbandonQuest'; playerId: string; questId: string }
  | { type: 'ClaimQuestReward'; playerId: string; questId: string }
  | { type: 'OpenEncounter'; playerId: string; chapterId: string; party: string[] };

export class QuestService {
  readonly #store: EventStore;
  readonly #now: () => number;
  readonly #contentVersion: () => string;
  readonly #codex: (playerId: string) => Promise<readonly string[]>;
  readonly #decider: Decider<QuestLogState, QuestCommand, QuestEvent>;
  readonly #states: StateCache<QuestLogState> = stateCache(10_000);

  constructor(options: QuestServiceOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#contentVersion = options.contentVersion ?? activeContentVersion;
    this.#codex = options.codexEntries ?? (async () => []);
    this.#decider = options.decider ?? questLogDecider;
  }

  /** A player's request, validated with its command's zod schema. */
  async request(request: PlayerRequest): Promise<QuestResult> {
    const contentVersion = this.#contentVersion();
    switch (request.type) {
      case 'AcceptQuest':
        return this.execute({ ...request, now: this.#now(), contentVersion, headPosition: await this.#store.headPosition(), codexEntries: [...await this.#codex(request.playerId)] });
      case 'ClaimQuestReward':
        return this.execute({ ...request, now: this.#now() });
      case 'OpenEncounter':
        return this.execute({ ...request, contentVersion, codexEntries: [...await this.#codex(request.playerId)] });
      default:
        return this.execute(request);
    }
  }

  /** Progress read from a source event (the reactor's); its events' ids derive from the source. */
  recordProgress(command: RecordProgress): Promise<QuestResult> {
    return this.execute(command, (index) => nameBasedUuid('pantheon.quests', questLogStreamId(command.playerId), command.source.eventId, String(index)));
  }

  async execute(input: unknown, eventId?: (index: number) => string): Promise<QuestResult> {
    const parsed = QuestCommand.safeParse(input);
    if (!parsed.success) return { ok: false, code: COMMAND_INVALID, message: parsed.error.issues.map((i) => `${i.path.join('.') || 'command'}: ${i.message}`).join('; ') };
    const command = parsed.data;
    const handled = await handleCommand(this.#store, questLogStreamId(command.playerId), this.#decider, command, {
      cache: this.#states,
      ...(eventId ? { eventId: (_event: QuestEvent, index: number) => eventId(index) } : {}),
      metadata: { actor: command.type === 'RecordProgress' ? 'quest_progress' : `player:${command.playerId}`, ...(command.type === 'RecordProgress' ? { causationId: command.source.eventId } : {}) },
    });
    if (!handled.ok) return { ok: false, code: handled.refusal.code, message: handled.refusal.message };
    return { ok: true, events: handled.events, state: handled.state };
  }

  /** The player's quest log as the stream folds it now. */
  async log(playerId: string): Promise<QuestLogState> {
    const id = PlayerId.parse(playerId);
    return (await load(this.#store, questLogStreamId(id), this.#decider, undefined, this.#states)).state;
  }
}
