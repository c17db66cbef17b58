// How clients see battle's oracle model, for every kind that fights with it (battle, raid):
// the schema shapes of a status and a cooldown, the part of an oracle's view that changes
// during play, and what only the owning player receives. Each kind registers its own
// classes under its own schema names (BattleStatus, RaidStatus, ...) from the one field
// list here, so clients that know a kind's names keep working and the wire shape is
// written down once.
import { schema, t, type Schema, type SchemaType } from '@colyseus/schema';
import { syncList, type SchemaList } from '../shared/schemaSync.ts';
import type { OracleState } from './model.ts';

/** A status class for a kind's schema; `name` is the kind's schema name for it. */
export function statusViewClass(name: string) {
  return schema({ kind: t.string(), expiresAtTick: t.uint32() }, name);
}
export type StatusViewClass = ReturnType<typeof statusViewClass>;

/** A cooldown class for a kind's schema; `name` is the kind's schema name for it. */
export function cooldownViewClass(name: string) {
  return schema({ abilityId: t.string(), readyAtTick: t.uint32() }, name);
}
export type CooldownViewClass = ReturnType<typeof cooldownViewClass>;

export function syncStatuses(target: SchemaList<SchemaType<StatusViewClass>>, statuses: OracleState['statuses'], View: StatusViewClass): void {
  syncList(target, statuses, (s) => new View({ kind: s.kind, expiresAtTick: s.expiresAtTick }), (v, s) => {
    v.kind = s.kind;
    v.expiresAtTick = s.expiresAtTick;
  });
}

export function syncCooldowns(target: SchemaList<SchemaType<CooldownViewClass>>, cooldowns: OracleState['cooldowns'], View: CooldownViewClass): void {
  syncList(target, cooldowns, (c) => new View({ abilityId: c.abilityId, readyAtTick: c.readyAtTick }), (v, c) => {
    v.abilityId = c.abilityId;
    v.readyAtTick = c.readyAtTick;
  });
}

type OracleViewVitals = {
  hp: number;
  shield: number;
  fallen: boolean;
  statuses: SchemaList<SchemaType<StatusViewClass>>;
  cooldowns: SchemaList<SchemaType<CooldownViewClass>>;
};

/** Mirrors what changes about an oracle during play (its identity is written once, when its view is made). */
export function mirrorOracleVitals(
  shown: OracleViewVitals,
  oracle: OracleState,
  views: { readonly status: StatusViewClass; readonly cooldown: CooldownViewClass },
): void {
  shown.hp = oracle.hp;
  shown.shield = oracle.shield;
  shown.fallen = oracle.fallen;
  syncStatuses(shown.statuses, oracle.statuses, views.status);
  syncCooldowns(shown.cooldowns, oracle.cooldowns, views.cooldown);
}

/** The views only this player's clients receive: their oracles (cooldowns), then their seat (last command ref). */
export function ownedViews<O extends Schema & { playerId: string }, S extends Schema>(
  oracles: { forEach(each: (oracle: O) => void): void },
  seats: { get(playerId: string): S | undefined },
  playerId: string,
): Array<O | S> {
  const mine: Array<O | S> = [];
  oracles.forEach((oracle) => {
    if (oracle.playerId === playerId) mine.push(oracle);
  });
  const seat = seats.get(playerId);
  if (seat) mine.push(seat);
  return mine;
}
