import type { MyWork, PlanContent } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestApi } from '../support/api-host';
import {
  callAs,
  VENDOR_USER as DEMO_VENDOR_USER,
  PARTNER_A_USER,
  STRANGER,
  startEntraTestApi,
  startTestTenant,
  type TestTenant,
  twoPartnerDemoPlan,
  type UserRequest,
} from '../support/test-tenant';

/*
 * GET /api/me/work with Entra sign-in (issue 8 through issue 6's access rules): each caller gets the work
 * of the plans they may read, found by the email of their verified token, whatever its case; a stranger
 * gets nothing; nothing of a plan's economics is in the answer. Tokens of the loopback test tenant
 * (test/support/test-tenant.ts), as in access-api.test.ts.
 */

const PLAN_ID = 'plan-northwind';

/** The vendor's Maya, her name in mixed case as Entra may give it. */
const VENDOR_USER = { ...DEMO_VENDOR_USER, upn: 'Maya.Okafor@vendor.example' };

let tenant: TestTenant;
let api: TestApi;

const as = (...request: UserRequest) => callAs(api, tenant, ...request);

const plan = (): PlanContent => twoPartnerDemoPlan();

beforeAll(async () => {
  tenant = await startTestTenant();
  api = await startEntraTestApi(tenant);
  for (const [id, title] of [
    [PLAN_ID, 'Northwind'],
    ['plan-second', 'Second deal'],
  ] as const) {
    const created = await as(VENDOR_USER, 'POST', '/api/plans', { json: { ...plan(), id, title } });
    expect(created.status).toBe(201);
  }
  // A plan Sofia is not named on: the Contoso people taken off, its actions given to the vendor.
  const other = plan();
  other.title = 'Without Contoso';
  other.people = other.people.filter((p) => p.partnerId !== 'p-contoso');
  other.actions = other.actions.map((a) => (a.ownerId.startsWith('c-') ? { ...a, ownerId: 'v-ae' } : a));
  other.partners = other.partners.filter((p) => p.id !== 'p-contoso');
  other.economics = other.economics.filter((e) => e.partnerId !== 'p-contoso');
  other.escalation = {
    ...other.escalation,
    partnerChains: other.escalation.partnerChains.filter((c) => c.partnerId !== 'p-contoso'),
  };
  if (other.cadence)
    other.cadence = {
      ...other.cadence,
      attendeeIds: other.cadence.attendeeIds.filter((id) => !id.startsWith('c-')),
    };
  const third = await as(VENDOR_USER, 'POST', '/api/plans', { json: { ...other, id: 'plan-third' } });
  expect(third.status, third.text).toBe(201);
});

afterAll(async () => {
  await api?.close();
  await tenant?.close();
});

type Work = MyWork & { truncated: boolean };

describe('GET /api/me/work with Entra sign-in', () => {
  it("a partner's user gets their work on the plans they are named on, and only there", async () => {
    const res = await as(PARTNER_A_USER, 'GET', '/api/me/work');
    expect(res.status).toBe(200);
    const work = res.body as unknown as Work;
    expect(work.person).toBe('sofia.marino@contoso.example');
    expect(work.items.map((i) => [i.planId, i.itemId])).toEqual([
      [PLAN_ID, 'act-integration'],
      ['plan-second', 'act-integration'],
    ]);
    expect(work.plans.map((p) => p.id).sort()).toEqual([PLAN_ID, 'plan-second']);
    // No economics of anyone in the answer.
    expect(res.text).not.toContain('Contoso delivers and bills the rollout services');
    expect(res.text).not.toContain('Resale through A. Datum marketplace listing');
    expect(res.text).not.toContain('economics');
  });

  it('the vendor AE is found by the email of her token whatever its case, on all three plans', async () => {
    const res = await as(VENDOR_USER, 'GET', '/api/me/work');
    const work = res.body as unknown as Work;
    expect(work.person).toBe('maya.okafor@vendor.example');
    expect(new Set(work.items.map((i) => i.planId))).toEqual(new Set([PLAN_ID, 'plan-second', 'plan-third']));
    // On the third plan she also took over the Contoso actions.
    expect(
      work.items
        .filter((i) => i.planId === 'plan-third')
        .map((i) => i.itemId)
        .sort(),
    ).toEqual(['act-integration', 'act-pricing', 'act-services']);
  });

  it('someone from another organisation named nowhere gets an empty list', async () => {
    const res = await as(STRANGER, 'GET', '/api/me/work');
    expect(res.status).toBe(200);
    expect((res.body as unknown as Work).items).toEqual([]);
    expect((res.body as unknown as Work).plans).toEqual([]);
  });

  it('without a token: 401 with WWW-Authenticate', async () => {
    const res = await call(api.url, 'GET', '/api/me/work');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
