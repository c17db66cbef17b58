// How much XP each outcome is worth. One award per player per finished battle, raid or
// ritual; a player who forfeited or abandoned earns nothing from it.

export const xpTable = {
  battle: { won: 100, drawn: 60, lost: 30, forfeited: 0 },
  raid: { victory: 250, defeat: 70, timeout: 70, forfeited: 0 },
  ritual: { success: 120, failure: 30, abandoned: 0 },
} as const;

export type BattleResult = keyof typeof xpTable.battle;
export type RaidResult = keyof typeof xpTable.raid;
export type RitualResult = keyof typeof xpTable.ritual;

/** Why XP was awarded: `<kind>_<result>`, e.g. battle_won, raid_victory, ritual_success. */
export type AwardReason = `battle_${BattleResult}` | `raid_${RaidResult}` | `ritual_${RitualResult}`;
