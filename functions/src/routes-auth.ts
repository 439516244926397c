import { AppError } from './app-error';
import type { IdentityConfig } from './config';
import type { RouteDefinition } from './routes';

/*
 * `GET /api/auth/config`: how the tab signs in, without signing in (the tab asks before it has a token).
 * It says only what the tab's sign-in needs and what the app registration publishes anyway: the identity
 * mode, the API's client id, the sign-in origin and the scope of this API (reference/teams-platform.md
 * §3.1: App ID URI `api://<domain>/<client-id>`, scope `access_as_user`). Nothing secret, nothing per user.
 */

/** What the tab needs to get a token for this API. */
export type AuthClientConfig =
  | { identity: 'local' }
  | {
      identity: 'entra';
      /** The API's application (client) id: the tab's MSAL client id too (one registration). */
      clientId: string;
      /** The Entra sign-in origin (https://login.microsoftonline.com or a sovereign cloud's). */
      authorityHost: string;
      /** The vendor's tenant: the home of the channel's team. Partners sign in from their own. */
      vendorTenantId: string;
      /** The delegated scope the API requires (`api://…/access_as_user`). */
      scopes: string[];
    };

export const ACCESS_AS_USER = 'access_as_user';

/** The tab's sign-in settings derived from the API's identity configuration. */
export function authClientConfigOf(identity: IdentityConfig): AuthClientConfig {
  if (identity.kind === 'local') return { identity: 'local' };
  return {
    identity: 'entra',
    clientId: identity.clientId,
    authorityHost: identity.authorityHost,
    vendorTenantId: identity.tenantId,
    scopes: [`${identity.appIdUri}/${ACCESS_AS_USER}`],
  };
}

/** The route; `config` is read per request (the table is the same whatever the services). */
export function authRoutes(config: () => AuthClientConfig | undefined): RouteDefinition[] {
  return [
    {
      name: 'auth-config',
      route: 'auth/config',
      methods: {
        GET: async () => {
          const body = config();
          if (!body)
            throw new AppError('INTERNAL', 'The sign-in settings of this service are not configured.');
          return {
            status: 200,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              // The same for every caller and changes only with a deployment.
              'cache-control': 'public, max-age=300',
              'x-content-type-options': 'nosniff',
            },
            body: JSON.stringify(body),
          };
        },
      },
    },
  ];
}
