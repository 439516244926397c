import type {
  CadenceBooking,
  CadenceSettings,
  EscalationRecord,
  Plan,
  ReviewModel,
  ReviewSnapshot,
} from '@cosell/shared';
import type { ApiClient, RequestOptions } from '../api/client';

/*
 * The cadence and review routes of the API (functions/src/routes-cadence.ts) for the tab, through the
 * signed API client. The shapes mirror what the server answers (functions/src/use-cases/*-service.ts).
 */

export interface ReviewPageData extends ReviewModel {
  attendees: { id: string; name: string; email: string; side: string }[];
  lastReviewedOn: string | null;
  /** Who was told the plan stalled (issue 8), with the partners their chains belong to. */
  partners: { id: string; name: string }[];
  escalations: EscalationRecord[];
  history: { id: string; closedOn: string; closedBy: string }[];
}

export interface CloseReviewAnswer {
  snapshot: ReviewSnapshot;
  planVersion: number;
  closed: boolean;
  /** `via: 'outbox'`: the embedded mode keeps the mail in the outbox the tab shows (#/outbox). */
  mail: { sent: boolean; duplicate: boolean; to: string[]; error?: string; via?: 'outbox' | 'graph' };
}

export interface CadenceStateData {
  planId: string;
  planVersion: number;
  contentVersion: number;
  status: Plan['status'];
  settings: CadenceSettings | null;
  attendeeIds: string[];
  defaultAttendeeIds: string[];
  booking: Omit<CadenceBooking, 'refreshClaims'> | null;
  series: {
    id: string;
    subject: string;
    description: string;
    organiser: { address: string; name?: string };
    attendees: { email: string; name: string }[];
    planVersion: number | null;
    carriesCurrentPlan: boolean;
    attachment: { filename: string; size: number } | null;
    joinUrl: string | null;
    webLink: string | null;
  } | null;
  nextMeetings: { start: string; end: string; carriesCurrentPlan: boolean | null }[];
  inviteShowsEconomics:
    | { kind: 'all' }
    | { kind: 'partner'; partnerId: string; partnerName: string }
    | { kind: 'none' };
  capabilities: { freeBusy: boolean; onlineMeeting: boolean; sendsInvitations: boolean };
  icsUrl: string | null;
}

export interface CadenceInputData {
  weekday: CadenceSettings['weekday'];
  time: string;
  timeZone: string;
  startsOn: string;
  endsOn?: string | null;
  attendeeIds: string[];
}

export type SlotAnswer =
  | {
      available: true;
      slot: {
        weekday: CadenceSettings['weekday'];
        time: string;
        timeZone: string;
        startsOn: string;
        start: string;
      };
    }
  | { available: false; reason: string };

const path = (planId: string, rest: string) => `/plans/${encodeURIComponent(planId)}/${rest}`;

export function getReview(
  api: ApiClient,
  planId: string,
  options: RequestOptions = {},
): Promise<ReviewPageData> {
  return api.requestJson('GET', path(planId, 'review'), options) as Promise<ReviewPageData>;
}

export function closeReview(api: ApiClient, planId: string, reviewId: string): Promise<CloseReviewAnswer> {
  return api.requestJson('POST', path(planId, 'review/close'), {
    body: { reviewId },
  }) as Promise<CloseReviewAnswer>;
}

export function getCadence(
  api: ApiClient,
  planId: string,
  options: RequestOptions = {},
): Promise<CadenceStateData> {
  return api.requestJson('GET', path(planId, 'cadence'), options) as Promise<CadenceStateData>;
}

export function setCadence(
  api: ApiClient,
  planId: string,
  input: CadenceInputData,
): Promise<CadenceStateData> {
  return api.requestJson('PUT', path(planId, 'cadence'), { body: input }) as Promise<CadenceStateData>;
}

export function cancelCadence(api: ApiClient, planId: string): Promise<CadenceStateData> {
  return api.requestJson('DELETE', path(planId, 'cadence')) as Promise<CadenceStateData>;
}

export function suggestSlot(
  api: ApiClient,
  planId: string,
  timeZone: string,
  attendeeIds: string[],
): Promise<SlotAnswer> {
  return api.requestJson('POST', path(planId, 'cadence/suggest-slot'), {
    body: { timeZone, attendeeIds },
  }) as Promise<SlotAnswer>;
}

/** A new id for a review being closed (retries of the same close reuse it). */
export function newReviewId(): string {
  return (
    globalThis.crypto?.randomUUID?.() ??
    `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
  );
}
