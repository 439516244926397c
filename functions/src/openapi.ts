import { Operation, OperationsRequest, Plan, PlanWrite, QualificationAnswers } from '@cosell/shared';
import { z } from 'zod';

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
  return cached;
}
