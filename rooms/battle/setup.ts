// Builds a battle's creation event from a matchmaking result: validates the line-up,
// derives each oracle from its chart with the given content, and freezes the result
// (stats, loadout, seed, rules and content versions) into BattleCreated.
import { z } from 'zod';
import type { FlagValue } from '../../events/tick/roomKind.ts';
import { Chart, deriveOracle, type Content } from '../../events/content/index.ts';
import { accept, type Decision } from '../../events/decider.ts';
import { playerText } from '../../events/players.ts';
import type { BattleCreated } from './events.ts';
import { BATTLE_RULES_VERSION, OracleId, PlayerId, Side, Wager, sides, type OracleSnapshot } from './model.ts';
import { refuseBattle } from './refusals.ts';

/**
 * A player's oracles as matchmaking fields them, one to three, by chart: stats are derived at
 * creation. The name is the player's own text: kept verbatim, but storable (playerText).
 */
export const FieldedOracles = z.array(z.strictObject({ oracleId: OracleId, name: playerText(60), chart: Chart })).min(1).max(3);
export type FieldedOracles = z.output<typeof FieldedOracles>;

/** What repeats in a line-up, as setup messages: player ids and oracle ids must each be unique. */
export function duplicateIds(participants: readonly { playerId: string; oracles: readonly { oracleId: string }[] }[]): string[] {
  const problems: string[] = [];
  const playerIds = participants.map((p) => p.playerId);
  if (new Set(playerIds).size !== playerIds.length) problems.push('player ids must be unique');
  const oracleIds = participants.flatMap((p) => p.oracles.map((o) => o.oracleId));
  if (new Set(oracleIds).size !== oracleIds.length) problems.push('oracle ids must be unique');
  return problems;
}

/** Each fielded oracle frozen for the creation event: identity plus the template its chart derives under this content. */
export function snapshotsOf(oracles: FieldedOracles, content: Content): OracleSnapshot[] {
  return oracles.map((o) => ({ oracleId: o.oracleId, name: o.name, ...deriveOracle(o.chart, content) }));
}

export const BattleSetup = z
  .strictObject({
    battleId: z.string().min(1).max(100),
    /**
     * Must be unpredictable to players (crypto-random, chosen by the server): anyone who
     * knows it can foresee every roll. It is recorded in the stream for replays.
     */
    seed: z.string().min(16).max(128),
    startTick: z.int().min(0),
    /** Defaults to the content's defaultTickLimit; capped by its maxTickLimit. */
    tickLimit: z.int().min(20).optional(),
    wager: Wager.nullable().optional(),
    participants: z
      .array(z.strictObject({ playerId: PlayerId, side: Side, oracles: FieldedOracles }))
      .min(2)
      .max(6),
  })
  .superRefine((setup, ctx) => {
    for (const message of duplicateIds(setup.participants)) ctx.addIssue({ code: 'custom', message });
    // Even squads of 1 to 3 oracles: wagers are only fair between equal line-ups.
    const counts = sides.map((side) =>
      setup.participants.filter((p) => p.side === side).reduce((n, p) => n + p.oracles.length, 0));
    const lineUp = counts.join(' v ');
    if (counts.some((count) => count < 1 || count > 3)) {
      ctx.addIssue({ code: 'custom', message: `each side fields 1 to 3 oracles, got ${lineUp}` });
    } else if (counts[0] !== counts[1]) {
      ctx.addIssue({ code: 'custom', message: `sides must be even, got ${lineUp}` });
    }
  });
export type BattleSetup = z.input<typeof BattleSetup>;

/** `flags`: the values of battleKind.flags the server evaluated for this battle, recorded as they are. */
export function createBattle(input: BattleSetup, content: Content, flags?: Readonly<Record<string, FlagValue>>): Decision<BattleCreated> {
  const parsed = BattleSetup.safeParse(input);
  if (!parsed.success) return refuseBattle('battle/invalid_setup', z.prettifyError(parsed.error));
  const setup = parsed.data;
  const tickLimit = setup.tickLimit ?? content.battle.defaultTickLimit;
  if (tickLimit > content.battle.maxTickLimit) {
    return refuseBattle('battle/invalid_setup', `tickLimit ${tickLimit} exceeds the content's maximum ${content.battle.maxTickLimit}`);
  }
  return accept<BattleCreated>({
    type: 'BattleCreated',
    data: {
      battleId: setup.battleId,
      rulesVersion: BATTLE_RULES_VERSION,
      contentVersion: content.contentVersion,
      seed: setup.seed,
      startTick: setup.startTick,
      tickLimit,
      participants: setup.participants.map((p) => ({
        playerId: p.playerId,
        side: p.side,
        oracles: snapshotsOf(p.oracles, content),
      })),
      wager: setup.wager ?? null,
      ...(flags ? { flags: { ...flags } as NonNullable<BattleCreated['data']['flags']> } : {}),
    },
  });
}
