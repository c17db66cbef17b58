// The offline narrator: deterministic templates in the oracle's voice. It speaks when no key
// is configured, and whenever a guardrail keeps the model out (budget, circuit, rate limit,
// timeout, flagged text). The same moment and seed always give the same words; the variant
// is picked by a hash of the seed (the narrated event's id), never by chance.
import { createHash } from 'node:crypto';
import type { Facts, Who } from '../../projections/narration/moments.ts';

/** Recorded nowhere, but bump it when templates change so nobody expects old texts back. */
export const offlineTemplatesVersion = 'offline/1';

const list = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? 'no one') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
const of = (who: Who) => `${who.name} of ${who.element}`;

function pick<T>(variants: readonly T[], seed: string): T {
  const index = createHash('sha256').update(seed).digest().readUInt32BE(0) % variants.length;
  return variants[index]!;
}

export function offlineText(facts: Facts, seed: string): string {
  switch (facts.kind) {
    case 'critical_finish':
      return pick([
        `${of(facts.striker)} finds the seam the stars left open: ${facts.damage} in one blow, and ${facts.fallen.name} falls.`,
        `A killing star! ${facts.striker.name} strikes true for ${facts.damage}, and ${of(facts.fallen)} is laid low.`,
        `The heavens lean in as ${facts.striker.name} lands the perfect blow. ${facts.fallen.name} will not rise again this day.`,
      ], seed);
    case 'oracle_fell':
      if (facts.cause === 'forfeit') return pick([`${facts.fallen.name} leaves the arena unbowed but unfinished. The oracle notes the empty place.`, `${of(facts.fallen)} withdraws; the sand keeps the footprints.`], seed);
      if (facts.cause === 'burn') return pick([`The embers finish what ${facts.by?.name ?? 'the fire'} began: ${facts.fallen.name} falls in smoke.`, `${of(facts.fallen)} burns down to silence.`], seed);
      return pick([
        `${facts.fallen.name} falls${facts.by ? ` to ${of(facts.by)}` : ''}. The arena remembers.`,
        `${facts.by ? `${facts.by.name} stands over ${facts.fallen.name}` : `${facts.fallen.name} is down`}, and the crowd draws breath.`,
        `Down goes ${of(facts.fallen)}${facts.by ? `, felled by ${facts.by.name}` : ''}.`,
      ], seed);
    case 'battle_ended':
      if (facts.draw) return pick([`Neither side yields: ${list(facts.winners)} and ${list(facts.losers)} are bound in a draw. The scales stay level.`, `The bell tolls on an even fight. No crown today for ${list(facts.winners)} or ${list(facts.losers)}.`], seed);
      return pick([
        `${list(facts.winners)} claim the arena${facts.reason === 'forfeit' ? ' as their rivals withdraw' : ''}. The crown is theirs.`,
        `It is done: ${list(facts.winners)} stand victorious over ${list(facts.losers)}, with ${facts.winnerHpPercent}% of their strength left.`,
        `The oracle names the victors: ${list(facts.winners)}. Let ${list(facts.losers)} remember this lesson.`,
      ], seed);
    case 'boss_phase':
      return pick([
        `${facts.boss} shifts into ${facts.toPhase} at ${facts.bossHpPercent}% — its blows now strike at ${facts.attackPercent}%. Brace yourselves!`,
        `Beware: ${facts.boss} leaves ${facts.fromPhase} behind and enters ${facts.toPhase}. Guard the weakest among you.`,
      ], seed);
    case 'raid_enraged':
      return pick([`${facts.boss} is enraged! Its fury swells to ${facts.attackPercent}%. Finish it or fall.`, `Time runs thin: ${facts.boss} rages at ${facts.attackPercent}% of its might.`], seed);
    case 'boss_defeated':
      return pick([
        `${facts.boss} falls${facts.cause === 'burn' ? ' to the smouldering fire' : ''}, and ${of(facts.by)} dealt the final blow. Giants can fall.`,
        `The ground shakes once more and is still: ${facts.by.name} has slain ${facts.boss}.`,
      ], seed);
    case 'raid_ended':
      if (facts.outcome === 'victory') return pick([`Victory! ${list(facts.party)} have brought ${facts.boss} low.`, `The deep places are quiet again. ${list(facts.party)} return with the spoils of ${facts.boss}.`], seed);
      if (facts.outcome === 'timeout') return pick([`The hour has passed; ${facts.boss} withdraws with ${facts.bossHpPercent}% of its life. Another day.`, `${facts.boss} outlasts the party's hour and sinks back into the dark.`], seed);
      return pick([`${facts.boss} stands over the fallen. ${list(facts.party)} will be remembered for daring.`, `The party is broken; ${facts.boss} endures${facts.enraged ? ', still raging' : ''}.`], seed);
    case 'ritual_completed': {
      if (facts.outcome === 'failure') return pick([`The ${facts.ritual} falters (${facts.reason}). The gods wait for steadier hands.`, `The rite is broken — ${facts.reason}. Begin again when the hour is right.`], seed);
      const omen = facts.omen === 'favourable' ? ' A favourable omen shines upon the celebrants!' : facts.omen === 'silent' ? ' The omen stays silent, as omens often do.' : '';
      return pick([
        `The ${facts.ritual} is complete, ${facts.celebrants} voices as one, scoring ${facts.score}.${omen}`,
        `The last seal holds: the ${facts.ritual} is done.${omen}`,
      ], seed);
    }
    case 'codex_entry':
      return `${facts.title}. ${facts.canon}`;
    case 'chapter_completed':
      return pick([
        `So ends ${facts.chapter}. ${facts.next ? `Already ${facts.next} stirs beyond the horizon.` : 'The oracle closes the book, for now.'}`,
        `${facts.chapter} is told to its end, and the oracle remembers it.${facts.next ? ` Turn the page: ${facts.next} awaits.` : ''}`,
      ], seed);
    default: {
      const _exhaustive: never = facts;
      return _exhaustive;
    }
  }
}
