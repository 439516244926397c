import { type CadenceRule, isKnownTimeZone, nextCadenceMeeting, zonedTimeToInstant } from '@cosell/shared';
import { describe, expect, it } from 'vitest';

const berlinTuesday: CadenceRule = { weekday: 'tuesday', time: '16:00', timeZone: 'Europe/Berlin' };

describe('nextCadenceMeeting: the next weekly meeting that has not ended', () => {
  it.each<[string, CadenceRule, string, string]>([
    [
      'later this week, in summer time (Berlin = UTC+2)',
      berlinTuesday,
      '2026-06-15T10:00:00Z',
      '2026-06-16T14:00:00Z',
    ],
    [
      'the meeting in progress is the next one',
      berlinTuesday,
      '2026-06-16T14:10:00Z',
      '2026-06-16T14:00:00Z',
    ],
    [
      'a meeting that has just ended: next week',
      berlinTuesday,
      '2026-06-16T14:30:00Z',
      '2026-06-23T14:00:00Z',
    ],
    ['in winter time (Berlin = UTC+1)', berlinTuesday, '2026-12-01T06:00:00Z', '2026-12-01T15:00:00Z'],
    [
      'Europe springs forward on Sunday 28 March 2027: the Tuesday after is an hour earlier in UTC',
      berlinTuesday,
      '2027-03-24T09:00:00Z',
      '2027-03-30T14:00:00Z',
    ],
    [
      'the week before that change is still winter time',
      berlinTuesday,
      '2027-03-17T09:00:00Z',
      '2027-03-23T15:00:00Z',
    ],
    [
      'Europe falls back on Sunday 25 October 2026: the Monday after is an hour later in UTC',
      { weekday: 'monday', time: '09:00', timeZone: 'Europe/Berlin' },
      '2026-10-20T09:00:00Z',
      '2026-10-26T08:00:00Z',
    ],
    [
      'New York springs forward on 14 March 2027, two weeks before Europe',
      { weekday: 'monday', time: '09:00', timeZone: 'America/New_York' },
      '2027-03-09T15:00:00Z',
      '2027-03-15T13:00:00Z',
    ],
    [
      'Sydney springs forward on 4 October 2026 (southern hemisphere)',
      { weekday: 'monday', time: '09:00', timeZone: 'Australia/Sydney' },
      '2026-09-29T00:00:00Z',
      '2026-10-04T22:00:00Z',
    ],
    [
      'a time skipped by the change (02:30 on the spring-forward night) is held at 03:30 local',
      { weekday: 'sunday', time: '02:30', timeZone: 'Europe/Berlin' },
      '2027-03-27T12:00:00Z',
      '2027-03-28T01:30:00Z',
    ],
    [
      'a time that happens twice (02:30 on the fall-back night) is its first occurrence',
      { weekday: 'sunday', time: '02:30', timeZone: 'Europe/Berlin' },
      '2026-10-24T12:00:00Z',
      '2026-10-25T00:30:00Z',
    ],
    [
      "the cadence's own calendar day, not UTC's: Monday 08:00 in Auckland is Sunday evening UTC",
      { weekday: 'monday', time: '08:00', timeZone: 'Pacific/Auckland' },
      '2026-06-14T19:00:00Z',
      '2026-06-14T20:00:00Z',
    ],
    [
      "Monday's Auckland meeting has ended although it is still Sunday in UTC: next week",
      { weekday: 'monday', time: '08:00', timeZone: 'Pacific/Auckland' },
      '2026-06-14T21:00:00Z',
      '2026-06-21T20:00:00Z',
    ],
    [
      'a half-hour offset (Kolkata = UTC+5:30)',
      { weekday: 'friday', time: '17:30', timeZone: 'Asia/Kolkata' },
      '2026-06-15T00:00:00Z',
      '2026-06-19T12:00:00Z',
    ],
    [
      'UTC itself',
      { weekday: 'wednesday', time: '23:45', timeZone: 'UTC' },
      '2026-06-17T23:50:00Z',
      '2026-06-17T23:45:00Z',
    ],
    [
      'a series that starts later begins on the first weekday on or after its start',
      { ...berlinTuesday, startsOn: '2026-07-01' },
      '2026-06-15T10:00:00Z',
      '2026-07-07T14:00:00Z',
    ],
    [
      'a series that starts on the meeting day includes that day',
      { ...berlinTuesday, startsOn: '2026-06-16' },
      '2026-06-15T10:00:00Z',
      '2026-06-16T14:00:00Z',
    ],
    [
      'a series that ends on the day of the next meeting still has it',
      { ...berlinTuesday, startsOn: '2026-01-01', endsOn: '2026-06-16' },
      '2026-06-15T10:00:00Z',
      '2026-06-16T14:00:00Z',
    ],
  ])('%s', (_name, rule, now, expectedStart) => {
    const meeting = nextCadenceMeeting(rule, new Date(now));
    expect(meeting?.start.toISOString()).toBe(new Date(expectedStart).toISOString());
    expect(meeting?.end.toISOString()).toBe(new Date(Date.parse(expectedStart) + 30 * 60_000).toISOString());
  });

  it.each<[string, CadenceRule, string]>([
    ['a series whose end is in the past', { ...berlinTuesday, endsOn: '2026-06-01' }, '2026-06-15T10:00:00Z'],
    [
      'a series that ends the day before the next meeting',
      { ...berlinTuesday, endsOn: '2026-06-15' },
      '2026-06-15T10:00:00Z',
    ],
    [
      'a series whose last meeting has just ended',
      { ...berlinTuesday, endsOn: '2026-06-16' },
      '2026-06-16T14:30:00Z',
    ],
    [
      'a time zone this runtime does not know',
      { weekday: 'monday', time: '09:00', timeZone: 'Mars/Olympus_Mons' },
      '2026-06-15T10:00:00Z',
    ],
  ])('none for %s', (_name, rule, now) => {
    expect(nextCadenceMeeting(rule, new Date(now))).toBeUndefined();
  });

  it("gives the meeting's day in the cadence's time zone and honours a longer duration", () => {
    const meeting = nextCadenceMeeting(
      { weekday: 'monday', time: '08:00', timeZone: 'Pacific/Auckland', durationMinutes: 45 },
      new Date('2026-06-14T19:00:00Z'),
    );
    expect(meeting).toEqual({
      start: new Date('2026-06-14T20:00:00Z'),
      end: new Date('2026-06-14T20:45:00Z'),
      localDate: '2026-06-15',
    });
  });

  it('is every week the same wall-clock time across a whole year of DST changes', () => {
    const rule: CadenceRule = { weekday: 'thursday', time: '10:30', timeZone: 'America/Los_Angeles' };
    const wallClock = new Intl.DateTimeFormat('en-US', {
      timeZone: rule.timeZone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    let now = new Date('2026-01-01T00:00:00Z');
    const seen = new Set<string>();
    const offsets = new Set<number>();
    for (let week = 0; week < 53; week++) {
      const meeting = nextCadenceMeeting(rule, now);
      if (!meeting) throw new Error('an open-ended series always has a next meeting');
      seen.add(wallClock.format(meeting.start));
      offsets.add(meeting.start.getUTCHours());
      now = meeting.end;
    }
    expect([...seen]).toEqual(['Thursday 10:30']);
    // …while the UTC hour changes with daylight saving time (18:30 in winter, 17:30 in summer).
    expect([...offsets].sort()).toEqual([17, 18]);
  });
});

describe('zonedTimeToInstant and isKnownTimeZone', () => {
  it.each<[string, string, string]>([
    ['Europe/Berlin', '2026-06-16T16:00:00Z', '2026-06-16T14:00:00Z'],
    ['America/New_York', '2026-11-01T01:30:00Z', '2026-11-01T05:30:00Z'],
    ['America/New_York', '2026-03-08T02:15:00Z', '2026-03-08T07:15:00Z'],
  ])('the wall-clock reading in %s written %s happens at %s', (zone, local, instant) => {
    expect(new Date(zonedTimeToInstant(zone, Date.parse(local))).toISOString()).toBe(
      new Date(instant).toISOString(),
    );
  });

  it('knows IANA zones and UTC, and not made-up ones', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
