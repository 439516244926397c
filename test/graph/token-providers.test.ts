import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createClientCredentialTokenProvider,
  TokenAcquisitionError,
} from '../../functions/src/graph/token-providers';
import { fakeEntraNetwork } from '../support/fake-entra-network';

/*
 * App-only tokens through MSAL's client-credentials grant, with MSAL's HTTP client replaced by one that
 * answers the discovery and token requests itself and records what was asked: which authority (public or
 * sovereign cloud), which scope, which credential.
 */

function fakeEntra(authorityHost: string, _tenant: string, answer: 'token' | 'invalid_client' = 'token') {
  return fakeEntraNetwork(authorityHost, () =>
    answer === 'invalid_client'
      ? {
          status: 401,
          error: 'invalid_client',
          description: 'AADSTS7000215: Invalid client secret provided.',
        }
      : {
          status: 200,
          body: {
            token_type: 'Bearer',
            expires_in: 3599,
            ext_expires_in: 3599,
            access_token: 'app-only-token',
          },
        },
  );
}

const TENANT = '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f';
const CLIENT = '11111111-2222-3333-4444-555555555555';

describe('client-credential tokens through MSAL', () => {
  it('asks the tenant authority for <graph>/.default with the secret, and answers later calls from the cache', async () => {
    const entra = fakeEntra('https://login.microsoftonline.com', TENANT);
    const provider = createClientCredentialTokenProvider({
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { kind: 'secret', secret: 's3cret' },
      graphBaseUrl: 'https://graph.microsoft.com',
      networkClient: entra.network,
    });
    expect(await provider.getAccessToken()).toBe('app-only-token');
    expect(await provider.getAccessToken()).toBe('app-only-token');
    const posts = entra.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(posts[0]?.body.get('grant_type')).toBe('client_credentials');
    expect(posts[0]?.body.get('client_id')).toBe(CLIENT);
    expect(posts[0]?.body.get('client_secret')).toBe('s3cret');
    expect(posts[0]?.body.get('scope')?.split(' ')).toContain('https://graph.microsoft.com/.default');
  });

  it('a sovereign cloud: its authority host and its Graph scope', async () => {
    const entra = fakeEntra('https://login.microsoftonline.us', TENANT);
    const provider = createClientCredentialTokenProvider({
      authorityHost: 'https://login.microsoftonline.us',
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { kind: 'secret', secret: 's3cret' },
      graphBaseUrl: 'https://graph.microsoft.us',
      networkClient: entra.network,
    });
    await provider.getAccessToken();
    const post = entra.requests.find((r) => r.method === 'POST');
    expect(post?.url).toBe(`https://login.microsoftonline.us/${TENANT}/oauth2/v2.0/token`);
    expect(post?.body.get('scope')?.split(' ')).toContain('https://graph.microsoft.us/.default');
    expect(entra.requests.every((r) => r.url.startsWith('https://login.microsoftonline.us/'))).toBe(true);
  });

  it('with a certificate: a signed client assertion instead of a secret', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-cert-'));
    const pem = path.join(dir, 'app.pem');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          pem,
          '-out',
          `${pem}.crt`,
          '-days',
          '1',
          '-subj',
          '/CN=cosell-test',
        ],
        { stdio: 'ignore' },
      );
      fs.appendFileSync(pem, fs.readFileSync(`${pem}.crt`));
      const entra = fakeEntra('https://login.microsoftonline.com', TENANT);
      const provider = createClientCredentialTokenProvider({
        authorityHost: 'https://login.microsoftonline.com',
        tenantId: TENANT,
        clientId: CLIENT,
        credential: { kind: 'certificate', pemFile: pem },
        graphBaseUrl: 'https://graph.microsoft.com',
        networkClient: entra.network,
      });
      expect(await provider.getAccessToken()).toBe('app-only-token');
      const post = entra.requests.find((r) => r.method === 'POST');
      expect(post?.body.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      expect(post?.body.get('client_assertion')?.split('.')).toHaveLength(3);
      expect(post?.body.get('client_secret')).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refused credential is a TokenAcquisitionError naming the authority', async () => {
    const entra = fakeEntra('https://login.microsoftonline.com', TENANT, 'invalid_client');
    const provider = createClientCredentialTokenProvider({
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { kind: 'secret', secret: 'wrong' },
      graphBaseUrl: 'https://graph.microsoft.com',
      networkClient: entra.network,
    });
    const error = await provider.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenAcquisitionError);
    expect((error as Error).message).toContain(`https://login.microsoftonline.com/${TENANT}`);
  });
});
