import { demoPlan, type Plan } from '@cosell/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAddinApi } from '../../tab/src/addin/addin-api';
import { createAddinAuth, readAuthConfig, SignInProblem } from '../../tab/src/addin/addin-auth';
import { MAX_ATTACHMENT_BYTES } from '../../tab/src/addin/meeting-plan';
import { connectToOffice, type OfficeHost } from '../../tab/src/addin/office-host';
import type { MsalAdapter } from '../../tab/src/host/auth';
import { call, startTestApi, type TestApi } from '../support/api-host';
import { createSimulatedOffice } from '../support/simulated-office';

/*
 * The add-in's sign-in seam (tab/src/addin/addin-auth.ts): it asks the API how to sign in
 * (`GET /api/auth/config`), sends no token to the local identity, refuses clearly on an Outlook without
 * NestedAppAuth 1.1 when Entra is configured, and signs every API call (plans and the PDF) with the token
 * of the tab's MSAL adapter. MSAL's nested app authentication itself needs Outlook's broker: here the
 * adapter (tab/src/host/auth-msal.ts's interface) is replaced by one that records what it was asked.
 */

const ENTRA = {
  identity: 'entra',
  clientId: '55555555-5555-4555-8555-555555555555',
  authorityHost: 'https://login.microsoftonline.com',
  vendorTenantId: '11111111-1111-4111-8111-111111111111',
  scopes: ['api://cosell.contoso.com/55555555-5555-4555-8555-555555555555/access_as_user'],
};

let api: TestApi;
const globals = globalThis as { Office?: unknown };

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});
afterEach(() => {
  delete globals.Office;
});

async function outlookWith(sets: Record<string, string>): Promise<OfficeHost> {
  globals.Office = createSimulatedOffice({ item: 'organizer', requirementSets: sets }).Office;
  const host = await connectToOffice(1000);
  if (!host) throw new Error('no host');
  return host;
}

const answering =
  (status: number, body: unknown): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('how to sign in', () => {
  it('the local API says local identity: no token is added', async () => {
    expect(await readAuthConfig(`${api.url}/api`, fetch)).toEqual({ identity: 'local' });
    const auth = await createAddinAuth(await outlookWith({ Mailbox: '1.8' }), { baseUrl: `${api.url}/api` });
    expect(auth).toEqual({ mode: 'local' });
    expect((await createAddinApi({ baseUrl: `${api.url}/api` }).me()).displayName).toBe('Maya Okafor');
  });

  it('an API without the route (404) is the local identity; an Entra answer is read as such', async () => {
    expect(await readAuthConfig('/api', answering(404, {}))).toEqual({ identity: 'local' });
    expect(await readAuthConfig('/api', answering(200, ENTRA))).toEqual(ENTRA);
  });

  it('an answer it cannot read, or no answer, is a sign-in problem with a sentence', async () => {
    await expect(readAuthConfig('/api', answering(500, { detail: 'x' }))).rejects.toThrow(
      /did not say how to sign in \(GET \/api\/auth\/config answered 500\)/,
    );
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(readAuthConfig('/api', unreachable)).rejects.toBeInstanceOf(SignInProblem);
  });

  it('Entra configured but Outlook without NestedAppAuth 1.1: the message names the set', async () => {
    const host = await outlookWith({ Mailbox: '1.8' });
    const problem = await createAddinAuth(host, { fetch: answering(200, ENTRA) }).catch((e: unknown) => e);
    expect(problem).toBeInstanceOf(SignInProblem);
    expect((problem as Error).message).toContain('NestedAppAuth 1.1 requirement set');
  });
});

describe('the token on every call', () => {
  it('nested app authentication: organizations authority, the API scope, and Bearer on plans and the PDF', async () => {
    const asked: unknown[] = [];
    const msal: MsalAdapter = {
      async nestedAppToken(plan, options) {
        asked.push({ plan, options });
        return `naa-token-${asked.length}`;
      },
      redirectToken: () => Promise.reject(new Error('not in Outlook')),
    };
    const host = await outlookWith({ Mailbox: '1.8', NestedAppAuth: '1.1' });
    const auth = await createAddinAuth(host, { fetch: answering(200, ENTRA), loadMsal: async () => msal });
    expect(auth.mode).toBe('nested-app-auth');

    const created = await call<Plan>(api.url, 'POST', '/api/plans', { json: demoPlan('2026-11-27') });
    const seen: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push(`${new URL(String(input)).pathname} ${new Headers(init?.headers).get('authorization')}`);
      return fetch(input, init);
    };
    const addinApi = createAddinApi({
      baseUrl: `${api.url}/api`,
      fetch: recording,
      ...(auth.tokens ? { tokens: auth.tokens } : {}),
    });
    await addinApi.getPlan(created.body.id);
    await addinApi.getPlanPdf(created.body.id, MAX_ATTACHMENT_BYTES);
    expect(seen).toEqual([
      `/api/plans/${created.body.id} Bearer naa-token-1`,
      `/api/plans/${created.body.id}/pdf Bearer naa-token-2`,
    ]);
    expect(asked[0]).toEqual({
      plan: {
        kind: 'nested-app',
        clientId: ENTRA.clientId,
        authority: 'https://login.microsoftonline.com/organizations',
        scopes: ENTRA.scopes,
      },
      options: { refresh: false, interactive: false },
    });
  });

  it('no token to be had: the PDF call says the person could not be signed in', async () => {
    const host = await outlookWith({ Mailbox: '1.8', NestedAppAuth: '1.1' });
    const failing: MsalAdapter = {
      nestedAppToken: () => Promise.reject(new Error('consent_required')),
      redirectToken: () => Promise.reject(new Error('not in Outlook')),
    };
    const auth = await createAddinAuth(host, { fetch: answering(200, ENTRA), loadMsal: async () => failing });
    const error = await createAddinApi({
      baseUrl: `${api.url}/api`,
      ...(auth.tokens ? { tokens: auth.tokens } : {}),
    })
      .getPlanPdf('x', 10)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'SIGN_IN_FAILED' });
    expect((error as Error).message).toContain('consent_required');
  });
});
