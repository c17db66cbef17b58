// Raid bosses of content 2026.11.1. Enrage ticks count from the raid's start at ~20 Hz
// (12 000 ticks ≈ 10 min). Drop weights are relative: 10 in a table of 1000 is a 1 % pick.
import type { ContentInput } from '../../content.ts';

const leviathan = {
  id: 'leviathan', name: 'The Leviathan', element: 'water',
  stats: { hp: 60_000, attack: 80, defense: 40, speed: 10 },
  abilities: [
    { id: 'tail-sweep', name: 'Tail Sweep', element: 'water', target: 'all_enemies', cooldownTicks: 100, windUpTicks: 20,
      effects: [{ kind: 'damage', power: 60 }] },
    { id: 'brine-spit', name: 'Brine Spit', element: 'water', target: 'random_enemy', cooldownTicks: 60, windUpTicks: 0,
      effects: [{ kind: 'damage', power: 90 }, { kind: 'weaken', chancePercent: 50, durationTicks: 100, attackReductionPercent: 20 }] },
    { id: 'whirlpool', name: 'Whirlpool', element: 'water', target: 'all_enemies', cooldownTicks: 200, windUpTicks: 40,
      effects: [{ kind: 'damage', power: 50 }, { kind: 'stun', chancePercent: 100, durationTicks: 20 }] },
    { id: 'devour', name: 'Devour', element: 'water', target: 'highest_hp_enemy', cooldownTicks: 300, windUpTicks: 60,
      effects: [{ kind: 'damage', power: 250 }] },
    { id: 'abyssal-tide', name: 'Abyssal Tide', element: 'water', target: 'all_enemies', cooldownTicks: 40, windUpTicks: 0,
      effects: [{ kind: 'damage', power: 200 }] },
  ],
  phases: [
    { id: 'surface', name: 'Surfacing', fromHpPercent: 100, abilityIds: ['tail-sweep', 'brine-spit'], attackPercent: 100 },
    { id: 'maelstrom', name: 'Maelstrom', fromHpPercent: 60, abilityIds: ['tail-sweep', 'brine-spit', 'whirlpool'], attackPercent: 100 },
    { id: 'abyss', name: 'From the Abyss', fromHpPercent: 25, abilityIds: ['whirlpool', 'devour', 'brine-spit'], attackPercent: 120 },
  ],
  enrage: { atTick: 12_000, attackPercent: 300, abilityIds: ['abyssal-tide'] },
  drops: {
    rolls: 2,
    entries: [
      { itemId: 'leviathan-scale', weight: 600, minQuantity: 1, maxQuantity: 3 },
      { itemId: 'abyssal-pearl', weight: 300, minQuantity: 1, maxQuantity: 1 },
      { itemId: 'tide-sigil', weight: 90, minQuantity: 1, maxQuantity: 1 },
      { itemId: 'heart-of-the-deep', weight: 10, minQuantity: 1, maxQuantity: 1 },
    ],
  },
} satisfies ContentInput['raidBosses'][number];

const behemoth = {
  id: 'behemoth', name: 'The Behemoth', element: 'earth',
  stats: { hp: 80_000, attack: 70, defense: 60, speed: 5 },
  abilities: [
    { id: 'stomp', name: 'Stomp', element: 'earth', target: 'all_enemies', cooldownTicks: 120, windUpTicks: 30,
      effects: [{ kind: 'damage', power: 55 }, { kind: 'stun', chancePercent: 30, durationTicks: 20 }] },
    { id: 'gore', name: 'Gore', element: 'earth', target: 'highest_hp_enemy', cooldownTicks: 80, windUpTicks: 20,
      effects: [{ kind: 'damage', power: 140 }] },
    { id: 'boulder-toss', name: 'Boulder Toss', element: 'earth', target: 'random_enemy', cooldownTicks: 60, windUpTicks: 10,
      effects: [{ kind: 'damage', power: 100 }] },
    { id: 'stone-hide', name: 'Stone Hide', element: 'earth', target: 'self', cooldownTicks: 400, windUpTicks: 0,
      effects: [{ kind: 'shield', power: 300 }] },
    { id: 'earthshatter', name: 'Earthshatter', element: 'earth', target: 'all_enemies', cooldownTicks: 240, windUpTicks: 60,
      effects: [{ kind: 'damage', power: 90 }, { kind: 'stun', chancePercent: 100, durationTicks: 30 }] },
    { id: 'cataclysm', name: 'Cataclysm', element: 'earth', target: 'all_enemies', cooldownTicks: 40, windUpTicks: 0,
      effects: [{ kind: 'damage', power: 220 }] },
  ],
  phases: [
    { id: 'awakened', name: 'Awakened', fromHpPercent: 100, abilityIds: ['stomp', 'boulder-toss', 'gore'], attackPercent: 100 },
    { id: 'stonehide', name: 'Stone Hide', fromHpPercent: 50, abilityIds: ['stomp', 'gore', 'stone-hide'], attackPercent: 100 },
    { id: 'cataclysm', name: 'Cataclysm', fromHpPercent: 20, abilityIds: ['earthshatter', 'gore', 'boulder-toss'], attackPercent: 130 },
  ],
  enrage: { atTick: 14_400, attackPercent: 250, abilityIds: ['cataclysm'] },
  drops: {
    rolls: 2,
    entries: [
      { itemId: 'behemoth-horn', weight: 550, minQuantity: 1, maxQuantity: 2 },
      { itemId: 'titan-bone', weight: 350, minQuantity: 1, maxQuantity: 2 },
      { itemId: 'quake-sigil', weight: 90, minQuantity: 1, maxQuantity: 1 },
      { itemId: 'heart-of-the-mountain', weight: 10, minQuantity: 1, maxQuantity: 1 },
    ],
  },
} satisfies ContentInput['raidBosses'][number];

export const raidBosses = [leviathan, behemoth];
