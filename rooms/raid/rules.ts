// The raid's command handling: one small pure function per command, applied one command at
// a time in the order the room received them, plus the tick-driven rules (tick.ts) where
// the boss acts. Content comes in through a resolver so a raid always plays by the content
// version it was created with.
import { contentByVersion, type AbilityTarget } from '../../events/content/index.ts';
import type { OracleState } from '../battle/model.ts';
import { castEvent } from '../battle/resolve.ts';
import { checkCaster, forfeitEvents, type ContentResolver } from '../battle/rules.ts';
import { accept, type Decision, type RuleContext, type TickDecider } from '../../events/decider.ts';
import type { CastAbility, Forfeit, RaidCommand } from './commands.ts';
import { resolveEffects } from './combat.ts';
import { draftOf, emit } from './draft.ts';
import { evolve, initialState, type RaidEvent } from './events.ts';
import { bossDefinition, findCombatant, isBoss, type RaidState } from './model.ts';
import { endIfPartyDown } from './outcome.ts';
import { refuseRaid } from './refusals.ts';
import { onTick } from './tick.ts';

export type { ContentResolver };

export function createRaidDecider(resolveContent: ContentResolver): TickDecider<RaidState, RaidCommand, RaidEvent> {
  return {
    initialState,
    evolve,
    // Before creation there is no content version to resolve, and nothing happens anyway.
    onTick: (state, ctx) => (state.status === 'active' ? onTick(state, ctx, resolveContent(state.contentVersion)) : []),
    decide: (state, command, ctx) => decide(state, command, ctx, resolveContent),
  };
}

/** The decider over the published content registry: what rooms and audits use. */
export const raidDecider = createRaidDecider(contentByVersion);

export function decide(state: RaidState, command: RaidCommand, ctx: RuleContext, resolveContent: ContentResolver): Decision<RaidEvent> {
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

export function castAbility(state: RaidState, command: CastAbility, ctx: RuleContext, resolveContent: ContentResolver): Decision<RaidEvent> {
  // Casters are party oracles only: the boss is not in state.oracles, so no one owns it.
  const checked = checkCaster(state, command, ctx.tick, resolveContent, 'raid');
  if (!checked.ok) return refuseRaid(`raid/${checked.refusal}`, checked.message);
  const { caster, ability, content } = checked;
  if (!canTarget(state, caster, command.targetId, ability.target)) {
    return refuseRaid('raid/invalid_target', `${ability.name} cannot target ${command.targetId}`);
  }

  const draft = draftOf(state);
  const { oracleId: casterId } = caster;
  emit(draft, castEvent(casterId, ability, command.targetId, ctx.tick));
  const boss = bossDefinition(content.raidBosses, state.bossId);
  resolveEffects(draft, { casterId, targetId: command.targetId, ability, tick: ctx.tick, attackPercent: 100, content, boss });
  return accept(...draft.events);
}

/** Leaving fells the player's oracles; allowed during the countdown too. The last to go loses the raid. */
export function forfeit(state: RaidState, command: Forfeit): Decision<RaidEvent> {
  if (state.status === 'pending') return refuseRaid('raid/not_started', 'the raid has not been created yet');
  if (state.status === 'ended') return refuseRaid('raid/ended', 'the raid is over');
  const participant = state.participants.find((p) => p.playerId === command.playerId);
  if (!participant) return refuseRaid('raid/not_participant', 'you are not in this raid');
  if (participant.forfeited) return refuseRaid('raid/already_forfeited', 'you have already left this raid');

  const draft = draftOf(state);
  for (const event of forfeitEvents(state.oracles, command.playerId)) emit(draft, event);
  endIfPartyDown(draft);
  return accept(...draft.events);
}

/** Harm goes to the boss; help goes to any standing party oracle (`ally` includes the caster). */
function canTarget(state: RaidState, caster: OracleState, targetId: string, aim: AbilityTarget): boolean {
  const target = findCombatant(state, targetId);
  if (!target || target.fallen) return false;
  switch (aim) {
    case 'enemy':
      return isBoss(state, targetId);
    case 'ally':
      return !isBoss(state, targetId);
    case 'self':
      return targetId === caster.oracleId;
    default: {
      const _exhaustive: never = aim;
      return _exhaustive;
    }
  }
}
