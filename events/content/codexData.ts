// Codex version 2026.11.1: entries, lore and unlock rules. Frozen once released: changing
// who unlocks what is a new version (and a new codex projection version, which rebuilds
// the unlocks from the log). Lore typos may be fixed in place: lore is read at query time.
import type { CodexInput } from './codex.ts';

export const codex_2026_11_1 = {
  codexVersion: '2026.11.1',
  entries: [
    // Rites: named by ritual content (rooms/ritual/content.ts) in its unlocks.
    {
      id: 'codex/dawn-hymn', title: 'The Dawn Hymn', category: 'rites', unlock: { kind: 'ritual' },
      hint: 'Perform the Anointing of the Dawn without faltering.',
      lore: 'Before the first oracle spoke, the sky was sung awake. The hymn has four verses; the fifth is the sunrise itself, and no choir has ever dared to sing over it.',
    },
    {
      id: 'codex/first-light', title: 'First Light', category: 'rites', unlock: { kind: 'ritual' },
      hint: 'Perform the Anointing of the Dawn without faltering.',
      lore: 'The anointed remember a warmth on the brow that no fire gave. Some say it is the sun choosing its oracles; the sun has never said.',
    },
    {
      id: 'codex/tidecall', title: 'Tidecall', category: 'rites', unlock: { kind: 'ritual' },
      hint: 'Call the tide with three voices or more.',
      lore: 'Three chants, an offering, a word and a seal. The sea answers every time, but it answers in its own season, and the callers are seldom there to hear it.',
    },
    {
      id: 'codex/drowned-choir', title: 'The Drowned Choir', category: 'rites', unlock: { kind: 'ritual' },
      hint: 'Call the tide with three voices or more.',
      lore: 'Beneath the harbour of Sel there is a choir that never stopped singing when the water rose. Listen at low tide: they have learned the Tidecall backwards.',
    },
    {
      id: 'codex/ember-vigil', title: 'The Ember Vigil', category: 'rites', unlock: { kind: 'ritual' },
      hint: 'Keep the Ember Vigil to its end.',
      lore: 'One coal, passed hand to hand through the longest night. Whoever lets it die must tend the hearth for a year; whoever keeps it may ask the fire one question.',
    },

    // Battle.
    {
      id: 'codex/first-crown', title: 'The First Crown', category: 'battle', unlock: { kind: 'battles_won', atLeast: 1 },
      hint: 'Win a battle.',
      lore: 'The crown is not gold. It is the silence after the last blow, when the arena remembers your name for the first time.',
    },
    {
      id: 'codex/crown-of-ten', title: 'Crown of Ten', category: 'battle', unlock: { kind: 'battles_won', atLeast: 10 },
      hint: 'Win ten battles.',
      lore: 'Ten victories and the heralds stop asking who you are. They start asking who you will fight next.',
    },
    {
      id: 'codex/hundredfold', title: 'The Hundredfold Diadem', category: 'battle', unlock: { kind: 'battles_won', atLeast: 100 },
      hint: 'Win a hundred battles.',
      lore: 'A hundred crowns weigh nothing and everything. The old champions wear them as a ring of scars, one for every rival who almost took them.',
    },
    {
      id: 'codex/even-scales', title: 'The Even Scales', category: 'battle', unlock: { kind: 'battle_drawn' },
      hint: 'Fight a battle to a draw.',
      lore: 'When two oracles fall together the judges lay down their pens. Libra, they say, has taken this one for herself.',
    },
    {
      id: 'codex/killing-star', title: 'The Killing Star', category: 'battle', unlock: { kind: 'critical_hit' },
      hint: 'Land a critical hit.',
      lore: 'Once in a long while a blow lands where the stars meant it to. The oracle who struck it will spend years trying to feel that again.',
    },

    // Raids.
    {
      id: 'codex/first-raid', title: 'Giants Can Fall', category: 'raids', unlock: { kind: 'raid_victory' },
      hint: 'Defeat a raid boss with your party.',
      lore: 'Every giant was once thought unkillable. The first party to prove otherwise did not celebrate; they stood in the quiet and counted who was still breathing.',
    },
    {
      id: 'codex/leviathan-fallen', title: 'The Leviathan Sleeps', category: 'raids', unlock: { kind: 'raid_victory', bossId: 'leviathan' },
      hint: 'Defeat the Leviathan.',
      lore: 'It surfaced once a generation to drink the tides dry. Now the harbour bells ring at low water, and fishers leave a pearl on the pier for the ones who sent it down.',
    },
    {
      id: 'codex/behemoth-fallen', title: 'The Behemoth Stills', category: 'raids', unlock: { kind: 'raid_victory', bossId: 'behemoth' },
      hint: 'Defeat the Behemoth.',
      lore: 'Its footsteps made the mountains. When it fell the valley shifted a hand-width east, and the surveyors have been arguing about it ever since.',
    },
    {
      id: 'codex/raid-veteran', title: 'Veteran of the Deep Places', category: 'raids', unlock: { kind: 'raids_won', atLeast: 5 },
      hint: 'Win five raids.',
      lore: 'Five giants and you learn their habits: they all pause before the worst of it. The veterans call that pause the breath, and they use it.',
    },

    // Oracles fielded, one per element.
    {
      id: 'codex/oracle-of-flame', title: 'Oracle of Flame', category: 'oracles', unlock: { kind: 'oracle_fielded', element: 'fire' },
      hint: 'Field an oracle of fire.',
      lore: 'Fire oracles read the future in sparks and rarely wait to see it arrive. They hit first; the prophecy catches up later.',
    },
    {
      id: 'codex/oracle-of-stone', title: 'Oracle of Stone', category: 'oracles', unlock: { kind: 'oracle_fielded', element: 'earth' },
      hint: 'Field an oracle of earth.',
      lore: 'Earth oracles answer questions a century late and are never wrong. Their patience is a wall, and walls win long battles.',
    },
    {
      id: 'codex/oracle-of-wind', title: 'Oracle of Wind', category: 'oracles', unlock: { kind: 'oracle_fielded', element: 'air' },
      hint: 'Field an oracle of air.',
      lore: 'Air oracles hear rumours before they are spoken. Ask one a question and it has already answered, and left.',
    },
    {
      id: 'codex/oracle-of-tides', title: 'Oracle of Tides', category: 'oracles', unlock: { kind: 'oracle_fielded', element: 'water' },
      hint: 'Field an oracle of water.',
      lore: 'Water oracles see in reflections, so they see everything twice: once as it is, and once as it will be when the moon turns.',
    },

    // Deeds, from the oracron.
    {
      id: 'codex/starfall', title: 'Starfall', category: 'deeds', unlock: { kind: 'deed', deed: 'critical_finishing_blow' },
      hint: 'Fell a foe with a critical hit.',
      lore: 'A killing blow struck true under a favourable star. The oracron records it in silver ink, the only ink the archivists keep for such things.',
    },
    {
      id: 'codex/giantsbane', title: 'Giantsbane', category: 'deeds', unlock: { kind: 'deed', deed: 'boss_slain' },
      hint: 'Deal the blow that defeats a raid boss.',
      lore: 'Many hands bring a giant down; one strikes last. Bards are unfair that way, and the one who struck last has learned to buy the next round.',
    },
    {
      id: 'codex/unbroken', title: 'Unbroken', category: 'deeds', unlock: { kind: 'deed', deed: 'flawless_victory' },
      hint: 'Win a battle and walk away unscathed.',
      lore: 'Not a scratch. Flawless, the heralds cry, though the oracles themselves remember every blow that almost landed.',
    },
    {
      id: 'codex/ember-in-the-ash', title: 'Ember in the Ash', category: 'deeds', unlock: { kind: 'deed', deed: 'comeback' },
      hint: 'Win with an oracle that stood on the brink.',
      lore: 'Down to its last breath, the oracle did not fall. There is a kind of fire that only burns in the ash, and it is the hardest kind to put out.',
    },
  ],
} satisfies CodexInput;
