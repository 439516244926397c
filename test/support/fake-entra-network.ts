import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/*
 * MSAL's HTTP client replaced by a local Entra: it answers instance discovery and OpenID metadata for any
 * tenant of `authorityHost` (the tenant read from the URL MSAL asks), answers token requests with
 * `token(request)`, and records every request (method, endpoint without MSAL's query, form body).
 */

export interface RecordedRequest {
  method: 'GET' | 'POST';
  url: string;
  body: URLSearchParams;
}

export interface FakeEntraNetwork {
  network: INetworkModule;
  requests: RecordedRequest[];
  posts(): RecordedRequest[];
}

/** A token endpoint's answer: 200 with a token body, or an Entra error. */
export type TokenAnswer =
  | { status: 200; body: Record<string, unknown> }
  | { status: 400 | 401; error: string; description: string };

const tenantOf = (url: string, fallback: string) => /^https:\/\/[^/]+\/([^/]+)\//.exec(url)?.[1] ?? fallback;

export function fakeEntraNetwork(
  authorityHost: string,
  token: (request: RecordedRequest) => TokenAnswer,
): FakeEntraNetwork {
  const requests: RecordedRequest[] = [];
  const answer = <T>(status: number, body: unknown): NetworkResponse<T> => ({
    status,
    headers: {},
    body: body as T,
  });
  const network: INetworkModule = {
    async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
      requests.push({ method: 'GET', url, body: new URLSearchParams() });
      const host = new URL(authorityHost).host;
      const tenant = tenantOf(url, 'common');
      if (url.includes('discovery/instance')) {
        const asked = new URL(url).searchParams.get('authorization_endpoint') ?? '';
        return answer(200, {
          tenant_discovery_endpoint: `${authorityHost}/${tenantOf(asked, tenant)}/v2.0/.well-known/openid-configuration`,
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        });
      }
      return answer(200, {
        token_endpoint: `${authorityHost}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${authorityHost}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authorityHost}/${tenant}/oauth2/v2.0/logout`,
        issuer: `${authorityHost}/${tenant}/v2.0`,
        jwks_uri: `${authorityHost}/${tenant}/discovery/v2.0/keys`,
      });
    },
    async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      // MSAL adds ?client-request-id=…; the endpoint is what matters.
      const request: RecordedRequest = {
        method: 'POST',
        url: url.split('?')[0] ?? url,
        body: new URLSearchParams(options?.body ?? ''),
      };
      requests.push(request);
      const result = token(request);
      return result.status === 200
        ? answer(200, result.body)
        : answer(result.status, { error: result.error, error_description: result.description });
    },
  };
  return { network, requests, posts: () => requests.filter((r) => r.method === 'POST') };
}
