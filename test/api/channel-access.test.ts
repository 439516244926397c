import path from 'node:path';
import type { PlanContent } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelDirectoryFileFor,
  SqliteChannelDirectory,
} from '../../functions/src/adapters/sqlite-channel-directory';
import {
  CHANNEL_HEADER,
  ChannelAwareAuthenticator,
  TEAM_HEADER,
} from '../../functions/src/identity/channel-caller';
import { call, startTestApi, type TestApi } from '../support/api-host';
import {
  ADATUM_TENANT,
  APP_ID_URI,
  CLIENT_ID,
  CONTOSO_TENANT,
  callAs,
  startEntraTestApi,
  startTestTenant,
  type TestTenant,
  twoPartnerDemoPlan,
  VENDOR_TENANT,
} from '../support/test-tenant';

/*
 * Channel members read plans (issue 6), over real HTTP with Entra tokens of the loopback test tenant
 * (test/support/test-tenant.ts), as in access-api.test.ts. The plan is shown in a shared channel of the vendor's team; the channel's roster
 * (the embedded directory beside the SQLite plans) lists a vendor user and an external member of partner
 * A's tenant, neither of them named on the plan. The composition wraps the Entra authenticator so that
 * callers carry their verified tid/oid and the channel the tab is in; the test does the same, since it
 * gives the API a loopback key set.
 */

const PLAN_ID = 'plan-channel';
const TEAM_ID = '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a';
const CHANNEL = '19:northwind-deal@thread.tacv2';
const OTHER_CHANNEL = '19:another-deal@thread.tacv2';

interface User {
  upn: string;
  tenant: string;
  oid: string;
}
const VENDOR_AE: User = {
  upn: 'maya.okafor@vendor.example',
  tenant: VENDOR_TENANT,
  oid: 'a0000000-0000-4000-8000-000000000001',
};
/** In the vendor tenant, a channel member not named on the plan. */
const VENDOR_MEMBER: User = {
  upn: 'noah.berg@vendor.example',
  tenant: VENDOR_TENANT,
  oid: 'a0000000-0000-4000-8000-000000000002',
};
/** Partner A's tenant, an external member of the shared channel, not named on the plan. */
const CONTOSO_MEMBER: User = {
  upn: 'lena.fischer@contoso.example',
  tenant: CONTOSO_TENANT,
  oid: 'b0000000-0000-4000-8000-000000000003',
};
/** Partner A's tenant, not in the channel. */
const CONTOSO_OUTSIDER: User = {
  upn: 'tom.weber@contoso.example',
  tenant: CONTOSO_TENANT,
  oid: 'b0000000-0000-4000-8000-000000000004',
};
/** Partner B's tenant, in another channel only. */
const ADATUM_ELSEWHERE: User = {
  upn: 'ravi.shah@adatum.example',
  tenant: ADATUM_TENANT,
  oid: 'c0000000-0000-4000-8000-000000000005',
};

const B_SECRETS = ['Resale through A. Datum marketplace listing', '"percent":18', '"amount":15000'];
const A_TERMS = 'Contoso delivers and bills the rollout services';

let tenant: TestTenant;
let api: TestApi;
let roster: SqliteChannelDirectory;

/** A request as the tab in the shared channel sends it: the token and the channel it is in. */
async function as(
  user: User,
  method: string,
  pathname: string,
  options: { json?: unknown; channel?: string | null } = {},
) {
  const channel = options.channel === undefined ? CHANNEL : options.channel;
  return callAs(api, tenant, user, method, pathname, {
    ...(options.json !== undefined ? { json: options.json } : {}),
    headers: channel ? { [CHANNEL_HEADER]: channel, [TEAM_HEADER]: TEAM_ID } : {},
  });
}

const plan = (): PlanContent => ({ ...twoPartnerDemoPlan(), channelIds: [CHANNEL] });

const member = (u: User) => ({ userId: u.oid, tenantId: u.tenant, displayName: u.upn, email: u.upn });

beforeAll(async () => {
  tenant = await startTestTenant();
  api = await startEntraTestApi(tenant, {
    tenants: [VENDOR_TENANT, CONTOSO_TENANT, ADATUM_TENANT],
    authenticator: (settings) => new ChannelAwareAuthenticator(settings),
  });
  // The composition's embedded directory keeps its roster beside the plans; write it as an admin would.
  roster = new SqliteChannelDirectory(
    channelDirectoryFileFor(path.join(api.dataDir, 'co-sell-plans.sqlite')),
  );
  roster.setMembers(CHANNEL, [member(VENDOR_AE), member(VENDOR_MEMBER), member(CONTOSO_MEMBER)]);
  roster.setMembers(OTHER_CHANNEL, [member(ADATUM_ELSEWHERE)]);
  const created = await as(VENDOR_AE, 'POST', '/api/plans', { json: { ...plan(), id: PLAN_ID } });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  roster?.close();
  await api?.close();
  await tenant?.close();
});

describe('members of a channel that shows the plan', () => {
  it('an external member from partner A’s tenant reads the plan with A’s economics and none of B’s', async () => {
    const got = await as(CONTOSO_MEMBER, 'GET', `/api/plans/${PLAN_ID}`);
    expect(got.status).toBe(200);
    expect(got.text).toContain(A_TERMS);
    for (const secret of B_SECRETS) expect(got.text).not.toContain(secret);

    for (const sub of ['/health', '/history']) {
      const response = await as(CONTOSO_MEMBER, 'GET', `/api/plans/${PLAN_ID}${sub}`);
      expect(response.status).toBe(200);
      for (const secret of B_SECRETS) expect(response.text).not.toContain(secret);
      expect(response.text).not.toContain('A. Datum Cloud Services not agreed yet');
    }
  });

  it('the channel’s plans are in their list (the channel asked for is the one the tab is in)', async () => {
    const list = await as(CONTOSO_MEMBER, 'GET', `/api/plans?channel=${encodeURIComponent(CHANNEL)}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(PLAN_ID);
    for (const secret of B_SECRETS) expect(list.text).not.toContain(secret);
  });

  it('they work on milestones and actions like a named person', async () => {
    const ops = await as(CONTOSO_MEMBER, 'POST', `/api/plans/${PLAN_ID}/operations`, {
      json: { operations: [{ op: 'complete-milestone', milestoneId: 'm-pilot' }, { op: 'record-review' }] },
    });
    expect(ops.status).toBe(200);
    for (const secret of B_SECRETS) expect(ops.text).not.toContain(secret);
    const history = await as(VENDOR_AE, 'GET', `/api/plans/${PLAN_ID}/history`);
    expect(history.text).toContain('lena.fischer@contoso.example');
  });

  it('a channel member of the vendor tenant is the vendor side', async () => {
    const got = await as(VENDOR_MEMBER, 'GET', `/api/plans/${PLAN_ID}`);
    expect(got.status).toBe(200);
    expect(got.text).toContain('Resale through A. Datum marketplace listing');
  });

  it('someone of partner A’s tenant who is not in the channel gets 404, even naming the channel', async () => {
    for (const sub of ['', '/health', '/history']) {
      const response = await as(CONTOSO_OUTSIDER, 'GET', `/api/plans/${PLAN_ID}${sub}`);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Northwind');
    }
    const list = await as(CONTOSO_OUTSIDER, 'GET', `/api/plans?channel=${encodeURIComponent(CHANNEL)}`);
    expect(list.text).not.toContain(PLAN_ID);
    const ops = await as(CONTOSO_OUTSIDER, 'POST', `/api/plans/${PLAN_ID}/operations`, {
      json: { operations: [{ op: 'record-review' }] },
    });
    expect(ops.status).toBe(404);
  });

  it('a member of another channel only gets 404, whichever channel the tab claims', async () => {
    for (const channel of [OTHER_CHANNEL, CHANNEL, null]) {
      const response = await as(ADATUM_ELSEWHERE, 'GET', `/api/plans/${PLAN_ID}`, { channel });
      expect(response.status).toBe(404);
    }
  });

  it('someone taken out of the channel no longer reads it', async () => {
    roster.setMembers(CHANNEL, [member(VENDOR_AE), member(VENDOR_MEMBER), member(CONTOSO_MEMBER)]);
    expect((await as(CONTOSO_MEMBER, 'GET', `/api/plans/${PLAN_ID}`)).status).toBe(200);
    roster.setMembers(CHANNEL, [member(VENDOR_AE), member(VENDOR_MEMBER)]);
    expect((await as(CONTOSO_MEMBER, 'GET', `/api/plans/${PLAN_ID}`)).status).toBe(404);
    roster.setMembers(CHANNEL, [member(VENDOR_AE), member(VENDOR_MEMBER), member(CONTOSO_MEMBER)]);
  });

  it('a channel member of partner A cannot change B’s economics (403), nor delete the plan', async () => {
    const got = await as(CONTOSO_MEMBER, 'GET', `/api/plans/${PLAN_ID}`);
    const body = got.body as PlanContent;
    body.economics.push({ partnerId: 'p-adatum', kind: 'none', statement: 'No shared economics' });
    const refused = await call(api.url, 'PUT', `/api/plans/${PLAN_ID}`, {
      json: body,
      headers: {
        authorization: `Bearer ${await tenant.tokenFor(CONTOSO_MEMBER)}`,
        [CHANNEL_HEADER]: CHANNEL,
        'if-match': got.headers.get('etag') ?? '',
      },
    });
    expect(refused.status).toBe(403);
    const deleted = await call(api.url, 'DELETE', `/api/plans/${PLAN_ID}`, {
      headers: {
        authorization: `Bearer ${await tenant.tokenFor(CONTOSO_MEMBER)}`,
        [CHANNEL_HEADER]: CHANNEL,
        'if-match': got.headers.get('etag') ?? '',
      },
    });
    expect(deleted.status).toBe(403);
  });
});

describe('GET /api/auth/config', () => {
  it('tells the tab how to sign in, without a token', async () => {
    const response = await call(api.url, 'GET', '/api/auth/config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      identity: 'entra',
      clientId: CLIENT_ID,
      authorityHost: 'https://login.microsoftonline.com',
      vendorTenantId: VENDOR_TENANT,
      scopes: [`${APP_ID_URI}/access_as_user`],
    });
  });

  it('with the local identity: no sign-in', async () => {
    const local = await startTestApi();
    try {
      const response = await call(local.url, 'GET', '/api/auth/config');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ identity: 'local' });
    } finally {
      await local.close();
    }
  });
});
