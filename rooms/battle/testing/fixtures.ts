// Test support for battle specs: hand-built oracles with round numbers (so expected damage
// can be worked out by hand in a comment), content variants without randomness in the
// outcome, and small builders for events and commands.
import { contentByVersion, parseContent, type Content } from '../../../events/content/index.ts';
import { seedPrng, type PrngState } from '../../../events/tick/prng.ts';
import { checkAgainst, playOn } from '../../../events/testing/ruleTesting.ts';
import { specFor } from '../../../events/testing/specs.ts';
import type { CastAbility, Forfeit } from '../commands.ts';
import { BattleCreated, battleEventDefinitions, type DamageDealt, type StatusApplied } from '../events.ts';
import { BATTLE_RULES_VERSION, type OracleSnapshot, type Participant, type StatusInstance, type Wager } from '../model.ts';
import { createBattleDecider } from '../rules.ts';

export const SEED = 'spec-seed-0000000001';
export const START = 10;
export const TICK_LIMIT = 600;

/**
 * Published content with the dice taken out of the outcome: no crits, no variance, and
 * status chances pinned to 100 % (solar-flare burn, thunderclap stun) or 0 % (tidal-crash
 * weaken). Rolls are still drawn, so generator states in events are real.
 */
export const steadyContent = variant('0000.0.1', { critChancePercent: 0 });
/** The same, except every hit is a critical. */
export const critContent = variant('0000.0.2', { critChancePercent: 100 });

function variant(contentVersion: string, tuning: { critChancePercent: number }): Content {
  const published = contentByVersion('2026.11.1');
  const chance: Record<string, number> = { 'solar-flare': 100, thunderclap: 100, 'tidal-crash': 0 };
  return parseContent({
    ...structuredClone(published),
    contentVersion,
    battle: { ...published.battle, ...tuning, varianceMinPercent: 100, varianceMaxPercent: 100 },
    abilities: published.abilities.map((ability) => ({
      ...ability,
      effects: ability.effects.map((effect) =>
        'chancePercent' in effect && chance[ability.id] !== undefined ? { ...effect, chancePercent: chance[ability.id] } : effect,
      ),
    })),
  });
}

export const decider = createBattleDecider((version) =>
  version === steadyContent.contentVersion ? steadyContent : version === critContent.contentVersion ? critContent : contentByVersion(version),
);

/** Every spec event is checked against its zod schema, as the store would on append. */
export const given = specFor(decider, { checkEvent: checkAgainst(battleEventDefinitions) });

const chart = { sun: 'aries', moon: 'leo', rising: 'sagittarius' } as const;

function oracle(oracleId: string, element: OracleSnapshot['element'], stats: OracleSnapshot['stats'], abilityIds: string[]): OracleSnapshot {
  const affinities = (['fire', 'earth', 'air', 'water'] as const).map((e) => ({ element: e, weight: e === element ? 6 : 0 }));
  return { oracleId, name: oracleId, chart, element, affinities, stats, abilityIds };
}

export const ember = oracle('ember', 'fire', { hp: 500, attack: 50, defense: 25, speed: 30 }, ['solar-flare', 'hearth-glow', 'kindle']);
export const zephyr = oracle('zephyr', 'air', { hp: 400, attack: 40, defense: 25, speed: 40 }, ['gale-cut', 'second-wind', 'thunderclap']);
export const tide = oracle('tide', 'water', { hp: 450, attack: 45, defense: 30, speed: 25 }, ['tidal-crash', 'moon-tide', 'undertow']);
export const boulder = oracle('boulder', 'earth', { hp: 600, attack: 40, defense: 40, speed: 10 }, ['stone-fist', 'bulwark', 'quake']);

/** p1 (ember) on side a against p2 (zephyr) on side b. */
export const duel: Participant[] = [
  { playerId: 'p1', side: 'a', oracles: [ember] },
  { playerId: 'p2', side: 'b', oracles: [zephyr] },
];
/** 2v2: p1 (ember) and p3 (tide) against p2 (zephyr) and p4 (boulder). */
export const squads: Participant[] = [
  { playerId: 'p1', side: 'a', oracles: [ember] },
  { playerId: 'p2', side: 'b', oracles: [zephyr] },
  { playerId: 'p3', side: 'a', oracles: [tide] },
  { playerId: 'p4', side: 'b', oracles: [boulder] },
];

export function created(options: { participants?: Participant[]; wager?: Wager | null; content?: Content } = {}): BattleCreated {
  return {
    type: 'BattleCreated',
    data: {
      battleId: 'b1',
      rulesVersion: BATTLE_RULES_VERSION,
      contentVersion: (options.content ?? steadyContent).contentVersion,
      seed: SEED,
      startTick: START,
      tickLimit: TICK_LIMIT,
      participants: options.participants ?? duel,
      wager: options.wager ?? null,
    },
  };
}

export const cast = (playerId: string, oracleId: string, abilityId: string, targetId: string): CastAbility => ({
  type: 'CastAbility',
  playerId,
  oracleId,
  abilityId,
  targetId,
});
export const forfeit = (playerId: string): Forfeit => ({ type: 'Forfeit', playerId });

export { draws } from '../../../events/testing/ruleTesting.ts';

export const seeded = seedPrng(SEED);

/** A fact that an earlier harm left `targetId` with `hpAfter` (a burn pulse: no randomness involved). */
export function wounded(sourceId: string, targetId: string, amount: number, hpAfter: number): DamageDealt {
  return { type: 'DamageDealt', data: { sourceId, targetId, amount, absorbed: 0, hpAfter, shieldAfter: 0, cause: { kind: 'burn' } } };
}

/** A history extended by what the rules produce for each step (a command, or a tick's end). */
export const play = playOn(decider);

/** Status facts whose proc left the generator at `prng`, so later draws start from there. */
export function statusesAfter(prng: PrngState): (targetId: string, abilityId: string, status: StatusInstance) => StatusApplied {
  return (targetId, abilityId, status) => ({ type: 'StatusApplied', data: { targetId, abilityId, status, roll: 0, chancePercent: 100, prng } });
}

/** A status fact whose proc left the generator at `seeded`, so later draws start from there. */
export const statusOn = statusesAfter(seeded);
