import { addDays, daysBetween, isIsoDate, maxDate, minDate, toIsoDate } from '@cosell/shared';
import { describe, expect, it } from 'vitest';

describe('isIsoDate', () => {
  it.each([
    ['2026-06-15', 'an ordinary date'],
    ['2024-02-29', 'the leap day of a leap year'],
    ['2000-02-29', 'the leap day of a year divisible by 400'],
    ['2026-12-31', 'the last day of the year'],
    ['2026-01-01', 'the first day of the year'],
  ])('accepts %s (%s)', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each([
    ['2026-02-30', 'a day that does not exist in February'],
    ['2026-02-29', 'the leap day of a non-leap year'],
    ['1900-02-29', 'the leap day of a century year not divisible by 400'],
    ['2026-04-31', 'the 31st of a 30-day month'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-06-00', 'day 0'],
    ['2026-6-15', 'a month without its leading zero'],
    ['26-06-15', 'a two-digit year'],
    ['2026-06-15T00:00:00Z', 'an instant instead of a date'],
    [' 2026-06-15', 'a leading space'],
    ['15/06/2026', 'a day-first date'],
    ['', 'the empty string'],
  ])('rejects %j (%s)', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});

describe('toIsoDate', () => {
  it.each([
    ['2026-06-15T00:00:00.000Z', '2026-06-15'],
    ['2026-06-15T23:59:59.999Z', '2026-06-15'],
    ['2026-06-15T23:30:00-05:00', '2026-06-16'],
    ['2026-06-16T01:00:00+02:00', '2026-06-15'],
  ])('gives the UTC calendar date of %s: %s', (instant, expected) => {
    expect(toIsoDate(new Date(instant))).toBe(expected);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-06-15', '2026-06-15', 0],
    ['2026-06-15', '2026-06-16', 1],
    ['2026-06-16', '2026-06-15', -1],
    ['2026-06-15', '2026-06-29', 14],
    ['2026-02-28', '2026-03-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-03-28', '2026-03-30', 2],
    ['2026-10-24', '2026-10-26', 2],
    ['2026-01-01', '2027-01-01', 365],
    ['2024-01-01', '2025-01-01', 366],
  ])('from %s to %s is %i whole days (leap years and DST weekends included)', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-06-15', 0, '2026-06-15'],
    ['2026-06-15', 1, '2026-06-16'],
    ['2026-06-15', -1, '2026-06-14'],
    ['2026-06-15', 15, '2026-06-30'],
    ['2026-06-15', 16, '2026-07-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-28', 2, '2026-03-30'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([-400, -15, -1, 0, 1, 14, 15, 59, 366])('is the inverse of daysBetween for %i days', (days) => {
    expect(daysBetween('2026-06-15', addDays('2026-06-15', days))).toBe(days);
  });
});

describe('maxDate and minDate', () => {
  it.each([
    [['2026-06-15'], '2026-06-15', '2026-06-15'],
    [['2026-06-15', '2026-06-14', '2026-06-16'], '2026-06-16', '2026-06-14'],
    [['2027-01-01', '2026-12-31'], '2027-01-01', '2026-12-31'],
    [['2026-09-01', '2026-10-01', '2026-09-30'], '2026-10-01', '2026-09-01'],
  ])('of %j: latest %s, earliest %s', (dates, latest, earliest) => {
    expect(maxDate(dates)).toBe(latest);
    expect(minDate(dates)).toBe(earliest);
  });

  it('are undefined for no dates', () => {
    expect(maxDate([])).toBeUndefined();
    expect(minDate([])).toBeUndefined();
  });
});
