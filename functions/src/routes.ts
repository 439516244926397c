import type { HttpResponseInit } from '@azure/functions';
import {
  contentOf,
  explainIssue,
  Id,
  OperationsRequest,
  PLAN_STATUSES,
  PlanWrite,
  QualificationAnswers,
  qualify,
} from '@cosell/shared';
import { z } from 'zod';
import { AppError } from './app-error';
import type { ApiContext, ApiRequest } from './http/api-request';
import { etagOf, parseVersionHeader, requireIfMatch } from './http/etag';
import { toJson } from './http/plan-json';
import { problemResponse, toAppError } from './http/problem';
import { readJsonBody } from './http/request';
import type { Authenticator } from './identity/authenticator';
import { buildOpenApiDocument } from './openapi';
import { type AuthClientConfig, authRoutes } from './routes-auth';
import { type CadenceServices, cadenceRoutes } from './routes-cadence';
import { documentRoutes } from './routes-documents';
import { exportRoutes } from './routes-exports';
import { importRoutes } from './routes-imports';
import { myWorkRoutes } from './routes-my-work';
import { type NotificationServices, notificationRoutes } from './routes-notifications';
import type { PlanAccess } from './use-cases/plan-access';
import type { PlanService } from './use-cases/plan-service';

/*
 * The HTTP surface: one route table, registered with Azure Functions by main.ts and served by the local
 * host for `npm start` and tests. Handlers are thin: parse, call a use case, shape the response.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
export type Handler = (request: ApiRequest, context: ApiContext) => Promise<HttpResponseInit>;

export interface RouteDefinition {
  /** The Azure Function name. */
  name: string;
  /** Route template below the `api` prefix, in Azure Functions syntax (`plans/{id}`). */
  route: string;
  methods: Partial<Record<HttpMethod, Handler>>;
  /** The largest request body the route takes, when it is not the API's MAX_BODY_BYTES (http/request.ts). */
  maxBodyBytes?: number;
}

export interface ApiServices {
  plans: PlanService;
  /** The plan use cases with sides and rights enforced for the caller: every plan route goes through it. */
  access: PlanAccess;
  auth: Authenticator;
  info: { storeKind: string; identityKind: string; version: string };
  /** How the tab signs in (`GET /api/auth/config`, routes-auth.ts); composition.ts always sets it. */
  authConfig?: AuthClientConfig;
  /** Mail and the escalation job (routes-notifications.ts, timers.ts); the outbox answers 404 without it. */
  notifications?: NotificationServices;
  /** The weekly cadence and the review (routes-cadence.ts, timers.ts); the routes answer 404 without it. */
  cadence?: CadenceServices;
}

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...COMMON_HEADERS,
      ...headers,
    },
    body: toJson(body),
  };
}

function planResponse(
  status: number,
  plan: { id: string; version: number },
  body: unknown = plan,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return json(status, body, { etag: etagOf(plan.version), 'cache-control': 'no-cache', ...headers });
}

/** A plan id from the URL; anything that cannot be an id is simply not found. */
function planIdOf(request: ApiRequest): string {
  const id = request.params.id ?? '';
  if (!Id.safeParse(id).success) throw new AppError('NOT_FOUND', 'There is no such plan.');
  return id;
}

const StatusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(PLAN_STATUSES, { error: `status is one of ${PLAN_STATUSES.join(', ')}` })));

const ListQuery = z.strictObject({
  status: StatusList.optional(),
  stalled: z.enum(['true', 'false'], { error: 'stalled is true or false' }).optional(),
  person: z.string().trim().toLowerCase().min(3).max(254).optional(),
  channel: z.string().min(1).max(200).optional(),
  limit: z.coerce
    .number({ error: 'limit is a number' })
    .int({ error: 'limit is a whole number' })
    .min(1, { error: 'limit is at least 1' })
    .max(100, { error: 'limit is at most 100' })
    .default(25),
  cursor: z.string().min(1).max(500).optional(),
});

const HistoryQuery = ListQuery.pick({ limit: true, cursor: true });

function parseQuery<S extends z.ZodType>(request: ApiRequest, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of request.query) raw[key] = value;
  const parsed = schema.safeParse(raw, { error: explainIssue });
  if (!parsed.success) {
    // A query parameter is named by itself (`status`, not `status[0]`).
    const errors = parsed.error.issues.flatMap((issue) =>
      (issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '(query)')]).map(
        (name) => ({
          path: name,
          pointer: `/query/${name}`,
          message: issue.code === 'unrecognized_keys' ? 'not a parameter of this API' : issue.message,
        }),
      ),
    );
    const first = errors[0];
    throw new AppError('INVALID_QUERY', `The query is not valid: ${first?.path} — ${first?.message}.`, {
      errors,
    });
  }
  return parsed.data;
}

function withProblems(handler: Handler): Handler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) context.error(`${request.method} ${request.url}`, appError.message);
      return problemResponse(appError, new URL(request.url).pathname);
    }
  };
}

/** One handler per route that dispatches on the method, so a wrong method is a 405 with `Allow` everywhere. */
export function dispatcher(definition: RouteDefinition): Handler {
  const allowed = Object.keys(definition.methods).join(', ');
  return withProblems(async (request, context) => {
    const handler = definition.methods[request.method.toUpperCase() as HttpMethod];
    if (!handler) {
      throw new AppError('METHOD_NOT_ALLOWED', `${request.method} is not supported here; use ${allowed}.`, {
        headers: { allow: allowed },
      });
    }
    return handler(request, context);
  });
}

export function createRoutes(services: ApiServices): RouteDefinition[] {
  const { plans, access, auth } = services;
  return [
    ...authRoutes(() => services.authConfig),
    ...myWorkRoutes(services),
    ...documentRoutes(services),
    ...notificationRoutes(services),
    ...exportRoutes(services),
    ...importRoutes(services),
    ...cadenceRoutes(services),
    {
      name: 'health',
      route: 'health',
      methods: {
        GET: async () =>
          json(200, {
            status: 'ok',
            store: services.info.storeKind,
            identity: services.info.identityKind,
            version: services.info.version,
            today: plans.today(),
          }),
      },
    },
    {
      name: 'openapi',
      route: 'openapi.json',
      methods: {
        GET: async () =>
          json(200, buildOpenApiDocument(services.info.version), { 'cache-control': 'public, max-age=300' }),
      },
    },
    {
      name: 'me',
      route: 'me',
      methods: {
        GET: async (request) =>
          json(200, { ...(await auth.authenticate(request)), identity: services.info.identityKind }),
      },
    },
    {
      name: 'plans',
      route: 'plans',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          const q = parseQuery(request, ListQuery);
          const page = await access.list(
            {
              limit: q.limit,
              ...(q.status ? { status: q.status } : {}),
              ...(q.stalled ? { stalled: q.stalled === 'true' } : {}),
              ...(q.person ? { person: q.person } : {}),
              ...(q.channel ? { channelId: q.channel } : {}),
              ...(q.cursor ? { cursor: q.cursor } : {}),
            },
            caller,
          );
          return json(200, page);
        },
        POST: async (request) => {
          const caller = await auth.caller(request);
          const body = await readJsonBody(request, PlanWrite, 'The plan was not created');
          const { plan, created } = await access.create(contentOf(body), caller, body.id);
          return planResponse(created ? 201 : 200, plan, plan, {
            location: `/api/plans/${encodeURIComponent(plan.id)}`,
          });
        },
      },
    },
    {
      name: 'plan',
      route: 'plans/{id}',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          const plan = await access.get(planIdOf(request), caller);
          const known = parseVersionHeader(request.headers.get('if-none-match'), 'If-None-Match');
          if (known === plan.version)
            return { status: 304, headers: { etag: etagOf(plan.version), ...COMMON_HEADERS } };
          return planResponse(200, plan);
        },
        PUT: async (request) => {
          const caller = await auth.caller(request);
          const id = planIdOf(request);
          const expected = requireIfMatch(request.headers.get('if-match'));
          const body = await readJsonBody(request, PlanWrite, 'The plan was not saved');
          if (body.id !== undefined && body.id !== id) {
            throw new AppError(
              'VALIDATION_FAILED',
              `The body is plan "${body.id}" but the URL names plan "${id}".`,
              {
                errors: [{ path: 'id', pointer: '/id', message: 'differs from the plan id in the URL' }],
              },
            );
          }
          const plan = await access.replace(id, contentOf(body), expected, caller);
          return planResponse(200, plan);
        },
        DELETE: async (request) => {
          const caller = await auth.caller(request);
          const id = planIdOf(request);
          await access.delete(id, requireIfMatch(request.headers.get('if-match')), caller);
          return { status: 204, headers: COMMON_HEADERS };
        },
      },
    },
    {
      name: 'plan-operations',
      route: 'plans/{id}/operations',
      methods: {
        POST: async (request) => {
          const caller = await auth.caller(request);
          const id = planIdOf(request);
          const body = await readJsonBody(request, OperationsRequest, 'The update was not applied');
          const result = await access.applyOperations(id, body.operations, caller);
          return planResponse(200, result.plan, result);
        },
      },
    },
    {
      name: 'plan-health',
      route: 'plans/{id}/health',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          return json(200, await access.health(planIdOf(request), caller));
        },
      },
    },
    {
      name: 'plan-history',
      route: 'plans/{id}/history',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          const q = parseQuery(request, HistoryQuery);
          return json(
            200,
            await access.history(
              planIdOf(request),
              { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
              caller,
            ),
          );
        },
      },
    },
    {
      name: 'qualify',
      route: 'qualify',
      methods: {
        POST: async (request) => {
          await auth.authenticate(request);
          const answers = await readJsonBody(
            request,
            QualificationAnswers,
            'The answers were not understood',
          );
          return json(200, qualify(answers));
        },
      },
    },
  ];
}
