import type { Actor, Viewer } from '@cosell/shared';
import type { ApiRequest } from '../http/api-request';

/**
 * Who a caller is for access (use-cases/plan-access.ts): an Entra user is a `Viewer` (lower-cased
 * UPN/email and the verified tenant id, never a client-sent channel list); `'local-vendor'` is the local
 * development identity — the vendor side with access to every plan, for one machine only.
 */
export type AccessViewer = Viewer | 'local-vendor';

export interface Caller {
  /** Recorded in history. */
  actor: Actor;
  viewer: AccessViewer;
}

/** Who is calling. The Entra token validator (sign-in issue) and the local identity both fit this port. */
export interface Authenticator {
  /** Resolves the caller or throws an AppError UNAUTHENTICATED. */
  authenticate(request: ApiRequest): Promise<Actor>;
  /** The same check, with what access needs to know about the caller. */
  caller(request: ApiRequest): Promise<Caller>;
}
