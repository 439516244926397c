import type {
  HistoryEntry,
  Operation,
  Plan,
  PlanHealth,
  PlanSummary,
  PlanWrite,
  Qualification,
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
}

export function createApiClient({
  baseUrl = '/api',
  fetch: fetchFn = globalThis.fetch.bind(globalThis),
}: {
  baseUrl?: string;
  fetch?: typeof fetch;
} = {}): ApiClient {
  async function call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    { body, ifMatch, signal }: { body?: unknown; ifMatch?: number; signal?: AbortSignal | undefined } = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch !== undefined) headers['if-match'] = `"${ifMatch}"`;
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      if (signal?.aborted) throw error;
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
    async getMe(options = {}) {
      const body = await call('GET', '/me', { signal: options.signal });
      return expectShape<Me>(body, { id: 'string', displayName: 'string' }, 'who you are');
    },
  };
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
