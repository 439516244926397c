import { authentication, nestedAppAuth } from '@microsoft/teams-js';
import type { TeamsAuthAdapter } from './auth';

/*
 * The Teams side of sign-in, over teams-js (loaded by ./auth only in Teams with Entra sign-in; teams-js
 * is already initialized by ./teams-sdk, the same module instance). No SDK type leaves this file.
 *
 * - `nestedAppAuth.isNAAChannelRecommended()`: the host recommends MSAL nested app authentication
 *   (it then also provides `window.nestedAppAuthBridge`, which msal-browser uses).
 * - `authentication.getAuthToken({ tenantId, silent })`: Teams SSO; `tenantId` asks for a token of the
 *   user's home tenant in a cross-tenant shared channel (reference/teams-platform.md §2.3, §3.5).
 */

export function teamsAuthAdapter(): TeamsAuthAdapter {
  return {
    naaRecommended() {
      try {
        return nestedAppAuth.isNAAChannelRecommended();
      } catch {
        // Not initialized, or an old host: the getAuthToken way works everywhere.
        return false;
      }
    },
    getAuthToken({ tenantId, silent }) {
      return authentication.getAuthToken({
        ...(tenantId ? { tenantId } : {}),
        ...(silent !== undefined ? { silent } : {}),
      });
    },
  };
}
