import { randomUUID } from 'node:crypto';
import {
  AttachmentTooLargeError,
  bookkeeping,
  CADENCE_ACTOR,
  type CadenceBooking,
  type CadenceSettings,
  type CalendarAttachment,
  type CalendarCapabilities,
  type CalendarGateway,
  type CalendarOrganiser,
  type CalendarSeries,
  type Clock,
  calendarAttendees,
  carriesCurrentPlan,
  checkPlanReferences,
  contentOf,
  contentVersionOf,
  defaultAttendeeIds,
  describeSeries,
  firstFreeSlot,
  type HistoryEntry,
  InvalidSeriesError,
  invitedPeople,
  inviteSide,
  nextVersion,
  normaliseSchedule,
  occurrencesBetween,
  type Plan,
  type PlanStore,
  planForSide,
  REFRESH_CLAIM_LEASE_MS,
  REFRESH_HORIZON_MS,
  renderPlanEmailHtml,
  renderPlanEmailText,
  type SeriesChanges,
  SeriesNotFoundError,
  type SlotSuggestion,
  scheduleOf,
  scheduleProblems,
  seriesIdempotencyKey,
  seriesSubject,
  toIsoDate,
  UnsupportedTimeZoneError,
  VersionConflictError,
  type ViewerSide,
} from '@cosell/shared';
import { AppError } from '../app-error';
import { GraphRequestError } from '../graph/graph-error';
import type { Caller } from '../identity/authenticator';
import type { PlanAccess } from './plan-access';

/*
 * The weekly cadence (SPEC §5, issue 7): books the plan's 30-minute weekly series in the calendar
 * (CalendarGateway: Outlook through Graph, or the embedded calendar), keeps it in step with the plan, and
 * refreshes the invites of the meetings of the next 24 hours with the plan as it is then.
 *
 * - The settings are plan content (`plan.cadence`, written by `configure` as the caller). What was booked is
 *   `plan.cadenceBooking`, written only here as bookkeeping: it moves nothing forward (stalls read done
 *   actions and milestones), and it records which content version the invites carry, so a bookkeeping write
 *   never makes an invite look out of date (`contentVersionOf`).
 * - No duplicate series: the booking's generation is recorded on the plan (state `booking`) before the
 *   calendar is called; the idempotency key is derived from plan and generation, and the gateway returns the
 *   series a key already made (also when a create's answer was lost). A rerun after a crash books with the
 *   same key.
 * - The invite goes to several sides at once, so body and PDF show only what every invitee may see
 *   (`inviteSide`: no partner's economics unless all partner invitees are that partner's people).
 * - `sync` reconciles plan and series: cancel when the plan is won, lost or paused or the cadence was
 *   removed; reschedule when the settings changed; change attendees when owners changed; book again when the
 *   series disappeared. `refreshDue` (timer `refresh-cadence-invites`) claims the due occurrences on the plan
 *   (a versioned write: of several instances exactly one claims each occurrence and version), then updates
 *   them in one batched gateway call.
 */

export interface CadenceServiceDeps {
  store: PlanStore;
  access: PlanAccess;
  calendar: CalendarGateway;
  /** A configured organiser mailbox (app-only): it organises every series. */
  organiserMailbox?: string;
  clock: Clock;
  /** The link back to a plan in the tab. */
  planUrl: (planId: string) => string;
  /** The one-page PDF (functions/src/pdf/plan-pdf.ts renderPlanPdf). */
  renderPdf: (
    plan: Plan,
    options: { today: string; tabUrl?: string; health: ReturnType<typeof planForSide>['health'] },
  ) => Promise<Uint8Array>;
  log?: (line: string) => void;
}

/** What the cadence panel shows. */
export interface CadenceState {
  planId: string;
  planVersion: number;
  /** The plan version whose content the invites must carry. */
  contentVersion: number;
  status: Plan['status'];
  settings: CadenceSettings | null;
  /** The cadence's attendees, or the default ones when no cadence is set. */
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
  /** Whose economics the invite shows: `all` (vendor-only invitees), one partner's, or none. */
  inviteShowsEconomics:
    | { kind: 'all' }
    | { kind: 'partner'; partnerId: string; partnerName: string }
    | { kind: 'none' };
  capabilities: CalendarCapabilities;
  icsUrl: string | null;
}

export interface RefreshRunResult {
  plansChecked: number;
  seriesChecked: number;
  occurrencesDue: number;
  /** Occurrences updated by this run. */
  updated: number;
  /** Due occurrences another run had claimed. */
  claimedElsewhere: number;
  cancelled: number;
  failures: { planId: string; occurrenceId?: string; message: string }[];
}

const CLOSED: readonly Plan['status'][] = ['won', 'lost', 'paused'];
const MAX_WRITE_ATTEMPTS = 16;
const PDF_MIME = 'application/pdf';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A calendar failure as the API answers it. */
export function calendarError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof InvalidSeriesError) {
    return new AppError('VALIDATION_FAILED', `The meeting cannot be booked: ${error.problems.join('; ')}.`, {
      errors: error.problems.map((message) => ({ path: 'cadence', pointer: '/cadence', message })),
    });
  }
  if (error instanceof UnsupportedTimeZoneError) {
    return new AppError('VALIDATION_FAILED', error.message, {
      errors: [{ path: 'timeZone', pointer: '/timeZone', message: error.message }],
    });
  }
  if (error instanceof AttachmentTooLargeError) {
    return new AppError('INTERNAL', 'The plan PDF is too large to attach to the meeting.', { cause: error });
  }
  if (error instanceof GraphRequestError) {
    if (error.isTransient || error.status >= 500) {
      return new AppError(
        'CALENDAR_UNAVAILABLE',
        'Outlook is busy or not answering right now. The cadence is saved; the meeting will be brought up to date on the next try.',
        {
          headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds ?? 5))) },
          cause: error,
        },
      );
    }
    return new AppError(
      'INTERNAL',
      `Outlook refused the meeting (Graph ${error.status} ${error.code}, request-id ${error.requestId ?? 'unknown'}). If it keeps failing, tell your admin.`,
      { cause: error },
    );
  }
  return new AppError(
    'INTERNAL',
    'The meeting could not be updated. Try again; if it keeps failing, tell your admin.',
    {
      cause: error,
      logMessage: error instanceof Error ? (error.stack ?? error.message) : String(error),
    },
  );
}

interface InviteContent {
  side: ViewerSide;
  bodyHtml: string;
  bodyText: string;
  pdf: CalendarAttachment;
  contentVersion: number;
}

export class CadenceService {
  constructor(private readonly deps: CadenceServiceDeps) {}

  get capabilities(): CalendarCapabilities {
    return this.deps.calendar.capabilities;
  }

  private today(): string {
    return toIsoDate(this.deps.clock.now());
  }

  private async stored(planId: string): Promise<Plan> {
    const plan = await this.deps.store.get(planId);
    if (!plan) throw new AppError('NOT_FOUND', 'There is no such plan.');
    return plan;
  }

  /** The organiser that reaches an existing booking without a user (app-only access to that mailbox). */
  private organiserOf(booking: CadenceBooking, asUser?: CalendarOrganiser): CalendarOrganiser {
    if (asUser && asUser.address.toLowerCase() === booking.organiser.address.toLowerCase()) return asUser;
    return {
      kind: 'mailbox',
      address: booking.organiser.address,
      ...(booking.organiser.name ? { name: booking.organiser.name } : {}),
    };
  }

  /**
   * Who organises a new booking: the configured mailbox; else the signed-in user (`asUser`, with an
   * on-behalf-of token); the embedded calendar needs no mailbox and records the caller.
   */
  private newOrganiser(caller: Caller, asUser?: CalendarOrganiser): CadenceBooking['organiser'] {
    if (this.deps.organiserMailbox) return { kind: 'mailbox', address: this.deps.organiserMailbox };
    if (asUser)
      return { kind: 'user', address: asUser.address, ...(asUser.name ? { name: asUser.name } : {}) };
    if (!this.capabilities.sendsInvitations) {
      return { kind: 'mailbox', address: caller.actor.id.toLowerCase(), name: caller.actor.displayName };
    }
    throw new AppError(
      'FORBIDDEN',
      'The meeting is booked in Outlook as you, and the API cannot act as you here (no on-behalf-of credential). Ask your admin to set COSELL_ORGANISER_MAILBOX or the API credential.',
    );
  }

  /* ---------- writes on the plan ---------- */

  /** A versioned write of the cadence booking (bookkeeping: the content version carried stays). */
  private async writeBooking(
    planId: string,
    change: (plan: Plan) => { booking: CadenceBooking; changes: string[] } | undefined,
  ): Promise<Plan> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const plan = await this.stored(planId);
      const decided = change(plan);
      if (!decided) return plan;
      const now = this.deps.clock.now();
      const next: Plan = {
        ...structuredClone(plan),
        version: plan.version + 1,
        updatedAt: now.toISOString(),
        updatedBy: CADENCE_ACTOR.id,
        cadenceBooking: bookkeeping(plan, decided.booking),
      };
      try {
        return await this.deps.store.replace(next, plan.version, this.entry(next, decided.changes));
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    throw new AppError('CONTENTION', 'Too many people are saving this plan at once. Try again.', {
      headers: { 'retry-after': '1' },
    });
  }

  private entry(
    plan: Plan,
    changes: string[],
    actor: { id: string; displayName: string } = CADENCE_ACTOR,
  ): HistoryEntry {
    return {
      planId: plan.id,
      version: plan.version,
      kind: 'operations',
      at: plan.updatedAt,
      actor: { id: actor.id, displayName: actor.displayName },
      changes: changes.length > 0 ? changes : ['Weekly meeting brought up to date'],
    };
  }

  /** 422 naming the field when the settings do not fit the plan. */
  private checkSettings(plan: Plan, settings: CadenceSettings): void {
    const content = { ...contentOf(plan), cadence: settings };
    const issues = checkPlanReferences(content).filter((i) => i.path[0] === 'cadence');
    const problems = scheduleProblems(scheduleOf(settings)).map((message) => ({
      path: ['cadence'],
      message,
    }));
    const all = [...issues, ...problems];
    if (CLOSED.includes(plan.status)) {
      all.push({
        path: ['status'],
        message: `the plan is ${plan.status}: a ${plan.status} plan has no weekly meeting`,
      });
    }
    if (settings.attendeeIds.length === 0) {
      all.push({ path: ['cadence', 'attendeeIds'], message: 'invite at least one vendor or partner person' });
    }
    if (all.length === 0) return;
    const errors = all.map((i) => {
      const rest = i.path.slice(1);
      const path =
        rest.length === 0
          ? String(i.path[0])
          : rest
              .map((p) => (typeof p === 'number' ? `[${p}]` : p))
              .join('.')
              .replace(/\.\[/g, '[');
      return { path, pointer: `/${rest.map(String).join('/')}`, message: i.message };
    });
    throw new AppError('VALIDATION_FAILED', `The weekly meeting was not set: ${errors[0]?.message}.`, {
      errors,
    });
  }

  /**
   * Sets the plan's cadence (the caller's edit, in the plan history) and books or updates the series.
   * The settings are saved even when the calendar does not answer (503): the next sync catches up.
   */
  async configure(
    planId: string,
    settings: CadenceSettings,
    caller: Caller,
    asUser?: CalendarOrganiser,
  ): Promise<CadenceState> {
    await this.deps.access.get(planId, caller); // 404 unless the caller reads the plan
    for (let attempt = 0; ; attempt++) {
      const plan = await this.stored(planId);
      this.checkSettings(plan, settings);
      const unchanged = JSON.stringify(plan.cadence) === JSON.stringify(settings);
      const live = plan.cadenceBooking && plan.cadenceBooking.state !== 'cancelled';
      if (unchanged && live) break;
      const now = this.deps.clock.now();
      const today = toIsoDate(now);
      const next = nextVersion(
        plan,
        { ...contentOf(plan), cadence: settings },
        { now, today, actor: caller.actor },
      );
      if (!live) {
        const booking = (plan.cadenceBooking?.booking ?? 0) + 1;
        next.cadenceBooking = {
          booking,
          key: seriesIdempotencyKey(plan.id, booking),
          organiser: this.newOrganiser(caller, asUser),
          state: 'booking',
          at: now.toISOString(),
        };
      }
      const sentence = `Weekly meeting set: ${describeSeries(scheduleOf(settings), calendarAttendees(invitedPeople(plan, settings.attendeeIds)))}`;
      try {
        await this.deps.store.replace(next, plan.version, this.entry(next, [sentence], caller.actor));
        break;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
    await this.syncOrThrow(planId, { refreshBody: true, asUser });
    return this.state(planId, caller, asUser);
  }

  /** Removes the cadence and cancels the series (attendees notified). */
  async cancel(planId: string, caller: Caller, asUser?: CalendarOrganiser): Promise<CadenceState> {
    await this.deps.access.get(planId, caller);
    for (let attempt = 0; ; attempt++) {
      const plan = await this.stored(planId);
      if (!plan.cadence) break;
      const now = this.deps.clock.now();
      const { cadence: _removed, ...rest } = contentOf(plan);
      const next = nextVersion(plan, rest, { now, today: toIsoDate(now), actor: caller.actor });
      try {
        await this.deps.store.replace(
          next,
          plan.version,
          this.entry(next, ['Weekly meeting cancelled'], caller.actor),
        );
        break;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
    await this.syncOrThrow(planId, { refreshBody: false, asUser });
    return this.state(planId, caller, asUser);
  }

  private async syncOrThrow(
    planId: string,
    options: { refreshBody: boolean; asUser?: CalendarOrganiser | undefined },
  ): Promise<void> {
    try {
      await this.sync(planId, options);
    } catch (error) {
      const appError = calendarError(error);
      await this.recordError(planId, appError.detail).catch(() => {});
      throw appError;
    }
  }

  private async recordError(planId: string, message: string): Promise<void> {
    await this.writeBooking(planId, (plan) =>
      plan.cadenceBooking && plan.cadenceBooking.lastError !== message
        ? {
            booking: { ...plan.cadenceBooking, lastError: message.slice(0, 500) },
            changes: ['Weekly meeting could not be brought up to date'],
          }
        : undefined,
    );
  }

  /* ---------- the invite ---------- */

  /** Body and PDF of the invite for the plan as it is: what every invitee may see. */
  private async inviteContent(plan: Plan): Promise<InviteContent> {
    const today = this.today();
    const people = invitedPeople(plan, plan.cadence?.attendeeIds ?? []);
    const side = inviteSide(people);
    const shown = planForSide(plan, today, side);
    const tabUrl = this.deps.planUrl(plan.id);
    const options = { today, tabUrl, health: shown.health };
    const bytes = await this.deps.renderPdf(shown.plan, { today, tabUrl, health: shown.health });
    return {
      side,
      bodyHtml: renderPlanEmailHtml(shown.plan, options),
      bodyText: renderPlanEmailText(shown.plan, options),
      pdf: { filename: 'co-sell-plan.pdf', mimeType: PDF_MIME, bytes },
      contentVersion: contentVersionOf(plan),
    };
  }

  /**
   * Brings the series in line with the plan: book (with the recorded key), cancel, reschedule, change
   * attendees or subject; with `refreshBody`, also the body and PDF of the whole series.
   */
  async sync(
    planId: string,
    options: { refreshBody: boolean; asUser?: CalendarOrganiser | undefined },
  ): Promise<'booked' | 'updated' | 'cancelled' | 'unchanged'> {
    const plan = await this.stored(planId);
    const booking = plan.cadenceBooking;
    const people = invitedPeople(plan, plan.cadence?.attendeeIds ?? []);
    const wanted = plan.cadence !== undefined && !CLOSED.includes(plan.status) && people.length > 0;
    const calendar = this.deps.calendar;

    if (!wanted) {
      if (!booking || booking.state === 'cancelled') return 'unchanged';
      const organiser = this.organiserOf(booking, options.asUser);
      const series = booking.seriesId
        ? await calendar.getSeries(organiser, booking.seriesId)
        : await calendar.findSeriesByKey(organiser, booking.key);
      const why = CLOSED.includes(plan.status)
        ? `The co-sell plan "${plan.title}" is ${plan.status}: the weekly meeting is cancelled.`
        : `The weekly meeting of the co-sell plan "${plan.title}" is cancelled.`;
      if (series && !series.cancelled) {
        try {
          await calendar.cancelSeries(organiser, series.id, why);
        } catch (error) {
          if (!(error instanceof SeriesNotFoundError)) throw error;
        }
      }
      await this.writeBooking(planId, (p) =>
        p.cadenceBooking && p.cadenceBooking.state !== 'cancelled'
          ? {
              booking: {
                ...withoutError(p.cadenceBooking),
                state: 'cancelled',
                at: this.deps.clock.now().toISOString(),
              },
              changes: [
                CLOSED.includes(p.status)
                  ? `Weekly meeting cancelled: the plan is ${p.status}`
                  : 'Weekly meeting cancelled',
              ],
            }
          : undefined,
      );
      return 'cancelled';
    }

    // A cadence without a live booking (set by a full plan edit, or the series gone): record a new generation.
    let current = plan;
    if (!booking || booking.state === 'cancelled') {
      current = await this.writeBooking(planId, (p) => {
        if (p.cadenceBooking && p.cadenceBooking.state !== 'cancelled') return undefined;
        const generation = (p.cadenceBooking?.booking ?? 0) + 1;
        const organiser: CadenceBooking['organiser'] = this.deps.organiserMailbox
          ? { kind: 'mailbox', address: this.deps.organiserMailbox }
          : options.asUser
            ? { kind: 'user', address: options.asUser.address }
            : (p.cadenceBooking?.organiser ?? { kind: 'mailbox', address: p.updatedBy.toLowerCase() });
        return {
          booking: {
            booking: generation,
            key: seriesIdempotencyKey(p.id, generation),
            organiser,
            state: 'booking',
            at: this.deps.clock.now().toISOString(),
          },
          changes: ['Weekly meeting being booked'],
        };
      });
    }
    const live = current.cadenceBooking;
    const settings = current.cadence;
    if (!live || !settings) return 'unchanged';
    const organiser = this.organiserOf(live, options.asUser);
    const invitees = invitedPeople(current, settings.attendeeIds);
    const attendees = calendarAttendees(invitees);
    const schedule = scheduleOf(settings);
    const subject = seriesSubject(current.title);

    let series: CalendarSeries | undefined = live.seriesId
      ? await calendar.getSeries(organiser, live.seriesId)
      : undefined;
    if (live.seriesId && (!series || series.cancelled)) {
      // Cancelled or deleted in Outlook: book a new generation (a new key) on the next pass.
      await this.writeBooking(planId, (p) =>
        p.cadenceBooking && p.cadenceBooking.seriesId === live.seriesId
          ? {
              booking: { ...p.cadenceBooking, state: 'cancelled', at: this.deps.clock.now().toISOString() },
              changes: ['Weekly meeting was removed from the calendar; booking it again'],
            }
          : undefined,
      );
      return this.sync(planId, options);
    }

    if (!series) {
      const content = await this.inviteContent(current);
      series = await calendar.createSeries(
        organiser,
        {
          planId: current.id,
          subject,
          schedule,
          attendees,
          bodyHtml: content.bodyHtml,
          bodyText: content.bodyText,
          planVersion: content.contentVersion,
          tabUrl: this.deps.planUrl(current.id),
        },
        live.key,
      );
      // Attachments can't travel with the create (reference/graph-contract.md §3.7): add it, which sends the update.
      if (!series.attachment) series = await calendar.setSeriesAttachment(organiser, series.id, content.pdf);
      const seriesId = series.id;
      await this.writeBooking(planId, (p) =>
        p.cadenceBooking?.key === live.key
          ? {
              booking: {
                ...withoutError(p.cadenceBooking),
                seriesId,
                state: 'booked',
                at: this.deps.clock.now().toISOString(),
                bodyVersion: content.contentVersion,
              },
              changes: [`Weekly meeting booked: ${describeSeries(schedule, attendees)}`],
            }
          : undefined,
      );
      return 'booked';
    }

    const changes: SeriesChanges = {};
    const sentences: string[] = [];
    if (series.subject !== subject) {
      changes.subject = subject;
      sentences.push('Weekly meeting renamed after the plan');
    }
    if (
      JSON.stringify(sortKeys(normaliseSchedule(series.schedule))) !==
      JSON.stringify(sortKeys(normaliseSchedule(schedule)))
    ) {
      changes.schedule = schedule;
      sentences.push(`Weekly meeting moved: ${describeSeries(schedule)}`);
    }
    const emails = (list: readonly { email: string }[]) =>
      list
        .map((a) => a.email.toLowerCase())
        .sort()
        .join(',');
    if (emails(series.attendees) !== emails(attendees)) {
      changes.attendees = attendees;
      sentences.push(`Weekly meeting attendees now: ${attendees.map((a) => a.name).join(', ')}`);
    }
    let content: InviteContent | undefined;
    if (options.refreshBody && !carriesCurrentPlan(series.planVersion, current)) {
      content = await this.inviteContent(current);
      changes.bodyHtml = content.bodyHtml;
      changes.bodyText = content.bodyText;
      changes.planVersion = content.contentVersion;
    }
    if (Object.keys(changes).length === 0 && !live.lastError) return 'unchanged';
    if (Object.keys(changes).length > 0) {
      series = await calendar.updateSeries(organiser, series.id, changes);
      if (content) series = await calendar.setSeriesAttachment(organiser, series.id, content.pdf);
    }
    const bodyVersion = content?.contentVersion;
    await this.writeBooking(planId, (p) =>
      p.cadenceBooking?.seriesId === series?.id
        ? {
            booking: {
              ...withoutError(p.cadenceBooking),
              ...(bodyVersion !== undefined ? { bodyVersion } : {}),
            },
            changes: sentences.length > 0 ? sentences : ['Weekly meeting brought up to date'],
          }
        : undefined,
    );
    return 'updated';
  }

  /** A deleted plan's live series is cancelled (its booking went with the plan). */
  async cancelForDeletedPlan(plan: Plan): Promise<void> {
    const booking = plan.cadenceBooking;
    if (!booking || booking.state === 'cancelled') return;
    const organiser = this.organiserOf(booking);
    const series = booking.seriesId
      ? await this.deps.calendar.getSeries(organiser, booking.seriesId)
      : await this.deps.calendar.findSeriesByKey(organiser, booking.key);
    if (!series || series.cancelled) return;
    await this.deps.calendar.cancelSeries(
      organiser,
      series.id,
      `The co-sell plan "${plan.title}" was deleted: the weekly meeting is cancelled.`,
    );
  }

  /* ---------- reads ---------- */

  async state(planId: string, caller: Caller, asUser?: CalendarOrganiser): Promise<CadenceState> {
    await this.deps.access.get(planId, caller);
    const plan = await this.stored(planId);
    const booking = plan.cadenceBooking ?? null;
    const attendeeIds = plan.cadence?.attendeeIds ?? defaultAttendeeIds(plan);
    const side = inviteSide(invitedPeople(plan, attendeeIds));
    const partnerName = (id: string) => plan.partners.find((p) => p.id === id)?.name ?? id;
    let series: CadenceState['series'] = null;
    let nextMeetings: CadenceState['nextMeetings'] = [];
    const now = this.deps.clock.now();
    const horizon = new Date(now.getTime() + 28 * 86_400_000);
    if (booking?.seriesId && booking.state === 'booked') {
      const organiser = this.organiserOf(booking, asUser);
      try {
        const found = await this.deps.calendar.getSeries(organiser, booking.seriesId);
        if (found && !found.cancelled) {
          series = {
            id: found.id,
            subject: found.subject,
            description: describeSeries(found.schedule, found.attendees, found.subject),
            organiser: found.organiser,
            attendees: found.attendees,
            planVersion: found.planVersion ?? null,
            carriesCurrentPlan: carriesCurrentPlan(found.planVersion, plan),
            attachment: found.attachment
              ? { filename: found.attachment.filename, size: found.attachment.size }
              : null,
            joinUrl: found.joinUrl ?? null,
            webLink: found.webLink ?? null,
          };
          const occurrences = await this.deps.calendar.listOccurrences(
            organiser,
            found.id,
            now.toISOString(),
            horizon.toISOString(),
          );
          nextMeetings = occurrences.slice(0, 4).map((o) => ({
            start: o.start,
            end: o.end,
            carriesCurrentPlan: carriesCurrentPlan(o.planVersion, plan),
          }));
        }
      } catch (error) {
        this.deps.log?.(`cadence of plan ${planId}: the calendar did not answer: ${messageOf(error)}`);
      }
    }
    if (nextMeetings.length === 0 && plan.cadence && !series) {
      nextMeetings = occurrencesBetween(scheduleOf(plan.cadence), now, horizon, 4).map((o) => ({
        start: o.start.toISOString(),
        end: o.end.toISOString(),
        carriesCurrentPlan: null,
      }));
    }
    const { refreshClaims: _claims, ...shownBooking } = booking ?? ({} as CadenceBooking);
    return {
      planId: plan.id,
      planVersion: plan.version,
      contentVersion: contentVersionOf(plan),
      status: plan.status,
      settings: plan.cadence ?? null,
      attendeeIds,
      defaultAttendeeIds: defaultAttendeeIds(plan),
      booking: booking ? (shownBooking as Omit<CadenceBooking, 'refreshClaims'>) : null,
      series,
      nextMeetings,
      inviteShowsEconomics:
        side.kind === 'vendor'
          ? { kind: 'all' }
          : side.kind === 'partner'
            ? { kind: 'partner', partnerId: side.partnerId, partnerName: partnerName(side.partnerId) }
            : { kind: 'none' },
      capabilities: this.capabilities,
      icsUrl: booking?.seriesId ? `/api/plans/${encodeURIComponent(plan.id)}/cadence.ics` : null,
    };
  }

  /** The series as an RFC 5545 file, or 404 when none is booked. */
  async ics(
    planId: string,
    caller: Caller,
    asUser?: CalendarOrganiser,
  ): Promise<{ ics: string; filename: string }> {
    const shown = await this.deps.access.get(planId, caller);
    const plan = await this.stored(planId);
    const booking = plan.cadenceBooking;
    // A cancelled series is still handed out: its .ics is the cancellation (how the embedded calendar tells people).
    if (!booking?.seriesId) {
      throw new AppError('NOT_FOUND', 'No weekly meeting is booked for this plan yet.');
    }
    // The series carries what every invitee may see; a caller who sees less (another partner) gets nothing more.
    const inviteSees = planForSide(
      plan,
      this.today(),
      inviteSide(invitedPeople(plan, plan.cadence?.attendeeIds ?? [])),
    ).plan.economics;
    if (!inviteSees.every((e) => shown.economics.some((s) => s.partnerId === e.partnerId))) {
      throw new AppError(
        'FORBIDDEN',
        'The invite shows economics your side does not see; ask the organiser for the meeting.',
      );
    }
    try {
      const ics = await this.deps.calendar.exportIcs(this.organiserOf(booking, asUser), booking.seriesId);
      return { ics, filename: `${slug(plan.title)}-weekly.ics` };
    } catch (error) {
      if (error instanceof SeriesNotFoundError)
        throw new AppError('NOT_FOUND', 'No weekly meeting is booked for this plan.');
      throw calendarError(error);
    }
  }

  /**
   * A weekly slot free for the vendor attendees, from their free/busy where the calendar can tell
   * (Graph getSchedule); `available: false` with the reason otherwise.
   */
  async suggestSlot(
    planId: string,
    caller: Caller,
    input: { timeZone: string; attendeeIds?: string[] | undefined },
    asUser?: CalendarOrganiser,
  ): Promise<{ available: true; slot: SlotSuggestion } | { available: false; reason: string }> {
    await this.deps.access.get(planId, caller);
    const plan = await this.stored(planId);
    const ids = input.attendeeIds ?? plan.cadence?.attendeeIds ?? defaultAttendeeIds(plan);
    const vendor = invitedPeople(plan, ids).filter((p) => p.side === 'vendor');
    if (!this.capabilities.freeBusy) {
      return {
        available: false,
        reason:
          'This calendar cannot see anyone’s free/busy time (the local calendar); pick a time yourselves.',
      };
    }
    if (vendor.length === 0)
      return { available: false, reason: 'No vendor attendee is invited, so there is no free/busy to read.' };
    const from = this.deps.clock.now();
    const to = new Date(from.getTime() + 16 * 86_400_000);
    const organiser = plan.cadenceBooking
      ? this.organiserOf(plan.cadenceBooking, asUser)
      : this.deps.organiserMailbox
        ? ({ kind: 'mailbox', address: this.deps.organiserMailbox } as const)
        : asUser;
    if (!organiser)
      return {
        available: false,
        reason: 'Outlook free/busy is read as you, and the API cannot act as you here.',
      };
    let schedules: Awaited<ReturnType<CalendarGateway['getSchedule']>>;
    try {
      schedules = await this.deps.calendar.getSchedule(
        organiser,
        vendor.map((p) => p.email),
        { from: from.toISOString(), to: to.toISOString() },
      );
    } catch (error) {
      throw calendarError(error);
    }
    if (!schedules) return { available: false, reason: 'The calendar did not tell anyone’s free/busy time.' };
    if (schedules.every((s) => s.error)) {
      return { available: false, reason: 'None of the vendor attendees’ calendars could be read.' };
    }
    const slot = firstFreeSlot(schedules, { timeZone: input.timeZone, from, days: 7 });
    return slot
      ? { available: true, slot }
      : {
          available: false,
          reason: 'No half hour is free for every vendor attendee in working hours over the next week.',
        };
  }

  /* ---------- the refresh timer ---------- */

  /**
   * Reconciles every plan with a booking (cancel on won/lost/paused, attendees, schedule) and refreshes the
   * invites of occurrences starting within 24 hours that do not carry the plan's current content version.
   */
  async refreshDue(): Promise<RefreshRunResult> {
    const result: RefreshRunResult = {
      plansChecked: 0,
      seriesChecked: 0,
      occurrencesDue: 0,
      updated: 0,
      claimedElsewhere: 0,
      cancelled: 0,
      failures: [],
    };
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.list({
        today: this.today(),
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const listed of page.items) {
        result.plansChecked++;
        const booking = listed.cadenceBooking;
        if (!booking || booking.state === 'cancelled') continue;
        try {
          const outcome = await this.sync(listed.id, { refreshBody: false });
          if (outcome === 'cancelled') {
            result.cancelled++;
            continue;
          }
          await this.refreshPlan(listed.id, result);
        } catch (error) {
          result.failures.push({ planId: listed.id, message: messageOf(error) });
          this.deps.log?.(`refresh of the weekly meeting of plan ${listed.id} failed: ${messageOf(error)}`);
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return result;
  }

  private async refreshPlan(planId: string, result: RefreshRunResult): Promise<void> {
    const plan = await this.stored(planId);
    const booking = plan.cadenceBooking;
    if (!booking?.seriesId || booking.state !== 'booked') return;
    result.seriesChecked++;
    const organiser = this.organiserOf(booking);
    const now = this.deps.clock.now();
    const occurrences = await this.deps.calendar.listOccurrences(
      organiser,
      booking.seriesId,
      now.toISOString(),
      new Date(now.getTime() + REFRESH_HORIZON_MS).toISOString(),
    );
    // Occurrences still ahead (one already started is left as it is).
    const due = occurrences.filter(
      (o) => Date.parse(o.start) > now.getTime() && !carriesCurrentPlan(o.planVersion, plan),
    );
    if (due.length === 0) return;
    result.occurrencesDue += due.length;

    // Claim: a versioned write naming this run; of several runs exactly one claims each occurrence and version.
    const claimId = randomUUID();
    let claimed: string[] = [];
    let claimedPlan: Plan | undefined;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.stored(planId);
      const live = current.cadenceBooking;
      if (!live || live.seriesId !== booking.seriesId) return;
      const version = contentVersionOf(current);
      const fresh = (c: { at: string }) => now.getTime() - Date.parse(c.at) < REFRESH_CLAIM_LEASE_MS;
      // Claims of the last two days are kept (bounded); a fresh one for this content version holds its occurrence.
      const claims = (live.refreshClaims ?? []).filter(
        (c) => now.getTime() - Date.parse(c.at) < 2 * 86_400_000,
      );
      const taken = new Set(
        claims.filter((c) => fresh(c) && c.version >= version).map((c) => c.occurrenceId),
      );
      const mine = due
        .filter((o) => !carriesCurrentPlan(o.planVersion, current) && !taken.has(o.id))
        .map((o) => o.id);
      const elsewhere = due.length - mine.length;
      if (mine.length === 0) {
        result.claimedElsewhere += elsewhere;
        return;
      }
      const at = now.toISOString();
      const refreshClaims = [
        ...claims.filter((c) => !mine.includes(c.occurrenceId)),
        ...mine.map((occurrenceId) => ({ occurrenceId, version, claimId, at })),
      ].slice(-50);
      const next: Plan = {
        ...structuredClone(current),
        version: current.version + 1,
        updatedAt: at,
        updatedBy: CADENCE_ACTOR.id,
        cadenceBooking: bookkeeping(current, { ...live, refreshClaims }),
      };
      try {
        await this.deps.store.replace(next, current.version, {
          ...this.entry(next, [
            `Plan sent again with the weekly meeting of ${mine.map((id) => shortDate(due.find((o) => o.id === id)?.start)).join(', ')}`,
          ]),
        });
        claimed = mine;
        claimedPlan = current;
        result.claimedElsewhere += elsewhere;
        break;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    if (!claimedPlan || claimed.length === 0) return;
    const content = await this.inviteContent(claimedPlan);
    let results: Awaited<ReturnType<CalendarGateway['updateOccurrences']>>;
    try {
      results = await this.deps.calendar.updateOccurrences(
        organiser,
        booking.seriesId,
        claimed.map((occurrenceId) => ({
          occurrenceId,
          bodyHtml: content.bodyHtml,
          bodyText: content.bodyText,
          planVersion: content.contentVersion,
          attachment: content.pdf,
        })),
      );
    } catch (error) {
      await this.releaseClaims(planId, claimId, claimed).catch(() => {});
      throw error;
    }
    for (const r of results) {
      if (r.ok) result.updated++;
      else result.failures.push({ planId, occurrenceId: r.occurrenceId, message: r.error });
    }
    const failed = results.filter((r) => !r.ok).map((r) => r.occurrenceId);
    // Let the next run take the failed ones at once rather than after the lease.
    if (failed.length > 0) await this.releaseClaims(planId, claimId, failed);
  }

  private async releaseClaims(
    planId: string,
    claimId: string,
    occurrenceIds: readonly string[],
  ): Promise<void> {
    const mine = (c: { claimId: string; occurrenceId: string }) =>
      c.claimId === claimId && occurrenceIds.includes(c.occurrenceId);
    await this.writeBooking(planId, (p) => {
      const b = p.cadenceBooking;
      if (!b?.refreshClaims?.some(mine)) return undefined;
      return {
        booking: { ...b, refreshClaims: b.refreshClaims.filter((c) => !mine(c)) },
        changes: ['Weekly meeting refresh to be tried again'],
      };
    });
  }
}

function withoutError(booking: CadenceBooking): CadenceBooking {
  const { lastError: _e, ...rest } = booking;
  return rest;
}

function sortKeys<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function slug(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'co-sell-plan'
  );
}

function shortDate(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'a meeting';
}

/** What of a plan the weekly series follows: a change here is worth a sync right after the write. */
function seriesProjection(plan: Plan): string {
  const attendees = invitedPeople(plan, plan.cadence?.attendeeIds ?? []).map((p) => [
    p.email,
    p.firstName,
    p.lastName,
    p.side,
    p.partnerId ?? '',
  ]);
  return JSON.stringify([plan.status, plan.title, plan.cadence ?? null, attendees]);
}

/**
 * The plan store as the plan use cases see it, with the weekly series kept in step right after a person's
 * write: a plan won, lost or paused cancels its series, an owner's new address reaches the invite, a deleted
 * plan's series is cancelled. Only plans with a live booking pay for it (one read before the write). A calendar
 * failure never fails the person's save: it is logged, and the refresh timer (every 15 minutes) catches up.
 * The cadence service itself writes through the plain store, so its own writes do not come back here.
 */
export class CadenceSyncHook {
  private cadence: CadenceService | undefined;

  constructor(private readonly log: (line: string) => void = () => {}) {}

  attach(cadence: CadenceService): void {
    this.cadence = cadence;
  }

  wrap(store: PlanStore): PlanStore {
    const live = (plan: Plan | undefined) =>
      plan?.cadenceBooking !== undefined && plan.cadenceBooking.state !== 'cancelled';
    return {
      create: (plan, entry) => store.create(plan, entry),
      get: (id) => store.get(id),
      list: (query) => store.list(query),
      history: (id, options) => store.history(id, options),
      replace: async (plan, expectedVersion, entry) => {
        const cadence = this.cadence;
        if (!cadence || !live(plan)) return store.replace(plan, expectedVersion, entry);
        const before = await store.get(plan.id);
        const stored = await store.replace(plan, expectedVersion, entry);
        if (before && seriesProjection(before) !== seriesProjection(stored)) {
          try {
            await cadence.sync(stored.id, { refreshBody: false });
          } catch (error) {
            this.log(
              `the weekly meeting of plan ${stored.id} was not brought up to date: ${messageOf(error)}`,
            );
          }
        }
        return stored;
      },
      delete: async (id, expectedVersion, entry) => {
        const cadence = this.cadence;
        const before = cadence ? await store.get(id) : undefined;
        await store.delete(id, expectedVersion, entry);
        if (cadence && before && live(before)) {
          try {
            await cadence.cancelForDeletedPlan(before);
          } catch (error) {
            this.log(`the weekly meeting of deleted plan ${id} was not cancelled: ${messageOf(error)}`);
          }
        }
      },
    };
  }
}
