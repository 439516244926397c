import { explainIssue } from '@cosell/shared';
import type { z } from 'zod';
import { AppError, type FieldError, formatPath } from '../app-error';
import type { ApiRequest } from './api-request';

/** The largest body the API reads. A full plan at every limit is about 30 KB of JSON. */
export const MAX_BODY_BYTES = 256 * 1024;

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    // An unknown field is reported at the field itself, so the path names it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          ...formatPath([...issue.path, key]),
          message: 'unknown field: check the spelling',
        }))
      : [{ ...formatPath(issue.path), message: issue.message }],
  );
}

export function validationError(error: z.ZodError, what: string): AppError {
  const errors = fieldErrors(error);
  const first = errors[0];
  const detail =
    errors.length === 1 && first
      ? `${what}: ${first.path} — ${first.message}.`
      : `${what}: ${errors.length} problems, the first at ${first?.path ?? '(body)'} — ${first?.message ?? ''}.`;
  return new AppError('VALIDATION_FAILED', detail, { errors });
}

/**
 * Reads a JSON body and checks it against `schema`. Wrong content type → 415, too large → 413,
 * not JSON → 400, not the schema → 422 with every field path.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: ApiRequest,
  schema: S,
  what: string,
): Promise<z.infer<S>> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(mediaType)) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the body as application/json (got ${contentType ? JSON.stringify(contentType.slice(0, 60)) : 'no Content-Type'}).`,
      { headers: { 'accept-post': 'application/json' } },
    );
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge(declared);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge(bytes.byteLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError('MALFORMED_JSON', 'The body is not UTF-8 text.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    throw new AppError('MALFORMED_JSON', `The body is not valid JSON: ${reason}.`);
  }
  const parsed = schema.safeParse(json, { error: explainIssue });
  if (!parsed.success) throw validationError(parsed.error, what);
  return parsed.data;
}

function tooLarge(bytes: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The body is ${bytes} bytes; the API reads at most ${MAX_BODY_BYTES} bytes. A plan fits one page, far below this.`,
  );
}
