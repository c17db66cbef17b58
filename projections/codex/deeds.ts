// What an event means for the codex: the feats it credits to players (which codex rules
// then turn into unlocks) and the notable oracle deeds it records in the oracron. Pure: one
// event and the state of its match (see progression/openMatches.ts) in, facts out.
import type { RecordedEvent } from '../../events/envelope.ts';
import type { BattleEnded, DamageDealt } from '../../rooms/battle/events.ts';
import type { OracleDeed } from '../../events/content/index.ts';
import type { BossDefeated } from '../../rooms/raid/events.ts';
import type { RitualEvent } from '../../rooms/ritual/events.ts';
import type { MatchOracle, OpenMatch } from '../matches/openMatches.ts';
import { outcomeOf, sourceOf, type Source } from '../progression/outcomes.ts';
import type { Feat } from './unlocks.ts';

/** A feat as an event shows it; win counts are added from the player's tally. */
export type SeenFeat = Exclude<Feat, { kind: 'battle_won' | 'raid_won' }> | { kind: 'battle_won' } | { kind: 'raid_won'; bossId: string };

export type PlayerFeat = { playerId: string; feat: SeenFeat; source: Source };

export type DeedDetails = Record<string, string | number>;
export type OracleDeedRecord = { playerId: string; oracleId: string; deed: OracleDeed; source: Source; details: DeedDetails };

export type Happenings = { feats: PlayerFeat[]; deeds: OracleDeedRecord[] };

const none: Happenings = { feats: [], deeds: [] };

function deedOf(oracle: MatchOracle, deed: OracleDeed, source: Source, details: DeedDetails): OracleDeedRecord {
  return { playerId: oracle.playerId, oracleId: oracle.oracleId, deed, source, details };
}

/** Each deed also counts as a feat of the oracle's player. */
function withDeeds(feats: PlayerFeat[], deeds: OracleDeedRecord[]): Happenings {
  return { feats: [...feats, ...deeds.map((d) => ({ playerId: d.playerId, feat: { kind: 'deed' as const, deed: d.deed }, source: d.source }))], deeds };
}

/** What `event` means for the codex, given its match as it stands after the event. */
export function happeningsOf(event: RecordedEvent, match: OpenMatch): Happenings {
  const source = sourceOf(event);
  switch (event.type) {
    case 'BattleCreated':
    case 'RaidCreated': {
      const seen = new Set<string>();
      const feats: PlayerFeat[] = [];
      for (const oracle of match.oracles) {
        const key = `${oracle.playerId}\u0000${oracle.element}`;
        if (seen.has(key)) continue;
        seen.add(key);
        feats.push({ playerId: oracle.playerId, feat: { kind: 'oracle_fielded', element: oracle.element }, source });
      }
      return { feats, deeds: [] };
    }
    case 'DamageDealt': {
      const data = event.data as DamageDealt['data'];
      if (data.cause.kind !== 'ability' || !data.cause.critical) return none;
      const striker = match.oracles.find((o) => o.oracleId === data.sourceId);
      if (!striker) return none; // a boss's critical
      const feats: PlayerFeat[] = [{ playerId: striker.playerId, feat: { kind: 'critical_hit' }, source }];
      const felled = data.hpAfter === 0 && data.amount > 0;
      const deeds = felled ? [deedOf(striker, 'critical_finishing_blow', source, { targetId: data.targetId, abilityId: data.cause.abilityId, amount: data.amount })] : [];
      return withDeeds(feats, deeds);
    }
    case 'BossDefeated': {
      const data = event.data as BossDefeated['data'];
      const slayer = match.oracles.find((o) => o.oracleId === data.byOracleId);
      return slayer ? withDeeds([], [deedOf(slayer, 'boss_slain', source, { bossId: data.bossId, cause: data.cause })]) : none;
    }
    case 'BattleEnded': {
      const outcome = outcomeOf(event, match);
      if (outcome?.kind !== 'battle') return none;
      const feats: PlayerFeat[] = [];
      for (const player of outcome.players) {
        if (player.result === 'won') feats.push({ playerId: player.playerId, feat: { kind: 'battle_won' }, source });
        if (player.result === 'drawn') feats.push({ playerId: player.playerId, feat: { kind: 'battle_drawn' }, source });
      }
      const deeds: OracleDeedRecord[] = [];
      const { winnerSide, reason, sides } = event.data as BattleEnded['data'];
      if (winnerSide !== null) {
        const winners = match.oracles.filter((o) => o.side === winnerSide);
        const hpPercent = sides.find((s) => s.side === winnerSide)?.hpPercent ?? 0;
        // Flawless: won outright and ended unscathed, every oracle standing at full HP.
        if (reason === 'defeat' && hpPercent === 100) {
          for (const oracle of winners) deeds.push(deedOf(oracle, 'flawless_victory', source, { sideHpPercent: hpPercent }));
        }
        for (const oracle of winners) {
          if (!oracle.fallen && oracle.brinkHp !== null) deeds.push(deedOf(oracle, 'comeback', source, { lowestHp: oracle.brinkHp, maxHp: oracle.maxHp }));
        }
      }
      return withDeeds(feats, deeds);
    }
    case 'RaidEnded': {
      const outcome = outcomeOf(event, match);
      if (outcome?.kind !== 'raid') return none;
      const feats = outcome.players.flatMap((p) => (p.result === 'victory' ? [{ playerId: p.playerId, feat: { kind: 'raid_won' as const, bossId: outcome.bossId }, source }] : []));
      return { feats, deeds: [] };
    }
    case 'RitualCompleted': {
      const { outcome, unlocks } = event.data as Extract<RitualEvent, { type: 'RitualCompleted' }>['data'];
      if (outcome !== 'success') return none;
      const feats = match.players
        .filter((p) => !p.forfeited)
        .flatMap((p) => unlocks.codexEntries.map((entryId) => ({ playerId: p.playerId, feat: { kind: 'ritual' as const, entryId }, source })));
      return { feats, deeds: [] };
    }
    default:
      return none;
  }
}
