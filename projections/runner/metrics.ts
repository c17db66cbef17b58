// The runner's Prometheus series, labelled by processor name. Lag in events is read at
// scrape time (from the runner's status), so an idle processor reports its lag (0) too.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProcessorStatus } from './runner.ts';

export type RunnerMetrics = ReturnType<typeof createRunnerMetrics>;

export function createRunnerMetrics(registry: Registry, status: () => Promise<ProcessorStatus[]>) {
  const labelNames = ['name'] as const;
  return {
    position: new Gauge({ name: 'pantheon_projection_position', help: 'Last global position applied, per processor', labelNames, registers: [registry] }),
    lagEvents: new Gauge({
      name: 'pantheon_projection_lag_events',
      help: 'Events recorded but not yet applied, per processor',
      labelNames,
      registers: [registry],
      async collect() {
        for (const processor of await status()) this.set({ name: processor.name }, processor.lagEvents);
      },
    }),
    lag: new Histogram({
      name: 'pantheon_projection_lag_seconds',
      help: 'Time from an event being recorded to its batch being applied',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    events: new Counter({ name: 'pantheon_projection_events_total', help: 'Events consumed, per processor', labelNames, registers: [registry] }),
    failures: new Counter({ name: 'pantheon_projection_failures_total', help: 'Processors stopped by a failing handler', labelNames, registers: [registry] }),
  };
}
