// A battle bot: a real @colyseus/sdk client that plays like a plausible human, casting a
// ready ability of one of its standing oracles every `everyMs`. Used by the end-to-end
// tests, `npm run demo` and the room benchmark.
import type { Room } from '@colyseus/sdk';
import { abilityById, loadContent } from '../../events/content/index.ts';
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

export type Cast = { oracleId: string; abilityId: string; targetId: string };

/**
 * The cast a bot makes on its `turn`-th action: its standing oracles take turns, each
 * cycling through the abilities ready at the synced tick; undefined while it cannot act.
 */
export function nextCast(state: BattleView | undefined, playerId: string, turn: number): Cast | undefined {
  if (!state?.oracles || state.status !== 'active' || state.roomStatus !== 'running' || state.tick < state.startTick) return undefined;
  const mine = [...state.oracles.values()].filter((o) => o.playerId === playerId && !o.fallen);
  const caster = mine[turn % Math.max(1, mine.length)];
  if (!caster) return undefined;
  const ready = caster.abilities.filter((id) => (caster.cooldowns?.find((c) => c.abilityId === id)?.readyAtTick ?? 0) <= state.tick);
  const abilityId = ready[turn % Math.max(1, ready.length)] ?? caster.abilities[0];
  if (!abilityId) return undefined;
  const target = targetFor(state, caster, abilityId);
  return target && { oracleId: caster.oracleId, abilityId, targetId: target.oracleId };
}

/** Starts playing; returns a function that stops. */
export function playBattle(room: Room<BattleView>, options: BotOptions): () => void {
  let turn = 0;
  const timer = setInterval(() => {
    const cast = nextCast(room.state, options.playerId, turn);
    if (!cast) return;
    const ref = `${options.playerId}:${++turn}`;
    options.onSend?.(ref);
    room.send('CastAbility', { ...cast, ref });
  }, options.everyMs);
  return () => clearInterval(timer);
}
