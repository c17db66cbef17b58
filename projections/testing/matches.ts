// Test support for the read models: plays real battles, raids and rituals through the
// rooms' own rules and tick core (RoomActor, as the Colyseus room drives it) into a real
// event store, so projections are tested on exactly the events the game writes.
//
// Players act like simple bots: each of an active player's standing oracles casts a ready
// ability every tick, harm at the weakest foe, help at the weakest ally. Idle players do
// nothing, which is how a test decides who wins.
import type { RecordedEvent } from '../../events/envelope.ts';
import type { SqlQueryable } from '../../events/sql/executor.ts';
import type { EventStore } from '../../events/store.ts';
import { abilityById, loadContent, type Chart, type Content, type Element } from '../../events/content/index.ts';
import { critContent, decider as battleFixtureDecider, steadyContent as steadyBattleContent } from '../../rooms/battle/testing/fixtures.ts';
import type { BattleCommand } from '../../rooms/battle/commands.ts';
import type { BattleEvent } from '../../rooms/battle/events.ts';
import type { BattleState, OracleState } from '../../rooms/battle/model.ts';
import { BattleRoomSetup, battleKind } from '../../rooms/battle/room.ts';
import { createBattle } from '../../rooms/battle/setup.ts';
import { decider as raidFixtureDecider, steadyContent as steadyRaidContent } from '../../rooms/raid/testing/fixtures.ts';
import type { RaidCommand, RaidEvent, RaidState } from '../../rooms/raid/index.ts';
import { raidKind, RaidRoomSetup } from '../../rooms/raid/room.ts';
import { createRaid } from '../../rooms/raid/setup.ts';
import { RitualRoomSetup, ritualKind } from '../../rooms/ritual/room.ts';
import { RoomActor } from '../../rooms/shared/actor.ts';
import type { RoomKind } from '../../events/tick/roomKind.ts';
import type { Projection } from '../../events/processor.ts';
import { readModelTable } from '../runner/tables.ts';

/** A chart whose three placements share one element, so the oracle is of that element. */
export const chartOf: Readonly<Record<Element, Chart>> = {
  fire: { sun: 'aries', moon: 'leo', rising: 'sagittarius' },
  earth: { sun: 'taurus', moon: 'virgo', rising: 'capricorn' },
  air: { sun: 'gemini', moon: 'libra', rising: 'aquarius' },
  water: { sun: 'cancer', moon: 'scorpio', rising: 'pisces' },
};

function fielded(playerId: string, element: Element | readonly Element[] = 'fire') {
  const list: readonly Element[] = typeof element === 'string' ? [element] : element;
  return list.map((e, i) => ({ oracleId: `${playerId}-o${i + 1}`, name: `${playerId} ${i + 1}`, chart: chartOf[e] }));
}

/** published: the real content (dice on); steady: no crits, no variance; crits: every hit critical. */
export type BattleDice = 'published' | 'steady' | 'crits';

export type BattlePlan = {
  battleId: string;
  /** Each player fields an oracle (`<playerId>-o1`, -o2, …) per element given (default one, of fire). */
  participants: { playerId: string; side: 'a' | 'b'; element?: Element | readonly Element[] }[];
  /** Players who cast; the rest stand idle. Default: everyone. */
  active?: readonly string[];
  /** Each of these players forfeits at the given tick. */
  forfeits?: readonly { playerId: string; atTick: number }[];
  dice?: BattleDice;
  tickLimit?: number;
};

const battleContent: Readonly<Record<BattleDice, Content | null>> = { published: null, steady: steadyBattleContent, crits: critContent };

function battleKindFor(dice: BattleDice): RoomKind<BattleState, BattleCommand, BattleEvent, BattleRoomSetup> {
  const content = battleContent[dice];
  if (!content) return battleKind;
  return {
    ...battleKind,
    decider: battleFixtureDecider,
    create(setup, room) {
      const { countdownTicks, ...rest } = setup;
      return createBattle({ ...rest, battleId: room.roomId, seed: room.seed, startTick: room.startTick + countdownTicks }, content);
    },
  };
}

type Fighter = Pick<OracleState, 'oracleId' | 'playerId' | 'hp' | 'fallen' | 'abilityIds' | 'cooldowns' | 'statuses'> & { stats: { hp: number } };

/** The casts `playerId`'s standing oracles make at `tick`: a ready ability each, aimed like a simple bot. */
function castsFor(playerId: string, tick: number, allies: readonly Fighter[], foes: readonly Fighter[], content: Content): { oracleId: string; abilityId: string; targetId: string }[] {
  const standing = (list: readonly Fighter[]) => list.filter((o) => !o.fallen);
  const weakest = (list: readonly Fighter[]) => [...standing(list)].sort((x, y) => x.hp * y.stats.hp - y.hp * x.stats.hp)[0];
  const casts: { oracleId: string; abilityId: string; targetId: string }[] = [];
  for (const caster of standing(allies).filter((o) => o.playerId === playerId)) {
    if (caster.statuses.some((s) => s.kind === 'stun')) continue;
    const ready = caster.abilityIds.filter((id) => (caster.cooldowns.find((c) => c.abilityId === id)?.readyAtTick ?? 0) <= tick);
    for (const abilityId of ready) {
      const aim = abilityById(content, abilityId)?.target ?? 'enemy';
      const target = aim === 'self' ? caster : aim === 'ally' ? weakest(allies) : weakest(foes);
      if (!target || (aim === 'ally' && target.hp === target.stats.hp)) continue;
      casts.push({ oracleId: caster.oracleId, abilityId, targetId: target.oracleId });
      break;
    }
  }
  return casts;
}

/** Plays a battle to its end (or `maxTicks`); returns its stream as stored. */
export async function playBattle(store: EventStore, plan: BattlePlan, maxTicks = 5000): Promise<RecordedEvent[]> {
  const dice = plan.dice ?? 'published';
  const kind = battleKindFor(dice);
  const setup = BattleRoomSetup.parse({
    participants: plan.participants.map((p) => ({ playerId: p.playerId, side: p.side, oracles: fielded(p.playerId, p.element) })),
    countdownTicks: 0,
    ...(plan.tickLimit === undefined ? {} : { tickLimit: plan.tickLimit }),
  });
  const actor = await RoomActor.create(kind, store, plan.battleId, setup, `seed-of-${plan.battleId}-0123456789`);
  const content = battleContent[dice] ?? loadContent();
  const active = plan.active ?? plan.participants.map((p) => p.playerId);
  while (actor.status === 'running' && actor.tick < maxTicks) {
    const tick = actor.tick + 1;
    const state = actor.state;
    for (const forfeit of plan.forfeits ?? []) {
      if (forfeit.atTick === tick) actor.enqueue({ kind: 'command', playerId: forfeit.playerId, command: { type: 'Forfeit', playerId: forfeit.playerId } });
    }
    if (tick >= state.startTick) {
      for (const playerId of active) {
        const side = state.participants.find((p) => p.playerId === playerId)?.side;
        const allies = state.oracles.filter((o) => o.side === side);
        const foes = state.oracles.filter((o) => o.side !== side);
        for (const cast of castsFor(playerId, tick, allies, foes, content)) actor.enqueue({ kind: 'command', playerId, command: { type: 'CastAbility', playerId, ...cast } });
      }
    }
    await actor.step();
  }
  return store.readStream(actor.streamId);
}

export type RaidPlan = {
  raidId: string;
  /** Each player fields an oracle per element given (default one, of fire) against the test golem (1000 HP). */
  participants: { playerId: string; element?: Element | readonly Element[] }[];
  active?: readonly string[];
  forfeits?: readonly { playerId: string; atTick: number }[];
  tickLimit?: number;
};

const golemRaidKind: RoomKind<RaidState, RaidCommand, RaidEvent, RaidRoomSetup> = {
  // The published bosses have tens of thousands of HP; the fixtures' golem falls in a minute.
  ...raidKind,
  decider: raidFixtureDecider,
  create(setup, room) {
    const { countdownTicks, tickLimit, ...rest } = setup;
    const input = { ...rest, bossId: 'golem', raidId: room.roomId, seed: room.seed, startTick: room.startTick + countdownTicks, ...(tickLimit === undefined ? {} : { tickLimit }) };
    return createRaid(raidFixtureDecider.initialState(), input, { tick: room.startTick }, steadyRaidContent);
  },
};

/** Plays a raid against the golem to its end; returns its stream as stored. */
export async function playRaid(store: EventStore, plan: RaidPlan, maxTicks = 5000): Promise<RecordedEvent[]> {
  // The room's setup schema checks the boss against published content, so it is parsed as a
  // leviathan raid and the golem is swapped in by create().
  const setup = RaidRoomSetup.parse({
    bossId: 'leviathan',
    participants: plan.participants.map((p) => ({ playerId: p.playerId, oracles: fielded(p.playerId, p.element) })),
    countdownTicks: 0,
    ...(plan.tickLimit === undefined ? {} : { tickLimit: plan.tickLimit }),
  });
  const actor = await RoomActor.create(golemRaidKind, store, plan.raidId, setup, `seed-of-${plan.raidId}-0123456789`);
  const active = plan.active ?? plan.participants.map((p) => p.playerId);
  while (actor.status === 'running' && actor.tick < maxTicks) {
    const tick = actor.tick + 1;
    const state = actor.state;
    for (const forfeit of plan.forfeits ?? []) {
      if (forfeit.atTick === tick) actor.enqueue({ kind: 'command', playerId: forfeit.playerId, command: { type: 'Forfeit', playerId: forfeit.playerId } });
    }
    if (tick >= state.startTick) {
      for (const playerId of active) {
        for (const cast of castsFor(playerId, tick, state.oracles, [state.boss], steadyRaidContent)) {
          actor.enqueue({ kind: 'command', playerId, command: { type: 'CastAbility', playerId, ...cast } });
        }
      }
    }
    await actor.step();
  }
  return store.readStream(actor.streamId);
}

export type RitualPlan = {
  ritualRoomId: string;
  ritualId: string;
  participants: string[];
  /** This player abandons at the given tick, failing the ritual. */
  abandon?: { playerId: string; atTick: number };
};

/** Performs a ritual, every rite on the centre of its window unless someone abandons; returns its stream. */
export async function playRitual(store: EventStore, plan: RitualPlan, maxTicks = 2000): Promise<RecordedEvent[]> {
  const setup = RitualRoomSetup.parse({ ritualId: plan.ritualId, participants: plan.participants, countdownTicks: 0 });
  const actor = await RoomActor.create(ritualKind, store, plan.ritualRoomId, setup, `seed-of-${plan.ritualRoomId}-0123456789`);
  while (actor.status === 'running' && actor.tick < maxTicks) {
    const tick = actor.tick + 1;
    const state = actor.state;
    if (plan.abandon?.atTick === tick) {
      actor.enqueue({ kind: 'command', playerId: plan.abandon.playerId, command: { type: 'Abandon', playerId: plan.abandon.playerId } });
    } else if (state.status === 'in_progress') {
      const step = state.definition.steps[state.step]!;
      const centre = state.anchorTick + Math.floor((step.window.earliest + step.window.latest) / 2);
      if (tick === centre) {
        const playerId = state.participants[step.seat === 'any' ? 0 : step.seat]!;
        actor.enqueue({ kind: 'command', playerId, command: { type: 'ChannelRite', playerId, rite: step.rite } });
      }
    }
    await actor.step();
  }
  return store.readStream(actor.streamId);
}

/**
 * Every row of every table of a read model, through its views, in a total order: what a
 * rebuild must reproduce exactly.
 */
export async function snapshot(db: SqlQueryable, schema: string, projection: Projection): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const key of Object.keys(projection.tables)) {
    const rows = await db.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${readModelTable(schema, projection.name, key)} t ORDER BY to_jsonb(t)::text`);
    tables[key] = rows.map((r) => r.row);
  }
  return tables;
}
