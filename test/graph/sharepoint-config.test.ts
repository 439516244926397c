import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../functions/src/config';
import { GraphRequestError } from '../../functions/src/graph/graph-error';
import { toAppError } from '../../functions/src/http/problem';

/*
 * Store selection and Graph settings as the environment gives them, and how a Graph failure reaches the
 * API caller.
 */

const CREDENTIALS = {
  COSELL_STORE: 'sharepoint',
  SHAREPOINT_SITE: 'https://contoso.sharepoint.com/sites/cosell',
  GRAPH_TENANT_ID: '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f',
  GRAPH_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  GRAPH_CLIENT_SECRET: 'not-a-real-secret',
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

describe('store selection', () => {
  it('the embedded SQLite store stays the default (npm start sets nothing)', () => {
    expect(readConfig({}, '/work').store).toEqual({
      kind: 'sqlite',
      file: '/work/.data/co-sell-plans.sqlite',
    });
  });

  it('COSELL_STORE=sharepoint with app-only credentials: the public cloud by default', () => {
    expect(readConfig(CREDENTIALS, '/work').store).toEqual({
      kind: 'sharepoint',
      site: 'https://contoso.sharepoint.com/sites/cosell',
      listPrefix: 'Co-Sell',
      graph: {
        baseUrl: 'https://graph.microsoft.com',
        authorityHost: 'https://login.microsoftonline.com',
        credentials: {
          kind: 'client-secret',
          tenantId: CREDENTIALS.GRAPH_TENANT_ID,
          clientId: CREDENTIALS.GRAPH_CLIENT_ID,
          secret: 'not-a-real-secret',
        },
      },
    });
  });

  it('a sovereign cloud and a certificate', () => {
    const { GRAPH_CLIENT_SECRET: _secret, ...rest } = CREDENTIALS;
    const store = readConfig(
      {
        ...rest,
        GRAPH_BASE_URL: 'https://graph.microsoft.us/',
        GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.us',
        GRAPH_CLIENT_CERTIFICATE_PATH: '/secrets/app.pem',
      },
      '/work',
    ).store;
    expect(store).toMatchObject({
      graph: {
        baseUrl: 'https://graph.microsoft.us',
        authorityHost: 'https://login.microsoftonline.us',
        credentials: { kind: 'client-certificate', certificateFile: '/secrets/app.pem' },
      },
    });
  });

  it('the emulator: a loopback URL, no credentials needed, refused in production', () => {
    const env = {
      COSELL_STORE: 'sharepoint',
      SHAREPOINT_SITE: 'contoso.sharepoint.com,a,b',
      GRAPH_EMULATOR_URL: 'http://127.0.0.1:4567',
    };
    expect(readConfig(env, '/work').store).toMatchObject({
      graph: {
        baseUrl: 'https://graph.microsoft.com',
        emulatorUrl: 'http://127.0.0.1:4567',
        credentials: { kind: 'emulator' },
      },
    });
    expect(configError({ ...env, GRAPH_EMULATOR_URL: 'http://graph.example:80' })).toMatch(/loopback/);
    expect(configError({ ...env, COSELL_STAGE: 'production' })).toMatch(/refused in production/);
  });

  it('says what is missing or wrong', () => {
    expect(configError({ COSELL_STORE: 'cosmos' })).toMatch(/sqlite or sharepoint/);
    expect(configError({ COSELL_STORE: 'sharepoint' })).toMatch(/SHAREPOINT_SITE/);
    expect(configError({ ...CREDENTIALS, GRAPH_CLIENT_SECRET: '' })).toMatch(
      /GRAPH_CLIENT_SECRET or GRAPH_CLIENT_CERTIFICATE_PATH/,
    );
    expect(configError({ ...CREDENTIALS, GRAPH_BASE_URL: 'http://graph.microsoft.com' })).toMatch(
      /must be https/,
    );
    expect(configError({ ...CREDENTIALS, SHAREPOINT_SITE: 'http://contoso.sharepoint.com/sites/x' })).toMatch(
      /https URL/,
    );
  });
});

describe('Graph failures as API errors', () => {
  const failure = (status: number, code: string, retryAfterSeconds?: number) =>
    new GraphRequestError({
      status,
      code,
      message: 'm',
      method: 'GET',
      path: '/sites/x',
      requestId: 'req-1',
      retryAfterSeconds,
    });

  it('throttled, unavailable or unreachable: 503 with Retry-After, the caller may try again', () => {
    for (const error of [
      failure(429, 'TooManyRequests', 12),
      failure(503, 'serviceNotAvailable'),
      failure(0, 'networkError'),
    ]) {
      const app = toAppError(error);
      expect(app.status).toBe(503);
      expect(Number(app.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(toAppError(failure(429, 'TooManyRequests', 12)).headers['retry-after']).toBe('12');
  });

  it('refused for another reason: 500, the Graph request-id in the sentence for the admin', () => {
    const app = toAppError(failure(403, 'accessDenied'));
    expect(app.status).toBe(500);
    expect(app.detail).toContain('req-1');
  });
});
