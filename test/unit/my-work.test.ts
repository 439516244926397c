import {
  addDays,
  applyOperations,
  contentOf,
  demoPlan,
  type IsoDate,
  type MyWorkItem,
  newPlan,
  nextMilestones,
  nextVersion,
  Operation,
  OperationsRequest,
  Plan,
  type PlanContent,
  PlanContent as PlanContentSchema,
  PlanWrite,
  REMEMBERED_OPERATION_IDS,
  selectMyWork,
  workOnPlan,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';

/*
 * "My co-sell" as a pure selection over plans (issue 8), and the operation ids that make a repeated quick
 * update harmless.
 */

const TODAY: IsoDate = '2026-06-15';
const d = (n: number) => addDays(TODAY, n);
const MAYA = 'maya.okafor@vendor.example';
const SOFIA = 'sofia.marino@contoso.example';

function plan(id: string, content: PlanContent = PlanContentSchema.parse(demoPlan(TODAY))): Plan {
  return newPlan(id, content, {
    now: new Date(`${TODAY}T09:00:00Z`),
    today: TODAY,
    actor: { id: 'seed', displayName: 'Seed' },
  });
}

/** The demo plan with a title, and Maya also owning a milestone and a blocked action. */
function busyDemo(id: string, title: string, shift = 0): Plan {
  const content = PlanContentSchema.parse(demoPlan(addDays(TODAY, shift)));
  content.title = title;
  const pilot = content.milestones.find((m) => m.id === 'm-pilot');
  if (pilot) pilot.ownerId = 'v-ae';
  content.actions.push({
    id: 'act-blocked',
    description: 'Get the legal sign-off on the pilot data terms',
    ownerId: 'v-ae',
    due: addDays(TODAY, shift - 1),
    status: 'blocked',
    blocker: 'Legal is waiting on the DPA template',
    accountId: 'acc-northwind',
  });
  return plan(id, content);
}

const keys = (items: MyWorkItem[]) => items.map((i) => `${i.planId}/${i.kind}/${i.itemId}`);

describe('selectMyWork', () => {
  it("selects the person's open actions and not-done milestones, leaving out done ones and other people's", () => {
    const work = selectMyWork([plan('p1')], MAYA, TODAY);
    // Maya owns act-pilot-env (done) and act-pricing (open, due in 14 days) in the demo; no milestone.
    expect(keys(work.items)).toEqual(['p1/action/act-pricing']);
    expect(work.items[0]).toEqual({
      kind: 'action',
      planId: 'p1',
      planTitle: 'Northwind Logistics — supply-chain analytics rollout',
      planVersion: 1,
      itemId: 'act-pricing',
      title: 'Send the multi-year pricing proposal to the CFO',
      due: d(14),
      overdue: false,
      status: 'open',
      ownerId: 'v-ae',
      accountName: 'Northwind Logistics',
      milestoneTitle: 'Procurement and MSA redlines complete',
    });
    expect(work.person).toBe(MAYA);
    expect(work.plans.map((p) => p.id)).toEqual(['p1']);
    expect(work.plans[0]?.people.find((p) => p.id === 'c-pc')).toEqual({
      id: 'c-pc',
      name: 'Sofia Marino',
      side: 'partner',
      partnerId: 'p-contoso',
    });
  });

  it('matches the email whatever its case and spaces', () => {
    expect(keys(selectMyWork([plan('p1')], '  Maya.Okafor@Vendor.EXAMPLE ', TODAY).items)).toEqual([
      'p1/action/act-pricing',
    ]);
  });

  it('orders across plans by due date, soonest (and overdue) first; same day: actions, then milestones', () => {
    const a = busyDemo('plan-a', 'Alpha deal');
    const b = busyDemo('plan-b', 'Beta deal', -20);
    const work = selectMyWork([b, a], MAYA, TODAY);
    expect(work.items.map((i) => [i.planId, i.itemId, i.due, i.overdue])).toEqual([
      ['plan-b', 'act-blocked', d(-21), true],
      ['plan-b', 'm-pilot', d(-8), true],
      ['plan-b', 'act-pricing', d(-6), true],
      ['plan-a', 'act-blocked', d(-1), true],
      ['plan-a', 'm-pilot', d(12), false],
      ['plan-a', 'act-pricing', d(14), false],
    ]);
    const dues = work.items.map((i) => i.due);
    expect(dues).toEqual([...dues].sort());
    expect(work.plans.map((p) => p.title)).toEqual(['Alpha deal', 'Beta deal']);
  });

  it('breaks ties on the same day: action before milestone, then plan title, then item id', () => {
    const a = busyDemo('plan-a', 'Alpha deal');
    const content = structuredClone(a) as Plan;
    const pricing = content.actions.find((x) => x.id === 'act-pricing');
    if (pricing) pricing.due = d(12); // the same day as the pilot milestone
    const b = { ...structuredClone(content), id: 'plan-b', title: 'Aardvark deal' };
    const work = selectMyWork([content, b], MAYA, TODAY);
    const sameDay = work.items.filter((i) => i.due === d(12)).map((i) => `${i.planTitle}/${i.itemId}`);
    expect(sameDay).toEqual([
      'Aardvark deal/act-pricing',
      'Alpha deal/act-pricing',
      'Aardvark deal/m-pilot',
      'Alpha deal/m-pilot',
    ]);
  });

  it('flags overdue strictly before today: due today is not overdue', () => {
    const p = busyDemo('p', 'P');
    const blocked = p.actions.find((a) => a.id === 'act-blocked');
    if (blocked) blocked.due = TODAY;
    const item = workOnPlan(p, MAYA, TODAY).find((i) => i.itemId === 'act-blocked');
    expect(item).toMatchObject({ due: TODAY, overdue: false, status: 'blocked' });
    const tomorrow = workOnPlan(p, MAYA, d(1)).find((i) => i.itemId === 'act-blocked');
    expect(tomorrow?.overdue).toBe(true);
  });

  it('carries the blocker of a blocked action, and no blocker field on an open one', () => {
    const work = workOnPlan(busyDemo('p', 'P'), MAYA, TODAY);
    expect(work.find((i) => i.itemId === 'act-blocked')?.blocker).toBe(
      'Legal is waiting on the DPA template',
    );
    expect(work.find((i) => i.itemId === 'act-pricing')).not.toHaveProperty('blocker');
  });

  it('asks nothing on paused, won or lost plans; draft and active plans count', () => {
    for (const status of ['paused', 'won', 'lost'] as const) {
      expect(selectMyWork([{ ...plan('p'), status }], MAYA, TODAY).items).toEqual([]);
    }
    expect(selectMyWork([{ ...plan('p'), status: 'draft' }], MAYA, TODAY).items).toHaveLength(1);
  });

  it('gives nothing to someone not named, or to an empty email', () => {
    expect(selectMyWork([plan('p')], 'nobody@vendor.example', TODAY)).toEqual({
      person: 'nobody@vendor.example',
      today: TODAY,
      items: [],
      plans: [],
    });
    expect(selectMyWork([plan('p')], '', TODAY).items).toEqual([]);
  });

  it("selects a partner's work the same way (Sofia: the SAP integration action)", () => {
    expect(keys(selectMyWork([plan('p1')], SOFIA, TODAY).items)).toEqual(['p1/action/act-integration']);
  });

  it('lists a plan given twice once', () => {
    const p = plan('p1');
    expect(selectMyWork([p, p], MAYA, TODAY).items).toHaveLength(1);
  });
});

describe('nextMilestones', () => {
  it('gives the not-done milestones soonest first, up to the limit', () => {
    const p = plan('p');
    expect(nextMilestones(p, 3).map((m) => m.id)).toEqual(['m-fabrikam-sec', 'm-pilot', 'm-procurement']);
    expect(nextMilestones(p, 10).map((m) => m.id)).toEqual([
      'm-fabrikam-sec',
      'm-pilot',
      'm-procurement',
      'm-board',
    ]);
    expect(nextMilestones(p, 0)).toEqual([]);
  });
});

describe('operation ids (opId): a repeated quick update is applied once', () => {
  const content = () => PlanContentSchema.parse(demoPlan(TODAY));

  it('accepts an optional opId on every kind of operation, and refuses a malformed one', () => {
    const ok = OperationsRequest.safeParse({
      operations: [
        { op: 'complete-action', actionId: 'act-pricing', opId: 'b3f1c0de-1111-4a2b-9c3d-000000000001' },
      ],
    });
    expect(ok.success).toBe(true);
    expect(Operation.safeParse({ op: 'record-review', opId: 'x1' }).success).toBe(true);
    expect(Operation.safeParse({ op: 'complete-action', actionId: 'a', opId: '' }).success).toBe(false);
    expect(Operation.safeParse({ op: 'complete-action', actionId: 'a', opId: 'has space' }).success).toBe(
      false,
    );
    expect(Operation.safeParse({ op: 'complete-action', actionId: 'a', opId: 'x'.repeat(65) }).success).toBe(
      false,
    );
  });

  it('skips an operation whose id was seen, and says which', () => {
    const op: Operation = { op: 'raise-blocker', actionId: 'act-pricing', blocker: 'CFO out', opId: 'op-1' };
    const first = applyOperations(content(), [op], { today: TODAY });
    expect(first.changes).toHaveLength(1);
    expect(first.appliedIds).toEqual(['op-1']);
    // Someone clears the blocker; the same raise sent again (its answer was lost) must not raise it again.
    const cleared = applyOperations(first.plan, [{ op: 'clear-blocker', actionId: 'act-pricing' }], {
      today: TODAY,
    }).plan;
    const again = applyOperations(cleared, [op], { today: TODAY, seenIds: ['op-1'] });
    expect(again.changes).toEqual([]);
    expect(again.repeatedIds).toEqual(['op-1']);
    expect(again.plan.actions.find((a) => a.id === 'act-pricing')?.status).toBe('open');
    // Without the id the same raise would apply: the id is what protects the later clear.
    expect(applyOperations(cleared, [{ ...op, opId: undefined }], { today: TODAY }).changes).toHaveLength(1);
  });

  it('applies an id once within one request too', () => {
    const op: Operation = { op: 'reschedule-action', actionId: 'act-pricing', due: d(20), opId: 'same' };
    const result = applyOperations(content(), [op, { ...op, due: d(30) }], { today: TODAY });
    expect(result.plan.actions.find((a) => a.id === 'act-pricing')?.due).toBe(d(20));
    expect(result.repeatedIds).toEqual(['same']);
  });

  it('operations without ids behave as before (no id lists in the result)', () => {
    const result = applyOperations(content(), [{ op: 'complete-action', actionId: 'act-pricing' }], {
      today: TODAY,
    });
    expect(Object.keys(result).sort()).toEqual(['changes', 'plan']);
  });

  it('a desk edit (a new version) keeps the remembered ids; contentOf and PlanWrite leave them out of the content', () => {
    const p: Plan = { ...plan('p'), recentOperationIds: ['op-1', 'op-2'] };
    const next = nextVersion(p, content(), {
      now: new Date(`${TODAY}T10:00:00Z`),
      today: TODAY,
      actor: { id: 'desk', displayName: 'Desk' },
    });
    expect(next.recentOperationIds).toEqual(['op-1', 'op-2']);
    // The tab echoes the whole plan back on a replace: accepted, and not part of the content.
    const written = PlanWrite.safeParse(p);
    expect(written.success).toBe(true);
    expect(contentOf(p)).not.toHaveProperty('recentOperationIds');
    expect(Plan.safeParse(p).success).toBe(true);
    expect(REMEMBERED_OPERATION_IDS).toBeGreaterThanOrEqual(50);
  });
});
