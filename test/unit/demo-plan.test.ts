import { assessHealth, demoPlan, newPlan, PlanContent } from '@cosell/shared';
import { describe, expect, it } from 'vitest';

describe('the demo plan', () => {
  it('is a valid plan with two partners and one stalled account', () => {
    const content = PlanContent.parse(demoPlan('2026-11-27'));
    expect(content.partners).toHaveLength(2);
    const plan = newPlan('demo', content, {
      now: new Date('2026-10-18T09:00:00Z'),
      today: '2026-10-18',
      actor: { id: 'seed', displayName: 'Seed' },
    });
    const health = assessHealth(plan, '2026-11-27');
    const stalled = health.stalls.accounts.filter((a) => a.stalled).map((a) => a.accountName);
    expect(stalled).toEqual(['Fabrikam Freight']);
    console.log(JSON.stringify(health, null, 1).slice(0, 3000));
  });
});
