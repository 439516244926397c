import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ApiClient } from './api/client';
import { App } from './app';
import type { TabAuth } from './host/auth';
import { hostOfThisPage } from './host/teams-host';
import { loadTeamsThemes } from './host/theme';
import { parseRoute } from './routing';

/*
 * The React app, started by the tab's entry (first-view/entry.ts) with the tab's one API client. On a
 * plan link the entry has already asked for the plan (plan/plan-data.ts) and may have drawn it: the plan
 * page takes that answer and replaces the first view (first-view/handoff.ts).
 */
export function startApp(container: HTMLElement, api: ApiClient, auth?: TabAuth): void {
  const root = createRoot(container);
  // The plan page's code now, in parallel with finding the host, rather than after it.
  if (parseRoute(window.location.hash).page === 'plan') void import('./pages/plan-page');

  // In a browser this answers at once; in Teams, Teams shows its loading indicator until the host is known.
  void hostOfThisPage().then(async (host) => {
    const teamsThemes = host.kind === 'teams' ? await loadTeamsThemes() : undefined;
    root.render(
      <StrictMode>
        <App host={host} api={api} {...(auth ? { auth } : {})} {...(teamsThemes ? { teamsThemes } : {})} />
      </StrictMode>,
    );
  });
}
