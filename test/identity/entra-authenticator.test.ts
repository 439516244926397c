import http from 'node:http';
import type { AddressInfo } from 'node:net';
import azureFunctions from '@azure/functions';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../functions/src/app-error';
import { EntraAuthenticator } from '../../functions/src/identity/entra-authenticator';

/*
 * Entra bearer tokens checked against a local key set: a loopback HTTP server publishes the JWKS of each
 * tenant at the path the authenticator builds from its authority host (`/<tid>/discovery/v2.0/keys`) and
 * counts the requests. Every attack of the sign-in issue is a 401 whose WWW-Authenticate says why; the
 * good cases cover v2 and v1 tokens, both audience forms and an external user of a partner tenant.
 * The clock is fixed, so expiry and not-before are decided by the claims, not by when the test runs.
 */

const { HttpRequest } = azureFunctions;

const VENDOR_TENANT = '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f';
const PARTNER_TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const STRANGER_TENANT = '99999999-8888-4777-8666-555555555555';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const APP_ID_URI = `api://cosell.example.com/${CLIENT_ID}`;
const NOW = new Date('2026-03-02T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const KID = 'key-1';

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: Keys;
let other: Keys;
let server: http.Server;
let authorityHost: string;
const keyRequests: string[] = [];

beforeAll(async () => {
  signing = await generateKeyPair('RS256', { extractable: true });
  other = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  server = http.createServer((req, res) => {
    keyRequests.push(req.url ?? '');
    const match = /^\/([0-9a-f-]{36})\/discovery\/v2\.0\/keys$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  authorityHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function authenticator(): EntraAuthenticator {
  return new EntraAuthenticator({
    clientId: CLIENT_ID,
    audiences: [CLIENT_ID, APP_ID_URI],
    allowedTenants: [VENDOR_TENANT, PARTNER_TENANT],
    authorityHost,
    clockToleranceSeconds: 120,
    now: () => NOW,
  });
}

function claims(overrides: JWTPayload = {}, tenant = VENDOR_TENANT): JWTPayload {
  return {
    iss: `${authorityHost}/${tenant}/v2.0`,
    aud: CLIENT_ID,
    tid: tenant,
    oid: 'a1b2c3d4-0000-4000-8000-000000000001',
    name: 'Dana Vendor',
    preferred_username: 'Dana.Vendor@Contoso.com',
    scp: 'access_as_user',
    ver: '2.0',
    iat: NOW_S - 60,
    nbf: NOW_S - 60,
    exp: NOW_S + 3600,
    ...overrides,
  };
}

async function sign(payload: JWTPayload, options: { key?: Keys; kid?: string } = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? KID })
    .sign((options.key ?? signing).privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function request(authorization?: string) {
  return new HttpRequest({
    method: 'GET',
    url: 'https://cosell.example.com/api/me',
    headers: authorization ? { authorization } : {},
  });
}

/** The 401 an attempt ends in, with its challenge. */
async function refusal(authorization: string | undefined, auth = authenticator()): Promise<string> {
  const error = await auth.authenticate(request(authorization)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.status).toBe(401);
  const challenge = appError.headers['www-authenticate'] ?? '';
  // The token never reaches the message or the log line.
  if (authorization) {
    const token = authorization.replace(/^Bearer /, '');
    expect(appError.message).not.toContain(token);
    expect(appError.detail).not.toContain(token);
  }
  return challenge;
}

function invalidToken(description: string): string {
  return `Bearer realm="co-sell-plan", error="invalid_token", error_description="${description}"`;
}

describe('Entra bearer tokens: attacks get 401 with WWW-Authenticate', () => {
  it('no token: a bare challenge without an error (RFC 6750 §3.1)', async () => {
    expect(await refusal(undefined)).toBe('Bearer realm="co-sell-plan"');
  });

  it('a non-Bearer Authorization header', async () => {
    expect(await refusal('Basic ZGFuYTpzZWNyZXQ=')).toBe(
      invalidToken('the Authorization header is not a Bearer token'),
    );
  });

  it('alg none (unsigned)', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token algorithm is not allowed'));
  });

  it('HS256 signed with the public key as the HMAC secret', async () => {
    const publicPem = await exportSPKI(signing.publicKey);
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KID })
      .sign(new TextEncoder().encode(publicPem));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token algorithm is not allowed'));
  });

  it('a bad signature: the published kid, signed by another key', async () => {
    const token = await sign(claims(), { key: other });
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token signature is not valid'));
  });

  it('a tampered payload under a genuine signature', async () => {
    const [header, , signature] = (await sign(claims())).split('.');
    const forged = `${header}.${base64url(claims({ preferred_username: 'ceo@contoso.com' }))}.${signature}`;
    expect(await refusal(`Bearer ${forged}`)).toBe(invalidToken('the token signature is not valid'));
  });

  it('an unknown kid', async () => {
    const token = await sign(claims(), { key: other, kid: 'not-published' });
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token signing key is unknown'));
  });

  it('a wrong audience (a token for another API, e.g. Graph)', async () => {
    const token = await sign(claims({ aud: '00000003-0000-0000-c000-000000000000' }));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token is for another audience'));
  });

  it.each([
    ['another host', () => `https://evil.example.com/${VENDOR_TENANT}/v2.0`],
    ['another tenant than tid', (host: string) => `${host}/${PARTNER_TENANT}/v2.0`],
    ['the common endpoint', (host: string) => `${host}/common/v2.0`],
    ['v1 form of another tenant', () => `https://sts.windows.net/${PARTNER_TENANT}/`],
  ])('a wrong issuer: %s', async (_name, issuer) => {
    const token = await sign(claims({ iss: issuer(authorityHost) }));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token has an unexpected issuer'));
  });

  it('a tenant not allowed: refused before any key is fetched for it', async () => {
    const token = await sign(claims({}, STRANGER_TENANT));
    const before = keyRequests.length;
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token tenant is not allowed'));
    expect(keyRequests.slice(before)).toEqual([]);
    expect(keyRequests.some((path) => path.includes(STRANGER_TENANT))).toBe(false);
  });

  it('a token without a tenant id', async () => {
    const token = await sign(claims({ tid: undefined }));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token has no tenant id'));
  });

  it('expired beyond the clock tolerance', async () => {
    const token = await sign(claims({ iat: NOW_S - 4000, nbf: NOW_S - 4000, exp: NOW_S - 121 }));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token has expired'));
  });

  it('not yet valid beyond the clock tolerance', async () => {
    const token = await sign(claims({ iat: NOW_S + 600, nbf: NOW_S + 600, exp: NOW_S + 4200 }));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token is not valid yet'));
  });

  it('without an expiry', async () => {
    const token = await sign(claims({ exp: undefined }));
    expect(await refusal(`Bearer ${token}`)).toMatch(/error="invalid_token"/);
  });

  it.each([
    ['another scope only', 'User.Read'],
    ['a scope that merely contains the name', 'access_as_user_admin'],
    ['no scp (an app-only token)', undefined],
  ])('missing the access_as_user scope: %s', async (_name, scp) => {
    const token = await sign(claims({ scp }));
    expect(await refusal(`Bearer ${token}`)).toBe(invalidToken('the token lacks the access_as_user scope'));
  });

  it('garbage instead of a JWT', async () => {
    expect(await refusal('Bearer not.a.jwt')).toBe(invalidToken('the token is malformed'));
  });
});

describe('Entra bearer tokens: accepted', () => {
  it('a v2 token of the vendor tenant, keys fetched over HTTP once and then cached', async () => {
    const auth = authenticator();
    const before = keyRequests.filter((p) => p.includes(VENDOR_TENANT)).length;
    const token = await sign(claims());
    const identity = await auth.verify(request(`Bearer ${token}`));
    expect(identity).toEqual({
      actor: { id: 'dana.vendor@contoso.com', displayName: 'Dana Vendor' },
      tenantId: VENDOR_TENANT,
      objectId: 'a1b2c3d4-0000-4000-8000-000000000001',
      token,
    });
    await auth.authenticate(request(`Bearer ${await sign(claims({ name: 'Dana V.' }))}`));
    const fetched = keyRequests.filter((p) => p.includes(VENDOR_TENANT)).slice(before);
    expect(fetched).toEqual([`/${VENDOR_TENANT}/discovery/v2.0/keys`]);
  });

  it('authenticate() returns only the Actor recorded in history (no tenant, object id or token)', async () => {
    const actor = await authenticator().authenticate(request(`Bearer ${await sign(claims())}`));
    expect(actor).toEqual({ id: 'dana.vendor@contoso.com', displayName: 'Dana Vendor' });
  });

  it('a v1 token (sts.windows.net issuer, App ID URI audience, upn)', async () => {
    const token = await sign(
      claims({
        iss: `https://sts.windows.net/${VENDOR_TENANT}/`,
        aud: APP_ID_URI,
        ver: '1.0',
        preferred_username: undefined,
        upn: 'Lee.Seller@contoso.com',
        name: 'Lee Seller',
      }),
    );
    expect(await authenticator().authenticate(request(`Bearer ${token}`))).toEqual({
      id: 'lee.seller@contoso.com',
      displayName: 'Lee Seller',
    });
  });

  it('an external user from a shared channel: a token of their home (partner) tenant', async () => {
    const token = await sign(
      claims(
        {
          preferred_username: 'sam@fabrikam.com',
          name: 'Sam Partner',
          oid: 'b0000000-0000-4000-8000-000000000002',
        },
        PARTNER_TENANT,
      ),
    );
    const identity = await authenticator().verify(request(`Bearer ${token}`));
    expect(identity.actor).toEqual({ id: 'sam@fabrikam.com', displayName: 'Sam Partner' });
    expect(identity.tenantId).toBe(PARTNER_TENANT);
    expect(keyRequests).toContain(`/${PARTNER_TENANT}/discovery/v2.0/keys`);
  });

  it.each([
    ['the client id', CLIENT_ID],
    ['the App ID URI', APP_ID_URI],
  ])('audience: %s', async (_name, aud) => {
    const token = await sign(claims({ aud }));
    await expect(authenticator().authenticate(request(`Bearer ${token}`))).resolves.toMatchObject({
      id: 'dana.vendor@contoso.com',
    });
  });

  it('expiry and not-before inside the clock tolerance', async () => {
    const late = await sign(claims({ exp: NOW_S - 100 }));
    const early = await sign(claims({ nbf: NOW_S + 100, iat: NOW_S + 100 }));
    const auth = authenticator();
    await expect(auth.authenticate(request(`Bearer ${late}`))).resolves.toBeDefined();
    await expect(auth.authenticate(request(`Bearer ${early}`))).resolves.toBeDefined();
  });

  it('falls back to the object id when the token names no user', async () => {
    const token = await sign(claims({ preferred_username: undefined, name: undefined }));
    expect(await authenticator().authenticate(request(`Bearer ${token}`))).toEqual({
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      displayName: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
  });

  it('an injected key set (keySetFor) is used instead of the HTTP JWKS', async () => {
    const asked: string[] = [];
    const auth = new EntraAuthenticator({
      clientId: CLIENT_ID,
      audiences: [APP_ID_URI],
      allowedTenants: [VENDOR_TENANT],
      authorityHost: 'https://login.microsoftonline.com',
      clockToleranceSeconds: 120,
      now: () => NOW,
      keySetFor: (tenant) => {
        asked.push(tenant);
        return async () => signing.publicKey;
      },
    });
    const token = await sign(claims({ iss: `https://login.microsoftonline.com/${VENDOR_TENANT}/v2.0` }));
    await expect(auth.authenticate(request(`Bearer ${token}`))).resolves.toMatchObject({
      id: 'dana.vendor@contoso.com',
    });
    expect(asked).toEqual([VENDOR_TENANT]);
  });
});
