import {
  AttachmentTooLargeError,
  type CalendarGateway,
  type CalendarOrganiser,
  InvalidSeriesError,
  MAX_ATTACHMENT_BYTES,
  SeriesNotFoundError,
  type SeriesRequest,
  seriesIdempotencyKey,
} from '@cosell/shared';
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/*
 * What every CalendarGateway adapter guarantees (the embedded calendar and Outlook through Graph). Series go
 * in and come out through the port only; the fixture alone looks under it (how many series one key made)
 * and can lose the answer of the next create after it took effect.
 */

export interface CalendarFixture {
  gateway: CalendarGateway;
  organiser: CalendarOrganiser;
  /** The next createSeries takes effect, but its answer never reaches the caller. */
  loseNextCreateAnswer(): void;
  /** Live (not cancelled) series stored for an idempotency key, counted under the port. */
  countSeries(idempotencyKey: string): Promise<number>;
  /** Parses an .ics export and returns what the contract checks; absent when the adapter has no renderer yet. */
  parseIcs?: (ics: string) => ReturnType<typeof parseIcsWithIcalJs>;
  cleanup(): Promise<void>;
}

/** What the contract reads from an .ics, parsed by ical.js (its own VTIMEZONE registered, occurrences expanded). */
export function parseIcsWithIcalJs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const tz of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = String(tz.getFirstPropertyValue('tzid'));
    ICAL.TimezoneService.remove(tzid);
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  }
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  const rrule = event.getFirstPropertyValue('rrule');
  const start = event.getFirstProperty('dtstart');
  const iterator = new ICAL.Event(event).iterator();
  const firstStarts: string[] = [];
  for (let i = 0; i < 3; i++) {
    const next = iterator.next();
    if (!next) break;
    firstStarts.push(next.toJSDate().toISOString());
  }
  return {
    rrule: rrule ? String(rrule.toString()) : '',
    timeZone: String(start?.getParameter('tzid') ?? ''),
    attendees: event.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
    attachments: event.getAllProperties('attach').length,
    firstStarts,
  };
}

const PDF = new TextEncoder().encode('%PDF-1.7\n% the plan\n%%EOF\n');

function request(planId: string, overrides: Partial<SeriesRequest> = {}): SeriesRequest {
  return {
    planId,
    subject: `Weekly co-sell review: ${planId}`,
    schedule: {
      weekday: 'tuesday',
      time: '16:00',
      timeZone: 'Europe/Berlin',
      startsOn: '2026-10-12',
      durationMinutes: 30,
    },
    attendees: [
      { email: 'maya.okafor@vendor.example', name: 'Maya Okafor' },
      { email: 'li.wei@partner.example', name: 'Li Wei' },
    ],
    bodyHtml: '<table><tr><td>Plan v1 &amp; co</td></tr></table>',
    bodyText: 'Plan v1 & co',
    planVersion: 1,
    tabUrl: `https://teams.example/plans/${planId}`,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export function describeCalendarGatewayContract(name: string, open: () => Promise<CalendarFixture>): void {
  describe(`CalendarGateway contract: ${name}`, () => {
    let fixture: CalendarFixture;
    let gateway: CalendarGateway;
    let organiser: CalendarOrganiser;

    beforeEach(async () => {
      fixture = await open();
      gateway = fixture.gateway;
      organiser = fixture.organiser;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('booking', () => {
      it('books a series that reads back as it was asked for', async () => {
        const key = seriesIdempotencyKey('plan-a', 1);
        const series = await gateway.createSeries(organiser, request('plan-a'), key);
        expect(series).toMatchObject({
          idempotencyKey: key,
          planId: 'plan-a',
          subject: 'Weekly co-sell review: plan-a',
          // The schedule as asked, starting on its first meeting day (Monday the 12th → Tuesday the 13th).
          schedule: { ...request('plan-a').schedule, startsOn: '2026-10-13' },
          attendees: request('plan-a').attendees,
          planVersion: 1,
          cancelled: false,
        });
        expect(series.organiser.address.toLowerCase()).toBe(organiser.address.toLowerCase());
        expect(series.bodyHtml).toContain('Plan v1 &amp; co');
        expect(await gateway.getSeries(organiser, series.id)).toEqual(series);
        expect(await gateway.findSeriesByKey(organiser, key)).toEqual(series);
      });

      it('an unknown key or id finds nothing', async () => {
        expect(await gateway.findSeriesByKey(organiser, seriesIdempotencyKey('nobody', 1))).toBeUndefined();
        await gateway.createSeries(organiser, request('plan-b'), seriesIdempotencyKey('plan-b', 1));
        expect(await gateway.findSeriesByKey(organiser, seriesIdempotencyKey('plan-b', 2))).toBeUndefined();
        expect(await gateway.getSeries(organiser, 'no-such-series')).toBeUndefined();
      });

      it('the same key books one series: a retry returns the first, whatever it asks', async () => {
        const key = seriesIdempotencyKey('plan-c', 1);
        const first = await gateway.createSeries(organiser, request('plan-c'), key);
        const again = await gateway.createSeries(
          organiser,
          request('plan-c', { subject: 'Another subject', planVersion: 9 }),
          key,
        );
        expect(again.id).toBe(first.id);
        expect(again.subject).toBe(first.subject);
        expect(await fixture.countSeries(key)).toBe(1);
      });

      it('concurrent bookings with one key make one series', async () => {
        const key = seriesIdempotencyKey('plan-d', 1);
        const all = await Promise.all(
          [1, 2, 3].map(() => gateway.createSeries(organiser, request('plan-d'), key)),
        );
        expect(new Set(all.map((s) => s.id)).size).toBe(1);
        expect(await fixture.countSeries(key)).toBe(1);
      });

      it('a create whose answer was lost, then retried, makes exactly one series', async () => {
        const key = seriesIdempotencyKey('plan-e', 1);
        fixture.loseNextCreateAnswer();
        let first: unknown;
        try {
          first = await gateway.createSeries(organiser, request('plan-e'), key);
        } catch (error) {
          first = error;
        }
        const retried = await gateway.createSeries(organiser, request('plan-e'), key);
        if (!(first instanceof Error)) expect((first as { id: string }).id).toBe(retried.id);
        expect(await fixture.countSeries(key)).toBe(1);
        expect((await gateway.findSeriesByKey(organiser, key))?.id).toBe(retried.id);
      });

      it('different bookings of one plan (after a cancel) are different series', async () => {
        const first = await gateway.createSeries(
          organiser,
          request('plan-f'),
          seriesIdempotencyKey('plan-f', 1),
        );
        await gateway.cancelSeries(organiser, first.id, 'The plan was paused');
        const second = await gateway.createSeries(
          organiser,
          request('plan-f'),
          seriesIdempotencyKey('plan-f', 2),
        );
        expect(second.id).not.toBe(first.id);
        expect(second.cancelled).toBe(false);
      });

      it('refuses a series it cannot book, naming the problem, and books nothing', async () => {
        const key = seriesIdempotencyKey('plan-g', 1);
        const badZone = await rejection(
          gateway.createSeries(
            organiser,
            request('plan-g', { schedule: { ...request('plan-g').schedule, timeZone: 'Mars/Olympus_Mons' } }),
            key,
          ),
        );
        expect(badZone).toBeInstanceOf(InvalidSeriesError);
        expect((badZone as InvalidSeriesError).problems.join(' ')).toMatch(/Mars\/Olympus_Mons/);
        const badPerson = await rejection(
          gateway.createSeries(
            organiser,
            request('plan-g', { attendees: [{ email: 'not an address', name: 'X' }] }),
            key,
          ),
        );
        expect(badPerson).toBeInstanceOf(InvalidSeriesError);
        expect(await fixture.countSeries(key)).toBe(0);
      });
    });

    describe('occurrences', () => {
      it('are weekly at the same wall-clock time across a daylight saving change', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-h'),
          seriesIdempotencyKey('plan-h', 1),
        );
        const occurrences = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-12T00:00:00Z',
          '2026-11-05T00:00:00Z',
        );
        // Berlin leaves summer time on Sunday 2026-10-25: 16:00 is 14:00Z before and 15:00Z after.
        expect(occurrences.map((o) => [o.start, o.end])).toEqual([
          ['2026-10-13T14:00:00.000Z', '2026-10-13T14:30:00.000Z'],
          ['2026-10-20T14:00:00.000Z', '2026-10-20T14:30:00.000Z'],
          ['2026-10-27T15:00:00.000Z', '2026-10-27T15:30:00.000Z'],
          ['2026-11-03T15:00:00.000Z', '2026-11-03T15:30:00.000Z'],
        ]);
        expect(new Set(occurrences.map((o) => o.id)).size).toBe(4);
        for (const o of occurrences) {
          expect(o).toMatchObject({ seriesId: series.id, planVersion: 1, modified: false });
        }
      });

      it('in New York across the US change, and not past the end date', async () => {
        const schedule = {
          weekday: 'friday' as const,
          time: '09:30',
          timeZone: 'America/New_York',
          startsOn: '2026-10-20',
          endsOn: '2026-11-13',
          durationMinutes: 30,
        };
        const series = await gateway.createSeries(
          organiser,
          request('plan-i', { schedule }),
          seriesIdempotencyKey('plan-i', 1),
        );
        const occurrences = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-01T00:00:00Z',
          '2027-01-01T00:00:00Z',
        );
        // New York leaves daylight time on Sunday 2026-11-01: 09:30 is 13:30Z before and 14:30Z after.
        expect(occurrences.map((o) => o.start)).toEqual([
          '2026-10-23T13:30:00.000Z',
          '2026-10-30T13:30:00.000Z',
          '2026-11-06T14:30:00.000Z',
          '2026-11-13T14:30:00.000Z',
        ]);
      });

      it('lists only those overlapping the window, in start order', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-j'),
          seriesIdempotencyKey('plan-j', 1),
        );
        const one = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-20T14:15:00Z',
          '2026-10-27T15:00:00Z',
        );
        expect(one.map((o) => o.start)).toEqual(['2026-10-20T14:00:00.000Z']);
        const all = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-12T00:00:00Z',
          '2027-01-01T00:00:00Z',
        );
        expect(all).toHaveLength(12);
        expect([...all.map((o) => o.start)].sort()).toEqual(all.map((o) => o.start));
      });

      it('a refreshed occurrence records the plan version its invite carries; the others keep the series one', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-k'),
          seriesIdempotencyKey('plan-k', 1),
        );
        const window = ['2026-10-12T00:00:00Z', '2026-11-05T00:00:00Z'] as const;
        const before = await gateway.listOccurrences(organiser, series.id, ...window);
        const target = before[1];
        if (!target) throw new Error('no second occurrence');
        const results = await gateway.updateOccurrences(organiser, series.id, [
          {
            occurrenceId: target.id,
            bodyHtml: '<p>Plan v2</p>',
            bodyText: 'Plan v2',
            planVersion: 2,
            attachment: { filename: 'plan-v2.pdf', mimeType: 'application/pdf', bytes: PDF },
          },
          {
            occurrenceId: 'not-an-occurrence',
            bodyHtml: '<p>x</p>',
            bodyText: 'x',
            planVersion: 2,
          },
        ]);
        expect(results[0]).toEqual({ occurrenceId: target.id, ok: true });
        expect(results[1]).toMatchObject({ occurrenceId: 'not-an-occurrence', ok: false });
        const after = await gateway.listOccurrences(organiser, series.id, ...window);
        expect(after.map((o) => o.planVersion)).toEqual([1, 2, 1, 1]);
        expect(after.map((o) => o.modified)).toEqual([false, true, false, false]);
        expect(after.map((o) => o.start)).toEqual(before.map((o) => o.start));
        // Refreshing again with the same version is harmless.
        const again = await gateway.updateOccurrences(organiser, series.id, [
          { occurrenceId: target.id, bodyHtml: '<p>Plan v2</p>', bodyText: 'Plan v2', planVersion: 2 },
        ]);
        expect(again).toEqual([{ occurrenceId: target.id, ok: true }]);

        await gateway.updateSeries(organiser, series.id, { bodyHtml: '<p>Plan v3</p>', planVersion: 3 });
        const later = await gateway.listOccurrences(organiser, series.id, ...window);
        expect(later.map((o) => o.planVersion)).toEqual([3, 2, 3, 3]);
      });
    });

    describe('changes', () => {
      it('a reschedule moves every occurrence and reads back', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-l'),
          seriesIdempotencyKey('plan-l', 1),
        );
        const schedule = { ...series.schedule, weekday: 'thursday' as const, time: '08:30' };
        const updated = await gateway.updateSeries(organiser, series.id, { schedule });
        expect(updated.schedule).toEqual({ ...schedule, startsOn: '2026-10-15' });
        expect((await gateway.getSeries(organiser, series.id))?.schedule).toEqual(updated.schedule);
        const occurrences = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-12T00:00:00Z',
          '2026-10-30T00:00:00Z',
        );
        expect(occurrences.map((o) => o.start)).toEqual([
          '2026-10-15T06:30:00.000Z',
          '2026-10-22T06:30:00.000Z',
          '2026-10-29T07:30:00.000Z',
        ]);
      });

      it('a reschedule drops the occurrences refreshed on their own', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-m'),
          seriesIdempotencyKey('plan-m', 1),
        );
        const [first] = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-12T00:00:00Z',
          '2026-10-19T00:00:00Z',
        );
        if (!first) throw new Error('no occurrence');
        await gateway.updateOccurrences(organiser, series.id, [
          { occurrenceId: first.id, bodyHtml: '<p>v5</p>', bodyText: 'v5', planVersion: 5 },
        ]);
        await gateway.updateSeries(organiser, series.id, {
          schedule: { ...series.schedule, time: '17:00' },
        });
        const after = await gateway.listOccurrences(
          organiser,
          series.id,
          '2026-10-12T00:00:00Z',
          '2026-10-19T00:00:00Z',
        );
        expect(after.map((o) => [o.start, o.planVersion, o.modified])).toEqual([
          ['2026-10-13T15:00:00.000Z', 1, false],
        ]);
      });

      it('attendee and subject changes are reflected', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-n'),
          seriesIdempotencyKey('plan-n', 1),
        );
        const attendees = [
          { email: 'maya.okafor@vendor.example', name: 'Maya Okafor' },
          { email: 'sam.new@partner.example', name: 'Sam New' },
          { email: 'ana.css@vendor.example', name: 'Ana Specialist' },
        ];
        const updated = await gateway.updateSeries(organiser, series.id, {
          attendees,
          subject: 'Weekly co-sell review: renamed',
        });
        expect(updated.attendees).toEqual(attendees);
        expect(updated.subject).toBe('Weekly co-sell review: renamed');
        const read = await gateway.getSeries(organiser, series.id);
        expect(read?.attendees).toEqual(attendees);
        expect(read?.subject).toBe('Weekly co-sell review: renamed');
        expect(read?.schedule).toEqual(series.schedule);
      });

      it('refuses bad changes and changes to an unknown series', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-o'),
          seriesIdempotencyKey('plan-o', 1),
        );
        expect(
          await rejection(
            gateway.updateSeries(organiser, series.id, {
              schedule: { ...series.schedule, time: '25:00' },
            }),
          ),
        ).toBeInstanceOf(InvalidSeriesError);
        expect((await gateway.getSeries(organiser, series.id))?.schedule).toEqual(series.schedule);
        expect(
          await rejection(gateway.updateSeries(organiser, 'no-such-series', { subject: 'x' })),
        ).toBeInstanceOf(SeriesNotFoundError);
      });
    });

    describe('attachment', () => {
      it('the plan PDF is on the series, and a new one replaces it', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-p'),
          seriesIdempotencyKey('plan-p', 1),
        );
        expect(series.attachment).toBeUndefined();
        const withPdf = await gateway.setSeriesAttachment(organiser, series.id, {
          filename: 'Co-Sell Plan.pdf',
          mimeType: 'application/pdf',
          bytes: PDF,
        });
        expect(withPdf.attachment).toEqual({
          filename: 'Co-Sell Plan.pdf',
          mimeType: 'application/pdf',
          size: PDF.byteLength,
        });
        const bigger = new Uint8Array(PDF.byteLength + 10).fill(65);
        await gateway.setSeriesAttachment(organiser, series.id, {
          filename: 'Co-Sell Plan.pdf',
          mimeType: 'application/pdf',
          bytes: bigger,
        });
        const read = await gateway.getSeries(organiser, series.id);
        expect(read?.attachment).toEqual({
          filename: 'Co-Sell Plan.pdf',
          mimeType: 'application/pdf',
          size: bigger.byteLength,
        });
        expect(read?.bodyHtml).toContain('Plan v1 &amp; co');
      });

      it('refuses an attachment of 3 MB or more, and keeps the one it had', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-q'),
          seriesIdempotencyKey('plan-q', 1),
        );
        await gateway.setSeriesAttachment(organiser, series.id, {
          filename: 'plan.pdf',
          mimeType: 'application/pdf',
          bytes: PDF,
        });
        const error = await rejection(
          gateway.setSeriesAttachment(organiser, series.id, {
            filename: 'huge.pdf',
            mimeType: 'application/pdf',
            bytes: new Uint8Array(MAX_ATTACHMENT_BYTES + 1),
          }),
        );
        expect(error).toBeInstanceOf(AttachmentTooLargeError);
        expect((error as Error).message).toMatch(/under 3 MB/);
        expect((await gateway.getSeries(organiser, series.id))?.attachment?.filename).toBe('plan.pdf');
      });
    });

    describe('cancel', () => {
      it('cancels the series: no occurrences, no changes, and a second cancel does nothing', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-r'),
          seriesIdempotencyKey('plan-r', 1),
        );
        await gateway.cancelSeries(organiser, series.id, 'The plan was won');
        const read = await gateway.getSeries(organiser, series.id);
        if (read !== undefined) expect(read.cancelled).toBe(true);
        expect(
          await rejection(
            gateway.listOccurrences(organiser, series.id, '2026-10-12T00:00:00Z', '2026-12-01T00:00:00Z'),
          ),
        ).toBeInstanceOf(SeriesNotFoundError);
        expect(await rejection(gateway.updateSeries(organiser, series.id, { subject: 'x' }))).toBeInstanceOf(
          SeriesNotFoundError,
        );
        await gateway.cancelSeries(organiser, series.id, 'again');
        const again = await gateway.findSeriesByKey(organiser, series.idempotencyKey);
        if (again !== undefined) expect(again.cancelled).toBe(true);
      });
    });

    describe('free/busy', () => {
      it('answers where the adapter can see calendars, and says it cannot otherwise', async () => {
        const series = await gateway.createSeries(
          organiser,
          request('plan-s'),
          seriesIdempotencyKey('plan-s', 1),
        );
        const window = { from: '2026-10-20T13:00:00Z', to: '2026-10-20T17:00:00Z' };
        const answer = await gateway.getSchedule(organiser, [organiser.address], window);
        if (!gateway.capabilities.freeBusy) {
          expect(answer).toBeUndefined();
          return;
        }
        expect(answer).toHaveLength(1);
        const [mine] = answer ?? [];
        expect(mine?.email.toLowerCase()).toBe(organiser.address.toLowerCase());
        expect(mine?.busy).toContainEqual({
          start: '2026-10-20T14:00:00.000Z',
          end: '2026-10-20T14:30:00.000Z',
          status: 'busy',
        });
        await gateway.cancelSeries(organiser, series.id, 'gone');
        const after = await gateway.getSchedule(organiser, [organiser.address], window);
        expect(after?.[0]?.busy ?? []).toEqual([]);
      });
    });

    describe('.ics', () => {
      it('exports the series as RFC 5545 that a real parser reads back', async (context) => {
        if (!fixture.parseIcs) {
          context.skip();
          return;
        }
        const series = await gateway.createSeries(
          organiser,
          request('plan-t', {
            // Plan text that tries to break out of its property stays inside it.
            subject: 'Review\r\nATTENDEE:mailto:evil@attacker.example',
            bodyHtml: '<p>Plan</p>\r\nATTACH:https://attacker.example/x',
            bodyText: 'Plan\r\nATTENDEE:mailto:evil@attacker.example',
          }),
          seriesIdempotencyKey('plan-t', 1),
        );
        await gateway.setSeriesAttachment(organiser, series.id, {
          filename: 'plan.pdf',
          mimeType: 'application/pdf',
          bytes: PDF,
        });
        const parsed = fixture.parseIcs(await gateway.exportIcs(organiser, series.id));
        expect(parsed.rrule).toMatch(/FREQ=WEEKLY/);
        expect(parsed.rrule).toMatch(/BYDAY=TU/);
        expect(parsed.timeZone).toBe('Europe/Berlin');
        expect(parsed.attendees.map((a) => a.toLowerCase())).toEqual(
          expect.arrayContaining(['mailto:maya.okafor@vendor.example', 'mailto:li.wei@partner.example']),
        );
        expect(parsed.attendees).toHaveLength(2);
        expect(parsed.attachments).toBe(1);
        expect(parsed.firstStarts).toEqual([
          '2026-10-13T14:00:00.000Z',
          '2026-10-20T14:00:00.000Z',
          '2026-10-27T15:00:00.000Z',
        ]);
      });
    });
  });
}
