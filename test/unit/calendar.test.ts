import { createHash } from 'node:crypto';
import {
  describeSeries,
  firstOccurrenceDate,
  htmlToText,
  IANA_ALIASES,
  ianaToWindows,
  isScheduleFree,
  occurrenceIdOf,
  occurrenceStartOf,
  occurrencesBetween,
  proposeSchedules,
  type SeriesSchedule,
  scheduleProblems,
  seriesIdempotencyKey,
  seriesSubject,
  uuidV5,
  WINDOWS_ZONES,
  windowsToIana,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { appBodyOf, BODY_END, BODY_START, mergeBody } from '../../functions/src/adapters/graph-calendar';

/* The pure calendar helpers of shared/src/calendar.ts and windows-zones.ts. */

describe('IANA ↔ Windows time zones (CLDR windowsZones)', () => {
  it('has every Windows zone of CLDR territory 001 once, each with its golden zone first', () => {
    const names = WINDOWS_ZONES.map(([windows]) => windows);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(139);
    for (const [windows, zones] of WINDOWS_ZONES) {
      const golden = zones.split(' ')[0] ?? '';
      expect(windowsToIana(windows), windows).toBe(golden);
      expect(ianaToWindows(golden), golden).toBe(windows);
    }
  });

  it('every IANA zone in the table is one this runtime knows (no typos)', () => {
    const unknown: string[] = [];
    for (const [, zones] of WINDOWS_ZONES) {
      for (const zone of zones.split(' ')) {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
        } catch {
          unknown.push(zone);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('maps the zones a vendor uses, new IANA names included', () => {
    const cases: [string, string][] = [
      ['Europe/Berlin', 'W. Europe Standard Time'],
      ['Europe/Amsterdam', 'W. Europe Standard Time'],
      ['Europe/Paris', 'Romance Standard Time'],
      ['Europe/Madrid', 'Romance Standard Time'],
      ['Europe/London', 'GMT Standard Time'],
      ['Europe/Dublin', 'GMT Standard Time'],
      ['America/New_York', 'Eastern Standard Time'],
      ['America/Toronto', 'Eastern Standard Time'],
      ['America/Chicago', 'Central Standard Time'],
      ['America/Denver', 'Mountain Standard Time'],
      ['America/Phoenix', 'US Mountain Standard Time'],
      ['America/Los_Angeles', 'Pacific Standard Time'],
      ['America/Sao_Paulo', 'E. South America Standard Time'],
      ['Asia/Tokyo', 'Tokyo Standard Time'],
      ['Asia/Singapore', 'Singapore Standard Time'],
      ['Australia/Sydney', 'AUS Eastern Standard Time'],
      ['Asia/Kolkata', 'India Standard Time'],
      ['Asia/Calcutta', 'India Standard Time'],
      ['Europe/Kyiv', 'FLE Standard Time'],
      ['Asia/Kathmandu', 'Nepal Standard Time'],
      ['Asia/Ho_Chi_Minh', 'SE Asia Standard Time'],
      ['America/Argentina/Buenos_Aires', 'Argentina Standard Time'],
      ['America/Nuuk', 'Greenland Standard Time'],
      ['UTC', 'UTC'],
      ['Etc/UTC', 'UTC'],
    ];
    for (const [iana, windows] of cases) expect(ianaToWindows(iana), iana).toBe(windows);
    for (const alias of Object.keys(IANA_ALIASES)) expect(ianaToWindows(alias), alias).toBeDefined();
  });

  it('answers undefined for what it does not know; Windows names without case', () => {
    expect(ianaToWindows('Mars/Olympus_Mons')).toBeUndefined();
    expect(ianaToWindows('')).toBeUndefined();
    expect(windowsToIana('pacific standard time')).toBe('America/Los_Angeles');
    expect(windowsToIana('Europe/Berlin')).toBe('Europe/Berlin');
    expect(windowsToIana('Nowhere Standard Time')).toBeUndefined();
  });
});

describe('idempotency keys', () => {
  /** RFC 4122 §4.3 with node:crypto's SHA-1, to check the pure implementation against. */
  function reference(name: string, namespace: string): string {
    const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    const hash = createHash('sha1')
      .update(Buffer.concat([ns, Buffer.from(name, 'utf8')]))
      .digest()
      .subarray(0, 16);
    hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
    hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
    const hex = hash.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  it('uuidV5 is RFC 4122 name-based SHA-1 (the DNS example, and long and non-ASCII names)', () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    for (const name of ['', 'a', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(200), 'Zürich — 東京 🗓']) {
      expect(uuidV5(name, dns), name).toBe(reference(name, dns));
    }
  });

  it('one key per plan booking: stable for retries, new for the next booking, a GUID', () => {
    const key = seriesIdempotencyKey('plan-1', 1);
    expect(key).toBe(seriesIdempotencyKey('plan-1', 1));
    expect(key).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(seriesIdempotencyKey('plan-1', 2)).not.toBe(key);
    expect(seriesIdempotencyKey('plan-2', 1)).not.toBe(key);
    expect(() => seriesIdempotencyKey('plan-1', 0)).toThrow(/from 1/);
  });
});

describe('schedule arithmetic', () => {
  const berlin: SeriesSchedule = {
    weekday: 'sunday',
    time: '02:30',
    timeZone: 'Europe/Berlin',
    startsOn: '2027-03-15',
    endsOn: '2027-04-04',
    durationMinutes: 30,
  };

  it('the first meeting is the first weekday on or after the start date', () => {
    expect(firstOccurrenceDate({ weekday: 'tuesday', startsOn: '2026-10-12' })).toBe('2026-10-13');
    expect(firstOccurrenceDate({ weekday: 'tuesday', startsOn: '2026-10-13' })).toBe('2026-10-13');
    expect(firstOccurrenceDate({ weekday: 'monday', startsOn: '2026-10-13' })).toBe('2026-10-19');
  });

  it('a time skipped by spring-forward moves an hour later (RFC 5545); the end date is inclusive', () => {
    const all = occurrencesBetween(
      berlin,
      new Date('2027-03-01T00:00:00Z'),
      new Date('2027-06-01T00:00:00Z'),
    );
    expect(all.map((o) => [o.localDate, o.start.toISOString()])).toEqual([
      ['2027-03-21', '2027-03-21T01:30:00.000Z'],
      ['2027-03-28', '2027-03-28T01:30:00.000Z'],
      ['2027-04-04', '2027-04-04T00:30:00.000Z'],
    ]);
  });

  it('finds occurrences far from the start without walking every week from it', () => {
    const weekly = { ...berlin, weekday: 'monday' as const, time: '09:00', endsOn: undefined };
    const far = occurrencesBetween(
      weekly,
      new Date('2040-01-01T00:00:00Z'),
      new Date('2040-01-15T00:00:00Z'),
    );
    expect(far.map((o) => o.start.toISOString())).toEqual([
      '2040-01-02T08:00:00.000Z',
      '2040-01-09T08:00:00.000Z',
    ]);
  });

  it('occurrence ids are their original start', () => {
    const start = new Date('2026-10-13T14:00:00.000Z');
    expect(occurrenceIdOf(start)).toBe('20261013T140000Z');
    expect(occurrenceStartOf('20261013T140000Z')).toEqual(start);
    expect(occurrenceStartOf('not-an-occurrence')).toBeUndefined();
  });

  it('names what makes a schedule unbookable', () => {
    expect(scheduleProblems(berlin)).toEqual([]);
    expect(
      scheduleProblems({
        ...berlin,
        time: '24:00',
        timeZone: 'Nowhere/Land',
        startsOn: '2027-02-30',
        durationMinutes: 0,
      }),
    ).toEqual([
      'a time is HH:MM on a 24-hour clock',
      'the time zone "Nowhere/Land" is not one Outlook knows',
      'the start date is not a calendar date',
      'the duration is a positive whole number of minutes',
    ]);
    expect(scheduleProblems({ ...berlin, endsOn: '2027-03-20' })).toEqual([
      'the series ends before its first meeting',
    ]);
  });
});

describe('words', () => {
  it('describes the series in one sentence', () => {
    expect(
      describeSeries(
        {
          weekday: 'tuesday',
          time: '16:00',
          timeZone: 'Europe/Berlin',
          startsOn: '2026-11-30',
          endsOn: '2027-03-31',
          durationMinutes: 30,
        },
        [
          { email: 'a@x.example', name: 'A' },
          { email: 'b@x.example', name: 'B' },
        ],
        'Weekly co-sell review: Northwind',
      ),
    ).toBe(
      '"Weekly co-sell review: Northwind": every Tuesday at 16:00 (Europe/Berlin), 30 minutes, from Dec 1, 2026 until Mar 31, 2027 — 2 attendees',
    );
    expect(
      describeSeries({
        weekday: 'friday',
        time: '09:30',
        timeZone: 'UTC',
        startsOn: '2026-11-27',
        durationMinutes: 30,
      }),
    ).toBe('every Friday at 09:30 (UTC), 30 minutes, from Nov 27, 2026 with no end date — no attendees yet');
  });

  it('a subject on one line, at most 200 characters of title', () => {
    expect(seriesSubject('Northwind\r\nexpansion')).toBe('Weekly co-sell review: Northwind expansion');
    expect(seriesSubject('x'.repeat(300)).length).toBe('Weekly co-sell review: '.length + 200);
  });

  it('html to text keeps escaped plan text as text', () => {
    expect(htmlToText('<p>Plan &lt;script&gt; &amp; co</p><div>Next</div>')).toBe('Plan <script> & co\nNext');
    expect(htmlToText('<td>&amp;lt;</td>')).toBe('&lt;');
  });
});

describe('Outlook bodies: the app part between markers, the rest kept', () => {
  const teams = '<div>Microsoft Teams meeting <a href="https://teams.microsoft.com/l/x">Join</a></div>';

  it('replaces only the app part and keeps the Teams blob', () => {
    const created = `<html><head></head><body>${mergeBody(undefined, '<p>v1</p>')}${teams}</body></html>`;
    expect(appBodyOf(created)).toBe('<p>v1</p>');
    const next = mergeBody(created, '<p>v2</p>');
    expect(next).toBe(`${BODY_START}<p>v2</p>${BODY_END}${teams}`);
    expect(appBodyOf(next)).toBe('<p>v2</p>');
  });

  it('without markers (edited in Outlook) the app part goes first and the rest is kept', () => {
    const edited = `<html><body>Someone typed here${teams}</body></html>`;
    expect(mergeBody(edited, '<p>v3</p>')).toBe(
      `${BODY_START}<p>v3</p>${BODY_END}Someone typed here${teams}`,
    );
    expect(appBodyOf(edited)).toBe(`Someone typed here${teams}`);
  });
});

describe('proposing a free weekly slot', () => {
  const wish: SeriesSchedule = {
    weekday: 'tuesday',
    time: '16:00',
    timeZone: 'Europe/Berlin',
    startsOn: '2026-10-13',
    durationMinutes: 30,
  };
  const from = new Date('2026-10-12T00:00:00Z');

  it('the wish itself when everyone is free', () => {
    expect(proposeSchedules(wish, [], from)[0]).toEqual(wish);
  });

  it('around a clash in any of the weeks asked, nearest first', () => {
    // Someone is busy Tuesday 16:00–17:00 Berlin time in the third week only.
    const busy = [{ start: '2026-10-27T15:00:00Z', end: '2026-10-27T16:00:00Z', status: 'busy' as const }];
    expect(isScheduleFree(wish, busy, from, 4)).toBe(false);
    expect(isScheduleFree(wish, busy, from, 2)).toBe(true);
    const proposals = proposeSchedules(wish, busy, from, { limit: 3 });
    expect(proposals.map((p) => `${p.weekday} ${p.time}`)).toEqual([
      'tuesday 15:30',
      'tuesday 15:00',
      'tuesday 14:30',
    ]);
    for (const p of proposals) expect(isScheduleFree(p, busy, from, 4)).toBe(true);
  });
});
