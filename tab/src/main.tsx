import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { App } from './app';
import { detectHost } from './host/teams-host';
import { loadTeamsThemes } from './host/theme';
import { startLoadingPlanData } from './plan/plan-data';
import { parseRoute } from './routing';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no element with id "root"');
const root = createRoot(container);

// In a browser this answers at once; in Teams, Teams shows its loading indicator until the host is known.
const api = createApiClient();
// A plan link: ask for the plan and fetch the page's code now, in parallel, rather than one after the other.
const route = parseRoute(window.location.hash);
if (route.page === 'plan') {
  startLoadingPlanData(api, route.planId);
  void import('./pages/plan-page');
}

void detectHost().then(async (host) => {
  const teamsThemes = host.kind === 'teams' ? await loadTeamsThemes() : undefined;
  root.render(
    <StrictMode>
      <App host={host} api={api} {...(teamsThemes ? { teamsThemes } : {})} />
    </StrictMode>,
  );
});
