import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';
import { certificateOf, TokenAcquisitionError } from '../graph/token-providers';

/*
 * Tokens for calls made as the signed-in user (e.g. booking the cadence as its organiser): the user's
 * verified access token for this API is exchanged by the on-behalf-of grant (reference/teams-platform.md
 * §3.4) at the authority of the user's own tenant — their home tenant, also for external users of a
 * shared channel (§3.5). MSAL keeps the results in its token cache, keyed by the user's token, so asking
 * again for the same user and scopes costs no call. The store keeps using app-only access.
 */

export type OnBehalfOfCredential =
  | { kind: 'secret'; secret: string }
  /** A PEM file holding the private key and the certificate registered on the app. */
  | { kind: 'certificate'; pemFile: string };

export interface OnBehalfOfSettings {
  /** e.g. https://login.microsoftonline.com, or a sovereign cloud's. */
  authorityHost: string;
  /** The API's application (client) id: the audience of the user tokens exchanged. */
  clientId: string;
  credential: OnBehalfOfCredential;
  /** Authorities MSAL may use without instance discovery (private clouds, test endpoints). */
  knownAuthorities?: string[];
  /** MSAL's HTTP client; tests pass one that answers without a network. */
  networkClient?: INetworkModule;
}

export interface OnBehalfOfTokenProvider {
  /**
   * A token for `scopes` (e.g. `https://graph.microsoft.com/Calendars.ReadWrite`) as the user of
   * `userToken`, from the authority of `tenantId` (the verified `tid` of that token).
   */
  acquireFor(userToken: string, tenantId: string, scopes: string[]): Promise<string>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The same PEM reading as the app-only provider (graph/token-providers.ts).
export function createOnBehalfOfTokenProvider(settings: OnBehalfOfSettings): OnBehalfOfTokenProvider {
  const host = settings.authorityHost.replace(/\/+$/, '');
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      ...(settings.credential.kind === 'secret'
        ? { clientSecret: settings.credential.secret }
        : { clientCertificate: certificateOf(settings.credential.pemFile) }),
      ...(settings.knownAuthorities ? { knownAuthorities: settings.knownAuthorities } : {}),
    },
    ...(settings.networkClient ? { system: { networkClient: settings.networkClient } } : {}),
  });
  return {
    async acquireFor(userToken: string, tenantId: string, scopes: string[]): Promise<string> {
      // The tenant comes from a verified token; still, it becomes part of a URL.
      if (!GUID.test(tenantId)) throw new TokenAcquisitionError(`"${tenantId}" is not a tenant id`);
      const authority = `${host}/${tenantId}`;
      let result: Awaited<ReturnType<typeof app.acquireTokenOnBehalfOf>>;
      try {
        result = await app.acquireTokenOnBehalfOf({ authority, oboAssertion: userToken, scopes });
      } catch (error) {
        // MSAL's message carries the AADSTS code (invalid_grant / interaction_required: consent needed),
        // never the assertion.
        throw new TokenAcquisitionError(
          `could not get a token on behalf of the user from ${authority}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      if (!result?.accessToken) throw new TokenAcquisitionError(`no on-behalf-of token from ${authority}`);
      return result.accessToken;
    },
  };
}
