import { addDays, assessHealth, demoPlan, newPlan, PlanContent, summarizePlan } from '@cosell/shared';
import { describe, expect, it } from 'vitest';

const TODAY = '2026-11-27';
const d = (days: number) => addDays(TODAY, days);

/** The demo seeded 40 days ago (so it became active then), looked at today. */
function seededDemo() {
  const content = PlanContent.parse(demoPlan(TODAY));
  return newPlan('demo', content, {
    now: new Date(`${d(-40)}T09:00:00Z`),
    today: d(-40),
    actor: { id: 'seed', displayName: 'Seed' },
  });
}

describe('the demo plan', () => {
  it('is valid content with two partners, two accounts and every field filled', () => {
    const parsed = PlanContent.safeParse(demoPlan(TODAY));
    expect(parsed.error).toBeUndefined();
    expect(parsed.data?.partners.map((p) => p.name)).toEqual([
      'Contoso Consulting',
      'A. Datum Cloud Services',
    ]);
    expect(parsed.data?.accounts.map((a) => a.name)).toEqual(['Northwind Logistics', 'Fabrikam Freight']);
  });

  it('has exactly one stalled account, Fabrikam: idle since it was added, and its questionnaire overdue', () => {
    const health = assessHealth(seededDemo(), TODAY);
    expect(health.stalls.accounts.map((a) => [a.accountName, a.stalled, a.reasons])).toEqual([
      ['Northwind Logistics', false, []],
      [
        'Fabrikam Freight',
        true,
        [
          'nothing moved forward for 40 days (threshold 14)',
          `milestone "Fabrikam security questionnaire returned" was due ${d(-4)} and is not done`,
        ],
      ],
    ]);
    expect(health.stalls.plan.lastMovedOn).toBe(d(-3));
    expect(health.stalls.stalled).toBe(true);
  });

  it('is reviewed (not decaying), and shows who is late: A. Datum and the buyer', () => {
    const summary = summarizePlan(seededDemo(), TODAY);
    expect(summary.decaying).toBe(false);
    expect(summary.late).toEqual([
      { label: 'A. Datum Cloud Services', actions: 2, milestones: 0 },
      { label: 'Buyer', actions: 0, milestones: 1 },
    ]);
    expect(summary.nextMilestone).toEqual({
      id: 'm-fabrikam-sec',
      title: 'Fabrikam security questionnaire returned',
      due: d(-4),
    });
    expect(summary.missing).toEqual([
      { field: 'economics', message: 'economics with A. Datum Cloud Services not agreed yet' },
    ]);
  });

  it('looks the same whatever day it is seeded: its dates move with today', () => {
    const a = demoPlan('2026-01-10');
    const b = demoPlan('2026-01-11');
    expect(a.milestones.map((m) => addDays(m.due, 1))).toEqual(b.milestones.map((m) => m.due));
    expect({
      ...a,
      milestones: [],
      actions: [],
      accounts: [],
      cadence: undefined,
      crmDeal: undefined,
      lastReviewedOn: undefined,
    }).toEqual({
      ...b,
      milestones: [],
      actions: [],
      accounts: [],
      cadence: undefined,
      crmDeal: undefined,
      lastReviewedOn: undefined,
    });
  });
});
