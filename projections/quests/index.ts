// Public boundary of the quests read model: the projection and the queries the API and Discord call.
export { QUESTS, QUESTS_PROJECTION_VERSION, questsProjection } from './projection.ts';
export { achievementsOf, AchievementsView, questLogOf, QuestLogView, QuestView } from './queries.ts';
