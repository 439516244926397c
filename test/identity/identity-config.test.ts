import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import azureFunctions from '@azure/functions';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../functions/src/app-error';
import { authenticatorFor, compose } from '../../functions/src/composition';
import { ConfigError, readConfig } from '../../functions/src/config';
import { EntraAuthenticator } from '../../functions/src/identity/entra-authenticator';
import { LocalIdentity } from '../../functions/src/identity/local-identity';

/*
 * Choosing the identity from the environment: local stays the default, `entra` needs its variables and
 * names the missing or wrong one, and the composition root builds the matching authenticator.
 */

const VENDOR = '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f';
const PARTNER_A = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const PARTNER_B = '1c2d3e4f-5061-4b7c-9d8e-0f1a2b3c4d5e';
const CLIENT = '11111111-2222-3333-4444-555555555555';

const { HttpRequest } = azureFunctions;
const tempDirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-entra-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const ENTRA = {
  COSELL_IDENTITY: 'entra',
  ENTRA_CLIENT_ID: CLIENT,
  ENTRA_APP_ID_URI: `api://cosell.example.com/${CLIENT}`,
  ENTRA_TENANT_ID: VENDOR,
};

function configError(env: Record<string, string>): string {
  try {
    readConfig(env, '/work');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('identity configuration', () => {
  it('the local identity stays the default (npm start sets nothing)', () => {
    expect(readConfig({}, '/work').identity).toEqual({ kind: 'local' });
    expect(authenticatorFor({ kind: 'local' })).toBeInstanceOf(LocalIdentity);
  });

  it('COSELL_IDENTITY=entra: the public cloud by default, partner tenants from a comma list', () => {
    expect(
      readConfig(
        { ...ENTRA, ENTRA_PARTNER_TENANT_IDS: ` ${PARTNER_A}, ${PARTNER_B.toUpperCase()},,` },
        '/work',
      ).identity,
    ).toEqual({
      kind: 'entra',
      clientId: CLIENT,
      appIdUri: `api://cosell.example.com/${CLIENT}`,
      tenantId: VENDOR,
      partnerTenantIds: [PARTNER_A, PARTNER_B],
      authorityHost: 'https://login.microsoftonline.com',
      v1IssuerHost: 'https://sts.windows.net',
    });
  });

  it('a sovereign cloud: ENTRA_AUTHORITY_HOST and ENTRA_V1_ISSUER_HOST', () => {
    const identity = readConfig(
      {
        ...ENTRA,
        ENTRA_AUTHORITY_HOST: 'https://login.chinacloudapi.cn/',
        ENTRA_V1_ISSUER_HOST: 'https://sts.chinacloudapi.cn',
      },
      '/work',
    ).identity;
    expect(identity).toMatchObject({
      authorityHost: 'https://login.chinacloudapi.cn',
      v1IssuerHost: 'https://sts.chinacloudapi.cn',
    });
  });

  it('an on-behalf-of credential when a secret or certificate is given', () => {
    expect(readConfig({ ...ENTRA, ENTRA_CLIENT_SECRET: 's3cret' }, '/work').identity).toMatchObject({
      credential: { kind: 'secret', secret: 's3cret' },
    });
    expect(
      readConfig({ ...ENTRA, ENTRA_CLIENT_CERTIFICATE_PATH: '/keys/app.pem' }, '/work').identity,
    ).toMatchObject({ credential: { kind: 'certificate', pemFile: '/keys/app.pem' } });
    expect(readConfig(ENTRA, '/work').identity).not.toHaveProperty('credential');
  });

  it.each([
    ['an unknown identity', { COSELL_IDENTITY: 'anonymous' }, /COSELL_IDENTITY must be local or entra/],
    ['no client id', { ...ENTRA, ENTRA_CLIENT_ID: '' }, /ENTRA_CLIENT_ID/],
    [
      'a client id that is not a GUID',
      { ...ENTRA, ENTRA_CLIENT_ID: 'cosell' },
      /ENTRA_CLIENT_ID must be a GUID/,
    ],
    ['no App ID URI', { ...ENTRA, ENTRA_APP_ID_URI: '' }, /ENTRA_APP_ID_URI/],
    [
      'an App ID URI of another app',
      { ...ENTRA, ENTRA_APP_ID_URI: 'api://cosell.example.com/22222222-2222-3333-4444-555555555555' },
      /ENTRA_APP_ID_URI must be api:\/\//,
    ],
    [
      'an https App ID URI',
      { ...ENTRA, ENTRA_APP_ID_URI: `https://cosell.example.com/${CLIENT}` },
      /ENTRA_APP_ID_URI/,
    ],
    ['no vendor tenant', { ...ENTRA, ENTRA_TENANT_ID: '' }, /ENTRA_TENANT_ID/],
    [
      'a tenant domain instead of its id',
      { ...ENTRA, ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' },
      /ENTRA_TENANT_ID must be a tenant id/,
    ],
    [
      'a partner tenant that is not a GUID',
      { ...ENTRA, ENTRA_PARTNER_TENANT_IDS: `${PARTNER_A},fabrikam.com` },
      /ENTRA_PARTNER_TENANT_IDS must be a tenant id .*fabrikam\.com/,
    ],
    [
      'an http authority host',
      { ...ENTRA, ENTRA_AUTHORITY_HOST: 'http://login.microsoftonline.com' },
      /ENTRA_AUTHORITY_HOST must be https/,
    ],
    [
      'a v1 issuer host that is not a URL',
      { ...ENTRA, ENTRA_V1_ISSUER_HOST: 'sts' },
      /ENTRA_V1_ISSUER_HOST must be a URL/,
    ],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    expect(configError(env)).toMatch(message);
  });

  it('compose builds the Entra authenticator, which refuses a request without a token', async () => {
    const composition = compose(
      readConfig({
        ...ENTRA,
        COSELL_STAGE: 'production',
        COSELL_DATA_DIR: dataDir(),
        COSELL_SEED_DEMO: 'false',
      }),
    );
    try {
      expect(composition.services.auth).toBeInstanceOf(EntraAuthenticator);
      expect(composition.services.info.identityKind).toBe('entra');
      expect(composition.onBehalfOf).toBeUndefined();
      const attempt = composition.services.auth.authenticate(
        new HttpRequest({ method: 'GET', url: 'https://cosell.example.com/api/me' }),
      );
      await expect(attempt).rejects.toBeInstanceOf(AppError);
    } finally {
      composition.close();
    }
  });

  it('compose builds the on-behalf-of provider when a credential is configured', () => {
    const composition = compose(
      readConfig({ ...ENTRA, ENTRA_CLIENT_SECRET: 's3cret', COSELL_DATA_DIR: dataDir() }),
    );
    try {
      expect(composition.onBehalfOf?.acquireFor).toBeTypeOf('function');
    } finally {
      composition.close();
    }
  });

  it('the local identity is still refused in production', () => {
    expect(() => compose(readConfig({ COSELL_STAGE: 'production' }, '/work'))).toThrow(ConfigError);
  });
});
