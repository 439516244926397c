import {
  type AuthenticationResult,
  type BrowserAuthOptions,
  type BrowserSystemOptions,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
  PublicClientApplication,
} from '@azure/msal-browser';
import type { MsalAdapter, SignInPlan } from './auth';

/*
 * The MSAL side of sign-in, over @azure/msal-browser (loaded by ./auth only with Entra sign-in, and only
 * where MSAL is the way: nested app authentication in a host that recommends it, or redirect sign-in in
 * a plain browser). No MSAL type leaves this file.
 *
 * Nested app authentication: `createNestablePublicClientApplication` talks to the host through
 * `window.nestedAppAuthBridge` (provided by teams-js when the host supports it); `acquireTokenSilent`,
 * and `acquireTokenPopup` only when the host answers that interaction is required (consent, MFA).
 * Redirect: `handleRedirectPromise` once per page (it completes a sign-in the page came back from),
 * `loginRedirect` without an account, `acquireTokenSilent` with one, `acquireTokenRedirect` when the
 * silent way answers interaction_required. The cache is the session's: a new browser session signs in
 * again (silently while the Entra session lasts).
 */

/** What a test (or a sovereign cloud) adds to MSAL's configuration: navigation, offline metadata. */
export interface MsalExtras {
  auth?: Partial<BrowserAuthOptions>;
  system?: BrowserSystemOptions;
}

/** Never settles: the page is going to the sign-in page. */
function leaving(): Promise<never> {
  return new Promise<never>(() => {});
}

type NestedPlan = Extract<SignInPlan, { kind: 'nested-app' }>;
type RedirectPlan = Extract<SignInPlan, { kind: 'redirect' }>;

export function msalAdapter(extras: MsalExtras = {}): MsalAdapter {
  let nested: Promise<IPublicClientApplication> | undefined;
  let standard: Promise<{ pca: PublicClientApplication; returned: AuthenticationResult | null }> | undefined;

  const configOf = (plan: NestedPlan | RedirectPlan, more: Partial<BrowserAuthOptions> = {}) => ({
    auth: { clientId: plan.clientId, authority: plan.authority, ...more, ...extras.auth },
    cache: { cacheLocation: 'sessionStorage' as const },
    ...(extras.system ? { system: extras.system } : {}),
  });

  return {
    async nestedAppToken(plan, { refresh, interactive }) {
      nested ??= createNestablePublicClientApplication(configOf(plan));
      const pca = await nested;
      const request = { scopes: plan.scopes, authority: plan.authority };
      if (interactive) return (await pca.acquireTokenPopup(request)).accessToken;
      try {
        return (await pca.acquireTokenSilent({ ...request, forceRefresh: refresh })).accessToken;
      } catch (error) {
        if (!(error instanceof InteractionRequiredAuthError)) throw error;
        return (await pca.acquireTokenPopup(request)).accessToken;
      }
    },

    async redirectToken(plan, { refresh, interactive }) {
      standard ??= (async () => {
        const pca = new PublicClientApplication(configOf(plan, { redirectUri: plan.redirectUri }));
        await pca.initialize();
        // Completes a sign-in this page came back from (null otherwise); throws what Entra answered.
        const returned = await pca.handleRedirectPromise();
        if (returned?.account) pca.setActiveAccount(returned.account);
        return { pca, returned };
      })();
      const { pca, returned } = await standard;
      const request = { scopes: plan.scopes };
      if (interactive) {
        await pca.loginRedirect({ ...request, redirectStartPage: window.location.href });
        return leaving();
      }
      if (returned?.accessToken && !refresh && returned.scopes.some((s) => plan.scopes.includes(s))) {
        return returned.accessToken;
      }
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      if (!account) {
        await pca.loginRedirect({ ...request, redirectStartPage: window.location.href });
        return leaving();
      }
      try {
        return (await pca.acquireTokenSilent({ ...request, account, forceRefresh: refresh })).accessToken;
      } catch (error) {
        if (!(error instanceof InteractionRequiredAuthError)) throw error;
        await pca.acquireTokenRedirect({ ...request, account, redirectStartPage: window.location.href });
        return leaving();
      }
    },
  };
}
