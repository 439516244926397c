import { plural } from '../format';

/* A plan's health at a glance, as words and a colour: the badges of the portfolio, the plan and the print. */

export interface HealthFlags {
  stalled: boolean;
  decaying: boolean;
  /** The number of completeness gaps. */
  gaps: number;
}

export interface Flag {
  label: string;
  /** One of Fluent's badge colours. */
  color: 'danger' | 'severe' | 'warning' | 'success';
}

/** Worst first: a stall needs action today, decay this week, gaps when the plan is next edited. */
export function healthFlagsOf({ stalled, decaying, gaps }: HealthFlags): Flag[] {
  const flags: Flag[] = [];
  if (stalled) flags.push({ label: 'Stalled', color: 'danger' });
  if (decaying) flags.push({ label: 'Decaying', color: 'severe' });
  if (gaps > 0) flags.push({ label: `Incomplete (${plural(gaps, 'gap')})`, color: 'warning' });
  if (flags.length === 0) flags.push({ label: 'Healthy', color: 'success' });
  return flags;
}
