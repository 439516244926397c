import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AppError } from './app-error';
import type { ApiRequest } from './http/api-request';
import { toJson } from './http/plan-json';
import { readJsonBody } from './http/request';
import type { ApiServices, RouteDefinition } from './routes';
import {
  CROSSBEAM_MAX_UPLOAD_BYTES,
  CrossbeamImportService,
  type ImportPlanInput,
  slices,
} from './use-cases/crossbeam-import-service';

/*
 * Crossbeam imports (issue 10):
 *   POST /api/imports/crossbeam/preview   a CSV export (text/csv) or the API's JSON (application/json) →
 *                                         the accounts grouped, their partners and populations, flags
 *   POST /api/imports/crossbeam/plans     1 to 5 accounts of a preview → a new plan (the same selection
 *                                         imported twice answers the plan made the first time)
 */

const CSV_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/comma-separated-values',
  'application/vnd.ms-excel',
  'text/plain',
]);
const JSON_TYPES = new Set(['application/json']);

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { ...HEADERS, ...headers }, body: toJson(body) };
}

const MB = (n: number) => `${(n / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

function tooLarge(): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The file is larger than ${MB(CROSSBEAM_MAX_UPLOAD_BYTES)}, the most one import reads. Filter the Crossbeam report (a partner, a population) and export again.`,
    { headers: { connection: 'close' } },
  );
}

/** `csv` or `json` from the Content-Type; 415 for anything else, and a clear error for a UTF-16 charset. */
function formatOf(request: ApiRequest): 'csv' | 'json' {
  const contentType = request.headers.get('content-type') ?? '';
  const [media = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  const format = CSV_TYPES.has(media) ? 'csv' : JSON_TYPES.has(media) ? 'json' : undefined;
  if (!format) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the Crossbeam export as text/csv, or the JSON of GET /v1/overlaps/accounts as application/json (got ${contentType ? JSON.stringify(contentType.slice(0, 60)) : 'no Content-Type'}).`,
      { headers: { 'accept-post': 'text/csv, application/json' } },
    );
  }
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw new AppError(
      'IMPORT_REJECTED',
      `The file is sent as ${charset}: export it as UTF-8 without BOM (in Excel: "CSV UTF-8") and import it again.`,
      {
        errors: [{ path: 'file', pointer: '/file', message: `the charset ${charset} is not UTF-8` }],
        extensions: { importError: charset.startsWith('utf-16') ? 'utf-16' : 'not-utf-8' },
      },
    );
  }
  return format;
}

/**
 * The body as chunks, never more than the limit: a declared Content-Length over it is refused before a
 * byte is read; a streamed body (Azure's `request.body`) is read chunk by chunk and refused as soon as it
 * passes the limit; a body the host has already buffered (the local host, within the route's limit) is
 * handed on in slices.
 */
async function* bodyChunks(request: ApiRequest): AsyncGenerator<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > CROSSBEAM_MAX_UPLOAD_BYTES) throw tooLarge();
  const stream = (request as ApiRequest & { body?: unknown }).body;
  if (stream && typeof stream === 'object' && Symbol.asyncIterator in stream) {
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > CROSSBEAM_MAX_UPLOAD_BYTES) throw tooLarge();
      yield chunk;
    }
    return;
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > CROSSBEAM_MAX_UPLOAD_BYTES) throw tooLarge();
  yield* slices(bytes);
}

const text = (max: number, what: string) =>
  z.string({ error: `${what} is text` }).max(max, { error: `${what} is at most ${max} characters` });
const list = (what: string) => z.array(text(200, what)).max(200, { error: `at most 200 ${what}s` });

/** An account as the preview gave it (the tab may send it back as it is). */
const ImportAccount = z.object({
  key: text(300, 'the account key').min(1, { error: 'the account key is required' }),
  name: text(300, 'the account name'),
  domain: text(300, 'the web domain').optional(),
  ourPopulations: list('population').default([]),
  partnerPopulations: list('partner population').default([]),
  partnerNames: list('partner name').default([]),
  ownerName: text(200, 'the account owner').optional(),
  ownerEmail: text(254, "the account owner's email").optional(),
  partnerOwnerName: text(200, "the partner's account owner").optional(),
  partnerOwnerEmail: text(254, "the partner's account owner's email").optional(),
  partnerCompanyName: text(300, "the partner's company name").optional(),
  overlapSince: text(10, 'the overlap date').optional(),
  customerOf: list('customer').default([]),
  recordIds: list('record id').default([]),
  rowCount: z.number().int().min(0).default(1),
});

export const ImportPlanRequest = z.strictObject({
  partnerName: text(200, 'the partner name'),
  title: text(200, 'the plan title').optional(),
  accounts: z
    .array(ImportAccount)
    .min(1, { error: 'pick at least 1 account' })
    .max(20, { error: 'pick at most 5 accounts' }),
  owners: z
    .array(
      z.strictObject({
        side: z.enum(['vendor', 'partner'], { error: 'side is vendor or partner' }),
        name: text(200, 'the owner name'),
        email: text(254, 'the email'),
        firstName: text(200, 'the first name').optional(),
        lastName: text(200, 'the last name').optional(),
      }),
    )
    .max(20, { error: 'at most 20 owners' })
    .optional(),
  channelId: z.string().min(1).max(200).optional(),
});

export function importRoutes(services: ApiServices): RouteDefinition[] {
  const { auth, access } = services;
  const imports = new CrossbeamImportService({ access, today: () => services.plans.today() });
  return [
    {
      name: 'crossbeam-import-preview',
      route: 'imports/crossbeam/preview',
      maxBodyBytes: CROSSBEAM_MAX_UPLOAD_BYTES,
      methods: {
        POST: async (request) => {
          await auth.caller(request);
          const format = formatOf(request);
          const preview = await imports.preview(bodyChunks(request), format);
          return json(200, preview);
        },
      },
    },
    {
      name: 'crossbeam-import-plans',
      route: 'imports/crossbeam/plans',
      methods: {
        POST: async (request) => {
          const caller = await auth.caller(request);
          const body = await readJsonBody(request, ImportPlanRequest, 'The plan was not created');
          const input: ImportPlanInput = {
            partnerName: body.partnerName,
            accounts: body.accounts.map((a) => ({ ...a })),
            ...(body.title !== undefined ? { title: body.title } : {}),
            ...(body.owners ? { owners: body.owners } : {}),
            ...(body.channelId ? { channelId: body.channelId } : {}),
          };
          const result = await imports.createPlan(input, caller);
          return json(result.created ? 201 : 200, result, {
            location: `/api/plans/${encodeURIComponent(result.plan.id)}`,
            etag: `"${result.plan.version}"`,
          });
        },
      },
    },
  ];
}
