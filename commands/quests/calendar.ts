// Daily and weekly resets as pure functions of the season calendar (content) and a time the
// caller passes in (ms since the epoch, UTC). Integer math only: a period is a whole number of
// days after the reset minute, weeks start on the calendar's weekday. Period ids name the
// UTC date the period starts on: D2026-11-14, W2026-11-09.
import type { QuestCadence, SeasonCalendar } from '../../events/content/quests.ts';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

export type Period = {
  /** `D<date>` or `W<date>`: the UTC date the period starts on. */
  readonly id: string;
  /** First instant of the period (ms). */
  readonly startsAt: number;
  /** First instant after it: the reset (ms). */
  readonly endsAt: number;
};

/** 1970-01-01 was a Thursday: ISO weekday 4. */
const isoWeekday = (day: number): number => (((day + 3) % 7) + 7) % 7 + 1;

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The reset period `now` falls in, for daily and weekly quests; null for cadences that never reset. */
export function periodOf(cadence: QuestCadence, calendar: SeasonCalendar, now: number): Period | null {
  if (cadence !== 'daily' && cadence !== 'weekly') return null;
  const offset = calendar.dailyResetMinute * MINUTE;
  const day = Math.floor((now - offset) / DAY);
  if (cadence === 'daily') {
    const startsAt = day * DAY + offset;
    return { id: `D${dateOf(day * DAY)}`, startsAt, endsAt: startsAt + DAY };
  }
  const first = day - ((isoWeekday(day) - calendar.weeklyResetWeekday + 7) % 7);
  const startsAt = first * DAY + offset;
  return { id: `W${dateOf(first * DAY)}`, startsAt, endsAt: startsAt + 7 * DAY };
}

/** The season `now` falls in, or null between seasons. */
export function seasonAt(calendar: SeasonCalendar, now: number): string | null {
  return calendar.seasons.find((s) => Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt))?.id ?? null;
}

/** Whether a quest of this cadence may be taken at `now`: resetting quests run inside a season (when the calendar names any). */
export function inSeason(cadence: QuestCadence, calendar: SeasonCalendar, now: number): boolean {
  if (cadence !== 'daily' && cadence !== 'weekly') return true;
  return calendar.seasons.length === 0 || seasonAt(calendar, now) !== null;
}

/** Where a quest accepted at `now` lives in the log: once per period for resetting quests, once ever otherwise. */
export function questKeyOf(questId: string, period: Period | null): string {
  return period ? `${questId}@${period.id}` : questId;
}
