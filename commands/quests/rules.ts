// The quest log as a Decider: accept, abandon and claim (the player's), progress (the
// reactor's, from facts the log records) and opening a chapter's encounter. Pure: time, the
// log's head, the content version and the player's codex entries come in with the command;
// quest books come from the frozen content of the version a quest was accepted under.
import { contentByVersion } from '../../events/content/registry.ts';
import { chapterById, chapterOfQuest, questById, type QuestBook, type QuestDefinition, type QuestObjective } from '../../events/content/quests.ts';
import { accept, refusalsOf, type Decider, type Decision } from '../../events/decider.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import { inSeason, periodOf, questKeyOf } from './calendar.ts';
import type { AbandonQuest, AcceptQuest, ClaimQuestReward, OpenEncounter, QuestCommand, RecordProgress } from './commands.ts';
import type { QuestEvent } from './events.ts';
import { initialQuestLog, type Fact, type QuestEntry, type QuestLogState, type Source } from './model.ts';
import type { QuestRefusalCode } from './refusals.ts';

const refuse = refusalsOf<QuestRefusalCode>();
export type BookOf = (contentVersion: string) => QuestBook;
const publishedBook: BookOf = (version) => contentByVersion(version).quests;
const iso = (ms: number) => new Date(ms).toISOString();

export function createQuestLogDecider(bookOf: BookOf = publishedBook): Decider<QuestLogState, QuestCommand, QuestEvent> {
  return {
    initialState: initialQuestLog,
    evolve: evolveQuestLog,
    decide(state, command) {
      switch (command.type) {
        case 'AcceptQuest': return acceptQuest(state, command, bookOf);
        case 'AbandonQuest': return abandon(state, command);
        case 'ClaimQuestReward': return claim(state, command, bookOf);
        case 'RecordProgress': return progress(state, command, bookOf);
        case 'OpenEncounter': return openEncounter(state, command, bookOf);
        default: {
          const _exhaustive: never = command;
          throw new Error(`unknown quest command ${JSON.stringify(_exhaustive)}`);
        }
      }
    },
  };
}

export const questLogDecider = createQuestLogDecider();

/** Whether a chapter is open to the player: every chapter before it completed, its codex entries unlocked. */
export function chapterUnlocked(book: QuestBook, state: QuestLogState, chapterId: string, codexEntries: readonly string[]): boolean {
  const index = book.chapters.findIndex((c) => c.id === chapterId);
  if (index < 0) return false;
  return book.chapters.slice(0, index).every((c) => state.chapters.has(c.id)) && book.chapters[index]!.requires.codexEntries.every((e) => codexEntries.includes(e));
}

/** Whether the player may accept `quest` now, or why not. */
export function lockOf(book: QuestBook, state: QuestLogState, quest: QuestDefinition, now: number, codexEntries: readonly string[]): { code: QuestRefusalCode; message: string } | null {
  if (quest.window && !(Date.parse(quest.window.from) <= now && now < Date.parse(quest.window.until))) {
    return { code: 'quests/not_available', message: `${quest.id} runs from ${quest.window.from} until ${quest.window.until}` };
  }
  if (!inSeason(quest.cadence, book.calendar, now)) return { code: 'quests/not_available', message: `${quest.id} is offered during a season; none runs now` };
  const missingQuests = quest.requires.quests.filter((q) => !state.claimed.has(q));
  const missingCodex = quest.requires.codexEntries.filter((e) => !codexEntries.includes(e));
  if (missingQuests.length + missingCodex.length > 0) return { code: 'quests/locked', message: `${quest.id} needs ${[...missingQuests.map((q) => `quest ${q} claimed`), ...missingCodex].join(', ')}` };
  const chapter = chapterOfQuest(book, quest.id);
  if (chapter && !chapterUnlocked(book, state, chapter.id, codexEntries)) {
    return { code: 'quests/locked', message: `${quest.id} belongs to chapter ${chapter.id}, which needs the chapters before it completed${chapter.requires.codexEntries.length ? ` and ${chapter.requires.codexEntries.join(', ')}` : ''}` };
  }
  return null;
}

function acceptQuest(state: QuestLogState, command: AcceptQuest, bookOf: BookOf): Decision<QuestEvent> {
  const book = bookOf(command.contentVersion);
  const quest = questById(book, command.questId);
  if (!quest) return refuse('quests/unknown_quest', `content ${command.contentVersion} has no quest ${command.questId}`);
  const locked = lockOf(book, state, quest, command.now, command.codexEntries);
  if (locked) return refuse(locked.code, locked.message);
  const period = periodOf(quest.cadence, book.calendar, command.now);
  const key = questKeyOf(quest.id, period);
  const existing = state.entries.get(key);
  if (existing?.status === 'claimed' || (!period && state.claimed.has(quest.id))) return refuse('quests/already_claimed', `${quest.id} was already done${period ? ` in ${period.id}` : ''}`);
  if (existing) return refuse('quests/already_accepted', `${quest.id} is already in the quest log${period ? ` for ${period.id}` : ''}`);
  const expiresAt = period?.endsAt ?? (quest.window ? Date.parse(quest.window.until) : null);
  return accept({
    type: 'QuestAccepted',
    data: {
      playerId: command.playerId, key, questId: quest.id, cadence: quest.cadence, contentVersion: command.contentVersion,
      period: period?.id ?? null, expiresAt: expiresAt === null ? null : iso(expiresAt), acceptedAfter: command.headPosition, objectives: quest.objectives.length,
    },
  });
}

const entriesOf = (state: QuestLogState, questId: string) => [...state.entries.values()].filter((e) => e.questId === questId);
const expired = (entry: QuestEntry, now: number) => entry.expiresAt !== null && now >= entry.expiresAt;

function abandon(state: QuestLogState, command: AbandonQuest): Decision<QuestEvent> {
  const entry = entriesOf(state, command.questId).filter((e) => e.status !== 'claimed').at(-1);
  if (!entry) return refuse('quests/not_accepted', `${command.questId} is not in the quest log`);
  if (entry.cadence === 'story') return refuse('quests/story_quest', `${command.questId} is a story quest: it stays in the log until done`);
  return accept({ type: 'QuestAbandoned', data: { playerId: command.playerId, key: entry.key, questId: entry.questId } });
}

function claim(state: QuestLogState, command: ClaimQuestReward, bookOf: BookOf): Decision<QuestEvent> {
  const entries = entriesOf(state, command.questId);
  const done = entries.find((e) => e.status === 'completed');
  if (!done) {
    const open = entries.filter((e) => e.status === 'active');
    if (open.some((e) => !expired(e, command.now))) return refuse('quests/not_finished', `${command.questId} has objectives left`);
    if (open.length > 0) return refuse('quests/expired', `${command.questId} reset before it was finished; accept it again`);
    if (entries.length > 0 || state.claimed.has(command.questId)) return refuse('quests/already_claimed', `${command.questId}'s reward was already claimed`);
    return refuse('quests/not_accepted', `${command.questId} is not in the quest log`);
  }
  const quest = questById(bookOf(done.contentVersion), done.questId)!;
  return accept({
    type: 'QuestRewardClaimed',
    data: { playerId: command.playerId, key: done.key, questId: done.questId, cadence: done.cadence, contentVersion: done.contentVersion, rewards: quest.rewards },
  });
}

/** How many of `facts` an objective counts (a story encounter is known by the room stream it was played in). */
function matches(objective: QuestObjective, facts: readonly Fact[], encounterId: string | undefined): number {
  let n = 0;
  for (const fact of facts) {
    switch (objective.kind) {
      case 'battles_won':
        if (fact.kind === 'battle_won' && (!objective.element || fact.elements.includes(objective.element))) n++;
        break;
      case 'battles_played':
        if (fact.kind === 'battle_played') n++;
        break;
      case 'rituals_completed':
        if (fact.kind === 'ritual_completed' && (!objective.ritualId || fact.ritualId === objective.ritualId) && (!objective.perfect || fact.perfect)) n++;
        break;
      case 'raid_boss_defeated':
        if (fact.kind === 'raid_won' && (!objective.bossId || fact.bossId === objective.bossId) && (!objective.phaseId || fact.phaseId === objective.phaseId)) n++;
        break;
      case 'codex_entry':
        if (fact.kind === 'codex_entry' && fact.entryId === objective.entryId) n++;
        break;
      case 'encounter_won':
        if (encounterId === objective.encounterId && (fact.kind === 'ritual_completed' || fact.kind === 'raid_won')) n++;
        break;
      default: {
        const _exhaustive: never = objective;
        throw new Error(`unknown objective ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return n;
}

function progress(state: QuestLogState, command: RecordProgress, bookOf: BookOf): Decision<QuestEvent> {
  const { source, facts, playerId } = command;
  // Applied in global order, so anything at or before `through` was applied already: exactly once.
  if (source.position <= state.through) return accept();
  const events: QuestEvent[] = [];
  const completedNow = new Set<string>();
  const encounterId = state.encounters.get(source.streamId);
  for (const entry of state.entries.values()) {
    if (entry.status !== 'active' || source.position <= entry.acceptedAfter || expired(entry, source.recordedAt)) continue;
    const quest = questById(bookOf(entry.contentVersion), entry.questId);
    if (!quest) continue;
    const after = quest.objectives.map((objective, i) => {
      const had = entry.progress[i] ?? 0;
      const now = Math.min(objective.count, had + matches(objective, facts, encounterId));
      if (now > had) events.push({ type: 'QuestProgressed', data: { playerId, key: entry.key, questId: entry.questId, objective: i, progress: now, target: objective.count, source } });
      return now;
    });
    if (after.every((n, i) => n >= quest.objectives[i]!.count)) {
      events.push({ type: 'QuestCompleted', data: { playerId, key: entry.key, questId: entry.questId, source } });
      completedNow.add(entry.questId);
    }
  }
  for (const questId of completedNow) events.push(...chapterCompletion(state, questId, completedNow, source, playerId, bookOf));
  return accept(...events);
}

function chapterCompletion(state: QuestLogState, questId: string, completedNow: ReadonlySet<string>, source: Source, playerId: string, bookOf: BookOf): QuestEvent[] {
  const entry = state.entries.get(questId);
  if (entry?.cadence !== 'story') return [];
  const book = bookOf(entry.contentVersion);
  const chapter = chapterOfQuest(book, questId);
  if (!chapter || state.chapters.has(chapter.id)) return [];
  const done = (id: string) => completedNow.has(id) || (state.entries.get(id)?.status ?? 'active') !== 'active';
  // Named once, by the chapter's last quest in its own order.
  if (!chapter.quests.every(done) || chapter.quests.filter((id) => completedNow.has(id)).at(-1) !== questId) return [];
  return [{ type: 'StoryChapterCompleted', data: { playerId, chapterId: chapter.id, title: chapter.title, contentVersion: entry.contentVersion, source } }];
}

function openEncounter(state: QuestLogState, command: OpenEncounter, bookOf: BookOf): Decision<QuestEvent> {
  const book = bookOf(command.contentVersion);
  const chapter = chapterById(book, command.chapterId);
  if (!chapter) return refuse('quests/unknown_chapter', `content ${command.contentVersion} has no chapter ${command.chapterId}`);
  if (!chapter.encounter) return refuse('quests/no_encounter', `chapter ${chapter.id} has no encounter`);
  if (!chapterUnlocked(book, state, chapter.id, command.codexEntries)) return refuse('quests/locked', `chapter ${chapter.id} needs the chapters before it completed${chapter.requires.codexEntries.length ? ` and ${chapter.requires.codexEntries.join(', ')}` : ''}`);
  const { encounter } = chapter;
  const attempt = (state.attempts.get(encounter.id) ?? 0) + 1;
  const roomId = `story-${nameBasedUuid('pantheon.story', command.playerId, encounter.id, String(attempt))}`;
  return accept({
    type: 'StoryEncounterOpened',
    data: {
      playerId: command.playerId, chapterId: chapter.id, encounter, contentVersion: command.contentVersion, attempt, roomId,
      roomStreamId: `${encounter.kind}-${roomId}`, players: [command.playerId, ...command.party.filter((p) => p !== command.playerId)],
    },
  });
}

/** Folds one event into a new state (the input is left as it was). */
export function evolveQuestLog(state: QuestLogState, event: QuestEvent): QuestLogState {
  switch (event.type) {
    case 'QuestAccepted': {
      const { data } = event;
      const entries = new Map(state.entries);
      entries.set(data.key, {
        key: data.key, questId: data.questId, cadence: data.cadence, contentVersion: data.contentVersion, period: data.period,
        expiresAt: data.expiresAt === null ? null : Date.parse(data.expiresAt), acceptedAfter: data.acceptedAfter,
        progress: Array.from({ length: data.objectives }, () => 0), status: 'active',
      });
      return { ...state, entries };
    }
    case 'QuestAbandoned': {
      const entries = new Map(state.entries);
      entries.delete(event.data.key);
      return { ...state, entries };
    }
    case 'QuestProgressed': {
      const { data } = event;
      return { ...updated(state, data.key, (e) => ({ ...e, progress: e.progress.map((p, i) => (i === data.objective ? data.progress : p)) })), through: Math.max(state.through, data.source.position) };
    }
    case 'QuestCompleted':
      return { ...updated(state, event.data.key, (e) => ({ ...e, status: 'completed' })), through: Math.max(state.through, event.data.source.position) };
    case 'QuestRewardClaimed': {
      const next = updated(state, event.data.key, (e) => ({ ...e, status: 'claimed' }));
      return { ...next, claimed: new Set([...state.claimed, event.data.questId]), titles: new Set([...state.titles, ...event.data.rewards.titles]) };
    }
    case 'StoryChapterCompleted':
      return { ...state, chapters: new Set([...state.chapters, event.data.chapterId]), through: Math.max(state.through, event.data.source.position) };
    case 'StoryEncounterOpened': {
      const { data } = event;
      return { ...state, encounters: new Map([...state.encounters, [data.roomStreamId, data.encounter.id]]), attempts: new Map([...state.attempts, [data.encounter.id, data.attempt]]) };
    }
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown quest event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function updated(state: QuestLogState, key: string, change: (entry: QuestEntry) => QuestEntry): QuestLogState {
  const entry = state.entries.get(key);
  if (!entry) return state;
  const entries = new Map(state.entries);
  entries.set(key, change(entry));
  return { ...state, entries };
}
