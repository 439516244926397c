import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoPlan, type MyWork, type PlanContent } from '@cosell/shared';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthenticator } from '../../functions/src/identity/entra-authenticator';
import { call, startTestApi, type TestApi } from '../support/api-host';

/*
 * GET /api/me/work with Entra sign-in (issue 8 through issue 6's access rules): each caller gets the work
 * of the plans they may read, found by the email of their verified token, whatever its case; a stranger
 * gets nothing; nothing of a plan's economics is in the answer. Token setup as in access-api.test.ts.
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
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
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
