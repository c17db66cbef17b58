// The battle's command handling: one small pure function per command, applied one command
// at a time in the order the room received them (so speed can only matter through that
// order), plus the tick-driven rules from tick.ts. Content comes in through a resolver so
// a battle always plays by the content version it was created with.
import { abilityById, contentByVersion, type Ability, type AbilityTarget, type Content } from '../../events/content/index.ts';
import { accept, type Decision, type RuleContext, type TickDecider } from '../../events/decider.ts';
import type { BattleCommand, CastAbility, Forfeit } from './commands.ts';
import { emit, draftOf } from './draft.ts';
import { evolve, initialState, type BattleEvent, type OracleFell, type PlayerForfeited } from './events.ts';
import { findOracle, type BattleState, type OracleState } from './model.ts';
import { endIfDecided } from './outcome.ts';
import { refuseBattle } from './refusals.ts';
import { resolveCast } from './resolve.ts';
import { onTick } from './tick.ts';

export type ContentResolver = (contentVersion: string) => Content;

export function createBattleDecider(resolveContent: ContentResolver): TickDecider<BattleState, BattleCommand, BattleEvent> {
  return {
    initialState,
    evolve,
    onTick,
    decide: (state, command, ctx) => decide(state, command, ctx, resolveContent),
  };
}

/** The decider over the published content registry: what rooms and audits use. */
export const battleDecider = createBattleDecider(contentByVersion);

export function decide(
  state: BattleState,
  command: BattleCommand,
  ctx: RuleContext,
  resolveContent: ContentResolver,
): Decision<BattleEvent> {
  switch (command.type) {
    case 'CastAbility':
      return castAbility(state, command, ctx, resolveContent);
    case 'Forfeit':
      return forfeit(state, command);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function castAbility(
  state: BattleState,
  command: CastAbility,
  ctx: RuleContext,
  resolveContent: ContentResolver,
): Decision<BattleEvent> {
  const checked = checkCaster(state, command, ctx.tick, resolveContent, 'battle');
  if (!checked.ok) return refuseBattle(`battle/${checked.refusal}`, checked.message);
  const { caster, content } = checked;
  const ability = withFlags(checked.ability, state.flags);
  const target = findOracle(state, command.targetId);
  if (!target || !canTarget(caster, target, ability.target)) {
    return refuseBattle('battle/invalid_target', `${ability.name} cannot target ${command.targetId}`);
  }

  const draft = draftOf(state);
  resolveCast(draft, { casterId: caster.oracleId, targetId: target.oracleId, ability, tick: ctx.tick, content });
  return accept(...draft.events);
}

/** Allowed during the pre-start countdown too: leaving before the first blow is still a forfeit. */
export function forfeit(state: BattleState, command: Forfeit): Decision<BattleEvent> {
  if (state.status === 'pending') return refuseBattle('battle/not_started', 'the battle has not been created yet');
  if (state.status === 'ended') return refuseBattle('battle/ended', 'the battle is over');
  const participant = state.participants.find((p) => p.playerId === command.playerId);
  if (!participant) return refuseBattle('battle/not_participant', 'you are not in this battle');
  if (participant.forfeited) return refuseBattle('battle/already_forfeited', 'you have already forfeited');

  const draft = draftOf(state);
  for (const event of forfeitEvents(state.oracles, command.playerId)) emit(draft, event);
  endIfDecided(draft, 'forfeit');
  return accept(...draft.events);
}

/** Why a caster may not cast: each kind refuses with its own code for it, e.g. `battle/stunned`. */
export type CasterRefusal =
  | 'not_started' | 'ended' | 'not_participant' | 'not_your_oracle' | 'oracle_fallen' | 'stunned' | 'unknown_ability' | 'on_cooldown';

export type CasterCheck =
  | { ok: true; caster: OracleState; ability: Ability; content: Content }
  | { ok: false; refusal: CasterRefusal; message: string };

type CastingState = {
  status: 'pending' | 'active' | 'ended';
  startTick: number;
  contentVersion: string;
  participants: readonly { playerId: string }[];
  oracles: readonly OracleState[];
};

/**
 * What a cast must pass before its target is looked at, in this order, in every kind whose
 * players cast with battle's oracles: the room has started and not ended, the player is in
 * it and owns the oracle, which stands, is not stunned, knows the ability and has it off
 * cooldown. `room` names the kind in the messages ('battle', 'raid').
 */
export function checkCaster(state: CastingState, command: CastAbility, tick: number, resolveContent: ContentResolver, room: string): CasterCheck {
  const refused = (refusal: CasterRefusal, message: string): CasterCheck => ({ ok: false, refusal, message });
  if (state.status === 'pending' || tick < state.startTick) return refused('not_started', `the ${room} has not started yet`);
  if (state.status === 'ended') return refused('ended', `the ${room} is over`);
  if (!state.participants.some((p) => p.playerId === command.playerId)) return refused('not_participant', `you are not in this ${room}`);
  const caster = state.oracles.find((oracle) => oracle.oracleId === command.oracleId);
  if (!caster || caster.playerId !== command.playerId) return refused('not_your_oracle', `you have no oracle ${command.oracleId}`);
  if (caster.fallen) return refused('oracle_fallen', `${caster.name} has fallen`);
  if (caster.statuses.some((s) => s.kind === 'stun')) return refused('stunned', `${caster.name} is stunned`);
  // Resolved only now: before creation there is no content version to resolve.
  const content = resolveContent(state.contentVersion);
  const ability = caster.abilityIds.includes(command.abilityId) ? abilityById(content, command.abilityId) : undefined;
  if (!ability) return refused('unknown_ability', `${caster.name} does not know ${command.abilityId}`);
  const readyAt = caster.cooldowns.find((c) => c.abilityId === ability.id)?.readyAtTick ?? state.startTick;
  if (tick < readyAt) return refused('on_cooldown', `${ability.name} is ready at tick ${readyAt}`);
  return { ok: true, caster, ability, content };
}

/**
 * An ability as the battle's recorded flags tune it: `battle.damage_percent` scales the
 * power of its damage effects (integer percent, 100 = as the content says).
 */
export function withFlags(ability: Ability, flags: BattleState['flags']): Ability {
  const percent = flags?.['battle.damage_percent'];
  if (typeof percent !== 'number' || percent === 100) return ability;
  return { ...ability, effects: ability.effects.map((effect) => (effect.kind === 'damage' ? { ...effect, power: Math.max(0, Math.trunc((effect.power * percent) / 100)) } : effect)) };
}

/** What leaving records: the player's forfeit, then the fall of each of their oracles still standing, in order. */
export function forfeitEvents(oracles: readonly OracleState[], playerId: string): (PlayerForfeited | OracleFell)[] {
  const falls = oracles
    .filter((oracle) => oracle.playerId === playerId && !oracle.fallen)
    .map((oracle): OracleFell => ({ type: 'OracleFell', data: { oracleId: oracle.oracleId, cause: 'forfeit', byOracleId: null } }));
  return [{ type: 'PlayerForfeited', data: { playerId } }, ...falls];
}

function canTarget(caster: OracleState, target: OracleState, aim: AbilityTarget): boolean {
  if (target.fallen) return false;
  switch (aim) {
    case 'enemy':
      return target.side !== caster.side;
    case 'ally':
      return target.side === caster.side;
    case 'self':
      return target.oracleId === caster.oracleId;
    default: {
      const _exhaustive: never = aim;
      return _exhaustive;
    }
  }
}
