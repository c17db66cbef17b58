// Every read model, for the runner, the CLI and the API. Each folder holds one model:
// its projection (tables and apply) and the queries readers use.
import type { Projection } from './runner/projection.ts';
import { walletsProjection } from './wallets/index.ts';

export function readModels(): Projection[] {
  return [walletsProjection];
}

export { readModelTable } from './runner/tables.ts';
export { defineProjection, defineReactor } from './runner/projection.ts';
export type { Processor, Projection, Reactor } from './runner/projection.ts';
export { openProjectionRunner, ProjectionError, ProjectionRunner } from './runner/runner.ts';
export type { BatchReport, ProcessorStatus, RebuildReport } from './runner/runner.ts';
