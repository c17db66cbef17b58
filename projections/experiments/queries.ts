// What the API asks of the experiments read model: exposures and battle outcomes per variant.
import type { SqlQueryable } from '../../events/sql/executor.ts';
import { readModelTable } from '../runner/tables.ts';
import { EXPERIMENTS } from './projection.ts';

export type VariantCounts = { experiment: string; variant: string; exposures: number; battles: number; wins: number };

export async function experimentCounts(db: SqlQueryable, schema: string): Promise<VariantCounts[]> {
  return db.query<VariantCounts>(
    `SELECT experiment, variant, exposures, battles, wins FROM ${readModelTable(schema, EXPERIMENTS, 'variants')} ORDER BY experiment, variant`,
  );
}
