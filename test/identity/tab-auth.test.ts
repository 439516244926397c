import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../../tab/src/api/client';
import {
  type AuthClientConfig,
  CHANNEL_HEADER,
  createTabAuth,
  type MsalAdapter,
  planSignIn,
  type SignInPlan,
  TEAM_HEADER,
  type TeamsAuthAdapter,
} from '../../tab/src/host/auth';
import type { Host, TeamsHost } from '../../tab/src/host/teams-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * The tab's sign-in decisions at its seam (tab/src/host/auth.ts): which way it takes, with which scopes
 * and authority, for the local identity, Teams with and without nested app authentication, a partner's
 * user in a shared channel, and a plain browser; and the API client's 401 handling around it. The first
 * part swaps teams-js and MSAL for recorders; the second runs the module in Chromium with the real
 * msal-browser (test/identity/tab-auth-harness.ts): NAA through a host bridge, redirect sign-in with
 * offline authority metadata.
 */

const VENDOR_TENANT = '11111111-1111-4111-8111-111111111111';
const CONTOSO_TENANT = '22222222-2222-4222-8222-222222222222';
const CLIENT_ID = '55555555-5555-4555-8555-555555555555';
const SCOPE = `api://cosell.example.com/${CLIENT_ID}/access_as_user`;
const TEAM_GROUP = '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a';
const CHANNEL = '19:northwind-deal@thread.tacv2';

const ENTRA: AuthClientConfig = {
  identity: 'entra',
  clientId: CLIENT_ID,
  authorityHost: 'https://login.microsoftonline.com',
  vendorTenantId: VENDOR_TENANT,
  scopes: [SCOPE],
};
const LOCAL: AuthClientConfig = { identity: 'local' };

function teamsHost(userTenantId: string): TeamsHost {
  return {
    kind: 'teams',
    theme: 'default',
    frameContext: 'content',
    channelId: CHANNEL,
    channelType: 'Shared',
    userTenantId,
    channelOwnerTenantId: VENDOR_TENANT,
    channelOwnerGroupId: TEAM_GROUP,
    hostClientType: 'web',
    hostName: 'Teams',
    onThemeChange: () => () => {},
    notifySuccess: () => {},
  };
}
const VENDOR_IN_TEAMS = teamsHost(VENDOR_TENANT);
const PARTNER_IN_TEAMS = teamsHost(CONTOSO_TENANT);
const BROWSER: Host = { kind: 'browser' };

function jwt(exp: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ exp })}.sig`;
}

/** teams-js and MSAL, as recorders. */
function fakes(naa: boolean) {
  const loaded: string[] = [];
  const authTokenCalls: { tenantId?: string; silent?: boolean }[] = [];
  const msalCalls: { plan: SignInPlan; refresh: boolean; interactive: boolean }[] = [];
  let issued = 0;
  const teams: TeamsAuthAdapter = {
    naaRecommended: () => naa,
    getAuthToken: async (request) => {
      authTokenCalls.push(request);
      issued++;
      return jwt(Math.floor(Date.now() / 1000) + 3600 + issued);
    },
  };
  const msal: MsalAdapter = {
    nestedAppToken: async (plan, options) => {
      msalCalls.push({ plan, ...options });
      return 'naa-token';
    },
    redirectToken: async (plan, options) => {
      msalCalls.push({ plan, ...options });
      return 'redirect-token';
    },
  };
  return {
    loaded,
    authTokenCalls,
    msalCalls,
    loadTeams: async () => {
      loaded.push('teams-js');
      return teams;
    },
    loadMsal: async () => {
      loaded.push('msal-browser');
      return msal;
    },
  };
}

function authWith(config: AuthClientConfig, host: Host, naa = false) {
  const f = fakes(naa);
  const auth = createTabAuth({
    host: Promise.resolve(host),
    fetchConfig: async () => config,
    loadTeams: f.loadTeams,
    loadMsal: f.loadMsal,
    redirectUri: 'https://cosell.example.com/',
  });
  return { auth, ...f };
}

describe('which way the tab signs in (planSignIn)', () => {
  const ctx = (naaRecommended: boolean) => ({ naaRecommended, redirectUri: 'https://cosell.example.com/' });

  it('local identity: no sign-in, wherever the tab is', () => {
    for (const host of [BROWSER, VENDOR_IN_TEAMS, PARTNER_IN_TEAMS]) {
      expect(planSignIn(LOCAL, host, ctx(true))).toEqual({ kind: 'none' });
    }
  });

  it('Teams recommending NAA: MSAL nested app auth, the API scope, the user’s own tenant as authority', () => {
    expect(planSignIn(ENTRA, VENDOR_IN_TEAMS, ctx(true))).toEqual({
      kind: 'nested-app',
      clientId: CLIENT_ID,
      authority: `https://login.microsoftonline.com/${VENDOR_TENANT}`,
      scopes: [SCOPE],
    });
    expect(planSignIn(ENTRA, PARTNER_IN_TEAMS, ctx(true))).toMatchObject({
      kind: 'nested-app',
      authority: `https://login.microsoftonline.com/${CONTOSO_TENANT}`,
    });
  });

  it('Teams without NAA: getAuthToken, with the home tenant for a partner’s user in a shared channel', () => {
    expect(planSignIn(ENTRA, VENDOR_IN_TEAMS, ctx(false))).toEqual({ kind: 'teams-sso' });
    expect(planSignIn(ENTRA, PARTNER_IN_TEAMS, ctx(false))).toEqual({
      kind: 'teams-sso',
      tenantId: CONTOSO_TENANT,
    });
  });

  it('a plain browser: redirect sign-in to the multi-tenant `organizations` authority', () => {
    expect(planSignIn(ENTRA, BROWSER, ctx(false))).toEqual({
      kind: 'redirect',
      clientId: CLIENT_ID,
      authority: 'https://login.microsoftonline.com/organizations',
      scopes: [SCOPE],
      redirectUri: 'https://cosell.example.com/',
    });
  });
});

describe('the sign-in module (createTabAuth) with teams-js and MSAL recorded', () => {
  it('local identity: no token, no channel headers, and neither teams-js nor MSAL is loaded', async () => {
    const { auth, loaded } = authWith(LOCAL, PARTNER_IN_TEAMS, true);
    await expect(auth.getAccessToken()).resolves.toBeUndefined();
    await expect(auth.contextHeaders()).resolves.toEqual({});
    expect(auth.state()).toBe('not-needed');
    expect(loaded).toEqual([]);
  });

  it('NAA recommended: the token comes from MSAL nested app auth, getAuthToken is not used', async () => {
    const { auth, loaded, msalCalls, authTokenCalls } = authWith(ENTRA, PARTNER_IN_TEAMS, true);
    await expect(auth.getAccessToken()).resolves.toBe('naa-token');
    expect(loaded).toEqual(['teams-js', 'msal-browser']);
    expect(msalCalls).toEqual([
      {
        plan: {
          kind: 'nested-app',
          clientId: CLIENT_ID,
          authority: `https://login.microsoftonline.com/${CONTOSO_TENANT}`,
          scopes: [SCOPE],
        },
        refresh: false,
        interactive: false,
      },
    ]);
    expect(authTokenCalls).toEqual([]);
    expect(auth.state()).toBe('signed-in');
  });

  it('no NAA: getAuthToken with the partner user’s home tenant; MSAL is not loaded', async () => {
    const { auth, loaded, authTokenCalls } = authWith(ENTRA, PARTNER_IN_TEAMS, false);
    expect(await auth.getAccessToken()).toMatch(/^ey/);
    expect(authTokenCalls).toEqual([{ tenantId: CONTOSO_TENANT }]);
    expect(loaded).toEqual(['teams-js']);
  });

  it('no NAA, a user of the channel’s own tenant: getAuthToken without a tenant', async () => {
    const { auth, authTokenCalls } = authWith(ENTRA, VENDOR_IN_TEAMS, false);
    await auth.getAccessToken();
    expect(authTokenCalls).toEqual([{}]);
  });

  it('a plain browser: MSAL redirect sign-in, teams-js never loaded', async () => {
    const { auth, loaded, msalCalls } = authWith(ENTRA, BROWSER);
    await expect(auth.getAccessToken()).resolves.toBe('redirect-token');
    expect(loaded).toEqual(['msal-browser']);
    expect(msalCalls[0]?.plan).toMatchObject({
      kind: 'redirect',
      authority: 'https://login.microsoftonline.com/organizations',
    });
    await expect(auth.contextHeaders()).resolves.toEqual({});
  });

  it('in a Teams channel the API is told the channel and its host team', async () => {
    const { auth } = authWith(ENTRA, PARTNER_IN_TEAMS);
    await expect(auth.contextHeaders()).resolves.toEqual({
      [CHANNEL_HEADER]: CHANNEL,
      [TEAM_HEADER]: TEAM_GROUP,
    });
  });

  it('keeps a token until shortly before it expires; `refresh` gets a new one', async () => {
    const { auth, authTokenCalls } = authWith(ENTRA, VENDOR_IN_TEAMS);
    const first = await auth.getAccessToken();
    expect(await auth.getAccessToken()).toBe(first);
    expect(authTokenCalls).toHaveLength(1);
    const fresh = await auth.getAccessToken({ refresh: true });
    expect(fresh).not.toBe(first);
    expect(authTokenCalls).toHaveLength(2);
  });

  it('requests refused together share one refresh; after "sign in again" the host is not asked', async () => {
    const { auth, authTokenCalls } = authWith(ENTRA, VENDOR_IN_TEAMS);
    await auth.getAccessToken();
    const refreshed = await Promise.all([1, 2, 3].map(() => auth.getAccessToken({ refresh: true })));
    expect(new Set(refreshed).size).toBe(1);
    expect(await auth.getAccessToken({ refresh: true })).toBe(refreshed[0]);
    expect(authTokenCalls).toHaveLength(2);
    auth.onSignInRequired();
    await expect(auth.getAccessToken()).rejects.toThrow(/sign in again/);
    expect(authTokenCalls).toHaveLength(2);
    await auth.signInAgain();
    expect(authTokenCalls.at(-1)).toEqual({ silent: false });
    expect(auth.state()).toBe('signed-in');
  });

  it('sign-in settings that cannot be read: the request goes unsigned (no "sign in again"), and the next asks again', async () => {
    let asked = 0;
    const f = fakes(false);
    const auth = createTabAuth({
      host: Promise.resolve(VENDOR_IN_TEAMS),
      fetchConfig: async () => {
        asked++;
        if (asked === 1) throw new Error('503');
        return ENTRA;
      },
      loadTeams: f.loadTeams,
      loadMsal: f.loadMsal,
      redirectUri: 'https://cosell.example.com/',
    });
    await expect(auth.getAccessToken()).resolves.toBeUndefined();
    expect(auth.state()).toBe('pending');
    expect(await auth.getAccessToken()).toMatch(/^ey/);
    expect(asked).toBe(2);
    expect(auth.state()).toBe('signed-in');
  });

  it('a failing host token request leaves the tab in "sign in again"', async () => {
    const auth = createTabAuth({
      host: Promise.resolve(VENDOR_IN_TEAMS),
      fetchConfig: async () => ENTRA,
      loadTeams: async () => ({
        naaRecommended: () => false,
        getAuthToken: () => Promise.reject(new Error('consent_required')),
      }),
      loadMsal: () => Promise.reject(new Error('not used')),
      redirectUri: 'https://cosell.example.com/',
    });
    await expect(auth.getAccessToken()).rejects.toThrow('consent_required');
    expect(auth.state()).toBe('sign-in-required');
  });
});

describe('the API client with a token source', () => {
  function recordingFetch(statuses: number[]) {
    const seen: { authorization: string | null; channel: string | null }[] = [];
    const fetchFn = async (_url: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      seen.push({ authorization: headers.get('authorization'), channel: headers.get(CHANNEL_HEADER) });
      const status = statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 500;
      const body =
        status === 200
          ? { id: 'me@contoso.example', displayName: 'Me', identity: 'entra' }
          : { status, code: 'UNAUTHENTICATED', detail: 'Your sign-in token was not accepted.' };
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' },
      });
    };
    return { seen, fetchFn: fetchFn as typeof fetch };
  }

  it('sends the bearer token and the channel hint', async () => {
    const { auth } = authWith(ENTRA, PARTNER_IN_TEAMS, true);
    const { seen, fetchFn } = recordingFetch([200]);
    await createApiClient({ fetch: fetchFn, tokens: auth }).getMe();
    expect(seen).toEqual([{ authorization: 'Bearer naa-token', channel: CHANNEL }]);
  });

  it('sends nothing extra with the local identity', async () => {
    const { auth } = authWith(LOCAL, PARTNER_IN_TEAMS);
    const { seen, fetchFn } = recordingFetch([200]);
    await createApiClient({ fetch: fetchFn, tokens: auth }).getMe();
    expect(seen).toEqual([{ authorization: null, channel: null }]);
  });

  it('401 → one silent refresh, and the call succeeds', async () => {
    const { auth, msalCalls } = authWith(ENTRA, PARTNER_IN_TEAMS, true);
    const { seen, fetchFn } = recordingFetch([401, 200]);
    await expect(createApiClient({ fetch: fetchFn, tokens: auth }).getMe()).resolves.toMatchObject({
      id: 'me@contoso.example',
    });
    expect(seen).toHaveLength(2);
    expect(msalCalls.map((c) => c.refresh)).toEqual([false, true]);
    expect(auth.state()).toBe('signed-in');
  });

  it('401 again after the refresh → "sign in again", and the 401 reaches the page', async () => {
    const { auth } = authWith(ENTRA, PARTNER_IN_TEAMS, true);
    const { seen, fetchFn } = recordingFetch([401, 401, 401]);
    const failure = await createApiClient({ fetch: fetchFn, tokens: auth })
      .getMe()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(401);
    expect(seen).toHaveLength(2);
    expect(auth.state()).toBe('sign-in-required');
  });
});

// ---- in Chromium, with the real msal-browser ----

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let server: http.Server;
let origin: string;
let browser: Browser;
let page: Page;

async function freshPage(): Promise<Page> {
  const context = await browser.newContext();
  // Nothing leaves the machine: Entra is never asked (MSAL gets the authority metadata offline).
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const p = await context.newPage();
  await p.goto(`${origin}/`);
  await p.waitForFunction(() => 'harness' in window);
  return p;
}

describe('with the real msal-browser, in Chromium', () => {
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [path.join(ROOT, 'test/identity/tab-auth-harness.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]?.text ?? '';
    server = http.createServer((req, res) => {
      if (req.url === '/harness.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><html lang="en"><head><title>tab auth</title></head><body><script type="module" src="/harness.js"></script></body></html>',
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('NAA: the host bridge is asked for the API scope, with the partner user’s tenant as authority', async () => {
    page = await freshPage();
    const result = await page.evaluate(
      ([config, host]) =>
        (
          window as unknown as { harness: { nestedApp: (c: unknown, h: unknown) => Promise<unknown> } }
        ).harness.nestedApp(config, host),
      [ENTRA, { ...PARTNER_IN_TEAMS, onThemeChange: undefined, notifySuccess: undefined }] as const,
    );
    const { token, bridgeRequests, state } = result as {
      token: string;
      state: string;
      bridgeRequests: {
        method: string;
        tokenParams?: { clientId: string; authority?: string; scope: string };
      }[];
    };
    expect(bridgeRequests.map((r) => r.method)).toEqual(['GetInitContext', 'GetToken']);
    const tokenParams = bridgeRequests[1]?.tokenParams;
    expect(tokenParams?.clientId).toBe(CLIENT_ID);
    expect(tokenParams?.authority).toBe(`https://login.microsoftonline.com/${CONTOSO_TENANT}`);
    expect(tokenParams?.scope.split(' ')).toContain(SCOPE);
    expect(token).toBe(`naa-token-for:${tokenParams?.scope}`);
    expect(state).toBe('signed-in');
  });

  it('browser: MSAL sends the page to the authorize endpoint of `organizations`, for the API scope, with PKCE', async () => {
    page = await freshPage();
    const result = (await page.evaluate(
      (config) =>
        (window as unknown as { harness: { redirect: (c: unknown) => Promise<unknown> } }).harness.redirect(
          config,
        ),
      ENTRA,
    )) as { navigations: string[]; plan: SignInPlan };
    expect(result.plan.kind).toBe('redirect');
    const url = new URL(result.navigations[0] ?? 'about:blank');
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('scope')?.split(' ')).toContain(SCOPE);
    expect(url.searchParams.get('redirect_uri')).toBe(`${origin}/`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBeTruthy();
  });
});
