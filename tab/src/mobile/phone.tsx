import { Link, makeStyles } from '@fluentui/react-components';
import { useEffect, useSyncExternalStore } from 'react';
import type { Host } from '../host/teams-host';
import { quickHref, type Route } from '../routing';

/*
 * Phones get the quick-update view (issue 8). In Teams on a phone (the host's client type is android, ios
 * or ipados) opening a plan opens its quick view; on any narrow screen (≤ 480 px) the plan offers it.
 * The full plan stays one tap away ("Full plan" on the quick view): only the plan the tab was opened on is
 * redirected, once, so following that link shows the full plan.
 */

export const PHONE_CLIENT_TYPES: readonly string[] = ['android', 'ios', 'ipados'];
export const NARROW_QUERY = '(max-width: 480px)';

export function isPhoneHost(host: Host): boolean {
  return host.kind === 'teams' && PHONE_CLIENT_TYPES.includes(host.hostClientType.toLowerCase());
}

function subscribeNarrow(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia(NARROW_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export function useNarrow(): boolean {
  return useSyncExternalStore(subscribeNarrow, () =>
    typeof window.matchMedia === 'function' ? window.matchMedia(NARROW_QUERY).matches : false,
  );
}

let openedOnce = false;

/**
 * Opens the quick view when the tab was opened on a plan in Teams on a phone; answers whether the current
 * route should offer the quick view (a plan, on a phone or a narrow screen).
 */
export function usePhoneQuickView(host: Host, route: Route): { offerFor?: string } {
  const narrow = useNarrow();
  const phone = isPhoneHost(host);
  const planId = route.page === 'plan' ? route.planId : undefined;
  useEffect(() => {
    if (openedOnce) return;
    openedOnce = true;
    if (planId !== undefined && phone) {
      const { pathname, search } = window.location;
      window.location.replace(`${pathname}${search}${quickHref(planId)}`);
    }
  }, [planId, phone]);
  return planId !== undefined && (phone || narrow) ? { offerFor: planId } : {};
}

const useStyles = makeStyles({
  offer: {
    display: 'flex',
    alignItems: 'center',
    minHeight: '44px',
    marginBottom: '8px',
  },
});

/** The link to a plan's quick-update view: on phones above the plan, and for the plan page's header. */
export function QuickUpdateLink({ planId }: { planId: string }) {
  const styles = useStyles();
  return (
    <Link href={quickHref(planId)} className={styles.offer}>
      Quick update: mark done, move a date, raise a blocker
    </Link>
  );
}
