import type { HttpResponseInit } from '@azure/functions';
import {
  InvalidCursorError,
  OperationRejectedError,
  PlanExistsError,
  PlanNotFoundError,
  VersionConflictError,
} from '@cosell/shared';
import { AppError, ERROR_TITLES, formatPath } from '../app-error';
import { GraphRequestError } from '../graph/graph-error';
import { etagOf } from './etag';

/*
 * The one place where errors become HTTP responses: `application/problem+json` (RFC 9457) with the code,
 * a sentence for the person, and the field paths of validation errors. Anything unexpected is a 500 whose
 * detail says nothing internal; the real error goes to the log.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Turns what a port or the domain throws into an AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof VersionConflictError) {
    return new AppError(
      'VERSION_MISMATCH',
      `Someone saved this plan first: it is now at version ${error.current.version}. Your changes were not saved; the current plan is included so you can compare and save again.`,
      { extensions: { current: error.current }, headers: { etag: etagOf(error.current.version) } },
    );
  }
  if (error instanceof PlanNotFoundError) return new AppError('NOT_FOUND', 'There is no such plan.');
  if (error instanceof PlanExistsError) {
    return new AppError('PLAN_EXISTS', `A plan with id "${error.planId}" exists already.`, {
      headers: { location: `/api/plans/${encodeURIComponent(error.planId)}` },
    });
  }
  if (error instanceof OperationRejectedError) {
    const where = formatPath(error.path);
    return new AppError('VALIDATION_FAILED', error.message, {
      errors: [{ ...where, message: error.message }],
    });
  }
  if (error instanceof InvalidCursorError) {
    return new AppError(
      'INVALID_QUERY',
      'The cursor is not one this API gave out; start again from the first page.',
      {
        errors: [{ path: 'cursor', pointer: '/cursor', message: 'not a cursor from a previous page' }],
      },
    );
  }
  if (error instanceof GraphRequestError) {
    // The store (SharePoint through Graph) failed. Throttled or unreachable: the caller may try again later.
    const logMessage = `${error.message}${error.attempts ? ` after ${error.attempts} attempts` : ''}`;
    if (error.isTransient) {
      return new AppError(
        'STORE_UNAVAILABLE',
        'The plan store (SharePoint) is busy or not answering right now. Nothing was lost: try again in a moment.',
        {
          headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds ?? 5))) },
          cause: error,
          logMessage,
        },
      );
    }
    return new AppError(
      'INTERNAL',
      `The plan store (SharePoint) refused the request. If it keeps failing, tell your admin (Graph request-id ${error.requestId ?? 'unknown'}).`,
      { cause: error, logMessage },
    );
  }
  return new AppError(
    'INTERNAL',
    'The request could not be completed. Try again; if it keeps failing, tell your admin.',
    {
      cause: error,
      logMessage: error instanceof Error ? (error.stack ?? error.message) : String(error),
    },
  );
}

export function problemResponse(error: AppError, instance?: string): HttpResponseInit {
  const body: Record<string, unknown> = {
    type: `https://cosellplan.app/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_TITLES[error.code],
    status: error.status,
    detail: error.detail,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    ...error.extensions,
  };
  return {
    status: error.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...error.headers },
    body: JSON.stringify(body),
  };
}
