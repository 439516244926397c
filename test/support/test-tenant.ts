import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoPlan, type PlanContent } from '@cosell/shared';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { Authenticator } from '../../functions/src/identity/authenticator';
import {
  EntraAuthenticator,
  type EntraAuthenticatorSettings,
} from '../../functions/src/identity/entra-authenticator';
import { call, type JsonResponse, startTestApi, type TestApi } from './api-host';

/*
 * An Entra test tenant on loopback: a local RSA key pair whose public key a small http server publishes
 * at the path the authenticator builds from its authority host, and v2 access tokens signed with it.
 * The two-partner demo plan: Contoso Consulting (partner A, tenant A) and A. Datum Cloud Services
 * (partner B, tenant B); the vendor's people sign in from the vendor tenant.
 */

export const VENDOR_TENANT = '11111111-1111-4111-8111-111111111111';
export const CONTOSO_TENANT = '22222222-2222-4222-8222-222222222222';
export const ADATUM_TENANT = '33333333-3333-4333-8333-333333333333';
export const OTHER_TENANT = '44444444-4444-4444-8444-444444444444';
export const CLIENT_ID = '55555555-5555-4555-8555-555555555555';
export const APP_ID_URI = `api://cosell.example.com/${CLIENT_ID}`;

/** Who a token is for; `oid` defaults to `oid-<upn>`. */
export interface TenantUser {
  upn: string;
  tenant: string;
  oid?: string;
}

/** People of the demo plan, each signing in from their side's tenant; the stranger is on no plan. */
export const VENDOR_USER: TenantUser = { upn: 'maya.okafor@vendor.example', tenant: VENDOR_TENANT };
export const PARTNER_A_USER: TenantUser = { upn: 'sofia.marino@contoso.example', tenant: CONTOSO_TENANT };
export const PARTNER_B_USER: TenantUser = { upn: 'kenji.watanabe@adatum.example', tenant: ADATUM_TENANT };
export const STRANGER: TenantUser = { upn: 'someone@elsewhere.example', tenant: OTHER_TENANT };

export interface TestTenant {
  /** `http://127.0.0.1:<port>`, the authority host whose `/<tenant>/discovery/v2.0/keys` is the key set. */
  authorityHost: string;
  /** A v2 access token for `user`; `overrides` replaces or adds claims (e.g. a wrong `aud`, an old `exp`). */
  tokenFor(user: TenantUser, overrides?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

/** Starts the key server of a test tenant on a free loopback port. */
export async function startTestTenant(options: { kid?: string } = {}): Promise<TestTenant> {
  const kid = options.kid ?? 'key-1';
  const keys = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const keyServer = http.createServer((req, res) => {
    if (!/^\/[0-9a-f-]{36}\/discovery\/v2\.0\/keys$/.test(req.url ?? '')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  const authorityHost = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
  return {
    authorityHost,
    tokenFor: async (user, overrides = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: `${authorityHost}/${user.tenant}/v2.0`,
        aud: CLIENT_ID,
        tid: user.tenant,
        oid: user.oid ?? `oid-${user.upn}`,
        name: user.upn,
        preferred_username: user.upn,
        scp: 'access_as_user',
        ver: '2.0',
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3600,
        ...overrides,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .sign(keys.privateKey);
    },
    close: () => new Promise<void>((resolve) => keyServer.close(() => resolve())),
  };
}

/** The configuration of Entra sign-in: the vendor tenant first, the others as partner tenants. */
export function entraEnv(tenants: string[]): Record<string, string> {
  return {
    COSELL_IDENTITY: 'entra',
    ENTRA_CLIENT_ID: CLIENT_ID,
    ENTRA_APP_ID_URI: APP_ID_URI,
    ENTRA_TENANT_ID: tenants[0] ?? VENDOR_TENANT,
    ENTRA_PARTNER_TENANT_IDS: tenants.slice(1).join(','),
  };
}

/** The authenticator's options for the tenant's key set (the configuration accepts only https). */
export function entraOptions(
  tenant: TestTenant,
  tenants: string[],
  audiences: string[] = [CLIENT_ID, APP_ID_URI],
): EntraAuthenticatorSettings {
  return {
    clientId: CLIENT_ID,
    audiences,
    allowedTenants: tenants,
    authorityHost: tenant.authorityHost,
    clockToleranceSeconds: 120,
  };
}

/**
 * The API with COSELL_IDENTITY=entra, vendor tenant `tenants[0]`, whose authenticator (an
 * EntraAuthenticator unless `authenticator` makes another) reads the test tenant's loopback key set.
 */
export function startEntraTestApi(
  tenant: TestTenant,
  options: {
    tenants?: string[];
    now?: string;
    audiences?: string[];
    authenticator?: (options: EntraAuthenticatorSettings) => Authenticator;
  } = {},
): Promise<TestApi> {
  const tenants = options.tenants ?? [VENDOR_TENANT, CONTOSO_TENANT, ADATUM_TENANT, OTHER_TENANT];
  const authOptions = entraOptions(tenant, tenants, options.audiences);
  return startTestApi({
    ...(options.now ? { now: options.now } : {}),
    env: entraEnv(tenants),
    authenticator: options.authenticator
      ? options.authenticator(authOptions)
      : new EntraAuthenticator(authOptions),
  });
}

/** The demo plan with Contoso (partner A) and A. Datum (partner B) each in its own tenant. */
export function twoPartnerDemoPlan(today = '2026-11-27'): PlanContent {
  const p = demoPlan(today);
  for (const partner of p.partners) {
    if (partner.id === 'p-contoso') partner.tenantId = CONTOSO_TENANT;
    if (partner.id === 'p-adatum') partner.tenantId = ADATUM_TENANT;
  }
  return p;
}

/** A request as a user: who, the method, the path, and the JSON body and headers if any. */
export type UserRequest = [
  user: TenantUser,
  method: string,
  pathname: string,
  options?: { json?: unknown; headers?: Record<string, string> },
];

/** A call to the API with `user`'s bearer token; `text` is the body as text (JSON bodies re-serialised). */
export async function callAs(
  api: { url: string },
  tenant: TestTenant,
  ...[user, method, pathname, options = {}]: UserRequest
): Promise<JsonResponse & { text: string }> {
  const authorization = `Bearer ${await tenant.tokenFor(user)}`;
  const response = await call(api.url, method, pathname, {
    ...options,
    headers: { authorization, ...options.headers },
  });
  return {
    ...response,
    text: typeof response.body === 'string' ? response.body : JSON.stringify(response.body),
  };
}
