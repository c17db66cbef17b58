// Content validation, the version registry, deriveOracle and the raid boss helpers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedPrng } from '../tick/prng.ts';
import {
  ContentError, OracleTemplate, abilityById, contentByVersion, contentVersions, currentContentVersion, deriveOracle,
  elements, loadContent, matchupPercent, parseContent, phaseAt, raidBossById, rollDrops, signIds, type Chart, type Content,
} from './index.ts';

const content = loadContent();

/** Published content with one change, as plain (unfrozen) data. */
function edited(change: (data: Content) => void): unknown {
  const data = structuredClone(content);
  change(data);
  return data;
}

function assertInvalid(data: unknown, fragment: string): void {
  assert.throws(() => parseContent(data), (error: unknown) =>
    error instanceof ContentError && error.code === 'content/invalid' && error.message.includes(fragment));
}

test('the current content validates, is registered and is frozen', () => {
  assert.equal(content.contentVersion, currentContentVersion);
  assert.ok(contentVersions().includes(currentContentVersion));
  assert.equal(contentByVersion(currentContentVersion), content, 'loaded once, then served from the cache');
  assert.throws(() => { (content.battle as { critChancePercent: number }).critChancePercent = 99; }, TypeError);
});

test('every registered version stays loadable and declares its own version', () => {
  for (const version of contentVersions()) assert.equal(contentByVersion(version).contentVersion, version);
});

test('an unknown version is a typed error naming the known ones', () => {
  assert.throws(() => contentByVersion('1999.1.1'), (error: unknown) =>
    error instanceof ContentError && error.code === 'content/unknown_version' && error.message.includes(currentContentVersion));
});

test('elements: fire > air > earth > water > fire, +25 % with the advantage and -20 % against it', () => {
  const beats = [['fire', 'air'], ['air', 'earth'], ['earth', 'water'], ['water', 'fire']] as const;
  for (const attacker of elements) {
    for (const defender of elements) {
      const expected = beats.some(([a, d]) => a === attacker && d === defender) ? 125
        : beats.some(([a, d]) => a === defender && d === attacker) ? 80 : 100;
      assert.equal(matchupPercent(content.elements.advantage, attacker, defender), expected, `${attacker} vs ${defender}`);
    }
  }
});

test('the zodiac has twelve signs, three per element', () => {
  assert.deepEqual(content.signs.map((s) => s.id), [...signIds]);
  for (const element of elements) assert.equal(content.signs.filter((s) => s.element === element).length, 3, element);
});

test('invalid content is refused with a message that names the problem', () => {
  assertInvalid(edited((d) => { d.signs.pop(); }), 'pisces');
  assertInvalid(edited((d) => { d.oracle.loadout.sun.fire = 'no-such-ability'; }), 'unknown ability no-such-ability');
  assertInvalid(edited((d) => { d.abilities.push({ ...d.abilities[0]!, name: 'Twin' }); }), 'ability ids must be unique');
  assertInvalid(edited((d) => { d.abilities[0]!.target = 'ally'; }), 'damage effect cannot be used by an ability aimed at an ally');
  assertInvalid(edited((d) => { d.battle.critChancePercent = 101; }), 'critChancePercent');
  assertInvalid(edited((d) => { d.battle.defaultTickLimit = d.battle.maxTickLimit + 1; }), 'defaultTickLimit must not exceed maxTickLimit');
  assertInvalid(edited((d) => { d.abilities[0]!.cooldownTicks = 0; }), 'cooldownTicks');
  assertInvalid(edited((d) => { d.contentVersion = 'latest'; }), 'content versions look like');
});

test('invalid raid bosses are refused: phase order, dangling abilities, drop ranges', () => {
  assertInvalid(edited((d) => { d.raidBosses[0]!.phases[1]!.fromHpPercent = 100; }), 'must start below 100');
  assertInvalid(edited((d) => { d.raidBosses[0]!.phases[0]!.fromHpPercent = 90; }), 'first phase must start at 100');
  assertInvalid(edited((d) => { d.raidBosses[0]!.enrage.abilityIds = ['cataclysm']; }), 'leviathan: unknown ability cataclysm');
  assertInvalid(edited((d) => { d.raidBosses[1]!.drops.entries[0]!.minQuantity = 5; }), 'minQuantity must not exceed maxQuantity');
  assertInvalid(edited((d) => { d.raidBosses[1]!.drops.entries[0]!.weight = 0; }), 'weight');
});

test('deriveOracle: a pure fire chart, worked by hand', () => {
  // Weights sun 3 + moon 2 + rising 1 = 6 fire points: hp 400 + 6×10, attack 30 + 6×4, defense 15, speed 20 + 6×1;
  // modalities: aries cardinal ×3 (attack +3, speed +3), leo fixed ×2 (hp +20, defense +2), sagittarius mutable ×1 (speed +2).
  const oracle = deriveOracle({ sun: 'aries', moon: 'leo', rising: 'sagittarius' }, content);
  assert.deepEqual(oracle.stats, { hp: 480, attack: 57, defense: 17, speed: 31 });
  assert.equal(oracle.element, 'fire');
  assert.deepEqual(oracle.affinities.map((a) => a.weight), [6, 0, 0, 0]);
  assert.deepEqual(oracle.abilityIds, ['solar-flare', 'hearth-glow', 'kindle']);
});

test('deriveOracle: a tie between elements goes to the sun', () => {
  // Gemini sun gives air 3; cancer moon and rising give water 2 + 1 = 3.
  const oracle = deriveOracle({ sun: 'gemini', moon: 'cancer', rising: 'cancer' }, content);
  assert.equal(oracle.element, 'air');
  assert.deepEqual(oracle.affinities, [{ element: 'fire', weight: 0 }, { element: 'earth', weight: 0 }, { element: 'air', weight: 3 }, { element: 'water', weight: 3 }]);
});

test('deriveOracle: every one of the 1728 charts yields a valid, dominant, deterministic oracle', () => {
  for (const sun of signIds) {
    for (const moon of signIds) {
      for (const rising of signIds) {
        const chart: Chart = { sun, moon, rising };
        const oracle = OracleTemplate.parse(deriveOracle(chart, content));
        assert.deepEqual(deriveOracle(chart, content), oracle);
        assert.equal(oracle.affinities.reduce((sum, a) => sum + a.weight, 0), 6);
        const top = Math.max(...oracle.affinities.map((a) => a.weight));
        assert.equal(oracle.affinities.find((a) => a.element === oracle.element)?.weight, top);
        assert.equal(oracle.abilityIds.length, 3);
        for (const id of oracle.abilityIds) assert.ok(abilityById(content, id), id);
      }
    }
  }
});

test('phaseAt: phases change at their HP thresholds, inclusive', () => {
  const leviathan = raidBossById(content, 'leviathan');
  assert.ok(leviathan);
  const max = leviathan.stats.hp;
  const at = (hp: number) => phaseAt(leviathan, hp).id;
  assert.deepEqual([at(max), at(max * 0.6 + 1), at(max * 0.6), at(max * 0.25 + 1), at(max * 0.25), at(1)],
    ['surface', 'surface', 'maelstrom', 'maelstrom', 'abyss', 'abyss']);
});

test('rollDrops: deterministic per generator state, inside the table, and weighted', () => {
  const behemoth = raidBossById(content, 'behemoth');
  assert.ok(behemoth);
  const [drops, after] = rollDrops(behemoth.drops, seedPrng('kill-1'));
  assert.deepEqual(rollDrops(behemoth.drops, seedPrng('kill-1')), [drops, after]);
  assert.equal(drops.length, behemoth.drops.rolls);
  // 5000 kills from one fixed seed: behemoth-horn holds 550 of 1000 weight.
  let state = seedPrng('many-kills');
  let horns = 0;
  for (let kill = 0; kill < 5000; kill++) {
    const [loot, next] = rollDrops(behemoth.drops, state);
    state = next;
    for (const drop of loot) {
      const entry = behemoth.drops.entries.find((e) => e.itemId === drop.itemId);
      assert.ok(entry && drop.quantity >= entry.minQuantity && drop.quantity <= entry.maxQuantity);
      if (drop.itemId === 'behemoth-horn') horns++;
    }
  }
  assert.ok(horns > 10_000 * 0.52 && horns < 10_000 * 0.58, `horn share ${horns / 10_000}`);
});
