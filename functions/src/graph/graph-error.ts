/*
 * The one error type of every Graph call, whatever went wrong: an HTTP error answer, a failed `$batch`
 * step, a connection lost before the answer, a timeout. It carries Graph's `request-id`, which is what
 * Microsoft support asks for.
 */

/** `code` when no HTTP answer came back. */
export const NETWORK_ERROR = 'networkError';
export const TIMEOUT = 'timeout';
/** `code` when no token could be had (configuration, consent, credentials): nothing was sent. */
export const AUTHENTICATION_FAILED = 'authenticationFailed';

export interface GraphRequestErrorInit {
  /** The HTTP status; 0 when no answer came back (connection lost, timeout). */
  status: number;
  /** Graph's `error.code` (`itemNotFound`, `resourceModified`, `TooManyRequests`…), or one of the codes above. */
  code: string;
  message: string;
  method: string;
  /** The path under the version root, or the `$batch` step's url. */
  path: string;
  requestId?: string | undefined;
  clientRequestId?: string | undefined;
  /** What the last answer said to wait, when it said (429, 503). */
  retryAfterSeconds?: number | undefined;
  /** How many times the request was sent. */
  attempts?: number | undefined;
  cause?: unknown;
}

export class GraphRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly attempts: number | undefined;

  constructor(init: GraphRequestErrorInit) {
    const id = init.requestId ? ` (request-id ${init.requestId})` : '';
    super(
      `Graph ${init.method} ${init.path} failed: ${init.status || init.code} ${init.code}: ${init.message}${id}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'GraphRequestError';
    this.status = init.status;
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts;
  }

  /** Throttled, unavailable, or no answer: the same request may succeed later. */
  get isTransient(): boolean {
    if (this.status === 0) return this.code === NETWORK_ERROR || this.code === TIMEOUT;
    return this.status === 429 || this.status === 503 || this.status === 504;
  }
}
