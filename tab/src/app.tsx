import { FluentProvider, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ApiContext, useApi } from './api/api-context';
import type { ApiClient } from './api/client';
import { useLoad } from './api/use-load';
import type { Host, TeamsTheme } from './host/teams-host';
import { fluentThemeOf } from './host/theme';
import { ConfigPage } from './pages/config-page';
import { HistoryPage } from './pages/history-page';
import { NewPlanPage } from './pages/new-plan-page';
import { NotFoundPage } from './pages/not-found-page';
import { PlanPage } from './pages/plan-page';
import { PortfolioPage } from './pages/portfolio-page';
import { PrintPage } from './pages/print-page';
import { PORTFOLIO_HREF, parseRoute, useHash } from './routing';

const useStyles = makeStyles({
  root: { minHeight: '100vh', display: 'flex', flexDirection: 'column' },
  banner: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  appName: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  main: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '1280px',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL} ${tokens.spacingVerticalXXXL}`,
  },
});

export function App({ host, api }: { host: Host; api: ApiClient }) {
  const styles = useStyles();
  const [teamsTheme, setTeamsTheme] = useState<TeamsTheme | undefined>(
    host.kind === 'teams' ? host.theme : undefined,
  );
  useEffect(() => (host.kind === 'teams' ? host.onThemeChange(setTeamsTheme) : undefined), [host]);
  const route = parseRoute(useHash());

  return (
    <ApiContext.Provider value={api}>
      <FluentProvider theme={fluentThemeOf(teamsTheme)} className={styles.root}>
        <header className={styles.banner}>
          <Link href={PORTFOLIO_HREF} appearance="subtle" className={styles.appName}>
            Co-Sell Plan
          </Link>
          <SignedInAs />
        </header>
        <main className={styles.main}>
          {route.page === 'portfolio' && <PortfolioPage />}
          {route.page === 'new' && (
            <NewPlanPage {...(route.channelId ? { channelId: route.channelId } : {})} />
          )}
          {route.page === 'plan' && <PlanPage key={route.planId} planId={route.planId} />}
          {route.page === 'history' && <HistoryPage key={route.planId} planId={route.planId} />}
          {route.page === 'print' && <PrintPage key={route.planId} planId={route.planId} />}
          {route.page === 'config' && <ConfigPage />}
          {route.page === 'not-found' && <NotFoundPage />}
        </main>
      </FluentProvider>
    </ApiContext.Provider>
  );
}

function SignedInAs() {
  const api = useApi();
  const [me] = useLoad('me', (signal) => api.getMe({ signal }));
  if (me.state !== 'ready') return null;
  return <Text size={200}>Signed in as {me.data.displayName}</Text>;
}
