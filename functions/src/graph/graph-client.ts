import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  type Context,
  GraphError,
  type Middleware,
  type MiddlewareOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { AUTHENTICATION_FAILED, GraphRequestError, NETWORK_ERROR, TIMEOUT } from './graph-error';
import type { AccessTokenProvider } from './token-providers';

/*
 * The one Graph client every Graph adapter uses. It alone retries (429 always; 503, 504 and lost answers
 * when the request is safe to send again), honours Retry-After (also inside `$batch` answers, where only
 * the throttled steps are sent again), follows `@odata.nextLink`, cuts `$batch` into chunks of 20, caps
 * the requests in flight, and turns every failure into a GraphRequestError.
 *
 * It is built on @microsoft/microsoft-graph-client 3 with a middleware chain of our own:
 *   AuthenticationHandler (SDK) → RetryMiddleware → TelemetryHandler (SDK) → TransportMiddleware.
 * The SDK keeps talking to an https Graph origin: over plain http it drops the Authorization header and
 * mangles absolute nextLinks (reference/graph-contract.md §9). For the loopback emulator the LAST
 * middleware rewrites that origin to the emulator's just before `fetch`.
 */

export const GRAPH_PUBLIC_CLOUD = 'https://graph.microsoft.com';
export const GRAPH_VERSION = 'v1.0';
/** Graph refuses more than 20 requests in one `$batch`. */
export const MAX_BATCH_SIZE = 20;
const MAX_PAGES = 10_000;

export interface RetryPolicy {
  /** Retries after the first attempt: at most `maxRetries + 1` sends. */
  maxRetries: number;
  /** Back-off when the answer says nothing (no Retry-After, or no answer): base × 2^(n-1), jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the error goes back to the caller carrying it. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterSeconds: 60,
};

export interface RetryEvent {
  method: string;
  path: string;
  /** 1 for the first retry. */
  attempt: number;
  /** The status that caused it (`429`, `503`…), or the error code when no answer came (`networkError`). */
  reason: string;
  delayMs: number;
  /** For a `$batch`: the ids of the steps sent again. */
  stepIds?: string[];
}

export interface GraphClientOptions {
  tokenProvider: AccessTokenProvider;
  /** The Graph origin of the cloud (sovereign clouds have their own); default https://graph.microsoft.com. */
  baseUrl?: string;
  /** A loopback emulator that answers instead of Graph (tests, `npm run start:emulated`). */
  emulatorUrl?: string;
  /** Requests in flight at most; the others wait. Default 8. */
  maxConcurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Per send, answer body included. Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

export interface GraphCallOptions {
  headers?: Record<string, string>;
  /**
   * The request may be sent again after a lost answer, a 503 or a 504, because sending it twice does no
   * harm: it is guarded by If-Match or by a unique column. Reads always may; a 429 is always retried.
   */
  idempotent?: boolean;
  /**
   * A token source for this call instead of the client's own, e.g. a delegated (on-behalf-of) token to act
   * as the signed-in user at `/me/...`; the client's retries, paging and limits apply as usual.
   */
  tokenProvider?: AccessTokenProvider;
}

export type BatchMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface BatchStep {
  /** Unique in one `batch` call. */
  id: string;
  method: BatchMethod;
  /** Relative to the version root: `/sites/{id}/lists/{id}/items`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ids of earlier steps of the same call; this step runs only if they succeeded (else 424). */
  dependsOn?: string[];
  idempotent?: boolean;
}

export interface BatchOutcome {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface GraphClient {
  get<T>(path: string, options?: GraphCallOptions): Promise<T>;
  /** Every item of `value`, following `@odata.nextLink` to the last page. */
  getAll<T>(path: string, options?: GraphCallOptions): Promise<T[]>;
  post<T>(path: string, body: unknown, options?: GraphCallOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: GraphCallOptions): Promise<T>;
  delete(path: string, options?: GraphCallOptions): Promise<void>;
  /**
   * Runs the steps in `$batch` requests of at most 20, in order; a dependency on a step of an earlier chunk
   * is resolved here (424 without sending when it failed). Steps answered 429 (or 503/504 when idempotent)
   * are sent again, alone, after the longest Retry-After. Every step gets an outcome; a failed one is not
   * thrown (use `outcomeError`). Throws GraphRequestError only when a `$batch` request itself fails.
   */
  batch(
    steps: readonly BatchStep[],
    options?: Pick<GraphCallOptions, 'tokenProvider'>,
  ): Promise<Map<string, BatchOutcome>>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  return new SdkGraphClient(options);
}

/** Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** A header of a `$batch` outcome, whatever the case of its name. */
export function outcomeHeader(outcome: BatchOutcome, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(outcome.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function isSuccess(outcome: BatchOutcome): boolean {
  return outcome.status >= 200 && outcome.status < 300;
}

interface GraphErrorBody {
  error?: {
    code?: string;
    message?: string;
    innerError?: { 'request-id'?: string; 'client-request-id'?: string };
  };
}

/** The failed outcome of a `$batch` step as the one error type. */
export function outcomeError(
  step: Pick<BatchStep, 'method' | 'url'>,
  outcome: BatchOutcome,
): GraphRequestError {
  const error = (outcome.body as GraphErrorBody | undefined)?.error;
  return new GraphRequestError({
    status: outcome.status,
    code: error?.code || `http${outcome.status}`,
    message: error?.message || `status ${outcome.status}`,
    method: step.method,
    path: step.url,
    requestId: error?.innerError?.['request-id'] ?? outcomeHeader(outcome, 'request-id'),
    clientRequestId: error?.innerError?.['client-request-id'] ?? outcomeHeader(outcome, 'client-request-id'),
    retryAfterSeconds: parseRetryAfter(outcomeHeader(outcome, 'retry-after')),
  });
}

/** Per-request settings handed down the middleware chain; the retry middleware writes the attempts back. */
class CallControl implements MiddlewareOptions {
  attempts = 0;
  lastRetryAfterSeconds: number | undefined;
  constructor(
    readonly idempotent: boolean,
    readonly method: string,
    readonly path: string,
  ) {}
}

function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

function setHeader(context: Context, name: string, value: string): void {
  const options = context.options ?? {};
  context.options = options;
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else options.headers = { ...(headers ?? {}), [name]: value };
}

class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly random: () => number,
    private readonly onRetry: ((event: RetryEvent) => void) | undefined,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('RetryMiddleware has no next middleware');
    const control = context.middlewareControl?.getMiddlewareOptions(CallControl) as CallControl | undefined;
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const idempotent = control?.idempotent ?? method === 'GET';
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) setHeader(context, 'Retry-Attempt', String(attempt));
      clearResponse(context);
      let failure: unknown;
      try {
        await next.execute(context);
      } catch (error) {
        failure = error;
      }
      if (control) control.attempts = attempt + 1;
      const status = context.response?.status ?? 0;
      const retryAfter = parseRetryAfter(context.response?.headers.get('retry-after'));
      if (control) control.lastRetryAfterSeconds = retryAfter;
      const retryable =
        failure !== undefined
          ? idempotent
          : status === 429 || (idempotent && (status === 503 || status === 504));
      if (!retryable || attempt >= this.policy.maxRetries) {
        if (failure !== undefined) throw failure;
        return;
      }
      if (retryAfter !== undefined && retryAfter > this.policy.maxRetryAfterSeconds) return;
      const delayMs =
        retryAfter !== undefined ? retryAfter * 1000 : backoffMs(this.policy, attempt + 1, this.random);
      this.onRetry?.({
        method,
        path: control?.path ?? String(context.request),
        attempt: attempt + 1,
        reason: failure !== undefined ? failureCode(failure) : String(status),
        delayMs,
      });
      await this.sleep(delayMs);
    }
  }
}

/** A function, so the compiler does not assume the response stays cleared across `next.execute`. */
function clearResponse(context: Context): void {
  context.response = undefined;
}

function failureCode(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  return name === 'TimeoutError' || name === 'AbortError' ? TIMEOUT : NETWORK_ERROR;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The last middleware: sends with fetch, the Graph origin rewritten to the emulator's when there is one. */
class TransportMiddleware implements Middleware {
  constructor(
    private readonly publicOrigin: string,
    private readonly emulatorOrigin: string | undefined,
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    if (typeof context.request !== 'string') throw new Error('the Graph transport expects a URL string');
    const url =
      this.emulatorOrigin && context.request.startsWith(this.publicOrigin)
        ? this.emulatorOrigin + context.request.slice(this.publicOrigin.length)
        : context.request;
    const response = await this.fetchImpl(url, {
      ...(context.options as RequestInit),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // Read the whole answer here, under the timeout: a connection lost mid-body is a failure the retry
    // middleware sees, not one the SDK meets later while parsing.
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    context.response = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
}

class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

function originOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

class SdkGraphClient implements GraphClient {
  private readonly client: Client;
  private readonly limiter: Limiter;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;

  constructor(options: GraphClientOptions) {
    const baseUrl = originOf(options.baseUrl ?? GRAPH_PUBLIC_CLOUD);
    if (!baseUrl.startsWith('https://')) {
      throw new Error(
        `the Graph base URL must be https (got ${baseUrl}): the Graph SDK sends no token over http. Use emulatorUrl for a loopback emulator.`,
      );
    }
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
    this.limiter = new Limiter(Math.max(1, options.maxConcurrency ?? 8));

    const auth = new AuthenticationHandler({ getAccessToken: () => options.tokenProvider.getAccessToken() });
    const retry = new RetryMiddleware(this.policy, this.sleep, this.random, this.onRetry);
    const telemetry = new TelemetryHandler();
    const transport = new TransportMiddleware(
      baseUrl,
      options.emulatorUrl ? originOf(options.emulatorUrl) : undefined,
      options.fetch ?? fetch,
      options.timeoutMs ?? 30_000,
    );
    auth.setNext(retry);
    retry.setNext(telemetry);
    telemetry.setNext(transport);
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${baseUrl}/`,
      defaultVersion: GRAPH_VERSION,
      customHosts: new Set([new URL(baseUrl).host]),
    });
  }

  get<T>(path: string, options: GraphCallOptions = {}): Promise<T> {
    return this.send<T>('GET', path, undefined, options);
  }

  async getAll<T>(path: string, options: GraphCallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages from ${path}`);
      const body: { value?: T[]; '@odata.nextLink'?: string } = await this.get(next, options);
      items.push(...(body.value ?? []));
      next = body['@odata.nextLink'];
    }
    return items;
  }

  post<T>(path: string, body: unknown, options: GraphCallOptions = {}): Promise<T> {
    return this.send<T>('POST', path, body, options);
  }

  patch<T>(path: string, body: unknown, options: GraphCallOptions = {}): Promise<T> {
    return this.send<T>('PATCH', path, body, options);
  }

  async delete(path: string, options: GraphCallOptions = {}): Promise<void> {
    await this.send<unknown>('DELETE', path, undefined, options);
  }

  private send<T>(method: BatchMethod, path: string, body: unknown, options: GraphCallOptions): Promise<T> {
    const control = new CallControl(method === 'GET' || options.idempotent === true, method, path);
    return this.limiter.run(async () => {
      try {
        const tokenProvider = options.tokenProvider;
        let request = this.client
          .api(path)
          .middlewareOptions(
            tokenProvider
              ? [
                  control,
                  new AuthenticationHandlerOptions({ getAccessToken: () => tokenProvider.getAccessToken() }),
                ]
              : [control],
          );
        for (const [name, value] of Object.entries(options.headers ?? {}))
          request = request.header(name, value);
        switch (method) {
          case 'GET':
            return (await request.get()) as T;
          case 'POST':
            return (await request.post(body)) as T;
          case 'PATCH':
            return (await request.patch(body)) as T;
          case 'DELETE':
            return (await request.delete()) as T;
        }
      } catch (error) {
        throw toGraphRequestError(error, control);
      }
    });
  }

  async batch(
    steps: readonly BatchStep[],
    options: Pick<GraphCallOptions, 'tokenProvider'> = {},
  ): Promise<Map<string, BatchOutcome>> {
    const seen = new Set<string>();
    for (const step of steps) {
      if (seen.has(step.id)) throw new Error(`batch step id "${step.id}" is used twice`);
      for (const dependency of step.dependsOn ?? []) {
        if (!seen.has(dependency))
          throw new Error(`batch step "${step.id}" depends on "${dependency}", not an earlier step`);
      }
      seen.add(step.id);
    }
    const results = new Map<string, BatchOutcome>();
    let index = 0;
    while (index < steps.length) {
      const chunk: BatchStep[] = [];
      while (index < steps.length && chunk.length < MAX_BATCH_SIZE) {
        const step = steps[index++];
        if (!step) break;
        const failed = step.dependsOn?.find((id) => {
          const outcome = results.get(id);
          return outcome !== undefined && !isSuccess(outcome);
        });
        if (failed !== undefined) {
          results.set(step.id, failedDependency(step.id, failed));
          continue;
        }
        const pending = step.dependsOn?.filter((id) => !results.has(id));
        chunk.push({ ...step, dependsOn: pending && pending.length > 0 ? pending : undefined });
      }
      if (chunk.length > 0) await this.runChunk(chunk, results, options);
    }
    return results;
  }

  /** One chunk of at most 20 steps, sending the throttled ones again until they are answered or out of tries. */
  private async runChunk(
    chunk: BatchStep[],
    results: Map<string, BatchOutcome>,
    options: Pick<GraphCallOptions, 'tokenProvider'> = {},
  ): Promise<void> {
    let pending = chunk;
    for (let round = 0; ; round++) {
      const answered = await this.sendBatch(pending, options);
      const again: BatchStep[] = [];
      const againIds = new Set<string>();
      let longestRetryAfter: number | undefined;
      for (const step of pending) {
        const outcome = answered.get(step.id) ?? missingOutcome(step.id);
        const transient =
          outcome.status === 429 ||
          (step.idempotent === true && (outcome.status === 503 || outcome.status === 504));
        const blocked = outcome.status === 424 && (step.dependsOn ?? []).some((id) => againIds.has(id));
        if ((transient || blocked) && round < this.policy.maxRetries) {
          again.push(step);
          againIds.add(step.id);
          const retryAfter = parseRetryAfter(outcomeHeader(outcome, 'retry-after'));
          if (retryAfter !== undefined) longestRetryAfter = Math.max(longestRetryAfter ?? 0, retryAfter);
        } else {
          results.set(step.id, outcome);
        }
      }
      if (again.length === 0) return;
      if (longestRetryAfter !== undefined && longestRetryAfter > this.policy.maxRetryAfterSeconds) {
        for (const step of again) results.set(step.id, answered.get(step.id) ?? missingOutcome(step.id));
        return;
      }
      const delayMs =
        longestRetryAfter !== undefined
          ? longestRetryAfter * 1000
          : backoffMs(this.policy, round + 1, this.random);
      this.onRetry?.({
        method: 'POST',
        path: '/$batch',
        attempt: round + 1,
        reason: 'batch steps',
        delayMs,
        stepIds: again.map((s) => s.id),
      });
      await this.sleep(delayMs);
      pending = again.map((step) => {
        const dependsOn = step.dependsOn?.filter((id) => againIds.has(id));
        return { ...step, dependsOn: dependsOn && dependsOn.length > 0 ? dependsOn : undefined };
      });
    }
  }

  private async sendBatch(
    steps: BatchStep[],
    options: Pick<GraphCallOptions, 'tokenProvider'> = {},
  ): Promise<Map<string, BatchOutcome>> {
    const requests = steps.map((step) => ({
      id: step.id,
      method: step.method,
      url: step.url,
      ...(step.dependsOn ? { dependsOn: step.dependsOn } : {}),
      ...(step.body !== undefined
        ? { body: step.body, headers: { 'Content-Type': 'application/json', ...step.headers } }
        : step.headers
          ? { headers: step.headers }
          : {}),
    }));
    // The envelope is sent again after a lost answer only if every step may run twice.
    const idempotent = steps.every((s) => s.method === 'GET' || s.idempotent === true);
    const answer = await this.post<{ responses?: BatchOutcome[] }>(
      '/$batch',
      { requests },
      { idempotent, ...(options.tokenProvider ? { tokenProvider: options.tokenProvider } : {}) },
    );
    const byId = new Map<string, BatchOutcome>();
    for (const response of answer?.responses ?? []) {
      byId.set(String(response.id), {
        id: String(response.id),
        status: Number(response.status),
        headers: response.headers ?? {},
        body: response.body,
      });
    }
    return byId;
  }
}

function failedDependency(id: string, dependency: string): BatchOutcome {
  return {
    id,
    status: 424,
    headers: { 'Content-Type': 'application/json' },
    body: {
      error: { code: 'failedDependency', message: `step "${dependency}" failed, so this step was not sent` },
    },
  };
}

function missingOutcome(id: string): BatchOutcome {
  return {
    id,
    status: 502,
    headers: {},
    body: {
      error: { code: 'missingBatchResponse', message: `the $batch answer had no response for step "${id}"` },
    },
  };
}

function toGraphRequestError(error: unknown, control: CallControl): GraphRequestError {
  if (error instanceof GraphRequestError) return error;
  const base = { method: control.method, path: control.path, attempts: control.attempts, cause: error };
  if (error instanceof GraphError) {
    const headers = error.headers;
    if (error.statusCode > 0) {
      return new GraphRequestError({
        ...base,
        status: error.statusCode,
        code: error.code || `http${error.statusCode}`,
        message: error.message || `status ${error.statusCode}`,
        requestId: error.requestId ?? headers?.get('request-id') ?? undefined,
        clientRequestId: headers?.get('client-request-id') ?? undefined,
        retryAfterSeconds: parseRetryAfter(headers?.get('retry-after')) ?? control.lastRetryAfterSeconds,
      });
    }
    // No HTTP answer: the SDK names the code after the thrown error.
    const codes: Record<string, string> = {
      TimeoutError: TIMEOUT,
      AbortError: TIMEOUT,
      TypeError: NETWORK_ERROR,
      TokenAcquisitionError: AUTHENTICATION_FAILED,
    };
    const code = codes[error.code ?? ''] ?? 'clientError';
    return new GraphRequestError({ ...base, status: 0, code, message: error.message || String(error.body) });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GraphRequestError({ ...base, status: 0, code: 'clientError', message });
}
