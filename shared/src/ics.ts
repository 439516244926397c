import { WEEKDAYS } from './vocabulary';

/*
 * RFC 5545 calendar files (issue 7): the weekly co-sell series as an iCalendar object with METHOD
 * REQUEST or CANCEL (RFC 5546), one VEVENT series, and a VTIMEZONE for its IANA zone worked out from
 * Intl. Pure: no I/O, no clock (the caller passes `now`), no Buffer (runs in the browser too).
 *
 * Plan text can never break out of its property:
 * - TEXT values (SUMMARY, DESCRIPTION, X-ALT-DESC) escape backslash, semicolon, comma and line breaks
 *   (RFC 5545 §3.3.11); other control characters are dropped.
 * - Parameter values from people (CN, X-FILENAME) are always quoted; a DQUOTE becomes an apostrophe and
 *   control characters a space (§3.2: a quoted parameter value cannot hold DQUOTE or controls). TZID and
 *   FMTTYPE are checked against their grammar (an IANA name, a media type) and written bare.
 * - Addresses (mailto:) and the URL are checked before they are written; CR and LF are never written
 *   raw anywhere but as the line ends this module writes itself.
 * - Lines are folded at 75 octets (CRLF + space), never inside a UTF-8 sequence (§3.1); every line ends in CRLF.
 */

export type IcsWeekday = (typeof WEEKDAYS)[number];

export interface IcsPerson {
  name: string;
  email: string;
}

export interface IcsAttachment {
  filename: string;
  /** e.g. application/pdf */
  mimeType: string;
  bytes: Uint8Array;
}

/** One weekly series (or one event, when `weekdays` is empty). */
export interface IcsSeries {
  /** Stable across updates of the same series (RFC 5545 UID). */
  uid: string;
  /** RFC 5545 SEQUENCE: raise it with every change attendees should see. */
  sequence: number;
  /** REQUEST to create or update the series; CANCEL to cancel it (its STATUS is then CANCELLED). */
  method: 'REQUEST' | 'CANCEL';
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  summary: string;
  /** The first occurrence, local time in `timeZone`: YYYY-MM-DDTHH:mm. Should fall on one of `weekdays`. */
  startLocal: string;
  /** IANA time zone, e.g. Europe/Berlin (or UTC). */
  timeZone: string;
  durationMinutes: number;
  /** The days of the week the series meets on; empty = one event, no RRULE. */
  weekdays: readonly IcsWeekday[];
  /** The last local day (YYYY-MM-DD, inclusive) an occurrence may fall on; none = the series runs on. */
  until?: string;
  organizer: IcsPerson;
  attendees: readonly IcsPerson[];
  /** Plain text (DESCRIPTION). */
  descriptionText: string;
  /** HTML (X-ALT-DESC;FMTTYPE=text/html), e.g. from renderPlanEmailHtml. */
  descriptionHtml?: string;
  /** A link back to the plan; https only (anything else is left out). */
  url?: string;
  /** Attached inline, base64 (left out of a CANCEL). */
  attachments: readonly IcsAttachment[];
}

export interface IcsCalendar {
  series: IcsSeries;
  /** DTSTAMP: when this file is made. */
  now: Date;
  /** PRODID; the app's own by default. */
  prodId?: string;
}

export const ICS_PRODID = '-//Co-Sell Plan//Weekly co-sell review//EN';

/** Input that cannot become a valid calendar (an unknown zone, a bad address, a bad start). */
export class IcsInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'IcsInputError';
  }
}

/* ---------- Values ---------- */

const DAY_CODES: Record<IcsWeekday, string> = {
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
  sunday: 'SU',
};

/** Drops control characters other than the line breaks (which TEXT escapes) and TAB. */
function dropControls(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) continue;
    out += ch;
  }
  return out;
}

/** A TEXT value (RFC 5545 §3.3.11). */
export function escapeIcsText(value: string): string {
  return dropControls(value)
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A quoted parameter value (RFC 5545 §3.2): no DQUOTE, no control characters. */
export function quoteIcsParam(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c === 0x7f) out += ' ';
    else if (ch === '"') out += "'";
    else out += ch;
  }
  return `"${out.replace(/ {2,}/g, ' ').trim()}"`;
}

const ADDRESS = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/;

function mailto(email: string, field: string): string {
  const address = email.trim();
  if (!ADDRESS.test(address) || dropControls(address) !== address) {
    throw new IcsInputError(field, `"${address.slice(0, 80)}" is not an email address`);
  }
  return `mailto:${address}`;
}

function httpsUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' || url.hostname === '' || url.username || url.password) return undefined;
    // The serialised URL percent-encodes spaces and controls: nothing in it can end a line.
    return /[\s"]/.test(url.href) ? undefined : url.href;
  } catch {
    return undefined;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648 §4) without Buffer or btoa. */
export function base64Encode(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out.push(
      BASE64.charAt(n >> 18) +
        BASE64.charAt((n >> 12) & 63) +
        BASE64.charAt((n >> 6) & 63) +
        BASE64.charAt(n & 63),
    );
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out.push(`${BASE64.charAt(n >> 18)}${BASE64.charAt((n >> 12) & 63)}==`);
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out.push(`${BASE64.charAt(n >> 18)}${BASE64.charAt((n >> 12) & 63)}${BASE64.charAt((n >> 6) & 63)}=`);
  }
  return out.join('');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 20261127T100000Z */
function utcStamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(
    d.getUTCMinutes(),
  )}${pad(d.getUTCSeconds())}Z`;
}

/** A wall-clock reading held as epoch ms "as if UTC", written as a floating local DATE-TIME. */
function localStamp(wallMs: number): string {
  return utcStamp(wallMs).slice(0, -1);
}

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 || h === 0 ? `${m}M` : ''}`;
}

/* ---------- Time zones from Intl ---------- */

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new IcsInputError('timeZone', `"${timeZone}" is not a time zone this runtime knows`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(timeZone: string, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(whole))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) - whole;
}

interface Transition {
  /** The instant of the change. */
  at: number;
  from: number;
  to: number;
}

/** The offset changes during a calendar year (UTC), found day by day and then to the minute. */
function transitionsIn(timeZone: string, year: number): Transition[] {
  const out: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let t = Date.UTC(year, 0, 1);
  let before = offsetAt(timeZone, t);
  for (; t < end; t += DAY) {
    const next = Math.min(t + DAY, end);
    const after = offsetAt(timeZone, next);
    if (after === before) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offsetAt(timeZone, mid) === before) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, from: before, to: after });
    before = after;
  }
  return out;
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.abs(Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h)}${pad(m)}${s > 0 ? pad(s) : ''}`;
}

const daysInMonth = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/** The day of month of the `nth` (1–4, or -1 = last) `weekday` (0 = Sunday) of a month. */
function nthWeekday(year: number, month0: number, weekday: number, nth: number): number {
  if (nth > 0) {
    const first = new Date(Date.UTC(year, month0, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + (nth - 1) * 7;
  }
  const lastDay = daysInMonth(year, month0);
  const last = new Date(Date.UTC(year, month0, lastDay)).getUTCDay();
  return lastDay - ((last - weekday + 7) % 7);
}

const SUNDAY_FIRST = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  /** Local wall clock of the onset, in the offset before it. */
  start: number;
  from: number;
  to: number;
  rrule?: string;
}

/** A yearly rule ("the last Sunday of March at 02:00") that gives this change in `year` and the next. */
function yearlyRule(t: Transition, nextYear: Transition | undefined): Observance | undefined {
  if (!nextYear) return undefined;
  const wall = new Date(t.at + t.from);
  const year = wall.getUTCFullYear();
  const month0 = wall.getUTCMonth();
  const day = wall.getUTCDate();
  const weekday = wall.getUTCDay();
  const timeOfDay = t.at + t.from - Date.UTC(year, month0, day);
  const nextWall = new Date(nextYear.at + nextYear.from);
  const candidates = [Math.ceil(day / 7), ...(day > daysInMonth(year, month0) - 7 ? [-1] : [])];
  for (const nth of candidates.reverse()) {
    if (nth > 4) continue;
    const matchesNext =
      nextWall.getUTCMonth() === month0 &&
      nextWall.getUTCDate() === nthWeekday(year + 1, month0, weekday, nth) &&
      nextYear.at + nextYear.from - Date.UTC(year + 1, month0, nextWall.getUTCDate()) === timeOfDay;
    if (!matchesNext) continue;
    // The first onset of the rule in 1970, so the observance covers any event of recent years.
    const start = Date.UTC(1970, month0, nthWeekday(1970, month0, weekday, nth)) + timeOfDay;
    return {
      kind: t.to > t.from ? 'DAYLIGHT' : 'STANDARD',
      start,
      from: t.from,
      to: t.to,
      rrule: `FREQ=YEARLY;BYMONTH=${month0 + 1};BYDAY=${nth}${SUNDAY_FIRST[weekday]}`,
    };
  }
  return undefined;
}

/** The VTIMEZONE of an IANA zone around the years of a series, from this runtime's Intl data. */
export function vtimezoneLines(timeZone: string, fromYear: number, toYear: number): string[] {
  const tzid = `TZID:${timeZoneId(timeZone)}`;
  const thisYear = transitionsIn(timeZone, fromYear);
  const nextYear = transitionsIn(timeZone, fromYear + 1);
  let observances: Observance[] = [];
  if (thisYear.length === 0) {
    const offset = offsetAt(timeZone, Date.UTC(fromYear, 0, 1));
    observances = [{ kind: 'STANDARD', start: Date.UTC(1970, 0, 1), from: offset, to: offset }];
  } else {
    const rules =
      thisYear.length === 2 && nextYear.length === 2
        ? thisYear.map((t, i) => yearlyRule(t, nextYear[i]))
        : [];
    if (rules.length === 2 && rules.every((r): r is Observance => r !== undefined)) observances = rules;
    else {
      // No yearly weekday rule fits (or the rules change): each change from the year before to the end.
      const last = Math.max(toYear, fromYear + 1);
      for (let year = fromYear - 1; year <= last; year++) {
        for (const t of transitionsIn(timeZone, year)) {
          observances.push({
            kind: t.to > t.from ? 'DAYLIGHT' : 'STANDARD',
            start: t.at + t.from,
            from: t.from,
            to: t.to,
          });
        }
      }
    }
  }
  const lines = ['BEGIN:VTIMEZONE', tzid];
  for (const o of observances) {
    lines.push(
      `BEGIN:${o.kind}`,
      `DTSTART:${localStamp(o.start)}`,
      ...(o.rrule ? [`RRULE:${o.rrule}`] : []),
      `TZOFFSETFROM:${formatOffset(o.from)}`,
      `TZOFFSETTO:${formatOffset(o.to)}`,
      `END:${o.kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** An IANA name is letters, digits, '/', '_', '+', '-': anything else is refused. */
function timeZoneId(timeZone: string): string {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(timeZone)) {
    throw new IcsInputError('timeZone', 'a time zone is an IANA name like Europe/Berlin');
  }
  formatter(timeZone);
  return timeZone;
}

/**
 * The instant at which the wall clock in `timeZone` reads `wallMs` (the earlier one when it reads it
 * twice; a skipped reading uses the offset before the change, as RFC 5545 §3.3.5 says).
 */
function instantOf(timeZone: string, wallMs: number): number {
  const before = offsetAt(timeZone, wallMs - DAY);
  const after = offsetAt(timeZone, wallMs + DAY);
  const fits = [wallMs - before, wallMs - after].filter((at) => at + offsetAt(timeZone, at) === wallMs);
  return fits.length > 0 ? Math.min(...fits) : wallMs - before;
}

/* ---------- Lines ---------- */

const encoder = new TextEncoder();

/** Folds one content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence. */
export function foldIcsLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // a continuation line starts with one space
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The series as an iCalendar file: CRLF line ends, folded lines. */
export function renderIcs(calendar: IcsCalendar): string {
  const { series, now } = calendar;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(series.startLocal);
  if (!m) throw new IcsInputError('startLocal', 'the start is local time written YYYY-MM-DDTHH:mm');
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const startWall = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(startWall).getUTCDate() !== d || h > 23 || mi > 59) {
    throw new IcsInputError('startLocal', `${series.startLocal} is not a day and time on the calendar`);
  }
  if (
    !Number.isInteger(series.durationMinutes) ||
    series.durationMinutes < 1 ||
    series.durationMinutes > 24 * 60
  ) {
    throw new IcsInputError('durationMinutes', 'a meeting lasts 1 minute to 24 hours');
  }
  if (!Number.isInteger(series.sequence) || series.sequence < 0) {
    throw new IcsInputError('sequence', 'the sequence is a whole number, 0 or more');
  }
  const uid = dropControls(series.uid).replace(/[\r\n]/g, '');
  if (uid.trim() === '') throw new IcsInputError('uid', 'a series has a UID');
  const tzid = timeZoneId(series.timeZone);

  let untilYear = y;
  let rrule: string | undefined;
  const days = [...new Set(series.weekdays)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  if (days.length > 0) {
    const byday = days.map((day) => {
      const code = DAY_CODES[day];
      if (!code) throw new IcsInputError('weekdays', `"${String(day)}" is not a day of the week`);
      return code;
    });
    let until = '';
    if (series.until !== undefined) {
      const u = /^(\d{4})-(\d{2})-(\d{2})$/.exec(series.until);
      if (!u) throw new IcsInputError('until', 'the last day is written YYYY-MM-DD');
      const [, uy, um, ud] = u.map(Number) as [number, number, number, number];
      // The end of that local day, in UTC (RFC 5545: UNTIL is UTC when DTSTART has a TZID).
      const endOfDay = instantOf(tzid, Date.UTC(uy, um - 1, ud, 23, 59, 59));
      until = `;UNTIL=${utcStamp(endOfDay)}`;
      untilYear = uy;
    }
    rrule = `FREQ=WEEKLY;BYDAY=${byday.join(',')}${until}`;
  }

  const cancel = series.method === 'CANCEL';
  const status = cancel ? 'CANCELLED' : series.status;
  const url = httpsUrl(series.url);
  const seen = new Set<string>();
  const attendees = series.attendees.filter((a) => {
    const key = a.email.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const lines: string[] = [
    'BEGIN:VCALENDAR',
    `PRODID:${escapeIcsText(calendar.prodId ?? ICS_PRODID)}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${cancel ? 'CANCEL' : 'REQUEST'}`,
    ...vtimezoneLines(tzid, y, Math.max(y, untilYear)),
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(uid)}`,
    `SEQUENCE:${series.sequence}`,
    `DTSTAMP:${utcStamp(now.getTime())}`,
    `DTSTART;TZID=${tzid}:${localStamp(startWall)}`,
    `DURATION:${duration(series.durationMinutes)}`,
    ...(rrule ? [`RRULE:${rrule}`] : []),
    `SUMMARY:${escapeIcsText(series.summary)}`,
    `ORGANIZER;CN=${quoteIcsParam(series.organizer.name)}:${mailto(series.organizer.email, 'organizer.email')}`,
    ...attendees.map(
      (a, i) =>
        `ATTENDEE;CN=${quoteIcsParam(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(
          a.email,
          `attendees[${i}].email`,
        )}`,
    ),
    `DESCRIPTION:${escapeIcsText(series.descriptionText)}`,
    ...(series.descriptionHtml !== undefined && !cancel
      ? [`X-ALT-DESC;FMTTYPE=text/html:${escapeIcsText(series.descriptionHtml)}`]
      : []),
    ...(url ? [`URL:${url}`] : []),
    `STATUS:${status}`,
    'TRANSP:OPAQUE',
    ...(cancel
      ? []
      : series.attachments.map((a) => {
          const type = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/.test(a.mimeType)
            ? a.mimeType.toLowerCase()
            : 'application/octet-stream';
          return `ATTACH;FMTTYPE=${type};ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${quoteIcsParam(
            a.filename,
          )}:${base64Encode(a.bytes)}`;
        })),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`;
}
