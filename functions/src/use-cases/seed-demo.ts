import {
  type Actor,
  addDays,
  type Clock,
  demoPlan,
  newPlan,
  PlanContent,
  PlanExistsError,
  type PlanStore,
  toIsoDate,
} from '@cosell/shared';

export const DEMO_PLAN_ID = 'demo-northwind';
const DEMO_ACTOR: Actor = { id: 'demo@co-sell-plan', displayName: 'Co-Sell Plan demo' };
/** The demo plan started this many days ago, so its history, stall and decay clocks look lived-in. */
const DEMO_AGE_DAYS = 40;

/**
 * On the first start, one realistic plan so a newcomer has something to work with. It is created with a
 * fixed id, so it is made once: after someone deletes it, it stays deleted.
 */
export async function seedDemoPlan(deps: { store: PlanStore; clock: Clock }): Promise<'created' | 'present'> {
  const now = deps.clock.now();
  const today = toIsoDate(now);
  const startedOn = addDays(today, -DEMO_AGE_DAYS);
  const started = new Date(now.getTime() - DEMO_AGE_DAYS * 86_400_000);
  const plan = newPlan(DEMO_PLAN_ID, PlanContent.parse(demoPlan(today)), {
    now: started,
    today: startedOn,
    actor: DEMO_ACTOR,
  });
  try {
    await deps.store.create(plan, {
      planId: plan.id,
      version: 1,
      kind: 'create',
      at: plan.createdAt,
      actor: DEMO_ACTOR,
      changes: [`Plan "${plan.title}" created (demo)`],
    });
    return 'created';
  } catch (error) {
    if (error instanceof PlanExistsError) return 'present';
    throw error;
  }
}
