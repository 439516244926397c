import type { Plan, PlanSummary } from '@cosell/shared';
import { type ApiClient, ApiError, createApiClient, type TokenSource } from '../api/client';
import { SignInProblem, signedHeaders } from './addin-auth';

/*
 * What the add-in asks of the API: the plans the person may see, one plan, and the plan's one-page PDF
 * (`GET /api/plans/{id}/pdf?paper=letter`, served by functions/src/routes-documents.ts). Plans go through
 * the tab's API client, signed by the add-in's `TokenSource` (addin-auth.ts); the PDF is fetched here, signed
 * the same way, so its announced size can be checked before it is read, and a problem+json answer becomes
 * the same `ApiError` the client throws.
 */

export interface PlanPdf {
  bytes: Uint8Array;
  /** The file name the server suggests (Content-Disposition), when it gives one. */
  fileName?: string;
}

export interface AddinApi {
  me(): Promise<{ displayName: string }>;
  listPlans(): Promise<PlanSummary[]>;
  getPlan(id: string): Promise<Plan>;
  /**
   * The one-page PDF. When the server announces a Content-Length over `maxBytes`, it throws
   * `PdfTooLargeError` without reading the body.
   */
  getPlanPdf(id: string, maxBytes: number): Promise<PlanPdf>;
}

export class PdfTooLargeError extends Error {
  readonly bytes: number;
  constructor(bytes: number) {
    super(`the PDF is ${bytes} bytes`);
    this.name = 'PdfTooLargeError';
    this.bytes = bytes;
  }
}

/** Pages of the plan list the pane reads at most (100 plans each): plenty for one person's plans. */
const MAX_LIST_PAGES = 10;

export function createAddinApi({
  baseUrl = '/api',
  fetch: fetchFn = globalThis.fetch.bind(globalThis),
  tokens,
}: {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Signs every call (addin-auth.ts); without it the API is called unsigned (the local identity). */
  tokens?: TokenSource;
} = {}): AddinApi {
  const client: ApiClient = createApiClient({ baseUrl, fetch: fetchFn, ...(tokens ? { tokens } : {}) });
  return {
    me: () => client.getMe(),
    async listPlans() {
      const plans: PlanSummary[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const result = await client.listPlans({ limit: 100, ...(cursor ? { cursor } : {}) });
        plans.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return plans;
    },
    getPlan: (id) => client.getPlan(id),
    async getPlanPdf(id, maxBytes) {
      let response: Response;
      try {
        response = await fetchFn(`${baseUrl}/plans/${encodeURIComponent(id)}/pdf?paper=letter`, {
          headers: { accept: 'application/pdf, application/problem+json', ...(await signedHeaders(tokens)) },
          credentials: 'same-origin',
        });
      } catch (error) {
        if (error instanceof SignInProblem) {
          throw new ApiError({ status: 401, code: 'SIGN_IN_FAILED', detail: error.message });
        }
        throw new ApiError({
          status: 0,
          code: 'NETWORK',
          detail: 'The Co-Sell Plan service could not be reached. Check your connection and try again.',
        });
      }
      if (!response.ok) throw await problemOf(response);
      const announced = Number(response.headers.get('content-length') ?? Number.NaN);
      if (Number.isFinite(announced) && announced > maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new PdfTooLargeError(announced);
      }
      const type = response.headers.get('content-type') ?? '';
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (!type.includes('application/pdf') || !startsWithPdfMagic(bytes)) {
        throw new ApiError({
          status: 502,
          code: 'BAD_RESPONSE',
          detail:
            'The service sent something that is not a PDF for the plan. Try again; if it persists, tell your admin.',
        });
      }
      if (bytes.length > maxBytes) throw new PdfTooLargeError(bytes.length);
      const fileName = fileNameOf(response.headers.get('content-disposition'));
      return fileName ? { bytes, fileName } : { bytes };
    },
  };
}

function startsWithPdfMagic(bytes: Uint8Array): boolean {
  const magic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
  return magic.every((byte, i) => bytes[i] === byte);
}

/** `attachment; filename="x.pdf"; filename*=UTF-8''x.pdf` → the (decoded) name, preferring filename*. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain =
    /filename\s*=\s*"([^"]*)"/i.exec(disposition)?.[1] ?? /filename\s*=\s*([^;]+)/i.exec(disposition)?.[1];
  return plain?.trim() || undefined;
}

async function problemOf(response: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {};
  try {
    const body: unknown = JSON.parse(await response.text());
    if (body && typeof body === 'object' && !Array.isArray(body)) problem = body as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError({
    status: response.status,
    code: typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
    detail:
      typeof problem.detail === 'string' && problem.detail !== ''
        ? problem.detail
        : `The service answered ${response.status}.`,
  });
}
