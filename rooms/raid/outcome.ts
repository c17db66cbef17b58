// How a raid ends: the boss falls (victory, with loot), the party falls (defeat), or time
// runs out (timeout). Exactly one RaidEnded per raid, always its last event.
import { rollDrops, type RaidBoss } from '../../events/content/index.ts';
import { emit, type Draft } from './draft.ts';
import { bossHpPercent, standingOracles, type RaidOutcome } from './model.ts';

/**
 * The boss fell: one roll on its drop table per player who stayed to the end (a player
 * who forfeited left before the kill), in participant order, each from the generator state
 * the previous roll left.
 */
export function victory(draft: Draft, blow: { cause: 'damage' | 'burn'; byOracleId: string }, boss: RaidBoss): void {
  emit(draft, { type: 'BossDefeated', data: { bossId: boss.id, ...blow } });
  for (const participant of draft.state.participants) {
    if (participant.forfeited) continue;
    const [items, prng] = rollDrops(boss.drops, draft.state.prng);
    emit(draft, { type: 'LootDropped', data: { playerId: participant.playerId, items, prng } });
  }
  end(draft, 'victory');
}

/** Ends the raid in defeat once no party oracle stands (fallen or forfeited). */
export function endIfPartyDown(draft: Draft): void {
  if (draft.state.status === 'active' && standingOracles(draft.state).length === 0) end(draft, 'defeat');
}

export function endByTimeout(draft: Draft): void {
  end(draft, 'timeout');
}

function end(draft: Draft, outcome: RaidOutcome): void {
  const { boss } = draft.state;
  emit(draft, {
    type: 'RaidEnded',
    data: { outcome, bossHp: boss.hp, bossHpPercent: bossHpPercent(draft.state), phaseId: boss.phaseId, enraged: boss.enraged },
  });
}
