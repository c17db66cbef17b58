// Live operations on a game server: its routes, the sign-in gate for outdated clients and
// the flags rooms are created with, from one LiveOps (liveOps.ts).
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { GameServerOptions } from '../server.ts';
import { gateSignIn } from './client.ts';
import type { LiveOps } from './liveOps.ts';
import { liveOpsRoutes } from './routes.ts';

export { startLiveOps, type LiveOps } from './liveOps.ts';
export { startRolloutGuard, type RolloutGuard } from './rolloutGuard.ts';

export function liveOpsGameOptions(liveOps: LiveOps, read: { db: SqlQueryable; schema: string }): Required<Pick<GameServerOptions, 'wrapRoutes' | 'flags'>> & { routes: ReturnType<typeof liveOpsRoutes> } {
  return { routes: liveOpsRoutes(liveOps, read), wrapRoutes: gateSignIn(liveOps.registry), flags: liveOps.rooms };
}
