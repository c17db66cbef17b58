// Every read model, for the runner, the CLI and the API. Each folder holds one model:
// its projection (tables and apply) and the queries readers use.
import { anticheatReadModel } from './anticheat/index.ts';
import { codexProjection } from './codex/index.ts';
import { leaderboardsProjection } from './leaderboards/index.ts';
import { progressionProjection } from './progression/index.ts';
import type { Projection } from '../events/processor.ts';
import { spectatorProjection } from './spectator/index.ts';
import { walletsProjection } from './wallets/index.ts';

export function readModels(): Projection[] {
  return [walletsProjection, progressionProjection, codexProjection, leaderboardsProjection, anticheatReadModel(), spectatorProjection];
}

export { readModelTable } from './runner/tables.ts';
export { defineProjection, defineReactor } from '../events/processor.ts';
export type { Processor, Projection, Reactor } from '../events/processor.ts';
export { openProjectionRunner, ProjectionError, ProjectionRunner } from './runner/runner.ts';
export type { BatchReport, ProcessorStatus, RebuildReport } from './runner/runner.ts';
