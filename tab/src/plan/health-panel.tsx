import { daysBetween, PLAN_FIELD_LABELS, PLAN_FIELDS, type Plan, type PlanField } from '@cosell/shared';
import { Link, Text } from '@fluentui/react-components';
import type { PlanHealthReport } from '../api/client';
import { HealthBadges } from '../components/health-badges';
import { describeDaysAgo, formatDate } from '../format';
import { RECOMMENDATION_LABELS } from '../labels';
import { lateBySide, lateSides, stallAdvice } from './plan-text';
import { Section, useSectionStyles } from './section';

/* Health (SPEC §3) and the qualifier (§4), in words a person acts on. */

export interface HealthPanelProps {
  plan: Plan;
  health: PlanHealthReport;
  /** Opens the editor of the field a gap is in; without it, gaps are listed without a button. */
  onFix?(field: PlanField): void;
}

export function HealthPanel({ plan, health, onFix }: HealthPanelProps) {
  const styles = useSectionStyles();
  const { completeness, stalls, decay } = health;
  const stalledAccounts = stalls.accounts.filter((a) => a.stalled);
  const late = lateSides(health.accountability);

  return (
    <Section id="health" title="Health">
      <HealthBadges stalled={stalls.stalled} decaying={decay.decaying} gaps={completeness.missing.length} />
      <div className={styles.columns}>
        <div className={styles.column}>
          <h3 className={styles.subheading}>Completeness</h3>
          <Text>
            {completeness.done.length} of {PLAN_FIELDS.length} fields complete
          </Text>
          {completeness.missing.length > 0 && (
            <ul className={styles.list}>
              {completeness.missing.map((gap) => (
                <li key={`${gap.field}:${gap.message}`}>
                  {PLAN_FIELD_LABELS[gap.field]}: {gap.message}
                  {onFix && (
                    <>
                      {' '}
                      <Link
                        as="button"
                        inline
                        aria-label={`Fix: ${gap.message}`}
                        onClick={() => onFix(gap.field)}
                      >
                        Fix
                      </Link>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>

        <div className={styles.column}>
          <h3 className={styles.subheading}>Stalls</h3>
          {!stalls.applies ? (
            <Text>Stall rules apply to active plans only.</Text>
          ) : !stalls.stalled ? (
            <Text>Nothing is stalled.</Text>
          ) : (
            <ul className={styles.list}>
              {stalledAccounts.map((account) => (
                <li key={account.accountId}>
                  <span className={styles.name}>{account.accountName}</span> is stalled:{' '}
                  {account.reasons.join('; ')}
                </li>
              ))}
              {stalledAccounts.length === 0 && (
                <li>
                  <span className={styles.name}>The plan</span> is stalled: {stalls.plan.reasons.join('; ')}
                </li>
              )}
            </ul>
          )}
          {stalls.applies && stalls.stalled && <Text>{stallAdvice(plan)}</Text>}
        </div>

        <div className={styles.column}>
          <h3 className={styles.subheading}>Weekly review</h3>
          {decay.decaying && decay.message ? (
            <Text className={styles.late}>Decaying: {decay.message}.</Text>
          ) : plan.lastReviewedOn ? (
            <Text>
              Last reviewed {formatDate(plan.lastReviewedOn)} (
              {describeDaysAgo(daysBetween(plan.lastReviewedOn, health.today))}).
            </Text>
          ) : (
            <Text>Not reviewed in a weekly meeting yet.</Text>
          )}
        </div>

        <div className={styles.column}>
          <h3 className={styles.subheading}>Late by side</h3>
          {late.length === 0 ? (
            <Text>Nothing is late.</Text>
          ) : (
            <ul className={styles.list}>
              {late.map((side) => (
                <li key={side.partnerId ?? side.side}>{lateBySide(side)}</li>
              ))}
            </ul>
          )}
        </div>

        <div className={styles.column}>
          <h3 className={styles.subheading}>Do you need a co-sell plan?</h3>
          {health.qualification ? (
            <>
              <Text>
                <span className={styles.name}>
                  {RECOMMENDATION_LABELS[health.qualification.recommendation]}
                </span>{' '}
                is recommended because:
              </Text>
              <ul className={styles.list}>
                {health.qualification.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              {health.qualification.against.length > 0 && (
                <>
                  <Text>What points the other way:</Text>
                  <ul className={styles.list}>
                    {health.qualification.against.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                </>
              )}
            </>
          ) : (
            <Text className={styles.muted}>The qualification questions are not answered yet.</Text>
          )}
        </div>
      </div>
    </Section>
  );
}
