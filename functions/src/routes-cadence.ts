import type { HttpResponseInit } from '@azure/functions';
import {
  CadenceSettings,
  type CalendarOrganiser,
  defaultAttendeeIds,
  Id,
  IsoDateSchema,
  WEEKDAYS,
} from '@cosell/shared';
import { z } from 'zod';
import { AppError } from './app-error';
import type { ApiRequest } from './http/api-request';
import { toJson } from './http/plan-json';
import { readJsonBody, validationError } from './http/request';
import type { Caller } from './identity/authenticator';
import type { ApiServices, RouteDefinition } from './routes';
import type { CadenceService } from './use-cases/cadence-service';
import type { ReviewService } from './use-cases/review-service';

/*
 * The weekly cadence and the review (issue 7):
 *   GET    /api/plans/{id}/cadence               series state and the next meetings
 *   PUT    /api/plans/{id}/cadence               the settings; books or reschedules the series
 *   DELETE /api/plans/{id}/cadence               cancels the series (attendees notified)
 *   GET    /api/plans/{id}/cadence.ics           the series as an RFC 5545 file (the plan PDF attached)
 *   POST   /api/plans/{id}/cadence/suggest-slot  a weekly half hour free for the vendor attendees
 *   GET    /api/plans/{id}/review                the review, account by account, against the last snapshot
 *   POST   /api/plans/{id}/review/close          stores a snapshot, records the review, mails the summary
 * Every route reads the plan through the access rules first (404 for a plan the caller may not read).
 */

export interface CadenceServices {
  cadence: CadenceService;
  review: ReviewService;
  /** The signed-in user as the calendar's organiser (on-behalf-of), where the calendar books as the user. */
  organiserFor?: (request: ApiRequest, caller: Caller) => CalendarOrganiser | undefined;
}

/** The body of PUT …/cadence: the settings; `durationMinutes` is 30 and `attendeeIds` default to the plan's owners. */
export const CadenceInput = z.strictObject({
  weekday: z.enum(WEEKDAYS, { error: `weekday is one of ${WEEKDAYS.join(', ')}` }),
  time: CadenceSettings.shape.time,
  timeZone: CadenceSettings.shape.timeZone,
  startsOn: IsoDateSchema,
  endsOn: IsoDateSchema.nullable().optional(),
  durationMinutes: CadenceSettings.shape.durationMinutes.optional(),
  attendeeIds: z.array(Id).max(40, { error: 'at most 40 attendees' }).optional(),
});
export type CadenceInput = z.infer<typeof CadenceInput>;

export const SuggestSlotInput = z.strictObject({
  timeZone: CadenceSettings.shape.timeZone,
  attendeeIds: z.array(Id).max(40).optional(),
});

export const CloseReviewInput = z.strictObject({
  /** The client's id for this review, so that closing it twice stores and mails once. */
  reviewId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
    error: 'a review id is 1 to 64 letters, digits, "-" or "_" (a UUID fits)',
  }),
});

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function json(status: number, body: unknown): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...HEADERS },
    body: toJson(body),
  };
}

function planIdOf(request: ApiRequest): string {
  const id = request.params.id ?? '';
  if (!Id.safeParse(id).success) throw new AppError('NOT_FOUND', 'There is no such plan.');
  return id;
}

function noQuery(request: ApiRequest): void {
  const unknown = [...new Set([...request.query.keys()])];
  if (unknown.length === 0) return;
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

function servicesOf(services: ApiServices): CadenceServices {
  if (!services.cadence)
    throw new AppError('NOT_FOUND', 'The weekly cadence is not configured on this server.');
  return services.cadence;
}

/** The settings of a PUT, with defaults filled from the plan. */
export function settingsOf(input: CadenceInput, defaults: { attendeeIds: string[] }): CadenceSettings {
  const candidate = {
    weekday: input.weekday,
    time: input.time,
    timeZone: input.timeZone,
    startsOn: input.startsOn,
    ...(input.endsOn ? { endsOn: input.endsOn } : {}),
    durationMinutes: input.durationMinutes ?? 30,
    attendeeIds: input.attendeeIds ?? defaults.attendeeIds,
  };
  const parsed = CadenceSettings.safeParse(candidate);
  if (!parsed.success) throw validationError(parsed.error, 'The weekly meeting was not set');
  return parsed.data;
}

export function cadenceRoutes(services: ApiServices): RouteDefinition[] {
  const { auth } = services;
  const asUser = (request: ApiRequest, caller: Caller) => services.cadence?.organiserFor?.(request, caller);
  return [
    {
      name: 'plan-cadence',
      route: 'plans/{id}/cadence',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          noQuery(request);
          const { cadence } = servicesOf(services);
          return json(200, await cadence.state(planIdOf(request), caller, asUser(request, caller)));
        },
        PUT: async (request) => {
          const caller = await auth.caller(request);
          const id = planIdOf(request);
          const { cadence } = servicesOf(services);
          const input = await readJsonBody(request, CadenceInput, 'The weekly meeting was not set');
          const plan = await services.access.get(id, caller);
          const settings = settingsOf(input, {
            attendeeIds: plan.cadence?.attendeeIds ?? defaultAttendeeIds(plan),
          });
          return json(200, await cadence.configure(id, settings, caller, asUser(request, caller)));
        },
        DELETE: async (request) => {
          const caller = await auth.caller(request);
          const { cadence } = servicesOf(services);
          return json(200, await cadence.cancel(planIdOf(request), caller, asUser(request, caller)));
        },
      },
    },
    {
      name: 'plan-cadence-ics',
      route: 'plans/{id}/cadence.ics',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          noQuery(request);
          const { cadence } = servicesOf(services);
          const { ics, filename } = await cadence.ics(planIdOf(request), caller, asUser(request, caller));
          return {
            status: 200,
            headers: {
              'content-type': 'text/calendar; charset=utf-8; method=REQUEST',
              'content-disposition': `attachment; filename="${filename}"`,
              ...HEADERS,
            },
            body: ics,
          };
        },
      },
    },
    {
      name: 'plan-cadence-suggest-slot',
      route: 'plans/{id}/cadence/suggest-slot',
      methods: {
        POST: async (request) => {
          const caller = await auth.caller(request);
          const { cadence } = servicesOf(services);
          const input = await readJsonBody(request, SuggestSlotInput, 'No slot was looked for');
          return json(
            200,
            await cadence.suggestSlot(
              planIdOf(request),
              caller,
              { timeZone: input.timeZone, attendeeIds: input.attendeeIds },
              asUser(request, caller),
            ),
          );
        },
      },
    },
    {
      name: 'plan-review',
      route: 'plans/{id}/review',
      methods: {
        GET: async (request) => {
          const caller = await auth.caller(request);
          noQuery(request);
          const { review } = servicesOf(services);
          return json(200, await review.review(planIdOf(request), caller));
        },
      },
    },
    {
      name: 'plan-review-close',
      route: 'plans/{id}/review/close',
      methods: {
        POST: async (request) => {
          const caller = await auth.caller(request);
          const { review } = servicesOf(services);
          const input = await readJsonBody(request, CloseReviewInput, 'The review was not closed');
          const result = await review.close(planIdOf(request), input.reviewId, caller);
          return json(result.closed ? 201 : 200, result);
        },
      },
    },
  ];
}
