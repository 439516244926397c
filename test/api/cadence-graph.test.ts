import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Plan, PlanContent } from '@cosell/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PLAN_VERSION_PROPERTY, SERIES_KEY_PROPERTY } from '../../functions/src/adapters/graph-calendar';
import type { CadenceState, RefreshRunResult } from '../../functions/src/use-cases/cadence-service';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { call, idleDemoPlan, startTestInstance, TestClock, type TestInstance } from '../support/api-host';

/*
 * The weekly cadence in Outlook through Graph: the whole app composed on SharePoint lists and the calendar of
 * a configured organiser mailbox, both in the loopback Graph emulator, over real HTTP. A lost create answer
 * makes no second series; the PDF is on the event; the refresh timer PATCHes exactly the due occurrence, once
 * across two instances, and a fault is retried by the next run (no duplicate, no missed refresh); won
 * cancels in Outlook; getSchedule proposes a slot free for the vendor attendees.
 */

const T0 = '2026-11-23';
const ORGANISER = 'co-sell@vendor.example';
const TIMER = 'refresh-cadence-invites';
const SETTINGS = { weekday: 'tuesday', time: '16:00', timeZone: 'Europe/Berlin', startsOn: '2026-11-24' };

type Instance = TestInstance;

const idleDemo = (title: string): PlanContent => idleDemoPlan(T0, title);

describe('weekly cadence in Outlook (Graph emulator)', () => {
  let emulator: GraphEmulator;
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

  const startInstance = (): Promise<Instance> =>
    startTestInstance(
      {
        COSELL_STORE: 'sharepoint',
        SHAREPOINT_SITE: emulator.siteUrl,
        GRAPH_EMULATOR_URL: emulator.url,
        COSELL_ORGANISER_MAILBOX: ORGANISER,
        COSELL_PUBLIC_URL: 'https://cosell.example.com',
        COSELL_DATA_DIR: dataDir,
        COSELL_SEED_DEMO: 'false',
      },
      clock,
    );

  beforeAll(async () => {
    emulator = await startGraphEmulator();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-cadence-graph-'));
    a = await startInstance();
    b = await startInstance();
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    clock.set(`${T0}T09:00:00Z`);
    emulator.setFaults({});
  });

  const refresh = async (i: Instance) => (await i.host.runTimer(TIMER)) as RefreshRunResult;
  const seriesOf = (key: string) =>
    emulator.calendars
      .inspect(ORGANISER)
      .filter((e) => [...e.ext.values()].some((p) => p.id === SERIES_KEY_PROPERTY && p.value === key));

  async function createPlan(id: string, content: PlanContent): Promise<Plan> {
    const created = await call<Plan>(a.host.url, 'POST', '/api/plans', { json: { ...content, id } });
    expect(created.status).toBe(201);
    return created.body;
  }

  it('books exactly one series when the create answer is lost, with the PDF on the event and a Teams meeting', async () => {
    await createPlan('g-1', idleDemo('Graph booking'));
    emulator.queueFault({
      kind: 'lost',
      match: (method, p) => method === 'POST' && /\/events(\?|$)/.test(p),
    });
    const put = await call<CadenceState>(a.host.url, 'PUT', '/api/plans/g-1/cadence', { json: SETTINGS });
    // The lost answer either surfaces (503, the settings saved) or is recovered by the gateway's lookup.
    expect([200, 503]).toContain(put.status);
    if (put.status === 503) {
      // The next sync (the timer, or the person saving again) books with the same key: still one series.
      await refresh(a);
    }
    expect(emulator.stats.faults.lost).toBeGreaterThanOrEqual(1);
    const state = (await call<CadenceState>(a.host.url, 'GET', '/api/plans/g-1/cadence')).body;
    expect(state.booking?.state).toBe('booked');
    const events = seriesOf(state.booking?.key ?? '');
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.subject).toBe('Weekly co-sell review: Graph booking');
    expect(event?.recurrence?.pattern.type).toBe('weekly');
    expect(event?.attachments.map((x) => [x.name, x.contentType])).toEqual([
      ['co-sell-plan.pdf', 'application/pdf'],
    ]);
    expect(event?.attachments[0]?.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(event?.isOnlineMeeting).toBe(true);
    expect(event?.attendees.map((x) => x.emailAddress.address)).not.toContain(
      'helen.costa@northwindlogistics.com',
    );
    expect(state.series?.joinUrl).toMatch(/^https:\/\//);
    // Booking again (a retry of the PUT) makes nothing new.
    await call(b.host.url, 'PUT', '/api/plans/g-1/cadence', { json: SETTINGS });
    expect(seriesOf(state.booking?.key ?? '')).toHaveLength(1);
  });

  it('refreshes exactly the due occurrence once across two instances; a fault is retried on the next run', async () => {
    await createPlan('g-2', idleDemo('Graph refresh'));
    const booked = (await call<CadenceState>(a.host.url, 'PUT', '/api/plans/g-2/cadence', { json: SETTINGS }))
      .body;
    const master = () => seriesOf(booked.booking?.key ?? '')[0];
    clock.set('2026-11-30T16:00:00Z');
    expect((await refresh(a)).updated).toBe(0);
    expect(master()?.exceptions.size).toBe(0);

    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/g-2')).body;
    await call(a.host.url, 'POST', '/api/plans/g-2/operations', {
      json: { operations: [{ op: 'complete-action', actionId: plan.actions[0]?.id }] },
    });
    // The first run meets Outlook throttling the occurrence's PATCH until the client gives up: not refreshed.
    emulator.queueFault(
      { kind: 'batchStepThrottle', retryAfterSeconds: 0, match: (method) => method === 'PATCH' },
      7,
    );
    const faulty = await refresh(a);
    expect(faulty.updated).toBe(0);
    expect(faulty.failures).toHaveLength(1);
    // The next runs (two instances at once, then again) refresh it exactly once.
    const [ra, rb] = await Promise.all([refresh(a), refresh(b)]);
    const rc = await refresh(a);
    expect(ra.updated + rb.updated).toBe(1);
    expect(rc.updated).toBe(0);
    const exceptions = [...(master()?.exceptions.values() ?? [])];
    expect(exceptions.map((e) => e.originalDate)).toEqual(['2026-12-01']);
    const current = (await call<CadenceState>(a.host.url, 'GET', '/api/plans/g-2/cadence')).body;
    const version = [...(exceptions[0]?.ext.values() ?? [])].find(
      (p) => p.id === PLAN_VERSION_PROPERTY,
    )?.value;
    expect(version).toBe(String(current.contentVersion));
    // One plan PDF on the occurrence: the attempt that failed left no second copy.
    expect(exceptions[0]?.attachments.filter((x) => x.name === 'co-sell-plan.pdf')).toHaveLength(1);
    expect(current.nextMeetings[0]).toMatchObject({
      start: '2026-12-01T15:00:00.000Z',
      carriesCurrentPlan: true,
    });
    expect(current.nextMeetings[1]).toMatchObject({ carriesCurrentPlan: false });
  });

  it('cancels the series in Outlook when the plan is won', async () => {
    await createPlan('g-3', idleDemo('Graph won'));
    const booked = (await call<CadenceState>(a.host.url, 'PUT', '/api/plans/g-3/cadence', { json: SETTINGS }))
      .body;
    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/g-3')).body;
    const won = await call<Plan>(a.host.url, 'PUT', '/api/plans/g-3', {
      json: { ...plan, status: 'won' },
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(won.status).toBe(200);
    // Cancelled by the save itself; the timer finds nothing left to do.
    const event = seriesOf(booked.booking?.key ?? '')[0];
    expect(event?.isCancelled).toBe(true);
    expect(event?.cancelComment).toMatch(/won/);
    const run = await refresh(b);
    expect(run.failures).toEqual([]);
    expect(run.cancelled).toBe(0);
  });

  it('a save whose cancel Outlook refuses still saves; the next timer run cancels', async () => {
    await createPlan('g-5', idleDemo('Graph lost'));
    const booked = (await call<CadenceState>(a.host.url, 'PUT', '/api/plans/g-5/cadence', { json: SETTINGS }))
      .body;
    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/g-5')).body;
    emulator.queueFault(
      {
        kind: 'unavailable',
        retryAfterSeconds: 0,
        match: (method, p) => method === 'POST' && /\/cancel$/.test(p.split('?')[0] ?? ''),
      },
      7,
    );
    const lost = await call<Plan>(a.host.url, 'PUT', '/api/plans/g-5', {
      json: { ...plan, status: 'lost' },
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(lost.status).toBe(200);
    expect(seriesOf(booked.booking?.key ?? '')[0]?.isCancelled).toBe(false);
    emulator.setFaults({});
    const run = await refresh(b);
    expect(run.cancelled).toBe(1);
    expect(seriesOf(booked.booking?.key ?? '')[0]?.isCancelled).toBe(true);
    expect((await refresh(a)).cancelled).toBe(0);
  });

  it('proposes a slot free for the vendor attendees from getSchedule', async () => {
    await createPlan('g-4', idleDemo('Graph slot'));
    clock.set('2026-11-23T06:00:00Z');
    // Maya is busy on weekday mornings 09:00–11:00 Berlin: the first free half hour is 11:00.
    const busy = await fetch(`${emulator.url}/v1.0/users/maya.okafor@vendor.example/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Forecast calls',
        start: { dateTime: '2026-11-23T09:00:00', timeZone: 'W. Europe Standard Time' },
        end: { dateTime: '2026-11-23T11:00:00', timeZone: 'W. Europe Standard Time' },
        recurrence: {
          pattern: {
            type: 'weekly',
            interval: 1,
            daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          },
          range: { type: 'noEnd', startDate: '2026-11-23', recurrenceTimeZone: 'W. Europe Standard Time' },
        },
      }),
    });
    expect(busy.status).toBe(201);
    const response = await call<{
      available: boolean;
      slot?: { weekday: string; time: string; checked: string[]; start: string };
    }>(a.host.url, 'POST', '/api/plans/g-4/cadence/suggest-slot', {
      json: { timeZone: 'Europe/Berlin', attendeeIds: ['v-ae', 'v-csas', 'c-pc'] },
    });
    expect(response.status).toBe(200);
    expect(response.body.available).toBe(true);
    expect(response.body.slot?.checked.sort()).toEqual([
      'maya.okafor@vendor.example',
      'priya.raman@vendor.example',
    ]);
    expect(response.body.slot?.weekday).toBe('tuesday');
    expect(response.body.slot?.time).toBe('11:00');
  });
});
