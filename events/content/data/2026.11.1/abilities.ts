// Oracle abilities of content 2026.11.1. Twelve: one per placement (sun strikes, moon
// supports, rising afflicts) and element. Ticks at ~20 Hz: a 40-tick cooldown is ~2 s.
import type { ContentInput } from '../../content.ts';

export const abilities = [
  // Sun: the oracle's main strike.
  { id: 'solar-flare', name: 'Solar Flare', element: 'fire', target: 'enemy', cooldownTicks: 40,
    effects: [{ kind: 'damage', power: 120 }, { kind: 'burn', chancePercent: 25, durationTicks: 100, damagePerPulse: 6, pulseEveryTicks: 20 }] },
  { id: 'stone-fist', name: 'Stone Fist', element: 'earth', target: 'enemy', cooldownTicks: 50,
    effects: [{ kind: 'damage', power: 150 }] },
  { id: 'gale-cut', name: 'Gale Cut', element: 'air', target: 'enemy', cooldownTicks: 30,
    effects: [{ kind: 'damage', power: 95 }] },
  { id: 'tidal-crash', name: 'Tidal Crash', element: 'water', target: 'enemy', cooldownTicks: 40,
    effects: [{ kind: 'damage', power: 110 }, { kind: 'weaken', chancePercent: 30, durationTicks: 80, attackReductionPercent: 20 }] },

  // Moon: keeping the squad standing.
  { id: 'hearth-glow', name: 'Hearth Glow', element: 'fire', target: 'ally', cooldownTicks: 80,
    effects: [{ kind: 'heal', power: 90 }] },
  { id: 'bulwark', name: 'Bulwark', element: 'earth', target: 'ally', cooldownTicks: 100,
    effects: [{ kind: 'shield', power: 160 }] },
  { id: 'second-wind', name: 'Second Wind', element: 'air', target: 'self', cooldownTicks: 70,
    effects: [{ kind: 'heal', power: 50 }, { kind: 'shield', power: 60 }] },
  { id: 'moon-tide', name: 'Moon Tide', element: 'water', target: 'ally', cooldownTicks: 120,
    effects: [{ kind: 'heal', power: 140 }] },

  // Rising: afflictions, weak on their own and long on cooldown.
  { id: 'kindle', name: 'Kindle', element: 'fire', target: 'enemy', cooldownTicks: 100,
    effects: [{ kind: 'damage', power: 40 }, { kind: 'burn', chancePercent: 100, durationTicks: 120, damagePerPulse: 10, pulseEveryTicks: 20 }] },
  { id: 'quake', name: 'Quake', element: 'earth', target: 'enemy', cooldownTicks: 120,
    effects: [{ kind: 'damage', power: 70 }, { kind: 'stun', chancePercent: 35, durationTicks: 30 }] },
  { id: 'thunderclap', name: 'Thunderclap', element: 'air', target: 'enemy', cooldownTicks: 140,
    effects: [{ kind: 'damage', power: 55 }, { kind: 'stun', chancePercent: 50, durationTicks: 20 }] },
  { id: 'undertow', name: 'Undertow', element: 'water', target: 'enemy', cooldownTicks: 90,
    effects: [{ kind: 'damage', power: 45 }, { kind: 'weaken', chancePercent: 100, durationTicks: 100, attackReductionPercent: 30 }] },
] satisfies ContentInput['abilities'];
