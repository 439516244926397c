import { Id } from '@cosell/shared';
import { AppError } from './app-error';
import type { ApiRequest } from './http/api-request';
import { type Paper, PdfFontMissingError, renderPlanPdf } from './pdf/plan-pdf';
import type { ApiServices, RouteDefinition } from './routes';

/*
 * Documents made from a plan: `GET /api/plans/{id}/pdf?paper=letter|a4`, the one-page plan as a PDF
 * (issues 7, 9, 10). The plan and its health come through the access rules (PlanAccess), so a partner's
 * PDF never holds another partner's economics, and a plan the caller may not read is 404.
 */

export interface DocumentRouteOptions {
  /** The link back to a plan in Teams, printed on the PDF when it is https. */
  planUrl?: (planId: string) => string | undefined;
}

const PAPERS: readonly Paper[] = ['letter', 'a4'];

function paperOf(request: ApiRequest): Paper {
  const unknown = [...request.query.keys()].filter((key) => key !== 'paper');
  if (unknown.length > 0) {
    throw new AppError(
      'INVALID_QUERY',
      `The query is not valid: ${unknown[0]} — not a parameter of this API.`,
      {
        errors: unknown.map((name) => ({
          path: name,
          pointer: `/query/${name}`,
          message: 'not a parameter of this API',
        })),
      },
    );
  }
  const values = request.query.getAll('paper');
  if (values.length === 0) return 'letter';
  const value = (values[0] ?? '').trim().toLowerCase();
  if (values.length > 1 || !PAPERS.includes(value as Paper)) {
    const message = values.length > 1 ? 'paper is given once' : 'paper is letter or a4';
    throw new AppError('INVALID_QUERY', `The query is not valid: paper — ${message}.`, {
      errors: [{ path: 'paper', pointer: '/query/paper', message }],
    });
  }
  return value as Paper;
}

/** An ASCII file name from the plan title ("Zoë's plan" → "Zoe-s-plan"), never empty, no path or quote. */
export function asciiFileName(title: string, paper: Paper): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'co-sell-plan'}-${paper}.pdf`;
}

/** RFC 5987 / RFC 6266 `filename*` value: the title in UTF-8, percent-encoded. */
function utf8FileName(title: string, paper: Paper): string {
  const clean = title.replace(/[\p{Cc}/\\"]+/gu, ' ').trim() || 'Co-sell plan';
  const encoded = encodeURIComponent(`${clean} (${paper === 'a4' ? 'A4' : 'Letter'}).pdf`).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `UTF-8''${encoded}`;
}

export function documentRoutes(services: ApiServices, options: DocumentRouteOptions = {}): RouteDefinition[] {
  const { access, auth, plans } = services;
  return [
    {
      name: 'plan-pdf',
      route: 'plans/{id}/pdf',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          const id = request.params.id ?? '';
          if (!Id.safeParse(id).success) throw new AppError('NOT_FOUND', 'There is no such plan.');
          const paper = paperOf(request);
          // Both through the access rules: the plan redacted for the caller's side, and its health computed
          // on the stored plan then redacted (health on the redacted plan would report hidden economics as gaps).
          const plan = await access.get(id, caller);
          const health = await access.health(id, caller);
          const today = plans.today();
          let bytes: Uint8Array;
          try {
            const tabUrl = options.planUrl?.(id);
            bytes = await renderPlanPdf(plan, { paper, today, health, ...(tabUrl ? { tabUrl } : {}) });
          } catch (error) {
            if (error instanceof PdfFontMissingError) {
              throw new AppError(
                'INTERNAL',
                'The PDF could not be made on the server: its font is missing.',
                {
                  logMessage: error.message,
                  cause: error,
                },
              );
            }
            throw error;
          }
          return {
            status: 200,
            headers: {
              'content-type': 'application/pdf',
              'content-disposition': `attachment; filename="${asciiFileName(plan.title, paper)}"; filename*=${utf8FileName(plan.title, paper)}`,
              'cache-control': 'no-store',
              'x-content-type-options': 'nosniff',
            },
            body: bytes,
          };
        },
      },
    },
  ];
}
