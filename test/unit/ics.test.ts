import { base64Encode, foldIcsLine, IcsInputError, type IcsSeries, renderIcs } from '@cosell/shared';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';

/*
 * The .ics of the weekly series (issue 7), parsed back with a real iCalendar parser (ical.js): the
 * recurrence expands to the right instants across daylight-saving changes (the VTIMEZONE is made from
 * Intl, and ical.js computes the offsets from it alone), properties round-trip, plan text cannot break
 * out of its property, lines are folded at 75 octets, the attachment decodes to the same bytes.
 */

const NOW = new Date('2026-11-27T10:00:00Z');

function series(overrides: Partial<IcsSeries> = {}): IcsSeries {
  return {
    uid: 'series-1@cosell.example',
    sequence: 0,
    method: 'REQUEST',
    status: 'CONFIRMED',
    summary: 'Weekly co-sell review: Northwind Logistics',
    startLocal: '2026-03-17T16:00',
    timeZone: 'Europe/Berlin',
    durationMinutes: 30,
    weekdays: ['tuesday'],
    organizer: { name: 'Maya Okafor', email: 'maya.okafor@vendor.example' },
    attendees: [
      { name: 'Sofia Marino', email: 'sofia.marino@contoso.example' },
      { name: 'Kenji Watanabe', email: 'kenji.watanabe@adatum.example' },
    ],
    descriptionText: 'The plan as it is this week.',
    descriptionHtml: '<table role="presentation"><tr><td>The plan; as it is, this week</td></tr></table>',
    url: 'https://teams.microsoft.com/l/entity/app/plan?context=%7B%7D',
    attachments: [],
    ...overrides,
  };
}

interface Parsed {
  calendar: ICAL.Component;
  event: ICAL.Component;
  timezones: ICAL.Component[];
}

/** Parses with ical.js; the file's own VTIMEZONE is the only zone data ical.js gets. */
function parse(text: string): Parsed {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const timezones = calendar.getAllSubcomponents('vtimezone');
  for (const tz of timezones) {
    const tzid = String(tz.getFirstPropertyValue('tzid'));
    ICAL.TimezoneService.remove(tzid);
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  }
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  return { calendar, event, timezones };
}

/** The first `max` occurrences as UTC ISO instants (fewer when the rule ends). */
function occurrences(text: string, max = 20): string[] {
  const { event } = parse(text);
  const iterator = new ICAL.Event(event).iterator();
  const out: string[] = [];
  for (let next = iterator.next(); next && out.length < max; next = iterator.next()) {
    out.push(next.toJSDate().toISOString().replace('.000', ''));
  }
  return out;
}

/** The physical lines of the file (split at CRLF). */
const physicalLines = (text: string) => text.split('\r\n');
/** The logical lines (unfolded). */
const unfolded = (text: string) => text.replace(/\r\n /g, '').split('\r\n');
/** The logical lines of the VEVENT. */
function eventLines(text: string): string[] {
  const lines = unfolded(text);
  return lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);
}
/** A TEXT value as RFC 5545 §3.3.11 reads it back (for X- properties, which ical.js leaves as written). */
const unescapeText = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

function observances(tz: ICAL.Component) {
  return tz.getAllSubcomponents().map((o) => ({
    kind: o.name,
    from: String(o.getFirstProperty('tzoffsetfrom')?.toICALString()).replace('TZOFFSETFROM:', ''),
    to: String(o.getFirstProperty('tzoffsetto')?.toICALString()).replace('TZOFFSETTO:', ''),
    rrule: o.getFirstProperty('rrule')?.toICALString(),
  }));
}

describe('recurrence and time zones', () => {
  it('keeps 16:00 in Berlin across the spring change, and stops at UNTIL', () => {
    const text = renderIcs({ series: series({ until: '2026-04-07' }), now: NOW });
    expect(occurrences(text)).toEqual([
      '2026-03-17T15:00:00Z',
      '2026-03-24T15:00:00Z',
      // Clocks go forward on Sunday 29 March 2026: 16:00 in Berlin is 14:00 UTC from then on.
      '2026-03-31T14:00:00Z',
      '2026-04-07T14:00:00Z',
    ]);
    const rrule = eventLines(text).find((l) => l.startsWith('RRULE:'));
    expect(rrule).toBe('RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260407T215959Z');
    expect(unfolded(text)).toContain('DTSTART;TZID=Europe/Berlin:20260317T160000');
    expect(unfolded(text)).toContain('DURATION:PT30M');
    const [tz] = parse(text).timezones;
    if (!tz) throw new Error('no VTIMEZONE');
    expect(observances(tz)).toEqual(
      expect.arrayContaining([
        { kind: 'daylight', from: '+0100', to: '+0200', rrule: 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU' },
        { kind: 'standard', from: '+0200', to: '+0100', rrule: 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU' },
      ]),
    );
  });

  it('follows the yearly rules years later (Berlin 2028, from the VTIMEZONE alone)', () => {
    const all = occurrences(renderIcs({ series: series(), now: NOW }), 120);
    // The last Sunday of March 2028 is the 26th: the Tuesday before is in winter time, the one after in summer time.
    expect(all).toContain('2028-03-21T15:00:00Z');
    expect(all).toContain('2028-03-28T14:00:00Z');
    expect(all).toHaveLength(120);
  });

  it('keeps 09:00 in New York on two weekdays across the autumn change', () => {
    const text = renderIcs({
      series: series({
        timeZone: 'America/New_York',
        startLocal: '2026-10-26T09:00',
        weekdays: ['thursday', 'monday'],
        until: '2026-11-05',
      }),
      now: NOW,
    });
    expect(occurrences(text)).toEqual([
      '2026-10-26T13:00:00Z',
      '2026-10-29T13:00:00Z',
      // Clocks go back on Sunday 1 November 2026.
      '2026-11-02T14:00:00Z',
      '2026-11-05T14:00:00Z',
    ]);
    expect(unfolded(text)).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261106T045959Z');
    const [tz] = parse(text).timezones;
    if (!tz) throw new Error('no VTIMEZONE');
    expect(observances(tz)).toEqual(
      expect.arrayContaining([
        { kind: 'daylight', from: '-0500', to: '-0400', rrule: 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU' },
        { kind: 'standard', from: '-0400', to: '-0500', rrule: 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU' },
      ]),
    );
  });

  it('handles southern daylight saving (Sydney: summer time from October to April)', () => {
    const text = renderIcs({
      series: series({ timeZone: 'Australia/Sydney', startLocal: '2026-09-29T10:00', until: '2026-10-13' }),
      now: NOW,
    });
    expect(occurrences(text)).toEqual([
      '2026-09-29T00:00:00Z',
      // Clocks go forward on Sunday 4 October 2026: 10:00 in Sydney is 23:00 UTC the day before.
      '2026-10-05T23:00:00Z',
      '2026-10-12T23:00:00Z',
    ]);
    const [tz] = parse(text).timezones;
    if (!tz) throw new Error('no VTIMEZONE');
    expect(observances(tz)).toEqual(
      expect.arrayContaining([
        { kind: 'daylight', from: '+1000', to: '+1100', rrule: 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU' },
        { kind: 'standard', from: '+1100', to: '+1000', rrule: 'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU' },
      ]),
    );
  });

  it('writes a fixed offset for zones without daylight saving (Kolkata, UTC)', () => {
    for (const [timeZone, offset, first] of [
      ['Asia/Kolkata', '+0530', '2026-03-17T10:30:00Z'],
      ['UTC', '+0000', '2026-03-17T16:00:00Z'],
    ] as const) {
      const text = renderIcs({ series: series({ timeZone, until: '2026-03-31' }), now: NOW });
      const [tz, ...others] = parse(text).timezones;
      if (!tz) throw new Error('no VTIMEZONE');
      expect(others).toEqual([]);
      expect(observances(tz)).toEqual([{ kind: 'standard', from: offset, to: offset, rrule: undefined }]);
      const all = occurrences(text);
      expect(all).toHaveLength(3);
      expect(all[0]).toBe(first);
    }
  });

  it('writes no RRULE for a single event, and DTEND-free 90 minutes as a DURATION', () => {
    const text = renderIcs({ series: series({ weekdays: [], durationMinutes: 90 }), now: NOW });
    expect(eventLines(text).some((l) => l.startsWith('RRULE'))).toBe(false);
    expect(parse(text).event.getFirstProperty('rrule')).toBeNull();
    expect(unfolded(text)).toContain('DURATION:PT1H30M');
    expect(occurrences(text)).toEqual(['2026-03-17T15:00:00Z']);
  });
});

describe('properties and escaping', () => {
  it('round-trips the properties of a REQUEST', () => {
    const text = renderIcs({ series: series({ sequence: 3 }), now: NOW });
    const { calendar, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(String(calendar.getFirstPropertyValue('prodid'))).toMatch(/Co-Sell Plan/);
    expect(event.getFirstPropertyValue('uid')).toBe('series-1@cosell.example');
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    expect(String(event.getFirstPropertyValue('dtstamp'))).toBe('2026-11-27T10:00:00Z');
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event.getFirstPropertyValue('url')).toBe(
      'https://teams.microsoft.com/l/entity/app/plan?context=%7B%7D',
    );
    const organizer = event.getFirstProperty('organizer');
    expect(organizer?.getFirstValue()).toBe('mailto:maya.okafor@vendor.example');
    expect(organizer?.getParameter('cn')).toBe('Maya Okafor');
    const attendees = event.getAllProperties('attendee');
    expect(attendees.map((a) => [a.getFirstValue(), a.getParameter('cn')])).toEqual([
      ['mailto:sofia.marino@contoso.example', 'Sofia Marino'],
      ['mailto:kenji.watanabe@adatum.example', 'Kenji Watanabe'],
    ]);
    for (const a of attendees) {
      expect(a.getParameter('role')).toBe('REQ-PARTICIPANT');
      expect(a.getParameter('partstat')).toBe('NEEDS-ACTION');
      expect(a.getParameter('rsvp')).toBe('TRUE');
    }
    const alt = event.getFirstProperty('x-alt-desc');
    expect(alt?.getParameter('fmttype')).toBe('text/html');
    expect(eventLines(text)).toContain(
      'X-ALT-DESC;FMTTYPE=text/html:<table role="presentation"><tr><td>The plan\\; as it is\\, this week</td></tr></table>',
    );
    expect(unescapeText(String(alt?.getFirstValue()))).toBe(series().descriptionHtml);
  });

  it('escapes semicolons, commas, backslashes and line breaks in text, and they come back as written', () => {
    const summary = 'Review; Contoso, A. Datum \\ Northwind\nsecond line';
    const descriptionText = 'Line one;\r\nLine two, with a comma\rLine three\\n (not a break)';
    const text = renderIcs({ series: series({ summary, descriptionText }), now: NOW });
    // The raw lines: this fails if escaping is removed.
    expect(unfolded(text)).toContain('SUMMARY:Review\\; Contoso\\, A. Datum \\\\ Northwind\\nsecond line');
    expect(unfolded(text)).toContain(
      'DESCRIPTION:Line one\\;\\nLine two\\, with a comma\\nLine three\\\\n (not a break)',
    );
    const { event } = parse(text);
    expect(event.getFirstPropertyValue('summary')).toBe(
      'Review; Contoso, A. Datum \\ Northwind\nsecond line',
    );
    expect(event.getFirstPropertyValue('description')).toBe(
      'Line one;\nLine two, with a comma\nLine three\\n (not a break)',
    );
  });

  it('keeps CR/LF injection attempts inside their property: exactly the attendees given', () => {
    const evil = 'x\r\nATTENDEE:mailto:evil@x.example\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil';
    const text = renderIcs({
      series: series({
        summary: evil,
        descriptionText: evil,
        descriptionHtml: `<p>${evil}</p>`,
        organizer: {
          name: `Maya "the boss"\r\nATTENDEE:mailto:evil@x.example`,
          email: 'maya.okafor@vendor.example',
        },
        attendees: [
          { name: 'Sofia;ROLE=CHAIR:mailto:evil@x.example\n', email: 'sofia.marino@contoso.example' },
        ],
        attachments: [
          {
            filename: 'plan"\r\nATTENDEE:mailto:evil@x.example.pdf',
            mimeType: 'application/pdf\r\nATTENDEE:mailto:evil@x.example',
            bytes: new Uint8Array([1, 2, 3]),
          },
        ],
      }),
      now: NOW,
    });
    for (const line of physicalLines(text)) {
      expect(line).not.toMatch(/^(ATTENDEE:|END:VEVENT.|BEGIN:VEVENT.|UID:evil)/);
    }
    expect(physicalLines(text).filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(1);
    expect(physicalLines(text).filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    const { calendar, event } = parse(text);
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(event.getAllProperties('attendee').map((a) => a.getFirstValue())).toEqual([
      'mailto:sofia.marino@contoso.example',
    ]);
    expect(event.getFirstProperty('attendee')?.getParameter('role')).toBe('REQ-PARTICIPANT');
    expect(event.getFirstProperty('attendee')?.getParameter('cn')).toBe(
      'Sofia;ROLE=CHAIR:mailto:evil@x.example',
    );
    expect(event.getFirstPropertyValue('uid')).toBe('series-1@cosell.example');
    expect(event.getFirstPropertyValue('summary')).toBe(evil.replace(/\r\n/g, '\n'));
    expect(event.getFirstProperty('organizer')?.getParameter('cn')).toBe(
      "Maya 'the boss' ATTENDEE:mailto:evil@x.example",
    );
    const attach = event.getFirstProperty('attach');
    expect(attach?.getParameter('fmttype')).toBe('application/octet-stream');
    expect(attach?.getParameter('x-filename')).toBe("plan' ATTENDEE:mailto:evil@x.example.pdf");
  });

  it('refuses addresses that are not addresses and zones it does not know', () => {
    expect(() =>
      renderIcs({
        series: series({ attendees: [{ name: 'x', email: 'evil@x.example\r\nATTENDEE:mailto:a@b.c' }] }),
        now: NOW,
      }),
    ).toThrow(IcsInputError);
    expect(() =>
      renderIcs({ series: series({ organizer: { name: 'x', email: 'not an address' } }), now: NOW }),
    ).toThrow(/organizer\.email/);
    expect(() => renderIcs({ series: series({ timeZone: 'Mars/Olympus' }), now: NOW })).toThrow(/timeZone/);
    expect(() => renderIcs({ series: series({ timeZone: 'Europe/Berlin\r\nX:1' }), now: NOW })).toThrow(
      /timeZone/,
    );
    expect(() => renderIcs({ series: series({ startLocal: '2026-02-30T10:00' }), now: NOW })).toThrow(
      /startLocal/,
    );
  });

  it('leaves out a URL that is not https', () => {
    for (const url of ['javascript:alert(1)', 'http://example.com/plan', 'not a url']) {
      const text = renderIcs({ series: series({ url }), now: NOW });
      expect(unfolded(text).some((l) => l.startsWith('URL'))).toBe(false);
    }
  });

  it('cancels the series: METHOD:CANCEL, STATUS:CANCELLED, same UID, no attachment', () => {
    const text = renderIcs({
      series: series({
        method: 'CANCEL',
        status: 'CONFIRMED',
        sequence: 4,
        attachments: [{ filename: 'plan.pdf', mimeType: 'application/pdf', bytes: new Uint8Array([1]) }],
      }),
      now: NOW,
    });
    const { calendar, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('uid')).toBe('series-1@cosell.example');
    expect(event.getFirstPropertyValue('sequence')).toBe(4);
    expect(event.getAllProperties('attach')).toEqual([]);
    expect(event.getAllProperties('attendee')).toHaveLength(2);
  });
});

describe('lines and bytes', () => {
  it('folds every line at 75 octets without splitting a character, with CRLF line ends', () => {
    const descriptionText = `${'Zoë Ångström 李雷 🎉 '.repeat(60)}end`;
    const summary = '李雷'.repeat(60);
    const text = renderIcs({ series: series({ descriptionText, summary }), now: NOW });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const encoder = new TextEncoder();
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const line of physicalLines(text)) {
      const bytes = encoder.encode(line);
      expect(bytes.length).toBeLessThanOrEqual(75);
      // Each physical line on its own is whole UTF-8: no sequence was cut by the fold.
      expect(() => strict.decode(bytes)).not.toThrow();
    }
    const { event } = parse(text);
    expect(event.getFirstPropertyValue('description')).toBe(descriptionText);
    expect(event.getFirstPropertyValue('summary')).toBe(summary);
    // Folding is exact at the boundary: 75 octets stay on one line, 76 do not.
    expect(foldIcsLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldIcsLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    expect(foldIcsLine(`${'x'.repeat(74)}é`)).toBe(`${'x'.repeat(74)}\r\n é`);
  });

  it('attaches the PDF bytes in base64 and they decode to the same bytes', () => {
    const bytes = new Uint8Array(5000);
    let seed = 7;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      bytes[i] = seed & 0xff;
    }
    const text = renderIcs({
      series: series({
        attachments: [{ filename: 'Northwind – plan (A4).pdf', mimeType: 'application/pdf', bytes }],
      }),
      now: NOW,
    });
    const attach = parse(text).event.getFirstProperty('attach');
    expect(attach?.getParameter('fmttype')).toBe('application/pdf');
    expect(attach?.getParameter('encoding')).toBe('BASE64');
    expect(attach?.type).toBe('binary');
    expect(eventLines(text).find((l) => l.startsWith('ATTACH'))).toMatch(
      /^ATTACH;FMTTYPE=application\/pdf;ENCODING=BASE64;VALUE=BINARY;X-FILENAME="Northwind – plan \(A4\)\.pdf":/,
    );
    expect(attach?.getParameter('x-filename')).toBe('Northwind – plan (A4).pdf');
    const value = attach?.getFirstValue() as { value?: string } | string;
    const base64 = typeof value === 'string' ? value : String(value.value);
    expect(new Uint8Array(Buffer.from(base64, 'base64'))).toEqual(bytes);
  });

  it('encodes base64 as RFC 4648 does, at every length', () => {
    for (let n = 0; n < 12; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 250) & 0xff);
      expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
