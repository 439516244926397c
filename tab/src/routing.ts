import { useSyncExternalStore } from 'react';

/*
 * Hash routes (they need nothing from the server, and Teams tab URLs can carry them):
 *   #/                      the portfolio (of this channel in Teams, of all plans outside)
 *   #/new                   create a plan
 *   #/plans/:id             the one-page plan, editable in place
 *   #/plans/:id/history     who changed what, when
 *   #/plans/:id/print       the plan laid out for one printed page
 *   #/config                the channel tab's configuration page (pages.config)
 *   #/import                a plan from a Crossbeam export (the import wizard)
 *   #/my                    "My co-sell": my actions and milestones across plans (the personal tab)
 *   #/plans/:id/quick       the quick-update view of a plan (opened on phones)
 *   #/outbox                the embedded outbox: notifications sent in the local mode
 *   #/plans/:id/review      the weekly review (also the meeting side panel)
 *   #/plans/:id/cadence     the weekly meeting settings (the cadence panel)
 * A `?channel=<id>` query after the route limits the portfolio to one Teams channel.
 */

export type Route =
  | { page: 'portfolio'; channelId?: string }
  | { page: 'new'; channelId?: string }
  | { page: 'plan'; planId: string }
  | { page: 'history'; planId: string }
  | { page: 'print'; planId: string }
  | { page: 'config' }
  | { page: 'import'; channelId?: string }
  | { page: 'my' }
  | { page: 'quick'; planId: string }
  | { page: 'outbox' }
  | { page: 'review'; planId: string }
  | { page: 'cadence'; planId: string }
  | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?', 2);
  const path = pathPart || '/';
  const channelId = new URLSearchParams(queryPart).get('channel') ?? undefined;
  const withChannel = channelId ? { channelId } : {};
  if (path === '/') return { page: 'portfolio', ...withChannel };
  if (path === '/new' || path === '/new/') return { page: 'new', ...withChannel };
  if (path === '/config' || path === '/config/') return { page: 'config' };
  if (path === '/import' || path === '/import/') return { page: 'import', ...withChannel };
  if (path === '/my' || path === '/my/') return { page: 'my' };
  if (path === '/outbox' || path === '/outbox/') return { page: 'outbox' };
  const quick = /^\/plans\/([^/]+)\/quick\/?$/.exec(path);
  if (quick?.[1]) {
    try {
      return { page: 'quick', planId: decodeURIComponent(quick[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  const weekly = /^\/plans\/([^/]+)\/(review|cadence)\/?$/.exec(path);
  if (weekly?.[1]) {
    try {
      const planId = decodeURIComponent(weekly[1]);
      return weekly[2] === 'review' ? { page: 'review', planId } : { page: 'cadence', planId };
    } catch {
      return { page: 'not-found' };
    }
  }
  const plan = /^\/plans\/([^/]+)(?:\/(history|print))?\/?$/.exec(path);
  if (plan?.[1]) {
    let planId: string;
    try {
      planId = decodeURIComponent(plan[1]);
    } catch {
      return { page: 'not-found' };
    }
    if (plan[2] === 'history') return { page: 'history', planId };
    if (plan[2] === 'print') return { page: 'print', planId };
    return { page: 'plan', planId };
  }
  return { page: 'not-found' };
}

export const PORTFOLIO_HREF = '#/';

export function portfolioHref(channelId?: string): string {
  return channelId ? `#/?channel=${encodeURIComponent(channelId)}` : PORTFOLIO_HREF;
}

export function newPlanHref(channelId?: string): string {
  return channelId ? `#/new?channel=${encodeURIComponent(channelId)}` : '#/new';
}

/** `#/import`: a plan from Crossbeam account overlaps (the import wizard). */
export function importHref(channelId?: string): string {
  return channelId ? `#/import?channel=${encodeURIComponent(channelId)}` : '#/import';
}

export function planHref(planId: string): string {
  return `#/plans/${encodeURIComponent(planId)}`;
}

export function historyHref(planId: string): string {
  return `${planHref(planId)}/history`;
}

export function printHref(planId: string): string {
  return `${planHref(planId)}/print`;
}

export const MY_WORK_HREF = '#/my';

/** The embedded outbox: notifications sent in the local mode (issue 8). */
export const OUTBOX_HREF = '#/outbox';

export function quickHref(planId: string): string {
  return `${planHref(planId)}/quick`;
}

/** The weekly review of a plan (issue 7). */
export function reviewHref(planId: string): string {
  return `${planHref(planId)}/review`;
}

/** The weekly meeting settings of a plan (issue 7). */
export function cadenceHref(planId: string): string {
  return `${planHref(planId)}/cadence`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
