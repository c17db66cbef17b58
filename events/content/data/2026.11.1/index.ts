// Content version 2026.11.1, the first published content. Frozen once released: a
// rebalance is a new version folder, so battles recorded under this one replay unchanged.
import type { ContentInput } from '../../content.ts';
import { abilities } from './abilities.ts';
import { raidBosses } from './bosses.ts';
import { quests_2026_11_1 } from './quests.ts';

// Each element beats one other by +25 % and loses to one by -20 %:
// fire > air > earth > water > fire. Rows attack, columns defend.
const advantage = {
  fire: { fire: 100, earth: 100, air: 125, water: 80 },
  earth: { fire: 100, earth: 100, air: 80, water: 125 },
  air: { fire: 80, earth: 125, air: 100, water: 100 },
  water: { fire: 125, earth: 80, air: 100, water: 100 },
};

const signs = [
  { id: 'aries', name: 'Aries', element: 'fire', modality: 'cardinal' },
  { id: 'taurus', name: 'Taurus', element: 'earth', modality: 'fixed' },
  { id: 'gemini', name: 'Gemini', element: 'air', modality: 'mutable' },
  { id: 'cancer', name: 'Cancer', element: 'water', modality: 'cardinal' },
  { id: 'leo', name: 'Leo', element: 'fire', modality: 'fixed' },
  { id: 'virgo', name: 'Virgo', element: 'earth', modality: 'mutable' },
  { id: 'libra', name: 'Libra', element: 'air', modality: 'cardinal' },
  { id: 'scorpio', name: 'Scorpio', element: 'water', modality: 'fixed' },
  { id: 'sagittarius', name: 'Sagittarius', element: 'fire', modality: 'mutable' },
  { id: 'capricorn', name: 'Capricorn', element: 'earth', modality: 'cardinal' },
  { id: 'aquarius', name: 'Aquarius', element: 'air', modality: 'fixed' },
  { id: 'pisces', name: 'Pisces', element: 'water', modality: 'mutable' },
] satisfies ContentInput['signs'];

// Weights sum to 6 affinity points per chart. Per point: fire hits hard, earth endures,
// air is fast, water is balanced; cardinal signs push attack, fixed ones hold, mutable move.
const oracle = {
  baseStats: { hp: 400, attack: 30, defense: 15, speed: 20 },
  placementWeights: { sun: 3, moon: 2, rising: 1 },
  statsPerAffinity: {
    fire: { hp: 10, attack: 4, defense: 0, speed: 1 },
    earth: { hp: 25, attack: 1, defense: 3, speed: 0 },
    air: { hp: 10, attack: 2, defense: 1, speed: 4 },
    water: { hp: 20, attack: 2, defense: 2, speed: 1 },
  },
  statsPerModality: {
    cardinal: { hp: 0, attack: 1, defense: 0, speed: 1 },
    fixed: { hp: 10, attack: 0, defense: 1, speed: 0 },
    mutable: { hp: 0, attack: 0, defense: 0, speed: 2 },
  },
  loadout: {
    sun: { fire: 'solar-flare', earth: 'stone-fist', air: 'gale-cut', water: 'tidal-crash' },
    moon: { fire: 'hearth-glow', earth: 'bulwark', air: 'second-wind', water: 'moon-tide' },
    rising: { fire: 'kindle', earth: 'quake', air: 'thunderclap', water: 'undertow' },
  },
} satisfies ContentInput['oracle'];

const battle = {
  critChancePercent: 10,
  critDamagePercent: 150,
  varianceMinPercent: 90,
  varianceMaxPercent: 110,
  minDamage: 1,
  shieldCapPercent: 50,
  defaultTickLimit: 3600, // 3 minutes
  maxTickLimit: 12_000,
} satisfies ContentInput['battle'];

export const content_2026_11_1 = {
  contentVersion: '2026.11.1',
  elements: { advantage },
  signs,
  oracle,
  abilities,
  battle,
  raidBosses,
  quests: quests_2026_11_1,
} satisfies ContentInput;
