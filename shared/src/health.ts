import { addDays, daysBetween, type IsoDate, maxDate, minDate, toIsoDate } from './dates';
import { DECAY_AFTER_DAYS } from './limits';
import type { JointAction, Milestone, Plan, PlanContent, PlanMeta } from './plan-schema';
import type { PlanIndex } from './ports';

/*
 * Plan health (SPEC §3): completeness of the six fields, stalls per account and per plan, decay, and
 * accountability by side. Pure functions of the plan and `today`.
 */

export const PLAN_FIELDS = [
  'accounts',
  'owners',
  'milestones',
  'actions',
  'economics',
  'escalation',
] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

export const PLAN_FIELD_LABELS: Record<PlanField, string> = {
  accounts: 'Shared accounts',
  owners: 'Named owners',
  milestones: "Milestones on the buyer's calendar",
  actions: 'Joint actions',
  economics: 'Economic split',
  escalation: 'Escalation path',
};

export interface Gap {
  field: PlanField;
  /** What is missing, in words a person acts on. */
  message: string;
}

export interface Completeness {
  complete: boolean;
  done: PlanField[];
  missing: Gap[];
}

type HealthPlan = PlanContent & Pick<PlanMeta, 'createdAt'> & Partial<Pick<PlanMeta, 'activatedOn'>>;

const isCoSell = (plan: PlanContent) => plan.motion === 'co-sell';

export function assessCompleteness(plan: PlanContent): Completeness {
  const gaps: Gap[] = [];
  const gap = (field: PlanField, message: string) => gaps.push({ field, message });
  const partners = isCoSell(plan) ? plan.partners : [];
  const peopleOf = (side: string, partnerId?: string) =>
    plan.people.filter((p) => p.side === side && (partnerId === undefined || p.partnerId === partnerId));

  if (plan.accounts.length === 0)
    gap('accounts', 'no shared account named yet: add the account you run together');

  if (!plan.people.some((p) => p.role === 'account-executive'))
    gap('owners', 'no vendor account executive named');
  if (isCoSell(plan) && plan.partners.length === 0)
    gap('owners', 'no partner on the plan: add the partner you sell with');
  for (const partner of partners) {
    if (!peopleOf('partner', partner.id).some((p) => p.role === 'partner-counterpart')) {
      gap('owners', `no partner-side owner for ${partner.name}: name their partner counterpart`);
    }
  }
  if (!plan.people.some((p) => p.role === 'economic-buyer')) gap('owners', 'no economic buyer named');

  if (plan.milestones.length === 0) gap('milestones', "no milestone on the buyer's calendar yet");

  const ownerSide = new Map(plan.people.map((p) => [p.id, p]));
  const actionsOf = (side: string, partnerId?: string) =>
    plan.actions.filter((a) => {
      const owner = ownerSide.get(a.ownerId);
      return owner?.side === side && (partnerId === undefined || owner.partnerId === partnerId);
    });
  if (actionsOf('vendor').length === 0) gap('actions', 'no action for the vendor side yet');
  for (const partner of partners) {
    if (actionsOf('partner', partner.id).length === 0)
      gap('actions', `no joint action for ${partner.name} yet`);
  }

  for (const partner of partners) {
    const economics = plan.economics.find((e) => e.partnerId === partner.id);
    if (!economics) {
      gap('economics', `economics not written down for ${partner.name}`);
    } else if (economics.kind === 'terms' && economics.terms.some((t) => !t.agreed)) {
      gap('economics', `economics with ${partner.name} not agreed yet`);
    }
  }

  if (plan.escalation.vendorChain.length === 0) gap('escalation', 'no escalation path on the vendor side');
  for (const partner of partners) {
    const chain = plan.escalation.partnerChains.find((c) => c.partnerId === partner.id);
    if (!chain || chain.chain.length === 0)
      gap('escalation', `no escalation path on the ${partner.name} side`);
  }

  const missingFields = new Set(gaps.map((g) => g.field));
  return {
    complete: gaps.length === 0,
    done: PLAN_FIELDS.filter((f) => !missingFields.has(f)),
    missing: gaps,
  };
}

export interface StallState {
  stalled: boolean;
  /** The first day it counts as stalled (past, when stalled; future, when it will stall if nothing moves). */
  stallsOn: IsoDate;
  /** The last day something moved forward (an action or a milestone done), or when the clock started. */
  lastMovedOn: IsoDate;
  daysSinceMove: number;
  overdueMilestoneIds: string[];
  reasons: string[];
}

export interface AccountStall extends StallState {
  accountId: string;
  accountName: string;
}

/** The day the stall and decay clocks start: when the plan last became active, else when it was created. */
export function clockStart(
  plan: Pick<PlanMeta, 'createdAt'> & Partial<Pick<PlanMeta, 'activatedOn'>>,
): IsoDate {
  return plan.activatedOn ?? toIsoDate(new Date(plan.createdAt));
}

function assessStall(
  start: IsoDate,
  thresholdDays: number,
  actions: readonly JointAction[],
  milestones: readonly Milestone[],
  today: IsoDate,
): StallState {
  const moves = [
    ...actions.filter((a) => a.status === 'done' && a.doneOn).map((a) => a.doneOn as IsoDate),
    ...milestones.filter((m) => m.status === 'done' && m.doneOn).map((m) => m.doneOn as IsoDate),
  ];
  const lastMovedOn = maxDate([start, ...moves]) ?? start;
  const idleStallsOn = addDays(lastMovedOn, thresholdDays + 1);
  const open = milestones.filter((m) => m.status !== 'done');
  const firstDue = minDate(open.map((m) => m.due));
  const overdueStallsOn = firstDue === undefined ? undefined : addDays(firstDue, 1);
  const stallsOn = minDate([idleStallsOn, ...(overdueStallsOn ? [overdueStallsOn] : [])]) ?? idleStallsOn;
  const daysSinceMove = daysBetween(lastMovedOn, today);
  const overdue = open.filter((m) => m.due < today);
  const reasons: string[] = [];
  if (today >= idleStallsOn) {
    reasons.push(`nothing moved forward for ${daysSinceMove} days (threshold ${thresholdDays})`);
  }
  for (const m of overdue) {
    reasons.push(`milestone "${m.title}" was due ${m.due} and is not done`);
  }
  return {
    stalled: reasons.length > 0,
    stallsOn,
    lastMovedOn,
    daysSinceMove,
    overdueMilestoneIds: overdue.map((m) => m.id),
    reasons,
  };
}

export interface StallReport {
  /** Stall rules apply to active plans only; drafts, paused, won and lost plans never stall. */
  applies: boolean;
  plan: StallState;
  accounts: AccountStall[];
  /** The plan or any of its accounts is stalled. */
  stalled: boolean;
}

export function assessStalls(plan: HealthPlan, today: IsoDate): StallReport {
  const start = clockStart(plan);
  const threshold = plan.escalation.thresholdDays;
  const planState = assessStall(start, threshold, plan.actions, plan.milestones, today);
  const accounts = plan.accounts.map((account) => {
    const accountStart = maxDate([start, account.addedOn ?? start]) ?? start;
    const state = assessStall(
      accountStart,
      threshold,
      plan.actions.filter((a) => a.accountId === account.id),
      plan.milestones.filter((m) => m.accountId === account.id),
      today,
    );
    return { accountId: account.id, accountName: account.name, ...state };
  });
  const applies = plan.status === 'active';
  if (!applies) {
    const calm = (s: StallState): StallState => ({ ...s, stalled: false, reasons: [] });
    return {
      applies,
      plan: calm(planState),
      accounts: accounts.map((a) => ({ ...a, ...calm(a) })),
      stalled: false,
    };
  }
  return {
    applies,
    plan: planState,
    accounts,
    stalled: planState.stalled || accounts.some((a) => a.stalled),
  };
}

export interface Decay {
  applies: boolean;
  decaying: boolean;
  /** The last weekly review, when there was one. `daysSinceReview` counts from it or from activation, whichever is later. */
  lastReviewedOn?: IsoDate;
  daysSinceReview: number;
  message?: string;
}

export function assessDecay(plan: HealthPlan, today: IsoDate): Decay {
  const since =
    maxDate([clockStart(plan), ...(plan.lastReviewedOn ? [plan.lastReviewedOn] : [])]) ?? clockStart(plan);
  const days = daysBetween(since, today);
  const applies = plan.status === 'active';
  const decaying = applies && days >= DECAY_AFTER_DAYS;
  return {
    applies,
    decaying,
    ...(plan.lastReviewedOn ? { lastReviewedOn: plan.lastReviewedOn } : {}),
    daysSinceReview: days,
    ...(decaying
      ? {
          message: plan.lastReviewedOn
            ? `not reviewed in the weekly meeting for ${days} days`
            : `never reviewed in a weekly meeting since it became active ${days} days ago`,
        }
      : {}),
  };
}

export interface SideAccount {
  side: 'vendor' | 'partner' | 'buyer';
  partnerId?: string;
  label: string;
  lateActionIds: string[];
  lateMilestoneIds: string[];
  openActions: number;
}

/** Late items per side: who is behind (SPEC: "every side knows who does what by when"). */
export function assessAccountability(plan: PlanContent, today: IsoDate): SideAccount[] {
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const sides: SideAccount[] = [
    { side: 'vendor', label: 'Vendor', lateActionIds: [], lateMilestoneIds: [], openActions: 0 },
    ...(isCoSell(plan) ? plan.partners : []).map((p) => ({
      side: 'partner' as const,
      partnerId: p.id,
      label: p.name,
      lateActionIds: [],
      lateMilestoneIds: [],
      openActions: 0,
    })),
    { side: 'buyer', label: 'Buyer', lateActionIds: [], lateMilestoneIds: [], openActions: 0 },
  ];
  const sideOf = (ownerId: string) => {
    const owner = people.get(ownerId);
    if (!owner) return undefined;
    return sides.find(
      (s) => s.side === owner.side && (owner.side !== 'partner' || s.partnerId === owner.partnerId),
    );
  };
  for (const a of plan.actions) {
    const side = sideOf(a.ownerId);
    if (!side || a.status === 'done') continue;
    side.openActions += 1;
    if (a.due < today) side.lateActionIds.push(a.id);
  }
  for (const m of plan.milestones) {
    const side = sideOf(m.ownerId);
    if (side && m.status !== 'done' && m.due < today) side.lateMilestoneIds.push(m.id);
  }
  return sides;
}

export interface PlanHealth {
  today: IsoDate;
  completeness: Completeness;
  stalls: StallReport;
  decay: Decay;
  accountability: SideAccount[];
  nextMilestone?: { id: string; title: string; due: IsoDate };
}

export function assessHealth(plan: HealthPlan, today: IsoDate): PlanHealth {
  const next = plan.milestones
    .filter((m) => m.status !== 'done')
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))[0];
  return {
    today,
    completeness: assessCompleteness(plan),
    stalls: assessStalls(plan, today),
    decay: assessDecay(plan, today),
    accountability: assessAccountability(plan, today),
    ...(next ? { nextMilestone: { id: next.id, title: next.title, due: next.due } } : {}),
  };
}

/**
 * The first day the plan or one of its accounts counts as stalled if nothing moves, or null when stall
 * rules do not apply. A store indexes this so "stalled today" is `stallsOn <= today`, with no clock in the store.
 */
export function stallsOn(plan: HealthPlan): IsoDate | null {
  if (plan.status !== 'active') return null;
  // The stall dates do not depend on `today`; only `stalled` does. Any day gives the same dates.
  const report = assessStalls(plan, clockStart(plan));
  return minDate([report.plan.stallsOn, ...report.accounts.map((a) => a.stallsOn)]) ?? null;
}

/** The columns a store indexes for listing. */
export function planIndex(plan: Plan): PlanIndex {
  const next = minDate(plan.milestones.filter((m) => m.status !== 'done').map((m) => m.due));
  return {
    status: plan.status,
    title: plan.title,
    channelIds: [...new Set(plan.channelIds)],
    emails: [...new Set(plan.people.map((p) => p.email.toLowerCase()))],
    stallsOn: stallsOn(plan),
    nextMilestoneDue: next ?? null,
    lastReviewedOn: plan.lastReviewedOn ?? null,
    crmDealId: plan.crmDeal?.id ?? null,
  };
}

/** One row of the portfolio: what a partner manager scans across plans. */
export interface PlanSummary {
  id: string;
  version: number;
  title: string;
  status: Plan['status'];
  motion: Plan['motion'];
  updatedAt: string;
  accounts: { id: string; name: string }[];
  partners: { id: string; name: string }[];
  stalled: boolean;
  decaying: boolean;
  complete: boolean;
  missing: Gap[];
  late: { label: string; actions: number; milestones: number }[];
  nextMilestone?: { id: string; title: string; due: IsoDate };
  lastReviewedOn?: IsoDate;
  /** The weekly meeting, enough to work out the next one (`nextCadenceMeeting`). */
  cadence?: Pick<NonNullable<Plan['cadence']>, 'weekday' | 'time' | 'timeZone' | 'startsOn' | 'endsOn'>;
}

export function summarizePlan(plan: Plan, today: IsoDate): PlanSummary {
  const health = assessHealth(plan, today);
  return {
    id: plan.id,
    version: plan.version,
    title: plan.title,
    status: plan.status,
    motion: plan.motion,
    updatedAt: plan.updatedAt,
    accounts: plan.accounts.map((a) => ({ id: a.id, name: a.name })),
    partners: plan.motion === 'co-sell' ? plan.partners.map((p) => ({ id: p.id, name: p.name })) : [],
    stalled: health.stalls.stalled,
    decaying: health.decay.decaying,
    complete: health.completeness.complete,
    missing: health.completeness.missing,
    late: health.accountability
      .filter((s) => s.lateActionIds.length + s.lateMilestoneIds.length > 0)
      .map((s) => ({
        label: s.label,
        actions: s.lateActionIds.length,
        milestones: s.lateMilestoneIds.length,
      })),
    ...(health.nextMilestone ? { nextMilestone: health.nextMilestone } : {}),
    ...(plan.lastReviewedOn ? { lastReviewedOn: plan.lastReviewedOn } : {}),
    ...(plan.cadence
      ? {
          cadence: {
            weekday: plan.cadence.weekday,
            time: plan.cadence.time,
            timeZone: plan.cadence.timeZone,
            startsOn: plan.cadence.startsOn,
            ...(plan.cadence.endsOn ? { endsOn: plan.cadence.endsOn } : {}),
          },
        }
      : {}),
  };
}
