import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, demoPlan, type Plan, type PlanContent, type StoredMail } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloseResult, ReviewPage } from '../../functions/src/use-cases/review-service';
import { call, startTestInstance, TestClock, type TestInstance } from '../support/api-host';

/*
 * The weekly review over real HTTP (embedded store and outbox): the page account by account, "close review"
 * storing a snapshot, recording the review (decay cleared) and mailing the attendees one summary — once, also
 * when the close is sent twice or by two instances at once — and the next review showing what changed.
 */

const T0 = '2026-11-02';
const CONTOSO_TERMS = 'Contoso delivers and bills the rollout services';

type Instance = TestInstance;

const startInstance = (dataDir: string, clock: TestClock): Promise<Instance> =>
  startTestInstance({ COSELL_DATA_DIR: dataDir, COSELL_SEED_DEMO: 'false' }, clock);

describe('the weekly review', () => {
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-review-'));
    a = await startInstance(dataDir, clock);
    b = await startInstance(dataDir, clock);
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function summaries(planId: string): Promise<StoredMail[]> {
    const page = await call<{ items: StoredMail[] }>(
      a.host.url,
      'GET',
      `/api/outbox?plan=${planId}&limit=100`,
    );
    expect(page.status).toBe(200);
    return page.body.items.filter((m) => m.category === 'review-summary');
  }

  it('closes a review: snapshot stored, decay cleared, one summary to the attendees; the next review shows the changes', async () => {
    const content: PlanContent = demoPlan(T0);
    const created = await call<Plan>(a.host.url, 'POST', '/api/plans', { json: { ...content, id: 'rev-1' } });
    expect(created.status).toBe(201);

    // 15 days later, never reviewed: decaying.
    clock.set(`${addDays(T0, 15)}T09:00:00Z`);
    const decaying = await call<{ decay: { decaying: boolean } }>(
      a.host.url,
      'GET',
      '/api/plans/rev-1/health',
    );
    expect(decaying.body.decay.decaying).toBe(true);

    const page = await call<ReviewPage>(a.host.url, 'GET', '/api/plans/rev-1/review');
    expect(page.status).toBe(200);
    expect(page.body.since).toBeUndefined();
    expect(page.body.accounts.map((x) => x.name)).toEqual(expect.arrayContaining(['Northwind Logistics']));
    expect(page.body.totals.blockers).toBeGreaterThanOrEqual(1);
    expect(page.body.attendees.every((x) => x.side !== 'buyer')).toBe(true);
    expect(JSON.stringify(page.body)).not.toContain(CONTOSO_TERMS);

    // Sent twice at once through two instances, then again: one snapshot, one summary.
    const [c1, c2] = await Promise.all([
      call<CloseResult>(a.host.url, 'POST', '/api/plans/rev-1/review/close', {
        json: { reviewId: 'review-1' },
      }),
      call<CloseResult>(b.host.url, 'POST', '/api/plans/rev-1/review/close', {
        json: { reviewId: 'review-1' },
      }),
    ]);
    expect([c1.status, c2.status].sort()).toEqual([200, 201]);
    const again = await call<CloseResult>(a.host.url, 'POST', '/api/plans/rev-1/review/close', {
      json: { reviewId: 'review-1' },
    });
    expect(again.status).toBe(200);
    expect(again.body.closed).toBe(false);
    const first = c1.status === 201 ? c1.body : c2.body;
    expect(first.mail.sent).toBe(true);
    expect(first.snapshot.closedOn).toBe(addDays(T0, 15));

    const mails = await summaries('rev-1');
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.subject).toBe(`Weekly co-sell review closed: ${content.title}`);
    expect(mail?.to.map((t) => t.address).sort()).toEqual(page.body.attendees.map((x) => x.email).sort());
    expect(mail?.text).toContain('Next move:');
    expect(mail?.text).not.toContain(CONTOSO_TERMS);

    const plan = (await call<Plan>(a.host.url, 'GET', '/api/plans/rev-1')).body;
    expect(plan.lastReviewedOn).toBe(addDays(T0, 15));
    expect(plan.reviews?.map((r) => r.id)).toEqual(['review-1']);
    const health = await call<{ decay: { decaying: boolean } }>(a.host.url, 'GET', '/api/plans/rev-1/health');
    expect(health.body.decay.decaying).toBe(false);

    // A desk edit (the plan as read, without the server's reviews) keeps the snapshots.
    const { reviews: _r, ...asRead } = plan;
    const open = plan.actions.find((x) => x.status === 'open');
    const put = await call<Plan>(a.host.url, 'PUT', '/api/plans/rev-1', {
      json: {
        ...asRead,
        actions: plan.actions.map((x) =>
          x.id === open?.id ? { ...x, status: 'done', doneOn: addDays(T0, 16) } : x,
        ),
      },
      headers: { 'if-match': `"${plan.version}"` },
    });
    expect(put.status).toBe(200);
    expect(put.body.reviews?.length).toBe(1);

    clock.set(`${addDays(T0, 22)}T09:00:00Z`);
    const next = await call<ReviewPage>(a.host.url, 'GET', '/api/plans/rev-1/review');
    expect(next.body.since).toMatchObject({ id: 'review-1', closedOn: addDays(T0, 15) });
    const changes = [...next.body.accounts.flatMap((x) => x.changes), ...next.body.planChanges];
    expect(changes).toContain(`Action "${open?.description}" done`);
    expect(next.body.history.map((h) => h.id)).toEqual(['review-1']);

    // The second review is compared with the first and mailed once more (a new review id).
    const second = await call<CloseResult>(a.host.url, 'POST', '/api/plans/rev-1/review/close', {
      json: { reviewId: 'review-2' },
    });
    expect(second.status).toBe(201);
    expect(await summaries('rev-1')).toHaveLength(2);
    const latest = (await summaries('rev-1'))[0];
    expect(latest?.text).toContain(`Changed: Action "${open?.description}" done`);
  });

  it('closing a review does not end a stall', async () => {
    clock.set(`${T0}T09:00:00Z`);
    const base = demoPlan(T0);
    const idle: PlanContent = {
      ...base,
      milestones: [],
      actions: base.actions.map(({ milestoneId: _m, doneOn: _d, blocker: _b, ...x }) => ({
        ...x,
        status: 'open' as const,
      })),
    };
    await call(a.host.url, 'POST', '/api/plans', { json: { ...idle, id: 'rev-2' } });
    clock.set(`${addDays(T0, 20)}T09:00:00Z`);
    const before = await call<{ stalls: { stalled: boolean } }>(a.host.url, 'GET', '/api/plans/rev-2/health');
    expect(before.body.stalls.stalled).toBe(true);
    expect(
      (await call(a.host.url, 'POST', '/api/plans/rev-2/review/close', { json: { reviewId: 'r' } })).status,
    ).toBe(201);
    const after = await call<{ stalls: { stalled: boolean } }>(a.host.url, 'GET', '/api/plans/rev-2/health');
    expect(after.body.stalls.stalled).toBe(true);
  });

  it('answers bad input with problem details', async () => {
    const cases: [string, unknown, number][] = [
      ['/api/plans/rev-1/review/close', { reviewId: '' }, 422],
      ['/api/plans/rev-1/review/close', { reviewId: 'x', extra: 1 }, 422],
      ['/api/plans/rev-1/review/close', { reviewId: '../../etc' }, 422],
      ['/api/plans/missing/review/close', { reviewId: 'x' }, 404],
    ];
    for (const [url, json, status] of cases) {
      const response = await call(a.host.url, 'POST', url, { json });
      expect(response.status, `${url} ${JSON.stringify(json)}`).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const notJson = await call(a.host.url, 'POST', '/api/plans/rev-1/review/close', {
      raw: 'reviewId=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(415);
    expect((await call(a.host.url, 'GET', '/api/plans/rev-1/review?x=1')).status).toBe(400);
  });
});
