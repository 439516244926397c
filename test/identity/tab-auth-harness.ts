import type { INavigationClient, NavigationOptions } from '@azure/msal-browser';
import { type AuthClientConfig, createTabAuth, type TeamsAuthAdapter } from '../../tab/src/host/auth';
import { msalAdapter } from '../../tab/src/host/auth-msal';
import type { TeamsHost } from '../../tab/src/host/teams-host';

/*
 * Runs in Chromium (tab-auth.test.ts bundles it with esbuild): the tab's sign-in module with the real
 * msal-browser. Nested app authentication goes through a host bridge played here
 * (`window.nestedAppAuthBridge`, the object teams-js installs when the host supports NAA; protocol of
 * msal-browser src/naa/BridgeProxy.ts: JSON `NestedAppAuthRequest` envelopes in, `NestedAppAuthResponse`
 * out). Redirect sign-in is given offline authority metadata (`knownAuthorities`, `authorityMetadata`),
 * and a navigation client that records where MSAL sends the page instead of going there.
 */

export interface BridgeRequest {
  method: string;
  tokenParams?: { clientId: string; authority?: string; scope: string };
}

const bridgeRequests: BridgeRequest[] = [];
const navigations: string[] = [];
let navigated: () => void = () => {};
const firstNavigation = new Promise<void>((resolve) => {
  navigated = resolve;
});

function base64url(value: object): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The host's side of the NAA bridge: answers the init context and token requests with a token. */
function installBridge(user: { oid: string; tid: string; upn: string }): void {
  const listeners: ((message: string) => void)[] = [];
  (window as unknown as { nestedAppAuthBridge: unknown }).nestedAppAuthBridge = {
    addEventListener: (_type: string, listener: (message: string) => void) => listeners.push(listener),
    removeEventListener: () => {},
    postMessage(json: string) {
      const request = JSON.parse(json) as BridgeRequest & { requestId: string };
      bridgeRequests.push({
        method: request.method,
        ...(request.tokenParams ? { tokenParams: request.tokenParams } : {}),
      });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        oid: user.oid,
        tid: user.tid,
        preferred_username: user.upn,
        name: user.upn,
        iat: now,
        exp: now + 3600,
      };
      const idToken = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, aud: request.tokenParams?.clientId })}.`;
      const response =
        request.method === 'GetInitContext'
          ? { initContext: { sdkName: 'emulated-host', sdkVersion: '1.0.0', capabilities: {} } }
          : {
              token: {
                access_token: `naa-token-for:${request.tokenParams?.scope}`,
                expires_in: 3600,
                id_token: idToken,
                properties: null,
                scope: request.tokenParams?.scope,
              },
              account: {
                homeAccountId: `${user.oid}.${user.tid}`,
                environment: 'login.microsoftonline.com',
                tenantId: user.tid,
                username: user.upn,
                localAccountId: user.oid,
                name: user.upn,
                idToken,
              },
            };
      setTimeout(() => {
        const body = JSON.stringify({
          messageType: 'NestedAppAuthResponse',
          requestId: request.requestId,
          success: true,
          ...response,
        });
        for (const listener of listeners) listener(body);
      }, 0);
    },
  };
}

const recordingNavigation: INavigationClient = {
  async navigateInternal(url: string, _options: NavigationOptions) {
    navigations.push(url);
    navigated();
    return false;
  },
  async navigateExternal(url: string, _options: NavigationOptions) {
    navigations.push(url);
    navigated();
    return false;
  },
};

/** The openid-configuration of an Entra authority, for MSAL to use without fetching it. */
function authorityMetadata(host: string, tenant: string): string {
  return JSON.stringify({
    token_endpoint: `${host}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${host}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${host}/${tenant}/oauth2/v2.0/logout`,
    issuer: `${host}/{tenantid}/v2.0`,
    jwks_uri: `${host}/${tenant}/discovery/v2.0/keys`,
  });
}

const harness = {
  /** NAA through the real msal-browser: returns the token and what the host bridge was asked. */
  async nestedApp(config: AuthClientConfig, host: TeamsHost) {
    installBridge({
      oid: 'b0000000-0000-4000-8000-000000000003',
      tid: host.userTenantId ?? '',
      upn: 'lena.fischer@contoso.example',
    });
    const teams: TeamsAuthAdapter = {
      naaRecommended: () => true,
      getAuthToken: () => Promise.reject(new Error('getAuthToken must not be used when NAA is recommended')),
    };
    const auth = createTabAuth({
      host: Promise.resolve(host),
      fetchConfig: async () => config,
      loadTeams: async () => teams,
      loadMsal: async () => msalAdapter(),
      redirectUri: `${window.location.origin}/`,
    });
    const token = await auth.getAccessToken();
    return { token, plan: await auth.plan(), state: auth.state(), bridgeRequests };
  },

  /** Redirect sign-in through the real msal-browser: where MSAL sends the page. */
  async redirect(config: AuthClientConfig & { identity: 'entra' }) {
    const auth = createTabAuth({
      host: Promise.resolve({ kind: 'browser' }),
      fetchConfig: async () => config,
      loadTeams: () => Promise.reject(new Error('teams-js must not be loaded in a browser')),
      loadMsal: async () =>
        msalAdapter({
          auth: {
            knownAuthorities: [new URL(config.authorityHost).host],
            authorityMetadata: authorityMetadata(config.authorityHost, 'organizations'),
          },
          system: { navigationClient: recordingNavigation },
        }),
      redirectUri: `${window.location.origin}/`,
    });
    // Stays pending: the page would now be at the sign-in page.
    void auth.getAccessToken();
    await firstNavigation;
    return { navigations, plan: await auth.plan(), state: auth.state() };
  },
};

(window as unknown as { harness: typeof harness }).harness = harness;
