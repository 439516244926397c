import { addDays, demoPlan, type MyWork, type Plan, type PlanContent } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_USER } from '../../functions/src/identity/local-identity';
import { call, startTestApi, type TestApi } from '../support/api-host';

/*
 * GET /api/me/work ("My co-sell", issue 8) over real HTTP on the local host: the caller's open actions and
 * milestones across plans, due soonest first; and the server's rule that a milestone moves only with a
 * reason.
 */

const TODAY = '2026-11-27';
const d = (n: number) => addDays(TODAY, n);
type Work = MyWork & { truncated: boolean };

let api: TestApi;

function variant(title: string, status: PlanContent['status'], shift: number): PlanContent {
  return { ...demoPlan(addDays(TODAY, shift)), title, status };
}

beforeAll(async () => {
  api = await startTestApi({ now: `${TODAY}T10:00:00Z` });
});
afterAll(async () => {
  await api.close();
});

describe('GET /api/me/work', () => {
  it("the local identity is the demo plan's vendor AE, and the demo gives her work", async () => {
    const me = await call<{ id: string }>(api.url, 'GET', '/api/me');
    expect(me.body.id).toBe(DEFAULT_LOCAL_USER.id);
    const demo = demoPlan(TODAY);
    const named = demo.people.find((p) => p.email === DEFAULT_LOCAL_USER.id);
    expect(named).toMatchObject({ side: 'vendor', role: 'account-executive' });
    expect(demo.actions.some((a) => a.ownerId === named?.id && a.status !== 'done')).toBe(true);
  });

  it("lists the caller's open work across plans, soonest first, leaving out paused plans and others' work", async () => {
    const created: Plan[] = [];
    for (const [title, status, shift] of [
      ['Later deal', 'active', 10],
      ['Paused deal', 'paused', -30],
      ['Earlier deal', 'draft', -20],
    ] as const) {
      const res = await call<Plan>(api.url, 'POST', '/api/plans', { json: variant(title, status, shift) });
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    const res = await call<Work>(api.url, 'GET', '/api/me/work');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.person).toBe(DEFAULT_LOCAL_USER.id);
    expect(res.body.today).toBe(TODAY);
    expect(res.body.truncated).toBe(false);
    // Maya's open action in each plan is due 14 days after the day it was drawn up.
    expect(res.body.items.map((i) => [i.planTitle, i.itemId, i.due, i.overdue])).toEqual([
      ['Earlier deal', 'act-pricing', d(-6), true],
      ['Later deal', 'act-pricing', d(24), false],
    ]);
    expect(res.body.items[0]).toMatchObject({
      kind: 'action',
      planId: created[2]?.id,
      planVersion: 1,
      status: 'open',
      ownerId: 'v-ae',
    });
    expect(res.body.plans.map((p) => p.title)).toEqual(['Earlier deal', 'Later deal']);
    expect(res.body.plans[0]?.people.map((p) => p.id)).toContain('c-pc');
  });

  it("answers another person's work for another caller (a partner counterpart, with a blocker)", async () => {
    const list = await call<{ items: { id: string; title: string }[] }>(api.url, 'GET', '/api/plans');
    const later = list.body.items.find((p) => p.title === 'Later deal');
    await call(api.url, 'POST', `/api/plans/${later?.id}/operations`, {
      json: {
        operations: [{ op: 'raise-blocker', actionId: 'act-integration', blocker: 'SAP sandbox down' }],
      },
    });
    const res = await call<Work>(api.url, 'GET', '/api/me/work', {
      headers: { 'x-cosell-local-user': 'Sofia.Marino@contoso.example' },
    });
    expect(res.body.person).toBe('sofia.marino@contoso.example');
    expect(res.body.items.map((i) => [i.planTitle, i.itemId, i.status, i.blocker])).toEqual([
      ['Earlier deal', 'act-integration', 'open', undefined],
      ['Later deal', 'act-integration', 'blocked', 'SAP sandbox down'],
    ]);
  });

  it('an action marked done leaves the list', async () => {
    const before = await call<Work>(api.url, 'GET', '/api/me/work');
    const first = before.body.items[0];
    const done = await call(api.url, 'POST', `/api/plans/${first?.planId}/operations`, {
      json: { operations: [{ op: 'complete-action', actionId: first?.itemId }] },
    });
    expect(done.status).toBe(200);
    const after = await call<Work>(api.url, 'GET', '/api/me/work');
    expect(after.body.items).toHaveLength(before.body.items.length - 1);
    expect(after.body.items.some((i) => i.planId === first?.planId && i.itemId === first?.itemId)).toBe(
      false,
    );
  });

  it('someone named nowhere gets an empty list, not an error', async () => {
    const res = await call<Work>(api.url, 'GET', '/api/me/work', {
      headers: { 'x-cosell-local-user': 'new.hire@vendor.example' },
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.plans).toEqual([]);
  });

  it('refuses a query parameter it does not take, naming it', async () => {
    const res = await call<{ code: string; errors: { path: string }[] }>(
      api.url,
      'GET',
      '/api/me/work?limit=5',
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('INVALID_QUERY');
    expect(res.body.errors.map((e) => e.path)).toEqual(['limit']);
  });

  it('finds the seeded demo plan for the default local user', async () => {
    const other = await startTestApi({ now: `${TODAY}T10:00:00Z` });
    try {
      // The demo plan as `npm start` seeds it (same content, same id), created through the API.
      const res0 = await call<Work>(other.url, 'GET', '/api/me/work');
      expect(res0.body.items).toEqual([]);
      await call(other.url, 'POST', '/api/plans', { json: { ...demoPlan(TODAY), id: 'demo-northwind' } });
      const res = await call<Work>(other.url, 'GET', '/api/me/work');
      expect(res.body.items.map((i) => [i.planId, i.itemId])).toEqual([['demo-northwind', 'act-pricing']]);
    } finally {
      await other.close();
    }
  });
});

describe('moving a milestone needs a reason (the server rule behind the quick view)', () => {
  it('422 naming operations[0].reason when the reason is empty or missing; nothing changes', async () => {
    const created = await call<Plan>(api.url, 'POST', '/api/plans', {
      json: variant('Slip rule', 'active', 0),
    });
    for (const reason of ['', '   ', undefined]) {
      const res = await call<{ code: string; errors: { path: string; message: string }[] }>(
        api.url,
        'POST',
        `/api/plans/${created.body.id}/operations`,
        {
          json: {
            operations: [
              {
                op: 'move-milestone',
                milestoneId: 'm-pilot',
                due: d(30),
                ...(reason === undefined ? {} : { reason }),
              },
            ],
          },
        },
      );
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const reasonError = res.body.errors.find((e) => e.path === 'operations[0].reason');
      expect(reasonError?.message).toMatch(
        reason === undefined ? /required/ : /reason for moving the milestone is required/,
      );
    }
    const after = await call<Plan>(api.url, 'GET', `/api/plans/${created.body.id}`);
    expect(after.body.version).toBe(1);
    expect(after.body.milestones.find((m) => m.id === 'm-pilot')?.due).toBe(d(12));
  });
});
