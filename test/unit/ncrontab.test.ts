import { CronSyntaxError, nextOccurrence, parseNcrontab } from '@cosell/shared';
import { describe, expect, it } from 'vitest';

/* NCRONTAB as Azure Functions timer triggers read it (reference/teams-platform.md §4.4). */

const next = (schedule: string, after: string) =>
  nextOccurrence(parseNcrontab(schedule), new Date(after))?.toISOString();

/** The first `n` occurrences after `after`. */
function series(schedule: string, after: string, n: number): string[] {
  const parsed = parseNcrontab(schedule);
  const out: string[] = [];
  let at = new Date(after);
  for (let i = 0; i < n; i++) {
    const found = nextOccurrence(parsed, at);
    if (!found) break;
    out.push(found.toISOString());
    at = found;
  }
  return out;
}

describe('parseNcrontab', () => {
  it('reads the six fields, lists, ranges, steps and names', () => {
    const s = parseNcrontab('0,30 */15 9-17/4 1 Jan-Mar mon-fri');
    expect([...s.seconds]).toEqual([0, 30]);
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 13, 17]);
    expect([...s.days]).toEqual([1]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.weekdays]).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads `a/n` as from a to the end in steps of n', () => {
    expect([...parseNcrontab('0 5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it.each([
    ['0 0 6 * *', /6 fields/],
    ['0 0 6 * * * *', /6 fields/],
    ['60 0 6 * * *', /second is 0 to 59/],
    ['0 60 6 * * *', /minute is 0 to 59/],
    ['0 0 24 * * *', /hour is 0 to 23/],
    ['0 0 6 0 * *', /day is 1 to 31/],
    ['0 0 6 * 13 *', /month is 1 to 12/],
    ['0 0 6 * * 7', /day-of-week is 0 to 6/],
    ['0 0 6 * * Funday', /not a number/],
    ['0 */0 6 * * *', /step .* above 0/],
    ['0 30-10 6 * * *', /runs backwards/],
    ['0 1,,2 6 * * *', /empty list item/],
    ['0 x 6 * * *', /not a number/],
  ])('refuses %s, naming the field and the rule', (expression, message) => {
    expect(() => parseNcrontab(expression)).toThrow(CronSyntaxError);
    expect(() => parseNcrontab(expression)).toThrow(message);
  });
});

describe('nextOccurrence', () => {
  it('finds the next daily run, strictly after the given instant', () => {
    expect(next('0 0 6 * * *', '2026-11-27T05:59:59Z')).toBe('2026-11-27T06:00:00.000Z');
    expect(next('0 0 6 * * *', '2026-11-27T06:00:00Z')).toBe('2026-11-28T06:00:00.000Z');
    expect(next('0 0 6 * * *', '2026-11-27T06:00:00.500Z')).toBe('2026-11-28T06:00:00.000Z');
  });

  it('runs every five minutes (the documented example "0 */5 * * * *")', () => {
    expect(series('0 */5 * * * *', '2026-11-27T10:58:00Z', 3)).toEqual([
      '2026-11-27T11:00:00.000Z',
      '2026-11-27T11:05:00.000Z',
      '2026-11-27T11:10:00.000Z',
    ]);
  });

  it('runs at 09:30 on weekdays only (the documented example "0 30 9 * * 1-5")', () => {
    // 2026-11-27 is a Friday.
    expect(series('0 30 9 * * 1-5', '2026-11-27T10:00:00Z', 2)).toEqual([
      '2026-11-30T09:30:00.000Z',
      '2026-12-01T09:30:00.000Z',
    ]);
  });

  it('carries over month and year ends', () => {
    expect(next('0 0 0 1 * *', '2026-12-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('59 59 23 31 12 *', '2026-12-31T23:59:58Z')).toBe('2026-12-31T23:59:59.000Z');
    expect(next('59 59 23 31 12 *', '2026-12-31T23:59:59Z')).toBe('2027-12-31T23:59:59.000Z');
  });

  it('skips months without the day (31st) and finds 29 February in a leap year', () => {
    expect(series('0 0 12 31 * *', '2026-01-31T13:00:00Z', 2)).toEqual([
      '2026-03-31T12:00:00.000Z',
      '2026-05-31T12:00:00.000Z',
    ]);
    expect(next('0 0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('needs both the day of month and the day of week (NCrontab semantics)', () => {
    // The 13th that is a Friday: 2026-02-13, then 2026-03-13.
    expect(series('0 0 8 13 * 5', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-02-13T08:00:00.000Z',
      '2026-03-13T08:00:00.000Z',
    ]);
  });

  it('answers undefined for a schedule that never comes (30 February)', () => {
    expect(next('0 0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('agrees with a brute-force walk over every second of two days', () => {
    const schedule = '*/20 7,8 */6 * * sun,wed';
    const parsed = parseNcrontab(schedule);
    const start = Date.parse('2026-11-28T00:00:00Z'); // a Saturday
    const matches: number[] = [];
    for (let t = start + 1000; t < start + 5 * 86_400_000 && matches.length < 12; t += 1000) {
      const d = new Date(t);
      if (
        parsed.seconds.has(d.getUTCSeconds()) &&
        parsed.minutes.has(d.getUTCMinutes()) &&
        parsed.hours.has(d.getUTCHours()) &&
        parsed.days.has(d.getUTCDate()) &&
        parsed.months.has(d.getUTCMonth() + 1) &&
        parsed.weekdays.has(d.getUTCDay())
      )
        matches.push(t);
    }
    expect(matches.length).toBe(12);
    expect(series(schedule, '2026-11-28T00:00:00Z', 12)).toEqual(
      matches.map((t) => new Date(t).toISOString()),
    );
  });
});
