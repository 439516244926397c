import { Button, Link, makeStyles, Spinner, Text, Title1, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError, PlanPage } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { plural } from '../format';
import { type FrameContext, type Host, placeIdOf } from '../host/teams-host';
import { TeamsPlace } from '../host/teams-place';
import { configHref, PortfolioEmpty } from '../portfolio/portfolio-empty';
import { PortfolioFiltersBar } from '../portfolio/portfolio-filters';
import { PortfolioImportExport } from '../portfolio/portfolio-import-export';
import {
  DEFAULT_SORT,
  filterRows,
  isFiltering,
  NO_FILTERS,
  nextSort,
  type PortfolioFilters,
  sortRows,
  toRows,
} from '../portfolio/portfolio-model';
import { PortfolioTable } from '../portfolio/portfolio-table';
import { newPlanHref, PORTFOLIO_HREF, reviewHref } from '../routing';

const PAGE_SIZE = 100;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
  },
  heading: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
  muted: { margin: 0, color: tokens.colorNeutralForeground2 },
  strong: { fontWeight: tokens.fontWeightSemibold },
});

/**
 * The plans of this channel (the `?channel=` of the route, else the Teams channel the tab is in), or
 * every plan the person sees outside Teams; health at a glance, sortable and filterable.
 */
const MEETING_FRAMES: ReadonlySet<FrameContext> = new Set(['sidePanel', 'meetingStage']);

export function PortfolioPage({ host, channelId: routeChannelId }: { host: Host; channelId?: string }) {
  const styles = useStyles();
  const api = useApi();
  const channelId = routeChannelId ?? placeIdOf(host);
  // In the weekly meeting (its side panel or stage) a plan opens as its review, account by account.
  const inMeeting = host.kind === 'teams' && MEETING_FRAMES.has(host.frameContext);
  useDocumentTitle('Plans');
  const query = { limit: PAGE_SIZE, ...(channelId ? { channel: channelId } : {}) };
  const [first, reload] = useLoad(`portfolio:${channelId ?? ''}`, (signal) =>
    api.listPlans(query, { signal }),
  );
  // Later pages, appended to the first one when the person asks for more.
  const [more, setMore] = useState<{ pages: PlanPage[]; loading: boolean; error?: ApiError }>({
    pages: [],
    loading: false,
  });
  const [filters, setFilters] = useState<PortfolioFilters>(NO_FILTERS);
  const [sort, setSort] = useState(DEFAULT_SORT);

  const pages = useMemo(
    () => (first.state === 'ready' ? [first.data, ...more.pages] : []),
    [first, more.pages],
  );
  // "Now" for the next meetings is when the plans arrived: the page does not tick.
  const { plans, rows, now } = useMemo(() => {
    const loaded = pages.flatMap((p) => p.items);
    const at = new Date();
    return { plans: loaded, rows: toRows(loaded, at), now: at };
  }, [pages]);
  const shown = useMemo(() => sortRows(filterRows(rows, filters), sort), [rows, filters, sort]);

  const header = (
    <div className={styles.header}>
      <div className={styles.heading}>
        <Title1 as="h1">Plans</Title1>
        {host.kind === 'teams' ? (
          <TeamsPlace host={host} />
        ) : (
          channelId && (
            <p className={styles.muted}>
              The plans shown in the Teams channel <span className={styles.strong}>{channelId}</span> ·{' '}
              <Link href={PORTFOLIO_HREF}>All plans</Link>
            </p>
          )
        )}
      </div>
      <div className={styles.actions}>
        <Link href={newPlanHref(channelId)}>New plan</Link>
        <PortfolioImportExport {...(channelId ? { channelId } : {})} />
        {channelId && host.kind === 'browser' && (
          <Link href={configHref(channelId)}>Pick plans for this channel</Link>
        )}
      </div>
    </div>
  );

  if (first.state === 'loading') {
    return (
      <div className={styles.page}>
        {header}
        <Spinner label="Loading plans…" />
      </div>
    );
  }
  if (first.state === 'failed') {
    return (
      <div className={styles.page}>
        {header}
        <ProblemBar error={first.error} title="The plans could not be loaded" />
        <div>
          <Button onClick={reload}>Try again</Button>
        </div>
      </div>
    );
  }

  const nextCursor = pages[pages.length - 1]?.nextCursor;
  const loadMore = async (cursor: string) => {
    setMore((m) => ({ pages: m.pages, loading: true }));
    try {
      const page = await api.listPlans({ ...query, cursor });
      setMore((m) => ({ pages: [...m.pages, page], loading: false }));
    } catch (error) {
      setMore((m) => ({ pages: m.pages, loading: false, error: toApiError(error) }));
    }
  };

  return (
    <div className={styles.page}>
      {header}
      {plans.length === 0 ? (
        <PortfolioEmpty channelId={channelId} host={host} />
      ) : (
        <>
          <PortfolioFiltersBar filters={filters} onChange={setFilters} />
          <Text role="status">
            {isFiltering(filters)
              ? `${shown.length} of ${plural(plans.length, 'plan')} match`
              : plural(plans.length, 'plan')}
            {nextCursor ? ' (of those loaded so far)' : ''}
          </Text>
          {shown.length === 0 ? (
            <div>
              <p>No plans match these filters.</p>
              <Button onClick={() => setFilters(NO_FILTERS)}>Clear filters</Button>
            </div>
          ) : (
            <PortfolioTable
              rows={shown}
              sort={sort}
              onSort={(key) => setSort((s) => nextSort(s, key))}
              now={now}
              {...(inMeeting ? { linkOf: reviewHref } : {})}
            />
          )}
        </>
      )}
      {more.error && <ProblemBar error={more.error} title="More plans could not be loaded" />}
      {nextCursor && (
        <div>
          <Button onClick={() => void loadMore(nextCursor)} disabled={more.loading}>
            {more.loading ? 'Loading…' : 'Show more plans'}
          </Button>
        </div>
      )}
    </div>
  );
}
