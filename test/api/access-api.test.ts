import type { PlanContent } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api-host';
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
 * Sides and rights (issue 6) over real HTTP with Entra tokens of the loopback test tenant
 * (test/support/test-tenant.ts). The two-partner demo plan: Contoso Consulting (partner A, tenant A) and
 * A. Datum Cloud Services (partner B, tenant B); the vendor's people sign in from the vendor tenant.
 */

const PLAN_ID = 'plan-northwind';

/** The vendor's Maya, her name in mixed case as Entra may give it. */
const VENDOR_USER = { ...DEMO_VENDOR_USER, upn: 'Maya.Okafor@vendor.example' };

/** What of partner B's economics must never reach partner A: terms texts and values. */
const B_SECRETS = [
  'Resale through A. Datum marketplace listing',
  'Joint logistics webinar',
  '"percent":18',
  '"amount":15000',
  'Economics with A. Datum',
];
const A_TERMS = 'Contoso delivers and bills the rollout services';

let tenant: TestTenant;
let api: TestApi;

const as = (...request: UserRequest) => callAs(api, tenant, ...request);

const plan = (): PlanContent => twoPartnerDemoPlan();

function expectNoSecretsOfB(text: string): void {
  for (const secret of B_SECRETS) expect(text).not.toContain(secret);
}

async function current(user = VENDOR_USER) {
  const response = await as(user, 'GET', `/api/plans/${PLAN_ID}`);
  expect(response.status).toBe(200);
  return response;
}

beforeAll(async () => {
  tenant = await startTestTenant();
  api = await startEntraTestApi(tenant);
  const created = await as(VENDOR_USER, 'POST', '/api/plans', { json: { ...plan(), id: PLAN_ID } });
  expect(created.status).toBe(201);
  // A history entry about B's economics: the vendor rewords B's webinar term.
  const stored = await current();
  const body = stored.body as PlanContent & { version: number };
  const b = body.economics.find((e) => e.partnerId === 'p-adatum');
  if (b?.kind !== 'terms' || !b.terms[1]) throw new Error('the demo has two terms for A. Datum');
  b.terms[1].terms = 'Joint logistics webinar in Q2';
  const saved = await as(VENDOR_USER, 'PUT', `/api/plans/${PLAN_ID}`, {
    json: body,
    headers: { 'if-match': stored.headers.get('etag') ?? '' },
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await api?.close();
  await tenant?.close();
});

describe('a two-partner plan over Entra sign-in', () => {
  it('the vendor sees both partners’ economics everywhere', async () => {
    const got = await current();
    expect(got.text).toContain(A_TERMS);
    expect(got.text).toContain('Resale through A. Datum marketplace listing');
    const health = await as(VENDOR_USER, 'GET', `/api/plans/${PLAN_ID}/health`);
    expect(health.text).toContain('A. Datum Cloud Services not agreed yet');
    const history = await as(VENDOR_USER, 'GET', `/api/plans/${PLAN_ID}/history`);
    expect(history.text).toContain('Economics with A. Datum');
    const list = await as(VENDOR_USER, 'GET', '/api/plans');
    expect(list.text).toContain(PLAN_ID);
  });

  it('partner A never receives partner B’s economics: plan, list, health, history', async () => {
    const got = await current(PARTNER_A_USER);
    expect(got.text).toContain(A_TERMS);
    expectNoSecretsOfB(got.text);

    const list = await as(PARTNER_A_USER, 'GET', '/api/plans');
    expect(list.status).toBe(200);
    expect(list.text).toContain(PLAN_ID);
    expectNoSecretsOfB(list.text);
    expect(list.text).not.toContain('A. Datum Cloud Services not agreed yet');

    const health = await as(PARTNER_A_USER, 'GET', `/api/plans/${PLAN_ID}/health`);
    expect(health.status).toBe(200);
    expectNoSecretsOfB(health.text);
    expect(health.text).not.toContain('A. Datum Cloud Services not agreed yet');

    const history = await as(PARTNER_A_USER, 'GET', `/api/plans/${PLAN_ID}/history`);
    expect(history.status).toBe(200);
    expectNoSecretsOfB(history.text);
  });

  it('partner A’s quick update result and a 412 `current` hold none of B’s economics', async () => {
    const ops = await as(PARTNER_A_USER, 'POST', `/api/plans/${PLAN_ID}/operations`, {
      json: { operations: [{ op: 'record-review' }] },
    });
    expect(ops.status).toBe(200);
    expect(ops.text).toContain(A_TERMS);
    expectNoSecretsOfB(ops.text);

    const got = await current(PARTNER_A_USER);
    const stale = await as(PARTNER_A_USER, 'PUT', `/api/plans/${PLAN_ID}`, {
      json: got.body,
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.text).toContain(A_TERMS);
    expectNoSecretsOfB(stale.text);
  });

  it('someone of another tenant, not on the plan: 404 by id, absent from the list', async () => {
    for (const path of ['', '/health', '/history']) {
      const response = await as(STRANGER, 'GET', `/api/plans/${PLAN_ID}${path}`);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Northwind');
    }
    const missing = await as(STRANGER, 'GET', '/api/plans/no-such-plan');
    expect(missing.status).toBe(404);
    expect((missing.body as { detail: string }).detail).toBe(
      (
        (await as(STRANGER, 'GET', `/api/plans/${PLAN_ID}`)).body as {
          detail: string;
        }
      ).detail,
    );
    const list = await as(STRANGER, 'GET', '/api/plans');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(PLAN_ID);
    const ops = await as(STRANGER, 'POST', `/api/plans/${PLAN_ID}/operations`, {
      json: { operations: [{ op: 'record-review' }] },
    });
    expect(ops.status).toBe(404);
  });

  it('partner A cannot change partner B’s economics: 403 naming B', async () => {
    const got = await current(PARTNER_A_USER);
    const body = got.body as PlanContent;
    body.economics.push({ partnerId: 'p-adatum', kind: 'none', statement: 'No shared economics' });
    const refused = await as(PARTNER_A_USER, 'PUT', `/api/plans/${PLAN_ID}`, {
      json: body,
      headers: { 'if-match': got.headers.get('etag') ?? '' },
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('A. Datum Cloud Services');
    expectNoSecretsOfB(refused.text);
  });

  it('partner A saves the plan it was shown without erasing B’s economics', async () => {
    const got = await current(PARTNER_A_USER);
    const body = got.body as PlanContent;
    body.title = `${body.title} (reviewed by Contoso)`;
    const saved = await as(PARTNER_A_USER, 'PUT', `/api/plans/${PLAN_ID}`, {
      json: body,
      headers: { 'if-match': got.headers.get('etag') ?? '' },
    });
    expect(saved.status).toBe(200);
    expectNoSecretsOfB(saved.text);

    const asVendor = await current();
    const stored = asVendor.body as PlanContent;
    expect(stored.title).toContain('(reviewed by Contoso)');
    expect(stored.economics.map((e) => e.partnerId).sort()).toEqual(['p-adatum', 'p-contoso']);
    expect(asVendor.text).toContain('Joint logistics webinar in Q2');
  });

  it('partner A cannot delete the plan, nor create one: 403', async () => {
    const got = await current(PARTNER_A_USER);
    const deleted = await as(PARTNER_A_USER, 'DELETE', `/api/plans/${PLAN_ID}`, {
      headers: { 'if-match': got.headers.get('etag') ?? '' },
    });
    expect(deleted.status).toBe(403);
    const created = await as(PARTNER_A_USER, 'POST', '/api/plans', { json: plan() });
    expect(created.status).toBe(403);
    expect((await current()).status).toBe(200);
  });
});
