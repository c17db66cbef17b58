// Plays rooms by their rules, without a network, and records them in a store exactly as a
// room would (creation event at tick 0, then each tick's batch with its tick): the streams
// that audit tests, read-model tests and the benchmarks use. Players are simple
// deterministic policies over the rules state, so a played stream is reproducible.
import { uuidv7 } from '../../events/ids.ts';
import type { NewEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';
import type { BattleRoomSetup } from '../../rooms/battle/room.ts';
import type { BattleState } from '../../rooms/battle/model.ts';
import { abilityById, contentByVersion, type Ability } from '../../events/content/index.ts';
import type { OracleState } from '../../rooms/battle/model.ts';
import type { RaidRoomSetup } from '../../rooms/raid/room.ts';
import type { RaidState } from '../../rooms/raid/index.ts';
import type { RitualState } from '../../rooms/ritual/model.ts';
import type { RitualRoomSetup } from '../../rooms/ritual/room.ts';
import type { KindCommand, KindEvent, RoomKind } from '../../events/tick/roomKind.ts';
import { runTick, type TickInput } from '../../events/tick/tickCore.ts';

/** What the players send in a tick, given the state the tick starts from. */
export type Policy<S, C> = (state: S, tick: number) => TickInput<C>[];

export type SimulatedRoom<S> = {
  streamId: string;
  /** The stream as a room appends it: creation events, then each tick's batch. */
  events: NewEvent[];
  state: S;
  lastTick: number;
};

/** Plays a room to its end (or `maxTicks`) and returns the stream it would append. */
export function simulateRoom<S, C extends KindCommand, E extends KindEvent, Setup>(
  kind: RoomKind<S, C, E, Setup>,
  room: { roomId: string; setup: Setup; seed: string; streamId?: string },
  policy: Policy<S, C>,
  options: { maxTicks?: number } = {},
): SimulatedRoom<S> {
  const decision = kind.create(room.setup, { roomId: room.roomId, seed: room.seed, startTick: 1 });
  if (!decision.ok) throw new Error(`${decision.refusal.code}: ${decision.refusal.message}`);
  const events: NewEvent[] = decision.events.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata: { tick: 0, actor: 'room' } }));
  let state = decision.events.reduce(kind.decider.evolve, kind.decider.initialState());
  const maxTicks = options.maxTicks ?? 100_000;
  let tick = 0;
  while (!kind.isOver(state) && tick < maxTicks) {
    tick++;
    const result = runTick(kind.decider, state, tick, policy(state, tick), { hashEvery: kind.hashEvery });
    for (const event of result.events) events.push({ id: uuidv7(), type: event.type, data: event.data, metadata: event.metadata });
    state = result.state;
  }
  return { streamId: room.streamId ?? `${kind.name}-${room.roomId}`, events, state, lastTick: tick };
}

/** The stream's appends, `ticksPerAppend` ticks each (a live room appends one tick at a time); creation goes alone. */
export function batchesOf(simulated: SimulatedRoom<unknown>, ticksPerAppend = 1): NewEvent[][] {
  const batches: NewEvent[][] = [];
  let batch: NewEvent[] = [];
  let batchStartTick = 0;
  for (const event of simulated.events) {
    const tick = event.metadata?.tick ?? 0;
    const due = batch.length > 0 && ((batchStartTick === 0) !== (tick === 0) || tick - batchStartTick >= ticksPerAppend);
    if (due) {
      batches.push(batch);
      batch = [];
    }
    if (batch.length === 0) batchStartTick = tick;
    batch.push(event);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Appends a simulated stream as `batchesOf` cuts it; returns the stream's last version. */
export async function recordRoom(store: Pick<EventStore, 'append'>, simulated: SimulatedRoom<unknown>, ticksPerAppend = 1): Promise<number> {
  let expected: number | 'no_stream' = 'no_stream';
  for (const batch of batchesOf(simulated, ticksPerAppend)) {
    expected = (await store.append(simulated.streamId, expected, batch)).nextExpectedVersion;
  }
  return expected === 'no_stream' ? -1 : expected;
}

// ---------------------------------------------------------------- line-ups

const charts = [
  { sun: 'aries', moon: 'leo', rising: 'sagittarius' },
  { sun: 'cancer', moon: 'pisces', rising: 'virgo' },
  { sun: 'gemini', moon: 'taurus', rising: 'libra' },
  { sun: 'capricorn', moon: 'aquarius', rising: 'scorpio' },
  { sun: 'leo', moon: 'cancer', rising: 'aries' },
  { sun: 'virgo', moon: 'libra', rising: 'pisces' },
] as const;

const fielded = (playerId: string, count: number, offset: number) =>
  Array.from({ length: count }, (_, i) => ({ oracleId: `${playerId}-o${i + 1}`, name: `Oracle ${i + 1}`, chart: charts[(offset + i) % charts.length]! }));

/** Two players, `oracles` each, on opposite sides. */
export function battleSetup(players: readonly [string, string], options: { oracles?: number; tickLimit?: number; countdownTicks?: number } = {}): BattleRoomSetup {
  const count = options.oracles ?? 1;
  return {
    participants: players.map((playerId, i) => ({ playerId, side: i === 0 ? 'a' : 'b', oracles: fielded(playerId, count, i * 3) })),
    countdownTicks: options.countdownTicks ?? 0,
    ...(options.tickLimit === undefined ? {} : { tickLimit: options.tickLimit }),
  } as BattleRoomSetup;
}

export function raidSetup(players: readonly string[], options: { bossId?: string; oracles?: number; tickLimit?: number } = {}): RaidRoomSetup {
  return {
    bossId: options.bossId ?? 'leviathan',
    participants: players.map((playerId, i) => ({ playerId, oracles: fielded(playerId, options.oracles ?? 1, i) })),
    countdownTicks: 0,
    ...(options.tickLimit === undefined ? {} : { tickLimit: options.tickLimit }),
  } as RaidRoomSetup;
}

export function ritualSetup(players: readonly string[], ritualId = 'anointing-of-the-dawn'): RitualRoomSetup {
  return { ritualId, participants: [...players], countdownTicks: 0 };
}

// ---------------------------------------------------------------- players

type CastCommand = { type: 'CastAbility'; playerId: string; oracleId: string; abilityId: string; targetId: string };

export type CastingOptions = {
  /** Each player acts once every this many ticks (20 = once a second at 20 Hz). */
  everyTicks?: number;
  /** Every this many actions a player re-sends a cast still on cooldown (a refusal), as impatient humans do; 0 never. */
  spamEvery?: number;
  /** Heal or shield an ally below this HP percent before attacking. */
  healBelowPercent?: number;
};

const isHelp = (ability: Ability) => ability.target === 'ally' || ability.target === 'self';

function readyAbilities(caster: OracleState, tick: number, startTick: number): string[] {
  return caster.abilityIds.filter((id) => (caster.cooldowns.find((c) => c.abilityId === id)?.readyAtTick ?? startTick) <= tick);
}

/**
 * A caster's pick (its oracles take turns): help the most wounded ally when one is below the
 * threshold, otherwise strike with a ready harmful ability, in rotation. `enemyOf` names who
 * harm goes to. On a spamming turn it picks only abilities still on cooldown (a refusal).
 */
function pickCast(
  state: { contentVersion: string; startTick: number; oracles: OracleState[] },
  playerId: string,
  turn: number,
  tick: number,
  options: CastingOptions,
  enemyOf: (caster: OracleState) => string | undefined,
): CastCommand | undefined {
  const content = contentByVersion(state.contentVersion);
  const mine = state.oracles.filter((o) => o.playerId === playerId && !o.fallen && !o.statuses.some((s) => s.kind === 'stun'));
  const caster = mine[turn % Math.max(1, mine.length)];
  if (!caster) return undefined;
  const spam = options.spamEvery !== undefined && options.spamEvery > 0 && turn % options.spamEvery === options.spamEvery - 1;
  const ready = spam ? caster.abilityIds.filter((id) => !readyAbilities(caster, tick, state.startTick).includes(id)) : readyAbilities(caster, tick, state.startTick);
  const abilities = ready.map((id) => abilityById(content, id)).filter((a): a is Ability => a !== undefined);
  const allies = state.oracles.filter((o) => !o.fallen && o.side === caster.side).sort((a, b) => a.hp * b.stats.hp - b.hp * a.stats.hp);
  const wounded = allies[0] && allies[0].hp * 100 < allies[0].stats.hp * (options.healBelowPercent ?? 60) ? allies[0] : undefined;
  const help = abilities.find((a) => isHelp(a) && (a.target === 'self' ? wounded?.oracleId === caster.oracleId : wounded !== undefined));
  if (help) return { type: 'CastAbility', playerId, oracleId: caster.oracleId, abilityId: help.id, targetId: help.target === 'self' ? caster.oracleId : wounded!.oracleId };
  const harmful = abilities.filter((a) => !isHelp(a));
  const harm = harmful[turn % Math.max(1, harmful.length)];
  const target = harm && enemyOf(caster);
  if (harm && target) return { type: 'CastAbility', playerId, oracleId: caster.oracleId, abilityId: harm.id, targetId: target };
  return undefined;
}

/** Battle players: each acts every `everyTicks`, players staggered so they do not all act in one tick. */
export function battlePlayers(options: CastingOptions = {}): Policy<BattleState, CastCommand> {
  const every = options.everyTicks ?? 20;
  return (state, tick) => {
    if (state.status !== 'active' || tick < state.startTick) return [];
    const inputs: TickInput<CastCommand>[] = [];
    state.participants.forEach((participant, i) => {
      if (participant.forfeited || (tick + i * 7) % every !== 0) return;
      const turn = Math.floor(tick / every);
      const cast = pickCast(state, participant.playerId, turn, tick, options, (caster) =>
        state.oracles.filter((o) => !o.fallen && o.side !== caster.side).sort((a, b) => a.hp - b.hp)[0]?.oracleId);
      if (cast) inputs.push({ kind: 'command', playerId: participant.playerId, command: cast, ref: `${participant.playerId}:${turn}` });
    });
    return inputs;
  };
}

/** Raid players: harm goes to the boss, help to the most wounded party oracle. */
export function raidPlayers(options: CastingOptions = {}): Policy<RaidState, CastCommand> {
  const every = options.everyTicks ?? 20;
  return (state, tick) => {
    if (state.status !== 'active' || tick < state.startTick) return [];
    const inputs: TickInput<CastCommand>[] = [];
    state.participants.forEach((participant, i) => {
      if (participant.forfeited || (tick + i * 7) % every !== 0) return;
      const turn = Math.floor(tick / every);
      const cast = pickCast(state, participant.playerId, turn, tick, options, () => (state.boss.fallen ? undefined : state.boss.oracleId));
      if (cast) inputs.push({ kind: 'command', playerId: participant.playerId, command: cast, ref: `${participant.playerId}:${turn}` });
    });
    return inputs;
  };
}

type RitualCommandShape = { type: 'ChannelRite'; playerId: string; rite: 'invoke' | 'offer' | 'chant' | 'seal' };

/**
 * Ritual players: whoever the step wants channels its rite at the middle of its window.
 * With `slipEvery`, every n-th step is first channelled with the wrong rite, a tick early
 * (while the ritual can afford the misstep).
 */
export function ritualPlayers(options: { slipEvery?: number } = {}): Policy<RitualState, RitualCommandShape> {
  const slipEvery = options.slipEvery ?? 0;
  return (state, tick) => {
    if (state.status !== 'in_progress') return [];
    const step = state.definition.steps[state.step];
    if (!step) return [];
    const perfect = state.anchorTick + Math.floor((step.window.earliest + step.window.latest) / 2);
    const playerId = state.participants[step.seat === 'any' ? 0 : step.seat]!;
    const slips = slipEvery > 0 && state.step % slipEvery === slipEvery - 1 && state.mistakes < state.definition.allowedMistakes;
    if (slips && tick === perfect - 1) return [{ kind: 'command', playerId, command: { type: 'ChannelRite', playerId, rite: step.rite === 'seal' ? 'invoke' : 'seal' } }];
    if (tick !== perfect) return [];
    return [{ kind: 'command', playerId, command: { type: 'ChannelRite', playerId, rite: step.rite } }];
  };
}
