// Every read model, for the runner, the CLI and the API. Each folder holds one model:
// its projection (tables and apply) and the queries readers use.
import { anticheatReadModel } from './anticheat/index.ts';
import { codexProjection } from './codex/index.ts';
import { friendsProjection } from './friends/index.ts';
import { legionsProjection } from './legions/index.ts';
import { experimentsProjection } from './experiments/projection.ts';
import { openRoomsProjection } from './openRooms/projection.ts';
import { leaderboardsProjection } from './leaderboards/index.ts';
import { progressionProjection } from './progression/index.ts';
import { questsProjection } from './quests/index.ts';
import type { Projection } from '../events/processor.ts';
import type { RulesRegistry } from '../events/tick/rulesVersions.ts';
import { spectatorProjection } from './spectator/index.ts';
import { walletsProjection } from './wallets/index.ts';

/** The read models; the anti-cheat findings need the rules of the room kinds (their tick rates and ends). */
export function readModels(rules: RulesRegistry): Projection[] {
  return [walletsProjection, progressionProjection, codexProjection, leaderboardsProjection, anticheatReadModel(rules), spectatorProjection, friendsProjection, legionsProjection, experimentsProjection, questsProjection, openRoomsProjection(rules)];
}

export { readModelTable } from './runner/tables.ts';
export { defineProjection, defineReactor } from '../events/processor.ts';
export type { Processor, Projection, Reactor } from '../events/processor.ts';
export { openProjectionRunner, ProjectionError, ProjectionRunner } from './runner/runner.ts';
export type { BatchReport, ProcessorStatus, RebuildReport } from './runner/runner.ts';
