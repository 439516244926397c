import { randomBytes } from 'node:crypto';
import { localDateTimeIn, windowsToIana, zonedTimeToInstant } from '@cosell/shared';
import { type GraphAnswer, graphError, type IncomingGraphRequest } from './sharepoint-lists';

/*
 * Outlook calendars as Graph shows them (reference/graph-contract.md §3, bodies in graph-examples/): events
 * with weekly recurrence, their instances, exceptions, attachments, cancel, getSchedule, and single-value
 * extended properties. Mailboxes are made on first use: `/users/{address}/…` (app-only) and `/me/…` (a
 * delegated token registered with `signIn(token, address)`). Every behaviour is tagged:
 *
 * [DOC] documented by Microsoft (the contract's source); [OBS] seen on the real service by others;
 * [CHOSEN] undocumented, picked here (configurable where it matters) — the live suite is where it meets
 * the real thing.
 *
 * - [DOC] create 201 with the normalised event: `daysOfWeek` lower-cased, pattern/range defaults filled
 *   (`month`, `dayOfMonth`, `firstDayOfWeek`, `index`, `recurrenceTimeZone`, `numberOfOccurrences`), body
 *   content type lower-cased and wrapped in `<html>…<body>`, attendees with `status`, `type` seriesMaster or
 *   singleInstance, `transactionId` echoed only when set; times in UTC unless `Prefer: outlook.timezone`.
 * - [DOC] recurrence needs both `pattern` and `range`; weekly needs `daysOfWeek`; enum values are checked;
 *   `range.startDate` must be the date of `start` ([CHOSEN] 400 `ErrorPropertyValidationFailure` otherwise).
 * - [DOC] `transactionId` can't be changed by an update. [CHOSEN] (§3.4 is UNCONFIRMED) a create repeating the
 *   `transactionId` of a live event in the same mailbox answers 201 with that event (`transactionIdDedupe:
 *   'return-existing'`); 'conflict' answers 409, 'off' makes a second event.
 * - [DOC] Teams meeting: `isOnlineMeeting` + `teamsForBusiness` → `onlineMeeting.joinUrl`; [OBS] Outlook puts
 *   the join information in the body; [DOC] an update whose body drops it disables the online meeting.
 * - [DOC] extended properties: set with `singleValueExtendedProperties` on create or PATCH, returned only
 *   with `$expand=singleValueExtendedProperties($filter=id eq '…')` ([CHOSEN] `or` of several ids accepted),
 *   found with `$filter=singleValueExtendedProperties/any(ep: ep/id eq '…' and ep/value eq '…')`; the name in
 *   the id is case-sensitive, the value compared without case.
 * - [DOC] instances need `startDateTime` and `endDateTime` ([CHOSEN] message for the 400); occurrences and
 *   exceptions in the window, each with its own id, `seriesMasterId`, `recurrence: null`; expanded in the
 *   recurrence time zone (a wall-clock time stays put across daylight saving changes). [CHOSEN] a window
 *   holds the instances that overlap it.
 * - [DOC] PATCH on an instance id makes it an `exception`; a move into a neighbour's day is 400
 *   `ErrorOccurrenceCrossingBoundary`. [CHOSEN, after MS-OXOCAL exceptions] an exception starts with a copy of
 *   the master's attachments and extended properties; an attachment added to an occurrence makes it an
 *   exception; a change of the master's start/end/recurrence drops the exceptions, as Outlook does.
 * - [DOC] attachments: POST a fileAttachment → 201 (under 3 MB; [CHOSEN] 413 above), `hasAttachments`;
 *   DELETE → 204. Attaching changes the organiser's copy only (attendees get it with the next update).
 * - [DOC] cancel → 202, organiser only, the event leaves the calendar (Deleted Items; [CHOSEN] its id then
 *   answers 404); with an instance id only that occurrence is cancelled. DELETE → 204.
 * - [DOC] getSchedule: per address `scheduleItems` and `availabilityView` (0 free, 1 tentative, 2 busy…) at
 *   `availabilityViewInterval` (5…1440, default 30). [CHOSEN] answered from the stored events: the organiser's
 *   own as `busy`, invitations (the address is an attendee) as `tentative`; addresses outside
 *   `readableDomains` (when set) get a per-schedule error.
 * - [DOC] `/me` needs a delegated token ([OBS] 400 "/me request is only valid with delegated authentication flow.").
 * - [CHOSEN] lists of events page by 10 with `$skip` nextLinks.
 */

export interface CalendarSettings {
  publicBaseUrl: string;
  transactionIdDedupe: 'return-existing' | 'conflict' | 'off';
  /** Addresses whose free/busy can be read; undefined = every address. */
  readableDomains?: string[];
  eventPageSize: number;
}

interface ExtendedProperty {
  id: string;
  value: string;
}

interface Attachment {
  id: string;
  name: string;
  contentType: string;
  bytes: Buffer;
  lastModifiedDateTime: string;
}

interface Attendee {
  emailAddress: { address: string; name?: string };
  type: string;
}

interface Recurrence {
  pattern: {
    type: string;
    interval: number;
    month: number;
    dayOfMonth: number;
    daysOfWeek: string[];
    firstDayOfWeek: string;
    index: string;
  };
  range: {
    type: string;
    startDate: string;
    endDate: string;
    recurrenceTimeZone: string;
    numberOfOccurrences: number;
  };
}

interface Exception {
  id: string;
  /** The local date the occurrence had in the pattern. */
  originalDate: string;
  start?: number;
  end?: number;
  subject?: string;
  body?: string;
  attendees?: Attendee[];
  ext: Map<string, ExtendedProperty>;
  attachments: Attachment[];
  cancelled: boolean;
  changeKey: string;
}

export interface StoredEvent {
  id: string;
  mailbox: string;
  created: string;
  modified: string;
  changeKey: string;
  iCalUId: string;
  subject: string;
  /** The HTML inside <body>. */
  body: string;
  start: number;
  end: number;
  startTimeZone: string;
  endTimeZone: string;
  recurrence: Recurrence | null;
  attendees: Attendee[];
  organizer: { address: string; name: string };
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  joinUrl: string | null;
  transactionId?: string;
  allowNewTimeProposals: boolean;
  location: string;
  showAs: string;
  isCancelled: boolean;
  cancelComment?: string;
  /** Moved to Deleted Items (cancelled or deleted). */
  deleted: boolean;
  ext: Map<string, ExtendedProperty>;
  attachments: Attachment[];
  exceptions: Map<string, Exception>;
  /** The update notifications attendees would have received (create, PATCHes), for assertions. */
  notifications: number;
}

export interface CalendarRequestRecord {
  method: string;
  /** `/users/{address}/events…` as received (decoded segments joined). */
  path: string;
  query: Record<string, string>;
  body: unknown;
}

const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const PATTERN_TYPES = [
  'daily',
  'weekly',
  'absoluteMonthly',
  'relativeMonthly',
  'absoluteYearly',
  'relativeYearly',
];
const RANGE_TYPES = ['endDate', 'noEnd', 'numbered'];
const INDEXES = ['first', 'second', 'third', 'fourth', 'last'];
const ATTACHMENT_LIMIT = 3 * 1024 * 1024;
const MINUTE = 60_000;
const DAY = 86_400_000;
const JOIN_MARKER = 'Microsoft Teams meeting';

/** `endpointOf` for calendar paths: `POST events`, `GET instances`, `POST getSchedule`… */
export function calendarEndpointOf(method: string, segments: string[]): string {
  const rest = segments[0] === 'me' ? segments.slice(1) : segments.slice(2);
  const path = rest[0] === 'calendar' && rest[1] === 'events' ? rest.slice(1) : rest;
  if (path[0] === 'calendar') return `${method} ${path[1] ?? 'calendar'}`;
  if (path[0] !== 'events') return `${method} ${path[0] ?? 'user'}`;
  if (path.length === 1) return `${method} events`;
  if (path.length === 2) return `${method} event`;
  if (path[2] === 'attachments' && path.length === 4) return `${method} attachment`;
  return `${method} ${path[2] ?? 'event'}`;
}

function nowIso(): string {
  return new Date().toISOString().replace(/Z$/, '0000Z');
}

function newId(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

function badRequest(code: string, message: string): GraphAnswer {
  return graphError(400, code, message);
}

function notFound(): GraphAnswer {
  return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/** The IANA zone of a Graph time zone value (Windows or IANA name), or undefined. */
function ianaOf(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  return windowsToIana(timeZone);
}

/** An instant from a dateTimeTimeZone; undefined when it can't be read. */
function instantOf(value: unknown): { at: number; timeZone: string } | undefined {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (!v || typeof v.dateTime !== 'string') return undefined;
  const timeZone = typeof v.timeZone === 'string' && v.timeZone !== '' ? v.timeZone : 'UTC';
  const zone = ianaOf(timeZone);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?$/.exec(v.dateTime);
  if (!zone || !m?.[1]) return undefined;
  const local = Date.parse(`${m[1].length === 16 ? `${m[1]}:00` : m[1]}Z`);
  if (Number.isNaN(local)) return undefined;
  return { at: zonedTimeToInstant(zone, local), timeZone };
}

/** A dateTimeTimeZone for the answer: in the Prefer zone when given, else UTC ([DOC] §1). */
function wireTime(at: number, preferZone: string | undefined): { dateTime: string; timeZone: string } {
  const zone = ianaOf(preferZone);
  if (!preferZone || !zone || zone === 'UTC') {
    return { dateTime: `${new Date(at).toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' };
  }
  return { dateTime: `${localDateTimeIn(zone, new Date(at))}.0000000`, timeZone: preferZone };
}

function preferZoneOf(request: IncomingGraphRequest): string | undefined {
  return /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(request.header('prefer') ?? '')?.[1];
}

/** `String {guid} Name X` → a key comparing type and GUID without case and the name with it. */
function propertyKey(id: string): string | undefined {
  const named = /^(\w+)\s+\{([0-9a-f-]{36})\}\s+Name\s+(.+)$/i.exec(id.trim());
  if (named) return `${named[1]?.toLowerCase()} {${named[2]?.toLowerCase()}} name ${named[3]}`;
  const tagged = /^(\w+)\s+(0x[0-9a-f]{1,4})$/i.exec(id.trim());
  if (tagged) return `${tagged[1]?.toLowerCase()} ${tagged[2]?.toLowerCase()}`;
  const byId = /^(\w+)\s+\{([0-9a-f-]{36})\}\s+Id\s+(0x[0-9a-f]+)$/i.exec(id.trim());
  if (byId) return `${byId[1]?.toLowerCase()} {${byId[2]?.toLowerCase()}} id ${byId[3]?.toLowerCase()}`;
  return undefined;
}

/** The ids asked for in `$expand=singleValueExtendedProperties($filter=id eq '…' or …)`, or undefined. */
function expandedProperties(query: URLSearchParams): string[] | undefined {
  const expand = query.get('$expand') ?? query.get('expand');
  if (!expand) return undefined;
  const m = /singleValueExtendedProperties\(\$filter=(.*)\)\s*$/i.exec(expand.trim());
  if (!m?.[1]) return undefined;
  const ids: string[] = [];
  for (const match of m[1].matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi))
    ids.push((match[1] ?? '').replace(/''/g, "'"));
  return ids;
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function innerBody(content: string): string {
  return /<body[^>]*>([\s\S]*)<\/body>/i.exec(content)?.[1] ?? content;
}

function contentTypeFor(name: string): string {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'pdf'
    ? 'application/pdf'
    : ext === 'txt'
      ? 'text/plain'
      : ext === 'ics'
        ? 'text/calendar'
        : 'application/octet-stream';
}

function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export class CalendarEmulator {
  private readonly mailboxes = new Map<string, Map<string, StoredEvent>>();
  private readonly delegated = new Map<string, string>();
  readonly requests: CalendarRequestRecord[] = [];

  constructor(private readonly settings: CalendarSettings) {}

  /** A delegated token acting as `address` at `/me`. */
  signIn(token: string, address: string): void {
    this.delegated.set(token, address.toLowerCase());
  }

  reset(): void {
    this.mailboxes.clear();
    this.requests.length = 0;
  }

  /** Every event of a mailbox, Deleted Items included, for assertions under the API. */
  inspect(address: string): StoredEvent[] {
    return [...(this.mailboxes.get(address.toLowerCase())?.values() ?? [])];
  }

  private mailbox(address: string): Map<string, StoredEvent> {
    const key = address.toLowerCase();
    let box = this.mailboxes.get(key);
    if (!box) {
      box = new Map();
      this.mailboxes.set(key, box);
    }
    return box;
  }

  handle(request: IncomingGraphRequest): GraphAnswer {
    const [first, second] = request.segments;
    let address: string;
    let rest: string[];
    if (first === 'me') {
      const token = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '')?.[1] ?? '';
      const user = this.delegated.get(token);
      if (!user)
        return badRequest('BadRequest', '/me request is only valid with delegated authentication flow.');
      address = user;
      rest = request.segments.slice(1);
    } else {
      if (!second) return badRequest('invalidRequest', 'A user id or userPrincipalName is required.');
      address = second.toLowerCase();
      rest = request.segments.slice(2);
    }
    if (rest[0] === 'calendar' && rest[1] === 'events') rest = rest.slice(1);
    if (request.method !== 'GET') {
      this.requests.push({
        method: request.method,
        path: `/${request.segments.join('/')}`,
        query: Object.fromEntries(request.query),
        body: request.body,
      });
    }
    const box = this.mailbox(address);
    const [r0, r1, r2, r3] = rest;
    if (r0 === 'calendar' && r1 === 'getSchedule' && rest.length === 2) {
      return request.method === 'POST' ? this.getSchedule(request) : this.notAllowed();
    }
    if (r0 !== 'events')
      return badRequest('invalidRequest', `Resource not found for the segment '${r0 ?? ''}'.`);
    if (r1 === undefined) {
      if (request.method === 'POST') return this.create(address, box, request);
      if (request.method === 'GET') return this.list(address, box, request);
      return this.notAllowed();
    }
    const found = this.find(box, r1);
    if (!found || found.master.deleted) return notFound();
    if (r2 === undefined) {
      if (request.method === 'GET')
        return { status: 200, body: this.view(found.master, found.exception, found.date, request) };
      if (request.method === 'PATCH') return this.patch(found.master, found.date, request);
      if (request.method === 'DELETE') {
        if (found.date !== undefined) this.exception(found.master, found.date).cancelled = true;
        else found.master.deleted = true;
        return { status: 204 };
      }
      return this.notAllowed();
    }
    if (r2 === 'instances' && rest.length === 3 && request.method === 'GET')
      return this.instances(found.master, request);
    if (r2 === 'cancel' && rest.length === 3 && request.method === 'POST')
      return this.cancel(address, found.master, found.date, request);
    if (r2 === 'attachments') {
      if (r3 === undefined && request.method === 'POST')
        return this.attach(found.master, found.date, request);
      if (r3 === undefined && request.method === 'GET') {
        const list = this.attachmentsOf(found.master, found.date);
        return { status: 200, body: { value: list.map((a) => this.attachmentView(a, request.query)) } };
      }
      if (r3 !== undefined && rest.length === 4) {
        const current = this.attachmentsOf(found.master, found.date).find((a) => a.id === r3);
        if (!current) return notFound();
        if (request.method === 'GET')
          return { status: 200, body: this.attachmentView(current, request.query) };
        if (request.method === 'DELETE') {
          const own =
            found.date !== undefined
              ? this.exception(found.master, found.date).attachments
              : found.master.attachments;
          const index = own.findIndex((a) => a.id === r3);
          if (index !== -1) own.splice(index, 1);
          return { status: 204 };
        }
      }
      return this.notAllowed();
    }
    return badRequest('invalidRequest', `Resource not found for the segment '${r2}'.`);
  }

  private notAllowed(): GraphAnswer {
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }

  /* ---------- ids ---------- */

  private instanceId(master: StoredEvent, date: string): string {
    return `AAMkI${Buffer.from(`${master.id}|${date}`).toString('base64url')}`;
  }

  private find(
    box: Map<string, StoredEvent>,
    id: string,
  ): { master: StoredEvent; date?: string; exception?: Exception } | undefined {
    const master = box.get(id);
    if (master) return { master };
    if (!id.startsWith('AAMkI')) return undefined;
    const decoded = Buffer.from(id.slice(5), 'base64url').toString('utf8');
    const [masterId, date] = decoded.split('|');
    const parent = masterId ? box.get(masterId) : undefined;
    if (!parent || !date || !this.patternDates(parent, date, date).includes(date)) return undefined;
    const exception = parent.exceptions.get(date);
    if (exception?.cancelled) return undefined;
    return { master: parent, date, ...(exception ? { exception } : {}) };
  }

  /** An occurrence made an exception, with a copy of the master's attachments and extended properties. */
  private exception(master: StoredEvent, date: string): Exception {
    let exception = master.exceptions.get(date);
    if (!exception) {
      exception = {
        id: this.instanceId(master, date),
        originalDate: date,
        ext: new Map(master.ext),
        attachments: master.attachments.map((a) => ({ ...a })),
        cancelled: false,
        changeKey: randomBytes(12).toString('base64'),
      };
      master.exceptions.set(date, exception);
    }
    return exception;
  }

  private attachmentsOf(master: StoredEvent, date: string | undefined): Attachment[] {
    if (date === undefined) return master.attachments;
    return master.exceptions.get(date)?.attachments ?? master.attachments;
  }

  /* ---------- create ---------- */

  private checkRecurrence(value: unknown, start: number, startTimeZone: string): Recurrence | GraphAnswer {
    const recurrence = value as { pattern?: Record<string, unknown>; range?: Record<string, unknown> };
    if (!recurrence.pattern || !recurrence.range) {
      return badRequest('ErrorPropertyValidationFailure', 'A recurrence needs both a pattern and a range.');
    }
    const p = recurrence.pattern;
    const r = recurrence.range;
    if (typeof p.type !== 'string' || !PATTERN_TYPES.includes(p.type)) {
      return badRequest(
        'RequestBodyRead',
        `Cannot convert the literal '${String(p.type)}' to the expected type 'microsoft.graph.recurrencePatternType'.`,
      );
    }
    const days = Array.isArray(p.daysOfWeek) ? p.daysOfWeek.map((d) => String(d).toLowerCase()) : [];
    const bad = days.find((d) => !WEEKDAY_NAMES.includes(d));
    if (bad)
      return badRequest(
        'RequestBodyRead',
        `Cannot convert the literal '${bad}' to the expected type 'microsoft.graph.dayOfWeek'.`,
      );
    const firstDayOfWeek = String(p.firstDayOfWeek ?? 'sunday').toLowerCase();
    if (!WEEKDAY_NAMES.includes(firstDayOfWeek))
      return badRequest(
        'RequestBodyRead',
        `Cannot convert the literal '${firstDayOfWeek}' to the expected type 'microsoft.graph.dayOfWeek'.`,
      );
    const index = String(p.index ?? 'first');
    if (!INDEXES.includes(index))
      return badRequest(
        'RequestBodyRead',
        `Cannot convert the literal '${index}' to the expected type 'microsoft.graph.weekIndex'.`,
      );
    if (p.type === 'weekly' && (days.length === 0 || typeof p.interval !== 'number')) {
      return badRequest(
        'ErrorPropertyValidationFailure',
        'A weekly pattern needs an interval and daysOfWeek.',
      );
    }
    if (p.type !== 'weekly')
      return graphError(501, 'notSupported', `The emulator expands weekly patterns only (got ${p.type}).`);
    if (typeof r.type !== 'string' || !RANGE_TYPES.includes(r.type)) {
      return badRequest(
        'RequestBodyRead',
        `Cannot convert the literal '${String(r.type)}' to the expected type 'microsoft.graph.recurrenceRangeType'.`,
      );
    }
    const zone =
      typeof r.recurrenceTimeZone === 'string' && r.recurrenceTimeZone !== ''
        ? r.recurrenceTimeZone
        : startTimeZone;
    const iana = ianaOf(zone);
    if (!iana)
      return badRequest(
        'ErrorTimeZoneNotSupportedException',
        `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`,
      );
    const startDate = typeof r.startDate === 'string' ? r.startDate : '';
    if (startDate !== localDateTimeIn(iana, new Date(start)).slice(0, 10)) {
      return badRequest(
        'ErrorPropertyValidationFailure',
        'The recurrence range startDate must be the date of the event start.',
      );
    }
    if (r.type === 'endDate' && (typeof r.endDate !== 'string' || r.endDate < startDate)) {
      return badRequest(
        'ErrorPropertyValidationFailure',
        'An endDate range needs an endDate on or after its startDate.',
      );
    }
    const count = typeof r.numberOfOccurrences === 'number' ? r.numberOfOccurrences : 0;
    if (r.type === 'numbered' && count < 1)
      return badRequest('ErrorPropertyValidationFailure', 'A numbered range needs numberOfOccurrences.');
    return {
      pattern: {
        type: p.type,
        interval: Number(p.interval ?? 1),
        month: Number(p.month ?? 0),
        dayOfMonth: Number(p.dayOfMonth ?? 0),
        daysOfWeek: days,
        firstDayOfWeek,
        index,
      },
      range: {
        type: r.type,
        startDate,
        endDate: r.type === 'endDate' ? String(r.endDate) : '0001-01-01',
        recurrenceTimeZone: zone,
        numberOfOccurrences: r.type === 'numbered' ? count : 0,
      },
    };
  }

  private attendeesOf(value: unknown): Attendee[] | GraphAnswer {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return badRequest('RequestBodyRead', 'attendees must be an array.');
    if (value.length > 500)
      return badRequest('ErrorExceededMaxRecipientLimit', 'An event has at most 500 attendees.');
    const list: Attendee[] = [];
    for (const raw of value) {
      const a = raw as { emailAddress?: { address?: unknown; name?: unknown }; type?: unknown };
      if (typeof a.emailAddress?.address !== 'string')
        return badRequest('ErrorInvalidRecipients', 'An attendee needs an emailAddress.address.');
      const type = String(a.type ?? 'required').toLowerCase();
      if (!['required', 'optional', 'resource'].includes(type))
        return badRequest(
          'RequestBodyRead',
          `Cannot convert the literal '${type}' to the expected type 'microsoft.graph.attendeeType'.`,
        );
      list.push({
        emailAddress: {
          address: a.emailAddress.address,
          ...(typeof a.emailAddress.name === 'string' ? { name: a.emailAddress.name } : {}),
        },
        type,
      });
    }
    return list;
  }

  private propertiesOf(value: unknown, into: Map<string, ExtendedProperty>): GraphAnswer | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value))
      return badRequest('RequestBodyRead', 'singleValueExtendedProperties must be an array.');
    for (const raw of value) {
      const p = raw as { id?: unknown; value?: unknown };
      const key = typeof p.id === 'string' ? propertyKey(p.id) : undefined;
      if (!key || typeof p.id !== 'string')
        return badRequest(
          'ErrorInvalidExtendedPropertyValue',
          `The extended property id '${String(p.id)}' is not valid.`,
        );
      into.set(key, { id: p.id, value: String(p.value ?? '') });
    }
    return undefined;
  }

  private teamsBlob(joinUrl: string): string {
    return `<div style="width:100%"><span style="white-space:nowrap;color:#5F5F5F">________________________________________________________________________________</span></div><div><span style="font-size:24px">${JOIN_MARKER}</span></div><div><a href="${joinUrl}">Join the meeting now</a></div>`;
  }

  private create(address: string, box: Map<string, StoredEvent>, request: IncomingGraphRequest): GraphAnswer {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.transactionId === 'string' && this.settings.transactionIdDedupe !== 'off') {
      const twin = [...box.values()].find((e) => !e.deleted && e.transactionId === body.transactionId);
      if (twin) {
        if (this.settings.transactionIdDedupe === 'conflict') {
          return graphError(409, 'ErrorDuplicateTransactionId', 'An event with this transactionId exists.');
        }
        return { status: 201, body: this.view(twin, undefined, undefined, request) };
      }
    }
    if (body.attachments !== undefined) {
      return badRequest(
        'ErrorInvalidRequest',
        'Attachments cannot be added when creating an event; add them to the existing event.',
      );
    }
    const start = instantOf(body.start);
    const end = instantOf(body.end);
    if (!start || !end) {
      return badRequest(
        'ErrorTimeZoneNotSupportedException',
        'A valid start and end with a supported TimeZone value must be specified.',
      );
    }
    if (end.at < start.at)
      return badRequest('ErrorInvalidRequest', 'The end of an event is before its start.');
    const attendees = this.attendeesOf(body.attendees);
    if (!Array.isArray(attendees)) return attendees;
    let recurrence: Recurrence | null = null;
    if (body.recurrence !== undefined && body.recurrence !== null) {
      const checked = this.checkRecurrence(body.recurrence, start.at, start.timeZone);
      if ('status' in checked) return checked;
      recurrence = checked;
    }
    const ext = new Map<string, ExtendedProperty>();
    const refused = this.propertiesOf(body.singleValueExtendedProperties, ext);
    if (refused) return refused;
    const online = body.isOnlineMeeting === true;
    const provider = typeof body.onlineMeetingProvider === 'string' ? body.onlineMeetingProvider : 'unknown';
    const joinUrl =
      online && provider === 'teamsForBusiness'
        ? `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${randomBytes(12).toString('hex')}%40thread.v2/0`
        : null;
    const given = body.body as { content?: unknown } | undefined;
    const content = typeof given?.content === 'string' ? innerBody(given.content) : '';
    const created = nowIso();
    const event: StoredEvent = {
      id: newId('AAMkA'),
      mailbox: address,
      created,
      modified: created,
      changeKey: randomBytes(12).toString('base64'),
      iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(28).toString('hex').toUpperCase()}`,
      subject: typeof body.subject === 'string' ? body.subject : '',
      body: joinUrl ? `${content}${this.teamsBlob(joinUrl)}` : content,
      start: start.at,
      end: end.at,
      startTimeZone: start.timeZone,
      endTimeZone: end.timeZone,
      recurrence,
      attendees,
      organizer: { address, name: address.split('@')[0] ?? address },
      isOnlineMeeting: online,
      onlineMeetingProvider: provider,
      joinUrl,
      ...(typeof body.transactionId === 'string' ? { transactionId: body.transactionId } : {}),
      allowNewTimeProposals: body.allowNewTimeProposals !== false,
      location: String((body.location as { displayName?: unknown } | undefined)?.displayName ?? ''),
      showAs: typeof body.showAs === 'string' ? body.showAs : 'busy',
      isCancelled: false,
      deleted: false,
      ext,
      attachments: [],
      exceptions: new Map(),
      notifications: attendees.length > 0 ? 1 : 0,
    };
    box.set(event.id, event);
    return { status: 201, body: this.view(event, undefined, undefined, request) };
  }

  /* ---------- read ---------- */

  private view(
    master: StoredEvent,
    exception: Exception | undefined,
    date: string | undefined,
    request: IncomingGraphRequest,
  ): Record<string, unknown> {
    const prefer = preferZoneOf(request);
    const occurrence = date !== undefined ? this.occurrenceTimes(master, date) : undefined;
    const start = exception?.start ?? occurrence?.start ?? master.start;
    const end = exception?.end ?? occurrence?.end ?? master.end;
    const body = exception?.body ?? master.body;
    const attachments = exception ? exception.attachments : master.attachments;
    const ext = exception ? exception.ext : master.ext;
    const isInstance = date !== undefined;
    const view: Record<string, unknown> = {
      '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#users('${master.mailbox}')/events/$entity`,
      '@odata.etag': `W/"${exception?.changeKey ?? master.changeKey}"`,
      id: isInstance ? this.instanceId(master, date) : master.id,
      createdDateTime: master.created,
      lastModifiedDateTime: master.modified,
      changeKey: exception?.changeKey ?? master.changeKey,
      categories: [],
      originalStartTimeZone: master.startTimeZone,
      originalEndTimeZone: master.endTimeZone,
      iCalUId: master.iCalUId,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: attachments.length > 0,
      hideAttendees: false,
      subject: exception?.subject ?? master.subject,
      bodyPreview: stripTags(body).slice(0, 255),
      importance: 'normal',
      sensitivity: 'normal',
      isAllDay: false,
      isCancelled: master.isCancelled || (exception?.cancelled ?? false),
      isDraft: false,
      isOrganizer: true,
      responseRequested: true,
      seriesMasterId: isInstance ? master.id : null,
      ...(master.transactionId !== undefined && !isInstance ? { transactionId: master.transactionId } : {}),
      showAs: master.showAs,
      type: isInstance
        ? exception
          ? 'exception'
          : 'occurrence'
        : master.recurrence
          ? 'seriesMaster'
          : 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(master.id)}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: master.isOnlineMeeting,
      onlineMeetingProvider: master.onlineMeetingProvider,
      allowNewTimeProposals: master.allowNewTimeProposals,
      responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
      body: {
        contentType: 'html',
        content: `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>${body}</body>\r\n</html>\r\n`,
      },
      start: wireTime(start, prefer),
      end: wireTime(end, prefer),
      ...(isInstance
        ? { originalStart: new Date(occurrence?.start ?? start).toISOString().replace(/\.000Z$/, 'Z') }
        : {}),
      location: master.location
        ? {
            displayName: master.location,
            locationType: 'default',
            uniqueId: master.location,
            uniqueIdType: 'private',
          }
        : { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
      locations: master.location
        ? [{ displayName: master.location, locationType: 'default', uniqueIdType: 'unknown' }]
        : [],
      recurrence: isInstance ? null : master.recurrence,
      attendees: (exception?.attendees ?? master.attendees).map((a) => ({
        type: a.type,
        status: { response: 'none', time: '0001-01-01T00:00:00Z' },
        emailAddress: a.emailAddress,
      })),
      organizer: { emailAddress: { name: master.organizer.name, address: master.organizer.address } },
      onlineMeeting: master.joinUrl
        ? { joinUrl: master.joinUrl, conferenceId: '177513992', tollNumber: '+1 425 555 0123' }
        : null,
    };
    const expanded = expandedProperties(request.query);
    if (expanded) {
      const wanted = new Set(
        expanded.map((id) => propertyKey(id)).filter((k): k is string => k !== undefined),
      );
      const values = [...ext.entries()]
        .filter(([key]) => wanted.has(key))
        .map(([, p]) => ({ id: p.id, value: p.value }));
      if (values.length > 0) view.singleValueExtendedProperties = values;
    }
    return this.select(view, request.query);
  }

  private select(view: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
    const select = query.get('$select') ?? query.get('select');
    if (!select) return view;
    const keep = new Set(select.split(',').map((s) => s.trim()));
    return Object.fromEntries(
      Object.entries(view).filter(
        ([key]) =>
          keep.has(key) || key === 'id' || key === '@odata.etag' || key === 'singleValueExtendedProperties',
      ),
    );
  }

  private list(address: string, box: Map<string, StoredEvent>, request: IncomingGraphRequest): GraphAnswer {
    let events = [...box.values()].filter((e) => !e.deleted);
    const filter = request.query.get('$filter') ?? request.query.get('filter');
    if (filter) {
      const m =
        /^singleValueExtendedProperties\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+\1\/value\s+eq\s+'((?:[^']|'')*)'\s*\)$/i.exec(
          filter.trim(),
        );
      if (!m)
        return badRequest(
          'ErrorInvalidUrlQueryFilter',
          `The emulator does not support this $filter: ${filter}`,
        );
      const key = propertyKey((m[2] ?? '').replace(/''/g, "'"));
      const value = (m[3] ?? '').replace(/''/g, "'").toLowerCase();
      if (!key)
        return badRequest('ErrorInvalidExtendedPropertyValue', 'The extended property id is not valid.');
      events = events.filter((e) => e.ext.get(key)?.value.toLowerCase() === value);
    }
    events.sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
    const top = Math.min(
      1000,
      Number(request.query.get('$top') ?? this.settings.eventPageSize) || this.settings.eventPageSize,
    );
    const skip = Number(request.query.get('$skip') ?? 0) || 0;
    const page = events.slice(skip, skip + top);
    const answer: Record<string, unknown> = {
      '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#users('${address}')/events`,
      value: page.map((e) => this.view(e, undefined, undefined, request)),
    };
    if (skip + top < events.length) {
      const next = new URLSearchParams(request.query);
      next.set('$skip', String(skip + top));
      next.set('$top', String(top));
      answer['@odata.nextLink'] =
        `${this.settings.publicBaseUrl}/v1.0/users/${encodeURIComponent(address)}/events?${next.toString()}`;
    }
    return { status: 200, body: answer };
  }

  /* ---------- recurrence ---------- */

  private zoneOf(master: StoredEvent): string {
    return ianaOf(master.recurrence?.range.recurrenceTimeZone ?? master.startTimeZone) ?? 'UTC';
  }

  /** The pattern's local dates in [fromDate, toDate] (inclusive), in order. */
  private patternDates(master: StoredEvent, fromDate: string, toDate: string): string[] {
    const recurrence = master.recurrence;
    if (!recurrence) return [];
    const { pattern, range } = recurrence;
    const days = new Set(pattern.daysOfWeek.map((d) => WEEKDAY_NAMES.indexOf(d)));
    const firstDay = WEEKDAY_NAMES.indexOf(pattern.firstDayOfWeek);
    const startDay = Date.parse(`${range.startDate}T00:00:00Z`);
    const weekStartOf = (t: number) => t - ((new Date(t).getUTCDay() - firstDay + 7) % 7) * DAY;
    const firstWeek = weekStartOf(startDay);
    const last =
      range.type === 'endDate'
        ? Math.min(Date.parse(`${range.endDate}T00:00:00Z`), Date.parse(`${toDate}T00:00:00Z`))
        : Date.parse(`${toDate}T00:00:00Z`);
    const dates: string[] = [];
    let count = 0;
    for (let t = startDay; t <= last; t += DAY) {
      const weeks = Math.round((weekStartOf(t) - firstWeek) / (7 * DAY));
      if (weeks % Math.max(1, pattern.interval) !== 0 || !days.has(new Date(t).getUTCDay())) continue;
      count++;
      if (range.type === 'numbered' && count > range.numberOfOccurrences) break;
      const date = isoDay(t);
      if (date >= fromDate) dates.push(date);
    }
    return dates;
  }

  private occurrenceTimes(master: StoredEvent, date: string): { start: number; end: number } {
    const zone = this.zoneOf(master);
    const time = localDateTimeIn(zone, new Date(master.start)).slice(11);
    const start = zonedTimeToInstant(zone, Date.parse(`${date}T${time}Z`));
    return { start, end: start + (master.end - master.start) };
  }

  /** Occurrences and exceptions overlapping [from, to). */
  private expand(
    master: StoredEvent,
    from: number,
    to: number,
  ): { date: string; start: number; end: number; exception?: Exception }[] {
    const zone = this.zoneOf(master);
    const fromDate = localDateTimeIn(zone, new Date(from - 2 * DAY)).slice(0, 10);
    const toDate = localDateTimeIn(zone, new Date(to + 2 * DAY)).slice(0, 10);
    const result: { date: string; start: number; end: number; exception?: Exception }[] = [];
    for (const date of this.patternDates(master, fromDate, toDate)) {
      const exception = master.exceptions.get(date);
      if (exception?.cancelled) continue;
      const times = this.occurrenceTimes(master, date);
      const start = exception?.start ?? times.start;
      const end = exception?.end ?? times.end;
      if (start < to && end > from) result.push({ date, start, end, ...(exception ? { exception } : {}) });
    }
    return result;
  }

  private instances(master: StoredEvent, request: IncomingGraphRequest): GraphAnswer {
    const fromText = request.query.get('startDateTime') ?? request.query.get('StartDateTime');
    const toText = request.query.get('endDateTime') ?? request.query.get('EndDateTime');
    if (!fromText || !toText) {
      return badRequest(
        'ErrorInvalidParameter',
        'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      );
    }
    const asInstant = (text: string) =>
      Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text.replace(/(\.\d{3})\d*$/, '$1')}Z`);
    const from = asInstant(fromText);
    const to = asInstant(toText);
    if (Number.isNaN(from) || Number.isNaN(to))
      return badRequest(
        'ErrorInvalidParameter',
        'startDateTime and endDateTime must be ISO 8601 date-times.',
      );
    const value = this.expand(master, from, to).map((o) => this.view(master, o.exception, o.date, request));
    return {
      status: 200,
      body: {
        '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#users('${master.mailbox}')/events('${master.id}')/instances`,
        value,
      },
    };
  }

  /* ---------- write ---------- */

  private patch(master: StoredEvent, date: string | undefined, request: IncomingGraphRequest): GraphAnswer {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.transactionId !== undefined && body.transactionId !== master.transactionId) {
      return badRequest(
        'ErrorInvalidPropertyUpdateSentAsMessage',
        'The transactionId of an event cannot be changed.',
      );
    }
    const attendees = body.attendees !== undefined ? this.attendeesOf(body.attendees) : undefined;
    if (attendees !== undefined && !Array.isArray(attendees)) return attendees;
    const start = body.start !== undefined ? instantOf(body.start) : undefined;
    const end = body.end !== undefined ? instantOf(body.end) : undefined;
    if ((body.start !== undefined && !start) || (body.end !== undefined && !end)) {
      return badRequest('ErrorTimeZoneNotSupportedException', 'A valid TimeZone value must be specified.');
    }
    const given = body.body as { content?: unknown } | undefined;
    const content = typeof given?.content === 'string' ? innerBody(given.content) : undefined;
    if (date !== undefined) {
      // One occurrence: it becomes an exception.
      const times = this.occurrenceTimes(master, date);
      const newStart = start?.at ?? master.exceptions.get(date)?.start ?? times.start;
      const newEnd = end?.at ?? master.exceptions.get(date)?.end ?? times.end;
      if (start || end) {
        const zone = this.zoneOf(master);
        const day = localDateTimeIn(zone, new Date(newStart)).slice(0, 10);
        const around = this.patternDates(
          master,
          isoDay(Date.parse(`${date}T00:00:00Z`) - 60 * DAY),
          isoDay(Date.parse(`${date}T00:00:00Z`) + 60 * DAY),
        );
        const at = around.indexOf(date);
        const previous = at > 0 ? around[at - 1] : undefined;
        const next = at !== -1 ? around[at + 1] : undefined;
        if ((previous !== undefined && day <= previous) || (next !== undefined && day >= next)) {
          return badRequest(
            'ErrorOccurrenceCrossingBoundary',
            'Modified occurrence is crossing or overlapping adjacent occurrence.',
          );
        }
      }
      const exception = this.exception(master, date);
      if (start || end) {
        exception.start = newStart;
        exception.end = newEnd;
      }
      if (typeof body.subject === 'string') exception.subject = body.subject;
      if (content !== undefined) exception.body = content;
      if (attendees) exception.attendees = attendees;
      const refused = this.propertiesOf(body.singleValueExtendedProperties, exception.ext);
      if (refused) return refused;
      exception.changeKey = randomBytes(12).toString('base64');
      master.notifications++;
      return { status: 200, body: this.view(master, exception, date, request) };
    }
    let recurrence = master.recurrence;
    const newStart = start?.at ?? master.start;
    const newStartZone = start?.timeZone ?? master.startTimeZone;
    if (body.recurrence !== undefined) {
      if (body.recurrence === null) recurrence = null;
      else {
        const checked = this.checkRecurrence(body.recurrence, newStart, newStartZone);
        if ('status' in checked) return checked;
        recurrence = checked;
      }
    }
    const ext = new Map(master.ext);
    const refused = this.propertiesOf(body.singleValueExtendedProperties, ext);
    if (refused) return refused;
    const timingChanged = start !== undefined || end !== undefined || body.recurrence !== undefined;
    if (timingChanged) master.exceptions.clear();
    master.start = newStart;
    master.startTimeZone = newStartZone;
    if (end) {
      master.end = end.at;
      master.endTimeZone = end.timeZone;
    }
    master.recurrence = recurrence;
    master.ext = ext;
    if (typeof body.subject === 'string') master.subject = body.subject;
    if (attendees) master.attendees = attendees;
    if (content !== undefined) {
      master.body = content;
      if (master.joinUrl && !content.includes(master.joinUrl)) {
        // [DOC] removing the meeting blob from the body disables the online meeting.
        master.isOnlineMeeting = false;
        master.joinUrl = null;
      }
    }
    if (body.isOnlineMeeting === true && !master.isOnlineMeeting) master.isOnlineMeeting = true;
    master.modified = nowIso();
    master.changeKey = randomBytes(12).toString('base64');
    master.notifications++;
    return { status: 200, body: this.view(master, undefined, undefined, request) };
  }

  private attach(master: StoredEvent, date: string | undefined, request: IncomingGraphRequest): GraphAnswer {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body['@odata.type'] !== '#microsoft.graph.fileAttachment') {
      return badRequest('ErrorInvalidRequest', 'The emulator takes #microsoft.graph.fileAttachment only.');
    }
    if (typeof body.name !== 'string' || body.name === '' || typeof body.contentBytes !== 'string') {
      return badRequest('ErrorInvalidRequest', 'A fileAttachment needs a name and contentBytes.');
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.contentBytes)) {
      return badRequest('ErrorInvalidRequest', 'contentBytes is not base64.');
    }
    const bytes = Buffer.from(body.contentBytes, 'base64');
    if (bytes.byteLength >= ATTACHMENT_LIMIT) {
      return graphError(
        413,
        'ErrorAttachmentSizeTooLarge',
        'An attachment added in one request must be under 3 MB; use an upload session.',
      );
    }
    const attachment: Attachment = {
      id: newId('AAMkAtt'),
      name: body.name,
      contentType: typeof body.contentType === 'string' ? body.contentType : contentTypeFor(body.name),
      bytes,
      lastModifiedDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    if (date !== undefined) this.exception(master, date).attachments.push(attachment);
    else master.attachments.push(attachment);
    return {
      status: 201,
      body: {
        '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#users('${master.mailbox}')/events('${master.id}')/attachments/$entity`,
        ...this.attachmentView(attachment, new URLSearchParams()),
      },
    };
  }

  private attachmentView(a: Attachment, query: URLSearchParams): Record<string, unknown> {
    const view: Record<string, unknown> = {
      '@odata.type': '#microsoft.graph.fileAttachment',
      id: a.id,
      lastModifiedDateTime: a.lastModifiedDateTime,
      name: a.name,
      contentType: a.contentType,
      size: a.bytes.byteLength,
      isInline: false,
      contentId: null,
      contentLocation: null,
      contentBytes: a.bytes.toString('base64'),
    };
    const select = query.get('$select');
    if (!select) return view;
    const keep = new Set([...select.split(',').map((s) => s.trim()), 'id', '@odata.type']);
    return Object.fromEntries(Object.entries(view).filter(([k]) => keep.has(k)));
  }

  private cancel(
    address: string,
    master: StoredEvent,
    date: string | undefined,
    request: IncomingGraphRequest,
  ): GraphAnswer {
    if (master.organizer.address.toLowerCase() !== address.toLowerCase()) {
      return badRequest(
        'ErrorAccessDenied',
        "Your request can't be completed. You need to be an organizer to cancel a meeting.",
      );
    }
    const comment = (request.body as { Comment?: unknown } | undefined)?.Comment;
    if (date !== undefined) {
      this.exception(master, date).cancelled = true;
    } else {
      master.isCancelled = true;
      master.deleted = true;
      if (typeof comment === 'string') master.cancelComment = comment;
    }
    master.notifications++;
    return { status: 202 };
  }

  /* ---------- free/busy ---------- */

  private getSchedule(request: IncomingGraphRequest): GraphAnswer {
    const body = (request.body ?? {}) as {
      schedules?: unknown;
      startTime?: unknown;
      endTime?: unknown;
      availabilityViewInterval?: unknown;
    };
    if (!Array.isArray(body.schedules) || body.schedules.some((s) => typeof s !== 'string')) {
      return badRequest('ErrorInvalidParameter', 'schedules must be an array of SMTP addresses.');
    }
    const start = instantOf(body.startTime);
    const end = instantOf(body.endTime);
    if (!start || !end || end.at <= start.at)
      return badRequest(
        'ErrorInvalidParameter',
        'startTime and endTime must be valid dateTimeTimeZone values, end after start.',
      );
    const interval = body.availabilityViewInterval === undefined ? 30 : Number(body.availabilityViewInterval);
    if (!Number.isInteger(interval) || interval < 5 || interval > 1440) {
      return badRequest(
        'ErrorInvalidParameter',
        'availabilityViewInterval must be between 5 and 1440 minutes.',
      );
    }
    const prefer = preferZoneOf(request);
    const value = (body.schedules as string[]).map((scheduleId) => {
      const address = scheduleId.toLowerCase();
      const domain = address.split('@')[1] ?? '';
      if (this.settings.readableDomains && !this.settings.readableDomains.includes(domain)) {
        return {
          scheduleId,
          availabilityView: '',
          error: {
            message: `The free/busy information of ${scheduleId} could not be read.`,
            responseCode: 'ErrorMailRecipientNotFound',
          },
        };
      }
      const items: { status: string; subject: string; start: number; end: number }[] = [];
      for (const box of this.mailboxes.values()) {
        for (const event of box.values()) {
          if (event.deleted || event.isCancelled) continue;
          const own = event.mailbox === address;
          const invited = event.attendees.some((a) => a.emailAddress.address.toLowerCase() === address);
          if (!own && !invited) continue;
          const status = own ? event.showAs : 'tentative';
          const spans = event.recurrence
            ? this.expand(event, start.at, end.at)
            : event.start < end.at && event.end > start.at
              ? [{ start: event.start, end: event.end, exception: undefined }]
              : [];
          for (const span of spans)
            items.push({
              status,
              subject: span.exception?.subject ?? event.subject,
              start: span.start,
              end: span.end,
            });
        }
      }
      items.sort((a, b) => a.start - b.start);
      const digits = { free: 0, tentative: 1, busy: 2, oof: 3, workingElsewhere: 4 } as Record<
        string,
        number
      >;
      let view = '';
      for (let t = start.at; t < end.at; t += interval * MINUTE) {
        const slotEnd = Math.min(end.at, t + interval * MINUTE);
        const worst = Math.max(
          0,
          ...items.filter((i) => i.start < slotEnd && i.end > t).map((i) => digits[i.status] ?? 2),
        );
        view += String(worst);
      }
      return {
        scheduleId,
        availabilityView: view,
        scheduleItems: items.map((i) => ({
          isPrivate: false,
          status: i.status,
          subject: i.subject,
          location: '',
          start: wireTime(i.start, prefer),
          end: wireTime(i.end, prefer),
        })),
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '08:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: { name: 'UTC' },
        },
      };
    });
    return {
      status: 200,
      body: {
        '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`,
        value,
      },
    };
  }
}

export function defaultCalendarSettings(publicBaseUrl: string): CalendarSettings {
  return { publicBaseUrl, transactionIdDedupe: 'return-existing', eventPageSize: 10 };
}
