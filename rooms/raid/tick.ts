// What time does on its own at the end of each tick, in this order: burns pulse (the
// boss's first), the enrage timer, the boss's turn, statuses run out, then the raid ends
// if the party is down or the tick limit is reached. Statuses expire after the boss's turn
// so that a stun with expiresAtTick T holds the boss through tick T, as in battle.
import type { Content, RaidBoss } from '../../events/content/index.ts';
import { burnPulse, expiredStatuses } from '../battle/tick.ts';
import type { RuleContext } from '../../events/decider.ts';
import { bossActs } from './boss.ts';
import { afterDamage } from './combat.ts';
import { draftOf, emit, type Draft } from './draft.ts';
import type { RaidEvent } from './events.ts';
import { bossDefinition, combatantIn, lastTick, type RaidState } from './model.ts';
import { endByTimeout, endIfPartyDown } from './outcome.ts';
import { enrageIfDue } from './phases.ts';

export function onTick(state: RaidState, ctx: RuleContext, content: Content): RaidEvent[] {
  if (state.status !== 'active' || ctx.tick < state.startTick) return [];
  const boss = bossDefinition(content.raidBosses, state.bossId);
  const draft = draftOf(state);
  // The boss's burns first: if it and the last oracle burn out together, the party's blow won.
  const ids = [state.boss.oracleId, ...state.oracles.map((o) => o.oracleId)];
  for (const id of ids) pulseBurn(draft, id, ctx.tick, boss);
  if (draft.state.status === 'active') enrageIfDue(draft, boss, ctx.tick);
  if (draft.state.status === 'active') bossActs(draft, content, boss, ctx.tick);
  for (const id of ids) expireStatuses(draft, id, ctx.tick);
  endIfPartyDown(draft);
  if (draft.state.status === 'active' && ctx.tick >= lastTick(state)) endByTimeout(draft);
  return draft.events;
}

/** Battle's burn pulses (burnPulse), on the boss as on the party; nothing pulses once the raid is over. */
function pulseBurn(draft: Draft, id: string, tick: number, boss: RaidBoss): void {
  if (draft.state.status !== 'active') return;
  const pulse = burnPulse(combatantIn(draft.state, id), tick);
  if (!pulse) return;
  emit(draft, pulse);
  afterDamage(draft, id, 'burn', pulse.data.sourceId, boss);
}

/** Battle's expiry (expiredStatuses); nothing runs out once the raid is over. */
function expireStatuses(draft: Draft, id: string, tick: number): void {
  if (draft.state.status !== 'active') return;
  for (const expired of expiredStatuses(combatantIn(draft.state, id), tick)) emit(draft, expired);
}
