/*
 * One error type for the whole API. Each code has one HTTP status (mapped in http/problem.ts, the only
 * place errors become responses). `detail` is written for the person using the app; `logMessage` for
 * whoever reads the logs and may say more.
 */

export const ERROR_STATUS = {
  MALFORMED_JSON: 400,
  INVALID_QUERY: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PLAN_EXISTS: 409,
  VERSION_MISMATCH: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  IMPORT_REJECTED: 422,
  PRECONDITION_REQUIRED: 428,
  INTERNAL: 500,
  CONTENTION: 503,
  STORE_UNAVAILABLE: 503,
  CALENDAR_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  MALFORMED_JSON: 'The request body is not valid JSON',
  INVALID_QUERY: 'A query parameter is not valid',
  UNAUTHENTICATED: 'Sign-in required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  PLAN_EXISTS: 'A plan with this id exists',
  VERSION_MISMATCH: 'The plan changed since you loaded it',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be JSON',
  VALIDATION_FAILED: 'The plan does not pass its rules',
  IMPORT_REJECTED: 'The file cannot be imported',
  PRECONDITION_REQUIRED: 'Say which version you are changing',
  INTERNAL: 'Something went wrong on our side',
  CONTENTION: 'The plan is busy; try again',
  STORE_UNAVAILABLE: 'The plan store is not answering; try again',
  CALENDAR_UNAVAILABLE: 'The calendar is not answering; try again',
};

export interface FieldError {
  /** Where, as `milestones[2].due`. */
  path: string;
  /** The same place as a JSON pointer, `/milestones/2/due`. */
  pointer: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly headers: Record<string, string>;
  /** Extra members of the problem document, e.g. `current` for a version mismatch. */
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
      logMessage?: string;
      cause?: unknown;
    } = {},
  ) {
    super(options.logMessage ?? detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function formatPath(path: readonly PropertyKey[]): { path: string; pointer: string } {
  let dotted = '';
  for (const part of path) {
    if (typeof part === 'number') dotted += `[${part}]`;
    else dotted += dotted === '' ? String(part) : `.${String(part)}`;
  }
  const pointer = path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  return { path: dotted === '' ? '(body)' : dotted, pointer };
}
