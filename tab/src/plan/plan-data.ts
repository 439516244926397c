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

/** The plan and its health, which the page's top needs; the recent history, which only its end shows. */
export interface PlanDataParts {
  top: Promise<Pick<PlanData, 'plan' | 'health'>>;
  history: Promise<PlanData['history']>;
  all: Promise<PlanData>;
}

function loadPlanParts(api: ApiClient, planId: string, signal?: AbortSignal): PlanDataParts {
  const options = signal ? { signal } : {};
  const top = Promise.all([api.getPlan(planId, options), api.getHealth(planId, options)]).then(
    ([plan, health]) => ({ plan, health }),
  );
  const history = api.getHistory(planId, { ...options, limit: RECENT_HISTORY }).then(
    (h) => h.items,
    () => undefined,
  );
  return { top, history, all: Promise.all([top, history]).then(([t, h]) => ({ ...t, history: h })) };
}

export function loadPlanData(api: ApiClient, planId: string, signal?: AbortSignal): Promise<PlanData> {
  return loadPlanParts(api, planId, signal).all;
}

/*
 * Opening a plan link, the data is requested as the app starts, while the page's code is still loading,
 * instead of after it: the first load of the plan page takes one round trip less. The first load of that
 * plan takes the early answer; every later load asks again.
 */
const early = new Map<string, Promise<PlanData>>();

/** Starts loading the plan for the plan page to take; its parts also draw the first view as they come. */
export function startLoadingPlanData(api: ApiClient, planId: string): PlanDataParts {
  const parts = loadPlanParts(api, planId);
  // A failure is reported by the page when it takes the promise.
  parts.all.catch(() => {});
  parts.top.catch(() => {});
  early.set(planId, parts.all);
  return parts;
}

export function takeEarlyPlanData(planId: string): Promise<PlanData> | undefined {
  const promise = early.get(planId);
  early.delete(planId);
  return promise;
}
