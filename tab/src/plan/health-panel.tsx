import { daysBetween, PLAN_FIELD_LABELS, PLAN_FIELDS, type Plan, type PlanField } from '@cosell/shared';
import { Link, Text } from '@fluentui/react-components';
import type { PlanHealthReport } from '../api/client';
import { HealthBadges } from '../components/health-badges';
import { describeDaysAgo, formatDate, fullName, plural } from '../format';
import { RECOMMENDATION_LABELS } from '../labels';
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
  const escalateTo = firstToEscalateTo(plan);
  const { completeness, stalls, decay } = health;
  const stalledAccounts = stalls.accounts.filter((a) => a.stalled);
  const late = health.accountability.filter((s) => s.lateActionIds.length + s.lateMilestoneIds.length > 0);

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
          {stalls.applies && stalls.stalled && (
            <Text>
              What to do: move an action or a milestone forward (done, or a new date with a reason)
              {escalateTo.length > 0
                ? `, and escalate to ${joinWords(escalateTo)}`
                : ', and name an escalation path'}
              .
            </Text>
          )}
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
                <li key={side.partnerId ?? side.side}>
                  {side.label}:{' '}
                  {[
                    ...(side.lateActionIds.length > 0 ? [plural(side.lateActionIds.length, 'action')] : []),
                    ...(side.lateMilestoneIds.length > 0
                      ? [plural(side.lateMilestoneIds.length, 'milestone')]
                      : []),
                  ].join(', ')}{' '}
                  late
                </li>
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

/** SPEC §3: a stall goes up both chains, vendor and partner; the first person of each is told first. */
function firstToEscalateTo(plan: Plan): string[] {
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const partners = plan.motion === 'co-sell' ? plan.partners : [];
  const first = (chain: readonly string[], side: string) => {
    const person = chain[0] === undefined ? undefined : people.get(chain[0]);
    return person ? [`${fullName(person)} (${side})`] : [];
  };
  return [
    ...first(plan.escalation.vendorChain, 'vendor'),
    ...partners.flatMap((partner) =>
      first(plan.escalation.partnerChains.find((c) => c.partnerId === partner.id)?.chain ?? [], partner.name),
    ),
  ];
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
