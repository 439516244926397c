import type { HttpRequest } from '@azure/functions';
import type { Actor } from '@cosell/shared';

/** Who is calling. The Entra token validator (sign-in issue) and the local identity both fit this port. */
export interface Authenticator {
  /** Resolves the caller or throws an AppError UNAUTHENTICATED. */
  authenticate(request: HttpRequest): Promise<Actor>;
}
