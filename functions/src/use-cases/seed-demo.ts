import { type Actor, demoPlan, PlanContent, PlanExistsError } from '@cosell/shared';
import type { PlanService } from './plan-service';

export const DEMO_PLAN_ID = 'demo-northwind';
const DEMO_ACTOR: Actor = { id: 'demo@co-sell-plan', displayName: 'Co-Sell Plan demo' };

/**
 * On the first start, one realistic plan so a newcomer has something to work with. It is created with a
 * fixed id, so it is made once: after someone deletes it, it stays deleted.
 */
export async function seedDemoPlan(plans: PlanService): Promise<'created' | 'present'> {
  try {
    await plans.create(PlanContent.parse(demoPlan(plans.today())), DEMO_ACTOR, DEMO_PLAN_ID);
    return 'created';
  } catch (error) {
    if (error instanceof PlanExistsError) return 'present';
    throw error;
  }
}
