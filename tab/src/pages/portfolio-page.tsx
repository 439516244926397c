import type { PlanSummary } from '@cosell/shared';
import {
  Button,
  Link,
  makeStyles,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError, PlanPage } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { HealthBadges } from '../components/health-badges';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { formatDate, plural } from '../format';
import { STATUS_LABELS } from '../labels';
import { planHref } from '../routing';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  tableScroll: { overflowX: 'auto' },
  table: { minWidth: '960px' },
  title: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: 0, listStyleType: 'none' },
});

export function PortfolioPage() {
  const styles = useStyles();
  const api = useApi();
  useDocumentTitle('Plans');
  const [first, reload] = useLoad('portfolio', (signal) => api.listPlans({ limit: PAGE_SIZE }, { signal }));
  // Later pages, appended below the first one when the person asks for more.
  const [more, setMore] = useState<{ pages: PlanPage[]; loading: boolean; error?: ApiError }>({
    pages: [],
    loading: false,
  });

  if (first.state === 'loading') return <Spinner label="Loading plans…" />;
  if (first.state === 'failed') {
    return (
      <div className={styles.page}>
        <Title1 as="h1">Plans</Title1>
        <ProblemBar error={first.error} title="The plans could not be loaded" />
        <div>
          <Button onClick={reload}>Try again</Button>
        </div>
      </div>
    );
  }

  const pages = [first.data, ...more.pages];
  const plans = pages.flatMap((p) => p.items);
  const nextCursor = pages[pages.length - 1]?.nextCursor;
  const loadMore = async (cursor: string) => {
    setMore((m) => ({ pages: m.pages, loading: true }));
    try {
      const page = await api.listPlans({ limit: PAGE_SIZE, cursor });
      setMore((m) => ({ pages: [...m.pages, page], loading: false }));
    } catch (error) {
      setMore((m) => ({ pages: m.pages, loading: false, error: toApiError(error) }));
    }
  };

  return (
    <div className={styles.page}>
      <Title1 as="h1">Plans</Title1>
      {plans.length === 0 ? (
        <Text>No plans yet.</Text>
      ) : (
        <div className={styles.tableScroll}>
          <Table className={styles.table} aria-label="Co-sell plans">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Plan</TableHeaderCell>
                <TableHeaderCell>Accounts</TableHeaderCell>
                <TableHeaderCell>Partners</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Health</TableHeaderCell>
                <TableHeaderCell>Late by side</TableHeaderCell>
                <TableHeaderCell>Next milestone</TableHeaderCell>
                <TableHeaderCell>Last review</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {plans.map((plan) => (
                <PlanRow key={plan.id} plan={plan} />
              ))}
            </TableBody>
          </Table>
        </div>
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

function PlanRow({ plan }: { plan: PlanSummary }) {
  const styles = useStyles();
  return (
    <TableRow>
      <TableCell>
        <Link href={planHref(plan.id)} className={styles.title}>
          {plan.title}
        </Link>
        {plan.motion === 'map' && <div className={styles.muted}>Mutual action plan</div>}
      </TableCell>
      <TableCell>{plan.accounts.map((a) => a.name).join(', ') || '—'}</TableCell>
      <TableCell>
        {plan.motion === 'map' ? (
          <span className={styles.muted}>None (mutual action plan)</span>
        ) : (
          plan.partners.map((p) => p.name).join(', ') || '—'
        )}
      </TableCell>
      <TableCell>{STATUS_LABELS[plan.status]}</TableCell>
      <TableCell>
        <HealthBadges stalled={plan.stalled} decaying={plan.decaying} gaps={plan.missing.length} />
      </TableCell>
      <TableCell>
        {plan.late.length === 0 ? (
          <span className={styles.muted}>Nothing late</span>
        ) : (
          <ul className={styles.list}>
            {plan.late.map((side) => (
              <li key={side.label}>
                {side.label}: {lateText(side.actions, side.milestones)}
              </li>
            ))}
          </ul>
        )}
      </TableCell>
      <TableCell>
        {plan.nextMilestone ? (
          <>
            {plan.nextMilestone.title}
            <div className={styles.muted}>{formatDate(plan.nextMilestone.due)}</div>
          </>
        ) : (
          <span className={styles.muted}>None open</span>
        )}
      </TableCell>
      <TableCell>
        {plan.lastReviewedOn ? formatDate(plan.lastReviewedOn) : <span className={styles.muted}>Never</span>}
      </TableCell>
    </TableRow>
  );
}

function lateText(actions: number, milestones: number): string {
  const parts = [
    ...(actions > 0 ? [plural(actions, 'action')] : []),
    ...(milestones > 0 ? [plural(milestones, 'milestone')] : []),
  ];
  return `${parts.join(', ')} late`;
}
