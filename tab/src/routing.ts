import { useSyncExternalStore } from 'react';

/*
 * Hash routes (they need nothing from the server, and Teams tab URLs can carry them):
 *   #/                      the portfolio (of this channel in Teams, of all plans outside)
 *   #/new                   create a plan
 *   #/plans/:id             the one-page plan, editable in place
 *   #/plans/:id/history     who changed what, when
 *   #/plans/:id/print       the plan laid out for one printed page
 *   #/config                the channel tab's configuration page (pages.config)
 * A `?channel=<id>` query after the route limits the portfolio to one Teams channel.
 */

export type Route =
  | { page: 'portfolio'; channelId?: string }
  | { page: 'new'; channelId?: string }
  | { page: 'plan'; planId: string }
  | { page: 'history'; planId: string }
  | { page: 'print'; planId: string }
  | { page: 'config' }
  | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?', 2);
  const path = pathPart || '/';
  const channelId = new URLSearchParams(queryPart).get('channel') ?? undefined;
  const withChannel = channelId ? { channelId } : {};
  if (path === '/') return { page: 'portfolio', ...withChannel };
  if (path === '/new' || path === '/new/') return { page: 'new', ...withChannel };
  if (path === '/config' || path === '/config/') return { page: 'config' };
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

export function planHref(planId: string): string {
  return `#/plans/${encodeURIComponent(planId)}`;
}

export function historyHref(planId: string): string {
  return `${planHref(planId)}/history`;
}

export function printHref(planId: string): string {
  return `${planHref(planId)}/print`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
