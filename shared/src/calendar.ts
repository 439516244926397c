import { zonedTimeToInstant } from './cadence';
import { addDays, type IsoDate, isIsoDate } from './dates';
import type { IcsSeries } from './ics';
import { WEEKDAYS } from './vocabulary';
import { ianaToWindows } from './windows-zones';

export * from './windows-zones';

/*
 * The booking layer of the weekly cadence (SPEC §5, issue 7): the `CalendarGateway` port every calendar
 * adapter implements (Outlook through Graph; the embedded one of the local default, which keeps the
 * series itself and hands it out as .ics), and the pure helpers they share — the weekly schedule and its
 * occurrences in the organiser's IANA zone, the series described in words, the idempotency key.
 * Nothing here reads a clock or does I/O.
 */

export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly series: `weekday` at `time` in `timeZone`, from the first such day on or after `startsOn`. */
export interface SeriesSchedule {
  weekday: Weekday;
  /** 24-hour HH:MM in `timeZone`. */
  time: string;
  /** IANA, e.g. Europe/Berlin. */
  timeZone: string;
  startsOn: IsoDate;
  /** The last day (inclusive) an occurrence may fall on; none = the series runs on. */
  endsOn?: IsoDate;
  durationMinutes: number;
}

export interface CalendarAttendee {
  email: string;
  name: string;
}

/**
 * Who organises the series and how the adapter reaches their calendar.
 * `user`: as the signed-in user (a delegated token, e.g. on-behalf-of; Graph `/me/events`).
 * `mailbox`: a configured organiser mailbox with app-only access (Graph `/users/{address}/events`); also
 * how a timer reaches a series a user booked (app-only access to that user's mailbox).
 */
export type CalendarOrganiser =
  | { kind: 'user'; address: string; name?: string; tokenFor: () => Promise<string> }
  | { kind: 'mailbox'; address: string; name?: string };

export interface CalendarAttachment {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** What an attachment is, without its bytes. */
export interface AttachmentInfo {
  filename: string;
  mimeType: string;
  size: number;
}

export interface SeriesRequest {
  planId: string;
  subject: string;
  schedule: SeriesSchedule;
  attendees: CalendarAttendee[];
  /** The one-page plan as email-safe HTML (the invite body). */
  bodyHtml: string;
  /** The same as plain text (the .ics DESCRIPTION). */
  bodyText: string;
  /** The plan version the body carries. */
  planVersion: number;
  /** A link back to the plan in Teams (the .ics URL). */
  tabUrl?: string;
}

export interface CalendarSeries {
  id: string;
  idempotencyKey: string;
  planId: string;
  organiser: { address: string; name?: string };
  subject: string;
  schedule: SeriesSchedule;
  attendees: CalendarAttendee[];
  /** The app's part of the body (an adapter may keep more around it, e.g. Outlook's Teams meeting blob). */
  bodyHtml: string;
  /** The plan version the series body carries (and every occurrence not refreshed on its own). */
  planVersion: number | undefined;
  attachment?: AttachmentInfo;
  cancelled: boolean;
  /** The Teams meeting link, where the adapter makes one. */
  joinUrl?: string;
  /** Where a person opens the series (Outlook on the web), where there is such a place. */
  webLink?: string;
}

/** What `updateSeries` changes; absent = unchanged. */
export interface SeriesChanges {
  subject?: string;
  schedule?: SeriesSchedule;
  attendees?: CalendarAttendee[];
  bodyHtml?: string;
  bodyText?: string;
  planVersion?: number;
}

export interface CalendarOccurrence {
  /** Opaque; unique within its series. */
  id: string;
  seriesId: string;
  /** ISO 8601 instants (UTC). */
  start: string;
  end: string;
  /** The plan version this occurrence's invite carries: its own refresh, else the series'; undefined = unknown. */
  planVersion: number | undefined;
  /** True when the occurrence was changed on its own (an exception of the series). */
  modified: boolean;
}

export interface OccurrenceUpdate {
  occurrenceId: string;
  bodyHtml: string;
  bodyText: string;
  planVersion: number;
  attachment?: CalendarAttachment;
}

export type OccurrenceUpdateResult =
  | { occurrenceId: string; ok: true }
  | { occurrenceId: string; ok: false; error: string; retryable: boolean };

export interface ScheduleWindow {
  /** ISO 8601 instants. */
  from: string;
  to: string;
}

export interface BusyInterval {
  start: string;
  end: string;
  status: 'busy' | 'tentative' | 'oof' | 'workingElsewhere';
}

export interface PersonSchedule {
  email: string;
  busy: BusyInterval[];
  /** Set when this person's calendar could not be read (e.g. outside the organisation). */
  error?: string;
}

export interface CalendarCapabilities {
  /** getSchedule answers: the adapter can see attendees' free/busy. */
  freeBusy: boolean;
  /** A Teams online meeting is created with the series. */
  onlineMeeting: boolean;
  /** The adapter itself sends invitations to attendees (else the .ics is how the series travels). */
  sendsInvitations: boolean;
}

/**
 * Where the weekly co-sell series is booked. Every call names the organiser whose calendar holds the
 * series. Errors: `SeriesNotFoundError` for an unknown or cancelled series; `AttachmentTooLargeError`;
 * `UnsupportedTimeZoneError`; anything else is the adapter's own failure (e.g. GraphRequestError).
 */
export interface CalendarGateway {
  readonly capabilities: CalendarCapabilities;
  /**
   * Books the series. If a series with `idempotencyKey` exists (also one whose create's answer was lost),
   * that series is returned as it is: never a second one. After a cancel, book with a new key.
   */
  createSeries(
    organiser: CalendarOrganiser,
    request: SeriesRequest,
    idempotencyKey: string,
  ): Promise<CalendarSeries>;
  findSeriesByKey(organiser: CalendarOrganiser, idempotencyKey: string): Promise<CalendarSeries | undefined>;
  /** Undefined for an unknown id; a cancelled series is undefined or `cancelled: true` (adapter's choice). */
  getSeries(organiser: CalendarOrganiser, seriesId: string): Promise<CalendarSeries | undefined>;
  /** Attendees are notified (Graph sends the update). A schedule change drops occurrences' own changes. */
  updateSeries(
    organiser: CalendarOrganiser,
    seriesId: string,
    changes: SeriesChanges,
  ): Promise<CalendarSeries>;
  /** Replaces the series' attachment (the plan PDF) and sends the update to attendees. */
  setSeriesAttachment(
    organiser: CalendarOrganiser,
    seriesId: string,
    attachment: CalendarAttachment,
  ): Promise<CalendarSeries>;
  /** Cancels the whole series, attendees notified with `comment`. Cancelling a cancelled series does nothing. */
  cancelSeries(organiser: CalendarOrganiser, seriesId: string, comment: string): Promise<void>;
  /** Occurrences overlapping [fromIso, toIso), in start order. */
  listOccurrences(
    organiser: CalendarOrganiser,
    seriesId: string,
    fromIso: string,
    toIso: string,
  ): Promise<CalendarOccurrence[]>;
  /**
   * Refreshes occurrences one by one (body, attachment, and the plan version marker), batched where the
   * adapter can. One result per update; a failed one does not stop the others.
   */
  updateOccurrences(
    organiser: CalendarOrganiser,
    seriesId: string,
    updates: readonly OccurrenceUpdate[],
  ): Promise<OccurrenceUpdateResult[]>;
  /** Busy intervals of each address in the window; undefined when the adapter cannot know (`freeBusy` false). */
  getSchedule(
    organiser: CalendarOrganiser,
    emails: readonly string[],
    window: ScheduleWindow,
  ): Promise<PersonSchedule[] | undefined>;
  /** The series as an RFC 5545 file (cancelled: a cancellation). */
  exportIcs(organiser: CalendarOrganiser, seriesId: string): Promise<string>;
}

export class SeriesNotFoundError extends Error {
  constructor(readonly seriesId: string) {
    super(`no calendar series ${seriesId} (unknown or cancelled)`);
    this.name = 'SeriesNotFoundError';
  }
}

export class OccurrenceNotFoundError extends Error {
  constructor(
    readonly seriesId: string,
    readonly occurrenceId: string,
  ) {
    super(`no occurrence ${occurrenceId} in series ${seriesId}`);
    this.name = 'OccurrenceNotFoundError';
  }
}

/**
 * Graph adds an attachment in one request only "under 3 MB" (reference/graph-contract.md §3.7); larger ones
 * need an upload session. The plan PDF is far smaller, so both adapters refuse above this rather than
 * fall back.
 */
export const MAX_ATTACHMENT_BYTES = 3 * 1024 * 1024 - 1;

export class AttachmentTooLargeError extends Error {
  constructor(
    readonly filename: string,
    readonly size: number,
  ) {
    super(
      `the attachment ${filename} is ${size} bytes; a calendar attachment must be under 3 MB (${MAX_ATTACHMENT_BYTES + 1} bytes)`,
    );
    this.name = 'AttachmentTooLargeError';
  }
}

export class UnsupportedTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`the time zone "${timeZone}" has no Windows equivalent that Outlook knows (CLDR windowsZones)`);
    this.name = 'UnsupportedTimeZoneError';
  }
}

export function checkAttachment(attachment: CalendarAttachment): void {
  if (attachment.bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    throw new AttachmentTooLargeError(attachment.filename, attachment.bytes.byteLength);
  }
}

/** The Windows zone for Graph, or UnsupportedTimeZoneError. */
export function windowsZoneFor(iana: string): string {
  const windows = ianaToWindows(iana);
  if (!windows) throw new UnsupportedTimeZoneError(iana);
  return windows;
}

/* ---------- schedule arithmetic ---------- */

const MINUTE_MS = 60_000;

/** 0 = Monday … 6 = Sunday, as in WEEKDAYS. */
function weekdayIndexOf(date: IsoDate): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The weekday of a calendar date. */
export function weekdayOf(date: IsoDate): Weekday {
  return WEEKDAYS[weekdayIndexOf(date)] ?? 'monday';
}

/** The first day of the series: the first `weekday` on or after `startsOn`. */
export function firstOccurrenceDate(schedule: Pick<SeriesSchedule, 'weekday' | 'startsOn'>): IsoDate {
  const target = WEEKDAYS.indexOf(schedule.weekday);
  return addDays(schedule.startsOn, (target - weekdayIndexOf(schedule.startsOn) + 7) % 7);
}

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** The instant the meeting of `localDate` starts (the wall clock in the series' zone; DST resolved as RFC 5545). */
export function occurrenceStart(
  schedule: Pick<SeriesSchedule, 'time' | 'timeZone'>,
  localDate: IsoDate,
): Date {
  const local = Date.parse(`${localDate}T00:00:00Z`) + minutesOf(schedule.time) * MINUTE_MS;
  return new Date(zonedTimeToInstant(schedule.timeZone, local));
}

export interface ScheduledOccurrence {
  /** The calendar day in the series' zone. */
  localDate: IsoDate;
  start: Date;
  end: Date;
}

/** The series' occurrences overlapping [from, to), at most `limit` (a guard; default 1,000). */
export function occurrencesBetween(
  schedule: SeriesSchedule,
  from: Date,
  to: Date,
  limit = 1000,
): ScheduledOccurrence[] {
  const result: ScheduledOccurrence[] = [];
  const durationMs = schedule.durationMinutes * MINUTE_MS;
  // Start a week before `from` in local days so an occurrence in progress is found, whatever the zone.
  let date = firstOccurrenceDate(schedule);
  const earliest = addDays(from.toISOString().slice(0, 10), -8);
  if (date < earliest) {
    const weeks = Math.floor((Date.parse(earliest) - Date.parse(date)) / (7 * 86_400_000));
    date = addDays(date, weeks * 7);
  }
  while (result.length < limit) {
    if (schedule.endsOn !== undefined && date > schedule.endsOn) break;
    const start = occurrenceStart(schedule, date);
    if (start.getTime() >= to.getTime()) break;
    const end = new Date(start.getTime() + durationMs);
    if (end.getTime() > from.getTime()) result.push({ localDate: date, start, end });
    date = addDays(date, 7);
  }
  return result;
}

/** The wall-clock date and time in `timeZone` at an instant: `YYYY-MM-DDTHH:mm:ss`. */
export function localDateTimeIn(timeZone: string, instant: Date): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const part of format.formatToParts(instant))
    if (part.type !== 'literal') parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Problems of a schedule as sentences (empty when it is bookable). */
export function scheduleProblems(schedule: SeriesSchedule): string[] {
  const problems: string[] = [];
  if (!WEEKDAYS.includes(schedule.weekday)) problems.push(`"${schedule.weekday}" is not a weekday`);
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(schedule.time)) problems.push('a time is HH:MM on a 24-hour clock');
  if (!ianaToWindows(schedule.timeZone))
    problems.push(`the time zone "${schedule.timeZone}" is not one Outlook knows`);
  if (!isIsoDate(schedule.startsOn)) problems.push('the start date is not a calendar date');
  if (schedule.endsOn !== undefined) {
    if (!isIsoDate(schedule.endsOn)) problems.push('the end date is not a calendar date');
    else if (schedule.endsOn < firstOccurrenceDate(schedule))
      problems.push('the series ends before its first meeting');
  }
  if (!Number.isInteger(schedule.durationMinutes) || schedule.durationMinutes <= 0)
    problems.push('the duration is a positive whole number of minutes');
  return problems;
}

/* ---------- words ---------- */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayInWords(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The series in one sentence a person checks before booking:
 * "Every Tuesday at 16:00 (Europe/Berlin), 30 minutes, from Dec 1, 2026 until Mar 31, 2027 — 3 attendees".
 */
export function describeSeries(
  schedule: SeriesSchedule,
  attendees: readonly CalendarAttendee[] = [],
  subject?: string,
): string {
  const first = firstOccurrenceDate(schedule);
  const until = schedule.endsOn === undefined ? 'with no end date' : `until ${dayInWords(schedule.endsOn)}`;
  const people =
    attendees.length === 0
      ? 'no attendees yet'
      : attendees.length === 1
        ? '1 attendee'
        : `${attendees.length} attendees`;
  const what = subject ? `"${subject}": ` : '';
  return `${what}every ${capitalised(schedule.weekday)} at ${schedule.time} (${schedule.timeZone}), ${schedule.durationMinutes} minutes, from ${dayInWords(first)} ${until} — ${people}`;
}

/** The subject a person recognises in their calendar. */
export function seriesSubject(planTitle: string): string {
  const title = planTitle.replace(/[\r\n\t]+/g, ' ').trim();
  const short = title.length > 200 ? `${title.slice(0, 199)}…` : title;
  return `Weekly co-sell review: ${short}`;
}

/* ---------- idempotency key ---------- */

/** SHA-1 (FIPS 180-4) of bytes; pure, for name-based UUIDs only. */
function sha1(bytes: Uint8Array): Uint8Array {
  const length = bytes.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 4, (length * 8) >>> 0);
  view.setUint32(padded.length - 8, Math.floor((length * 8) / 2 ** 32));
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const [f, k] =
        i < 20
          ? [(b & c) | (~b & d), 0x5a827999]
          : i < 40
            ? [b ^ c ^ d, 0x6ed9eba1]
            : i < 60
              ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
              : [b ^ c ^ d, 0xca62c1d6];
      const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] ?? 0)) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = t;
    }
    h[0] = ((h[0] ?? 0) + a) >>> 0;
    h[1] = ((h[1] ?? 0) + b) >>> 0;
    h[2] = ((h[2] ?? 0) + c) >>> 0;
    h[3] = ((h[3] ?? 0) + d) >>> 0;
    h[4] = ((h[4] ?? 0) + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  h.forEach((word, i) => {
    outView.setUint32(i * 4, word);
  });
  return out;
}

/** The app's UUID namespace for series keys (a random v4 UUID fixed once). */
export const SERIES_KEY_NAMESPACE = '3f0d8c52-6a4e-4b7f-9d21-5c8e0b7a4f16';

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string = SERIES_KEY_NAMESPACE): string {
  const ns = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new Error(`"${namespace}" is not a UUID`);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  for (let i = 0; i < 16; i++) input[i] = Number.parseInt(ns.slice(i * 2, i * 2 + 2), 16);
  input.set(nameBytes, 16);
  const hash = sha1(input).slice(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The idempotency key of a plan's series: the same for every retry of one booking, new for the next
 * booking of the same plan (`booking` counts the plan's bookings: 1, then 2 after a cancel…). A GUID,
 * as Graph's `transactionId` examples are.
 */
export function seriesIdempotencyKey(planId: string, booking: number): string {
  if (!Number.isSafeInteger(booking) || booking < 1) throw new Error('booking counts from 1');
  return uuidV5(`co-sell-plan/${planId}/series/${booking}`).toUpperCase();
}

/* ---------- validation ---------- */

/** Graph accepts at most 500 attendees on an event (reference/graph-contract.md §3.1). */
export const MAX_ATTENDEES = 500;

export class InvalidSeriesError extends Error {
  constructor(readonly problems: string[]) {
    super(`the series cannot be booked: ${problems.join('; ')}`);
    this.name = 'InvalidSeriesError';
  }
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

function attendeeProblems(attendees: readonly CalendarAttendee[]): string[] {
  const problems: string[] = [];
  if (attendees.length > MAX_ATTENDEES) problems.push(`a meeting has at most ${MAX_ATTENDEES} attendees`);
  const seen = new Set<string>();
  for (const attendee of attendees) {
    const email = attendee.email.trim().toLowerCase();
    if (!EMAIL.test(email)) problems.push(`"${attendee.email}" is not an email address`);
    else if (seen.has(email)) problems.push(`${attendee.email} is invited twice`);
    seen.add(email);
  }
  return problems;
}

/** Throws InvalidSeriesError unless the request can be booked. */
export function checkSeriesRequest(request: SeriesRequest): void {
  const problems = [...scheduleProblems(request.schedule), ...attendeeProblems(request.attendees)];
  if (request.subject.trim() === '') problems.push('the subject is empty');
  if (problems.length > 0) throw new InvalidSeriesError(problems);
}

/** Throws InvalidSeriesError unless the changes can be applied. */
export function checkSeriesChanges(changes: SeriesChanges): void {
  const problems = [
    ...(changes.schedule ? scheduleProblems(changes.schedule) : []),
    ...(changes.attendees ? attendeeProblems(changes.attendees) : []),
  ];
  if (changes.subject !== undefined && changes.subject.trim() === '') problems.push('the subject is empty');
  if (problems.length > 0) throw new InvalidSeriesError(problems);
}

/** An occurrence id made of its original start: `20261201T150000Z` (an RFC 5545 RECURRENCE-ID in UTC). */
export function occurrenceIdOf(start: Date): string {
  return start
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The original start of an id made by `occurrenceIdOf`, or undefined. */
export function occurrenceStartOf(id: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The schedule as a calendar keeps it: `startsOn` moved to the first meeting day (Graph's `range.startDate`). */
export function normaliseSchedule(schedule: SeriesSchedule): SeriesSchedule {
  return { ...schedule, startsOn: firstOccurrenceDate(schedule) };
}

/* ---------- .ics ---------- */

export interface IcsSeriesSource {
  series: CalendarSeries;
  /** The plain-text body (DESCRIPTION). */
  bodyText: string;
  /** The attached files, bytes included. */
  attachments: readonly CalendarAttachment[];
  /** RFC 5545 SEQUENCE of this state of the series. */
  sequence: number;
  /** The series' iCalendar UID; default `<series id>@co-sell-plan`. */
  uid?: string;
  tabUrl?: string;
}

/** The input of `renderIcs` for a calendar series: a weekly RRULE in the series' IANA zone, or a cancellation. */
export function icsSeriesOf(source: IcsSeriesSource): IcsSeries {
  const { series } = source;
  const schedule = series.schedule;
  return {
    uid: source.uid ?? `${series.id}@co-sell-plan`,
    sequence: source.sequence,
    method: series.cancelled ? 'CANCEL' : 'REQUEST',
    status: series.cancelled ? 'CANCELLED' : 'CONFIRMED',
    summary: series.subject,
    startLocal: `${firstOccurrenceDate(schedule)}T${schedule.time}`,
    timeZone: schedule.timeZone,
    durationMinutes: schedule.durationMinutes,
    weekdays: [schedule.weekday],
    ...(schedule.endsOn !== undefined ? { until: schedule.endsOn } : {}),
    organizer: { name: series.organiser.name ?? series.organiser.address, email: series.organiser.address },
    attendees: series.attendees.map((a) => ({ name: a.name, email: a.email })),
    descriptionText: source.bodyText,
    descriptionHtml: series.bodyHtml,
    ...(source.tabUrl !== undefined ? { url: source.tabUrl } : {}),
    attachments: source.attachments,
  };
}

/** Text of an HTML body for a plain-text part: tags dropped, the five entities decoded, blank runs closed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/tr|\/h\d|\/li)[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/* ---------- proposing a free slot ---------- */

/** True when none of the series' occurrences in [from, from + weeks) overlaps a busy interval. */
export function isScheduleFree(
  schedule: SeriesSchedule,
  busy: readonly BusyInterval[],
  from: Date,
  weeks: number,
): boolean {
  const to = new Date(from.getTime() + weeks * 7 * 86_400_000);
  const spans = busy.map((b) => [Date.parse(b.start), Date.parse(b.end)] as const);
  return occurrencesBetween(schedule, from, to).every(
    (o) => !spans.some(([start, end]) => start < o.end.getTime() && end > o.start.getTime()),
  );
}

export interface ProposalOptions {
  /** How many weeks ahead must be free (default 4): the window the free/busy was asked for. */
  weeks?: number;
  /** Local times tried, HH:MM (default every half hour from 09:00 to 16:30). */
  times?: readonly string[];
  /** Weekdays tried (default Monday to Friday). */
  weekdays?: readonly Weekday[];
  /** At most this many proposals (default 3). */
  limit?: number;
}

function defaultTimes(): string[] {
  const times: string[] = [];
  for (let minutes = 9 * 60; minutes <= 16 * 60 + 30; minutes += 30) {
    times.push(
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
    );
  }
  return times;
}

/**
 * Weekly slots free for everyone whose busy intervals are given (the vendor attendees' `getSchedule`),
 * closest first to the wished-for one (`wish`: its weekday, then its time), in the wish's time zone, with
 * its start, end and duration. The wish itself comes first when it is free.
 */
export function proposeSchedules(
  wish: SeriesSchedule,
  busy: readonly BusyInterval[],
  from: Date,
  options: ProposalOptions = {},
): SeriesSchedule[] {
  const weeks = options.weeks ?? 4;
  const weekdays = options.weekdays ?? WEEKDAYS.slice(0, 5);
  const times = options.times ?? defaultTimes();
  const wishDay = WEEKDAYS.indexOf(wish.weekday);
  const wishMinutes = minutesOf(wish.time);
  const candidates: { schedule: SeriesSchedule; distance: number }[] = [{ schedule: wish, distance: -1 }];
  for (const weekday of weekdays) {
    for (const time of times) {
      if (weekday === wish.weekday && time === wish.time) continue;
      const dayDistance = Math.min(
        Math.abs(WEEKDAYS.indexOf(weekday) - wishDay),
        7 - Math.abs(WEEKDAYS.indexOf(weekday) - wishDay),
      );
      candidates.push({
        schedule: { ...wish, weekday, time },
        distance: dayDistance * 24 * 60 + Math.abs(minutesOf(time) - wishMinutes),
      });
    }
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const result: SeriesSchedule[] = [];
  for (const { schedule } of candidates) {
    if (result.length >= (options.limit ?? 3)) break;
    if (isScheduleFree(schedule, busy, from, weeks)) result.push(schedule);
  }
  return result;
}
