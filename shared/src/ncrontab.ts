/*
 * NCRONTAB schedules as Azure Functions timer triggers read them (reference/teams-platform.md §4.4):
 * six fields `{second} {minute} {hour} {day} {month} {day-of-week}`, day-of-week 0–6 with Sunday = 0,
 * month and day names allowed (Jan…Dec, Sun…Sat), `*`, lists `a,b`, ranges `a-b`, steps `*\/n` and `a-b/n`.
 * Times are UTC (the Functions default without WEBSITE_TIME_ZONE). As in the NCrontab library the
 * Functions host uses, a day must satisfy BOTH the day-of-month and the day-of-week fields.
 * Pure: the caller passes the instant to start from.
 */

export interface CronSchedule {
  readonly source: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
}

export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Offset of the first name (months are 1-based). */
  nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: 'day-of-week', min: 0, max: 6, names: DAY_NAMES, nameBase: 0 },
];

function parseValue(raw: string, spec: FieldSpec): number {
  const lower = raw.toLowerCase();
  const named = spec.names?.indexOf(lower.slice(0, 3)) ?? -1;
  if (spec.names && named !== -1 && /^[a-z]+$/.test(lower)) return named + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(raw)) throw new CronSyntaxError(`the ${spec.name} field has "${raw}", not a number`);
  const value = Number(raw);
  if (value < spec.min || value > spec.max) {
    throw new CronSyntaxError(`the ${spec.name} is ${spec.min} to ${spec.max} (got ${value})`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new CronSyntaxError(`the ${spec.name} field has an empty list item`);
    const [rangePart = '', stepPart, extra] = part.split('/');
    if (extra !== undefined) throw new CronSyntaxError(`the ${spec.name} field has two steps in "${part}"`);
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) === 0) {
        throw new CronSyntaxError(`the step in the ${spec.name} field is a whole number above 0`);
      }
      step = Number(stepPart);
    }
    let from: number;
    let to: number;
    if (rangePart === '*') {
      from = spec.min;
      to = spec.max;
    } else if (rangePart.includes('-')) {
      const [a = '', b = ''] = rangePart.split('-');
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (to < from) throw new CronSyntaxError(`the ${spec.name} range ${rangePart} runs backwards`);
    } else {
      from = parseValue(rangePart, spec);
      // `5/15` means from 5 to the end in steps of 15, as in NCrontab.
      to = stepPart !== undefined ? spec.max : from;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses a six-field NCRONTAB expression; throws CronSyntaxError naming the field and the rule. */
export function parseNcrontab(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new CronSyntaxError(
      `an Azure Functions schedule has 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}); got ${parts.length}`,
    );
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i] as FieldSpec));
  const [seconds, minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return { source: expression, seconds, minutes, hours, days, months, weekdays };
}

function first(set: ReadonlySet<number>, atLeast: number): number | undefined {
  let best: number | undefined;
  for (const v of set) if (v >= atLeast && (best === undefined || v < best)) best = v;
  return best;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The first instant strictly after `after` (whole seconds, UTC) that the schedule names, or undefined when
 * it names none in the next eight years (e.g. 30 February).
 */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date | undefined {
  const start = Math.floor(after.getTime() / 1000) * 1000 + 1000;
  const from = new Date(start);
  const lastYear = from.getUTCFullYear() + 8;
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth() + 1;
  let day = from.getUTCDate();
  let hour = from.getUTCHours();
  let minute = from.getUTCMinutes();
  let second = from.getUTCSeconds();
  while (year <= lastYear) {
    const m = first(schedule.months, month);
    if (m === undefined) {
      year++;
      month = 1;
      day = 1;
      hour = minute = second = 0;
      continue;
    }
    if (m !== month) {
      month = m;
      day = 1;
      hour = minute = second = 0;
    }
    let found = false;
    for (; day <= daysInMonth(year, month); day++) {
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
      if (schedule.days.has(day) && schedule.weekdays.has(weekday)) {
        found = true;
        break;
      }
      hour = minute = second = 0;
    }
    if (!found) {
      month++;
      day = 1;
      hour = minute = second = 0;
      if (month > 12) {
        year++;
        month = 1;
      }
      continue;
    }
    const h = first(schedule.hours, hour);
    if (h === undefined) {
      day++;
      hour = minute = second = 0;
      if (day > daysInMonth(year, month)) {
        month++;
        day = 1;
        if (month > 12) {
          year++;
          month = 1;
        }
      }
      continue;
    }
    if (h !== hour) {
      hour = h;
      minute = second = 0;
    }
    const mi = first(schedule.minutes, minute);
    if (mi === undefined) {
      hour++;
      minute = second = 0;
      if (hour > 23) {
        hour = 0;
        day++;
        if (day > daysInMonth(year, month)) {
          month++;
          day = 1;
          if (month > 12) {
            year++;
            month = 1;
          }
        }
      }
      continue;
    }
    if (mi !== minute) {
      minute = mi;
      second = 0;
    }
    const s = first(schedule.seconds, second);
    if (s === undefined) {
      minute++;
      second = 0;
      if (minute > 59) {
        minute = 0;
        hour++;
        if (hour > 23) {
          hour = 0;
          day++;
          if (day > daysInMonth(year, month)) {
            month++;
            day = 1;
            if (month > 12) {
              year++;
              month = 1;
            }
          }
        }
      }
      continue;
    }
    return new Date(Date.UTC(year, month - 1, day, hour, minute, s));
  }
  return undefined;
}
