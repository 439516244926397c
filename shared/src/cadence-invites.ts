import { redactPlanFor, redactSummaryFor, type ViewerSide } from './access';
import {
  type CalendarAttendee,
  occurrenceStart,
  type PersonSchedule,
  type SeriesSchedule,
  weekdayOf,
} from './calendar';
import { addDays, type IsoDate } from './dates';
import { assessHealth, type PlanHealth, summarizePlan } from './health';
import type { CadenceBooking, CadenceSettings, Person, Plan } from './plan-schema';
import type { Role } from './vocabulary';
import { WEEKDAYS } from './vocabulary';

/*
 * The weekly cadence's invites (SPEC §5, issue 7), pure: who is invited by default, what every invitee may
 * see (an invite goes to several sides at once: only what all of them may see), which version of the plan
 * an invite must carry, and a slot free for the vendor attendees. The cadence service
 * (functions/src/use-cases/cadence-service.ts) does the I/O.
 */

/** The cadence service's name in the plan history. */
export const CADENCE_ACTOR = { id: 'cosell-cadence', displayName: 'Co-Sell cadence' } as const;

/** Roles invited by default: the vendor and partner owners of SPEC §5 (never the buyer). */
export const DEFAULT_ATTENDEE_ROLES: readonly Role[] = [
  'account-executive',
  'vendor-partner-manager',
  'alignment-specialist',
  'partner-counterpart',
  'partner-manager',
];

/** The default attendees: vendor and partner owners in the roles above, in plan order. */
export function defaultAttendeeIds(plan: Pick<Plan, 'people'>): string[] {
  return plan.people
    .filter((p) => p.side !== 'buyer' && DEFAULT_ATTENDEE_ROLES.includes(p.role))
    .map((p) => p.id);
}

/** The people invited: the cadence's attendees that are still vendor or partner people of the plan. */
export function invitedPeople(plan: Pick<Plan, 'people'>, attendeeIds: readonly string[]): Person[] {
  const byId = new Map(plan.people.map((p) => [p.id, p]));
  return attendeeIds.flatMap((id) => {
    const p = byId.get(id);
    return p && p.side !== 'buyer' ? [p] : [];
  });
}

export function calendarAttendees(people: readonly Person[]): CalendarAttendee[] {
  return people.map((p) => ({ email: p.email, name: `${p.firstName} ${p.lastName}` }));
}

/**
 * What every invitee may see: the vendor side when all invitees are vendor people; partner X when the
 * partner-side invitees are all X's people (the vendor sees X's economics too); otherwise no side — an
 * invite to two partners carries no economics at all.
 */
export function inviteSide(invitees: readonly Pick<Person, 'side' | 'partnerId'>[]): ViewerSide {
  const partners = new Set(invitees.filter((p) => p.side === 'partner').map((p) => p.partnerId ?? ''));
  if (invitees.some((p) => p.side === 'buyer')) return { kind: 'none' };
  if (partners.size === 0) return { kind: 'vendor' };
  const [only] = [...partners];
  return partners.size === 1 && only ? { kind: 'partner', partnerId: only } : { kind: 'none' };
}

/** The side that sees the least of two: what both may see. */
export function narrowerSide(a: ViewerSide, b: ViewerSide): ViewerSide {
  if (a.kind === 'vendor') return b;
  if (b.kind === 'vendor') return a;
  if (a.kind === 'partner' && b.kind === 'partner' && a.partnerId === b.partnerId) return a;
  return { kind: 'none' };
}

/**
 * The plan and its health as `side` may see them: the plan redacted, the health computed on the stored plan
 * with the economics gaps of partners the side does not see removed (as the API's health route does).
 */
export function planForSide(
  plan: Plan,
  today: IsoDate,
  side: ViewerSide,
): { plan: Plan; health: PlanHealth } {
  const health = assessHealth(plan, today);
  if (side.kind === 'vendor') return { plan: structuredClone(plan), health };
  const summary = redactSummaryFor(summarizePlan(plan, today), side);
  return {
    plan: redactPlanFor(plan, side),
    health: {
      ...health,
      completeness: {
        complete: summary.complete,
        missing: summary.missing,
        done: health.completeness.done.filter((f) => f !== 'economics'),
      },
    },
  };
}

/** The series schedule of the plan's cadence settings. */
export function scheduleOf(settings: CadenceSettings): SeriesSchedule {
  return {
    weekday: settings.weekday,
    time: settings.time,
    timeZone: settings.timeZone,
    startsOn: settings.startsOn,
    ...(settings.endsOn !== undefined ? { endsOn: settings.endsOn } : {}),
    durationMinutes: settings.durationMinutes,
  };
}

/**
 * The version of the plan's content: the plan's version, unless the last write was the cadence service's own
 * bookkeeping (it changes no content), then the version it recorded as carried.
 */
export function contentVersionOf(plan: Pick<Plan, 'version' | 'cadenceBooking'>): number {
  const booking = plan.cadenceBooking;
  if (booking?.atVersion === plan.version && booking.contentVersion !== undefined)
    return booking.contentVersion;
  return plan.version;
}

/** True when an invite carrying `carried` shows the plan as it is now. */
export function carriesCurrentPlan(
  carried: number | undefined,
  plan: Pick<Plan, 'version' | 'cadenceBooking'>,
): boolean {
  return carried !== undefined && carried >= contentVersionOf(plan);
}

/** The booking after a bookkeeping write that will produce version `plan.version + 1`. */
export function bookkeeping(
  plan: Pick<Plan, 'version' | 'cadenceBooking'>,
  booking: CadenceBooking,
): CadenceBooking {
  return { ...booking, contentVersion: contentVersionOf(plan), atVersion: plan.version + 1 };
}

/** Refresh claims older than this may be taken again (their run stopped mid-way). */
export const REFRESH_CLAIM_LEASE_MS = 10 * 60 * 1000;

/** How far ahead the refresh looks: occurrences starting within 24 hours (SPEC §5). */
export const REFRESH_HORIZON_MS = 24 * 60 * 60 * 1000;

/* ---------- a free slot ---------- */

export interface SlotSuggestion {
  weekday: CadenceSettings['weekday'];
  time: string;
  timeZone: string;
  /** The first meeting's day. */
  startsOn: IsoDate;
  /** The instant of the first meeting. */
  start: string;
  /** Whose calendars were read, and whose could not be. */
  checked: string[];
  unknown: string[];
}

/** Candidate meeting times in the organiser's zone, in order of preference (working hours, on the half hour). */
export const SLOT_TIMES = [
  '10:00',
  '10:30',
  '11:00',
  '11:30',
  '14:00',
  '14:30',
  '15:00',
  '15:30',
  '16:00',
  '09:30',
  '13:30',
  '16:30',
];

/**
 * The first weekday slot (Monday to Friday, the times of SLOT_TIMES) from `from` on, for `weeks` weeks
 * ahead, in which every schedule is free for 30 minutes on each of the two weeks checked (the meeting repeats:
 * a slot free once but busy every other week is no slot). Undefined when nothing is free.
 */
export function firstFreeSlot(
  schedules: readonly PersonSchedule[],
  options: { timeZone: string; from: Date; days?: number; durationMinutes?: number },
): SlotSuggestion | undefined {
  const durationMs = (options.durationMinutes ?? 30) * 60_000;
  const busy = schedules.flatMap((s) => s.busy.map((b) => [Date.parse(b.start), Date.parse(b.end)] as const));
  const isFree = (start: number) => busy.every(([s, e]) => start + durationMs <= s || start >= e);
  const firstDay = options.from.toISOString().slice(0, 10);
  const span = options.days ?? 7;
  for (let d = 1; d <= span; d++) {
    const day = addDays(firstDay, d);
    const weekday = weekdayOf(day);
    if (weekday === 'saturday' || weekday === 'sunday') continue;
    for (const time of SLOT_TIMES) {
      const first = occurrenceStart({ time, timeZone: options.timeZone }, day);
      if (first.getTime() <= options.from.getTime()) continue;
      const second = occurrenceStart({ time, timeZone: options.timeZone }, addDays(day, 7));
      if (isFree(first.getTime()) && isFree(second.getTime())) {
        return {
          weekday,
          time,
          timeZone: options.timeZone,
          startsOn: day,
          start: first.toISOString(),
          checked: schedules.filter((s) => !s.error).map((s) => s.email),
          unknown: schedules.filter((s) => s.error).map((s) => s.email),
        };
      }
    }
  }
  return undefined;
}

/** Weekdays, Monday first (for the cadence panel). */
export const CADENCE_WEEKDAYS = WEEKDAYS;
