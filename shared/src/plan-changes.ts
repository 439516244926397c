import type { IsoDate } from './dates';
import { contentOf, type Plan, type PlanContent } from './plan-schema';
import type { Actor } from './ports';

/*
 * What the server does to every write: fill in the dates a person should not have to type, stamp the
 * version and who changed it, and describe the change in sentences for the history.
 */

export interface WriteContext {
  now: Date;
  today: IsoDate;
  actor: Actor;
}

/** Fills the dates the rules need: when each account joined, when each item was done, when the plan became active. */
export function fillDates(
  content: PlanContent,
  previous: PlanContent | undefined,
  today: IsoDate,
): PlanContent {
  const next = structuredClone(content);
  const before = {
    accounts: new Map(previous?.accounts.map((a) => [a.id, a])),
    actions: new Map(previous?.actions.map((a) => [a.id, a])),
    milestones: new Map(previous?.milestones.map((m) => [m.id, m])),
  };
  for (const account of next.accounts) {
    account.addedOn ??= before.accounts.get(account.id)?.addedOn ?? today;
  }
  for (const action of next.actions) {
    if (action.status === 'done') action.doneOn ??= before.actions.get(action.id)?.doneOn ?? today;
    else delete action.doneOn;
  }
  for (const milestone of next.milestones) {
    if (milestone.status === 'done')
      milestone.doneOn ??= before.milestones.get(milestone.id)?.doneOn ?? today;
    else delete milestone.doneOn;
  }
  return next;
}

/** A new plan as the store keeps it. */
export function newPlan(id: string, content: PlanContent, context: WriteContext): Plan {
  const at = context.now.toISOString();
  // contentOf: server fields a client echoed back never override the ones set here.
  const filled = fillDates(contentOf(content), undefined, context.today);
  return {
    id,
    version: 1,
    createdAt: at,
    createdBy: context.actor.id,
    updatedAt: at,
    updatedBy: context.actor.id,
    ...(filled.status === 'active' ? { activatedOn: context.today } : {}),
    ...filled,
  };
}

/** The next version of `current` with `content`. */
export function nextVersion(current: Plan, content: PlanContent, context: WriteContext): Plan {
  const filled = fillDates(contentOf(content), current, context.today);
  const becameActive = filled.status === 'active' && current.status !== 'active';
  const activatedOn = becameActive
    ? context.today
    : filled.status === 'active'
      ? current.activatedOn
      : undefined;
  return {
    id: current.id,
    version: current.version + 1,
    createdAt: current.createdAt,
    createdBy: current.createdBy,
    updatedAt: context.now.toISOString(),
    updatedBy: context.actor.id,
    ...(activatedOn ? { activatedOn } : {}),
    // A desk edit keeps the memory of applied quick updates, so a retried one is still recognised.
    ...(current.recentOperationIds ? { recentOperationIds: current.recentOperationIds } : {}),
    // Escalations are written by the escalation job only (issue 8); every edit keeps them.
    ...(current.escalations ? { escalations: current.escalations } : {}),
    // The cadence booking and closed reviews are written by their services only (issue 7); every edit keeps them.
    ...(current.cadenceBooking ? { cadenceBooking: current.cadenceBooking } : {}),
    ...(current.reviews ? { reviews: current.reviews } : {}),
    ...filled,
  };
}

type Named = { id: string };

function diffCollection<T extends Named>(
  before: readonly T[],
  after: readonly T[],
  noun: string,
  label: (item: T) => string,
  detail: (a: T, b: T) => string[],
): string[] {
  const out: string[] = [];
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  for (const item of after) {
    const prev = old.get(item.id);
    if (!prev) out.push(`${noun} "${label(item)}" added`);
    else if (JSON.stringify(prev) !== JSON.stringify(item)) {
      const details = detail(prev, item);
      out.push(`${noun} "${label(item)}" changed${details.length ? `: ${details.join('; ')}` : ''}`);
    }
  }
  for (const item of before) if (!now.has(item.id)) out.push(`${noun} "${label(item)}" removed`);
  return out;
}

function fieldChanges<T extends object>(a: T, b: T, fields: readonly (keyof T & string)[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const x = a[f];
    const y = b[f];
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push(`${f} ${x === undefined ? '(none)' : String(x)} → ${y === undefined ? '(none)' : String(y)}`);
    }
  }
  return out;
}

/** What changed between two versions of a plan, in sentences for the history. */
export function describeChanges(before: PlanContent, after: PlanContent): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push(`Title changed to "${after.title}"`);
  if (before.status !== after.status) out.push(`Status ${before.status} → ${after.status}`);
  if (before.motion !== after.motion) out.push(`Motion ${before.motion} → ${after.motion}`);
  out.push(
    ...diffCollection(
      before.accounts,
      after.accounts,
      'Account',
      (a) => a.name,
      (a, b) => fieldChanges(a, b, ['name', 'domain', 'crmAccountId']),
    ),
    ...diffCollection(
      before.partners,
      after.partners,
      'Partner',
      (p) => p.name,
      (a, b) => fieldChanges(a, b, ['name']),
    ),
    ...diffCollection(
      before.people,
      after.people,
      'Person',
      (p) => `${p.firstName} ${p.lastName}`,
      (a, b) => fieldChanges(a, b, ['email', 'role', 'title']),
    ),
    ...diffCollection(
      before.milestones,
      after.milestones,
      'Milestone',
      (m) => m.title,
      (a, b) => fieldChanges(a, b, ['due', 'status', 'ownerId']),
    ),
    ...diffCollection(
      before.actions,
      after.actions,
      'Action',
      (a) => a.description,
      (a, b) => fieldChanges(a, b, ['due', 'status', 'ownerId', 'blocker']),
    ),
  );
  const econ = (p: PlanContent) => new Map(p.economics.map((e) => [e.partnerId, JSON.stringify(e)]));
  const eb = econ(before);
  const ea = econ(after);
  const partnerName = (id: string) =>
    after.partners.find((p) => p.id === id)?.name ?? before.partners.find((p) => p.id === id)?.name ?? id;
  for (const id of new Set([...eb.keys(), ...ea.keys()])) {
    if (eb.get(id) !== ea.get(id)) out.push(`Economics with ${partnerName(id)} changed`);
  }
  if (JSON.stringify(before.escalation) !== JSON.stringify(after.escalation))
    out.push('Escalation path changed');
  if (JSON.stringify(before.crmDeal) !== JSON.stringify(after.crmDeal)) out.push('CRM deal link changed');
  if (JSON.stringify(before.qualification) !== JSON.stringify(after.qualification))
    out.push('Qualification answers changed');
  if (JSON.stringify(before.cadence) !== JSON.stringify(after.cadence)) out.push('Weekly cadence changed');
  if (before.lastReviewedOn !== after.lastReviewedOn)
    out.push(`Weekly review recorded on ${after.lastReviewedOn ?? '(none)'}`);
  if (JSON.stringify(before.channelIds) !== JSON.stringify(after.channelIds)) out.push('Channels changed');
  return out;
}
