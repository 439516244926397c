import { AppError } from '../app-error';

/** A plan's version as a strong entity tag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version named by an If-Match / If-None-Match header, or undefined when the header is absent. */
export function parseVersionHeader(
  value: string | null,
  header: 'If-Match' | 'If-None-Match',
): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(value);
  if (!match?.[1]) {
    throw new AppError(
      header === 'If-Match' ? 'PRECONDITION_REQUIRED' : 'INVALID_QUERY',
      `${header} must be the ETag of the plan version you loaded, like "3" (got ${JSON.stringify(value.slice(0, 40))}).`,
      { errors: [{ path: header, pointer: `/headers/${header}`, message: 'not an ETag this API gave out' }] },
    );
  }
  return Number(match[1]);
}

export function requireIfMatch(value: string | null): number {
  const version = parseVersionHeader(value, 'If-Match');
  if (version === undefined) {
    throw new AppError(
      'PRECONDITION_REQUIRED',
      'Send If-Match with the ETag of the plan version you loaded, so nobody else’s saved changes are overwritten.',
      { errors: [{ path: 'If-Match', pointer: '/headers/If-Match', message: 'required' }] },
    );
  }
  return version;
}
