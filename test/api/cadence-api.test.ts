import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, type Plan, type PlanContent } from '@cosell/shared';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedCalendarGateway } from '../../functions/src/adapters/embedded-calendar';
import type { CadenceState, RefreshRunResult } from '../../functions/src/use-cases/cadence-service';
import { parseIcsWithIcalJs } from '../contract/calendar-gateway-contract';
import { call, idleDemoPlan, startTestInstance, TestClock, type TestInstance } from '../support/api-host';

/*
 * The weekly cadence over real HTTP on the local default (SQLite plans, the embedded calendar): booking from
 * the plan's settings, the invite's redaction for several sides, the .ics download parsed by ical.js,
 * reschedule, attendees following the owners, cancel on won, and the refresh timer updating exactly the
 * occurrences of the next 24 hours — once, across reruns and two instances on one data directory.
 */

const T0 = '2026-11-23'; // a Monday
const TIMER = 'refresh-cadence-invites';
const PUBLIC_URL = 'https://cosell.example.com';
const CONTOSO_TERMS = 'Contoso delivers and bills the rollout services';
const ADATUM_TERMS = 'Resale through A. Datum marketplace listing';

type Instance = TestInstance;

const startInstance = (dataDir: string, clock: TestClock): Promise<Instance> =>
  startTestInstance(
    { COSELL_PUBLIC_URL: PUBLIC_URL, COSELL_DATA_DIR: dataDir, COSELL_SEED_DEMO: 'false' },
    clock,
  );

const calendarOf = (i: Instance) => i.composition.calendar?.gateway as EmbeddedCalendarGateway;
const refresh = async (i: Instance) => (await i.host.runTimer(TIMER)) as RefreshRunResult;

/** The demo plan with nothing done: it stalls on T0+15 (threshold 14). */
const idleDemo = (title: string): PlanContent => idleDemoPlan(T0, title);

const SETTINGS = { weekday: 'tuesday', time: '16:00', timeZone: 'Europe/Berlin', startsOn: '2026-11-24' };

describe('weekly cadence on the embedded calendar', () => {
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-cadence-'));
    a = await startInstance(dataDir, clock);
    b = await startInstance(dataDir, clock);
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function createPlan(id: string, content: PlanContent): Promise<Plan> {
    const created = await call<Plan>(a.host.url, 'POST', '/api/plans', { json: { ...content, id } });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function ics(planId: string): Promise<{ status: number; type: string | null; text: string }> {
    const response = await fetch(`${a.host.url}/api/plans/${planId}/cadence.ics`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  }

  it('books one series from the settings: default attendees without the buyer, subject, PDF attached, .ics parses', async () => {
    clock.set(`${T0}T09:00:00Z`);
    await createPlan('cad-1', idleDemo('Northwind co-sell'));
    const put = await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-1/cadence', { json: SETTINGS });
    expect(put.status).toBe(200);
    const state = put.body;
    expect(state.booking?.state).toBe('booked');
    expect(state.series?.subject).toBe('Weekly co-sell review: Northwind co-sell');
    expect(state.series?.attendees.map((x) => x.email).sort()).toEqual(
      [
        'maya.okafor@vendor.example',
        'lukas.brandt@vendor.example',
        'priya.raman@vendor.example',
        'sofia.marino@contoso.example',
        'james.whitfield@contoso.example',
        'kenji.watanabe@adatum.example',
        'amara.nwosu@adatum.example',
      ].sort(),
    );
    expect(state.series?.attachment?.filename).toBe('co-sell-plan.pdf');
    expect(state.series?.attachment?.size).toBeGreaterThan(1000);
    expect(state.series?.carriesCurrentPlan).toBe(true);
    expect(state.nextMeetings[0]?.start).toBe('2026-11-24T15:00:00.000Z');
    expect(state.nextMeetings.every((m) => m.carriesCurrentPlan === true)).toBe(true);
    // Two partners invited: the invite shows no economics at all.
    expect(state.inviteShowsEconomics).toEqual({ kind: 'none' });

    // Setting the same cadence again (a retry, another instance) books nothing more.
    const again = await call<CadenceState>(b.host.url, 'PUT', '/api/plans/cad-1/cadence', { json: SETTINGS });
    expect(again.status).toBe(200);
    expect(again.body.series?.id).toBe(state.series?.id);
    expect(calendarOf(a).seriesOfPlan('cad-1')).toHaveLength(1);
    expect(calendarOf(a).countByKey(state.booking?.key ?? '')).toBe(1);

    const file = await ics('cad-1');
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^text\/calendar/);
    const parsed = parseIcsWithIcalJs(file.text);
    expect(parsed.rrule).toMatch(/FREQ=WEEKLY/);
    expect(parsed.rrule).toMatch(/BYDAY=TU/);
    expect(parsed.timeZone).toBe('Europe/Berlin');
    expect(parsed.attachments).toBe(1);
    expect(parsed.attendees).toHaveLength(7);
    expect(parsed.attendees).not.toContain('mailto:helen.costa@northwindlogistics.com');
    expect(parsed.firstStarts.slice(0, 2)).toEqual(['2026-11-24T15:00:00.000Z', '2026-12-01T15:00:00.000Z']);
    const event = new ICAL.Component(ICAL.parse(file.text) as unknown[]).getFirstSubcomponent('vevent');
    const description = String(event?.getFirstPropertyValue('description') ?? '');
    expect(description).toContain('Northwind co-sell');
    expect(description).not.toContain(CONTOSO_TERMS);
    expect(description).not.toContain(ADATUM_TERMS);
    const attach = event?.getFirstProperty('attach');
    const pdf = Buffer.from(String(attach?.getFirstValue() ?? ''), 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('shows a partner its economics only when every partner invitee is that partner', async () => {
    await createPlan('cad-2', idleDemo('Contoso only'));
    const put = await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-2/cadence', {
      json: { ...SETTINGS, attendeeIds: ['v-ae', 'v-csas', 'c-pc'] },
    });
    expect(put.status).toBe(200);
    expect(put.body.inviteShowsEconomics).toMatchObject({ kind: 'partner', partnerId: 'p-contoso' });
    const text = (await ics('cad-2')).text.replace(/\r\n[ \t]/g, '');
    expect(text).toContain(CONTOSO_TERMS.replace(/,/g, '\\,'));
    expect(text).not.toContain(ADATUM_TERMS);

    // Vendor-only invitees see every partner's economics.
    const vendorOnly = await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-2/cadence', {
      json: { ...SETTINGS, attendeeIds: ['v-ae', 'v-csas'] },
    });
    expect(vendorOnly.body.inviteShowsEconomics).toEqual({ kind: 'all' });
    expect(vendorOnly.body.series?.attendees).toHaveLength(2);
    const vendorText = (await ics('cad-2')).text.replace(/\r\n[ \t]/g, '');
    expect(vendorText).toContain(ADATUM_TERMS);
  });

  it('refuses bad settings with 422 naming the field, never a 500', async () => {
    await createPlan('cad-3', idleDemo('Bad settings'));
    const cases: [unknown, RegExp][] = [
      [{ ...SETTINGS, attendeeIds: ['v-ae', 'b-eb'] }, /attendeeIds/],
      [{ ...SETTINGS, timeZone: 'Mars/Olympus' }, /cadence|timeZone/],
      [{ ...SETTINGS, time: '25:00' }, /time/],
      [{ ...SETTINGS, weekday: 'funday' }, /weekday/],
      [{ ...SETTINGS, colour: 'blue' }, /colour/],
      [{ ...SETTINGS, endsOn: '2026-11-01' }, /endsOn/],
      [{ ...SETTINGS, attendeeIds: ['nobody'] }, /attendeeIds/],
      [{ ...SETTINGS, durationMinutes: 60 }, /durationMinutes/],
    ];
    for (const [json, path] of cases) {
      const response = await call<{ errors: { path: string }[] }>(
        a.host.url,
        'PUT',
        '/api/plans/cad-3/cadence',
        { json },
      );
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors.map((e) => e.path).join(' ')).toMatch(path);
    }
    expect(calendarOf(a).seriesOfPlan('cad-3')).toHaveLength(0);
    expect((await call(a.host.url, 'PUT', '/api/plans/nope/cadence', { json: SETTINGS })).status).toBe(404);
    expect((await ics('cad-3')).status).toBe(404);
  });

  it('booking does not move the plan: a stalled plan stays stalled, and the invite still carries the plan', async () => {
    clock.set(`${addDays(T0, 16)}T08:00:00Z`);
    await createPlan('cad-4', idleDemo('Stalled plan'));
    clock.set(`${addDays(T0, 31)}T08:00:00Z`);
    const before = await call<{ stalls: { stalled: boolean } }>(a.host.url, 'GET', '/api/plans/cad-4/health');
    expect(before.body.stalls.stalled).toBe(true);
    const put = await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-4/cadence', {
      json: { ...SETTINGS, startsOn: addDays(T0, 31) },
    });
    expect(put.status).toBe(200);
    const after = await call<{ stalls: { stalled: boolean } }>(a.host.url, 'GET', '/api/plans/cad-4/health');
    expect(after.body.stalls.stalled).toBe(true);
    // The bookkeeping writes after the booking left the plan at a newer version, yet the invite is current.
    expect(put.body.planVersion).toBeGreaterThan(put.body.contentVersion);
    expect(put.body.series?.carriesCurrentPlan).toBe(true);
  });

  it('refresh updates exactly the occurrences of the next 24 hours, once across reruns and two instances', async () => {
    clock.set(`${T0}T09:00:00Z`);
    await createPlan('cad-5', idleDemo('Refresh me'));
    const booked = (
      await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-5/cadence', { json: SETTINGS })
    ).body;
    const seriesId = booked.series?.id ?? '';
    // Monday 16:00 UTC: the Tuesday meeting (15:00 UTC) is within 24 h, the next one is not.
    clock.set('2026-11-30T16:00:00Z');
    // Nothing changed since the booking: nothing is due.
    const idle = await refresh(a);
    expect(idle.failures).toEqual([]);
    expect(calendarOf(a).stored(seriesId).occurrences).toHaveLength(0);

    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/cad-5')).body;
    const op = await call<Plan>(a.host.url, 'POST', '/api/plans/cad-5/operations', {
      json: { operations: [{ op: 'complete-action', actionId: plan.actions[0]?.id }] },
    });
    expect(op.status).toBe(200);
    const [ra, rb] = await Promise.all([refresh(a), refresh(b)]);
    expect(ra.failures).toEqual([]);
    expect(rb.failures).toEqual([]);
    expect(ra.updated + rb.updated).toBe(1);
    await refresh(a);
    await refresh(b);
    const occurrences = calendarOf(a).stored(seriesId).occurrences;
    expect(occurrences.map((o) => [o.occurrenceId, o.sequence])).toEqual([['20261201T150000Z', 1]]);
    expect(occurrences[0]?.bodyText).toContain('Done');
    expect(occurrences[0]?.attachment?.bytes.subarray(0, 5)).toEqual(new TextEncoder().encode('%PDF-'));
    const state = (await call<CadenceState>(a.host.url, 'GET', '/api/plans/cad-5/cadence')).body;
    expect(state.nextMeetings[0]).toMatchObject({
      start: '2026-12-01T15:00:00.000Z',
      carriesCurrentPlan: true,
    });
    // The meeting after is refreshed when it comes within 24 hours.
    expect(state.nextMeetings[1]).toMatchObject({
      start: '2026-12-08T15:00:00.000Z',
      carriesCurrentPlan: false,
    });
    clock.set('2026-12-07T15:30:00Z');
    const next = await refresh(b);
    expect(next.updated).toBe(1);
    expect(
      calendarOf(a)
        .stored(seriesId)
        .occurrences.map((o) => o.occurrenceId),
    ).toEqual(['20261201T150000Z', '20261208T150000Z']);
  });

  it('reschedules, follows owner changes and cancels when the plan is won', async () => {
    clock.set(`${T0}T09:00:00Z`);
    await createPlan('cad-6', idleDemo('Lifecycle'));
    const booked = (
      await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-6/cadence', { json: SETTINGS })
    ).body;
    const seriesId = booked.series?.id;
    const moved = await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-6/cadence', {
      json: { ...SETTINGS, weekday: 'thursday', time: '09:30' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.series?.id).toBe(seriesId);
    expect(moved.body.series?.description).toMatch(/every Thursday at 09:30 \(Europe\/Berlin\)/);
    expect(moved.body.nextMeetings[0]?.start).toBe('2026-11-26T08:30:00.000Z');

    // An owner's email changes in a desk edit: the timer gives the series the new address.
    let plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/cad-6')).body;
    const people = plan.people.map((p) =>
      p.id === 'c-pm' ? { ...p, email: 'j.whitfield@contoso.example' } : p,
    );
    const put = await call<Plan>(a.host.url, 'PUT', '/api/plans/cad-6', {
      json: { ...plan, people },
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(put.status).toBe(200);
    // Right after the save (no timer needed).
    const series = calendarOf(a).stored(seriesId ?? '').series;
    expect(series.attendees.map((x) => x.email)).toContain('j.whitfield@contoso.example');
    expect(series.attendees.map((x) => x.email)).not.toContain('james.whitfield@contoso.example');
    expect(calendarOf(a).seriesOfPlan('cad-6')).toHaveLength(1);

    // Won: the save cancels the series; the .ics is then a cancellation; the timer has nothing left to do.
    plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/cad-6')).body;
    const won = await call<Plan>(a.host.url, 'PUT', '/api/plans/cad-6', {
      json: { ...plan, status: 'won' },
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(won.status).toBe(200);
    expect(calendarOf(a).stored(seriesId ?? '').series.cancelled).toBe(true);
    expect(calendarOf(a).stored(seriesId ?? '').cancelComment).toMatch(/is won/);
    const run = await refresh(a);
    expect(run.failures).toEqual([]);
    expect(run.cancelled).toBe(0);
    const state = (await call<CadenceState>(a.host.url, 'GET', '/api/plans/cad-6/cadence')).body;
    expect(state.booking?.state).toBe('cancelled');
    expect(state.series).toBeNull();
    const cancelled = await ics('cad-6');
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toMatch(/METHOD:CANCEL/);
    // A won plan gets no new weekly meeting.
    const refused = await call<{ errors: { path: string }[] }>(
      a.host.url,
      'PUT',
      '/api/plans/cad-6/cadence',
      { json: SETTINGS },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]?.path).toBe('status');
  });

  it('DELETE cancels; setting the cadence again books a new series with a new key', async () => {
    clock.set(`${T0}T09:00:00Z`);
    await createPlan('cad-7', idleDemo('Cancel and again'));
    const first = (
      await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-7/cadence', { json: SETTINGS })
    ).body;
    const removed = await call<CadenceState>(a.host.url, 'DELETE', '/api/plans/cad-7/cadence');
    expect(removed.status).toBe(200);
    expect(removed.body.settings).toBeNull();
    expect(removed.body.booking?.state).toBe('cancelled');
    expect(calendarOf(a).stored(first.series?.id ?? '').series.cancelled).toBe(true);
    const second = (
      await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-7/cadence', { json: SETTINGS })
    ).body;
    expect(second.booking?.booking).toBe(2);
    expect(second.booking?.key).not.toBe(first.booking?.key);
    expect(second.series?.id).not.toBe(first.series?.id);
    expect(
      calendarOf(a)
        .seriesOfPlan('cad-7')
        .filter((s) => !s.cancelled),
    ).toHaveLength(1);
    // History names who set and who cancelled the meeting.
    const history = await call<{ items: { actor: { id: string }; changes: string[] }[] }>(
      a.host.url,
      'GET',
      '/api/plans/cad-7/history',
    );
    const sentences = history.body.items.flatMap((e) => e.changes);
    expect(sentences.some((c) => /^Weekly meeting set: every Tuesday at 16:00/.test(c))).toBe(true);
    expect(sentences).toContain('Weekly meeting cancelled');
  });

  it('a plan deleted or paused has its series cancelled by that save', async () => {
    clock.set(`${T0}T09:00:00Z`);
    await createPlan('cad-9', idleDemo('Deleted'));
    const booked = (
      await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-9/cadence', { json: SETTINGS })
    ).body;
    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/cad-9')).body;
    const deleted = await call(a.host.url, 'DELETE', '/api/plans/cad-9', {
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(deleted.status).toBe(204);
    expect(calendarOf(a).stored(booked.series?.id ?? '').series.cancelled).toBe(true);

    // Paused in a desk edit on the other instance: cancelled by that save; the timer has nothing left.
    await createPlan('cad-10', idleDemo('Paused'));
    const second = (
      await call<CadenceState>(a.host.url, 'PUT', '/api/plans/cad-10/cadence', { json: SETTINGS })
    ).body;
    const current = (await call<Plan>(a.host.url, 'GET', '/api/plans/cad-10')).body;
    const paused = await call<Plan>(b.host.url, 'PUT', '/api/plans/cad-10', {
      json: { ...current, status: 'paused' },
      headers: { 'if-match': `"${current.version}"` },
    });
    expect(paused.status).toBe(200);
    expect(calendarOf(a).stored(second.series?.id ?? '').series.cancelled).toBe(true);
    expect((await refresh(b)).cancelled).toBe(0);
  });

  it('suggest-slot says why when the calendar cannot see free/busy', async () => {
    await createPlan('cad-8', idleDemo('Slot'));
    const response = await call<{ available: boolean; reason: string }>(
      a.host.url,
      'POST',
      '/api/plans/cad-8/cadence/suggest-slot',
      {
        json: { timeZone: 'Europe/Berlin' },
      },
    );
    expect(response.status).toBe(200);
    expect(response.body.available).toBe(false);
    expect(response.body.reason).toMatch(/free\/busy/);
  });
});
