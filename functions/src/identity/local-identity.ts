import type { Actor } from '@cosell/shared';
import { AppError } from '../app-error';
import type { ApiRequest } from '../http/api-request';
import type { Authenticator, Caller } from './authenticator';

/*
 * LOCAL DEVELOPMENT IDENTITY — for `npm start` and tests on one machine, never for a deployment.
 * Every caller is trusted as the person named in `x-cosell-local-user` (default: Maya Okafor, the demo
 * plan's vendor account executive).
 * It answers only requests made on this machine to a loopback address (not through a tunnel or proxy),
 * and the composition root refuses to build it when the environment says production or on Azure.
 */

export const LOCAL_USER_HEADER = 'x-cosell-local-user';
/**
 * Without the header, the local user is the vendor's account executive of the demo plan (Maya Okafor), so
 * "My co-sell" and the quick-update view have work to show on a fresh `npm start`.
 */
export const DEFAULT_LOCAL_USER: Actor = { id: 'maya.okafor@vendor.example', displayName: 'Maya Okafor' };

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)$/i;

export function isLoopback(address: string): boolean {
  return LOOPBACK.test(address.replace(/^\[|\]$/g, ''));
}

/** The address the request came from: the first X-Forwarded-For hop (set by the local host or Azure's front end), else the URL's host. */
function callerAddress(request: ApiRequest): string {
  const forwarded = request.headers.get('x-forwarded-for');
  if (forwarded) return stripPort(forwarded.split(',')[0]?.trim() ?? '');
  return new URL(request.url).hostname;
}

/** `127.0.0.1:5000` → `127.0.0.1`, `[::1]:5000` → `::1`; a bare IPv6 address is left whole. */
function stripPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  return /^[\d.]+:\d+$/.test(address) ? address.replace(/:\d+$/, '') : address;
}

function displayNameOf(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

export class LocalIdentity implements Authenticator {
  /** LOCAL DEVELOPMENT ONLY: every local caller is the vendor side with access to every plan. */
  async caller(request: ApiRequest): Promise<Caller> {
    return { actor: await this.authenticate(request), viewer: 'local-vendor' };
  }

  async authenticate(request: ApiRequest): Promise<Actor> {
    const address = callerAddress(request);
    // A tunnel or reverse proxy on this machine connects from loopback too: it is recognised by the
    // public host name it forwards (the Host header, X-Forwarded-Host, Forwarded), and refused.
    const hostName = new URL(request.url).hostname;
    const proxied = request.headers.has('x-forwarded-host') || request.headers.has('forwarded');
    if (!isLoopback(address) || !isLoopback(hostName) || proxied) {
      throw new AppError(
        'UNAUTHENTICATED',
        'This server runs with the local development identity, which answers only requests from this machine.',
        {
          headers: { 'www-authenticate': 'Bearer realm="co-sell-plan"' },
          logMessage: `local identity refused ${address}`,
        },
      );
    }
    const named = request.headers.get(LOCAL_USER_HEADER)?.trim().toLowerCase();
    if (!named) return DEFAULT_LOCAL_USER;
    if (!/^[^\s@]{1,64}@[^\s@]{1,100}$/.test(named)) {
      throw new AppError('UNAUTHENTICATED', `${LOCAL_USER_HEADER} must be an email address.`);
    }
    return { id: named, displayName: displayNameOf(named) };
  }
}
