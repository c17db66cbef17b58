// A battle bot: a real @colyseus/sdk client that plays like a plausible human, casting a
// ready ability of one of its standing oracles every `everyMs`. Used by the end-to-end
// tests, `npm run demo` and the room benchmark.
import type { Room } from '@colyseus/sdk';
import { abilityById, loadContent } from '../../rooms/content/index.ts';
import type { BattleView, OracleView } from '../../rooms/battle/state.ts';

const content = loadContent();

export type BotOptions = {
  playerId: string;
  everyMs: number;
  /** Called with the ref of each command sent, for latency measurement. */
  onSend?: (ref: string) => void;
};

export function targetFor(state: BattleView, caster: OracleView, abilityId: string): OracleView | undefined {
  const aim = abilityById(content, abilityId)?.target ?? 'enemy';
  const standing = [...state.oracles.values()].filter((o) => !o.fallen);
  if (aim === 'self') return caster;
  if (aim === 'ally') return standing.find((o) => o.side === caster.side && o.hp < o.maxHp) ?? caster;
  return standing.filter((o) => o.side !== caster.side).sort((a, b) => a.hp - b.hp)[0];
}

/** Starts playing; returns a function that stops. */
export function playBattle(room: Room<BattleView>, options: BotOptions): () => void {
  let seq = 0;
  let turn = 0;
  const timer = setInterval(() => {
    const state = room.state;
    if (!state || state.status !== 'active' || state.roomStatus !== 'running' || state.tick < state.startTick) return;
    const mine = [...state.oracles.values()].filter((o) => o.playerId === options.playerId && !o.fallen);
    if (mine.length === 0) return;
    const caster = mine[turn++ % mine.length]!;
    const ready = caster.abilities.filter((id) => (caster.cooldowns?.find((c) => c.abilityId === id)?.readyAtTick ?? 0) <= state.tick);
    const abilityId = ready[seq % Math.max(1, ready.length)] ?? caster.abilities[0];
    if (!abilityId) return;
    const target = targetFor(state, caster, abilityId);
    if (!target) return;
    const ref = `${options.playerId}:${++seq}`;
    options.onSend?.(ref);
    room.send('CastAbility', { oracleId: caster.oracleId, abilityId, targetId: target.oracleId, ref });
  }, options.everyMs);
  return () => clearInterval(timer);
}
