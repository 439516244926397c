import { type CadenceMeeting, nextCadenceMeeting, type PlanStatus, type PlanSummary } from '@cosell/shared';

/*
 * The portfolio's rows, filters and sort orders: pure functions over the summaries the API sends, so
 * the page only renders. Sorting and filtering run over the plans loaded so far.
 */

export interface PortfolioRow {
  plan: PlanSummary;
  /** The next weekly meeting; `undefined` when there is no cadence or its series has ended. */
  nextMeeting?: CadenceMeeting;
}

export function toRows(plans: readonly PlanSummary[], now: Date): PortfolioRow[] {
  return plans.map((plan) => {
    const meeting = plan.cadence ? nextCadenceMeeting(plan.cadence, now) : undefined;
    return meeting ? { plan, nextMeeting: meeting } : { plan };
  });
}

export interface PortfolioFilters {
  status: PlanStatus | 'any';
  stalledOnly: boolean;
  decayingOnly: boolean;
  incompleteOnly: boolean;
  /** Words to find in the title, an account or a partner (case-insensitive; every word must match). */
  text: string;
}

export const NO_FILTERS: PortfolioFilters = {
  status: 'any',
  stalledOnly: false,
  decayingOnly: false,
  incompleteOnly: false,
  text: '',
};

export function isFiltering(filters: PortfolioFilters): boolean {
  return (
    filters.status !== NO_FILTERS.status ||
    filters.stalledOnly ||
    filters.decayingOnly ||
    filters.incompleteOnly ||
    filters.text.trim() !== ''
  );
}

function searchableText(plan: PlanSummary): string {
  return [plan.title, ...plan.accounts.map((a) => a.name), ...plan.partners.map((p) => p.name)]
    .join('\n')
    .toLocaleLowerCase();
}

export function filterRows(rows: readonly PortfolioRow[], filters: PortfolioFilters): PortfolioRow[] {
  const words = filters.text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(({ plan }) => {
    if (filters.status !== 'any' && plan.status !== filters.status) return false;
    if (filters.stalledOnly && !plan.stalled) return false;
    if (filters.decayingOnly && !plan.decaying) return false;
    if (filters.incompleteOnly && plan.complete) return false;
    if (words.length > 0) {
      const haystack = searchableText(plan);
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  });
}

export const SORT_KEYS = ['title', 'health', 'nextMilestone', 'nextMeeting', 'lastReview'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** `natural` is each column's useful order (A to Z, worst first, soonest first, longest ago first). */
export interface PortfolioSort {
  key: SortKey;
  direction: 'natural' | 'reversed';
}

export const DEFAULT_SORT: PortfolioSort = { key: 'health', direction: 'natural' };

/** How each order reads, for the sort buttons' accessible descriptions. */
export const SORT_ORDER_WORDS: Record<SortKey, { natural: string; reversed: string }> = {
  title: { natural: 'A to Z', reversed: 'Z to A' },
  health: { natural: 'worst first', reversed: 'healthiest first' },
  nextMilestone: { natural: 'soonest first', reversed: 'latest first' },
  nextMeeting: { natural: 'soonest first', reversed: 'latest first' },
  lastReview: { natural: 'longest ago first', reversed: 'most recent first' },
};

/** Things late, summed over the sides. */
function lateCount(plan: PlanSummary): number {
  return plan.late.reduce((sum, side) => sum + side.actions + side.milestones, 0);
}

/**
 * How badly a plan needs attention, compared field by field (a larger value is worse): a stall needs
 * action today, then decay, then how much is late, then how many gaps there are.
 */
export function healthScore(plan: PlanSummary): [number, number, number, number] {
  return [plan.stalled ? 1 : 0, plan.decaying ? 1 : 0, lateCount(plan), plan.missing.length];
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** A value to sort by, in the column's natural order; undefined sorts last in both directions. */
type Key = string | number | readonly number[] | undefined;

function keyOf(row: PortfolioRow, key: SortKey): Key {
  const { plan } = row;
  switch (key) {
    case 'title':
      return plan.title;
    case 'health':
      // Worst first is the natural order: negate so that ascending puts the largest score first.
      return healthScore(plan).map((n) => -n);
    case 'nextMilestone':
      return plan.nextMilestone?.due;
    case 'nextMeeting':
      return row.nextMeeting?.start.getTime();
    case 'lastReview':
      // Never reviewed is the longest ago of all.
      return plan.lastReviewedOn ?? '';
  }
}

function compareKeys(a: Exclude<Key, undefined>, b: Exclude<Key, undefined>): number {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) return compareScores(a, b);
  return 0;
}

export function sortRows(rows: readonly PortfolioRow[], sort: PortfolioSort): PortfolioRow[] {
  const sign = sort.direction === 'natural' ? 1 : -1;
  return [...rows].sort((x, y) => {
    const a = keyOf(x, sort.key);
    const b = keyOf(y, sort.key);
    if (a === undefined || b === undefined) {
      if (a !== b) return a === undefined ? 1 : -1;
    } else {
      const order = compareKeys(a, b) * sign;
      if (order !== 0) return order;
    }
    // Ties (and rows without a value) keep a stable, readable order.
    return collator.compare(x.plan.title, y.plan.title) || x.plan.id.localeCompare(y.plan.id);
  });
}

export function nextSort(current: PortfolioSort, key: SortKey): PortfolioSort {
  if (current.key !== key) return { key, direction: 'natural' };
  return { key, direction: current.direction === 'natural' ? 'reversed' : 'natural' };
}
