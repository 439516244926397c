import type {
  HistoryEntry,
  MyWork,
  NeededOwner,
  Operation,
  OverlapAccount,
  OwnerInput,
  Plan,
  PlanHealth,
  PlanSummary,
  PlanWrite,
  Qualification,
  StoredMail,
} from '@cosell/shared';

/*
 * The tab's only door to the API: JSON in and out, If-Match on replace, and every problem+json answer
 * turned into an `ApiError`. Every answer is checked for the shape the tab relies on, so a response the
 * tab cannot read fails here, with a message, instead of somewhere deep in a component.
 */

export interface FieldProblem {
  /** Where, as `operations[0].actionId`. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  /** The HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The problem's code (`VALIDATION_FAILED`, …), or `NETWORK` / `BAD_RESPONSE` from the tab itself. */
  readonly code: string;
  /** A sentence for the person using the tab. */
  readonly detail: string;
  readonly errors: FieldProblem[];
  /** On a version mismatch (412): the plan as it is now. */
  readonly current?: Plan;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    errors?: FieldProblem[];
    current?: Plan;
  }) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    if (init.current) this.current = init.current;
  }
}

export interface PlanListQuery {
  status?: Plan['status'][];
  stalled?: boolean;
  person?: string;
  channel?: string;
  limit?: number;
  cursor?: string;
}

export interface PlanPage {
  items: PlanSummary[];
  nextCursor?: string;
}

export interface PlanHealthReport extends PlanHealth {
  planId: string;
  version: number;
  qualification?: Qualification;
}

export interface OperationsResult {
  plan: Plan;
  /** One sentence per operation that changed something. */
  changes: string[];
  health: PlanHealth;
  retries: number;
}

/** What the import wizard sends: the accounts as the shared import grouped them, and the owners' emails. */
export interface CrossbeamPlanRequest {
  partnerName: string;
  title?: string;
  accounts: OverlapAccount[];
  owners?: OwnerInput[];
  channelId?: string;
}

export interface CrossbeamPlanAnswer {
  plan: Plan;
  /** False when the same selection was imported before: the plan made then. */
  created: boolean;
  needsOwners: NeededOwner[];
}

export interface Me {
  id: string;
  displayName: string;
  identity: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface HistoryQuery extends RequestOptions {
  limit?: number;
  cursor?: string;
}

export interface HistoryPage {
  items: HistoryEntry[];
  nextCursor?: string;
}

export interface ApiClient {
  listPlans(query?: PlanListQuery, options?: RequestOptions): Promise<PlanPage>;
  getPlan(id: string, options?: RequestOptions): Promise<Plan>;
  createPlan(plan: PlanWrite): Promise<Plan>;
  /** Saves the whole plan if it is still at `version`; otherwise an ApiError 412 with `current`. */
  replacePlan(id: string, plan: PlanWrite, version: number): Promise<Plan>;
  applyOperations(id: string, operations: Operation[]): Promise<OperationsResult>;
  getHealth(id: string, options?: RequestOptions): Promise<PlanHealthReport>;
  /** Newest first; pass `cursor` (a page's `nextCursor`) for older entries. */
  getHistory(id: string, options?: HistoryQuery): Promise<HistoryPage>;
  getMe(options?: RequestOptions): Promise<Me>;
  /** A plan from 1 to 5 accounts of a Crossbeam import (`POST /api/imports/crossbeam/plans`). */
  importCrossbeamPlan(request: CrossbeamPlanRequest): Promise<CrossbeamPlanAnswer>;
  /** A file the API serves (an export) as the signed-in person: its bytes and the name the API gives it. */
  download(path: string): Promise<{ blob: Blob; fileName: string }>;
  /** "My co-sell": the caller's open actions and milestones across plans (`GET /api/me/work`). */
  getMyWork(options?: RequestOptions): Promise<MyWorkAnswer>;
  /** The embedded outbox, newest first (`GET /api/outbox`); a 404 ApiError when mail goes through Graph. */
  getOutbox(query?: OutboxQuery, options?: RequestOptions): Promise<OutboxPage>;
  /** LOCAL DEVELOPMENT ONLY: runs a timer now (`POST /api/admin/timers/{name}`); 404 in a deployment. */
  runTimerNow(name: string): Promise<{ timer: string; result: unknown; log: string[] }>;
  /** Any JSON route of the API (`path` below /api), signed like the others: the cadence and review (issue 7). */
  requestJson(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options?: RequestOptions & { body?: unknown },
  ): Promise<unknown>;
}

export interface OutboxQuery {
  limit?: number;
  cursor?: string;
  /** Only the messages about this plan. */
  plan?: string;
}

export interface OutboxPage {
  items: StoredMail[];
  nextCursor?: string;
}

export interface MyWorkAnswer extends MyWork {
  truncated: boolean;
}

export function createApiClient({
  baseUrl = '/api',
  fetch: fetchFn = globalThis.fetch.bind(globalThis),
  tokens,
}: {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Who signs the requests (tab/src/host/auth.ts); without it the API is called unsigned. */
  tokens?: TokenSource;
} = {}): ApiClient {
  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    { body, ifMatch, signal }: { body?: unknown; ifMatch?: number; signal?: AbortSignal | undefined } = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch !== undefined) headers['if-match'] = `"${ifMatch}"`;
    const send = async (refresh: boolean): Promise<Response> =>
      fetchFn(`${baseUrl}${path}`, {
        method,
        headers: tokens ? { ...headers, ...(await signedHeaders(tokens, refresh)) } : headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
        credentials: 'same-origin',
      });
    let response: Response;
    try {
      response = await send(false);
      // One silent refresh (the token may have expired or been revoked); then the person signs in again.
      if (response.status === 401 && tokens) {
        response = await send(true);
        if (response.status === 401) tokens.onSignInRequired?.();
      }
    } catch (error) {
      if (signal?.aborted || error instanceof ApiError) throw error;
      throw new ApiError({
        status: 0,
        code: 'NETWORK',
        detail: 'The Co-Sell Plan service could not be reached. Check your connection and try again.',
      });
    }
    const payload = await readPayload(response);
    if (!response.ok) throw problemOf(response, payload);
    return payload;
  }

  const plans = '/plans';
  const planPath = (id: string) => `${plans}/${encodeURIComponent(id)}`;

  return {
    async listPlans(query = {}, options = {}) {
      const params = new URLSearchParams();
      if (query.status?.length) params.set('status', query.status.join(','));
      if (query.stalled !== undefined) params.set('stalled', String(query.stalled));
      if (query.person) params.set('person', query.person);
      if (query.channel) params.set('channel', query.channel);
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.cursor) params.set('cursor', query.cursor);
      const search = params.toString() === '' ? '' : `?${params.toString()}`;
      const body = await call('GET', `${plans}${search}`, { signal: options.signal });
      return expectShape<PlanPage>(body, { items: 'array' }, 'the list of plans');
    },
    async getPlan(id, options = {}) {
      return parsePlan(await call('GET', planPath(id), { signal: options.signal }));
    },
    async createPlan(plan) {
      return parsePlan(await call('POST', plans, { body: plan }));
    },
    async replacePlan(id, plan, version) {
      return parsePlan(await call('PUT', planPath(id), { body: plan, ifMatch: version }));
    },
    async applyOperations(id, operations) {
      const body = await call('POST', `${planPath(id)}/operations`, { body: { operations } });
      const result = expectShape<OperationsResult>(
        body,
        { plan: 'object', changes: 'array', health: 'object' },
        'the result of the update',
      );
      return { ...result, plan: parsePlan(result.plan) };
    },
    async getHealth(id, options = {}) {
      const body = await call('GET', `${planPath(id)}/health`, { signal: options.signal });
      return expectShape<PlanHealthReport>(
        body,
        { completeness: 'object', stalls: 'object', decay: 'object', accountability: 'array' },
        'the health of the plan',
      );
    },
    async getHistory(id, options = {}) {
      const params = new URLSearchParams();
      if (options.limit !== undefined) params.set('limit', String(options.limit));
      if (options.cursor) params.set('cursor', options.cursor);
      const search = params.toString() === '' ? '' : `?${params.toString()}`;
      const body = await call('GET', `${planPath(id)}/history${search}`, { signal: options.signal });
      return expectShape<HistoryPage>(body, { items: 'array' }, 'the history of the plan');
    },
    async importCrossbeamPlan(request) {
      const body = await call('POST', '/imports/crossbeam/plans', { body: request });
      const answer = expectShape<CrossbeamPlanAnswer>(
        body,
        { plan: 'object', needsOwners: 'array' },
        'the imported plan',
      );
      return { ...answer, plan: parsePlan(answer.plan) };
    },
    async download(path) {
      let response: Response;
      try {
        response = await fetchFn(`${baseUrl}${path}`, {
          headers: tokens ? await signedHeaders(tokens, false) : {},
          credentials: 'same-origin',
        });
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError({
          status: 0,
          code: 'NETWORK',
          detail: 'The Co-Sell Plan service could not be reached. Check your connection and try again.',
        });
      }
      if (!response.ok) throw problemOf(response, await readPayload(response));
      const disposition = response.headers.get('content-disposition') ?? '';
      const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
      return { blob: await response.blob(), fileName };
    },
    async getMe(options = {}) {
      const body = await call('GET', '/me', { signal: options.signal });
      return expectShape<Me>(body, { id: 'string', displayName: 'string' }, 'who you are');
    },
    async getOutbox(query = {}, options = {}) {
      const params = new URLSearchParams();
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.cursor) params.set('cursor', query.cursor);
      if (query.plan) params.set('plan', query.plan);
      const search = params.toString() === '' ? '' : `?${params.toString()}`;
      const body = await call('GET', `/outbox${search}`, { signal: options.signal });
      return expectShape<OutboxPage>(body, { items: 'array' }, 'the outbox');
    },
    async runTimerNow(name) {
      const body = await call('POST', `/admin/timers/${encodeURIComponent(name)}`);
      return expectShape<{ timer: string; result: unknown; log: string[] }>(
        body,
        { timer: 'string', log: 'array' },
        'the timer run',
      );
    },
    async requestJson(method, path, options = {}) {
      return call(method, path, { body: options.body, signal: options.signal });
    },
    async getMyWork(options = {}) {
      const body = await call('GET', '/me/work', { signal: options.signal });
      return expectShape<MyWorkAnswer>(
        body,
        { person: 'string', today: 'string', items: 'array', plans: 'array' },
        'your work across plans',
      );
    },
  };
}

/** Where the client gets its credentials: tab/src/host/auth.ts (`TabAuth`). */
export interface TokenSource {
  /** A token for the API, or undefined when it needs none; `refresh` asks for a new one. */
  getAccessToken(options?: { refresh?: boolean }): Promise<string | undefined>;
  /** Headers saying where the tab is shown (its Teams channel): hints the API checks. */
  contextHeaders?(): Promise<Record<string, string>>;
  /** The API refused a fresh token, or none could be had: the person must sign in again. */
  onSignInRequired?(): void;
}

async function signedHeaders(tokens: TokenSource, refresh: boolean): Promise<Record<string, string>> {
  let token: string | undefined;
  try {
    token = await tokens.getAccessToken({ refresh });
  } catch (error) {
    tokens.onSignInRequired?.();
    throw new ApiError({
      status: 401,
      code: 'SIGN_IN_FAILED',
      detail: `You could not be signed in${error instanceof Error && error.message ? ` (${error.message})` : ''}. Sign in again.`,
    });
  }
  const context = (await tokens.contextHeaders?.()) ?? {};
  return { ...context, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

async function readPayload(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 304) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw badResponse(`${response.status} with a body that is not valid JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemOf(response: Response, payload: unknown): ApiError {
  const problem = isRecord(payload) ? payload : {};
  const detail =
    typeof problem.detail === 'string' && problem.detail !== ''
      ? problem.detail
      : `The service answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  const errors = Array.isArray(problem.errors)
    ? problem.errors
        .filter(isRecord)
        .map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') }))
    : [];
  const current = isPlanShaped(problem.current) ? problem.current : undefined;
  return new ApiError({
    status: response.status,
    code: typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
    detail,
    errors,
    ...(current ? { current } : {}),
  });
}

function badResponse(what: string, errors: FieldProblem[] = []): ApiError {
  return new ApiError({
    status: 502,
    code: 'BAD_RESPONSE',
    detail: `The service sent ${what} that this tab cannot read. Reload the page; if it persists, tell your admin.`,
    errors,
  });
}

const PLAN_MEMBERS: Record<string, Kind> = {
  id: 'string',
  version: 'number',
  title: 'string',
  status: 'string',
  motion: 'string',
  accounts: 'array',
  partners: 'array',
  people: 'array',
  milestones: 'array',
  actions: 'array',
  economics: 'array',
  escalation: 'object',
};

/**
 * A plan as the server stores it. The server validated it against the shared schema on every write, so the
 * tab checks the shape its views rely on instead of parsing it again with zod: zod and the schemas (about
 * 25 kB gz, and 0.4 s of start-up at 4x CPU slowdown) stay out of the JavaScript the plan page loads first.
 * A proxy's HTML page or a wrong endpoint still fails here, with a message.
 */
function isPlanShaped(body: unknown): body is Plan {
  return (
    hasMembers(body, PLAN_MEMBERS) &&
    hasMembers(body.escalation, { vendorChain: 'array', partnerChains: 'array', thresholdDays: 'number' })
  );
}

function parsePlan(body: unknown): Plan {
  if (isPlanShaped(body)) return body;
  throw badResponse('a plan');
}

type Kind = 'array' | 'object' | 'string' | 'number';

/**
 * A structural check for responses that have no shared schema yet: the members the tab relies on are
 * there and of the right kind. It catches a wrong endpoint or a proxy's HTML page, not every detail.
 */
function expectShape<T>(body: unknown, members: Record<string, Kind>, what: string): T {
  if (!hasMembers(body, members)) throw badResponse(what);
  return body as T;
}

function hasMembers(body: unknown, members: Record<string, Kind>): body is Record<string, unknown> {
  return (
    isRecord(body) &&
    Object.entries(members).every(([key, kind]) => {
      const value = body[key];
      if (kind === 'array') return Array.isArray(value);
      if (kind === 'object') return isRecord(value);
      return typeof value === kind;
    })
  );
}
