import type { HttpResponseInit } from '@azure/functions';
import { Id, PLAN_STATUSES, type PlanSummary, portfolioCsv } from '@cosell/shared';
import { AppError } from './app-error';
import type { ApiRequest } from './http/api-request';
import { toJson } from './http/plan-json';
import type { ApiServices, RouteDefinition } from './routes';

/*
 * Exports (issue 10), each of what the caller may see and nothing more:
 *   GET /api/plans/export.csv          the portfolio the caller sees (the same list as GET /api/plans,
 *                                      every page of it), one row per plan; formula-like cells neutralised
 *                                      (shared/src/export-csv.ts). `?channel=` and `?status=` narrow it.
 *   GET /api/plans/{id}/export.json    the plan as the caller may see it (another partner's economics
 *                                      removed), in the shape POST /api/plans takes back.
 * The PDF of a plan is GET /api/plans/{id}/pdf (routes-documents.ts).
 *
 * The CSV route is listed before `plans/{id}` in the route table: the local host takes the first match.
 */

const COMMON = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

/** An ASCII file name: letters, digits and single dashes, at most `max` characters. */
export function safeFileName(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug === '' ? 'plan' : slug;
}

/** `attachment` with a plain ASCII name (no quotes, slashes or control characters can get in). */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

const PAGE = 100;
/** Pages read for one export: 10,000 plans at most. */
const MAX_PAGES = 100;

function queryOf(request: ApiRequest): {
  channelId?: string;
  status?: PlanSummary['status'][];
  bom: boolean;
} {
  const known = new Set(['channel', 'status', 'bom']);
  for (const key of request.query.keys()) {
    if (!known.has(key)) {
      throw new AppError('INVALID_QUERY', `The query is not valid: ${key} — not a parameter of this API.`, {
        errors: [{ path: key, pointer: `/query/${key}`, message: 'not a parameter of this API' }],
      });
    }
  }
  const channel = request.query.get('channel') ?? undefined;
  if (channel !== undefined && (channel.length === 0 || channel.length > 200)) {
    throw new AppError('INVALID_QUERY', 'The query is not valid: channel — 1 to 200 characters.', {
      errors: [{ path: 'channel', pointer: '/query/channel', message: '1 to 200 characters' }],
    });
  }
  const statusText = request.query.get('status');
  let status: PlanSummary['status'][] | undefined;
  if (statusText !== null) {
    const values = statusText.split(',').map((s) => s.trim());
    const bad = values.find((v) => !(PLAN_STATUSES as readonly string[]).includes(v));
    if (bad !== undefined) {
      const message = `status is one of ${PLAN_STATUSES.join(', ')}`;
      throw new AppError('INVALID_QUERY', `The query is not valid: status — ${message}.`, {
        errors: [{ path: 'status', pointer: '/query/status', message }],
      });
    }
    status = values as PlanSummary['status'][];
  }
  const bomText = request.query.get('bom');
  if (bomText !== null && bomText !== 'true' && bomText !== 'false') {
    throw new AppError('INVALID_QUERY', 'The query is not valid: bom — true or false.', {
      errors: [{ path: 'bom', pointer: '/query/bom', message: 'true or false' }],
    });
  }
  return {
    ...(channel ? { channelId: channel } : {}),
    ...(status ? { status } : {}),
    bom: bomText !== 'false',
  };
}

export function exportRoutes(services: ApiServices): RouteDefinition[] {
  const { auth, access, plans } = services;
  return [
    {
      name: 'plans-export-csv',
      route: 'plans/export.csv',
      methods: {
        GET: async (request): Promise<HttpResponseInit> => {
          const caller = await auth.caller(request);
          const q = queryOf(request);
          const summaries: PlanSummary[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < MAX_PAGES; page++) {
            const result = await access.list(
              {
                limit: PAGE,
                ...(q.channelId ? { channelId: q.channelId } : {}),
                ...(q.status ? { status: q.status } : {}),
                ...(cursor ? { cursor } : {}),
              },
              caller,
            );
            summaries.push(...result.items);
            cursor = result.nextCursor;
            if (!cursor) break;
          }
          const today = plans.today();
          // Excel reads UTF-8 only after a byte-order mark; `?bom=false` leaves it out.
          const body = portfolioCsv(summaries, { today, bom: q.bom });
          return {
            status: 200,
            headers: {
              ...COMMON,
              'content-type': 'text/csv; charset=utf-8; header=present',
              'content-disposition': attachment(`co-sell-plans-${today}.csv`),
            },
            body,
          };
        },
      },
    },
    {
      name: 'plan-export-json',
      route: 'plans/{id}/export.json',
      methods: {
        GET: async (request): Promise<HttpResponseInit> => {
          const caller = await auth.caller(request);
          const id = request.params.id ?? '';
          if (!Id.safeParse(id).success) throw new AppError('NOT_FOUND', 'There is no such plan.');
          const plan = await access.get(id, caller);
          return {
            status: 200,
            headers: {
              ...COMMON,
              'content-type': 'application/json; charset=utf-8',
              'content-disposition': attachment(
                `co-sell-plan-${safeFileName(plan.title)}-${safeFileName(plan.id, 64)}.json`,
              ),
              etag: `"${plan.version}"`,
            },
            body: toJson(plan),
          };
        },
      },
    },
  ];
}
