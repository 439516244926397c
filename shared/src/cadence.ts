import type { IsoDate } from './dates';
import { addDays } from './dates';
import { type CadenceSettings, WEEKDAYS } from './plan-schema';

/*
 * When the weekly co-sell meeting next happens (SPEC §5). The cadence is written in the organiser's
 * time zone (an IANA name): "Tuesdays at 16:00 in Europe/Berlin" stays 16:00 in Berlin across daylight
 * saving changes, so the instant moves for everyone else. Time zone rules come from Intl; no clock is
 * read here: callers pass `now`.
 */

/** What this needs of a cadence: the plan's settings, or the cadence of a portfolio summary. */
export type CadenceRule = Pick<CadenceSettings, 'weekday' | 'time' | 'timeZone'> & {
  /** The first day of the series (the first meeting is the first `weekday` on or after it). */
  startsOn?: IsoDate;
  /** The last day of the series, inclusive; none = the series runs on. */
  endsOn?: IsoDate;
  durationMinutes?: number;
};

export interface CadenceMeeting {
  start: Date;
  end: Date;
  /** The calendar day of the meeting in the cadence's own time zone. */
  localDate: IsoDate;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DEFAULT_DURATION_MINUTES = 30;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when this runtime knows the IANA time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timeZone` at `epochMs`, written as if it were UTC (epoch ms). */
function wallClockAt(timeZone: string, epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +2 h). Whole seconds only. */
function offsetAt(timeZone: string, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallClockAt(timeZone, whole) - whole;
}

/**
 * The instant at which the wall clock in `timeZone` reads `local` (epoch ms of that reading as UTC).
 * A reading that happens twice (the hour repeated when clocks go back) is its first occurrence; a reading
 * that never happens (the hour skipped when clocks go forward) uses the offset from before the change,
 * so 02:30 on a spring-forward night is 03:30 — as RFC 5545 and calendar clients resolve them.
 * Assumes at most one offset change within a day of `local`, which holds for every IANA zone in use.
 */
export function zonedTimeToInstant(timeZone: string, local: number): number {
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  const candidates = [local - before, local - after].filter(
    (instant) => wallClockAt(timeZone, instant) === local,
  );
  if (candidates.length === 0) return local - before;
  return Math.min(...candidates);
}

function localDateOf(timeZone: string, epochMs: number): IsoDate {
  return new Date(wallClockAt(timeZone, epochMs)).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday, as in WEEKDAYS. */
function weekdayIndexOf(date: IsoDate): number {
  const sundayFirst = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (sundayFirst + 6) % 7;
}

function nextWeekdayOnOrAfter(date: IsoDate, weekday: number): IsoDate {
  return addDays(date, (weekday - weekdayIndexOf(date) + 7) % 7);
}

function meetingOn(rule: CadenceRule, localDate: IsoDate): CadenceMeeting {
  const [hours = 0, minutes = 0] = rule.time.split(':').map(Number);
  const local = Date.parse(`${localDate}T00:00:00Z`) + (hours * 60 + minutes) * MINUTE_MS;
  const start = zonedTimeToInstant(rule.timeZone, local);
  const duration = (rule.durationMinutes ?? DEFAULT_DURATION_MINUTES) * MINUTE_MS;
  return { start: new Date(start), end: new Date(start + duration), localDate };
}

/**
 * The next weekly meeting that has not ended at `now` (a meeting in progress is the next one), or
 * undefined when the series is over (`endsOn` passed) or the time zone is unknown to this runtime.
 */
export function nextCadenceMeeting(rule: CadenceRule, now: Date): CadenceMeeting | undefined {
  if (!isKnownTimeZone(rule.timeZone)) return undefined;
  const weekday = WEEKDAYS.indexOf(rule.weekday);
  const today = localDateOf(rule.timeZone, now.getTime());
  const from = rule.startsOn !== undefined && rule.startsOn > today ? rule.startsOn : today;
  let meeting = meetingOn(rule, nextWeekdayOnOrAfter(from, weekday));
  if (meeting.end.getTime() <= now.getTime()) meeting = meetingOn(rule, addDays(meeting.localDate, 7));
  if (rule.endsOn !== undefined && meeting.localDate > rule.endsOn) return undefined;
  return meeting;
}
