import { daysBetween, type IsoDate, type Person, ROLE_LABELS } from '@cosell/shared';

/* How plan data reads on screen. Plan dates are calendar days on the buyer's calendar: formatted in UTC. */

const DATE = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(date: IsoDate): string {
  const instant = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(instant.getTime()) ? date : DATE.format(instant);
}

/** An instant (an ISO timestamp) in the reader's own time zone. */
export function formatDateTime(iso: string): string {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso : DATE_TIME.format(instant);
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

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      amount,
    );
  } catch {
    return `${currency} ${amount}`;
  }
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
