import { type MyWork, OPEN_PLAN_STATUSES, type Plan, selectMyWork } from '@cosell/shared';
import { AppError } from '../app-error';
import type { Caller } from '../identity/authenticator';
import type { PlanAccess } from './plan-access';
import type { PlanService } from './plan-service';

/*
 * "My co-sell" (issue 8): the caller's open actions and milestones across every plan they can see. The
 * plans come through the access layer (PlanAccess: the list holds only readable plans, each plan is
 * redacted for the caller's side), filtered by the store's person index on the caller's email; the
 * selection itself is the pure `selectMyWork` of shared/.
 */

export interface MyWorkDeps {
  access: PlanAccess;
  plans: Pick<PlanService, 'today'>;
}

/** A page of the plan list: the store clamps to 100. */
const PAGE_SIZE = 100;
/** At most this many plans are read for one answer; beyond it the answer says `truncated`. */
export const MY_WORK_MAX_PLANS = 500;
/** Plans read at once (one store read each: a SharePoint round trip, or the SQLite cache). */
const READ_CONCURRENCY = 4;

export interface MyWorkResult extends MyWork {
  /** True when the caller is named on more plans than one answer reads (`MY_WORK_MAX_PLANS`). */
  truncated: boolean;
}

/** The email the caller is named by on plans: the verified token's UPN/email, or the local identity's. */
export function emailOf(caller: Caller): string {
  const id = caller.viewer === 'local-vendor' ? caller.actor.id : caller.viewer.id;
  return id.trim().toLowerCase();
}

export async function myWork(
  deps: MyWorkDeps,
  caller: Caller,
  options: { maxPlans?: number } = {},
): Promise<MyWorkResult> {
  const maxPlans = options.maxPlans ?? MY_WORK_MAX_PLANS;
  const person = emailOf(caller);
  const today = deps.plans.today();
  const ids: string[] = [];
  let cursor: string | undefined;
  let truncated = false;
  do {
    const page = await deps.access.list(
      {
        status: [...OPEN_PLAN_STATUSES],
        person,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      },
      caller,
    );
    for (const summary of page.items) {
      if (ids.length >= maxPlans) {
        truncated = true;
        break;
      }
      ids.push(summary.id);
    }
    cursor = page.nextCursor;
    if (cursor && ids.length >= maxPlans) truncated = true;
  } while (cursor && !truncated);

  const plans = await readAll(ids, (id) => deps.access.get(id, caller));
  return { ...selectMyWork(plans, person, today), truncated };
}

/** Reads the plans a few at a time; a plan deleted (or no longer readable) since the list is left out. */
async function readAll(ids: string[], read: (id: string) => Promise<Plan>): Promise<Plan[]> {
  const out: (Plan | undefined)[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index];
      if (id === undefined) continue;
      try {
        out[index] = await read(id);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker));
  return out.filter((p): p is Plan => p !== undefined);
}
