import { z } from 'zod';
import { ImportPlanRequest } from './routes-imports';

/*
 * The OpenAPI paths of the Crossbeam import and the exports (routes-imports.ts, routes-exports.ts),
 * spread into the document's `paths` by openapi.ts.
 */

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The plan id',
};

const { $schema: _s, ...importPlanRequest } = z.toJSONSchema(ImportPlanRequest, {
  target: 'draft-2020-12',
  io: 'input',
  unrepresentable: 'any',
}) as Record<string, unknown>;

const preview = {
  type: 'object',
  required: [
    'format',
    'headers',
    'rowCount',
    'accounts',
    'partners',
    'ourPopulations',
    'partnerPopulations',
    'truncated',
    'warnings',
  ],
  properties: {
    format: { type: 'string', enum: ['csv', 'json'] },
    headers: { type: 'array', items: { type: 'string' } },
    rowCount: { type: 'integer' },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'name', 'ourPopulations', 'partnerPopulations', 'partnerNames', 'rowCount'],
        properties: {
          key: { type: 'string', description: '`domain:<domain>` or `name:<normalised name>`' },
          name: { type: 'string' },
          domain: { type: 'string' },
          ourPopulations: { type: 'array', items: { type: 'string' } },
          partnerPopulations: { type: 'array', items: { type: 'string' } },
          partnerNames: { type: 'array', items: { type: 'string' } },
          ownerName: { type: 'string' },
          partnerOwnerName: { type: 'string' },
          overlapSince: { type: 'string', format: 'date' },
          rowCount: { type: 'integer' },
        },
      },
    },
    partners: { type: 'array', items: { type: 'string' } },
    ourPopulations: { type: 'array', items: { type: 'string' } },
    partnerPopulations: { type: 'array', items: { type: 'string' } },
    truncated: {
      type: 'boolean',
      description: 'Exactly 100 rows: a free Crossbeam plan export, probably cut short',
    },
    warnings: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

export const IMPORT_EXPORT_PATHS = {
  '/imports/crossbeam/preview': {
    post: {
      summary: 'Read a Crossbeam export: the accounts it holds, grouped, with partners and populations',
      description:
        'A Crossbeam CSV export (text/csv; headers matched by name and alias) or the JSON of Crossbeam GET /v1/overlaps/accounts (application/json, items under `data` or `items`). UTF-8 without BOM, at most 8 MB and 10,000 rows. Nothing is stored.',
      requestBody: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string' } },
          'application/json': { schema: { type: 'object' } },
        },
      },
      responses: {
        '200': { description: 'The preview', content: { 'application/json': { schema: preview } } },
        '401': problem('No valid sign-in'),
        '413': problem('Larger than 8 MB'),
        '415': problem('Neither text/csv nor application/json'),
        '422': problem(
          'Not readable: not CSV/JSON, UTF-16 or a BOM, no account column (the headers found are named), too many rows',
        ),
      },
    },
  },
  '/imports/crossbeam/plans': {
    post: {
      summary: 'Create a co-sell plan from 1 to 5 accounts of a preview',
      description:
        'The plan id derives from the partner and the account keys: importing the same selection again answers 200 with the plan made the first time. Vendor side only.',
      requestBody: { required: true, content: { 'application/json': { schema: importPlanRequest } } },
      responses: {
        '201': { description: 'Created: { plan, created, needsOwners }' },
        '200': { description: 'Imported before: the existing plan' },
        '401': problem('No valid sign-in'),
        '403': problem('Not the vendor side'),
        '409': problem('Imported before into a plan you are not named on'),
        '422': problem('Not 1 to 5 accounts, an account without a domain, a limit passed, a bad email'),
      },
    },
  },
  '/plans/export.csv': {
    get: {
      summary: 'The plans you see as CSV (formula-like cells neutralised)',
      parameters: [
        { name: 'channel', in: 'query', schema: { type: 'string' } },
        { name: 'status', in: 'query', schema: { type: 'string' }, description: 'Comma-separated statuses' },
        {
          name: 'bom',
          in: 'query',
          schema: { type: 'string', enum: ['true', 'false'] },
          description: 'UTF-8 byte-order mark for Excel (default true)',
        },
      ],
      responses: {
        '200': { description: 'RFC 4180 CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        '400': problem('A query parameter is not valid'),
        '401': problem('No valid sign-in'),
      },
    },
  },
  '/plans/{id}/export.json': {
    parameters: [idParam],
    get: {
      summary: 'The plan as JSON, as you may see it (another partner’s economics removed)',
      responses: {
        '200': {
          description: 'The plan',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Plan' } } },
        },
        '401': problem('No valid sign-in'),
        '404': problem('No such plan (or not visible to you)'),
      },
    },
  },
};
