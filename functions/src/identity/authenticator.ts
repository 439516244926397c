import type { Actor } from '@cosell/shared';
import type { ApiRequest } from '../http/api-request';

/** Who is calling. The Entra token validator (sign-in issue) and the local identity both fit this port. */
export interface Authenticator {
  /** Resolves the caller or throws an AppError UNAUTHENTICATED. */
  authenticate(request: ApiRequest): Promise<Actor>;
}
