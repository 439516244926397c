import type { TokenSource } from '../api/client';
import type { AuthClientConfig, MsalAdapter, SignInPlan } from '../host/auth';
import type { OfficeHost } from './office-host';

/*
 * Sign-in for the Outlook add-in, through the tab's sign-in module (tab/src/host/auth.ts and its MSAL
 * adapter auth-msal.ts). The API says how it trusts callers (`GET /api/auth/config`,
 * functions/src/routes-auth.ts): with the local identity (`npm start`, loopback only) no token is sent;
 * with Entra ID the add-in gets a token for the API's `access_as_user` scope by MSAL nested app
 * authentication brokered by Outlook (Office.js provides the bridge; the Entra app carries the
 * `brk-multihub://<tab host>` SPA redirect, manifest/ENTRA.md): silent first, Outlook's prompt only when
 * Entra asks for interaction. The result is the API client's `TokenSource` (tab/src/api/client.ts), so
 * the add-in's calls are signed, and refreshed once on a 401, exactly as the tab's are.
 *
 * The tab's `createTabAuth` decides by its `Host` (Teams or a browser); an Outlook add-in is neither, so
 * this module makes the one decision that differs (nested app authentication, when Outlook has
 * NestedAppAuth 1.1) and reuses the rest. Not here: a fallback for Outlook builds without NestedAppAuth
 * 1.1 (the Office dialog API with an MSAL redirect page); such hosts get a message naming the set.
 */

export interface AddinAuth {
  mode: 'local' | 'nested-app-auth';
  /** Signs the API calls; undefined with the local identity. */
  tokens?: TokenSource;
}

export class SignInProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInProblem';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `GET /api/auth/config`; an API that predates the route (404) runs with the local identity. */
export async function readAuthConfig(baseUrl: string, fetchFn: typeof fetch): Promise<AuthClientConfig> {
  let response: Response;
  try {
    response = await fetchFn(`${baseUrl}/auth/config`, { headers: { accept: 'application/json' } });
  } catch {
    throw new SignInProblem(
      'The Co-Sell Plan service could not be reached. Check your connection and try again.',
    );
  }
  if (response.status === 404) return { identity: 'local' };
  const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
  if (isRecord(body) && body.identity === 'local') return { identity: 'local' };
  if (
    isRecord(body) &&
    body.identity === 'entra' &&
    typeof body.clientId === 'string' &&
    typeof body.authorityHost === 'string' &&
    Array.isArray(body.scopes) &&
    body.scopes.every((s) => typeof s === 'string')
  ) {
    return {
      identity: 'entra',
      clientId: body.clientId,
      authorityHost: body.authorityHost,
      vendorTenantId: typeof body.vendorTenantId === 'string' ? body.vendorTenantId : '',
      scopes: body.scopes as string[],
    };
  }
  throw new SignInProblem(
    `The Co-Sell Plan service did not say how to sign in (GET /api/auth/config answered ${response.status}).`,
  );
}

/** The sign-in of the add-in, pure: nested app authentication against `organizations` (vendor and partners). */
export function addinSignInPlan(config: Extract<AuthClientConfig, { identity: 'entra' }>) {
  return {
    kind: 'nested-app',
    clientId: config.clientId,
    authority: `${config.authorityHost.replace(/\/+$/, '')}/organizations`,
    scopes: config.scopes,
  } satisfies Extract<SignInPlan, { kind: 'nested-app' }>;
}

/** Signs in as the API and Outlook require; see the top of this file. */
export async function createAddinAuth(
  host: OfficeHost,
  {
    baseUrl = '/api',
    fetch: fetchFn = globalThis.fetch.bind(globalThis),
    loadMsal = () => import('../host/auth-msal').then((m) => m.msalAdapter()),
  }: { baseUrl?: string; fetch?: typeof fetch; loadMsal?: () => Promise<MsalAdapter> } = {},
): Promise<AddinAuth> {
  const config = await readAuthConfig(baseUrl, fetchFn);
  if (config.identity === 'local') return { mode: 'local' };
  if (!host.supports('NestedAppAuth', '1.1')) {
    throw new SignInProblem(
      "This version of Outlook can't sign you in to Co-Sell Plan: it needs the NestedAppAuth 1.1 requirement set. Update Outlook, or use Outlook on the web or the new Outlook for Windows.",
    );
  }
  const plan = addinSignInPlan(config);
  // MSAL is loaded only when Entra sign-in is configured: the local run never downloads it.
  const msal = loadMsal();
  return {
    mode: 'nested-app-auth',
    tokens: {
      async getAccessToken({ refresh = false } = {}) {
        return (await msal).nestedAppToken(plan, { refresh, interactive: false });
      },
    },
  };
}

/** The headers that sign one request with `tokens` (for the calls the API client does not make itself). */
export async function signedHeaders(tokens: TokenSource | undefined): Promise<Record<string, string>> {
  if (!tokens) return {};
  let token: string | undefined;
  try {
    token = await tokens.getAccessToken();
  } catch (error) {
    throw new SignInProblem(
      `You could not be signed in to Co-Sell Plan${error instanceof Error && error.message ? ` (${error.message})` : ''}.`,
    );
  }
  const context = (await tokens.contextHeaders?.()) ?? {};
  return { ...context, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}
