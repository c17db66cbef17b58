// The battle as clients see it: @colyseus/schema state mirrored from the rules state
// after each durable tick. Cooldowns and the seat's last command ref are tagged
// `.view()`: only the owning player's clients receive them.
import { schema, t, type SchemaType } from '@colyseus/schema';
import type { StateMirror } from '../shared/colyseusRoom.ts';
import type { BattleState } from './model.ts';
import { cooldownViewClass, mirrorOracleVitals, ownedViews, statusViewClass } from './oracleViews.ts';

export const StatusView = statusViewClass('BattleStatus');
export type StatusView = SchemaType<typeof StatusView>;

export const CooldownView = cooldownViewClass('BattleCooldown');
export type CooldownView = SchemaType<typeof CooldownView>;

export const OracleView = schema(
  {
    oracleId: t.string(),
    playerId: t.string(),
    side: t.string(),
    name: t.string(),
    element: t.string(),
    hp: t.uint32(),
    maxHp: t.uint32(),
    shield: t.uint32(),
    fallen: t.boolean(),
    abilities: t.array('string'),
    statuses: t.array(StatusView),
    cooldowns: t.array(CooldownView).view(),
  },
  'BattleOracle',
);
export type OracleView = SchemaType<typeof OracleView>;

export const SeatView = schema(
  { playerId: t.string(), side: t.string(), forfeited: t.boolean(), lastRef: t.string().view() },
  'BattleSeat',
);
export type SeatView = SchemaType<typeof SeatView>;

export const BattleView = schema(
  {
    /** running | store_unavailable | over: whether the room takes commands. */
    roomStatus: t.string().default('running'),
    tick: t.uint32(),
    /** active | ended. */
    status: t.string(),
    startTick: t.uint32(),
    lastTick: t.uint32(),
    /** a | b; empty while undecided or on a draw. */
    winnerSide: t.string(),
    endReason: t.string(),
    wagerCurrency: t.string(),
    wagerAmount: t.uint32(),
    oracles: t.map(OracleView),
    seats: t.map(SeatView),
  },
  'BattleState',
);
export type BattleView = SchemaType<typeof BattleView>;

export const battleMirror: StateMirror<BattleState, BattleView> = {
  createState: () => new BattleView(),
  mirror(view, state, room) {
    view.roomStatus = room.status;
    view.tick = room.tick;
    view.status = state.status;
    view.startTick = state.startTick;
    view.lastTick = state.startTick + state.tickLimit - 1;
    view.winnerSide = state.outcome?.winnerSide ?? '';
    view.endReason = state.outcome?.reason ?? '';
    view.wagerCurrency = state.wager?.currency ?? '';
    view.wagerAmount = state.wager?.amount ?? 0;
    for (const oracle of state.oracles) {
      let shown = view.oracles.get(oracle.oracleId);
      if (!shown) {
        shown = new OracleView();
        shown.oracleId = oracle.oracleId;
        shown.playerId = oracle.playerId;
        shown.side = oracle.side;
        shown.name = oracle.name;
        shown.element = oracle.element;
        shown.maxHp = oracle.stats.hp;
        for (const abilityId of oracle.abilityIds) shown.abilities.push(abilityId);
        view.oracles.set(oracle.oracleId, shown);
      }
      mirrorOracleVitals(shown, oracle, { status: StatusView, cooldown: CooldownView });
    }
    for (const participant of state.participants) {
      let seat = view.seats.get(participant.playerId);
      if (!seat) {
        seat = new SeatView();
        seat.playerId = participant.playerId;
        seat.side = participant.side;
        view.seats.set(participant.playerId, seat);
      }
      seat.forfeited = participant.forfeited;
      seat.lastRef = room.lastRefs.get(participant.playerId) ?? '';
    }
  },
  privateTo: (view, playerId) => ownedViews(view.oracles, view.seats, playerId),
};
