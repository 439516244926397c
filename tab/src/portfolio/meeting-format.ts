import type { CadenceMeeting, PlanSummary } from '@cosell/shared';
import { WEEKDAY_LABELS } from '../labels';

/* The weekly meeting in words: the instant in the reader's own time zone, the rule in the organiser's. */

const WHEN = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});

const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** "Tue, 16 Jun, 16:00" in the reader's time zone, or "Now, until 16:30" during the meeting. */
export function describeMeeting(meeting: CadenceMeeting, now: Date): string {
  if (meeting.start.getTime() <= now.getTime()) return `Now, until ${TIME.format(meeting.end)}`;
  return WHEN.format(meeting.start);
}

/** "Tuesdays 16:00 (Europe/Berlin)": the rule as the organiser set it. */
export function describeCadence(cadence: NonNullable<PlanSummary['cadence']>): string {
  return `${WEEKDAY_LABELS[cadence.weekday]}s ${cadence.time} (${cadence.timeZone.replaceAll('_', ' ')})`;
}
