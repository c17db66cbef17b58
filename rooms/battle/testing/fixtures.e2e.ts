// Line-ups for end-to-end battles.
import type { BattleRoomSetup } from '../room.ts';

export function duelSetup(p1: string, p2: string, overrides: Partial<BattleRoomSetup> = {}): { setup: object } {
  return {
    setup: {
      participants: [
        { playerId: p1, side: 'a', oracles: [{ oracleId: `${p1}-o1`, name: 'Pyra', chart: { sun: 'aries', moon: 'leo', rising: 'sagittarius' } }] },
        { playerId: p2, side: 'b', oracles: [{ oracleId: `${p2}-o1`, name: 'Thalassa', chart: { sun: 'cancer', moon: 'pisces', rising: 'virgo' } }] },
      ],
      countdownTicks: 0,
      ...overrides,
    },
  };
}
