import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PlanContent, toIsoDate } from '@cosell/shared';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelDirectoryFileFor,
  SqliteChannelDirectory,
} from '../../functions/src/adapters/sqlite-channel-directory';
import { compose } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { type RunningHost, startLocalHost } from '../../functions/src/host/local-host';
import { ChannelAwareAuthenticator } from '../../functions/src/identity/channel-caller';
import { createRoutes } from '../../functions/src/routes';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import {
  EmulatedTeams,
  sharedChannelContext,
  startTeamsHostEmulator,
  type TeamsHostEmulator,
} from '../support/teams-host-emulator';
import {
  ADATUM_TENANT,
  CLIENT_ID,
  CONTOSO_TENANT,
  entraEnv,
  entraOptions,
  startTestTenant,
  type TenantUser,
  type TestTenant,
  twoPartnerDemoPlan,
} from '../support/test-tenant';

/*
 * The built tab signs in in an emulated Teams (test/support/teams-host-emulator), against the API with
 * Entra sign-in (COSELL_IDENTITY=entra) whose signing keys are a local key set on loopback, as in
 * test/identity and test/api/access-api.test.ts (test/support/test-tenant.ts). The emulated Teams answers `authentication.getAuthToken`
 * with a token minted here. The user is an external member of the vendor's shared channel from partner
 * A's tenant, named nowhere on the plan: the tab must ask for a token of their home tenant, send it as
 * `Authorization: Bearer` with the channel it is in, and the API must accept it and show the plan with
 * partner A's economics and none of partner B's. Then: a token the API refuses → one silent refresh →
 * "Sign in again". And with the local identity in a plain browser: no token, no MSAL, no teams-js.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VENDOR_TENANT = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const TEAM_GROUP = '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a';
const CHANNEL = '19:northwind-deal@thread.tacv2';
const PLAN_ID = 'northwind-signed-in';
const KID = 'e2e-key';
const TENANTS = [VENDOR_TENANT, CONTOSO_TENANT, ADATUM_TENANT];
const PARTNER_USER = {
  upn: 'lena.fischer@contoso.example',
  oid: 'b0000000-0000-4000-8000-000000000003',
  tenant: CONTOSO_TENANT,
};
const VENDOR_USER = {
  upn: 'maya.okafor@vendor.example',
  oid: 'a0000000-0000-4000-8000-000000000001',
  tenant: VENDOR_TENANT,
};
const A_TERMS = 'Contoso delivers and bills the rollout services';
const B_TERMS = 'Resale through A. Datum marketplace listing';

let tenant: TestTenant;
let entraHost: RunningHost;
let localHost: RunningHost;
let closeCompositions: (() => void)[] = [];
let dataDirs: string[] = [];
let emulator: TeamsHostEmulator;
let browser: Browser;
let context: BrowserContext;

/** A token as Teams hands it to the tab: Lena's display name, the Teams client as `azp`. */
function tokenFor(user: TenantUser, audience = CLIENT_ID): Promise<string> {
  return tenant.tokenFor(user, {
    aud: audience,
    name: 'Lena Fischer',
    azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  });
}

async function startApi(
  env: Record<string, string>,
  entra: boolean,
): Promise<{ host: RunningHost; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-signin-'));
  dataDirs.push(dataDir);
  const composition = compose(
    readConfig({ ...env, COSELL_DATA_DIR: dataDir, COSELL_SEED_DEMO: 'true' }, ROOT),
  );
  closeCompositions.push(() => composition.close());
  const services = entra
    ? {
        ...composition.services,
        // The configuration takes only an https authority; the key set here is on loopback.
        auth: new ChannelAwareAuthenticator(entraOptions(tenant, TENANTS)),
      }
    : composition.services;
  const host = await startLocalHost({
    routes: createRoutes(services),
    host: '127.0.0.1',
    port: 0,
    tabDir: path.join(ROOT, 'tab/dist'),
  });
  return { host, dataDir };
}

function plan(): PlanContent {
  return { ...twoPartnerDemoPlan(toIsoDate(new Date())), channelIds: [CHANNEL] };
}

interface SeenRequest {
  url: string;
  authorization: string | undefined;
  channel: string | undefined;
  team: string | undefined;
}

async function newPage(seen: SeenRequest[]): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('request', (request) => {
    const headers = request.headers();
    seen.push({
      url: request.url(),
      authorization: headers.authorization,
      channel: headers['x-cosell-channel-id'],
      team: headers['x-cosell-team-id'],
    });
  });
  return page;
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'tab/dist/index.html')))
    throw new Error('The tab is not built (tab/dist/index.html is missing). Run `npm run build:tab` first.');
  tenant = await startTestTenant({ kid: KID });

  const entra = await startApi(entraEnv(TENANTS), true);
  entraHost = entra.host;
  // The shared channel's roster: the vendor user and the external member of partner A's tenant.
  const roster = new SqliteChannelDirectory(
    channelDirectoryFileFor(path.join(entra.dataDir, 'co-sell-plans.sqlite')),
  );
  roster.setMembers(CHANNEL, [
    { userId: VENDOR_USER.oid, tenantId: VENDOR_USER.tenant, email: VENDOR_USER.upn },
    { userId: PARTNER_USER.oid, tenantId: PARTNER_USER.tenant, email: PARTNER_USER.upn },
  ]);
  roster.close();
  const created = await fetch(`${entraHost.url}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(VENDOR_USER)}` },
    body: JSON.stringify({ ...plan(), id: PLAN_ID }),
  });
  expect(created.status).toBe(201);

  localHost = (await startApi({}, false)).host;
  emulator = await startTeamsHostEmulator();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...emulator.chromiumArgs],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  // Nothing leaves the machine (teams-js's CDN list of origins, Entra).
  await context.route(/^https:\/\/(?!teams\.microsoft\.com)/, (route) => route.abort());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await entraHost?.close();
  await localHost?.close();
  for (const close of closeCompositions) close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  closeCompositions = [];
  dataDirs = [];
  await tenant?.close();
}, 30_000);

const partnerContext = () =>
  sharedChannelContext({
    channelId: CHANNEL,
    tid: CONTOSO_TENANT,
    userObjectId: PARTNER_USER.oid,
    userPrincipalName: PARTNER_USER.upn,
    loginHint: PARTNER_USER.upn,
    userDisplayName: 'Lena Fischer',
    hostTeamTenantId: VENDOR_TENANT,
    hostTeamGroupId: TEAM_GROUP,
  });

describe('the tab in Teams with Entra sign-in', () => {
  it('a partner’s external member of the shared channel: home-tenant token, Bearer to the API, the plan without B’s economics', async () => {
    const token = await tokenFor(PARTNER_USER);
    const seen: SeenRequest[] = [];
    const page = await newPage(seen);
    const teams = await EmulatedTeams.open(page, emulator, {
      tabUrl: `${entraHost.url}/#/plans/${PLAN_ID}`,
      context: partnerContext(),
      authTokens: [token],
    });
    await teams.tab.getByRole('heading', { level: 1 }).waitFor();
    await teams.tab.getByText(A_TERMS).first().waitFor();
    expect(await teams.tab.locator('body').textContent()).not.toContain(B_TERMS);

    // Teams SSO (this host does not recommend nested app auth), for the user's home tenant.
    const asked = await teams.waitForMessage('authentication.getAuthToken');
    expect(asked.args[3]).toBe(CONTOSO_TENANT);
    expect(asked.known).toBe(true);

    // The plan was read with the token and the channel the tab is in; the API accepted it.
    const planRequests = seen.filter((r) => new URL(r.url).pathname === `/api/plans/${PLAN_ID}`);
    expect(planRequests.length).toBeGreaterThan(0);
    for (const r of planRequests) {
      expect(r.authorization).toBe(`Bearer ${token}`);
      expect(r.channel).toBe(CHANNEL);
      expect(r.team).toBe(TEAM_GROUP);
    }
    await page.close();
  });

  it('a token the API refuses: one silent refresh, then “Sign in again”', async () => {
    const wrongAudience = await tokenFor(PARTNER_USER, 'api://someone-else');
    const seen: SeenRequest[] = [];
    const page = await newPage(seen);
    const teams = await EmulatedTeams.open(page, emulator, {
      tabUrl: `${entraHost.url}/#/plans/${PLAN_ID}`,
      context: partnerContext(),
      authTokens: [wrongAudience],
    });
    await teams.tab.getByRole('button', { name: 'Sign in again' }).waitFor();
    const { messages } = await teams.state();
    // The first token, then the refresh after the 401; no endless prompting.
    const asks = messages.filter((m) => m.func === 'authentication.getAuthToken');
    expect(asks).toHaveLength(2);
    expect(seen.filter((r) => r.url.includes(`/api/plans/${PLAN_ID}`)).every((r) => r.authorization)).toBe(
      true,
    );
    await page.close();
  });
});

describe('the tab with the local identity in a plain browser', () => {
  it('sends no token and loads neither MSAL nor teams-js', async () => {
    const seen: SeenRequest[] = [];
    const page = await newPage(seen);
    await page.goto(`${localHost.url}/#/plans/demo-northwind`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText('Signed in as').waitFor();
    const api = seen.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    expect(api.map((r) => new URL(r.url).pathname)).toContain('/api/auth/config');
    expect(api.every((r) => r.authorization === undefined && r.channel === undefined)).toBe(true);
    const chunks = seen.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith('/assets/'));
    expect(chunks.filter((p) => /\/(auth-msal|auth-teams|teams-sdk|dist)-/.test(p))).toEqual([]);
    await page.close();
  });
});
