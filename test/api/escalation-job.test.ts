import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, demoPlan, type Plan, type PlanContent, type StoredMail } from '@cosell/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationRunResult } from '../../functions/src/use-cases/escalation';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import type { SentMessageRecord } from '../graph-emulator/mail';
import { call, idleDemoPlan, startTestInstance, TestClock, type TestInstance } from '../support/api-host';

/*
 * The daily escalation timer (issue 8) end to end: plans created over the real HTTP API, the timer run by the
 * local host the way its schedule would (`runTimer`), several instances on one store at once, notifications
 * read back where they went — the embedded outbox (GET /api/outbox) or the Graph emulator's mailbox.
 */

const T0 = '2026-11-02';
const TIMER = 'escalate-stalled-plans';
const PUBLIC_URL = 'https://cosell.example.com';
const CONTOSO_TERMS = 'Contoso delivers and bills the rollout services';
const ADATUM_TERMS = 'Resale through A. Datum marketplace listing';

/** The demo plan (vendor chain of 3, Contoso and A. Datum chains of 2) with nothing done: it stalls on T0+15. */
const idleDemo = (title = 'Northwind co-sell'): PlanContent => idleDemoPlan(T0, title);

type Instance = TestInstance;

/** One instance of the app (composition + local host) on a data directory another instance may share. */
const startInstance = (env: Record<string, string>, clock: TestClock): Promise<Instance> =>
  startTestInstance({ COSELL_PUBLIC_URL: PUBLIC_URL, ...env }, clock);

const run = async (instance: Instance) => (await instance.host.runTimer(TIMER)) as EscalationRunResult;

async function createPlan(instance: Instance, id: string, content: PlanContent): Promise<Plan> {
  const created = await call<Plan>(instance.host.url, 'POST', '/api/plans', { json: { ...content, id } });
  expect(created.status).toBe(201);
  return created.body;
}

async function outbox(instance: Instance, planId?: string): Promise<StoredMail[]> {
  const items: StoredMail[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({
      limit: '100',
      ...(cursor ? { cursor } : {}),
      ...(planId ? { plan: planId } : {}),
    });
    const page = await call<{ items: StoredMail[]; nextCursor?: string }>(
      instance.host.url,
      'GET',
      `/api/outbox?${query}`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items.reverse();
}

/** The emails of the demo plan's people with these ids, sorted. */
const emailsOf = (ids: string[]) =>
  demoPlan(T0)
    .people.filter((p) => ids.includes(p.id))
    .map((p) => p.email)
    .sort();

const recipients = (mails: { to: { address: string }[] }[]) => mails.map((m) => m.to[0]?.address).sort();

describe('escalation job on the embedded store and outbox', () => {
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-escalation-'));
    // Two instances on one data directory: two connections to the same SQLite files.
    a = await startInstance({ COSELL_DATA_DIR: dataDir }, clock);
    b = await startInstance({ COSELL_DATA_DIR: dataDir }, clock);
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => clock.set(`${T0}T09:00:00Z`));

  it('one notification per chain per level across reruns and concurrent instances; level 2 a threshold later', async () => {
    await createPlan(a, 'esc-1', idleDemo());
    // Day 14 after activation: not stalled yet (threshold 14).
    clock.set(`${addDays(T0, 14)}T06:00:00Z`);
    expect((await run(a)).sent).toBe(0);
    expect(await outbox(a, 'esc-1')).toEqual([]);

    // Day 15: stalled. Two instances run the timer at once, then each runs it again.
    clock.set(`${addDays(T0, 15)}T06:00:00Z`);
    const [ra, rb] = await Promise.all([run(a), run(b)]);
    expect(ra.sent + rb.sent).toBe(3);
    await run(a);
    await run(b);
    const level1 = await outbox(a, 'esc-1');
    expect(recipients(level1)).toEqual(emailsOf(['v-csas', 'c-pc', 'a-pc']));
    expect(new Set(level1.map((m) => m.idempotencyKey)).size).toBe(3);
    for (const m of level1)
      expect(m.idempotencyKey).toMatch(new RegExp(`^escalation:esc-1:${addDays(T0, 15)}:.*:1$`));

    // Recorded on the plan, sent; and recording it did not move the plan: it is still stalled.
    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/esc-1')).body;
    expect(plan.escalations?.map((r) => [r.chain, r.partnerId ?? '', r.level, r.state])).toEqual(
      expect.arrayContaining([
        ['vendor', '', 1, 'sent'],
        ['partner', 'p-contoso', 1, 'sent'],
        ['partner', 'p-adatum', 1, 'sent'],
      ]),
    );
    const health = await call<{ stalls: { stalled: boolean } }>(a.host.url, 'GET', '/api/plans/esc-1/health');
    expect(health.body.stalls.stalled).toBe(true);
    // The weekly review shows them too, with the partners their chains belong to.
    const review = await call<{ escalations: { key: string }[]; partners: { id: string; name: string }[] }>(
      a.host.url,
      'GET',
      '/api/plans/esc-1/review',
    );
    expect(review.status).toBe(200);
    expect(review.body.escalations.map((r) => r.key).sort()).toEqual(
      (plan.escalations ?? []).map((r) => r.key).sort(),
    );
    expect(review.body.partners.map((p) => p.id).sort()).toEqual(['p-adatum', 'p-contoso']);
    const history = await call<{ items: { actor: { id: string }; changes: string[] }[] }>(
      a.host.url,
      'GET',
      '/api/plans/esc-1/history',
    );
    expect(
      history.body.items.some((e) =>
        e.changes.some((c) => /escalated to Priya Raman \(vendor chain, level 1\)/.test(c)),
      ),
    ).toBe(true);

    // A desk edit (PUT of the plan as read, without the server's escalations) keeps them.
    const { escalations: _e, ...asRead } = plan;
    const put = await call<Plan>(a.host.url, 'PUT', '/api/plans/esc-1', {
      json: { ...asRead, title: 'Northwind co-sell (renamed)' },
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(put.status).toBe(200);
    expect(put.body.escalations?.length).toBe(3);

    // One day short of a threshold later: nothing. A threshold later: level 2, to the next person up.
    clock.set(`${addDays(T0, 28)}T06:00:00Z`);
    await Promise.all([run(a), run(b)]);
    expect((await outbox(a, 'esc-1')).length).toBe(3);
    clock.set(`${addDays(T0, 29)}T06:00:00Z`);
    await Promise.all([run(a), run(b), run(a)]);
    await run(b);
    const all = await outbox(a, 'esc-1');
    const level2 = all.filter((m) => m.idempotencyKey.endsWith(':2'));
    expect(recipients(level2)).toEqual(emailsOf(['v-pm', 'c-pm', 'a-pm']));
    expect(all.length).toBe(6);
    expect(level2.every((m) => m.text.includes('level 2'))).toBe(true);
  });

  it("partner A's chain never receives partner B's economics (the mails in the outbox)", async () => {
    await createPlan(a, 'esc-2', idleDemo('Economics check'));
    clock.set(`${addDays(T0, 15)}T06:00:00Z`);
    await run(a);
    const mails = await outbox(a, 'esc-2');
    expect(mails.length).toBe(3);
    const to = (pattern: RegExp) => mails.find((m) => pattern.test(m.to[0]?.address ?? ''));
    const vendor = to(/@vendor\./);
    const contoso = to(/@contoso\./);
    const adatum = to(/@adatum\./);
    for (const part of ['text', 'html'] as const) {
      expect(vendor?.[part]).toContain(CONTOSO_TERMS);
      expect(vendor?.[part]).toContain(ADATUM_TERMS);
      expect(contoso?.[part]).toContain(CONTOSO_TERMS);
      expect(contoso?.[part]).not.toContain(ADATUM_TERMS);
      expect(adatum?.[part]).toContain(ADATUM_TERMS);
      expect(adatum?.[part]).not.toContain(CONTOSO_TERMS);
    }
    // What stalled, since when, who owns it, and the link.
    expect(contoso?.text).toContain('has stalled since Nov 17, 2026');
    expect(contoso?.text).toContain('Who owns it:');
    expect(contoso?.text).toContain(`${PUBLIC_URL}/#/plans/esc-2`);
  });

  it('moving the plan stops the escalation; a new stall starts a new sequence at level 1', async () => {
    const content = idleDemo('Moves again');
    await createPlan(a, 'esc-3', content);
    clock.set(`${addDays(T0, 15)}T06:00:00Z`);
    await run(a);
    expect((await outbox(a, 'esc-3')).length).toBe(3);

    // Something moves forward on every account: one action done per account.
    const perAccount = content.accounts.map((acc) => content.actions.find((x) => x.accountId === acc.id));
    const operations = perAccount.flatMap((x) => (x ? [{ op: 'complete-action', actionId: x.id }] : []));
    expect(operations.length).toBe(content.accounts.length);
    clock.set(`${addDays(T0, 16)}T06:00:00Z`);
    const moved = await call(a.host.url, 'POST', '/api/plans/esc-3/operations', { json: { operations } });
    expect(moved.status).toBe(200);

    // Level 2 would be due on T0+29: the plan moved, nothing more is sent.
    clock.set(`${addDays(T0, 29)}T06:00:00Z`);
    await Promise.all([run(a), run(b)]);
    expect((await outbox(a, 'esc-3')).length).toBe(3);

    // Still idle 15 days after the move: a new stall, a new sequence from level 1.
    clock.set(`${addDays(T0, 31)}T06:00:00Z`);
    await run(b);
    const mails = await outbox(a, 'esc-3');
    expect(mails.length).toBe(6);
    const fresh = mails.slice(3);
    expect(
      fresh.every(
        (m) => m.idempotencyKey.includes(`:${addDays(T0, 31)}:`) && m.idempotencyKey.endsWith(':1'),
      ),
    ).toBe(true);
  });

  it('local development runs a timer by hand through the admin route; unknown timers and methods are refused', async () => {
    await createPlan(a, 'esc-4', idleDemo('By hand'));
    clock.set(`${addDays(T0, 15)}T06:00:00Z`);
    const ran = await call<{ timer: string; result: EscalationRunResult; log: string[] }>(
      a.host.url,
      'POST',
      '/api/admin/timers/escalate-stalled-plans',
    );
    expect(ran.status).toBe(200);
    expect(ran.body.timer).toBe(TIMER);
    expect(ran.body.result.sent).toBe(3);
    expect(ran.body.log.join('\n')).toMatch(/3 sent/);
    expect((await outbox(a, 'esc-4')).length).toBe(3);
    expect((await call(a.host.url, 'POST', '/api/admin/timers/no-such-timer')).status).toBe(404);
    expect((await call(a.host.url, 'GET', '/api/admin/timers/escalate-stalled-plans')).status).toBe(405);
  });

  it('with Entra sign-in (every deployment) the admin route does not exist', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-escalation-entra-'));
    const tenant = '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f';
    const client = '0b8f5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
    const entra = await startInstance(
      {
        COSELL_DATA_DIR: dir,
        COSELL_IDENTITY: 'entra',
        ENTRA_CLIENT_ID: client,
        ENTRA_APP_ID_URI: `api://cosell.example.com/${client}`,
        ENTRA_TENANT_ID: tenant,
      },
      clock,
    );
    try {
      const refused = await call(entra.host.url, 'POST', '/api/admin/timers/escalate-stalled-plans');
      expect(refused.status).toBe(404);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      await entra.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the outbox is read through the API with paging and refuses bad queries with the field named', async () => {
    const bad = await call<{ errors: { path: string }[] }>(a.host.url, 'GET', '/api/outbox?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.body.errors[0]?.path).toBe('limit');
    const unknown = await call<{ errors: { path: string }[] }>(a.host.url, 'GET', '/api/outbox?foo=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]?.path).toBe('foo');
    const cursor = await call(a.host.url, 'GET', '/api/outbox?cursor=not-ours');
    expect(cursor.status).toBe(400);
  });
});

describe('escalation job on SharePoint through Graph, mail through Graph sendMail (emulator)', () => {
  let emulator: GraphEmulator;
  let dirA: string;
  let dirB: string;
  let a: Instance;
  let b: Instance;
  const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

  const keyOf = (m: SentMessageRecord) =>
    m.message.internetMessageHeaders?.find((h) => h.name === 'X-CoSell-Key')?.value ?? '';

  beforeAll(async () => {
    emulator = await startGraphEmulator();
    emulator.mail.configure({ mailboxes: ['co-sell@vendor.example'] });
    const env = (dataDir: string) => ({
      COSELL_STORE: 'sharepoint',
      SHAREPOINT_SITE: emulator.siteUrl,
      GRAPH_EMULATOR_URL: emulator.url,
      COSELL_MAIL: 'graph',
      COSELL_MAIL_FROM: 'co-sell@vendor.example',
      COSELL_ACTIVITY_FEED: 'true',
      COSELL_DATA_DIR: dataDir,
    });
    // Two instances with their own local disks: only the plan (in SharePoint) is shared.
    dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-escalation-a-'));
    dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-escalation-b-'));
    a = await startInstance(env(dirA), clock);
    b = await startInstance(env(dirB), clock);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emulator?.close();
    for (const dir of [dirA, dirB]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends each level once per chain across reruns and two instances, activity feed for the vendor person', async () => {
    await createPlan(a, 'esc-g', idleDemo('Graph escalation'));
    clock.set(`${addDays(T0, 15)}T06:00:00Z`);
    await Promise.all([run(a), run(b)]);
    await run(a);
    await run(b);
    const keys = emulator.mail.sent.map(keyOf).sort();
    expect(keys).toEqual(
      [
        `escalation:esc-g:${addDays(T0, 15)}:vendor:1`,
        `escalation:esc-g:${addDays(T0, 15)}:partner-p-contoso:1`,
        `escalation:esc-g:${addDays(T0, 15)}:partner-p-adatum:1`,
      ].sort(),
    );
    expect(emulator.mail.sent.every((m) => m.mailbox === 'co-sell@vendor.example')).toBe(true);
    expect(emulator.mail.activities.map((x) => x.userId)).toEqual(['priya.raman@vendor.example']);
    const contoso = emulator.mail.sent.find((m) => keyOf(m).includes('p-contoso'));
    expect(contoso?.message.body?.contentType).toBe('HTML');
    expect(contoso?.message.body?.content).toContain(CONTOSO_TERMS);
    expect(contoso?.message.body?.content).not.toContain(ADATUM_TERMS);

    // No outbox in Graph mode.
    expect((await call(a.host.url, 'GET', '/api/outbox')).status).toBe(404);

    clock.set(`${addDays(T0, 29)}T06:00:00Z`);
    await Promise.all([run(a), run(b)]);
    await run(b);
    expect(emulator.mail.sent.map(keyOf).sort()).toEqual(
      [...keys, ...keys.map((k) => k.replace(/:1$/, ':2'))].sort(),
    );
    expect(emulator.mail.sent.length).toBe(6);
    expect(emulator.mail.sent.filter((m) => keyOf(m).endsWith(':2')).length).toBe(3);
  });

  it('a send that failed is retried by a later run, still once', async () => {
    clock.set(`${T0}T09:00:00Z`);
    await createPlan(a, 'esc-f', idleDemo('Graph failure'));
    const before = emulator.mail.sent.length;
    clock.set(`${addDays(T0, 15)}T07:00:00Z`);
    emulator.queueFault({ kind: 'unavailable', match: (_m, p) => p.endsWith('/sendMail') }, 1);
    const first = await run(a);
    // The first sendMail (the vendor chain's) met a 503; the partners' went.
    expect(
      emulator.mail.sent
        .slice(before)
        .map(keyOf)
        .some((k) => k.includes(':vendor:')),
    ).toBe(false);
    expect(first.failures.length).toBe(1);
    expect(emulator.mail.sent.length - before).toBe(2);
    // The failed one stays pending on the plan; after the lease a later run sends it.
    clock.set(`${addDays(T0, 15)}T07:10:00Z`);
    await run(b);
    expect(emulator.mail.sent.length - before).toBe(2);
    clock.set(`${addDays(T0, 15)}T07:20:00Z`);
    await Promise.all([run(a), run(b)]);
    expect(emulator.mail.sent.length - before).toBe(3);
    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/esc-f')).body;
    expect(plan.escalations?.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });
});
