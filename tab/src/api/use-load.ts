import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './client';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: ApiError }
  | { state: 'ready'; data: T };

/** Any failure as an ApiError, so the page shows one kind of message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    status: 0,
    code: 'UNEXPECTED',
    detail: `Something went wrong in the tab: ${error instanceof Error ? error.message : String(error)}`,
  });
}

/**
 * Loads data for `key` (e.g. a plan id); loads again when the key changes or on `reload()`.
 * A load that is superseded is aborted and its answer ignored.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): [Load<T>, () => void] {
  const [result, setResult] = useState<Load<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and attempt are the triggers; load is read from a ref
  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResult({ state: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ state: 'failed', error: toApiError(error) });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return [result, reload];
}
