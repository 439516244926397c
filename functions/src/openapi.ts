import { Operation, OperationsRequest, Plan, PlanWrite, QualificationAnswers } from '@cosell/shared';
import { z } from 'zod';
import { withAuthDocumentation } from './openapi-auth';
import { CADENCE_PATHS } from './openapi-cadence';
import { IMPORT_EXPORT_PATHS } from './openapi-imports';
import { NOTIFICATION_PATHS } from './openapi-notifications';

/*
 * OpenAPI 3.1 generated from the shared zod schemas (OpenAPI 3.1 uses JSON Schema 2020-12, which is what
 * `z.toJSONSchema` writes). Built once per process.
 */

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: unknown) => ({ 'application/json': { schema } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The plan id',
};
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description:
    'The ETag of the plan version being changed, e.g. "3". A stale one gets 412 with the current plan.',
};

const commonErrors = {
  '401': problem('No valid sign-in'),
  '404': problem('No such plan (or not visible to you)'),
};

let cached: JsonSchema | undefined;

export function buildOpenApiDocument(version: string): JsonSchema {
  if (cached) return cached;
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Co-Sell Plan API',
      version,
      description:
        'One-page co-sell plans between a vendor, its partners and the buyer. Errors are application/problem+json (RFC 9457) with field paths. Writes of a whole plan need If-Match; quick-update operations merge on the server.',
    },
    servers: [{ url: '/api' }],
    paths: {
      '/health': { get: { summary: 'Service health', responses: { '200': { description: 'Up' } } } },
      '/me': {
        get: {
          summary: 'Who the API thinks you are',
          responses: { '200': { description: 'The caller' }, ...commonErrors },
        },
      },
      '/me/work': {
        get: {
          summary: 'My co-sell: my open actions and upcoming milestones across the plans I can see',
          description:
            'Open joint actions and not-done milestones owned by the caller (matched by email) on draft and active plans, due soonest first, each with the plan id and title, item id, due date, overdue flag and blocker; with the people of those plans for reassigning. `truncated` is true when the caller is named on more plans than one answer reads.',
          responses: {
            '200': {
              description: 'The work',
              content: jsonContent({
                type: 'object',
                required: ['person', 'today', 'items', 'plans', 'truncated'],
                properties: {
                  person: { type: 'string' },
                  today: { type: 'string', format: 'date' },
                  truncated: { type: 'boolean' },
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: [
                        'kind',
                        'planId',
                        'planTitle',
                        'planVersion',
                        'itemId',
                        'title',
                        'due',
                        'overdue',
                        'status',
                        'ownerId',
                      ],
                      properties: {
                        kind: { type: 'string', enum: ['action', 'milestone'] },
                        planId: { type: 'string' },
                        planTitle: { type: 'string' },
                        planVersion: { type: 'integer' },
                        itemId: { type: 'string' },
                        title: { type: 'string' },
                        due: { type: 'string', format: 'date' },
                        overdue: { type: 'boolean' },
                        status: { type: 'string' },
                        blocker: { type: 'string' },
                        ownerId: { type: 'string' },
                        accountName: { type: 'string' },
                        milestoneTitle: { type: 'string' },
                      },
                    },
                  },
                  plans: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'title', 'version', 'people'],
                      properties: {
                        id: { type: 'string' },
                        title: { type: 'string' },
                        version: { type: 'integer' },
                        people: {
                          type: 'array',
                          items: {
                            type: 'object',
                            required: ['id', 'name', 'side'],
                            properties: {
                              id: { type: 'string' },
                              name: { type: 'string' },
                              side: { type: 'string', enum: ['vendor', 'partner', 'buyer'] },
                              partnerId: { type: 'string' },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              }),
            },
            '400': problem('A query parameter that this route does not take'),
            '401': problem('No valid sign-in'),
          },
        },
      },
      '/plans': {
        get: {
          summary: 'List plans',
          parameters: [
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string' },
              description: 'Comma-separated statuses',
            },
            { name: 'stalled', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
            {
              name: 'person',
              in: 'query',
              schema: { type: 'string' },
              description: 'Email of someone named on the plan',
            },
            { name: 'channel', in: 'query', schema: { type: 'string' }, description: 'Teams channel id' },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
            },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: 'nextCursor of the previous page',
            },
          ],
          responses: {
            '200': { description: 'A page of plan summaries', content: jsonContent(ref('PlanPage')) },
            '400': problem('A query parameter is not valid'),
            '401': problem('No valid sign-in'),
          },
        },
        post: {
          summary: 'Create a plan',
          description:
            'Send an `id` of your choosing to make the create safe to retry: the same content again answers 200 with the stored plan.',
          requestBody: { required: true, content: jsonContent(ref('PlanWrite')) },
          responses: {
            '201': { description: 'Created', content: jsonContent(ref('Plan')) },
            '200': {
              description: 'The same create again: the stored plan',
              content: jsonContent(ref('Plan')),
            },
            '400': problem('Malformed JSON'),
            '409': problem('The id is taken by a different plan'),
            '413': problem('Body too large'),
            '415': problem('Not JSON'),
            '422': problem('The plan breaks a rule; `errors` names each field'),
          },
        },
      },
      '/plans/{id}': {
        parameters: [idParam],
        get: {
          summary: 'Get a plan (with ETag)',
          responses: {
            '200': { description: 'The plan', content: jsonContent(ref('Plan')) },
            '304': { description: 'Not modified' },
            ...commonErrors,
          },
        },
        put: {
          summary: 'Replace a plan',
          parameters: [ifMatch],
          requestBody: { required: true, content: jsonContent(ref('PlanWrite')) },
          responses: {
            '200': { description: 'Saved', content: jsonContent(ref('Plan')) },
            '412': problem('Someone saved first; `current` holds the plan as it is now'),
            '422': problem('The plan breaks a rule'),
            '428': problem('If-Match missing'),
            ...commonErrors,
          },
        },
        delete: {
          summary: 'Delete a plan (its history is kept)',
          parameters: [ifMatch],
          responses: {
            '204': { description: 'Deleted' },
            '412': problem('Someone saved first'),
            '428': problem('If-Match missing'),
            ...commonErrors,
          },
        },
      },
      '/plans/{id}/operations': {
        parameters: [idParam],
        post: {
          summary: 'Apply quick updates',
          description:
            'Operations merge with concurrent changes: when someone saved first, the server applies them again to the current plan.',
          requestBody: { required: true, content: jsonContent(ref('OperationsRequest')) },
          responses: {
            '200': { description: 'Applied: the plan, the change sentences and the new health' },
            '422': problem('An operation does not fit the plan; `errors` names it'),
            '503': problem('Too much contention; retry'),
            ...commonErrors,
          },
        },
      },
      '/plans/{id}/health': {
        parameters: [idParam],
        get: {
          summary: 'Completeness, stalls, decay and late items by side',
          responses: { '200': { description: 'Health' }, ...commonErrors },
        },
      },
      '/plans/{id}/history': {
        parameters: [idParam],
        get: {
          summary: 'Who changed what, when (newest first)',
          responses: { '200': { description: 'History page' }, ...commonErrors },
        },
      },
      '/plans/{id}/pdf': {
        parameters: [idParam],
        get: {
          summary: 'The one-page plan as a PDF (as your side may see it)',
          parameters: [
            {
              name: 'paper',
              in: 'query',
              schema: { type: 'string', enum: ['letter', 'a4'], default: 'letter' },
              description: 'Paper size: US Letter or ISO A4; the plan is laid out on exactly one page',
            },
          ],
          responses: {
            '200': {
              description:
                'The PDF, as an attachment (`content-disposition` with an ASCII `filename` and a UTF-8 `filename*`)',
              content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
            },
            '400': problem('paper is not letter or a4, or an unknown query parameter'),
            ...commonErrors,
          },
        },
      },
      ...IMPORT_EXPORT_PATHS,
      ...NOTIFICATION_PATHS,
      ...CADENCE_PATHS,
      '/qualify': {
        post: {
          summary: 'Do you need a co-sell plan?',
          requestBody: { required: true, content: jsonContent(ref('QualificationAnswers')) },
          responses: {
            '200': { description: 'The recommendation and its reasons' },
            '422': problem('Answers not valid'),
          },
        },
      },
    },
    components: {
      schemas: {
        Plan: schemaOf(Plan, 'output'),
        PlanWrite: schemaOf(PlanWrite, 'input'),
        Operation: schemaOf(Operation, 'input'),
        OperationsRequest: schemaOf(OperationsRequest, 'input'),
        QualificationAnswers: schemaOf(QualificationAnswers, 'input'),
        PlanPage: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: { type: 'object' } }, nextCursor: { type: 'string' } },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'pointer', 'message'],
                properties: {
                  path: { type: 'string' },
                  pointer: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
            current: ref('Plan'),
          },
        },
      },
    },
  };
  cached = withAuthDocumentation(cached);
  return cached;
}
