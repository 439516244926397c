import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { App } from './app';
import { detectHost } from './host/teams-host';
import { loadTeamsThemes } from './host/theme';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no element with id "root"');
const root = createRoot(container);

// In a browser this answers at once; in Teams, Teams shows its loading indicator until the host is known.
void detectHost().then(async (host) => {
  const teamsThemes = host.kind === 'teams' ? await loadTeamsThemes() : undefined;
  root.render(
    <StrictMode>
      <App host={host} api={createApiClient()} {...(teamsThemes ? { teamsThemes } : {})} />
    </StrictMode>,
  );
});
