import { addDays, type IsoDate } from './dates';
import { escapeHtml, formatEmailDate } from './plan-email-html';
import type { JointAction, Milestone, Person, Plan, ReviewSnapshot } from './plan-schema';
import { KEPT_REVIEW_SNAPSHOTS } from './plan-schema';
import type { Actor } from './ports';
import { ROLE_LABELS } from './vocabulary';

/*
 * The weekly review (SPEC §5, issue 7), pure: what the review shows account by account — blockers, actions
 * due, milestones at risk, owners, the next move — and what changed between the last closed review's
 * snapshot and the plan now. Also the snapshot a closed review stores and the short summary mailed to the
 * attendees. No clock (today is passed in), no I/O. Plan text stays data: the HTML summary escapes it.
 */

/** Actions due within this many days (or overdue) are "due" in the review. */
export const REVIEW_DUE_WINDOW_DAYS = 7;
/** Milestones not done and due within this many days (or overdue, or slipped) are "at risk". */
export const REVIEW_RISK_WINDOW_DAYS = 14;

export interface ReviewPerson {
  id: string;
  name: string;
  role: string;
  side: Person['side'];
}

export interface ReviewActionItem {
  actionId: string;
  description: string;
  due: IsoDate;
  owner: string;
  overdue: boolean;
  blocker?: string;
}

export interface ReviewMilestoneItem {
  milestoneId: string;
  title: string;
  due: IsoDate;
  owner: string;
  status: Milestone['status'];
  /** Why it is at risk, in words: "3 days past due", "slipped", "due in 5 days". */
  reason: string;
}

export interface ReviewAccount {
  /** The shared account, or null for what belongs to no account ("Across the plan"). */
  accountId: string | null;
  name: string;
  blockers: ReviewActionItem[];
  actionsDue: ReviewActionItem[];
  milestonesAtRisk: ReviewMilestoneItem[];
  /** Owners of the account's open actions and milestones. */
  owners: ReviewPerson[];
  /** The earliest open action of the account: what happens next. Null when nothing is open. */
  nextMove: ReviewActionItem | null;
  /** What changed for this account since the last review, in sentences. */
  changes: string[];
}

export interface ReviewModel {
  planId: string;
  title: string;
  today: IsoDate;
  planVersion: number;
  /** The review this one compares with; absent before the first review. */
  since?: { id: string; closedOn: IsoDate; closedBy: string; planVersion: number };
  accounts: ReviewAccount[];
  /** Changes not tied to an account: people, accounts added or removed. */
  planChanges: string[];
  /** Totals for the heading. */
  totals: { blockers: number; actionsDue: number; milestonesAtRisk: number; changes: number };
}

const nameOf = (p: Pick<Person, 'firstName' | 'lastName'>) => `${p.firstName} ${p.lastName}`;

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** The newest closed review of a plan, if any. */
export function lastReviewOf(plan: Pick<Plan, 'reviews'>): ReviewSnapshot | undefined {
  const reviews = plan.reviews ?? [];
  return reviews[reviews.length - 1];
}

function ownerName(people: Map<string, Person>, id: string): string {
  const p = people.get(id);
  return p ? nameOf(p) : 'someone no longer on the plan';
}

function actionItem(action: JointAction, people: Map<string, Person>, today: IsoDate): ReviewActionItem {
  return {
    actionId: action.id,
    description: action.description,
    due: action.due,
    owner: ownerName(people, action.ownerId),
    overdue: action.status !== 'done' && action.due < today,
    ...(action.blocker !== undefined ? { blocker: action.blocker } : {}),
  };
}

function riskOf(m: Milestone, today: IsoDate): string | undefined {
  if (m.status === 'done') return undefined;
  if (m.due < today) return `${days(daysBetween(m.due, today))} past due`;
  if (m.status === 'slipped') return 'slipped';
  const left = daysBetween(today, m.due);
  if (left <= REVIEW_RISK_WINDOW_DAYS) return left === 0 ? 'due today' : `due in ${days(left)}`;
  return undefined;
}

/** The account an action belongs to: its own, else its milestone's. */
function accountOfAction(
  action: Pick<JointAction, 'accountId' | 'milestoneId'>,
  milestones: Map<string, { accountId?: string }>,
): string | null {
  if (action.accountId !== undefined) return action.accountId;
  const viaMilestone =
    action.milestoneId !== undefined ? milestones.get(action.milestoneId)?.accountId : undefined;
  return viaMilestone ?? null;
}

/* ---------- what changed since the snapshot ---------- */

type SnapAction = ReviewSnapshot['actions'][number];
type SnapMilestone = ReviewSnapshot['milestones'][number];

const STATUS_WORDS: Record<string, string> = {
  open: 'open',
  done: 'done',
  blocked: 'blocked',
  planned: 'planned',
  'in-progress': 'in progress',
  slipped: 'slipped',
};

function actionChanges(
  before: SnapAction | undefined,
  after: JointAction | undefined,
  owner: (id: string) => string,
): string[] {
  if (!before && after)
    return [`New action "${after.description}" (${owner(after.ownerId)}, due ${formatEmailDate(after.due)})`];
  if (before && !after) return [`Action "${before.description}" removed`];
  if (!before || !after) return [];
  const out: string[] = [];
  const label = `Action "${after.description}"`;
  if (before.status !== after.status) {
    if (after.status === 'done') out.push(`${label} done`);
    else if (after.status === 'blocked') out.push(`${label} blocked: ${after.blocker ?? ''}`.trimEnd());
    else if (before.status === 'blocked') out.push(`${label} unblocked`);
    else out.push(`${label} is ${STATUS_WORDS[after.status] ?? after.status} again`);
  } else if (after.status === 'blocked' && before.blocker !== after.blocker) {
    out.push(`${label} blocker now: ${after.blocker ?? ''}`);
  }
  if (before.due !== after.due)
    out.push(`${label} moved from ${formatEmailDate(before.due)} to ${formatEmailDate(after.due)}`);
  if (before.ownerId !== after.ownerId) out.push(`${label} now owned by ${owner(after.ownerId)}`);
  if (before.description !== after.description && out.length === 0) out.push(`${label} reworded`);
  return out;
}

function milestoneChanges(
  before: SnapMilestone | undefined,
  after: Milestone | undefined,
  owner: (id: string) => string,
): string[] {
  if (!before && after) return [`New milestone "${after.title}" due ${formatEmailDate(after.due)}`];
  if (before && !after) return [`Milestone "${before.title}" removed`];
  if (!before || !after) return [];
  const out: string[] = [];
  const label = `Milestone "${after.title}"`;
  if (before.status !== after.status) out.push(`${label} ${STATUS_WORDS[after.status] ?? after.status}`);
  if (before.due !== after.due) {
    const reason = after.lastMove && after.lastMove.to === after.due ? `: ${after.lastMove.reason}` : '';
    out.push(`${label} moved from ${formatEmailDate(before.due)} to ${formatEmailDate(after.due)}${reason}`);
  }
  if (before.ownerId !== after.ownerId) out.push(`${label} now owned by ${owner(after.ownerId)}`);
  return out;
}

/** What changed since `snapshot`, by account (`null` = across the plan) and for the plan as a whole. */
export function changesSince(
  plan: Plan,
  snapshot: ReviewSnapshot,
): { byAccount: Map<string | null, string[]>; plan: string[] } {
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const snapPeople = new Map(snapshot.people.map((p) => [p.id, p]));
  const owner = (id: string) =>
    people.get(id) ? nameOf(people.get(id) as Person) : (snapPeople.get(id)?.name ?? id);
  const byAccount = new Map<string | null, string[]>();
  const add = (account: string | null, lines: string[]) => {
    if (lines.length === 0) return;
    byAccount.set(account, [...(byAccount.get(account) ?? []), ...lines]);
  };
  const knownAccounts = new Set(plan.accounts.map((a) => a.id));
  const place = (accountId: string | null | undefined) =>
    accountId !== undefined && accountId !== null && knownAccounts.has(accountId) ? accountId : null;

  const milestonesNow = new Map(plan.milestones.map((m) => [m.id, m]));
  const milestonesThen = new Map(snapshot.milestones.map((m) => [m.id, m]));
  for (const id of new Set([...milestonesThen.keys(), ...milestonesNow.keys()])) {
    const now = milestonesNow.get(id);
    const then = milestonesThen.get(id);
    add(place(now?.accountId ?? then?.accountId), milestoneChanges(then, now, owner));
  }
  const actionsNow = new Map(plan.actions.map((a) => [a.id, a]));
  const actionsThen = new Map(snapshot.actions.map((a) => [a.id, a]));
  const allMilestones = new Map<string, { accountId?: string }>([...milestonesThen, ...milestonesNow]);
  for (const id of new Set([...actionsThen.keys(), ...actionsNow.keys()])) {
    const now = actionsNow.get(id);
    const then = actionsThen.get(id);
    const item = now ?? then;
    if (!item) continue;
    add(place(accountOfAction(item, allMilestones)), actionChanges(then, now, owner));
  }

  const planLines: string[] = [];
  const accountsThen = new Map(snapshot.accounts.map((a) => [a.id, a.name]));
  for (const a of plan.accounts) if (!accountsThen.has(a.id)) planLines.push(`Account ${a.name} added`);
  for (const [id, name] of accountsThen)
    if (!knownAccounts.has(id)) planLines.push(`Account ${name} removed`);
  for (const p of plan.people) {
    const then = snapPeople.get(p.id);
    if (!then) planLines.push(`${nameOf(p)} (${ROLE_LABELS[p.role]}) joined the plan`);
    else if (then.role !== p.role) planLines.push(`${nameOf(p)} is now ${ROLE_LABELS[p.role]}`);
  }
  for (const [id, p] of snapPeople) if (!people.has(id)) planLines.push(`${p.name} left the plan`);
  return { byAccount, plan: planLines };
}

/* ---------- the review ---------- */

/** The review of `plan` on `today`, compared with `since` (default: the plan's last closed review). */
export function buildReview(
  plan: Plan,
  today: IsoDate,
  since: ReviewSnapshot | undefined = lastReviewOf(plan),
): ReviewModel {
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const milestones = new Map(plan.milestones.map((m) => [m.id, m]));
  const changes = since
    ? changesSince(plan, since)
    : { byAccount: new Map<string | null, string[]>(), plan: [] };
  const dueBy = addDays(today, REVIEW_DUE_WINDOW_DAYS);
  const known = new Set(plan.accounts.map((a) => a.id));
  const buckets: { accountId: string | null; name: string }[] = [
    ...plan.accounts.map((a) => ({ accountId: a.id, name: a.name })),
    { accountId: null, name: 'Across the plan' },
  ];
  const accounts = buckets.flatMap(({ accountId, name }): ReviewAccount[] => {
    const inBucket = (id: string | null | undefined) =>
      accountId === null ? id === null || id === undefined || !known.has(id) : id === accountId;
    const actions = plan.actions
      .filter((a) => inBucket(accountOfAction(a, milestones)))
      .sort((x, y) => (x.due < y.due ? -1 : x.due > y.due ? 1 : 0));
    const ms = plan.milestones.filter((m) => inBucket(m.accountId)).sort((x, y) => (x.due < y.due ? -1 : 1));
    const open = actions.filter((a) => a.status !== 'done');
    const blockers = open.filter((a) => a.status === 'blocked').map((a) => actionItem(a, people, today));
    const actionsDue = open.filter((a) => a.due <= dueBy).map((a) => actionItem(a, people, today));
    const milestonesAtRisk = ms.flatMap((m) => {
      const reason = riskOf(m, today);
      return reason
        ? [
            {
              milestoneId: m.id,
              title: m.title,
              due: m.due,
              owner: ownerName(people, m.ownerId),
              status: m.status,
              reason,
            },
          ]
        : [];
    });
    const ownerIds = new Set([
      ...open.map((a) => a.ownerId),
      ...ms.filter((m) => m.status !== 'done').map((m) => m.ownerId),
    ]);
    const owners = plan.people
      .filter((p) => ownerIds.has(p.id))
      .map((p) => ({ id: p.id, name: nameOf(p), role: ROLE_LABELS[p.role], side: p.side }));
    const next = open.find((a) => a.status === 'open') ?? open[0];
    const accountChanges = changes.byAccount.get(accountId) ?? [];
    // "Across the plan" is shown only when something is in it.
    if (accountId === null && actions.length === 0 && ms.length === 0 && accountChanges.length === 0)
      return [];
    return [
      {
        accountId,
        name,
        blockers,
        actionsDue,
        milestonesAtRisk,
        owners,
        nextMove: next ? actionItem(next, people, today) : null,
        changes: accountChanges,
      },
    ];
  });
  const totals = {
    blockers: accounts.reduce((n, a) => n + a.blockers.length, 0),
    actionsDue: accounts.reduce((n, a) => n + a.actionsDue.length, 0),
    milestonesAtRisk: accounts.reduce((n, a) => n + a.milestonesAtRisk.length, 0),
    changes: accounts.reduce((n, a) => n + a.changes.length, 0) + changes.plan.length,
  };
  return {
    planId: plan.id,
    title: plan.title,
    today,
    planVersion: plan.version,
    ...(since
      ? {
          since: {
            id: since.id,
            closedOn: since.closedOn,
            closedBy: since.closedBy.displayName,
            planVersion: since.planVersion,
          },
        }
      : {}),
    accounts,
    planChanges: changes.plan,
    totals,
  };
}

/* ---------- the snapshot ---------- */

/** What a closed review stores: the plan's accounts, people, milestones and actions as they were (no economics). */
export function snapshotOf(
  plan: Plan,
  options: { id: string; now: Date; today: IsoDate; actor: Actor; mailedTo: readonly string[] },
): ReviewSnapshot {
  return {
    id: options.id,
    closedAt: options.now.toISOString(),
    closedOn: options.today,
    closedBy: { id: options.actor.id.slice(0, 254), displayName: options.actor.displayName.slice(0, 120) },
    planVersion: plan.version,
    accounts: plan.accounts.map((a) => ({ id: a.id, name: a.name })),
    people: plan.people.map((p) => ({ id: p.id, name: nameOf(p), role: p.role, side: p.side })),
    milestones: plan.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      due: m.due,
      status: m.status,
      ownerId: m.ownerId,
      ...(m.accountId !== undefined ? { accountId: m.accountId } : {}),
    })),
    actions: plan.actions.map((a) => ({
      id: a.id,
      description: a.description,
      due: a.due,
      status: a.status,
      ownerId: a.ownerId,
      ...(a.blocker !== undefined ? { blocker: a.blocker } : {}),
      ...(a.accountId !== undefined ? { accountId: a.accountId } : {}),
      ...(a.milestoneId !== undefined ? { milestoneId: a.milestoneId } : {}),
    })),
    mailedTo: options.mailedTo.slice(0, 40),
  };
}

/** The plan's reviews with `snapshot` added (the oldest dropped beyond KEPT_REVIEW_SNAPSHOTS). */
export function withReviewSnapshot(
  reviews: readonly ReviewSnapshot[] | undefined,
  snapshot: ReviewSnapshot,
): ReviewSnapshot[] {
  return [...(reviews ?? []).filter((r) => r.id !== snapshot.id), snapshot].slice(-KEPT_REVIEW_SNAPSHOTS);
}

/* ---------- the summary mail ---------- */

export interface ReviewSummary {
  subject: string;
  text: string;
  html: string;
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ');

/**
 * The short summary mailed to the attendees when a review is closed: per account the blockers, the next
 * move and what changed; a link to the plan. Built from the review model only (no economics in it).
 */
export function reviewSummary(
  review: ReviewModel,
  options: { tabUrl: string; closedBy: string },
): ReviewSummary {
  const title = oneLine(review.title);
  const subject = `Weekly co-sell review closed: ${title}`.slice(0, 255);
  const intro = `${oneLine(options.closedBy)} closed the weekly review of "${title}" on ${formatEmailDate(review.today)}.`;
  const counts = `${review.totals.blockers} blocker(s), ${review.totals.actionsDue} action(s) due this week, ${review.totals.milestonesAtRisk} milestone(s) at risk, ${review.totals.changes} change(s) since the last review.`;
  const text: string[] = [intro, counts, ''];
  const html: string[] = [
    `<p style="margin:0 0 8px 0">${escapeHtml(intro)}</p>`,
    `<p style="margin:0 0 12px 0;color:#616161">${escapeHtml(counts)}</p>`,
  ];
  for (const account of review.accounts) {
    const lines: string[] = [];
    for (const b of account.blockers)
      lines.push(`Blocker: ${b.description} — ${b.blocker ?? 'blocked'} (${b.owner})`);
    for (const m of account.milestonesAtRisk) lines.push(`At risk: ${m.title} — ${m.reason} (${m.owner})`);
    lines.push(
      account.nextMove
        ? `Next move: ${account.nextMove.description} — ${account.nextMove.owner}, due ${formatEmailDate(account.nextMove.due)}`
        : 'Next move: none named yet',
    );
    for (const c of account.changes) lines.push(`Changed: ${c}`);
    text.push(oneLine(account.name), ...lines.map((l) => `  - ${oneLine(l)}`), '');
    html.push(
      `<p style="margin:12px 0 4px 0;font-weight:700">${escapeHtml(account.name)}</p>`,
      `<ul style="margin:0;padding-left:20px">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    );
  }
  if (review.planChanges.length > 0) {
    text.push('The plan', ...review.planChanges.map((c) => `  - ${oneLine(c)}`), '');
    html.push(
      '<p style="margin:12px 0 4px 0;font-weight:700">The plan</p>',
      `<ul style="margin:0;padding-left:20px">${review.planChanges.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`,
    );
  }
  text.push(`Open the plan: ${oneLine(options.tabUrl)}`);
  const link = /^https?:\/\//.test(options.tabUrl)
    ? `<p style="margin:16px 0 0 0"><a href="${escapeHtml(options.tabUrl)}">Open the plan</a></p>`
    : '';
  html.push(link);
  return {
    subject,
    text: `${text.join('\n')}\n`,
    html: `<div style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:20px;color:#242424">${html.join('')}</div>`,
  };
}
