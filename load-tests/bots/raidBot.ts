// A raid bot: a real @colyseus/sdk client that plays like a plausible raider, casting a
// ready ability of one of its standing oracles every `everyMs`: harm at the boss, help at
// the most wounded party oracle, self-casts on the caster. Used by the end-to-end tests
// and load scenarios.
import type { Room } from '@colyseus/sdk';
import { abilityById, loadContent } from '../../events/content/index.ts';
import type { RaidOracleView, RaidView } from '../../rooms/raid/state.ts';

const content = loadContent();

export type RaidBotOptions = {
  playerId: string;
  everyMs: number;
  /**
   * An ability just cast is not cast again for this long, so the bot does not spam casts
   * the room will refuse as on cooldown before the cast's cooldown reaches it (default 300 ms).
   */
  recastAfterMs?: number;
  /** Called with the ref of each command sent, for latency measurement. */
  onSend?: (ref: string) => void;
};

/** Who an ability of `caster` should go to, or undefined when no target stands. */
export function raidTargetFor(state: RaidView, caster: RaidOracleView, abilityId: string): string | undefined {
  const aim = abilityById(content, abilityId)?.target ?? 'enemy';
  if (aim === 'self') return caster.oracleId;
  if (aim === 'ally') {
    const standing = [...state.oracles.values()].filter((o) => !o.fallen);
    return standing.sort((a, b) => a.hp * b.maxHp - b.hp * a.maxHp)[0]?.oracleId;
  }
  return state.boss.fallen ? undefined : state.boss.bossId;
}

/** Starts playing; returns a function that stops. */
export function playRaid(room: Room<RaidView>, options: RaidBotOptions): () => void {
  let seq = 0;
  let turn = 0;
  const recastAfterMs = options.recastAfterMs ?? 300;
  const castAt = new Map<string, number>();
  const timer = setInterval(() => {
    const state = room.state;
    if (!state || state.status !== 'active' || state.roomStatus !== 'running' || state.tick + 1 < state.startTick) return;
    if (state.seats.get(options.playerId)?.forfeited) return;
    const mine = [...state.oracles.values()].filter((o) => o.playerId === options.playerId && !o.fallen);
    if (mine.length === 0) return;
    const caster = mine[turn++ % mine.length]!;
    if (caster.statuses.some((s) => s.kind === 'stun')) return;
    const now = performance.now();
    const ready = caster.abilities.filter((id) =>
      (caster.cooldowns?.find((c) => c.abilityId === id)?.readyAtTick ?? 0) <= state.tick + 1 &&
      now - (castAt.get(`${caster.oracleId}/${id}`) ?? -Infinity) >= recastAfterMs);
    const abilityId = ready[seq % Math.max(1, ready.length)];
    if (!abilityId) return;
    const targetId = raidTargetFor(state, caster, abilityId);
    if (!targetId) return;
    const ref = `${options.playerId}:${++seq}`;
    castAt.set(`${caster.oracleId}/${abilityId}`, now);
    options.onSend?.(ref);
    room.send('CastAbility', { oracleId: caster.oracleId, abilityId, targetId, ref });
  }, options.everyMs);
  return () => clearInterval(timer);
}
