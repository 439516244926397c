import { useSyncExternalStore } from 'react';

/* Hash routes: `#/` the portfolio, `#/plans/:id` one plan. Hash routing needs nothing from the server. */

export type Route = { page: 'portfolio' } | { page: 'plan'; planId: string } | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'portfolio' };
  const plan = /^\/plans\/([^/]+)\/?$/.exec(path);
  if (plan?.[1]) {
    try {
      return { page: 'plan', planId: decodeURIComponent(plan[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

export const PORTFOLIO_HREF = '#/';

export function planHref(planId: string): string {
  return `#/plans/${encodeURIComponent(planId)}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
