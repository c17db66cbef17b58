// Quests, the story and achievements over HTTP: the quest book on offer, a player's quest
// log (with what they may accept now), accepting, abandoning and claiming quests, opening a
// story chapter's encounter, and achievements with their Steam API names.
import { z } from 'zod';
import { chapterUnlocked, lockOf, type QuestResult, type QuestService } from '../../commands/quests/index.ts';
import { payQuestReward, type Wallets } from '../../commands/quests/rewards.ts';
import type { QuestRewardClaimed } from '../../commands/quests/events.ts';
import { PlayerId } from '../../commands/wallet/model.ts';
import { loadContent } from '../../events/content/registry.ts';
import { ChapterId, QuestBook, QuestId, QuestReward } from '../../events/content/quests.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { achievementsOf, AchievementsView, questLogOf, QuestLogView } from '../../projections/quests/index.ts';
import { readModelTable } from '../../projections/runner/tables.ts';
import { EncounterParty, encounterSetup, openEncounterRoom, type EncounterRooms } from '../story/encounters.ts';
import { defineRoute, HttpError } from './route.ts';

/** HTTP status per refusal: 404 for what does not exist, 409 for what the log's state refuses. */
const statusOf: Record<string, number> = { 'command/invalid': 400, 'quests/unknown_quest': 404, 'quests/unknown_chapter': 404 };

function answer<T>(result: QuestResult, then: (events: Extract<QuestResult, { ok: true }>) => T): T {
  if (!result.ok) throw new HttpError(statusOf[result.code] ?? 409, result.code, result.message);
  return then(result);
}

/** The codex entries a player has unlocked, from the codex read model (quest and chapter prerequisites). */
export function codexEntriesFrom(db: SqlQueryable, schema: string) {
  return async (playerId: string): Promise<string[]> =>
    (await db.query<{ entry_id: string }>(`SELECT entry_id FROM ${readModelTable(schema, 'codex', 'unlocks')} WHERE player_id = $1`, [playerId])).map((r) => r.entry_id);
}

const PlayerParams = z.object({ playerId: PlayerId });
const QuestParams = z.object({ playerId: PlayerId, questId: QuestId });
const Accepted = z.object({ questId: z.string(), key: z.string(), period: z.string().nullable(), expiresAt: z.string().nullable() });
const Claimed = z.object({ questId: z.string(), key: z.string(), rewards: QuestReward, balance: z.record(z.string(), z.int()) });
const Available = z.object({ available: z.array(z.object({ questId: z.string(), cadence: z.string(), title: z.string() })) });
const refusals = { 404: 'No such quest or chapter in the active content (quests/unknown_quest, quests/unknown_chapter)', 409: 'Refused by the quest log (quests/*: see docs/protocol.md)' };

export type QuestRouteServices = {
  quests: QuestService;
  wallets: Wallets;
  store: EventStore;
  db: SqlQueryable;
  schema: string;
  /** Where story encounter rooms are hosted; without it encounters are refused (503). */
  rooms?: EncounterRooms;
  codexEntries: (playerId: string) => Promise<readonly string[]>;
  now?: () => number;
};

export function questRoutes(services: QuestRouteServices) {
  const { quests, db, schema } = services;
  const now = services.now ?? Date.now;
  return [
    defineRoute({
      name: 'getQuestBook',
      method: 'GET',
      path: '/quests',
      summary: 'The quests, story chapters, titles and achievements (with Steam API names) of the active content',
      tags: ['quests'],
      access: 'public',
      response: QuestBook,
      handle: async () => loadContent().quests,
    }),
    defineRoute({
      name: 'getQuestLog',
      method: 'GET',
      path: '/players/:playerId/quests',
      summary: "A player's quest log (progress per objective), chapters, titles, and the quests they may accept now",
      tags: ['quests'],
      access: 'player',
      params: PlayerParams,
      response: QuestLogView.extend(Available.shape),
      async handle({ params }) {
        const book = loadContent().quests;
        const [log, state, codex] = await Promise.all([questLogOf(db, schema, params.playerId, book), quests.log(params.playerId), services.codexEntries(params.playerId)]);
        const at = now();
        const taken = new Set(log.quests.filter((q) => q.status !== 'claimed' && (q.expiresAt === null || Date.parse(q.expiresAt) > at)).map((q) => q.questId));
        const available = book.quests.filter((q) => !taken.has(q.id) && !(q.cadence === 'story' || q.cadence === 'event' ? state.claimed.has(q.id) : false) && lockOf(book, state, q, at, codex) === null);
        return { ...log, available: available.map((q) => ({ questId: q.id, cadence: q.cadence, title: q.title })) };
      },
    }),
    defineRoute({
      name: 'acceptQuest',
      method: 'POST',
      path: '/players/:playerId/quests/:questId/accept',
      summary: 'Takes a quest into the log (for today or this week, for daily and weekly quests)',
      tags: ['quests'],
      access: 'player',
      params: QuestParams,
      response: Accepted,
      refusals,
      handle: async ({ params }) => answer(await quests.request({ type: 'AcceptQuest', ...params }), ({ events }) => {
        const data = events[0]!.data as { questId: string; key: string; period: string | null; expiresAt: string | null };
        return { questId: data.questId, key: data.key, period: data.period, expiresAt: data.expiresAt };
      }),
    }),
    defineRoute({
      name: 'abandonQuest',
      method: 'POST',
      path: '/players/:playerId/quests/:questId/abandon',
      summary: 'Drops a quest from the log (never a story quest); it may be taken again',
      tags: ['quests'],
      access: 'player',
      params: QuestParams,
      response: z.object({ questId: z.string(), key: z.string() }),
      refusals,
      handle: async ({ params }) => answer(await quests.request({ type: 'AbandonQuest', ...params }), ({ events }) => {
        const data = events[0]!.data as { questId: string; key: string };
        return { questId: data.questId, key: data.key };
      }),
    }),
    defineRoute({
      name: 'claimQuestReward',
      method: 'POST',
      path: '/players/:playerId/quests/:questId/claim',
      summary: "Claims a finished quest's reward: currencies into the wallet, codex entries and titles",
      tags: ['quests'],
      access: 'player',
      params: QuestParams,
      response: Claimed,
      refusals,
      async handle({ params }) {
        const result = await quests.request({ type: 'ClaimQuestReward', ...params });
        const claim = answer(result, ({ events }) => events[0]! as RecordedEvent & QuestRewardClaimed);
        // Paid now for the player's sake; the quest_rewards reactor pays the same claim with the same keys, so once.
        const paid = await payQuestReward(services.wallets, claim);
        const balance = Object.assign({}, ...paid.map((r) => (r.ok ? r.balance : {}))) as Record<string, number>;
        return { questId: claim.data.questId, key: claim.data.key, rewards: claim.data.rewards, balance };
      },
    }),
    defineRoute({
      name: 'openStoryEncounter',
      method: 'POST',
      path: '/players/:playerId/story/:chapterId/encounter',
      summary: "Opens a reached chapter's encounter: a ritual or raid room with the content's fixed seed, joined by room id",
      tags: ['quests'],
      access: 'player',
      params: z.object({ playerId: PlayerId, chapterId: ChapterId }),
      body: EncounterParty,
      response: z.object({ kind: z.enum(['ritual', 'raid']), roomId: z.string(), streamId: z.string(), seed: z.string(), attempt: z.int(), players: z.array(z.string()) }),
      refusals: { ...refusals, 422: 'The party does not fit the encounter (quests/invalid_party)', 503: 'This process hosts no rooms (quests/rooms_unavailable)' },
      async handle({ params, body }) {
        if (!services.rooms) throw new HttpError(503, 'quests/rooms_unavailable', 'story encounters are opened on game servers');
        const book = loadContent().quests;
        const chapter = book.chapters.find((c) => c.id === params.chapterId);
        const players = [params.playerId, ...body.party.filter((p) => p !== params.playerId)];
        if (chapter?.encounter && chapterUnlocked(book, await quests.log(params.playerId), chapter.id, await services.codexEntries(params.playerId))) {
          const setup = encounterSetup(chapter.encounter, players, body.oracles);
          if (!setup.ok) throw new HttpError(422, 'quests/invalid_party', setup.message);
        }
        const result = await quests.request({ type: 'OpenEncounter', playerId: params.playerId, chapterId: params.chapterId, party: body.party });
        const opened = answer(result, ({ events }) => events[0]!.data as { roomId: string; roomStreamId: string; attempt: number; players: string[]; encounter: NonNullable<typeof chapter>['encounter'] & object });
        const setup = encounterSetup(opened.encounter, opened.players, body.oracles);
        if (!setup.ok) throw new HttpError(422, 'quests/invalid_party', setup.message);
        await openEncounterRoom(services.store, services.rooms, opened, setup.value);
        return { kind: opened.encounter.kind, roomId: opened.roomId, streamId: opened.roomStreamId, seed: opened.encounter.seed, attempt: opened.attempt, players: opened.players };
      },
    }),
    defineRoute({
      name: 'getAchievements',
      method: 'GET',
      path: '/players/:playerId/achievements',
      summary: "Every achievement with its Steam API name, and whether (and when) the player earned it",
      tags: ['quests'],
      access: 'public',
      params: PlayerParams,
      response: AchievementsView,
      handle: ({ params }) => achievementsOf(db, schema, params.playerId),
    }),
  ];
}
