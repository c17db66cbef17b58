// The raid as clients see it: @colyseus/schema state mirrored from the rules state after
// each durable tick. The boss (HP, phase, enrage, the ability it is winding up and at whom),
// the party, each player's loot once it drops, and the outcome are public; an oracle's
// cooldowns and a seat's last command ref are tagged `.view()`, so only the owning
// player's clients receive them.
import { schema, t, type SchemaType } from '@colyseus/schema';
import { cooldownViewClass, mirrorOracleVitals, ownedViews, statusViewClass, syncCooldowns, syncStatuses } from '../battle/oracleViews.ts';
import type { StateMirror } from '../shared/colyseusRoom.ts';
import { syncStrings } from '../shared/schemaSync.ts';
import type { RaidState } from './model.ts';

export const RaidStatusView = statusViewClass('RaidStatus');
export type RaidStatusView = SchemaType<typeof RaidStatusView>;

export const RaidCooldownView = cooldownViewClass('RaidCooldown');
export type RaidCooldownView = SchemaType<typeof RaidCooldownView>;

export const RaidBossView = schema(
  {
    bossId: t.string(),
    name: t.string(),
    element: t.string(),
    hp: t.uint32(),
    maxHp: t.uint32(),
    shield: t.uint32(),
    fallen: t.boolean(),
    phaseId: t.string(),
    enraged: t.boolean(),
    /** The ability the boss is winding up; empty when it is not casting. */
    castingAbilityId: t.string(),
    /** Who it will hit (party oracle ids, or the boss's own id for a self-cast). */
    castingTargetIds: t.array('string'),
    /** The tick the cast lands at; 0 when not casting. */
    castingLandsAtTick: t.uint32(),
    statuses: t.array(RaidStatusView),
    /** Only abilities the boss has used so far; an ability with no entry is ready. */
    cooldowns: t.array(RaidCooldownView),
  },
  'RaidBoss',
);
export type RaidBossView = SchemaType<typeof RaidBossView>;

export const RaidOracleView = schema(
  {
    oracleId: t.string(),
    playerId: t.string(),
    name: t.string(),
    element: t.string(),
    hp: t.uint32(),
    maxHp: t.uint32(),
    shield: t.uint32(),
    fallen: t.boolean(),
    abilities: t.array('string'),
    statuses: t.array(RaidStatusView),
    cooldowns: t.array(RaidCooldownView).view(),
  },
  'RaidOracle',
);
export type RaidOracleView = SchemaType<typeof RaidOracleView>;

export const RaidSeatView = schema({ playerId: t.string(), forfeited: t.boolean(), lastRef: t.string().view() }, 'RaidSeat');
export type RaidSeatView = SchemaType<typeof RaidSeatView>;

export const RaidLootItemView = schema({ itemId: t.string(), quantity: t.uint16() }, 'RaidLootItem');
export type RaidLootItemView = SchemaType<typeof RaidLootItemView>;

export const RaidLootView = schema({ playerId: t.string(), items: t.array(RaidLootItemView) }, 'RaidLoot');
export type RaidLootView = SchemaType<typeof RaidLootView>;

export const RaidView = schema(
  {
    /** running | store_unavailable | over: whether the room takes commands. */
    roomStatus: t.string().default('running'),
    tick: t.uint32(),
    /** pending | active | ended. */
    status: t.string(),
    raidId: t.string(),
    /** Clients look abilities, phases and the enrage timer up in this content version. */
    contentVersion: t.string(),
    /** First tick at which commands are accepted (the countdown ends). */
    startTick: t.uint32(),
    /** The raid times out at the end of this tick. */
    lastTick: t.uint32(),
    /** victory | defeat | timeout; empty while the raid is on. */
    outcome: t.string(),
    boss: t.ref(RaidBossView),
    oracles: t.map(RaidOracleView),
    seats: t.map(RaidSeatView),
    /** By player id, once the boss has fallen: what each player who stayed to the end won. */
    loot: t.map(RaidLootView),
  },
  'RaidState',
);
export type RaidView = SchemaType<typeof RaidView>;

export const raidMirror: StateMirror<RaidState, RaidView> = {
  createState: () => new RaidView(),
  mirror(view, state, room) {
    view.roomStatus = room.status;
    view.tick = room.tick;
    view.status = state.status;
    view.raidId = state.raidId;
    view.contentVersion = state.contentVersion;
    view.startTick = state.startTick;
    view.lastTick = Math.max(0, state.startTick + state.tickLimit - 1);
    view.outcome = state.outcome ?? '';

    const boss = state.boss;
    const shownBoss = view.boss;
    shownBoss.bossId = state.bossId;
    shownBoss.name = boss.name;
    shownBoss.element = boss.element;
    shownBoss.hp = boss.hp;
    shownBoss.maxHp = boss.stats.hp;
    shownBoss.shield = boss.shield;
    shownBoss.fallen = boss.fallen;
    shownBoss.phaseId = boss.phaseId;
    shownBoss.enraged = boss.enraged;
    shownBoss.castingAbilityId = boss.casting?.abilityId ?? '';
    shownBoss.castingLandsAtTick = boss.casting?.landsAtTick ?? 0;
    syncStrings(shownBoss.castingTargetIds, boss.casting?.targetIds ?? []);
    syncStatuses(shownBoss.statuses, boss.statuses, RaidStatusView);
    syncCooldowns(shownBoss.cooldowns, boss.cooldowns, RaidCooldownView);

    for (const oracle of state.oracles) {
      let shown = view.oracles.get(oracle.oracleId);
      if (!shown) {
        shown = new RaidOracleView();
        shown.oracleId = oracle.oracleId;
        shown.playerId = oracle.playerId;
        shown.name = oracle.name;
        shown.element = oracle.element;
        shown.maxHp = oracle.stats.hp;
        for (const abilityId of oracle.abilityIds) shown.abilities.push(abilityId);
        view.oracles.set(oracle.oracleId, shown);
      }
      mirrorOracleVitals(shown, oracle, { status: RaidStatusView, cooldown: RaidCooldownView });
    }

    for (const participant of state.participants) {
      let seat = view.seats.get(participant.playerId);
      if (!seat) {
        seat = new RaidSeatView();
        seat.playerId = participant.playerId;
        view.seats.set(participant.playerId, seat);
      }
      seat.forfeited = participant.forfeited;
      seat.lastRef = room.lastRefs.get(participant.playerId) ?? '';
    }

    // Loot only ever grows (one LootDropped per player who stayed), and never changes once dropped.
    for (const drop of state.loot) {
      if (view.loot.has(drop.playerId)) continue;
      const shown = new RaidLootView();
      shown.playerId = drop.playerId;
      for (const item of drop.items) shown.items.push(new RaidLootItemView({ itemId: item.itemId, quantity: item.quantity }));
      view.loot.set(drop.playerId, shown);
    }
  },
  privateTo: (view, playerId) => ownedViews(view.oracles, view.seats, playerId),
};
