import type { INetworkModule } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { TokenAcquisitionError } from '../../functions/src/graph/token-providers';
import { createOnBehalfOfTokenProvider } from '../../functions/src/identity/on-behalf-of';
import { fakeEntraNetwork } from '../support/fake-entra-network';

/*
 * The on-behalf-of exchange through MSAL, with MSAL's HTTP client replaced by a local token endpoint that
 * answers discovery and token requests for any tenant and records what was asked: which authority, which
 * grant, which assertion and scopes. Proves the user's own tenant is the authority and that MSAL's cache
 * answers a repeated request for the same user.
 */

function localTokenEndpoint(authorityHost: string, answer: 'token' | 'invalid_grant' = 'token') {
  let issued = 0;
  return fakeEntraNetwork(authorityHost, () => {
    if (answer === 'invalid_grant') {
      return {
        status: 400,
        error: 'invalid_grant',
        description: 'AADSTS65001: The user or administrator has not consented to use the application.',
      };
    }
    issued += 1;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: 'https://graph.microsoft.com/Calendars.ReadWrite',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `graph-token-${issued}`,
      },
    };
  });
}

const VENDOR_TENANT = '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f';
const PARTNER_TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const SCOPES = ['https://graph.microsoft.com/Calendars.ReadWrite'];

function provider(network: INetworkModule, authorityHost = 'https://login.microsoftonline.com') {
  return createOnBehalfOfTokenProvider({
    authorityHost,
    clientId: CLIENT,
    credential: { kind: 'secret', secret: 's3cret' },
    networkClient: network,
  });
}

describe('on-behalf-of tokens through MSAL', () => {
  it('exchanges the user token at the authority of the user own tenant, with the jwt-bearer grant and the scopes', async () => {
    const entra = localTokenEndpoint('https://login.microsoftonline.com');
    const obo = provider(entra.network);
    expect(await obo.acquireFor('user-token-alice', PARTNER_TENANT, SCOPES)).toBe('graph-token-1');
    const posts = entra.posts();
    expect(posts).toHaveLength(1);
    const post = posts[0];
    expect(post?.url).toBe(`https://login.microsoftonline.com/${PARTNER_TENANT}/oauth2/v2.0/token`);
    expect(post?.body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(post?.body.get('requested_token_use')).toBe('on_behalf_of');
    expect(post?.body.get('assertion')).toBe('user-token-alice');
    expect(post?.body.get('client_id')).toBe(CLIENT);
    expect(post?.body.get('client_secret')).toBe('s3cret');
    expect(post?.body.get('scope')?.split(' ')).toContain('https://graph.microsoft.com/Calendars.ReadWrite');
    // No request of this exchange went to another tenant's authority.
    expect(entra.requests.some((r) => r.url.includes(`/${VENDOR_TENANT}/`))).toBe(false);
  });

  it('answers the second request for the same user from the cache; another user gets their own exchange', async () => {
    const entra = localTokenEndpoint('https://login.microsoftonline.com');
    const obo = provider(entra.network);
    expect(await obo.acquireFor('user-token-alice', VENDOR_TENANT, SCOPES)).toBe('graph-token-1');
    expect(await obo.acquireFor('user-token-alice', VENDOR_TENANT, SCOPES)).toBe('graph-token-1');
    expect(entra.posts()).toHaveLength(1);
    expect(await obo.acquireFor('user-token-bob', VENDOR_TENANT, SCOPES)).toBe('graph-token-2');
    expect(entra.posts()).toHaveLength(2);
    expect(entra.posts()[1]?.body.get('assertion')).toBe('user-token-bob');
  });

  it('a sovereign cloud: its authority host', async () => {
    const entra = localTokenEndpoint('https://login.microsoftonline.us');
    const obo = provider(entra.network, 'https://login.microsoftonline.us/');
    await obo.acquireFor('user-token-alice', VENDOR_TENANT, SCOPES);
    expect(entra.posts()[0]?.url).toBe(`https://login.microsoftonline.us/${VENDOR_TENANT}/oauth2/v2.0/token`);
    expect(entra.requests.every((r) => r.url.startsWith('https://login.microsoftonline.us/'))).toBe(true);
  });

  it('a refused exchange (consent missing) is a TokenAcquisitionError naming the authority, without the user token', async () => {
    const entra = localTokenEndpoint('https://login.microsoftonline.com', 'invalid_grant');
    const obo = provider(entra.network);
    const error = await obo.acquireFor('user-token-alice', VENDOR_TENANT, SCOPES).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenAcquisitionError);
    expect((error as Error).message).toContain(`https://login.microsoftonline.com/${VENDOR_TENANT}`);
    expect((error as Error).message).toContain('invalid_grant');
    expect((error as Error).message).not.toContain('user-token-alice');
  });

  it('refuses a tenant id that is not a GUID without any request', async () => {
    const entra = localTokenEndpoint('https://login.microsoftonline.com');
    const obo = provider(entra.network);
    await expect(obo.acquireFor('user-token-alice', 'evil.example/..', SCOPES)).rejects.toBeInstanceOf(
      TokenAcquisitionError,
    );
    expect(entra.requests).toHaveLength(0);
  });
});
