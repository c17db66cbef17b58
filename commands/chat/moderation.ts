// Moderation before a message is recorded: a port, so a moderation service can take over
// from the local word list without the chat changing. The word list matches whole words
// after folding case, accents, common look-alike digits and letters spaced out or doubled
// ("B a d", "b4d", "baaad"), which is what people try first.

export type ModerationVerdict = { readonly flagged: boolean; readonly reason?: string };
export type ModerationPort = { check(text: string): Promise<ModerationVerdict> };

/** A small default list; deployments extend it (PANTHEON_CHAT_WORDS). */
export const defaultBlockedWords: readonly string[] = ['idiot', 'moron', 'retard', 'slut', 'whore', 'faggot', 'nigger', 'kys', 'cunt'];

const lookAlikes: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's' };

/** Lower case, no accents, look-alikes mapped, runs of one letter squeezed to one. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[0-9@$]/g, (c) => lookAlikes[c] ?? c)
    .replace(/(\p{L})\1+/gu, '$1');
}

export function wordListModeration(words: readonly string[] = defaultBlockedWords): ModerationPort {
  const folded = [...new Set(words.map(foldText).filter((w) => w.length > 0))];
  return {
    async check(text) {
      const tokens = foldText(text).split(/[^\p{L}]+/u).filter(Boolean);
      // Letters sent one by one ("i d i o t") are read as one word too.
      const joined = tokens.filter((t) => t.length === 1).join('');
      const hit = folded.find((word) => tokens.includes(word) || (joined.length >= word.length && joined.includes(word)));
      return hit === undefined ? { flagged: false } : { flagged: true, reason: 'word list' };
    },
  };
}
