import type { Host, TeamsHost } from './teams-host';

/*
 * Sign-in for the tab: the one place that gives the API client a token (issue 6,
 * reference/teams-platform.md §3). The API says how it wants callers to sign in (`GET /api/auth/config`):
 *
 *   local identity (`npm start`, loopback)  → no token at all; nothing else is loaded.
 *   Entra, in Teams (or Outlook, M365) where the host recommends nested app authentication
 *     (teams-js `nestedAppAuth.isNAAChannelRecommended()`) → MSAL `createNestablePublicClientApplication`,
 *     `acquireTokenSilent`, and `acquireTokenPopup` when the host says interaction is required;
 *   Entra, in a Teams host without it → teams-js `authentication.getAuthToken()`;
 *   Entra, in a plain browser → MSAL redirect sign-in (`handleRedirectPromise`, `loginRedirect`,
 *     `acquireTokenSilent`, `acquireTokenRedirect` on interaction_required).
 *
 * A partner's user in a shared channel gets a token of their home tenant: the authority is their tenant
 * (`user.tenant.id` from the Teams context), and getAuthToken is given that tenant id when it differs from
 * the channel's owner tenant ("Authenticate external users": reference/teams-platform.md §3.5). In a
 * browser the authority is `organizations`: vendor and partner users each sign in to their own tenant.
 *
 * teams-js and msal-browser are loaded only when a token is needed (./auth-teams, ./auth-msal), so the
 * first view of a plan with the local identity never downloads them. The API client knows this module
 * only as a `TokenSource` (api/client.ts).
 */

/** What the API answers at `GET /api/auth/config` (functions/src/routes-auth.ts). */
export type AuthClientConfig =
  | { identity: 'local' }
  | { identity: 'entra'; clientId: string; authorityHost: string; vendorTenantId: string; scopes: string[] };

/** How this tab, here, gets its token. */
export type SignInPlan =
  | { kind: 'none' }
  | { kind: 'nested-app'; clientId: string; authority: string; scopes: string[] }
  | { kind: 'teams-sso'; tenantId?: string }
  | { kind: 'redirect'; clientId: string; authority: string; scopes: string[]; redirectUri: string };

/** The Teams side of sign-in (./auth-teams, over teams-js). */
export interface TeamsAuthAdapter {
  naaRecommended(): boolean;
  getAuthToken(request: { tenantId?: string; silent?: boolean }): Promise<string>;
}

/** The MSAL side of sign-in (./auth-msal, over msal-browser). */
export interface MsalAdapter {
  /** Nested app authentication through the host; `interactive` may show the host's prompt. */
  nestedAppToken(
    plan: Extract<SignInPlan, { kind: 'nested-app' }>,
    options: { refresh: boolean; interactive: boolean },
  ): Promise<string>;
  /**
   * Redirect sign-in in a browser. Resolves the token, or stays pending while the page goes to the
   * sign-in page (`interactive`, or when the silent way is not enough).
   */
  redirectToken(
    plan: Extract<SignInPlan, { kind: 'redirect' }>,
    options: { refresh: boolean; interactive: boolean },
  ): Promise<string>;
}

export type SignInState =
  /** Not known yet (the configuration has not come back). */
  | 'pending'
  /** The API needs no sign-in (the local identity). */
  | 'not-needed'
  | 'signed-in'
  /** The API refused the token even after a fresh one, or no token could be had: sign in again. */
  | 'sign-in-required';

export interface TabAuth {
  /** A token for the API, or undefined when it needs none. `refresh` skips any token held. */
  getAccessToken(options?: { refresh?: boolean }): Promise<string | undefined>;
  /** Where the tab is shown (its Teams channel and that channel's team), for the API to check. */
  contextHeaders(): Promise<Record<string, string>>;
  /** Called by the API client when the API refused a fresh token: the person must sign in again. */
  onSignInRequired(): void;
  state(): SignInState;
  /** Calls `listener` whenever `state()` changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Signs in with a prompt if one is needed (in a browser: goes to the sign-in page). */
  signInAgain(): Promise<void>;
  /** The way this tab signs in, once the configuration and the host are known. */
  plan(): Promise<SignInPlan>;
}

/** The headers the API reads as the channel hint (functions/src/identity/channel-caller.ts). */
export const CHANNEL_HEADER = 'x-cosell-channel-id';
export const TEAM_HEADER = 'x-cosell-team-id';

/** A user of another tenant than the one owning the channel: a partner's user in a shared channel. */
export function isExternalUser(host: TeamsHost): boolean {
  const user = host.userTenantId?.toLowerCase();
  const owner = host.channelOwnerTenantId?.toLowerCase();
  return user !== undefined && owner !== undefined && user !== owner;
}

/** The decision, pure: which way to sign in, from the API's configuration and the host. */
export function planSignIn(
  config: AuthClientConfig,
  host: Host,
  context: { naaRecommended: boolean; redirectUri: string },
): SignInPlan {
  if (config.identity === 'local') return { kind: 'none' };
  const origin = config.authorityHost.replace(/\/+$/, '');
  if (host.kind === 'teams') {
    if (context.naaRecommended) {
      // The user's home tenant: a partner in a shared channel gets a token of their own tenant.
      const tenant = host.userTenantId ?? 'organizations';
      return {
        kind: 'nested-app',
        clientId: config.clientId,
        authority: `${origin}/${tenant}`,
        scopes: config.scopes,
      };
    }
    return isExternalUser(host) && host.userTenantId
      ? { kind: 'teams-sso', tenantId: host.userTenantId }
      : { kind: 'teams-sso' };
  }
  return {
    kind: 'redirect',
    clientId: config.clientId,
    authority: `${origin}/organizations`,
    scopes: config.scopes,
    redirectUri: context.redirectUri,
  };
}

/** Seconds since the epoch at which a JWT expires (read, not verified: only to know when to renew). */
function expiryOf(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** A token is renewed this long before it expires. */
const RENEW_BEFORE_SECONDS = 300;
/** A token fetched by a refresh this recently is the refreshed token for anyone else refused meanwhile. */
const FRESH_MS = 10_000;

export interface TabAuthOptions {
  /** Where the tab runs (`hostOfThisPage`), or how to find out: asked only when a token is needed. */
  host: Promise<Host> | (() => Promise<Host>);
  /** The API's sign-in configuration; by default `GET /api/auth/config`. */
  fetchConfig?: () => Promise<AuthClientConfig>;
  loadTeams?: () => Promise<TeamsAuthAdapter>;
  loadMsal?: () => Promise<MsalAdapter>;
  /** The redirect URI registered for the browser sign-in; by default the page's origin and path. */
  redirectUri?: string;
  now?: () => number;
}

function readAuthConfig(value: unknown): AuthClientConfig {
  const body = (typeof value === 'object' && value !== null ? value : {}) as Partial<AuthClientConfig>;
  if (body.identity === 'local') return { identity: 'local' };
  if (body.identity === 'entra' && typeof body.clientId === 'string' && Array.isArray(body.scopes)) {
    return body as AuthClientConfig;
  }
  throw new Error('the sign-in settings are not readable');
}

/** The id of the element in which a host may deliver the `GET /api/auth/config` answer with the page. */
export const AUTH_CONFIG_ELEMENT_ID = 'cosell-auth-config';

/**
 * The local host writes the answer of `GET /api/auth/config` into the page (functions/src/host/local-host.ts):
 * the first API request then waits for no other. Elsewhere (the tab served as static files on Azure), or if
 * it cannot be read, the tab asks the API.
 */
function embeddedAuthConfig(): AuthClientConfig | undefined {
  if (typeof document === 'undefined') return undefined;
  const element = document.getElementById(AUTH_CONFIG_ELEMENT_ID);
  if (element?.getAttribute('type') !== 'application/json') return undefined;
  try {
    return readAuthConfig(JSON.parse(element.textContent ?? ''));
  } catch {
    return undefined;
  }
}

async function fetchAuthConfig(): Promise<AuthClientConfig> {
  const embedded = embeddedAuthConfig();
  if (embedded) return embedded;
  const response = await fetch('/api/auth/config', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the sign-in settings could not be read (${response.status})`);
  return readAuthConfig(await response.json());
}

export function createTabAuth(options: TabAuthOptions): TabAuth {
  const fetchConfig = options.fetchConfig ?? fetchAuthConfig;
  const loadTeams = options.loadTeams ?? (() => import('./auth-teams').then((m) => m.teamsAuthAdapter()));
  const loadMsal = options.loadMsal ?? (() => import('./auth-msal').then((m) => m.msalAdapter()));
  const now = options.now ?? (() => Date.now());
  let hostPromise: Promise<Host> | undefined;
  const host = () => {
    hostPromise ??= typeof options.host === 'function' ? options.host() : options.host;
    return hostPromise;
  };
  const listeners = new Set<() => void>();
  let current: SignInState = 'pending';
  let held: { token: string; exp: number | undefined; refreshedAt?: number } | undefined;
  let inFlight: { promise: Promise<string | undefined>; refresh: boolean } | undefined;

  const setState = (next: SignInState) => {
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener();
  };

  // Asked at once: the configuration is on the way while the page's code loads. When it cannot be read
  // (the service is not answering), requests go unsigned — the API then says what is wrong — and the
  // next request asks again.
  let configAnswer: Promise<AuthClientConfig | undefined> | undefined;
  const config = () => {
    configAnswer ??= fetchConfig().then(
      (c) => {
        if (c.identity === 'local') setState('not-needed');
        return c;
      },
      () => {
        configAnswer = undefined;
        return undefined;
      },
    );
    return configAnswer;
  };
  void config();

  type Decision = { plan: SignInPlan; teams?: TeamsAuthAdapter } | undefined;
  let planned: Promise<Decision> | undefined;
  const decide = (): Promise<Decision> => {
    planned ??= (async (): Promise<Decision> => {
      const c = await config();
      if (!c) {
        planned = undefined;
        return undefined;
      }
      if (c.identity === 'local') return { plan: { kind: 'none' as const } };
      const where = await host();
      const redirectUri = options.redirectUri ?? `${window.location.origin}${window.location.pathname}`;
      if (where.kind !== 'teams') {
        return { plan: planSignIn(c, where, { naaRecommended: false, redirectUri }) };
      }
      const teams = await loadTeams();
      return { plan: planSignIn(c, where, { naaRecommended: teams.naaRecommended(), redirectUri }), teams };
    })();
    const decision = planned;
    // A failure (teams-js not loading) is not kept: the next request decides again.
    decision.catch(() => {
      if (planned === decision) planned = undefined;
    });
    return decision;
  };

  async function acquire(refresh: boolean, interactive: boolean): Promise<string | undefined> {
    const decision = await decide();
    if (!decision) return undefined;
    const { plan, teams } = decision;
    switch (plan.kind) {
      case 'none':
        return undefined;
      case 'teams-sso':
        if (!teams) throw new Error('Teams is not available');
        return teams.getAuthToken({
          ...(plan.tenantId ? { tenantId: plan.tenantId } : {}),
          ...(interactive ? { silent: false } : {}),
        });
      case 'nested-app':
        return (await loadMsal()).nestedAppToken(plan, { refresh, interactive });
      case 'redirect':
        return (await loadMsal()).redirectToken(plan, { refresh, interactive });
    }
  }

  function getAccessToken({ refresh = false }: { refresh?: boolean } = {}): Promise<string | undefined> {
    // Once the API has refused a fresh token, no request asks the host again until the person signs in.
    if (current === 'sign-in-required') return Promise.reject(new Error('sign in again to continue'));
    const valid = held && (held.exp === undefined || held.exp - RENEW_BEFORE_SECONDS > now() / 1000);
    if (refresh) {
      // Requests refused together share one refresh, and one that comes right after it takes its token.
      if (inFlight?.refresh) return inFlight.promise;
      if (held && valid && held.refreshedAt !== undefined && now() - held.refreshedAt < FRESH_MS) {
        return Promise.resolve(held.token);
      }
    } else {
      if (held && valid) return Promise.resolve(held.token);
      if (inFlight) return inFlight.promise;
    }
    const promise = acquire(refresh, false).then(
      (token) => {
        held = token
          ? { token, exp: expiryOf(token), ...(refresh ? { refreshedAt: now() } : {}) }
          : undefined;
        if (token) setState('signed-in');
        return token;
      },
      (error: unknown) => {
        held = undefined;
        setState('sign-in-required');
        throw error;
      },
    );
    const attempt = { promise, refresh };
    inFlight = attempt;
    const done = () => {
      if (inFlight === attempt) inFlight = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  return {
    getAccessToken,
    async contextHeaders() {
      const c = await config();
      // The local identity reads every plan: no need to wait for Teams to say where the tab is.
      if (c?.identity !== 'entra') return {};
      const where = await host();
      if (where.kind !== 'teams' || !where.channelId) return {};
      const team = where.channelOwnerGroupId ?? where.teamGroupId;
      return { [CHANNEL_HEADER]: where.channelId, ...(team ? { [TEAM_HEADER]: team } : {}) };
    },
    onSignInRequired() {
      held = undefined;
      setState('sign-in-required');
    },
    state: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async signInAgain() {
      const token = await acquire(true, true);
      held = token ? { token, exp: expiryOf(token) } : undefined;
      setState(token ? 'signed-in' : 'not-needed');
    },
    plan: async () => {
      const decision = await decide();
      if (!decision) throw new Error('the sign-in settings could not be read');
      return decision.plan;
    },
  };
}
