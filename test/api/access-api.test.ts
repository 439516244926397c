import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoPlan, type PlanContent } from '@cosell/shared';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthenticator } from '../../functions/src/identity/entra-authenticator';
import { call, startTestApi, type TestApi } from '../support/api-host';

/*
 * Sides and rights (issue 6) over real HTTP with Entra tokens. A loopback server publishes the signing
 * keys at the path the authenticator builds from its authority host (as in entra-authenticator.test.ts).
 * The two-partner demo plan: Contoso Consulting (partner A, tenant A) and A. Datum Cloud Services
 * (partner B, tenant B); the vendor's people sign in from the vendor tenant.
 */

const VENDOR_TENANT = '11111111-1111-4111-8111-111111111111';
const CONTOSO_TENANT = '22222222-2222-4222-8222-222222222222';
const ADATUM_TENANT = '33333333-3333-4333-8333-333333333333';
const OTHER_TENANT = '44444444-4444-4444-8444-444444444444';
const CLIENT_ID = '55555555-5555-4555-8555-555555555555';
const APP_ID_URI = `api://cosell.example.com/${CLIENT_ID}`;
const KID = 'key-1';
const PLAN_ID = 'plan-northwind';

const VENDOR_USER = { upn: 'Maya.Okafor@vendor.example', tenant: VENDOR_TENANT };
const PARTNER_A_USER = { upn: 'sofia.marino@contoso.example', tenant: CONTOSO_TENANT };
const STRANGER = { upn: 'someone@elsewhere.example', tenant: OTHER_TENANT };

/** What of partner B's economics must never reach partner A: terms texts and values. */
const B_SECRETS = [
  'Resale through A. Datum marketplace listing',
  'Joint logistics webinar',
  '"percent":18',
  '"amount":15000',
  'Economics with A. Datum',
];
const A_TERMS = 'Contoso delivers and bills the rollout services';

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let keys: Keys;
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
  return { ...response, text: JSON.stringify(response.body) };
}

function plan(): PlanContent {
  const p = demoPlan('2026-11-27');
  for (const partner of p.partners) {
    if (partner.id === 'p-contoso') partner.tenantId = CONTOSO_TENANT;
    if (partner.id === 'p-adatum') partner.tenantId = ADATUM_TENANT;
  }
  return p;
}

function expectNoSecretsOfB(text: string): void {
  for (const secret of B_SECRETS) expect(text).not.toContain(secret);
}

async function current(user = VENDOR_USER) {
  const response = await as(user, 'GET', `/api/plans/${PLAN_ID}`);
  expect(response.status).toBe(200);
  return response;
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
    // The configuration accepts only an https authority; the key set here is on loopback http.
    authenticator: new EntraAuthenticator({
      clientId: CLIENT_ID,
      audiences: [CLIENT_ID, APP_ID_URI],
      allowedTenants: tenants,
      authorityHost,
      clockToleranceSeconds: 120,
    }),
  });
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
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
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
