import { FluentProvider, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiContext, useApi } from './api/api-context';
import type { ApiClient } from './api/client';
import { useLoad } from './api/use-load';
import { SignInGate } from './components/sign-in-gate';
import type { TabAuth } from './host/auth';
import type { Host, TeamsTheme } from './host/teams-host';
import { fluentThemeOf, type TeamsThemes } from './host/theme';
import { QuickUpdateLink, usePhoneQuickView } from './mobile/phone';
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
const MyPage = lazy(() => import('./my/my-page').then((m) => ({ default: m.MyPage })));
const QuickPage = lazy(() => import('./mobile/quick-page').then((m) => ({ default: m.QuickPage })));
const ImportPage = lazy(() => import('./pages/import-page').then((m) => ({ default: m.ImportPage })));
const OutboxPage = lazy(() => import('./pages/outbox-page').then((m) => ({ default: m.OutboxPage })));
const ReviewPage = lazy(() => import('./pages/review-page').then((m) => ({ default: m.ReviewPage })));
const CadencePage = lazy(() => import('./cadence/cadence-page').then((m) => ({ default: m.CadencePage })));

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

export function App({
  host,
  api,
  teamsThemes,
  auth,
}: {
  host: Host;
  api: ApiClient;
  teamsThemes?: TeamsThemes;
  /** The tab's sign-in (host/auth.ts): shows "Sign in again" when the API refuses it. */
  auth?: TabAuth;
}) {
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
  // On a phone a plan opens (in Teams) or offers (narrow screens) its quick-update view (issue 8).
  const phone = usePhoneQuickView(host, route);

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
          {auth && <SignInGate auth={auth} />}
          <Suspense fallback={<Text role="status">Loading…</Text>}>
            {route.page === 'portfolio' && (
              <PortfolioPage host={host} {...(route.channelId ? { channelId: route.channelId } : {})} />
            )}
            {route.page === 'new' && (
              <NewPlanPage {...(route.channelId ? { channelId: route.channelId } : {})} />
            )}
            {phone.offerFor && <QuickUpdateLink planId={phone.offerFor} />}
            {route.page === 'plan' && <PlanPage key={route.planId} planId={route.planId} />}
            {route.page === 'my' && <MyPage />}
            {route.page === 'quick' && <QuickPage key={route.planId} planId={route.planId} />}
            {route.page === 'history' && <HistoryPage key={route.planId} planId={route.planId} />}
            {route.page === 'print' && <PrintPage key={route.planId} planId={route.planId} />}
            {route.page === 'import' && (
              <ImportPage {...(route.channelId ? { channelId: route.channelId } : {})} />
            )}
            {route.page === 'config' && <ConfigPage host={host} />}
            {route.page === 'outbox' && <OutboxPage />}
            {route.page === 'review' && <ReviewPage key={route.planId} planId={route.planId} />}
            {route.page === 'cadence' && <CadencePage key={route.planId} planId={route.planId} />}
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
