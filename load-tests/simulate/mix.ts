// A realistic mix of matches for benchmarks and read-model tests: a population of players
// with their oracles, mostly 1v1 battles (some 2v2 and 3v3, some with wagers), raids and
// rituals, all played by the real rules. Deterministic for a given seed.
import type { EventStore } from '../../events/store.ts';
import { battleKind, type BattleRoomSetup } from '../../rooms/battle/room.ts';
import { signIds, type Chart } from '../../events/content/index.ts';
import { raidKind, type RaidRoomSetup } from '../../rooms/raid/room.ts';
import { ritualContent } from '../../rooms/ritual/content.ts';
import { ritualKind, type RitualRoomSetup } from '../../rooms/ritual/room.ts';
import { nextInt, seedPrng, type PrngState } from '../../events/tick/prng.ts';
import { battlePlayers, raidPlayers, recordRoom, ritualPlayers, simulateRoom, type SimulatedRoom } from './room.ts';

export type MixOptions = { seed: string; players: number; prefix?: string };

/** Picks from a seeded generator, so a mix is the same on every run. */
class Dice {
  #prng: PrngState;
  constructor(seed: string) {
    this.#prng = seedPrng(seed);
  }
  int(bound: number): number {
    const [value, next] = nextInt(this.#prng, bound);
    this.#prng = next;
    return value;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

function chart(dice: Dice): Chart {
  return { sun: dice.pick(signIds), moon: dice.pick(signIds), rising: dice.pick(signIds) };
}

/** Endless matches: about 80 % battles, 5 % raids, 15 % rituals. */
export function* matches(options: MixOptions): Generator<SimulatedRoom<unknown>, never> {
  const dice = new Dice(options.seed);
  const prefix = options.prefix ?? 'sim';
  const players = Array.from({ length: options.players }, (_, i) => `${prefix}-player-${i}`);
  const distinct = (count: number) => {
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(dice.pick(players));
    return [...chosen];
  };
  const oracles = (playerId: string, count: number, match: number) =>
    Array.from({ length: count }, (_, i) => ({ oracleId: `${playerId}-m${match}-o${i}`, name: `Oracle ${i + 1}`, chart: chart(dice) }));

  for (let match = 0; ; match++) {
    const roomId = `${prefix}${match}`;
    const seed = `${options.seed}-${match}`.padEnd(16, '-');
    const roll = dice.int(100);
    if (roll < 80) {
      const size = dice.pick([1, 1, 1, 1, 2, 3]);
      const setup: BattleRoomSetup = {
        participants: distinct(2).map((playerId, i) => ({ playerId, side: i === 0 ? 'a' : 'b', oracles: oracles(playerId, size, match) })),
        wager: dice.int(4) === 0 ? { currency: 'coins', amount: 10 * (1 + dice.int(10)) } : null,
        countdownTicks: 20,
      };
      yield simulateRoom(battleKind, { roomId, setup, seed }, battlePlayers({ everyTicks: 6 + dice.int(8), spamEvery: 12 }));
    } else if (roll < 85) {
      const setup: RaidRoomSetup = {
        participants: distinct(2 + dice.int(3)).map((playerId) => ({ playerId, oracles: oracles(playerId, 3, match) })),
        bossId: dice.pick(['leviathan', 'behemoth']),
        // Two to four minutes at 20 Hz: a raid attempt, most of which time out against these bosses.
        tickLimit: 2400 + 1200 * dice.int(3),
        countdownTicks: 20,
      };
      yield simulateRoom(raidKind, { roomId, setup, seed }, raidPlayers({ everyTicks: 10 }));
    } else {
      const ritual = dice.pick(ritualContent.rituals);
      const count = ritual.minParticipants + dice.int(ritual.maxParticipants - ritual.minParticipants + 1);
      const setup: RitualRoomSetup = { ritualId: ritual.id, participants: distinct(count), countdownTicks: 5 };
      yield simulateRoom(ritualKind, { roomId, setup, seed }, ritualPlayers({ slipEvery: dice.int(3) }));
    }
  }
}

/**
 * Appends matches to `store` until it holds at least `events` more, `concurrency` rooms
 * at a time, each room's ticks in order (as live rooms would). Returns how many it wrote.
 */
export async function fillStore(store: EventStore, options: MixOptions & { events: number; concurrency?: number; onProgress?: (written: number) => void }): Promise<{ events: number; rooms: number }> {
  const source = matches(options);
  let written = 0;
  let rooms = 0;
  const worker = async () => {
    while (written < options.events) {
      const room = source.next().value;
      rooms++;
      written += room.events.length;
      await recordRoom(store, room);
      options.onProgress?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return { events: written, rooms };
}
