// Builds a raid's creation event from a matchmaking result: validates the party, derives
// each oracle from its chart with the given content (as battle does), snapshots the boss,
// and freezes it all (seed, tick limit, boss cadence, rules and content versions) into
// RaidCreated. The room calls it once, when it opens.
import { z } from 'zod';
import { raidBossById, type Content } from '../../events/content/index.ts';
import { PlayerId } from '../../events/players.ts';
import { FieldedOracles, duplicateIds, snapshotsOf } from '../battle/setup.ts';
import { accept, type Decision, type RuleContext } from '../../events/decider.ts';
import type { RaidEvent } from './events.ts';
import { ContentId, raidRulesVersion, type RaidState } from './model.ts';
import { refuseRaid } from './refusals.ts';
import { raidTuning } from './tuning.ts';

/** The party as matchmaking hands it over; as in battle, a player fields one to three oracles. */
export const RaidParty = z
  .array(z.strictObject({ playerId: PlayerId, oracles: FieldedOracles }))
  .min(raidTuning.minPlayers)
  .max(raidTuning.maxPlayers);

/** What makes a party unfit to face this boss, as setup messages: repeated ids, or an oracle under the boss's id. */
export function partyProblems(participants: z.output<typeof RaidParty>, bossId: string): string[] {
  const problems = duplicateIds(participants);
  // The boss fights under its own id, so no oracle may take it.
  if (participants.some((p) => p.oracles.some((o) => o.oracleId === bossId))) problems.push(`no oracle may be called ${bossId}, the boss's id`);
  return problems;
}

export const RaidSetup = z
  .strictObject({
    raidId: z.string().min(1).max(100),
    bossId: ContentId,
    /**
     * Must be unpredictable to players (crypto-random, chosen by the server): anyone who
     * knows it can foresee every roll, loot included. It is recorded in the stream for replays.
     */
    seed: z.string().min(16).max(128),
    /** Defaults to the creation tick; later leaves a countdown. */
    startTick: z.int().min(0).optional(),
    /** Defaults to the boss's enrage plus a grace period. */
    tickLimit: z.int().min(raidTuning.minTickLimit).max(raidTuning.maxTickLimit).optional(),
    participants: RaidParty,
  })
  .superRefine((setup, ctx) => {
    for (const message of partyProblems(setup.participants, setup.bossId)) ctx.addIssue({ code: 'custom', message });
  });
export type RaidSetup = z.input<typeof RaidSetup>;

export function createRaid(state: RaidState, input: RaidSetup, ctx: RuleContext, content: Content): Decision<RaidEvent> {
  if (state.status !== 'pending') return refuseRaid('raid/already_created', 'this raid has already been created');
  const parsed = RaidSetup.safeParse(input);
  if (!parsed.success) return refuseRaid('raid/invalid_setup', z.prettifyError(parsed.error));
  const setup = parsed.data;
  const boss = raidBossById(content, setup.bossId);
  if (!boss) return refuseRaid('raid/unknown_boss', `content ${content.contentVersion} has no raid boss ${setup.bossId}`);
  const tickLimit = setup.tickLimit ?? Math.min(boss.enrage.atTick + raidTuning.enrageGraceTicks, raidTuning.maxTickLimit);
  const openingPhase = boss.phases[0];
  if (!openingPhase) throw new Error(`raid boss ${boss.id} has no phases`);
  return accept<RaidEvent>({
    type: 'RaidCreated',
    data: {
      raidId: setup.raidId,
      rulesVersion: raidRulesVersion,
      contentVersion: content.contentVersion,
      seed: setup.seed,
      startTick: setup.startTick ?? ctx.tick,
      tickLimit,
      bossCadenceTicks: raidTuning.bossCadenceTicks,
      boss: { bossId: boss.id, name: boss.name, element: boss.element, stats: { ...boss.stats }, phaseId: openingPhase.id },
      participants: setup.participants.map((p) => ({
        playerId: p.playerId,
        oracles: snapshotsOf(p.oracles, content),
      })),
    },
  });
}
