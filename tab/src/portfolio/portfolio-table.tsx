import { Link, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { HealthBadges } from '../components/health-badges';
import { formatDate, plural } from '../format';
import { STATUS_LABELS } from '../labels';
import { planHref } from '../routing';
import { describeCadence, describeMeeting } from './meeting-format';
import { type PortfolioRow, type PortfolioSort, SORT_ORDER_WORDS, type SortKey } from './portfolio-model';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  table: {
    width: '100%',
    minWidth: '1040px',
    borderCollapse: 'collapse',
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
  },
  th: {
    textAlign: 'left',
    verticalAlign: 'bottom',
    fontWeight: tokens.fontWeightSemibold,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`,
    whiteSpace: 'nowrap',
  },
  td: {
    verticalAlign: 'top',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  sortButton: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    margin: `0 calc(-1 * ${tokens.spacingHorizontalXS})`,
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    background: 'none',
    color: 'inherit',
    font: 'inherit',
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  arrow: { width: '1em', color: tokens.colorNeutralForeground2 },
  // Badges are one line each: the cell is as wide as the widest, and they stack when there are several.
  health: { whiteSpace: 'nowrap' },
  title: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: 0, listStyleType: 'none' },
});

interface Column {
  label: string;
  sortKey?: SortKey;
}

const COLUMNS: Column[] = [
  { label: 'Plan', sortKey: 'title' },
  { label: 'Accounts' },
  { label: 'Partners' },
  { label: 'Status' },
  { label: 'Health', sortKey: 'health' },
  { label: 'Late by side' },
  { label: 'Next milestone', sortKey: 'nextMilestone' },
  { label: 'Next meeting', sortKey: 'nextMeeting' },
  { label: 'Last review', sortKey: 'lastReview' },
];

export function PortfolioTable({
  rows,
  sort,
  onSort,
  now,
  linkOf = planHref,
}: {
  rows: PortfolioRow[];
  sort: PortfolioSort;
  onSort: (key: SortKey) => void;
  now: Date;
  /** Where a plan's title leads: its page, or (in a meeting's side panel) its weekly review. */
  linkOf?: (planId: string) => string;
}) {
  const styles = useStyles();
  return (
    <div className={styles.scroll}>
      <table className={styles.table} aria-label="Co-sell plans">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <HeaderCell key={column.label} column={column} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <PlanRow key={row.plan.id} row={row} now={now} linkOf={linkOf} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HeaderCell({
  column,
  sort,
  onSort,
}: {
  column: Column;
  sort: PortfolioSort;
  onSort: (key: SortKey) => void;
}) {
  const styles = useStyles();
  const { sortKey } = column;
  if (!sortKey) {
    return (
      <th scope="col" className={styles.th}>
        {column.label}
      </th>
    );
  }
  const active = sort.key === sortKey;
  const words = SORT_ORDER_WORDS[sortKey];
  // The natural order of every column reads as "ascending" (A to Z, soonest, worst first).
  const ariaSort = active ? (sort.direction === 'natural' ? 'ascending' : 'descending') : undefined;
  const arrow = active ? (sort.direction === 'natural' ? '↑' : '↓') : '';
  const hint = active
    ? `sorted ${sort.direction === 'natural' ? words.natural : words.reversed}`
    : `sort ${words.natural}`;
  return (
    <th scope="col" className={styles.th} aria-sort={ariaSort}>
      <button
        type="button"
        className={styles.sortButton}
        aria-label={`${column.label}, ${hint}`}
        onClick={() => onSort(sortKey)}
      >
        {column.label}
        <span className={styles.arrow} aria-hidden="true">
          {arrow}
        </span>
      </button>
    </th>
  );
}

function Cell({ children, className }: { children: ReactNode; className?: string }) {
  const styles = useStyles();
  return <td className={mergeClasses(styles.td, className)}>{children}</td>;
}

function PlanRow({ row, now, linkOf }: { row: PortfolioRow; now: Date; linkOf: (planId: string) => string }) {
  const styles = useStyles();
  const { plan, nextMeeting } = row;
  return (
    <tr>
      <Cell>
        <Link href={linkOf(plan.id)} className={styles.title}>
          {plan.title}
        </Link>
        {plan.motion === 'map' && <div className={styles.muted}>Mutual action plan</div>}
      </Cell>
      <Cell>
        {plan.accounts.map((a) => a.name).join(', ') || <span className={styles.muted}>None yet</span>}
      </Cell>
      <Cell>
        {plan.motion === 'map' ? (
          <span className={styles.muted}>None (mutual action plan)</span>
        ) : (
          plan.partners.map((p) => p.name).join(', ') || <span className={styles.muted}>None yet</span>
        )}
      </Cell>
      <Cell>{STATUS_LABELS[plan.status]}</Cell>
      <Cell className={styles.health}>
        <HealthBadges stalled={plan.stalled} decaying={plan.decaying} gaps={plan.missing.length} />
      </Cell>
      <Cell>
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
      </Cell>
      <Cell>
        {plan.nextMilestone ? (
          <>
            {plan.nextMilestone.title}
            <div className={styles.muted}>{formatDate(plan.nextMilestone.due)}</div>
          </>
        ) : (
          <span className={styles.muted}>None open</span>
        )}
      </Cell>
      <Cell>
        {nextMeeting ? (
          <time dateTime={nextMeeting.start.toISOString()}>{describeMeeting(nextMeeting, now)}</time>
        ) : (
          <span className={styles.muted}>{plan.cadence ? 'Series ended' : 'No weekly meeting'}</span>
        )}
        {plan.cadence && <div className={styles.muted}>{describeCadence(plan.cadence)}</div>}
      </Cell>
      <Cell>
        {plan.lastReviewedOn ? formatDate(plan.lastReviewedOn) : <span className={styles.muted}>Never</span>}
      </Cell>
    </tr>
  );
}

function lateText(actions: number, milestones: number): string {
  const parts = [
    ...(actions > 0 ? [plural(actions, 'action')] : []),
    ...(milestones > 0 ? [plural(milestones, 'milestone')] : []),
  ];
  return `${parts.join(', ')} late`;
}
