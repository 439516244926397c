import { z } from 'zod';
import { CadenceInput, CloseReviewInput, SuggestSlotInput } from './routes-cadence';

/*
 * The OpenAPI paths of the weekly cadence and the review (routes-cadence.ts, issue 7), spread into the
 * document's `paths` by openapi.ts. Request bodies come from the same zod schemas the routes check.
 */

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

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
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errors = {
  '401': problem('No valid sign-in'),
  '404': problem('No such plan (or not visible to you)'),
};

const cadenceState = {
  type: 'object',
  description:
    'The cadence settings, the booking (`state` booking/booked/cancelled), the series as the calendar has it, the next meetings and whether their invites carry the current plan, and whose economics the invite shows.',
  required: [
    'planId',
    'planVersion',
    'contentVersion',
    'settings',
    'attendeeIds',
    'booking',
    'series',
    'nextMeetings',
  ],
  properties: {
    planId: { type: 'string' },
    planVersion: { type: 'integer' },
    contentVersion: { type: 'integer' },
    settings: { type: ['object', 'null'] },
    attendeeIds: { type: 'array', items: { type: 'string' } },
    defaultAttendeeIds: { type: 'array', items: { type: 'string' } },
    booking: { type: ['object', 'null'] },
    series: { type: ['object', 'null'] },
    nextMeetings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          start: { type: 'string', format: 'date-time' },
          end: { type: 'string', format: 'date-time' },
          carriesCurrentPlan: { type: ['boolean', 'null'] },
        },
      },
    },
    inviteShowsEconomics: { type: 'object' },
    capabilities: { type: 'object' },
    icsUrl: { type: ['string', 'null'] },
  },
};

export const CADENCE_PATHS = {
  '/plans/{id}/cadence': {
    get: {
      summary: 'The weekly meeting: settings, series, next meetings',
      parameters: [idParam],
      responses: { '200': { description: 'The cadence state', content: json(cadenceState) }, ...errors },
    },
    put: {
      summary: 'Set the weekly meeting: books the series, or reschedules it and changes its attendees',
      description:
        '30 minutes, weekly, in the IANA time zone given; attendees default to the plan’s vendor and partner owners (never the buyer). The invite carries the one-page plan (only what every invitee may see) and the PDF. The settings are saved even when the calendar does not answer (503).',
      parameters: [idParam],
      requestBody: { required: true, content: json(schemaOf(CadenceInput)) },
      responses: {
        '200': { description: 'The cadence state after booking', content: json(cadenceState) },
        ...errors,
        '415': problem('Not JSON'),
        '422': problem('A setting does not fit the plan (field named)'),
        '503': problem('The calendar did not answer; the settings are saved'),
      },
    },
    delete: {
      summary: 'Remove the weekly meeting: cancels the series (attendees notified)',
      parameters: [idParam],
      responses: {
        '200': { description: 'The cadence state after cancelling', content: json(cadenceState) },
        ...errors,
      },
    },
  },
  '/plans/{id}/cadence.ics': {
    get: {
      summary: 'The series as an RFC 5545 file (weekly RRULE, VTIMEZONE, attendees, the plan PDF attached)',
      parameters: [idParam],
      responses: {
        '200': { description: 'text/calendar', content: { 'text/calendar': { schema: { type: 'string' } } } },
        ...errors,
        '403': problem('The invite shows economics your side does not see'),
      },
    },
  },
  '/plans/{id}/cadence/suggest-slot': {
    post: {
      summary:
        'A weekly half hour free for the vendor attendees (Outlook free/busy), where the calendar can tell',
      parameters: [idParam],
      requestBody: { required: true, content: json(schemaOf(SuggestSlotInput)) },
      responses: {
        '200': { description: '`{ available: true, slot }` or `{ available: false, reason }`' },
        ...errors,
        '422': problem('Not a time zone'),
      },
    },
  },
  '/plans/{id}/review': {
    get: {
      summary: 'The weekly review: account by account, and what changed since the last closed review',
      parameters: [idParam],
      responses: { '200': { description: 'The review model' }, ...errors },
    },
  },
  '/plans/{id}/review/close': {
    post: {
      summary:
        'Close the review: stores a snapshot, records the review (clears decay), mails the attendees a summary',
      description: 'Retry-safe: the same `reviewId` stores one snapshot and sends one summary.',
      parameters: [idParam],
      requestBody: { required: true, content: json(schemaOf(CloseReviewInput)) },
      responses: {
        '201': { description: 'Closed now' },
        '200': { description: 'Closed before (a retried close)' },
        ...errors,
        '422': problem('A draft plan, or a bad review id'),
      },
    },
  },
};
