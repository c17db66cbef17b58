// Daily and weekly resets at UTC boundaries, with the clock passed in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { SeasonCalendar } from '../../events/content/quests.ts';
import { inSeason, periodOf, seasonAt } from './calendar.ts';

const calendar: SeasonCalendar = {
  dailyResetMinute: 0, weeklyResetWeekday: 1,
  seasons: [{ id: 'S2026-01', startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z' }],
};
const at = (iso: string) => Date.parse(iso);

test('the daily period changes exactly at 00:00 UTC: the last millisecond of a day and the first of the next', () => {
  const before = periodOf('daily', calendar, at('2026-11-14T23:59:59.999Z'))!;
  const after = periodOf('daily', calendar, at('2026-11-15T00:00:00.000Z'))!;
  assert.deepEqual(before, { id: 'D2026-11-14', startsAt: at('2026-11-14T00:00:00Z'), endsAt: at('2026-11-15T00:00:00Z') });
  assert.deepEqual(after, { id: 'D2026-11-15', startsAt: at('2026-11-15T00:00:00Z'), endsAt: at('2026-11-16T00:00:00Z') });
});

test('a reset at 04:30 UTC keeps the small hours in the day before', () => {
  const late = { ...calendar, dailyResetMinute: 270 };
  assert.equal(periodOf('daily', late, at('2026-11-15T04:29:59.999Z'))!.id, 'D2026-11-14');
  assert.equal(periodOf('daily', late, at('2026-11-15T04:30:00Z'))!.id, 'D2026-11-15');
});

test('the week resets on Monday 00:00 UTC (or the calendar\'s weekday)', () => {
  assert.equal(periodOf('weekly', calendar, at('2026-11-15T23:59:59.999Z'))!.id, 'W2026-11-09'); // a Sunday
  assert.equal(periodOf('weekly', calendar, at('2026-11-16T00:00:00Z'))!.id, 'W2026-11-16'); // the Monday
  assert.equal(periodOf('weekly', { ...calendar, weeklyResetWeekday: 4 }, at('2026-11-16T00:00:00Z'))!.id, 'W2026-11-12'); // Thursdays
  assert.equal(periodOf('story', calendar, at('2026-11-16T00:00:00Z')), null);
});

test('any instant lies inside its period, and periods tile time without gaps', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 7 }), (now, minute, weekday) => {
    const cal = { ...calendar, dailyResetMinute: minute, weeklyResetWeekday: weekday };
    for (const cadence of ['daily', 'weekly'] as const) {
      const period = periodOf(cadence, cal, now)!;
      assert.ok(period.startsAt <= now && now < period.endsAt);
      assert.equal(periodOf(cadence, cal, period.endsAt)!.startsAt, period.endsAt);
      assert.equal(periodOf(cadence, cal, period.endsAt - 1)!.id, period.id);
    }
    const weekStart = new Date(periodOf('weekly', cal, now)!.startsAt - minute * 60_000).getUTCDay();
    assert.equal(weekStart === 0 ? 7 : weekStart, weekday);
  }));
});

test('seasons: daily quests are offered inside one only', () => {
  assert.equal(seasonAt(calendar, at('2026-06-01T00:00:00Z')), 'S2026-01');
  assert.equal(inSeason('daily', calendar, at('2027-01-01T00:00:00Z')), false);
  assert.equal(inSeason('story', calendar, at('2027-01-01T00:00:00Z')), true);
});
