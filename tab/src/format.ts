import { daysBetween, type IsoDate, type Person, ROLE_LABELS } from '@cosell/shared';

/* How plan data reads on screen. Plan dates are calendar days on the buyer's calendar: formatted in UTC. */

/*
 * Plan dates and amounts are formatted without Intl: building the first Intl formatter loads locale data,
 * which costs more than the rest of the plan page's first render on a slow phone. The app is in English.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 27, 2026": a calendar day of the buyer's calendar, the same for every reader. */
export function formatDate(date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) return date;
  return `${month} ${Number(m[3])}, ${m[1]}`;
}

let dateTime: Intl.DateTimeFormat | undefined;

/** An instant (an ISO timestamp) in the reader's own time zone. */
export function formatDateTime(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  dateTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return dateTime.format(instant);
}

/** "3 days late", "due today", "in 5 days", relative to the server's today. */
export function describeDue(due: IsoDate, today: IsoDate): string {
  const days = daysBetween(today, due);
  if (days === 0) return 'due today';
  if (days < 0) return `${-days} day${days === -1 ? '' : 's'} late`;
  return `in ${days} day${days === 1 ? '' : 's'}`;
}

export function describeDaysAgo(days: number): string {
  if (days <= 0) return 'today';
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹' };

/** "$480,000", "€15,000", "480,000 CHF": whole units with thousands separators. */
export function formatMoney(amount: number, currency: string): string {
  const units = Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = CURRENCY_SYMBOLS[currency];
  return symbol ? `${symbol}${units}` : `${units} ${currency}`;
}

export function fullName(person: Pick<Person, 'firstName' | 'lastName'>): string {
  return `${person.firstName} ${person.lastName}`;
}

export function roleOf(person: Pick<Person, 'role' | 'title'>): string {
  const role = ROLE_LABELS[person.role];
  return person.title ? `${role}, ${person.title}` : role;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The URL when it is an https link, else undefined: plan text never becomes a javascript: or data: link. */
export function httpsUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
