import type { Plan } from '@cosell/shared';
import { Badge, Button, Link, makeStyles, Text, Title1, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ExternalLink } from '../components/external-link';
import { PlanExportLinks } from '../exports/plan-export-links';
import { formatDate, formatMoney } from '../format';
import { CRM_SYSTEM_LABELS, MOTION_LABELS, STATUS_LABELS, WEEKDAY_LABELS } from '../labels';
import { historyHref, PORTFOLIO_HREF, printHref, reviewHref } from '../routing';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  title: { margin: 0 },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  toolbarLink: { padding: `0 ${tokens.spacingHorizontalXS}` },
});

export interface PlanHeaderProps {
  plan: Plan;
  busy: boolean;
  onRecordReview(): void;
  /** The "Edit plan details" button; absent while the details are being edited. */
  editButton?: ReactNode;
}

export function PlanHeader({ plan, busy, onRecordReview, editButton }: PlanHeaderProps) {
  const styles = useStyles();
  const deal = plan.crmDeal;
  return (
    <div className={styles.header}>
      <Link href={PORTFOLIO_HREF}>All plans</Link>
      <Title1 as="h1" className={styles.title}>
        {plan.title}
      </Title1>
      <div className={styles.facts}>
        <Badge
          appearance="outline"
          shape="rounded"
          color={plan.status === 'active' ? 'brand' : 'informative'}
        >
          {STATUS_LABELS[plan.status]}
        </Badge>
        <Text>{MOTION_LABELS[plan.motion]}</Text>
        {deal && (
          <Text>
            {CRM_SYSTEM_LABELS[deal.system]} deal <ExternalLink href={deal.url}>{deal.id}</ExternalLink>
            {deal.amount !== undefined && deal.currency && ` · ${formatMoney(deal.amount, deal.currency)}`}
            {deal.closeDate && ` · closes ${formatDate(deal.closeDate)}`}
          </Text>
        )}
        {plan.cadence && (
          <Text>
            Weekly review on {WEEKDAY_LABELS[plan.cadence.weekday]}s at {plan.cadence.time} (
            {plan.cadence.timeZone})
          </Text>
        )}
      </div>
      <div className={styles.toolbar}>
        <Button appearance="primary" disabledFocusable={busy} onClick={onRecordReview}>
          Record weekly review
        </Button>
        {editButton}
        <Link href={historyHref(plan.id)} className={styles.toolbarLink}>
          History
        </Link>
        <Link href={printHref(plan.id)} className={styles.toolbarLink}>
          Print
        </Link>
        <Link href={reviewHref(plan.id)} className={styles.toolbarLink}>
          Weekly review
        </Link>
        <PlanExportLinks planId={plan.id} />
      </div>
    </div>
  );
}
