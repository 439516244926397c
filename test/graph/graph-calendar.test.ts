import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CalendarOrganiser, type SeriesRequest, seriesIdempotencyKey } from '@cosell/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GraphCalendarGateway,
  PLAN_VERSION_PROPERTY,
  SERIES_KEY_PROPERTY,
  TIME_ZONE_PROPERTY,
} from '../../functions/src/adapters/graph-calendar';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';

/*
 * What only the Graph calendar adapter and the emulator's calendars promise: the emulator answers the
 * documented calendar requests with the documented bodies (reference/graph-examples, copied into
 * test/graph-emulator/fixtures); the adapter's requests have the documented shape (Windows zone names,
 * weekly recurrence, Teams meeting, transactionId, the key as an extended property); and faults — a lost
 * answer, a 503, a 429, a throttled or lost `$batch` — make neither a duplicate series nor a missed refresh.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../graph-emulator/fixtures');
const MAILBOX = 'ana.css@vendor.example';
const ORGANISER: CalendarOrganiser = { kind: 'mailbox', address: MAILBOX, name: 'Ana' };
const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');

function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

/** Members of `documented` missing from `actual`, or of another JSON type (recursively, first array item). */
function shapeProblems(actual: unknown, documented: unknown, at = '$'): string[] {
  const type = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (documented === null || actual === null) return [];
  if (type(actual) !== type(documented)) return [`${at}: ${type(actual)}, documented ${type(documented)}`];
  if (Array.isArray(documented)) {
    const [first] = documented;
    const [mine] = actual as unknown[];
    return first === undefined || mine === undefined ? [] : shapeProblems(mine, first, `${at}[0]`);
  }
  if (type(documented) !== 'object') return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(documented as Record<string, unknown>)) {
    const mine = (actual as Record<string, unknown>)[key];
    if (mine === undefined) problems.push(`${at}.${key}: missing`);
    else problems.push(...shapeProblems(mine, value, `${at}.${key}`));
  }
  return problems;
}

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.calendars.reset();
  emulator.resetStats();
  emulator.setFaults({});
});

async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}/v1.0${url}`, {
    method,
    headers: { Authorization: 'Bearer test', 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

function gateway(options: { onRetry?: () => void } = {}): GraphCalendarGateway {
  return new GraphCalendarGateway({
    graph: createGraphClient({
      tokenProvider: new StaticTokenProvider('app-only'),
      emulatorUrl: emulator.url,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    }),
    clock: { now: () => new Date('2026-10-10T08:00:00Z') },
  });
}

function request(planId: string, overrides: Partial<SeriesRequest> = {}): SeriesRequest {
  return {
    planId,
    subject: `Weekly co-sell review: ${planId}`,
    schedule: {
      weekday: 'tuesday',
      time: '16:00',
      timeZone: 'Europe/Berlin',
      startsOn: '2026-10-13',
      endsOn: '2027-03-30',
      durationMinutes: 30,
    },
    attendees: [
      { email: 'maya.okafor@vendor.example', name: 'Maya Okafor' },
      { email: 'li.wei@partner.example', name: 'Li Wei' },
    ],
    bodyHtml: '<p>Plan v1</p>',
    bodyText: 'Plan v1',
    planVersion: 1,
    ...overrides,
  };
}

const PST = { Prefer: 'outlook.timezone="Pacific Standard Time"' };

describe('the emulator answers the documented calendar requests with the documented bodies', () => {
  it('a weekly recurring event (event-create-recurring.*): 201, normalised recurrence', async () => {
    const created = await call(
      'POST',
      `/users/${MAILBOX}/events`,
      fixture('event-create-recurring.request.json'),
      PST,
    );
    expect(created.status).toBe(201);
    const documented = fixture('event-create-recurring.response.json') as Record<string, unknown>;
    expect(shapeProblems(created.body, documented)).toEqual([]);
    const body = created.body as Record<string, unknown>;
    expect(body.recurrence).toEqual(documented.recurrence);
    expect(body.type).toBe('seriesMaster');
    expect(body.start).toEqual(documented.start);
    expect(body.end).toEqual(documented.end);
    expect(body.transactionId).toBeUndefined();
  });

  it('a Teams meeting (event-create-online-meeting.*) and a transactionId (event-create-transactionid.*)', async () => {
    const online = await call(
      'POST',
      `/users/${MAILBOX}/events`,
      fixture('event-create-online-meeting.request.json'),
      PST,
    );
    expect(online.status).toBe(201);
    expect(shapeProblems(online.body, fixture('event-create-online-meeting.response.json'))).toEqual([]);
    expect((online.body as { onlineMeeting: { joinUrl: string } }).onlineMeeting.joinUrl).toMatch(
      /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
    );
    const first = await call(
      'POST',
      `/users/${MAILBOX}/events`,
      fixture('event-create-transactionid.request.json'),
      PST,
    );
    expect(first.status).toBe(201);
    expect(shapeProblems(first.body, fixture('event-create-transactionid.response.json'))).toEqual([]);
    expect((first.body as { transactionId: string }).transactionId).toBe(
      '7E163156-7762-4BEB-A1C6-729EA81755A7',
    );
    // [CHOSEN] the same transactionId again: the event already made, not a second one.
    const again = await call(
      'POST',
      `/users/${MAILBOX}/events`,
      fixture('event-create-transactionid.request.json'),
      PST,
    );
    expect(again.status).toBe(201);
    expect((again.body as { id: string }).id).toBe((first.body as { id: string }).id);
    expect(emulator.calendars.inspect(MAILBOX)).toHaveLength(2);
  });

  it('instances (event-instances.response.json), attachments (event-attachment-file.*) and cancel', async () => {
    const created = await call(
      'POST',
      `/users/${MAILBOX}/events`,
      fixture('event-create-recurring.request.json'),
    );
    const id = (created.body as { id: string }).id;
    const missing = await call('GET', `/users/${MAILBOX}/events/${id}/instances`);
    expect(missing.status).toBe(400);
    const instances = await call(
      'GET',
      `/users/${MAILBOX}/events/${id}/instances?startDateTime=2017-09-01T00:00:00.0000000&endDateTime=2017-09-30T00:00:00.0000000`,
    );
    expect(instances.status).toBe(200);
    expect(shapeProblems(instances.body, fixture('event-instances.response.json'))).toEqual([]);
    const value = (instances.body as { value: { start: { dateTime: string } }[] }).value;
    // Mondays of September 2017 from the 4th, 12:00 in Pacific time (19:00 UTC, daylight time).
    expect(value.map((i) => i.start.dateTime)).toEqual([
      '2017-09-04T19:00:00.0000000',
      '2017-09-11T19:00:00.0000000',
      '2017-09-18T19:00:00.0000000',
      '2017-09-25T19:00:00.0000000',
    ]);

    const attached = await call(
      'POST',
      `/users/${MAILBOX}/events/${id}/attachments`,
      fixture('event-attachment-file.request.json'),
    );
    expect(attached.status).toBe(201);
    expect(shapeProblems(attached.body, fixture('event-attachment-file.response.json'))).toEqual([]);
    expect(
      ((await call('GET', `/users/${MAILBOX}/events/${id}`)).body as { hasAttachments: boolean })
        .hasAttachments,
    ).toBe(true);

    const cancelled = await call(
      'POST',
      `/users/${MAILBOX}/events/${id}/cancel`,
      fixture('event-cancel.request.json'),
    );
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toBeUndefined();
    expect((await call('GET', `/users/${MAILBOX}/events/${id}`)).status).toBe(404);
    expect(emulator.calendars.inspect(MAILBOX)[0]?.cancelComment).toBe(
      'Cancelling for this week due to all hands',
    );
  });

  it('getSchedule (getschedule.*): 200 with schedule items and the availability view', async () => {
    await call('POST', `/users/adelev@contoso.onmicrosoft.com/events`, {
      subject: "Let's go for lunch",
      start: { dateTime: '2019-03-15T12:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2019-03-15T14:00:00', timeZone: 'Pacific Standard Time' },
    });
    const answer = await call(
      'POST',
      `/users/${MAILBOX}/calendar/getSchedule`,
      fixture('getschedule.request.json'),
      PST,
    );
    expect(answer.status).toBe(200);
    const documented = fixture('getschedule.response.json') as { value: Record<string, unknown>[] };
    expect(shapeProblems(answer.body, { value: [documented.value[0]] })).toEqual([]);
    const [adele, megan] = (
      answer.body as { value: { availabilityView: string; scheduleItems: unknown[] }[] }
    ).value;
    expect(adele?.availabilityView).toBe(documented.value[0]?.availabilityView);
    expect(adele?.scheduleItems).toEqual([
      expect.objectContaining({
        status: 'busy',
        start: { dateTime: '2019-03-15T12:00:00.0000000', timeZone: 'Pacific Standard Time' },
        end: { dateTime: '2019-03-15T14:00:00.0000000', timeZone: 'Pacific Standard Time' },
      }),
    ]);
    expect(megan?.availabilityView).toBe('000000000');
  });

  it('an update whose body drops the Teams meeting blob disables the meeting (documented)', async () => {
    const created = await call(
      'POST',
      `/users/${MAILBOX}/events`,
      fixture('event-create-online-meeting.request.json'),
    );
    const id = (created.body as { id: string }).id;
    const patched = await call('PATCH', `/users/${MAILBOX}/events/${id}`, {
      body: { contentType: 'HTML', content: 'new' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ isOnlineMeeting: false, onlineMeeting: null });
  });
});

describe('the adapter sends the documented requests', () => {
  it('create: weekly recurrence in Windows zones, a Teams meeting, transactionId and the key property, no attachments', async () => {
    const key = seriesIdempotencyKey('shape', 1);
    await gateway().createSeries(ORGANISER, request('shape'), key);
    const creates = emulator.calendars.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/events'),
    );
    expect(creates).toHaveLength(1);
    const body = creates[0]?.body as Record<string, unknown>;
    const documentedKeys = new Set([
      ...Object.keys(fixture('event-create-recurring.request.json') as object),
      ...Object.keys(fixture('event-create-online-meeting.request.json') as object),
      ...Object.keys(fixture('event-create-transactionid.request.json') as object),
      'singleValueExtendedProperties',
    ]);
    expect(Object.keys(body).filter((k) => !documentedKeys.has(k))).toEqual([]);
    expect(body).toMatchObject({
      start: { dateTime: '2026-10-13T16:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2026-10-13T16:30:00', timeZone: 'W. Europe Standard Time' },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      transactionId: key,
    });
    expect(body.attachments).toBeUndefined();
    const documentedRecurrence = (
      fixture('recurrence-weekly-enddate.json') as { recurrence: Record<string, unknown> }
    ).recurrence;
    expect(shapeProblems(body.recurrence, documentedRecurrence)).toEqual([]);
    expect(body.recurrence).toEqual({
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'sunday' },
      range: {
        type: 'endDate',
        startDate: '2026-10-13',
        endDate: '2027-03-30',
        recurrenceTimeZone: 'W. Europe Standard Time',
      },
    });
    expect(body.singleValueExtendedProperties).toEqual(
      expect.arrayContaining([
        { id: SERIES_KEY_PROPERTY, value: key },
        { id: PLAN_VERSION_PROPERTY, value: '1' },
        { id: TIME_ZONE_PROPERTY, value: 'Europe/Berlin' },
      ]),
    );
    expect(SERIES_KEY_PROPERTY).toMatch(/^String \{[0-9a-f-]{36}\} Name CosellSeriesKey$/);
  });

  it('no end date is a noEnd range; New York and Kolkata get their Windows names', async () => {
    const g = gateway();
    await g.createSeries(
      ORGANISER,
      request('ny', {
        schedule: { ...request('ny').schedule, timeZone: 'America/New_York', endsOn: undefined },
      }),
      seriesIdempotencyKey('ny', 1),
    );
    await g.createSeries(
      ORGANISER,
      request('in', { schedule: { ...request('in').schedule, timeZone: 'Asia/Kolkata' } }),
      seriesIdempotencyKey('in', 1),
    );
    const [ny, kolkata] = emulator.calendars.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/events'))
      .map((r) => r.body as { start: { timeZone: string }; recurrence: { range: Record<string, unknown> } });
    expect(ny?.start.timeZone).toBe('Eastern Standard Time');
    expect(ny?.recurrence.range).toEqual({
      type: 'noEnd',
      startDate: '2026-10-13',
      recurrenceTimeZone: 'Eastern Standard Time',
    });
    expect(kolkata?.start.timeZone).toBe('India Standard Time');
  });

  it('as the signed-in user it calls /me with the delegated token; an app-only token at /me is refused', async () => {
    emulator.calendars.signIn('delegated-ana', MAILBOX);
    const user: CalendarOrganiser = { kind: 'user', address: MAILBOX, tokenFor: async () => 'delegated-ana' };
    const series = await gateway().createSeries(user, request('me'), seriesIdempotencyKey('me', 1));
    expect(emulator.calendars.requests.every((r) => r.path.startsWith('/me/'))).toBe(true);
    // The same series is reachable app-only in the user's mailbox (how a timer refreshes it).
    expect((await gateway().getSeries(ORGANISER, series.id))?.id).toBe(series.id);
    const refused = await call('GET', '/me/events');
    expect(refused.status).toBe(400);
  });

  it('the attachment is added, then the event updated with its Teams meeting kept', async () => {
    const g = gateway();
    const series = await g.createSeries(ORGANISER, request('pdf'), seriesIdempotencyKey('pdf', 1));
    const before = emulator.calendars.inspect(MAILBOX)[0]?.notifications ?? 0;
    emulator.calendars.requests.length = 0;
    await g.setSeriesAttachment(ORGANISER, series.id, {
      filename: 'plan.pdf',
      mimeType: 'application/pdf',
      bytes: PDF,
    });
    await g.updateSeries(ORGANISER, series.id, { bodyHtml: '<p>Plan v2</p>', planVersion: 2 });
    const order = emulator.calendars.requests.map(
      (r) =>
        `${r.method} ${r.path.endsWith('/attachments') ? 'attachments' : /\/events\/[^/]+$/.test(r.path) ? 'event' : r.path}`,
    );
    expect(order.indexOf('POST attachments')).toBeLessThan(order.indexOf('PATCH event'));
    const [event] = emulator.calendars.inspect(MAILBOX);
    expect(event?.attachments.map((a) => [a.name, a.bytes.equals(Buffer.from(PDF))])).toEqual([
      ['plan.pdf', true],
    ]);
    expect(event?.notifications).toBe(before + 2);
    expect(event?.isOnlineMeeting).toBe(true);
    expect(event?.body).toContain(event?.joinUrl ?? 'no join url');
    expect(event?.body).toContain('<p>Plan v2</p>');
    expect(event?.body).not.toContain('Plan v1');
    expect((await g.getSeries(ORGANISER, series.id))?.joinUrl).toBe(event?.joinUrl);
  });
});

describe('faults: never a duplicate, never a missed refresh', () => {
  it('a lost create answer: found by its key property, not created again', async () => {
    emulator.queueFault({ kind: 'lost', match: (method, p) => method === 'POST' && /\/events$/.test(p) });
    const key = seriesIdempotencyKey('lost', 1);
    const series = await gateway().createSeries(ORGANISER, request('lost'), key);
    expect(emulator.stats.faults.lost).toBe(1);
    expect(emulator.stats.byEndpoint['POST events']).toBe(1);
    expect(emulator.calendars.inspect(MAILBOX).map((e) => e.id)).toEqual([series.id]);
  });

  it('without any transactionId dedupe on the server, the key property alone keeps a lost create single', async () => {
    const strict = await startGraphEmulator({ calendar: { transactionIdDedupe: 'off' } });
    try {
      const g = new GraphCalendarGateway({
        graph: createGraphClient({ tokenProvider: new StaticTokenProvider('x'), emulatorUrl: strict.url }),
      });
      strict.queueFault({ kind: 'lost', match: (method, p) => method === 'POST' && /\/events$/.test(p) });
      const key = seriesIdempotencyKey('strict', 1);
      await expect(g.createSeries(ORGANISER, request('strict'), key)).resolves.toMatchObject({
        idempotencyKey: key,
      });
      await g.createSeries(ORGANISER, request('strict'), key);
      expect(strict.stats.faults.lost).toBe(1);
      expect(strict.calendars.inspect(MAILBOX)).toHaveLength(1);
      // The server really does not dedupe here: two raw creates with one transactionId make two events.
      const raw = { ...(fixture('event-create-transactionid.request.json') as object) };
      for (let i = 0; i < 2; i++) {
        await fetch(`${strict.url}/v1.0/users/${MAILBOX}/events`, {
          method: 'POST',
          headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' },
          body: JSON.stringify(raw),
        });
      }
      expect(strict.calendars.inspect(MAILBOX)).toHaveLength(3);
    } finally {
      await strict.close();
    }
  });

  it('concurrent creates with one key where the server does not dedupe: the extra series is removed', async () => {
    const strict = await startGraphEmulator({ calendar: { transactionIdDedupe: 'off' } });
    try {
      const g = () =>
        new GraphCalendarGateway({
          graph: createGraphClient({ tokenProvider: new StaticTokenProvider('x'), emulatorUrl: strict.url }),
        });
      const key = seriesIdempotencyKey('race', 1);
      const made = await Promise.all([1, 2, 3].map(() => g().createSeries(ORGANISER, request('race'), key)));
      expect(new Set(made.map((m) => m.id)).size).toBe(1);
      const live = strict.calendars.inspect(MAILBOX).filter((e) => !e.deleted);
      expect(live.map((e) => e.id)).toEqual([made[0]?.id]);
    } finally {
      await strict.close();
    }
  });

  it('a 503 on create (nothing made): created once more, one series', async () => {
    emulator.queueFault({
      kind: 'unavailable',
      match: (method, p) => method === 'POST' && /\/events$/.test(p),
    });
    const series = await gateway().createSeries(ORGANISER, request('busy'), seriesIdempotencyKey('busy', 1));
    expect(emulator.stats.faults.unavailable).toBe(1);
    expect(emulator.stats.byEndpoint['POST events']).toBe(2);
    expect(emulator.calendars.inspect(MAILBOX).map((e) => e.id)).toEqual([series.id]);
  });

  it('throttled creates and lookups are retried; one series', async () => {
    emulator.queueFault({ kind: 'throttle', retryAfterSeconds: 0 }, 3);
    await gateway().createSeries(ORGANISER, request('throttled'), seriesIdempotencyKey('throttled', 1));
    expect(emulator.stats.faults.throttle).toBe(3);
    expect(emulator.calendars.inspect(MAILBOX)).toHaveLength(1);
  });

  it('random faults on every request: still exactly one series per key', async () => {
    emulator.setFaults({ rate: 0.3, kinds: ['throttle', 'unavailable', 'lost'], retryAfterSeconds: 0 });
    const g = gateway();
    const keys = [1, 2, 3, 4, 5, 6].map((n) => seriesIdempotencyKey(`random-${n}`, 1));
    for (const [n, key] of keys.entries()) {
      for (let attempt = 0; ; attempt++) {
        try {
          await g.createSeries(ORGANISER, request(`random-${n}`), key);
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
    }
    emulator.setFaults({});
    const events = emulator.calendars.inspect(MAILBOX);
    for (const key of keys) {
      expect(
        events.filter((e) => e.transactionId === key),
        key,
      ).toHaveLength(1);
    }
    expect(
      emulator.stats.faults.lost + emulator.stats.faults.unavailable + emulator.stats.faults.throttle,
    ).toBeGreaterThan(0);
  });

  it('occurrences are refreshed in $batch requests; a throttled step is sent again; a lost batch is made good by the next run', async () => {
    const g = gateway();
    const series = await g.createSeries(ORGANISER, request('batch'), seriesIdempotencyKey('batch', 1));
    const occurrences = await g.listOccurrences(
      ORGANISER,
      series.id,
      '2026-10-13T00:00:00Z',
      '2026-11-04T00:00:00Z',
    );
    expect(occurrences).toHaveLength(4);
    const updates = occurrences.slice(0, 3).map((o) => ({
      occurrenceId: o.id,
      bodyHtml: '<p>Plan v2</p>',
      bodyText: 'Plan v2',
      planVersion: 2,
      attachment: { filename: 'plan.pdf', mimeType: 'application/pdf', bytes: PDF },
    }));
    emulator.resetStats();
    emulator.queueFault({
      kind: 'batchStepThrottle',
      match: (method) => method === 'PATCH',
      retryAfterSeconds: 0,
    });
    expect(await g.updateOccurrences(ORGANISER, series.id, updates)).toEqual(
      updates.map((u) => ({ occurrenceId: u.occurrenceId, ok: true })),
    );
    expect(emulator.stats.faults.batchStepThrottle).toBe(1);
    expect(emulator.stats.byEndpoint['PATCH event'] ?? 0).toBe(0);
    expect(emulator.stats.batchSteps['PATCH event']).toBe(4);
    expect(emulator.stats.byEndpoint['POST $batch']).toBe(4);

    // The next plan version: the batch that adds the attachments loses its answer after it was applied.
    const v3 = updates.map((u) => ({ ...u, bodyHtml: '<p>Plan v3</p>', planVersion: 3 }));
    // The first $batch (reads) answers; the second (attachments in, old ones out) is applied, its answer lost.
    let batches = 0;
    emulator.queueFault({
      kind: 'lost',
      match: (method, p) => method === 'POST' && p.endsWith('$batch') && ++batches === 2,
    });
    let failed = false;
    let first: Awaited<ReturnType<typeof g.updateOccurrences>> = [];
    try {
      first = await g.updateOccurrences(ORGANISER, series.id, v3);
    } catch {
      failed = true;
    }
    expect(failed || first.some((r) => !r.ok)).toBe(true);
    const notYet = await g.listOccurrences(
      ORGANISER,
      series.id,
      '2026-10-13T00:00:00Z',
      '2026-11-04T00:00:00Z',
    );
    expect(notYet.slice(0, 3).some((o) => o.planVersion !== 3)).toBe(true);
    // The timer's next run: every due occurrence ends at v3 with exactly one plan attachment.
    expect((await g.updateOccurrences(ORGANISER, series.id, v3)).every((r) => r.ok)).toBe(true);
    const after = await g.listOccurrences(
      ORGANISER,
      series.id,
      '2026-10-13T00:00:00Z',
      '2026-11-04T00:00:00Z',
    );
    expect(after.map((o) => o.planVersion)).toEqual([3, 3, 3, 1]);
    const [event] = emulator.calendars.inspect(MAILBOX);
    const exceptions = [...(event?.exceptions.values() ?? [])];
    expect(exceptions).toHaveLength(3);
    for (const exception of exceptions) {
      expect(exception.attachments.map((a) => a.name)).toEqual(['plan.pdf']);
      expect(exception.body).toContain('<p>Plan v3</p>');
      expect(exception.body).toContain(event?.joinUrl ?? 'no join url');
    }
  });

  it('free/busy: invitations show as tentative; unreadable addresses carry an error', async () => {
    const g = gateway();
    await g.createSeries(ORGANISER, request('fb'), seriesIdempotencyKey('fb', 1));
    const answer = await g.getSchedule(ORGANISER, ['maya.okafor@vendor.example', 'nobody@vendor.example'], {
      from: '2026-10-20T13:00:00Z',
      to: '2026-10-20T17:00:00Z',
    });
    expect(answer).toEqual([
      {
        email: 'maya.okafor@vendor.example',
        busy: [{ start: '2026-10-20T14:00:00.000Z', end: '2026-10-20T14:30:00.000Z', status: 'tentative' }],
      },
      { email: 'nobody@vendor.example', busy: [] },
    ]);
    const closed = await startGraphEmulator({ calendar: { readableDomains: ['vendor.example'] } });
    try {
      const other = new GraphCalendarGateway({
        graph: createGraphClient({ tokenProvider: new StaticTokenProvider('x'), emulatorUrl: closed.url }),
      });
      const [partner] =
        (await other.getSchedule(ORGANISER, ['li.wei@partner.example'], {
          from: '2026-10-20T13:00:00Z',
          to: '2026-10-20T17:00:00Z',
        })) ?? [];
      expect(partner?.error).toMatch(/could not be read/);
    } finally {
      await closed.close();
    }
  });
});
