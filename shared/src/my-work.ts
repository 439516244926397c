import type { IsoDate } from './dates';
import type { JointAction, Milestone, Plan, PlanStatus, Side } from './plan-schema';

/*
 * "My co-sell" (SPEC §6, issue 8): a person's open joint actions and not-yet-done milestones across the
 * plans they can see, due soonest first. Pure: the plans (already read through the access rules) and the
 * day come in.
 */

/** Plans whose work is still to do: a paused, won or lost plan asks nothing of anyone. */
export const OPEN_PLAN_STATUSES: readonly PlanStatus[] = ['draft', 'active'];

export interface MyWorkItem {
  kind: 'action' | 'milestone';
  planId: string;
  planTitle: string;
  /** The plan version the item was read at. */
  planVersion: number;
  itemId: string;
  /** The action's description or the milestone's title. */
  title: string;
  due: IsoDate;
  /** Due before today and not done. */
  overdue: boolean;
  status: JointAction['status'] | Milestone['status'];
  /** The blocker of a blocked action. */
  blocker?: string;
  ownerId: string;
  accountName?: string;
  /** For an action: the milestone it serves. */
  milestoneTitle?: string;
}

/** Who may own an item of a plan, for reassigning from the list (names and sides only). */
export interface MyWorkPerson {
  id: string;
  name: string;
  side: Side;
  partnerId?: string;
}

export interface MyWorkPlan {
  id: string;
  title: string;
  version: number;
  people: MyWorkPerson[];
}

export interface MyWork {
  /** The lower-cased email the work was selected for. */
  person: string;
  today: IsoDate;
  items: MyWorkItem[];
  /** The plans the items are on, with their people (for reassigning). */
  plans: MyWorkPlan[];
}

const KIND_ORDER = { action: 0, milestone: 1 } as const;

/** Soonest due first; on the same day actions before milestones, then by plan title and item id. */
export function compareWork(a: MyWorkItem, b: MyWorkItem): number {
  if (a.due !== b.due) return a.due < b.due ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.planTitle !== b.planTitle) return a.planTitle < b.planTitle ? -1 : 1;
  if (a.planId !== b.planId) return a.planId < b.planId ? -1 : 1;
  return a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0;
}

function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The open work of one plan owned by the people with `email` (a person may be named once per plan). */
export function workOnPlan(plan: Plan, email: string, today: IsoDate): MyWorkItem[] {
  if (!OPEN_PLAN_STATUSES.includes(plan.status)) return [];
  const me = normalEmail(email);
  if (me === '') return [];
  const mine = new Set(plan.people.filter((p) => normalEmail(p.email) === me).map((p) => p.id));
  if (mine.size === 0) return [];
  const accountName = (id: string | undefined) =>
    id === undefined ? undefined : plan.accounts.find((a) => a.id === id)?.name;
  const base = { planId: plan.id, planTitle: plan.title, planVersion: plan.version };
  const items: MyWorkItem[] = [];
  for (const action of plan.actions) {
    if (action.status === 'done' || !mine.has(action.ownerId)) continue;
    const account = accountName(action.accountId);
    const milestone = plan.milestones.find((m) => m.id === action.milestoneId)?.title;
    items.push({
      ...base,
      kind: 'action',
      itemId: action.id,
      title: action.description,
      due: action.due,
      overdue: action.due < today,
      status: action.status,
      ...(action.status === 'blocked' && action.blocker ? { blocker: action.blocker } : {}),
      ownerId: action.ownerId,
      ...(account ? { accountName: account } : {}),
      ...(milestone ? { milestoneTitle: milestone } : {}),
    });
  }
  for (const milestone of plan.milestones) {
    if (milestone.status === 'done' || !mine.has(milestone.ownerId)) continue;
    const account = accountName(milestone.accountId);
    items.push({
      ...base,
      kind: 'milestone',
      itemId: milestone.id,
      title: milestone.title,
      due: milestone.due,
      overdue: milestone.due < today,
      status: milestone.status,
      ownerId: milestone.ownerId,
      ...(account ? { accountName: account } : {}),
    });
  }
  return items;
}

/** The people of a plan as the reassign picker shows them. */
export function peopleOf(plan: Pick<Plan, 'people'>): MyWorkPerson[] {
  return plan.people.map((p) => ({
    id: p.id,
    name: `${p.firstName} ${p.lastName}`,
    side: p.side,
    ...(p.partnerId ? { partnerId: p.partnerId } : {}),
  }));
}

/** My work across `plans`, due soonest first; a plan appears twice only once (the later copy ignored). */
export function selectMyWork(plans: readonly Plan[], email: string, today: IsoDate): MyWork {
  const seen = new Set<string>();
  const items: MyWorkItem[] = [];
  const withWork: MyWorkPlan[] = [];
  for (const plan of plans) {
    if (seen.has(plan.id)) continue;
    seen.add(plan.id);
    const work = workOnPlan(plan, email, today);
    if (work.length === 0) continue;
    items.push(...work);
    withWork.push({ id: plan.id, title: plan.title, version: plan.version, people: peopleOf(plan) });
  }
  items.sort(compareWork);
  withWork.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : 1));
  return { person: normalEmail(email), today, items, plans: withWork };
}

/** The next milestones of a plan that are not done, soonest first (overdue ones included, first). */
export function nextMilestones(plan: Pick<Plan, 'milestones'>, limit: number): Plan['milestones'] {
  return plan.milestones
    .filter((m) => m.status !== 'done')
    .sort((a, b) => (a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, limit));
}
