import {
  type AttachmentInfo,
  type CalendarAttachment,
  type CalendarAttendee,
  type CalendarCapabilities,
  type CalendarGateway,
  type CalendarOccurrence,
  type CalendarOrganiser,
  type CalendarSeries,
  type Clock,
  checkAttachment,
  checkSeriesChanges,
  checkSeriesRequest,
  firstOccurrenceDate,
  htmlToText,
  icsSeriesOf,
  localDateTimeIn,
  type OccurrenceUpdate,
  type OccurrenceUpdateResult,
  type PersonSchedule,
  renderIcs,
  type SeriesChanges,
  SeriesNotFoundError,
  type SeriesRequest,
  type SeriesSchedule,
  WEEKDAYS,
  type Weekday,
  windowsToIana,
  windowsZoneFor,
} from '@cosell/shared';
import {
  type BatchOutcome,
  type BatchStep,
  type GraphCallOptions,
  type GraphClient,
  isSuccess,
  outcomeError,
} from '../graph/graph-client';
import { GraphRequestError } from '../graph/graph-error';

/*
 * The weekly series in Outlook through Microsoft Graph (reference/graph-contract.md §3), every call through
 * the one Graph client (retries, paging, `$batch`). As the signed-in user (`/me`, a delegated token per
 * call) or a configured organiser mailbox (`/users/{address}`, the client's app-only token).
 *
 * - Create: one `POST …/events` with the weekly `recurrence` (range `endDate` or `noEnd`, the Windows
 *   `recurrenceTimeZone`), `start`/`end` as Windows zone names, a Teams meeting
 *   (`isOnlineMeeting`, `onlineMeetingProvider: teamsForBusiness`), `transactionId` = the idempotency key,
 *   and single-value extended properties the app reads back: the key, the plan, the plan version the body
 *   carries, the IANA zone. Before creating, and again when a create's answer is lost, the series is looked
 *   up by the key property (`$filter=singleValueExtendedProperties/any(…)`), so a key never makes two.
 * - Attachments can't travel in the create: `POST …/attachments` (a fileAttachment under 3 MB), then a
 *   PATCH of the body so attendees receive it (§3.7).
 * - The body is the app's part between two markers inside whatever Outlook keeps around it (the Teams
 *   meeting blob, which must not be removed: §3.3); an update replaces only the app's part.
 * - Occurrences: `GET …/instances`; one is refreshed by PATCHing its instance id (it becomes an exception),
 *   with its own plan-version property; several at once in `$batch` requests.
 */

/** The app's property set for its single-value extended properties (a GUID fixed once). */
export const PROPERTY_SET = '{8d3f2a61-5b7c-4e19-a0d4-6c2b9e7f1a35}';
export const SERIES_KEY_PROPERTY = `String ${PROPERTY_SET} Name CosellSeriesKey`;
export const PLAN_ID_PROPERTY = `String ${PROPERTY_SET} Name CosellPlanId`;
export const PLAN_VERSION_PROPERTY = `String ${PROPERTY_SET} Name CosellPlanVersion`;
export const TIME_ZONE_PROPERTY = `String ${PROPERTY_SET} Name CosellTimeZone`;
const ALL_PROPERTIES = [SERIES_KEY_PROPERTY, PLAN_ID_PROPERTY, PLAN_VERSION_PROPERTY, TIME_ZONE_PROPERTY];

export const BODY_START = '<!--cosell:plan:start-->';
export const BODY_END = '<!--cosell:plan:end-->';

interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

interface ExtendedProperty {
  id: string;
  value: string;
}

interface GraphAttendee {
  emailAddress?: { address?: string; name?: string };
  type?: string;
}

interface GraphEvent {
  id: string;
  subject?: string;
  body?: { contentType?: string; content?: string };
  start?: DateTimeTimeZone;
  end?: DateTimeTimeZone;
  originalStartTimeZone?: string;
  recurrence?: {
    pattern?: { type?: string; daysOfWeek?: string[] };
    range?: { type?: string; startDate?: string; endDate?: string; recurrenceTimeZone?: string };
  } | null;
  attendees?: GraphAttendee[];
  organizer?: { emailAddress?: { address?: string; name?: string } };
  isCancelled?: boolean;
  hasAttachments?: boolean;
  transactionId?: string;
  type?: string;
  seriesMasterId?: string | null;
  webLink?: string;
  onlineMeeting?: { joinUrl?: string } | null;
  singleValueExtendedProperties?: ExtendedProperty[];
  iCalUId?: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}

interface GraphAttachment {
  id: string;
  name?: string;
  contentType?: string;
  size?: number;
  contentBytes?: string;
}

export interface GraphCalendarOptions {
  /** The one Graph client; its own token is app-only (used for `mailbox` organisers). */
  graph: GraphClient;
  /** For the .ics DTSTAMP. */
  clock?: Clock;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function query(params: Record<string, string>): string {
  return `?${Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')}`;
}

const EXPAND_PROPERTIES = `singleValueExtendedProperties($filter=${ALL_PROPERTIES.map((id) => `id eq ${quote(id)}`).join(' or ')})`;

/** `HH:MM` plus minutes, as a local date-time (the day rolls over past midnight). */
function localPlus(date: string, time: string, minutes: number): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const at = new Date(Date.parse(`${date}T00:00:00Z`) + (h * 60 + m + minutes) * 60_000);
  return at.toISOString().slice(0, 19);
}

/** A Graph dateTime (7 fractional digits, no offset) in UTC as an ISO instant. */
function instantOf(value: DateTimeTimeZone | undefined): Date | undefined {
  if (!value?.dateTime) return undefined;
  const zone = value.timeZone ?? 'UTC';
  const base = value.dateTime.replace(/(\.\d{3})\d*$/, '$1');
  if (zone === 'UTC' || zone === 'Etc/UTC') return new Date(`${base}Z`);
  throw new Error(`expected UTC times from Graph (Prefer: outlook.timezone="UTC"), got ${zone}`);
}

/** The app's part of an Outlook body, or the whole inner body when the markers are gone. */
export function appBodyOf(content: string | undefined): string {
  if (!content) return '';
  const start = content.indexOf(BODY_START);
  const end = content.indexOf(BODY_END);
  if (start !== -1 && end > start) return content.slice(start + BODY_START.length, end);
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(content);
  return (body?.[1] ?? content).trim();
}

/**
 * The body to send: the app's part replaced between the markers, everything else Outlook keeps (the Teams
 * meeting blob) left as it was. Without markers (edited away in Outlook), the app's part goes first and the
 * rest is kept after it.
 */
export function mergeBody(current: string | undefined, appHtml: string): string {
  const wrapped = `${BODY_START}${appHtml}${BODY_END}`;
  if (!current) return wrapped;
  const start = current.indexOf(BODY_START);
  const end = current.indexOf(BODY_END);
  const inner = /<body[^>]*>([\s\S]*)<\/body>/i.exec(current)?.[1] ?? current;
  if (start !== -1 && end > start) {
    const merged = current.slice(0, start) + wrapped + current.slice(end + BODY_END.length);
    return /<body[^>]*>([\s\S]*)<\/body>/i.exec(merged)?.[1] ?? merged;
  }
  return `${wrapped}${inner}`;
}

function property(event: GraphEvent, id: string): string | undefined {
  return event.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === id.toLowerCase())?.value;
}

function versionOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}

function transient(status: number): boolean {
  return status === 0 || status === 429 || status === 503 || status === 504;
}

export class GraphCalendarGateway implements CalendarGateway {
  readonly capabilities: CalendarCapabilities = {
    freeBusy: true,
    onlineMeeting: true,
    sendsInvitations: true,
  };
  private readonly graph: GraphClient;
  private readonly clock: Clock;

  constructor(options: GraphCalendarOptions) {
    this.graph = options.graph;
    this.clock = options.clock ?? { now: () => new Date() };
  }

  private base(organiser: CalendarOrganiser): string {
    return organiser.kind === 'user' ? '/me' : `/users/${encodeURIComponent(organiser.address)}`;
  }

  private call(organiser: CalendarOrganiser, extra: GraphCallOptions = {}): GraphCallOptions {
    if (organiser.kind !== 'user') return extra;
    const tokenFor = organiser.tokenFor;
    return { ...extra, tokenProvider: { getAccessToken: () => tokenFor() } };
  }

  private utc(organiser: CalendarOrganiser, idempotent = false): GraphCallOptions {
    return this.call(organiser, { headers: { Prefer: 'outlook.timezone="UTC"' }, idempotent });
  }

  /** `start`, `end` and `recurrence` of a weekly schedule, in the Windows zone Graph takes. */
  private timing(schedule: SeriesSchedule): Record<string, unknown> {
    const zone = windowsZoneFor(schedule.timeZone);
    const first = firstOccurrenceDate(schedule);
    return {
      start: { dateTime: `${first}T${schedule.time}:00`, timeZone: zone },
      end: { dateTime: localPlus(first, schedule.time, schedule.durationMinutes), timeZone: zone },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [schedule.weekday], firstDayOfWeek: 'sunday' },
        range:
          schedule.endsOn === undefined
            ? { type: 'noEnd', startDate: first, recurrenceTimeZone: zone }
            : { type: 'endDate', startDate: first, endDate: schedule.endsOn, recurrenceTimeZone: zone },
      },
    };
  }

  private attendees(list: readonly CalendarAttendee[]): unknown[] {
    return list.map((a) => ({ emailAddress: { address: a.email, name: a.name }, type: 'required' }));
  }

  /** The body of the create request (exported shape checked against the reference bodies in tests). */
  createBody(request: SeriesRequest, idempotencyKey: string): Record<string, unknown> {
    return {
      subject: request.subject,
      body: { contentType: 'HTML', content: mergeBody(undefined, request.bodyHtml) },
      ...this.timing(request.schedule),
      attendees: this.attendees(request.attendees),
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      allowNewTimeProposals: false,
      transactionId: idempotencyKey,
      singleValueExtendedProperties: [
        { id: SERIES_KEY_PROPERTY, value: idempotencyKey },
        { id: PLAN_ID_PROPERTY, value: request.planId },
        { id: PLAN_VERSION_PROPERTY, value: String(request.planVersion) },
        { id: TIME_ZONE_PROPERTY, value: request.schedule.timeZone },
      ],
    };
  }

  private toSeries(event: GraphEvent, attachment: AttachmentInfo | undefined): CalendarSeries {
    const range = event.recurrence?.range;
    const windowsZone = range?.recurrenceTimeZone ?? event.originalStartTimeZone ?? 'UTC';
    const timeZone = property(event, TIME_ZONE_PROPERTY) ?? windowsToIana(windowsZone) ?? 'UTC';
    const start = instantOf(event.start);
    const end = instantOf(event.end);
    const local = start ? localDateTimeIn(timeZone, start) : '1970-01-01T00:00:00';
    const day = event.recurrence?.pattern?.daysOfWeek?.[0]?.toLowerCase() ?? 'monday';
    const schedule: SeriesSchedule = {
      weekday: isWeekday(day) ? day : 'monday',
      time: local.slice(11, 16),
      timeZone,
      startsOn: range?.startDate ?? local.slice(0, 10),
      ...(range?.type === 'endDate' && range.endDate ? { endsOn: range.endDate } : {}),
      durationMinutes: start && end ? Math.round((end.getTime() - start.getTime()) / 60_000) : 30,
    };
    const organiser = event.organizer?.emailAddress;
    return {
      id: event.id,
      idempotencyKey: property(event, SERIES_KEY_PROPERTY) ?? event.transactionId ?? '',
      planId: property(event, PLAN_ID_PROPERTY) ?? '',
      organiser: {
        address: organiser?.address ?? '',
        ...(organiser?.name ? { name: organiser.name } : {}),
      },
      subject: event.subject ?? '',
      schedule,
      attendees: (event.attendees ?? []).map((a) => ({
        email: a.emailAddress?.address ?? '',
        name: a.emailAddress?.name ?? a.emailAddress?.address ?? '',
      })),
      bodyHtml: appBodyOf(event.body?.content),
      planVersion: versionOf(property(event, PLAN_VERSION_PROPERTY)),
      ...(attachment ? { attachment } : {}),
      cancelled: event.isCancelled === true,
      ...(event.onlineMeeting?.joinUrl ? { joinUrl: event.onlineMeeting.joinUrl } : {}),
      ...(event.webLink ? { webLink: event.webLink } : {}),
    };
  }

  private async attachments(organiser: CalendarOrganiser, eventId: string): Promise<GraphAttachment[]> {
    return this.graph.getAll<GraphAttachment>(
      `${this.base(organiser)}/events/${encodeURIComponent(eventId)}/attachments${query({ $select: 'id,name,contentType,size' })}`,
      this.call(organiser),
    );
  }

  private async withAttachment(organiser: CalendarOrganiser, event: GraphEvent): Promise<CalendarSeries> {
    const [first] = event.hasAttachments ? await this.attachments(organiser, event.id) : [];
    return this.toSeries(
      event,
      first
        ? {
            filename: first.name ?? '',
            mimeType: first.contentType ?? 'application/octet-stream',
            size: first.size ?? 0,
          }
        : undefined,
    );
  }

  private async event(organiser: CalendarOrganiser, seriesId: string): Promise<GraphEvent | undefined> {
    try {
      return await this.graph.get<GraphEvent>(
        `${this.base(organiser)}/events/${encodeURIComponent(seriesId)}${query({ $expand: EXPAND_PROPERTIES })}`,
        this.utc(organiser),
      );
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async liveEvent(organiser: CalendarOrganiser, seriesId: string): Promise<GraphEvent> {
    const event = await this.event(organiser, seriesId);
    if (!event || event.isCancelled) throw new SeriesNotFoundError(seriesId);
    return event;
  }

  /** The live events carrying the key property, the one made first first. */
  private async eventsByKey(organiser: CalendarOrganiser, idempotencyKey: string): Promise<GraphEvent[]> {
    const found = await this.graph.getAll<GraphEvent>(
      `${this.base(organiser)}/events${query({
        $filter: `singleValueExtendedProperties/any(ep: ep/id eq ${quote(SERIES_KEY_PROPERTY)} and ep/value eq ${quote(idempotencyKey)})`,
        $expand: EXPAND_PROPERTIES,
      })}`,
      this.utc(organiser),
    );
    return found
      .filter((e) => !e.isCancelled)
      .sort(
        (a, b) =>
          (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? '') || a.id.localeCompare(b.id),
      );
  }

  async findSeriesByKey(
    organiser: CalendarOrganiser,
    idempotencyKey: string,
  ): Promise<CalendarSeries | undefined> {
    const [first] = await this.eventsByKey(organiser, idempotencyKey);
    return first ? this.withAttachment(organiser, first) : undefined;
  }

  async createSeries(
    organiser: CalendarOrganiser,
    request: SeriesRequest,
    idempotencyKey: string,
  ): Promise<CalendarSeries> {
    const existing = await this.findSeriesByKey(organiser, idempotencyKey);
    if (existing) return existing;
    checkSeriesRequest(request);
    const body = this.createBody(request, idempotencyKey);
    const path = `${this.base(organiser)}/events`;
    try {
      await this.graph.post<GraphEvent>(path, body, this.utc(organiser));
    } catch (error) {
      // No answer, or one that does not say whether the event was made: look for it by its key before
      // sending the create again (the same transactionId guards that second send too).
      if (!(error instanceof GraphRequestError) || (error.status !== 0 && error.status < 500)) throw error;
      const landed = await this.findSeriesByKey(organiser, idempotencyKey);
      if (landed) return landed;
      await this.graph.post<GraphEvent>(path, body, this.utc(organiser));
    }
    // Read back by the key: the answer carries no extended properties, and two creates racing with one key
    // (two instances, where the server did not dedupe the transactionId) leave more than one: the first made
    // stays, the others are deleted by whichever creator sees them (deleting twice is harmless).
    const [kept, ...extra] = await this.eventsByKey(organiser, idempotencyKey);
    if (!kept) throw new Error(`the series with key ${idempotencyKey} was created but cannot be found`);
    for (const duplicate of extra) {
      try {
        await this.graph.delete(
          `${this.base(organiser)}/events/${encodeURIComponent(duplicate.id)}`,
          this.call(organiser, { idempotent: true }),
        );
      } catch (error) {
        if (!(error instanceof GraphRequestError) || error.status !== 404) throw error;
      }
    }
    return this.withAttachment(organiser, kept);
  }

  async getSeries(organiser: CalendarOrganiser, seriesId: string): Promise<CalendarSeries | undefined> {
    const event = await this.event(organiser, seriesId);
    return event ? this.withAttachment(organiser, event) : undefined;
  }

  async updateSeries(
    organiser: CalendarOrganiser,
    seriesId: string,
    changes: SeriesChanges,
  ): Promise<CalendarSeries> {
    checkSeriesChanges(changes);
    const current = await this.liveEvent(organiser, seriesId);
    const patch: Record<string, unknown> = {};
    if (changes.subject !== undefined) patch.subject = changes.subject;
    if (changes.schedule) Object.assign(patch, this.timing(changes.schedule));
    if (changes.attendees) patch.attendees = this.attendees(changes.attendees);
    if (changes.bodyHtml !== undefined)
      patch.body = { contentType: 'HTML', content: mergeBody(current.body?.content, changes.bodyHtml) };
    const properties: ExtendedProperty[] = [];
    if (changes.planVersion !== undefined)
      properties.push({ id: PLAN_VERSION_PROPERTY, value: String(changes.planVersion) });
    if (changes.schedule) properties.push({ id: TIME_ZONE_PROPERTY, value: changes.schedule.timeZone });
    if (properties.length > 0) patch.singleValueExtendedProperties = properties;
    if (Object.keys(patch).length > 0) {
      await this.graph.patch(
        `${this.base(organiser)}/events/${encodeURIComponent(seriesId)}`,
        patch,
        this.call(organiser, { idempotent: true }),
      );
    }
    const read = await this.getSeries(organiser, seriesId);
    if (!read) throw new SeriesNotFoundError(seriesId);
    return read;
  }

  async setSeriesAttachment(
    organiser: CalendarOrganiser,
    seriesId: string,
    attachment: CalendarAttachment,
  ): Promise<CalendarSeries> {
    checkAttachment(attachment);
    const current = await this.liveEvent(organiser, seriesId);
    const eventPath = `${this.base(organiser)}/events/${encodeURIComponent(seriesId)}`;
    const before = await this.attachments(organiser, seriesId);
    await this.graph.post(
      `${eventPath}/attachments`,
      {
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: attachment.filename,
        contentType: attachment.mimeType,
        contentBytes: Buffer.from(attachment.bytes).toString('base64'),
      },
      this.call(organiser),
    );
    for (const old of before) {
      try {
        await this.graph.delete(
          `${eventPath}/attachments/${encodeURIComponent(old.id)}`,
          this.call(organiser, { idempotent: true }),
        );
      } catch (error) {
        if (!(error instanceof GraphRequestError) || error.status !== 404) throw error;
      }
    }
    // Adding an attachment changes only the organiser's copy; an update sends it to the attendees (§3.7).
    await this.graph.patch(
      eventPath,
      {
        body: {
          contentType: 'HTML',
          content: mergeBody(current.body?.content, appBodyOf(current.body?.content)),
        },
      },
      this.call(organiser, { idempotent: true }),
    );
    const read = await this.getSeries(organiser, seriesId);
    if (!read) throw new SeriesNotFoundError(seriesId);
    return read;
  }

  async cancelSeries(organiser: CalendarOrganiser, seriesId: string, comment: string): Promise<void> {
    try {
      await this.graph.post(
        `${this.base(organiser)}/events/${encodeURIComponent(seriesId)}/cancel`,
        { Comment: comment },
        this.call(organiser, { idempotent: true }),
      );
    } catch (error) {
      // Cancelled before (it left the calendar), or never there: either way nothing is booked.
      if (error instanceof GraphRequestError && error.status === 404) return;
      throw error;
    }
  }

  async listOccurrences(
    organiser: CalendarOrganiser,
    seriesId: string,
    fromIso: string,
    toIso: string,
  ): Promise<CalendarOccurrence[]> {
    const master = await this.liveEvent(organiser, seriesId);
    const seriesVersion = versionOf(property(master, PLAN_VERSION_PROPERTY));
    const instances = await this.graph.getAll<GraphEvent>(
      `${this.base(organiser)}/events/${encodeURIComponent(seriesId)}/instances${query({
        startDateTime: new Date(fromIso).toISOString(),
        endDateTime: new Date(toIso).toISOString(),
        $select: 'id,start,end,type,isCancelled,seriesMasterId',
        $expand: `singleValueExtendedProperties($filter=id eq ${quote(PLAN_VERSION_PROPERTY)})`,
      })}`,
      this.utc(organiser),
    );
    const from = Date.parse(fromIso);
    const to = Date.parse(toIso);
    return instances
      .filter((i) => !i.isCancelled)
      .map((i) => {
        const start = instantOf(i.start) ?? new Date(0);
        const end = instantOf(i.end) ?? start;
        const own = versionOf(property(i, PLAN_VERSION_PROPERTY));
        return {
          id: i.id,
          seriesId,
          start: start.toISOString(),
          end: end.toISOString(),
          planVersion: own ?? (i.type === 'exception' ? undefined : seriesVersion),
          modified: i.type === 'exception',
        };
      })
      .filter((o) => Date.parse(o.start) < to && Date.parse(o.end) > from)
      .sort((a, b) => a.start.localeCompare(b.start));
  }

  async updateOccurrences(
    organiser: CalendarOrganiser,
    seriesId: string,
    updates: readonly OccurrenceUpdate[],
  ): Promise<OccurrenceUpdateResult[]> {
    await this.liveEvent(organiser, seriesId);
    const base = this.base(organiser);
    const batchOptions =
      organiser.kind === 'user' ? { tokenProvider: this.call(organiser).tokenProvider } : {};
    const failures = new Map<string, OccurrenceUpdateResult>();
    const fail = (update: OccurrenceUpdate, step: BatchStep, outcome: BatchOutcome | undefined) => {
      if (failures.has(update.occurrenceId)) return;
      const error = outcome ? outcomeError(step, outcome) : undefined;
      failures.set(update.occurrenceId, {
        occurrenceId: update.occurrenceId,
        ok: false,
        error: error?.message ?? `no answer for ${step.method} ${step.url}`,
        retryable: error ? transient(error.status) : true,
      });
    };
    for (const update of updates) {
      if (update.attachment) {
        try {
          checkAttachment(update.attachment);
        } catch (error) {
          failures.set(update.occurrenceId, {
            occurrenceId: update.occurrenceId,
            ok: false,
            error: (error as Error).message,
            retryable: false,
          });
        }
      }
    }
    const pending = () => updates.filter((u) => !failures.has(u.occurrenceId));
    const pathOf = (u: OccurrenceUpdate) => `${base}/events/${encodeURIComponent(u.occurrenceId)}`;

    // 1. Read each occurrence's body (to keep the Teams blob) and, when attaching, its attachments.
    const reads: BatchStep[] = [];
    const readOf = new Map<string, { body: BatchStep; attachments?: BatchStep }>();
    pending().forEach((u, i) => {
      const body: BatchStep = {
        id: `b${i}`,
        method: 'GET',
        url: `${pathOf(u)}${query({ $select: 'id,body,type' })}`,
      };
      const attachments: BatchStep | undefined = u.attachment
        ? { id: `a${i}`, method: 'GET', url: `${pathOf(u)}/attachments${query({ $select: 'id,name' })}` }
        : undefined;
      reads.push(body, ...(attachments ? [attachments] : []));
      readOf.set(u.occurrenceId, { body, ...(attachments ? { attachments } : {}) });
    });
    const read =
      reads.length > 0 ? await this.graph.batch(reads, batchOptions) : new Map<string, BatchOutcome>();
    for (const u of pending()) {
      const steps = readOf.get(u.occurrenceId);
      if (!steps) continue;
      for (const step of [steps.body, ...(steps.attachments ? [steps.attachments] : [])]) {
        const outcome = read.get(step.id);
        if (!outcome || !isSuccess(outcome)) fail(u, step, outcome);
      }
    }

    // 2. The new attachment in, the old ones out (the occurrence becomes an exception with its own set).
    const writes: BatchStep[] = [];
    const writesOf = new Map<string, BatchStep[]>();
    pending().forEach((u, i) => {
      if (!u.attachment) return;
      const steps: BatchStep[] = [
        {
          id: `p${i}`,
          method: 'POST',
          url: `${pathOf(u)}/attachments`,
          body: {
            '@odata.type': '#microsoft.graph.fileAttachment',
            name: u.attachment.filename,
            contentType: u.attachment.mimeType,
            contentBytes: Buffer.from(u.attachment.bytes).toString('base64'),
          },
        },
      ];
      const listed = read.get(readOf.get(u.occurrenceId)?.attachments?.id ?? '')?.body as
        | { value?: GraphAttachment[] }
        | undefined;
      (listed?.value ?? []).forEach((old, j) => {
        steps.push({
          id: `d${i}_${j}`,
          method: 'DELETE',
          url: `${pathOf(u)}/attachments/${encodeURIComponent(old.id)}`,
          idempotent: true,
        });
      });
      writes.push(...steps);
      writesOf.set(u.occurrenceId, steps);
    });
    if (writes.length > 0) {
      const written = await this.graph.batch(writes, batchOptions);
      for (const u of pending()) {
        for (const step of writesOf.get(u.occurrenceId) ?? []) {
          const outcome = written.get(step.id);
          const gone = step.method === 'DELETE' && outcome?.status === 404;
          if (!gone && (!outcome || !isSuccess(outcome))) fail(u, step, outcome);
        }
      }
    }

    // 3. The body and the plan-version marker: this PATCH is also what sends the update to attendees.
    const patches: BatchStep[] = [];
    const patchOf = new Map<string, BatchStep>();
    pending().forEach((u, i) => {
      const current = read.get(readOf.get(u.occurrenceId)?.body.id ?? '')?.body as GraphEvent | undefined;
      const step: BatchStep = {
        id: `u${i}`,
        method: 'PATCH',
        url: pathOf(u),
        body: {
          body: { contentType: 'HTML', content: mergeBody(current?.body?.content, u.bodyHtml) },
          singleValueExtendedProperties: [{ id: PLAN_VERSION_PROPERTY, value: String(u.planVersion) }],
        },
        idempotent: true,
      };
      patches.push(step);
      patchOf.set(u.occurrenceId, step);
    });
    if (patches.length > 0) {
      const patched = await this.graph.batch(patches, batchOptions);
      for (const u of pending()) {
        const step = patchOf.get(u.occurrenceId);
        if (!step) continue;
        const outcome = patched.get(step.id);
        if (!outcome || !isSuccess(outcome)) fail(u, step, outcome);
      }
    }
    return updates.map(
      (u) => failures.get(u.occurrenceId) ?? ({ occurrenceId: u.occurrenceId, ok: true } as const),
    );
  }

  async getSchedule(
    organiser: CalendarOrganiser,
    emails: readonly string[],
    window: { from: string; to: string },
  ): Promise<PersonSchedule[]> {
    if (emails.length === 0) return [];
    const utc = (iso: string) => ({ dateTime: new Date(iso).toISOString().slice(0, 19), timeZone: 'UTC' });
    const answer = await this.graph.post<{
      value?: {
        scheduleId?: string;
        scheduleItems?: { status?: string; start?: DateTimeTimeZone; end?: DateTimeTimeZone }[];
        error?: { message?: string; responseCode?: string };
      }[];
    }>(
      `${this.base(organiser)}/calendar/getSchedule`,
      {
        schedules: [...emails],
        startTime: utc(window.from),
        endTime: utc(window.to),
        availabilityViewInterval: 30,
      },
      this.utc(organiser, true),
    );
    const byEmail = new Map((answer?.value ?? []).map((s) => [(s.scheduleId ?? '').toLowerCase(), s]));
    return emails.map((email) => {
      const schedule = byEmail.get(email.toLowerCase());
      if (!schedule) return { email, busy: [], error: 'Graph did not answer for this address' };
      if (schedule.error) {
        return {
          email,
          busy: [],
          error: schedule.error.message ?? schedule.error.responseCode ?? 'unreadable',
        };
      }
      const busy = (schedule.scheduleItems ?? [])
        .filter((item) => item.status && item.status !== 'free' && item.status !== 'unknown')
        .map((item) => ({
          start: (instantOf(item.start) ?? new Date(0)).toISOString(),
          end: (instantOf(item.end) ?? new Date(0)).toISOString(),
          status: item.status as 'busy' | 'tentative' | 'oof' | 'workingElsewhere',
        }))
        .sort((a, b) => a.start.localeCompare(b.start));
      return { email, busy };
    });
  }

  async exportIcs(organiser: CalendarOrganiser, seriesId: string): Promise<string> {
    const event = await this.event(organiser, seriesId);
    if (!event) throw new SeriesNotFoundError(seriesId);
    const files = event.hasAttachments
      ? await this.graph.getAll<GraphAttachment>(
          `${this.base(organiser)}/events/${encodeURIComponent(seriesId)}/attachments`,
          this.call(organiser),
        )
      : [];
    const attachments: CalendarAttachment[] = files
      .filter((f) => typeof f.contentBytes === 'string')
      .map((f) => ({
        filename: f.name ?? 'attachment',
        mimeType: f.contentType ?? 'application/octet-stream',
        bytes: new Uint8Array(Buffer.from(f.contentBytes ?? '', 'base64')),
      }));
    const series = this.toSeries(event, undefined);
    const modified = Date.parse(event.lastModifiedDateTime ?? '');
    return renderIcs({
      series: icsSeriesOf({
        series,
        bodyText: htmlToText(series.bodyHtml),
        attachments,
        // Graph does not expose the meeting's SEQUENCE; the last change, in seconds, only ever grows.
        sequence: Number.isNaN(modified) ? 0 : Math.floor(modified / 1000),
        ...(event.iCalUId ? { uid: event.iCalUId } : {}),
      }),
      now: this.clock.now(),
    });
  }
}
