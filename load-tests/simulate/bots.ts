// Bots that play from the rules' own state (no client view): each player acts every few
// ticks with a ready ability of a standing oracle, aimed the way a plausible human aims;
// ritual performers channel the right rite near the centre of its window, with the odd
// slip. All choices are deterministic functions of the state and the tick.
import { abilityById, loadContent } from '../../rooms/content/index.ts';
import type { BattleCommand } from '../../rooms/battle/commands.ts';
import type { BattleState, OracleState } from '../../rooms/battle/model.ts';
import type { RaidCommand } from '../../rooms/raid/commands.ts';
import type { RaidState } from '../../rooms/raid/model.ts';
import type { RitualCommand } from '../../rooms/ritual/commands.ts';
import type { RitualState } from '../../rooms/ritual/events.ts';
import type { Bot } from './room.ts';

const content = loadContent();

type Fight = { oracles: readonly OracleState[]; participants: readonly { playerId: string; forfeited: boolean }[]; startTick: number };

function castFor(state: Fight, foes: readonly OracleState[], playerId: string, tick: number): BattleCommand | undefined {
  const mine = state.oracles.filter((o) => o.playerId === playerId && !o.fallen);
  const caster = mine[tick % Math.max(1, mine.length)];
  if (!caster) return undefined;
  const ready = caster.cooldowns.filter((c) => c.readyAtTick <= tick).map((c) => c.abilityId);
  const abilityId = ready[tick % Math.max(1, ready.length)];
  if (!abilityId) return undefined;
  const aim = abilityById(content, abilityId)?.target ?? 'enemy';
  const standingFoes = foes.filter((o) => !o.fallen).sort((a, b) => a.hp - b.hp || a.oracleId.localeCompare(b.oracleId));
  const target =
    aim === 'self' ? caster
    : aim === 'ally' ? (state.oracles.find((o) => o.side === caster.side && !o.fallen && o.hp < o.stats.hp) ?? caster)
    : standingFoes[0];
  return target && { type: 'CastAbility', playerId, oracleId: caster.oracleId, abilityId, targetId: target.oracleId };
}

/** Each player acts every `everyTicks` (staggered by seat), like a human clicking a couple of times a second. */
export function battleBot(everyTicks = 10): Bot<BattleState, BattleCommand> {
  return (state, tick) => {
    if (state.status !== 'active' || tick < state.startTick) return [];
    return state.participants.flatMap((p, seat) => {
      if (p.forfeited || (tick + seat * 3) % everyTicks !== 0) return [];
      const cast = castFor(state, state.oracles.filter((o) => o.side !== p.side), p.playerId, tick);
      return cast ? [cast] : [];
    });
  };
}

export function raidBot(everyTicks = 8): Bot<RaidState, RaidCommand> {
  return (state, tick) => {
    if (state.status !== 'active' || tick < state.startTick) return [];
    return state.participants.flatMap((p, seat) => {
      if (p.forfeited || (tick + seat * 3) % everyTicks !== 0) return [];
      const cast = castFor(state, [state.boss], p.playerId, tick);
      return cast ? [cast] : [];
    });
  };
}

/** `slipEvery`: every n-th step is channelled with the wrong rite first (0 = flawless). */
export function ritualBot(slipEvery = 0): Bot<RitualState, RitualCommand> {
  return (state, tick) => {
    if (state.status !== 'in_progress') return [];
    const step = state.definition.steps[state.step];
    if (!step) return [];
    const centre = state.anchorTick + Math.floor((step.window.earliest + step.window.latest) / 2);
    const seat = step.seat === 'any' ? 0 : step.seat;
    const playerId = state.participants[seat]!;
    const slip = slipEvery > 0 && state.step % slipEvery === slipEvery - 1 && state.mistakes < state.definition.allowedMistakes;
    if (slip && tick === centre - 1) return [{ type: 'ChannelRite', playerId, rite: step.rite === 'seal' ? 'invoke' : 'seal' }];
    return tick === centre ? [{ type: 'ChannelRite', playerId, rite: step.rite }] : [];
  };
}
