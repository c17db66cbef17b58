// Raid-specific numbers that game content (events/content) does not carry. The cadence is
// copied into each RaidCreated, so a later change here never alters a recorded raid.

export const raidTuning = {
  /** ~2 s at 20 Hz: often enough to keep pressure on, slow enough to answer a telegraph. */
  bossCadenceTicks: 40,
  /** Without an explicit tick limit, a raid runs this long past its boss's enrage (~2 min) before timing out. */
  enrageGraceTicks: 2400,
  /** One hour at 20 Hz, the longest duration content allows. */
  maxTickLimit: 72_000,
  minTickLimit: 20,
  minPlayers: 2,
  maxPlayers: 6,
} as const;
