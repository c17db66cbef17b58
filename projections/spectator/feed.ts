// The spectator feed's pure fold: what a watcher sees of a battle, raid or ritual — who is
// on each side, their HP and shields, the last few things that happened, the latest
// narration and, once it is over, the result. One summary per match, folded event by event
// from the match's own stream plus its NarrationGenerated events.
//
// Pure and deterministic (no clock: times are the events' recorded times), so the read
// model (projection.ts), the spectator room and any test that folds a stream by hand all
// show exactly the same thing.
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { BattleCreated, BattleEnded, DamageDealt, HealApplied, OracleFell, PlayerForfeited, ShieldRaised, StatusApplied } from '../../rooms/battle/events.ts';
import type { BossDefeated, BossPhaseChanged, RaidCreated, RaidEnded, RaidEnraged } from '../../rooms/raid/events.ts';
import type { RitualEvent } from '../../rooms/ritual/events.ts';
import { qualityPoints } from '../../rooms/ritual/model.ts';

/** Actions kept on a summary: enough for a message, small enough for a jsonb row. */
export const LAST_ACTIONS = 5;

export const Fighter = z.object({
  id: z.string(),
  name: z.string(),
  /** The owning player; null for a raid boss. */
  playerId: z.string().nullable(),
  hp: z.int().min(0),
  maxHp: z.int().min(1),
  shield: z.int().min(0),
  fallen: z.boolean(),
});
export type Fighter = z.infer<typeof Fighter>;

export const FeedSide = z.object({
  /** `a`/`b` in battles; `party`/`boss` in raids; `circle` in rituals. */
  side: z.enum(['a', 'b', 'party', 'boss', 'circle']),
  players: z.array(z.object({ playerId: z.string(), forfeited: z.boolean() })),
  /** None in rituals. */
  fighters: z.array(Fighter),
});
export type FeedSide = z.infer<typeof FeedSide>;

export const RitualProgress = z.object({
  ritualId: z.string(),
  step: z.int().min(0),
  steps: z.int().min(1),
  mistakes: z.int().min(0),
  score: z.int().min(0),
});

export const MatchSummary = z.object({
  streamId: z.string(),
  /** The room id (the stream id without its `<kind>-` prefix): what `/watch` takes. */
  matchId: z.string(),
  kind: z.enum(['battle', 'raid', 'ritual']),
  status: z.enum(['live', 'ended']),
  tick: z.int().min(0),
  startedAt: z.string(),
  updatedAt: z.string(),
  sides: z.array(FeedSide),
  ritual: RitualProgress.nullable(),
  /** Oldest first, at most LAST_ACTIONS. */
  lastActions: z.array(z.object({ tick: z.int().min(0), text: z.string() })),
  /** The latest narration recorded for the match (NarrationGenerated), if any. */
  narration: z.string().nullable(),
  /** How it ended, in words; null while live. */
  result: z.string().nullable(),
  winner: z.string().nullable(),
  /** Bumped by every event that changed the summary: publishers skip what they already showed. */
  revision: z.int().min(0),
  /** Global position of the last event folded in. */
  position: z.int().min(0),
});
export type MatchSummary = z.infer<typeof MatchSummary>;

/** Events the feed reads: everything else leaves a summary unchanged. */
export const feedEventTypes: ReadonlySet<string> = new Set([
  'BattleCreated', 'RaidCreated', 'RitualCreated',
  'DamageDealt', 'HealApplied', 'ShieldRaised', 'StatusApplied', 'OracleFell', 'PlayerForfeited',
  'BattleEnded', 'BossPhaseChanged', 'RaidEnraged', 'BossDefeated', 'RaidEnded',
  'RiteChannelled', 'RiteMisstepped', 'RitualAbandoned', 'RitualCompleted',
  'NarrationGenerated',
]);

export const matchKinds = ['battle', 'raid', 'ritual'] as const;

/** The room stream a feed event is about: its own stream, or the one a narration narrates. */
export function feedStreamOf(event: RecordedEvent): string | null {
  if (event.type === 'NarrationGenerated') return (event.data as { roomStreamId: string | null }).roomStreamId;
  return event.streamId;
}

type RitualData<T extends RitualEvent['type']> = Extract<RitualEvent, { type: T }>['data'];

function opened(event: RecordedEvent): MatchSummary | undefined {
  const base = {
    streamId: event.streamId,
    matchId: event.streamId.slice(event.streamId.indexOf('-') + 1),
    status: 'live' as const,
    tick: event.metadata.tick ?? 0,
    startedAt: event.metadata.recordedAt,
    updatedAt: event.metadata.recordedAt,
    ritual: null,
    lastActions: [],
    narration: null,
    result: null,
    winner: null,
    revision: 1,
    position: event.position,
  };
  const fighter = (playerId: string | null, o: { oracleId: string; name: string; stats: { hp: number } }): Fighter => ({
    id: o.oracleId, name: o.name, playerId, hp: o.stats.hp, maxHp: o.stats.hp, shield: 0, fallen: false,
  });
  switch (event.type) {
    case 'BattleCreated': {
      const { participants } = event.data as BattleCreated['data'];
      const side = (s: 'a' | 'b'): FeedSide => {
        const on = participants.filter((p) => p.side === s);
        return { side: s, players: on.map((p) => ({ playerId: p.playerId, forfeited: false })), fighters: on.flatMap((p) => p.oracles.map((o) => fighter(p.playerId, o))) };
      };
      return { ...base, kind: 'battle', sides: [side('a'), side('b')] };
    }
    case 'RaidCreated': {
      const { participants, boss } = event.data as RaidCreated['data'];
      return {
        ...base,
        kind: 'raid',
        sides: [
          { side: 'party', players: participants.map((p) => ({ playerId: p.playerId, forfeited: false })), fighters: participants.flatMap((p) => p.oracles.map((o) => fighter(p.playerId, o))) },
          { side: 'boss', players: [], fighters: [fighter(null, { oracleId: boss.bossId, name: boss.name, stats: boss.stats })] },
        ],
      };
    }
    case 'RitualCreated': {
      const { participants, ritualId, definition } = event.data as RitualData<'RitualCreated'>;
      return {
        ...base,
        kind: 'ritual',
        sides: [{ side: 'circle', players: participants.map((playerId) => ({ playerId, forfeited: false })), fighters: [] }],
        ritual: { ritualId, step: 0, steps: Math.max(1, definition.steps.length), mistakes: 0, score: 0 },
      };
    }
    default:
      return undefined;
  }
}

const sideName: Readonly<Record<string, string>> = { a: 'Side A', b: 'Side B' };

/**
 * Folds one event into the summary of its match. An opening event starts a summary (and
 * `summary` is ignored); any other event of a match never seen open returns undefined.
 */
export function evolveSummary(summary: MatchSummary | undefined, event: RecordedEvent): MatchSummary | undefined {
  const fresh = opened(event);
  if (fresh) return fresh;
  if (!summary || !feedEventTypes.has(event.type)) return summary;
  // Copied (structuredClone: summaries are plain JSON), then edited in place.
  const next: MatchSummary = structuredClone(summary);
  applyInPlace(next, event);
  return next;
}

/**
 * The same step on a summary the caller owns (the read model's batch, whose summaries are
 * fresh objects): no copy per event. Returns the summary the event leaves.
 */
export function evolveOwnedSummary(summary: MatchSummary | undefined, event: RecordedEvent): MatchSummary | undefined {
  const fresh = opened(event);
  if (fresh) return fresh;
  if (!summary || !feedEventTypes.has(event.type)) return summary;
  applyInPlace(summary, event);
  return summary;
}

function applyInPlace(next: MatchSummary, event: RecordedEvent): void {
  const tick = event.type === 'NarrationGenerated' ? next.tick : (event.metadata.tick ?? next.tick);
  const fighters = next.sides.flatMap((s) => s.fighters);
  const find = (id: string) => fighters.find((f) => f.id === id);
  const nameOf = (id: string) => find(id)?.name ?? id;
  const act = (text: string) => {
    next.lastActions.push({ tick, text });
    if (next.lastActions.length > LAST_ACTIONS) next.lastActions.splice(0, next.lastActions.length - LAST_ACTIONS);
  };
  switch (event.type) {
    case 'DamageDealt': {
      const d = event.data as DamageDealt['data'];
      const target = find(d.targetId);
      if (target) Object.assign(target, { hp: d.hpAfter, shield: d.shieldAfter });
      if (d.cause.kind === 'burn') act(`${nameOf(d.targetId)} burns for ${d.amount}`);
      else act(`${nameOf(d.sourceId)} hits ${nameOf(d.targetId)} with ${d.cause.abilityId} for ${d.amount}${d.absorbed ? ` (+${d.absorbed} absorbed)` : ''}${d.cause.critical ? ' — critical!' : ''}`);
      break;
    }
    case 'HealApplied': {
      const d = event.data as HealApplied['data'];
      const target = find(d.targetId);
      if (target) target.hp = d.hpAfter;
      act(`${nameOf(d.sourceId)} heals ${nameOf(d.targetId)} for ${d.amount}`);
      break;
    }
    case 'ShieldRaised': {
      const d = event.data as ShieldRaised['data'];
      const target = find(d.targetId);
      if (target) target.shield = d.shieldAfter;
      act(`${nameOf(d.sourceId)} shields ${nameOf(d.targetId)} (${d.amount})`);
      break;
    }
    case 'StatusApplied': {
      const d = event.data as StatusApplied['data'];
      act(`${nameOf(d.targetId)} is afflicted: ${d.status.kind}`);
      break;
    }
    case 'OracleFell': {
      const d = event.data as OracleFell['data'];
      const target = find(d.oracleId);
      if (target) Object.assign(target, { hp: 0, fallen: true });
      act(d.cause === 'forfeit' ? `${nameOf(d.oracleId)} leaves the field` : `${nameOf(d.oracleId)} falls${d.byOracleId ? ` to ${nameOf(d.byOracleId)}` : ''}`);
      break;
    }
    case 'PlayerForfeited': {
      const { playerId } = event.data as PlayerForfeited['data'];
      for (const side of next.sides) for (const p of side.players) if (p.playerId === playerId) p.forfeited = true;
      act(`${playerId} forfeits`);
      break;
    }
    case 'BattleEnded': {
      const d = event.data as BattleEnded['data'];
      next.status = 'ended';
      next.winner = d.winnerSide;
      next.result = d.winnerSide === null ? `Draw (${d.reason})` : `${sideName[d.winnerSide]} wins (${d.reason})`;
      break;
    }
    case 'BossPhaseChanged': {
      const d = event.data as BossPhaseChanged['data'];
      act(`the boss enters phase ${d.toPhaseId} at ${d.hpPercent}%`);
      break;
    }
    case 'RaidEnraged':
      act(`the boss is enraged (${(event.data as RaidEnraged['data']).attackPercent}% attack)`);
      break;
    case 'BossDefeated': {
      const d = event.data as BossDefeated['data'];
      act(`${nameOf(d.bossId)} is defeated by ${nameOf(d.byOracleId)}`);
      break;
    }
    case 'RaidEnded': {
      const d = event.data as RaidEnded['data'];
      next.status = 'ended';
      next.winner = d.outcome === 'victory' ? 'party' : 'boss';
      next.result = d.outcome === 'victory' ? 'Victory: the boss is down' : d.outcome === 'defeat' ? `Defeat: the boss stands at ${d.bossHpPercent}%` : `Time ran out with the boss at ${d.bossHpPercent}%`;
      break;
    }
    case 'RiteChannelled': {
      const d = event.data as RitualData<'RiteChannelled'>;
      if (next.ritual) Object.assign(next.ritual, { step: d.step + 1, score: next.ritual.score + qualityPoints[d.quality] });
      act(`${d.player} channels ${d.rite} (${d.quality})`);
      break;
    }
    case 'RiteMisstepped': {
      const d = event.data as RitualData<'RiteMisstepped'>;
      if (next.ritual) next.ritual.mistakes += 1;
      act(`misstep: ${d.reason.replaceAll('_', ' ')}${d.player ? ` by ${d.player}` : ''}`);
      break;
    }
    case 'RitualAbandoned': {
      const d = event.data as RitualData<'RitualAbandoned'>;
      for (const p of next.sides[0]?.players ?? []) if (p.playerId === d.player) p.forfeited = true;
      act(`${d.player} abandons the ritual`);
      break;
    }
    case 'RitualCompleted': {
      const d = event.data as RitualData<'RitualCompleted'>;
      next.status = 'ended';
      next.winner = d.outcome;
      if (next.ritual) next.ritual.score = d.score;
      next.result = d.outcome === 'success' ? `Success — score ${d.score}${d.omen === 'none' ? '' : `, omen ${d.omen}`}` : `Failed (${d.reason.replaceAll('_', ' ')})`;
      break;
    }
    case 'NarrationGenerated':
      next.narration = (event.data as { text: string }).text;
      break;
  }
  next.tick = tick;
  next.updatedAt = event.metadata.recordedAt;
  next.revision += 1;
  next.position = event.position;
}

/** Folds events (in order) from `summary` on: what a reader without the read model uses. */
export function foldSummary(events: readonly RecordedEvent[], summary?: MatchSummary): MatchSummary | undefined {
  return events.reduce<MatchSummary | undefined>(evolveSummary, summary);
}
