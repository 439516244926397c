import type { Actor } from '@cosell/shared';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { AppError } from '../app-error';
import type { ApiRequest } from '../http/api-request';
import type { Authenticator, Caller } from './authenticator';

/*
 * Entra sign-in: every request carries the access token the tab got for this API (Teams SSO, nested app
 * authentication or MSAL redirect), and it is checked here against the signing keys its tenant publishes
 * (reference/teams-platform.md §3.3): RS256 only, the issuer of the token's own tenant in the v2 or v1
 * form, one of our audiences, the `access_as_user` scope, expiry and not-before with a small clock
 * tolerance, and a tenant on the allowed list — the vendor's and the configured partners'. Keys are only
 * ever fetched for an allowed tenant, so a token naming any other tenant costs no network call.
 * The token itself is never logged.
 */

export const REQUIRED_SCOPE = 'access_as_user';
const REALM = 'co-sell-plan';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface EntraAuthenticatorSettings {
  /** The API's application (client) id: the `aud` of v2 tokens. */
  clientId: string;
  /** Every accepted `aud` besides the client id: the App ID URI (`api://<domain>/<client-id>`). */
  audiences: readonly string[];
  /** Tenant ids whose users may call: the vendor tenant and the configured partner tenants. */
  allowedTenants: readonly string[];
  /** The Entra sign-in origin: https://login.microsoftonline.com, or a sovereign cloud's. */
  authorityHost: string;
  /** The origin of v1 issuers (`<host>/<tid>/`): https://sts.windows.net in the public cloud. */
  v1IssuerHost?: string;
  /** Accepted clock difference for `exp` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
  /** The signing keys of one tenant; by default its published JWKS, fetched and cached by jose. */
  keySetFor?: (tenantId: string) => JWTVerifyGetKey;
  /** The time tokens are checked at; the system clock by default. */
  now?: () => Date;
}

/** What a verified token says about its caller, beyond the Actor recorded in a plan's history. */
export interface EntraIdentity {
  actor: Actor;
  /** The tenant the user signed in to: their home tenant, also for external users of a shared channel. */
  tenantId: string;
  /** The user's object id in that tenant (with `tenantId`, the stable identity of the person). */
  objectId: string;
  /** The verified token, for an on-behalf-of exchange (never to be logged or returned). */
  token: string;
}

function trimOrigin(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A failure the caller sees: 401 with the RFC 6750 challenge. `description` must be plain text without quotes. */
function invalidToken(description: string, logMessage?: string, cause?: unknown): AppError {
  return new AppError('UNAUTHENTICATED', `Your sign-in token was not accepted: ${description}.`, {
    headers: {
      'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
    },
    logMessage: `entra token refused: ${logMessage ?? description}`,
    ...(cause === undefined ? {} : { cause }),
  });
}

function explain(error: unknown): { description: string; log?: string } {
  if (error instanceof errors.JWTExpired) return { description: 'the token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return { description: 'the token is not valid yet' };
      case 'aud':
        return { description: 'the token is for another audience' };
      case 'iss':
        return { description: 'the token has an unexpected issuer' };
      default:
        return { description: `the token claim ${error.claim} is not valid`, log: error.reason };
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { description: 'the token algorithm is not allowed' };
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return { description: 'the token signature is not valid' };
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return { description: 'the token signing key is unknown' };
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return { description: 'the signing keys could not be fetched', log: String(error.message) };
  }
  if (error instanceof errors.JOSEError) {
    return { description: 'the token is malformed', log: `${error.code}: ${error.message}` };
  }
  // e.g. a network error while fetching the key set
  return {
    description: 'the token could not be checked',
    log: error instanceof Error ? error.message : String(error),
  };
}

function bearerToken(request: ApiRequest): string | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!match?.[1]) throw invalidToken('the Authorization header is not a Bearer token');
  return match[1];
}

function claimString(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export class EntraAuthenticator implements Authenticator {
  private readonly settings: EntraAuthenticatorSettings;
  private readonly allowed: ReadonlySet<string>;
  private readonly audiences: string[];
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(settings: EntraAuthenticatorSettings) {
    if (settings.audiences.length === 0) throw new Error('EntraAuthenticator needs at least one audience');
    if (settings.allowedTenants.length === 0) throw new Error('EntraAuthenticator needs at least one tenant');
    this.settings = settings;
    this.allowed = new Set(settings.allowedTenants.map((t) => t.toLowerCase()));
    this.audiences = [...new Set([settings.clientId, ...settings.audiences])];
  }

  async authenticate(request: ApiRequest): Promise<Actor> {
    return (await this.verify(request)).actor;
  }

  /** The viewer is the lower-cased UPN/email (the actor id) and the verified tenant; no channels (unverifiable yet). */
  async caller(request: ApiRequest): Promise<Caller> {
    const { actor, tenantId } = await this.verify(request);
    return { actor, viewer: { id: actor.id, tenantId } };
  }

  /** Verifies the request's bearer token; throws AppError UNAUTHENTICATED (401) on any failure. */
  async verify(request: ApiRequest): Promise<EntraIdentity> {
    const token = bearerToken(request);
    if (!token) {
      throw new AppError('UNAUTHENTICATED', 'Sign in to use Co-Sell Plan.', {
        headers: { 'www-authenticate': `Bearer realm="${REALM}"` },
        logMessage: 'no bearer token',
      });
    }

    // Read the tenant before verifying, only to choose (and limit) whose keys are fetched.
    let unverifiedTenant: string | undefined;
    try {
      decodeProtectedHeader(token);
      unverifiedTenant = claimString(decodeJwt(token), 'tid')?.toLowerCase();
    } catch (error) {
      throw invalidToken('the token is malformed', undefined, error);
    }
    if (!unverifiedTenant || !GUID.test(unverifiedTenant)) {
      throw invalidToken('the token has no tenant id');
    }
    if (!this.allowed.has(unverifiedTenant)) {
      throw invalidToken('the token tenant is not allowed', `tenant ${unverifiedTenant} is not allowed`);
    }
    const tenant = unverifiedTenant;

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet(tenant), {
        algorithms: ['RS256'],
        issuer: this.issuersOf(tenant),
        audience: this.audiences,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'iss', 'aud', 'tid'],
        ...(this.settings.now ? { currentDate: this.settings.now() } : {}),
      }));
    } catch (error) {
      const { description, log } = explain(error);
      throw invalidToken(description, log, error);
    }

    // The signed tid must be the one whose keys and issuer were used (it is: same payload, but say so).
    if (claimString(payload, 'tid')?.toLowerCase() !== tenant)
      throw invalidToken('the token tenant is not allowed');
    const scopes = (claimString(payload, 'scp') ?? '').split(' ');
    if (!scopes.includes(REQUIRED_SCOPE)) {
      throw invalidToken(`the token lacks the ${REQUIRED_SCOPE} scope`);
    }
    const objectId = claimString(payload, 'oid');
    if (!objectId) throw invalidToken('the token has no object id');
    const name =
      claimString(payload, 'preferred_username') ??
      claimString(payload, 'upn') ??
      claimString(payload, 'email');
    const id = (name ?? objectId).toLowerCase();
    const displayName = claimString(payload, 'name') ?? name ?? objectId;
    return { actor: { id, displayName }, tenantId: tenant, objectId, token };
  }

  /** The exact issuers a token of this tenant may carry: v2 (`<authority>/<tid>/v2.0`) and v1 (`<sts>/<tid>/`). */
  private issuersOf(tenant: string): string[] {
    const v1Host = trimOrigin(this.settings.v1IssuerHost ?? 'https://sts.windows.net');
    return [`${trimOrigin(this.settings.authorityHost)}/${tenant}/v2.0`, `${v1Host}/${tenant}/`];
  }

  private keySet(tenant: string): JWTVerifyGetKey {
    let keys = this.keySets.get(tenant);
    if (!keys) {
      keys = this.settings.keySetFor
        ? this.settings.keySetFor(tenant)
        : createRemoteJWKSet(
            new URL(`${trimOrigin(this.settings.authorityHost)}/${tenant}/discovery/v2.0/keys`),
          );
      this.keySets.set(tenant, keys);
    }
    return keys;
  }
}
