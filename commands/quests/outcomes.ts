// What the quest log reads of the rooms' events: a tolerant reader's view of them (the rooms
// own and define them; commands never import rooms), turned into facts per player in the
// vocabulary of quest objectives. progress.test.ts holds these views to the rooms' events.
import { z } from 'zod';
import type { RecordedEvent } from '../../events/envelope.ts';
import { PlayerId } from '../../events/players.ts';
import type { Fact } from './model.ts';

const Element = z.enum(['fire', 'earth', 'air', 'water']);
const BattleLineUp = z.object({ participants: z.array(z.object({ playerId: PlayerId, side: z.string(), oracles: z.array(z.object({ element: Element })) })) });
const BattleResult = z.object({ winnerSide: z.string().nullable() });
const RitualLineUp = z.object({ ritualId: z.string(), participants: z.array(PlayerId) });
const RitualResult = z.object({ outcome: z.string(), unlocks: z.object({ codexEntries: z.array(z.string()) }) });
const RaidLineUp = z.object({ boss: z.object({ bossId: z.string() }), participants: z.array(z.object({ playerId: PlayerId })) });
const RaidResult = z.object({ outcome: z.string(), phaseId: z.string() });
const Forfeit = z.object({ playerId: PlayerId });
const Abandon = z.object({ player: PlayerId });
const Channel = z.object({ quality: z.string() });
const Claimed = z.object({ playerId: PlayerId, rewards: z.object({ codexEntries: z.array(z.string()) }) });

/** The event types progress is read from, and the stream events each needs besides itself. */
export const sourceTypes = {
  battleEnded: 'BattleEnded',
  ritualCompleted: 'RitualCompleted',
  raidEnded: 'RaidEnded',
  questRewardClaimed: 'QuestRewardClaimed',
} as const;
export const progressSourceTypes: ReadonlySet<string> = new Set(Object.values(sourceTypes));

export type PlayerFacts = { playerId: string; facts: Fact[] };

function read<T>(view: z.ZodType<T>, event: Pick<RecordedEvent, 'type' | 'streamId' | 'version' | 'data'>): T {
  const parsed = view.safeParse(event.data);
  if (!parsed.success) throw new Error(`quest progress cannot read ${event.type} at ${event.streamId}@${event.version}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Who left the match before its end (forfeits, abandoned rituals): they earn nothing from it. */
function leavers(stream: readonly RecordedEvent[]): Set<string> {
  const left = new Set<string>();
  for (const e of stream) {
    if (e.type === 'PlayerForfeited') left.add(read(Forfeit, e).playerId);
    if (e.type === 'RitualAbandoned') left.add(read(Abandon, e).player);
  }
  return left;
}

/**
 * The facts `event` records, per player. `stream` is the event's own stream up to it (the
 * creation event first) for a room's end; unused otherwise.
 */
export function factsOf(event: RecordedEvent, stream: readonly RecordedEvent[]): PlayerFacts[] {
  switch (event.type) {
    case sourceTypes.battleEnded: {
      const { winnerSide } = read(BattleResult, event);
      const left = leavers(stream);
      return read(BattleLineUp, stream[0]!).participants.filter((p) => !left.has(p.playerId)).map((p) => ({
        playerId: p.playerId,
        facts: [
          { kind: 'battle_played' as const },
          ...(p.side === winnerSide ? [{ kind: 'battle_won' as const, elements: [...new Set(p.oracles.map((o) => o.element))] }] : []),
        ],
      }));
    }
    case sourceTypes.ritualCompleted: {
      const result = read(RitualResult, event);
      if (result.outcome !== 'success') return [];
      const { ritualId, participants } = read(RitualLineUp, stream[0]!);
      const left = leavers(stream);
      const perfect = stream.every((e) => e.type !== 'RiteMisstepped' && (e.type !== 'RiteChannelled' || read(Channel, e).quality === 'perfect'));
      return participants.filter((p) => !left.has(p)).map((playerId) => ({
        playerId,
        facts: [{ kind: 'ritual_completed' as const, ritualId, perfect }, ...result.unlocks.codexEntries.map((entryId) => ({ kind: 'codex_entry' as const, entryId }))],
      }));
    }
    case sourceTypes.raidEnded: {
      const result = read(RaidResult, event);
      if (result.outcome !== 'victory') return [];
      const lineUp = read(RaidLineUp, stream[0]!);
      const left = leavers(stream);
      return lineUp.participants.filter((p) => !left.has(p.playerId)).map((p) => ({ playerId: p.playerId, facts: [{ kind: 'raid_won' as const, bossId: lineUp.boss.bossId, phaseId: result.phaseId }] }));
    }
    case sourceTypes.questRewardClaimed: {
      const claimed = read(Claimed, event);
      return claimed.rewards.codexEntries.length === 0 ? [] : [{ playerId: claimed.playerId, facts: claimed.rewards.codexEntries.map((entryId) => ({ kind: 'codex_entry' as const, entryId })) }];
    }
    default:
      return [];
  }
}

/** Whether `factsOf` needs the event's stream (a room's end), rather than the event alone. */
export const needsStream = (type: string): boolean => type !== sourceTypes.questRewardClaimed;
