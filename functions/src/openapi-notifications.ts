/*
 * The OpenAPI paths of notifications (routes-notifications.ts), spread into the document's `paths` by
 * openapi.ts.
 */

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const address = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', format: 'email' }, name: { type: 'string' } },
};

const storedMail = {
  type: 'object',
  required: ['id', 'idempotencyKey', 'category', 'to', 'subject', 'text', 'sentAt', 'activity'],
  properties: {
    id: { type: 'string' },
    idempotencyKey: {
      type: 'string',
      description: 'Sent once per key: an escalation is `escalation:{plan}:{stall start}:{chain}:{level}`.',
    },
    category: { type: 'string', examples: ['escalation', 'review-summary'] },
    planId: { type: 'string' },
    to: { type: 'array', items: address },
    cc: { type: 'array', items: address },
    subject: { type: 'string' },
    text: { type: 'string', description: 'The text/plain body.' },
    html: { type: 'string', description: 'The email-safe HTML body, when there is one.' },
    sentAt: { type: 'string', format: 'date-time' },
    activity: {
      type: 'array',
      description: 'Teams activity-feed notifications asked for (vendor-tenant people only).',
      items: {
        type: 'object',
        required: ['userId', 'previewText', 'webUrl'],
        properties: {
          userId: { type: 'string' },
          previewText: { type: 'string' },
          webUrl: { type: 'string' },
        },
      },
    },
  },
};

export const NOTIFICATION_PATHS = {
  '/admin/timers/{name}': {
    post: {
      summary: 'LOCAL DEVELOPMENT ONLY: run a timer now (e.g. escalate-stalled-plans)',
      description:
        'Answers only with the local development identity, from this machine; 404 with Entra sign-in (every deployment). Answers what the job did.',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The run: `{ timer, result, log }`' },
        '401': problem('Not from this machine'),
        '404': problem('No such timer, or not the local development identity'),
      },
    },
  },
  '/outbox': {
    get: {
      summary: 'The embedded outbox: notifications sent in the local mode, newest first',
      description:
        'Only where mail goes to the embedded outbox (COSELL_MAIL=outbox, the default); 404 where it goes through Microsoft Graph. The local development identity sees every message; a signed-in person sees the messages addressed to them.',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
        {
          name: 'cursor',
          in: 'query',
          schema: { type: 'string' },
          description: 'A previous page’s nextCursor',
        },
        {
          name: 'plan',
          in: 'query',
          schema: { type: 'string' },
          description: 'Only messages about this plan',
        },
      ],
      responses: {
        '200': {
          description: 'A page of messages',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['items'],
                properties: { items: { type: 'array', items: storedMail }, nextCursor: { type: 'string' } },
              },
            },
          },
        },
        '400': problem('A query parameter is not valid (named in `errors`)'),
        '401': problem('No valid sign-in'),
        '404': problem('There is no outbox: mail goes through Microsoft Graph'),
      },
    },
  },
};
