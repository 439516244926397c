import { FluentProvider, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiContext, useApi } from './api/api-context';
import type { ApiClient } from './api/client';
import { useLoad } from './api/use-load';
import type { Host, TeamsTheme } from './host/teams-host';
import { fluentThemeOf, type TeamsThemes } from './host/theme';
import { PORTFOLIO_HREF, parseRoute, useHash } from './routing';

// Each page is its own chunk: a person opening one page loads that page's code and not the others'
// (the bundle budget of the plan page, `npm run bench:tab`).
const ConfigPage = lazy(() => import('./pages/config-page').then((m) => ({ default: m.ConfigPage })));
const HistoryPage = lazy(() => import('./pages/history-page').then((m) => ({ default: m.HistoryPage })));
const NewPlanPage = lazy(() => import('./pages/new-plan-page').then((m) => ({ default: m.NewPlanPage })));
const NotFoundPage = lazy(() => import('./pages/not-found-page').then((m) => ({ default: m.NotFoundPage })));
const PlanPage = lazy(() => import('./pages/plan-page').then((m) => ({ default: m.PlanPage })));
const PortfolioPage = lazy(() =>
  import('./pages/portfolio-page').then((m) => ({ default: m.PortfolioPage })),
);
const PrintPage = lazy(() => import('./pages/print-page').then((m) => ({ default: m.PrintPage })));

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

export function App({ host, api, teamsThemes }: { host: Host; api: ApiClient; teamsThemes?: TeamsThemes }) {
  const styles = useStyles();
  const [teamsTheme, setTeamsTheme] = useState<TeamsTheme | undefined>(
    host.kind === 'teams' ? host.theme : undefined,
  );
  useEffect(() => (host.kind === 'teams' ? host.onThemeChange(setTeamsTheme) : undefined), [host]);
  // The first view is on screen: Teams may hide its loading indicator (before any data has loaded).
  useEffect(() => {
    if (host.kind === 'teams') host.notifySuccess();
  }, [host]);
  const route = parseRoute(useHash());

  return (
    <ApiContext.Provider value={api}>
      <FluentProvider theme={fluentThemeOf(teamsTheme, teamsThemes)} className={styles.root}>
        <header className={styles.banner}>
          <Link href={PORTFOLIO_HREF} appearance="subtle" className={styles.appName}>
            Co-Sell Plan
          </Link>
          <SignedInAs />
        </header>
        <main className={styles.main}>
          <Suspense fallback={<Text role="status">Loading…</Text>}>
            {route.page === 'portfolio' && (
              <PortfolioPage host={host} {...(route.channelId ? { channelId: route.channelId } : {})} />
            )}
            {route.page === 'new' && (
              <NewPlanPage {...(route.channelId ? { channelId: route.channelId } : {})} />
            )}
            {route.page === 'plan' && <PlanPage key={route.planId} planId={route.planId} />}
            {route.page === 'history' && <HistoryPage key={route.planId} planId={route.planId} />}
            {route.page === 'print' && <PrintPage key={route.planId} planId={route.planId} />}
            {route.page === 'config' && <ConfigPage host={host} />}
            {route.page === 'not-found' && <NotFoundPage />}
          </Suspense>
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
