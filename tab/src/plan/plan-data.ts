import type { HistoryEntry, Plan } from '@cosell/shared';
import type { ApiClient, PlanHealthReport } from '../api/client';

/** The plan page shows the latest changes; the history page has them all. */
export const RECENT_HISTORY = 5;

export interface PlanData {
  plan: Plan;
  health: PlanHealthReport;
  /** Undefined when the history could not be loaded: the plan is still worth showing. */
  history: HistoryEntry[] | undefined;
}

export function loadPlanData(api: ApiClient, planId: string, signal?: AbortSignal): Promise<PlanData> {
  const options = signal ? { signal } : {};
  return Promise.all([
    api.getPlan(planId, options),
    api.getHealth(planId, options),
    api.getHistory(planId, { ...options, limit: RECENT_HISTORY }).then(
      (h) => h.items,
      () => undefined,
    ),
  ]).then(([plan, health, history]) => ({ plan, health, history }));
}

/*
 * Opening a plan link, the data is requested as the app starts, while the page's code is still loading,
 * instead of after it: the first load of the plan page takes one round trip less. The first load of that
 * plan takes the early answer; every later load asks again.
 */
const early = new Map<string, Promise<PlanData>>();

export function startLoadingPlanData(api: ApiClient, planId: string): void {
  const promise = loadPlanData(api, planId);
  promise.catch(() => {}); // a failure is reported by the page when it takes the promise
  early.set(planId, promise);
}

export function takeEarlyPlanData(planId: string): Promise<PlanData> | undefined {
  const promise = early.get(planId);
  early.delete(planId);
  return promise;
}
