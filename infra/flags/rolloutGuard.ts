// The health guard of staged rollouts, in every game server: every interval it reads what
// this process's metrics counted since the last look (commands its rooms refused, room
// errors, failed appends: infra/metrics.ts) and asks each running rollout to check itself
// (commands/flags/rules.ts CheckRollout): roll back with the reason if the guard breaks,
// else take the next step when it is due. Several servers may check at once: each step and
// each rollback is decided against the log, so it is recorded once; any unhealthy server
// stops a rollout.
import type { Logger } from 'pino';
import type { HealthReading } from '../../commands/flags/model.ts';
import type { HealthTotals } from '../metrics.ts';
import type { LiveOps } from './liveOps.ts';

export type RolloutGuard = {
  /** One look, now: what the scheduler runs every interval (tests call it directly). */
  check(): Promise<void>;
  stop(): void;
};

export type RolloutGuardOptions = {
  liveOps: Pick<LiveOps, 'registry' | 'service'>;
  /** Totals since start (Metrics.health). */
  health: () => HealthTotals;
  intervalMs: number;
  now?: () => number;
  logger?: Logger;
};

function since(now: HealthTotals, before: HealthTotals): HealthReading {
  const delta = (key: keyof HealthTotals) => Math.max(0, now[key] - before[key]);
  return { commands: delta('commands'), refused: delta('refused'), roomErrors: delta('roomErrors'), appends: delta('appends'), appendFailures: delta('appendFailures') };
}

export function startRolloutGuard(options: RolloutGuardOptions): RolloutGuard {
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'rollout-guard' });
  let last = options.health();
  let checking: Promise<void> | undefined;

  const checkOnce = async () => {
    const totals = options.health();
    const reading = since(totals, last);
    last = totals;
    const running = Object.values(options.liveOps.registry.state.rollouts).filter((rollout) => rollout.status === 'running');
    for (const rollout of running) {
      const changed = await options.liveOps.service.checkRollout(rollout.rolloutId, now(), reading);
      for (const event of changed.events) {
        if (event.type === 'RolloutRolledBack') log?.warn({ rollout: rollout.rolloutId, flag: rollout.key, reading, reason: (event.data as { reason: string }).reason }, 'rollout rolled back');
        else log?.info({ rollout: rollout.rolloutId, flag: rollout.key, type: event.type }, 'rollout advanced');
      }
    }
  };
  const check = () => {
    checking ??= checkOnce().finally(() => {
      checking = undefined;
    });
    return checking;
  };
  const timer = setInterval(() => {
    check().catch((error: unknown) => log?.warn({ err: error }, 'rollout check failed; trying again at the next interval'));
  }, options.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
