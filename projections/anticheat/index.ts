// The anti-cheat side of the read path, for the runner: the audit worker (a reactor that
// audits every finished room) and the findings read model.
import type { Logger } from 'pino';
import type { EventCatalog } from '../../events/catalog.ts';
import type { EventStore } from '../../events/store.ts';
import type { RulesRegistry } from '../../events/tick/rulesVersions.ts';
import type { Processor, Projection } from '../../events/processor.ts';
import { auditWorker } from './auditWorker.ts';
import { anticheatProjection, type AnticheatLimits } from './projection.ts';

export { ANTICHEAT, anticheatProjection, defaultLimits, listAudits, listFindings } from './projection.ts';
export type { AnticheatLimits, AuditRow, Finding, FindingKind } from './projection.ts';
export { AUDIT_WORKER, auditEnded, auditWorker } from './auditWorker.ts';

/** Ticks per second of every room stream category, those recorded under another name (ghosts) included. */
export function tickRates(rules: RulesRegistry): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const kind of rules.kinds) {
    const current = kind.versions.find((v) => v.version === kind.current)!;
    rates[kind.name] = current.kind.tickHz;
  }
  for (const [alias, kind] of Object.entries(rules.aliases)) rates[alias] = rates[kind]!;
  return rates;
}

export type AnticheatDeps = {
  store: EventStore;
  rules: RulesRegistry;
  catalog: EventCatalog;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  limits?: Partial<AnticheatLimits>;
};

/** The findings read model over every kind this build knows: what readModels() lists. */
export function anticheatReadModel(rules: RulesRegistry, limits?: Partial<AnticheatLimits>): Projection {
  return anticheatProjection({ tickHz: tickRates(rules), endEventTypes: rules.endEventTypes, ...(limits ? { limits } : {}) }) as unknown as Projection;
}

/** The read model and the audit worker (a reactor: it needs the store to read and append). */
export function anticheatProcessors(deps: AnticheatDeps): Processor[] {
  return [anticheatReadModel(deps.rules, deps.limits), auditWorker(deps)];
}
