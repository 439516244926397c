import { CHANNEL_HEADER, TEAM_HEADER } from './identity/channel-caller';

/*
 * Sign-in and access in the OpenAPI document (issue 6), applied to the whole document after it is
 * built, so that every route — also those added later — is described the same way: the bearer scheme
 * (an Entra access token for this API), 401 with its `WWW-Authenticate` challenge (RFC 6750) on every
 * route that needs sign-in, 404 on every route of one plan ("no such plan, or not one you may see":
 * nothing tells the two apart), 403 where a side may be refused, the channel headers of the tab, and
 * `GET /auth/config`.
 */

type Json = Record<string, unknown>;

export const BEARER_SCHEME = 'entraBearer';

/** Routes that answer without sign-in. */
const PUBLIC_PATHS = new Set(['/health', '/auth/config', '/openapi.json']);

/** What a side may be refused on, by route and method. */
const FORBIDDEN: Record<string, Record<string, string>> = {
  '/plans': { post: 'Only the vendor side creates plans' },
  '/plans/{id}': {
    put: 'Changes to another partner’s economics, or to who is on another side (`errors` names them)',
    delete: 'Only the vendor side deletes a plan',
  },
  '/plans/{id}/operations': {
    post: 'An operation changes another partner’s economics or who is on another side',
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const unauthorized = {
  description:
    'No valid sign-in: no token, or a token that is expired, not yet valid, for another audience or tenant, without the access_as_user scope, or not signed by the tenant’s keys',
  headers: {
    'WWW-Authenticate': {
      description:
        'RFC 6750 challenge: `Bearer realm="co-sell-plan"`, with `error="invalid_token"` and an `error_description` when a token was sent',
      schema: { type: 'string' },
    },
  },
  content: problemContent,
};

const notVisible = {
  description: 'No such plan, or not one you may see (named people and members of its channels read it)',
  content: problemContent,
};

const channelHeaders = [
  {
    name: CHANNEL_HEADER,
    in: 'header',
    required: false,
    schema: { type: 'string', maxLength: 200 },
    description:
      'The Teams channel the tab is shown in. A hint only: the API checks with Microsoft Teams that you are a member of it, and only a channel the plan lists gives access',
  },
  {
    name: TEAM_HEADER,
    in: 'header',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'The group id of the team that hosts that channel (for a shared channel, its host team)',
  },
];

const authConfigPath = {
  get: {
    summary: 'How the tab signs in (no sign-in needed)',
    responses: {
      '200': {
        description:
          'The identity mode, and for Entra the client id, sign-in origin, vendor tenant and scope',
        content: {
          'application/json': {
            schema: {
              oneOf: [
                {
                  type: 'object',
                  required: ['identity'],
                  properties: { identity: { const: 'local' } },
                },
                {
                  type: 'object',
                  required: ['identity', 'clientId', 'authorityHost', 'vendorTenantId', 'scopes'],
                  properties: {
                    identity: { const: 'entra' },
                    clientId: { type: 'string' },
                    authorityHost: { type: 'string' },
                    vendorTenantId: { type: 'string' },
                    scopes: { type: 'array', items: { type: 'string' } },
                  },
                },
              ],
            },
          },
        },
      },
    },
  },
};

/** Adds sign-in and access to `document` (in place) and returns it. */
export function withAuthDocumentation<T extends Json>(document: T): T {
  const components = (document.components ?? {}) as Json;
  components.securitySchemes = {
    ...((components.securitySchemes as Json | undefined) ?? {}),
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'An Entra access token for this API (`aud` its client id or App ID URI, `scp` access_as_user), as Teams single sign-on, nested app authentication or MSAL sign-in give the tab; from the vendor tenant or a configured partner tenant. With the local development identity (loopback only, never deployed) no token is needed.',
    },
  };
  (document as Json).components = components;
  (document as Json).security = [{ [BEARER_SCHEME]: [] }];

  const paths = ((document as Json).paths ?? {}) as Record<string, Json>;
  if (!paths['/auth/config']) paths['/auth/config'] = structuredClone(authConfigPath);
  for (const [route, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const responses = (operation.responses ?? {}) as Json;
      operation.responses = responses;
      if (PUBLIC_PATHS.has(route)) {
        operation.security = [];
        continue;
      }
      responses['401'] = structuredClone(unauthorized);
      const refused = FORBIDDEN[route]?.[method];
      if (refused && !responses['403']) responses['403'] = { description: refused, content: problemContent };
      if (route.startsWith('/plans/{id}')) responses['404'] = structuredClone(notVisible);
      if (route.startsWith('/plans')) {
        const parameters = (operation.parameters ?? []) as Json[];
        const named = new Set(parameters.map((p) => String(p.name).toLowerCase()));
        operation.parameters = [...parameters, ...channelHeaders.filter((h) => !named.has(h.name))];
      }
    }
  }
  return document;
}
