// Which room events are worth the oracle's voice, and the facts a narration is written
// from. Pure: the same events in the same order always give the same moments, so a test
// (or a second narrator) can say exactly which narrations a stream should end up with.
//
// - battles: a critical finishing blow, an oracle falling (unless that same blow was just
//   narrated as a critical finish), the battle's end;
// - raids: the boss changing phase, the enrage, the boss defeated, the raid's end;
// - rituals: the completion, with its omen;
// - codex: an entry unlocked by a single event (a ritual's unlocks, a first win, a draw, a
//   raid victory, an element fielded, a critical hit, a critical finish or a boss slain)
//   gets its lore written once. Entries that need counting (the tenth win, a flawless
//   victory) are the codex projection's to judge; it asks for their lore through
//   `CodexLore.ensure` (reactor.ts).
import type { EventOf } from '../../events/catalog.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { BattleCreated, BattleEnded, DamageDealt, OracleFell } from '../../rooms/battle/events.ts';
import type { Codex, CodexEntry } from '../../events/content/codex.ts';
import type { BossDefeated, BossPhaseChanged, RaidCreated, RaidEnded, RaidEnraged } from '../../rooms/raid/events.ts';
import type { RitualCreated, RitualCompletedData } from '../../rooms/ritual/events.ts';
import { loreEventId, loreStreamOf, narrationEventId, narrationStreamOf, type NarrationKind, type NarrationUse } from './events.ts';

export type Who = { name: string; element: string };

/** What a narration is written from: by the model (as JSON in the prompt) or by the offline templates. */
export type Facts =
  | { kind: 'critical_finish'; striker: Who; fallen: Who; damage: number }
  | { kind: 'oracle_fell'; fallen: Who; by: Who | null; cause: 'damage' | 'burn' | 'forfeit' }
  | { kind: 'battle_ended'; draw: boolean; winners: string[]; losers: string[]; reason: 'defeat' | 'tick_limit' | 'forfeit'; winnerHpPercent: number }
  | { kind: 'boss_phase'; boss: string; fromPhase: string; toPhase: string; bossHpPercent: number; attackPercent: number }
  | { kind: 'raid_enraged'; boss: string; attackPercent: number }
  | { kind: 'boss_defeated'; boss: string; by: Who; cause: 'damage' | 'burn' }
  | { kind: 'raid_ended'; boss: string; outcome: 'victory' | 'defeat' | 'timeout'; bossHpPercent: number; enraged: boolean; party: string[] }
  | { kind: 'ritual_completed'; ritual: string; outcome: 'success' | 'failure'; reason: string; omen: 'favourable' | 'silent' | 'none'; score: number; celebrants: number }
  | { kind: 'codex_entry'; title: string; category: string; canon: string }
  | { kind: 'chapter_completed'; chapter: string; summary: string; next: string | null };

/** One narration to produce and record. */
export type Moment = {
  /** The NarrationGenerated event id (deterministic). */
  id: string;
  /** The narration stream it is appended to. */
  streamId: string;
  use: NarrationUse;
  facts: Facts;
  roomStreamId: string | null;
  sourceEventId: string | null;
  sourceEventType: string | null;
  codexEntryId: string | null;
  tick: number | undefined;
  /** The players the moment is about: each one's narration rate limit applies. */
  players: string[];
};

export const useOf: Readonly<Record<NarrationKind, NarrationUse>> = {
  critical_finish: 'battle_highlight',
  oracle_fell: 'battle_highlight',
  battle_ended: 'battle_highlight',
  boss_phase: 'raid_phase',
  raid_enraged: 'raid_phase',
  boss_defeated: 'raid_phase',
  raid_ended: 'raid_phase',
  ritual_completed: 'ritual_omen',
  codex_entry: 'codex_lore',
  chapter_completed: 'story_chapter',
};

type Combatant = Who & { oracleId: string; playerId: string; side: string };

/** What a room's creation event says about who is in it: names for the narration. */
export type RoomContext =
  | { kind: 'battle'; combatants: Combatant[]; players: string[] }
  | { kind: 'raid'; combatants: Combatant[]; players: string[]; boss: Who & { bossId: string } }
  | { kind: 'ritual'; ritual: string; players: string[] };

export const creationEventTypes: ReadonlySet<string> = new Set(['BattleCreated', 'RaidCreated', 'RitualCreated']);

/** Every event type the narrator reads: creation events (for names) and the ones it may narrate. */
export const narratedEventTypes: ReadonlySet<string> = new Set([
  ...creationEventTypes,
  'DamageDealt', 'OracleFell', 'BattleEnded',
  'BossPhaseChanged', 'RaidEnraged', 'BossDefeated', 'RaidEnded',
  'RitualCompleted',
]);

export function contextOf(creation: RecordedEvent): RoomContext | null {
  switch (creation.type) {
    case 'BattleCreated': {
      const data = creation.data as BattleCreated['data'];
      return {
        kind: 'battle',
        players: data.participants.map((p) => p.playerId),
        combatants: data.participants.flatMap((p) => p.oracles.map((o) => ({ oracleId: o.oracleId, name: o.name, element: o.element, playerId: p.playerId, side: p.side }))),
      };
    }
    case 'RaidCreated': {
      const data = creation.data as RaidCreated['data'];
      return {
        kind: 'raid',
        players: data.participants.map((p) => p.playerId),
        combatants: data.participants.flatMap((p) => p.oracles.map((o) => ({ oracleId: o.oracleId, name: o.name, element: o.element, playerId: p.playerId, side: 'a' }))),
        boss: { bossId: data.boss.bossId, name: data.boss.name, element: data.boss.element },
      };
    }
    case 'RitualCreated': {
      const data = creation.data as EventOf<typeof RitualCreated>['data'];
      return { kind: 'ritual', ritual: data.definition.name, players: [...data.participants] };
    }
    default:
      return null;
  }
}

/** `tide-rising` → `tide rising`. */
const words = (id: string) => id.replace(/[-_/]+/g, ' ');

/**
 * Turns a room's events, in stream order, into moments. Holds one thing per room between
 * calls: the critical finishing blow just narrated, so the fall it caused is not told twice.
 */
export class MomentSelector {
  readonly #lastCriticalFinish = new Map<string, string>();

  /** `context` is the room's (from its creation event); null when the stream is no room's. */
  select(event: RecordedEvent, context: RoomContext | null): Moment[] {
    if (!context) return [];
    const moment = (facts: Facts, players: string[]): Moment => {
      const use = useOf[facts.kind];
      return {
        id: narrationEventId(use, event.id),
        streamId: narrationStreamOf(event.streamId),
        use,
        facts,
        roomStreamId: event.streamId,
        sourceEventId: event.id,
        sourceEventType: event.type,
        codexEntryId: null,
        tick: event.metadata.tick,
        players,
      };
    };
    if (context.kind === 'battle') return this.#battle(event, context, moment);
    if (context.kind === 'raid') return raid(event, context, moment);
    if (event.type !== 'RitualCompleted') return [];
    const data = event.data as RitualCompletedData;
    return [moment({ kind: 'ritual_completed', ritual: context.ritual, outcome: data.outcome, reason: words(data.reason), omen: data.omen, score: data.score, celebrants: context.players.length }, context.players)];
  }

  #battle(event: RecordedEvent, context: Extract<RoomContext, { kind: 'battle' }>, moment: (facts: Facts, players: string[]) => Moment): Moment[] {
    const find = (oracleId: string | null) => (oracleId === null ? undefined : context.combatants.find((c) => c.oracleId === oracleId));
    const who = (c: Combatant): Who => ({ name: c.name, element: c.element });
    const tick = event.metadata.tick ?? 0;
    switch (event.type) {
      case 'DamageDealt': {
        const data = event.data as DamageDealt['data'];
        if (data.cause.kind !== 'ability' || !data.cause.critical || data.hpAfter !== 0) return [];
        const striker = find(data.sourceId);
        const fallen = find(data.targetId);
        if (!striker || !fallen) return [];
        this.#lastCriticalFinish.set(event.streamId, `${tick}:${data.targetId}`);
        return [moment({ kind: 'critical_finish', striker: who(striker), fallen: who(fallen), damage: data.amount }, [striker.playerId, fallen.playerId])];
      }
      case 'OracleFell': {
        const data = event.data as OracleFell['data'];
        if (data.cause === 'damage' && this.#lastCriticalFinish.get(event.streamId) === `${tick}:${data.oracleId}`) return [];
        const fallen = find(data.oracleId);
        if (!fallen) return [];
        const by = find(data.byOracleId);
        return [moment({ kind: 'oracle_fell', fallen: who(fallen), by: by ? who(by) : null, cause: data.cause }, by ? [by.playerId, fallen.playerId] : [fallen.playerId])];
      }
      case 'BattleEnded': {
        const data = event.data as BattleEnded['data'];
        this.#lastCriticalFinish.delete(event.streamId);
        const names = (side: string) => context.combatants.filter((c) => c.side === side).map((c) => c.name);
        const winner = data.winnerSide;
        const loser = winner === 'a' ? 'b' : 'a';
        return [moment({
          kind: 'battle_ended',
          draw: winner === null,
          winners: winner === null ? names('a') : names(winner),
          losers: names(winner === null ? 'b' : loser),
          reason: data.reason,
          winnerHpPercent: data.sides.find((s) => s.side === (winner ?? 'a'))?.hpPercent ?? 0,
        }, context.players)];
      }
      default:
        return [];
    }
  }
}

function raid(event: RecordedEvent, context: Extract<RoomContext, { kind: 'raid' }>, moment: (facts: Facts, players: string[]) => Moment): Moment[] {
  const boss = context.boss.name;
  switch (event.type) {
    case 'BossPhaseChanged': {
      const data = event.data as BossPhaseChanged['data'];
      return [moment({ kind: 'boss_phase', boss, fromPhase: words(data.fromPhaseId), toPhase: words(data.toPhaseId), bossHpPercent: data.hpPercent, attackPercent: data.attackPercent }, context.players)];
    }
    case 'RaidEnraged': {
      const data = event.data as RaidEnraged['data'];
      return [moment({ kind: 'raid_enraged', boss, attackPercent: data.attackPercent }, context.players)];
    }
    case 'BossDefeated': {
      const data = event.data as BossDefeated['data'];
      const by = context.combatants.find((c) => c.oracleId === data.byOracleId);
      if (!by) return [];
      return [moment({ kind: 'boss_defeated', boss, by: { name: by.name, element: by.element }, cause: data.cause }, [by.playerId])];
    }
    case 'RaidEnded': {
      const data = event.data as RaidEnded['data'];
      return [moment({ kind: 'raid_ended', boss, outcome: data.outcome, bossHpPercent: data.bossHpPercent, enraged: data.enraged, party: context.combatants.map((c) => c.name) }, context.players)];
    }
    default:
      return [];
  }
}

/** The lore moment of a codex entry (written once, whatever unlocked it). */
export function loreMoment(entry: CodexEntry, source: RecordedEvent | null, players: string[]): Moment {
  return {
    id: loreEventId(entry.id),
    streamId: loreStreamOf(entry.id),
    use: 'codex_lore',
    facts: { kind: 'codex_entry', title: entry.title, category: entry.category, canon: entry.lore },
    roomStreamId: null,
    sourceEventId: source?.id ?? null,
    sourceEventType: source?.type ?? null,
    codexEntryId: entry.id,
    tick: undefined,
    players,
  };
}

/** Codex entries a single event unlocks for someone (see the file comment for what is left to the codex projection). */
export function codexUnlocks(event: RecordedEvent, context: RoomContext | null, codex: Codex): { entry: CodexEntry; players: string[] }[] {
  if (!context) return [];
  const matching = (test: (entry: CodexEntry) => boolean, players: string[]) =>
    players.length === 0 ? [] : codex.entries.filter(test).map((entry) => ({ entry, players }));
  switch (event.type) {
    case 'RitualCompleted': {
      const data = event.data as RitualCompletedData;
      if (data.outcome !== 'success') return [];
      return matching((e) => e.unlock.kind === 'ritual' && data.unlocks.codexEntries.includes(e.id), context.players);
    }
    case 'BattleCreated':
    case 'RaidCreated': {
      if (context.kind === 'ritual') return [];
      return codex.entries.flatMap((entry) => {
        const { unlock } = entry;
        if (unlock.kind !== 'oracle_fielded') return [];
        const players = [...new Set(context.combatants.filter((c) => c.element === unlock.element).map((c) => c.playerId))];
        return players.length > 0 ? [{ entry, players }] : [];
      });
    }
    case 'DamageDealt': {
      if (context.kind === 'ritual') return [];
      const data = event.data as DamageDealt['data'];
      const striker = context.combatants.find((c) => c.oracleId === data.sourceId);
      if (data.cause.kind !== 'ability' || !data.cause.critical || !striker) return [];
      const finishing = data.hpAfter === 0;
      return matching((e) => e.unlock.kind === 'critical_hit' || (finishing && e.unlock.kind === 'deed' && e.unlock.deed === 'critical_finishing_blow'), [striker.playerId]);
    }
    case 'BattleEnded': {
      if (context.kind !== 'battle') return [];
      const data = event.data as BattleEnded['data'];
      const on = (side: string) => [...new Set(context.combatants.filter((c) => c.side === side).map((c) => c.playerId))];
      if (data.winnerSide === null) return matching((e) => e.unlock.kind === 'battle_drawn', context.players);
      return matching((e) => e.unlock.kind === 'battles_won' && e.unlock.atLeast === 1, on(data.winnerSide));
    }
    case 'BossDefeated': {
      if (context.kind !== 'raid') return [];
      const data = event.data as BossDefeated['data'];
      const by = context.combatants.find((c) => c.oracleId === data.byOracleId);
      return by ? matching((e) => e.unlock.kind === 'deed' && e.unlock.deed === 'boss_slain', [by.playerId]) : [];
    }
    case 'RaidEnded': {
      if (context.kind !== 'raid') return [];
      const data = event.data as RaidEnded['data'];
      if (data.outcome !== 'victory') return [];
      const bossId = context.boss.bossId;
      return matching((e) => (e.unlock.kind === 'raid_victory' && (e.unlock.bossId === undefined || e.unlock.bossId === bossId))
        || (e.unlock.kind === 'raids_won' && e.unlock.atLeast === 1), context.players);
    }
    default:
      return [];
  }
}

/**
 * Every moment a room stream (read whole, in order) should end up narrated with, lore
 * included (once per entry): what the reactor records for it, whatever its batches were.
 */
export function plannedMoments(events: readonly RecordedEvent[], codex: Codex): Moment[] {
  const selector = new MomentSelector();
  const moments: Moment[] = [];
  const lore = new Set<string>();
  let context: RoomContext | null = null;
  for (const event of events) {
    if (creationEventTypes.has(event.type)) context = contextOf(event);
    moments.push(...selector.select(event, context));
    for (const { entry, players } of codexUnlocks(event, context, codex)) {
      if (lore.has(entry.id)) continue;
      lore.add(entry.id);
      moments.push(loreMoment(entry, event, players));
    }
  }
  return moments;
}
