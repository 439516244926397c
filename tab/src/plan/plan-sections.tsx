import {
  ECONOMIC_KIND_LABELS,
  type EconomicTerm,
  type IsoDate,
  type JointAction,
  PLAN_FIELD_LABELS,
  type Plan,
  type PlanHealth,
} from '@cosell/shared';
import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ExternalLink } from '../components/external-link';
import { EscalationLog } from '../escalation/escalation-log';
import { describeDue, formatDate, fullName, roleOf } from '../format';
import { ACTION_STATUS_LABELS, MILESTONE_STATUS_LABELS } from '../labels';
import { byDue, lookupOf, sidesOf } from './plan-model';
import {
  accountDetails,
  actionStatusColor,
  economicValue,
  escalationChains,
  escalationRule,
  milestoneStatusColor,
  partnerRecordLabel,
} from './plan-text';
import { Section, useSectionStyles } from './section';

/* The six fields of the plan (SPEC §2), read-only, each a section of the page. */

export function AccountsSection({
  plan,
  health,
  action,
}: {
  plan: Plan;
  health: PlanHealth;
  action?: ReactNode;
}) {
  const styles = useSectionStyles();
  const stalls = new Map(health.stalls.accounts.map((a) => [a.accountId, a]));
  return (
    <Section id="accounts" title={PLAN_FIELD_LABELS.accounts} action={action}>
      {plan.accounts.length === 0 ? (
        <Text className={styles.muted}>No shared account yet.</Text>
      ) : (
        <ul className={styles.plainList}>
          {plan.accounts.map((account) => (
            <li key={account.id}>
              <span className={styles.name}>{account.name}</span>{' '}
              {stalls.get(account.id)?.stalled && (
                <Badge appearance="tint" color="danger" shape="rounded">
                  Stalled
                </Badge>
              )}
              <div className={styles.muted}>{accountDetails(account)}</div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function OwnersSection({ plan, action }: { plan: Plan; action?: ReactNode }) {
  const styles = useSectionStyles();
  return (
    <Section id="owners" title={PLAN_FIELD_LABELS.owners} action={action}>
      <div className={styles.columns}>
        {sidesOf(plan).map((side) => (
          <div key={side.key} className={styles.column}>
            <h3 className={styles.subheading}>{side.label}</h3>
            {side.partner?.record && (
              <Text size={200} className={styles.muted}>
                Partner record:{' '}
                <ExternalLink href={side.partner.record.url}>
                  {partnerRecordLabel(side.partner.record)}
                </ExternalLink>
              </Text>
            )}
            {side.people.length === 0 ? (
              <Text className={styles.muted}>No one named yet</Text>
            ) : (
              <ul className={styles.plainList}>
                {side.people.map((person) => (
                  <li key={person.id}>
                    <div className={styles.name}>{fullName(person)}</div>
                    <div>{roleOf(person)}</div>
                    <div className={styles.muted}>{person.email}</div>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </Section>
  );
}

export function MilestonesSection({
  plan,
  today,
  action,
}: {
  plan: Plan;
  today: IsoDate;
  action?: ReactNode;
}) {
  const styles = useSectionStyles();
  const lookup = lookupOf(plan);
  return (
    <Section id="milestones" title={PLAN_FIELD_LABELS.milestones} action={action}>
      {plan.milestones.length === 0 ? (
        <Text className={styles.muted}>No milestone yet.</Text>
      ) : (
        <div className={styles.tableScroll}>
          <Table className={styles.table} aria-labelledby="milestones-heading" size="small">
            <TableHeader className={styles.tableHead}>
              <TableRow>
                <TableHeaderCell>Milestone</TableHeaderCell>
                <TableHeaderCell>Due</TableHeaderCell>
                <TableHeaderCell>Owner</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody className={styles.tableBody}>
              {byDue(plan.milestones).map((milestone) => {
                const owner = lookup.person(milestone.ownerId);
                const account = lookup.accountName(milestone.accountId);
                const isLate = milestone.status !== 'done' && milestone.due < today;
                return (
                  <TableRow key={milestone.id} className={styles.tableRow}>
                    <TableCell className={styles.tableCell} data-label="Milestone">
                      {milestone.title}
                      {account && <div className={styles.muted}>{account}</div>}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Due">
                      {formatDate(milestone.due)}
                      {milestone.status !== 'done' && (
                        <div className={isLate ? styles.late : styles.muted}>
                          {describeDue(milestone.due, today)}
                        </div>
                      )}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Owner">
                      {owner ? fullName(owner) : milestone.ownerId}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Status">
                      <Badge appearance="tint" shape="rounded" color={milestoneStatusColor(milestone.status)}>
                        {MILESTONE_STATUS_LABELS[milestone.status]}
                      </Badge>
                      {milestone.doneOn && (
                        <div className={styles.muted}>on {formatDate(milestone.doneOn)}</div>
                      )}
                      {milestone.lastMove && (
                        <div className={styles.muted}>
                          Moved from {formatDate(milestone.lastMove.from)}: {milestone.lastMove.reason}
                        </div>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </Section>
  );
}

export interface ActionsSectionProps {
  plan: Plan;
  today: IsoDate;
  /** Whether a quick update is being saved: the buttons wait for it. */
  busy: boolean;
  onMarkDone(action: JointAction): void;
  action?: ReactNode;
}

export function ActionsSection({
  plan,
  today,
  busy,
  onMarkDone,
  action: sectionAction,
}: ActionsSectionProps) {
  const styles = useSectionStyles();
  const lookup = lookupOf(plan);
  return (
    <Section id="actions" title={PLAN_FIELD_LABELS.actions} action={sectionAction}>
      {plan.actions.length === 0 ? (
        <Text className={styles.muted}>No joint action yet.</Text>
      ) : (
        <div className={styles.tableScroll}>
          <Table className={styles.table} aria-labelledby="actions-heading" size="small">
            <TableHeader className={styles.tableHead}>
              <TableRow>
                <TableHeaderCell>Action</TableHeaderCell>
                <TableHeaderCell>Owner</TableHeaderCell>
                <TableHeaderCell>Due</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Update</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody className={styles.tableBody}>
              {byDue(plan.actions).map((action) => {
                const owner = lookup.person(action.ownerId);
                const milestone = lookup.milestoneTitle(action.milestoneId);
                const isLate = action.status !== 'done' && action.due < today;
                return (
                  <TableRow key={action.id} className={styles.tableRow}>
                    <TableCell className={styles.tableCell} data-label="Action">
                      {action.description}
                      {milestone && <div className={styles.muted}>For: {milestone}</div>}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Owner">
                      {owner ? fullName(owner) : action.ownerId}
                      {owner && <div className={styles.muted}>{lookup.sideLabel(owner)}</div>}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Due">
                      {formatDate(action.due)}
                      {action.status !== 'done' && (
                        <div className={isLate ? styles.late : styles.muted}>
                          {describeDue(action.due, today)}
                        </div>
                      )}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Status">
                      <Badge appearance="tint" shape="rounded" color={actionStatusColor(action.status)}>
                        {ACTION_STATUS_LABELS[action.status]}
                      </Badge>
                      {action.doneOn && <div className={styles.muted}>on {formatDate(action.doneOn)}</div>}
                      {action.blocker && <div>Blocker: {action.blocker}</div>}
                    </TableCell>
                    <TableCell className={styles.tableCell} data-label="Update">
                      {action.status !== 'done' && (
                        <Button
                          size="small"
                          disabledFocusable={busy}
                          aria-label={`Mark done: ${action.description}`}
                          onClick={() => onMarkDone(action)}
                        >
                          Mark done
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </Section>
  );
}

export function EconomicsSection({ plan, action }: { plan: Plan; action?: ReactNode }) {
  const styles = useSectionStyles();
  return (
    <Section id="economics" title={PLAN_FIELD_LABELS.economics} action={action}>
      {plan.partners.length === 0 ? (
        <Text className={styles.muted}>No partner on the plan yet.</Text>
      ) : (
        <div className={styles.columns}>
          {plan.partners.map((partner) => {
            const economics = plan.economics.find((e) => e.partnerId === partner.id);
            return (
              <div key={partner.id} className={styles.column}>
                <h3 className={styles.subheading}>{partner.name}</h3>
                {!economics ? (
                  <Text className={styles.late}>Not written down yet</Text>
                ) : economics.kind === 'none' ? (
                  <Text>No shared economics: {economics.statement}</Text>
                ) : (
                  <ul className={styles.plainList}>
                    {economics.terms.map((term) => (
                      <li key={`${term.kind}:${term.terms ?? ''}`}>
                        <EconomicTermView term={term} />
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      )}
    </Section>
  );
}

function EconomicTermView({ term }: { term: EconomicTerm }) {
  const styles = useSectionStyles();
  const value = economicValue(term);
  return (
    <>
      <div>
        <span className={styles.name}>{ECONOMIC_KIND_LABELS[term.kind]}</span> {value}{' '}
        <Badge appearance="tint" shape="rounded" color={term.agreed ? 'success' : 'warning'}>
          {term.agreed ? 'Agreed' : 'Not agreed yet'}
        </Badge>
      </div>
      {term.terms && <div className={styles.muted}>{term.terms}</div>}
    </>
  );
}

export function EscalationSection({ plan, action }: { plan: Plan; action?: ReactNode }) {
  const styles = useSectionStyles();
  const lookup = lookupOf(plan);
  const chains = escalationChains(plan);
  return (
    <Section id="escalation" title={PLAN_FIELD_LABELS.escalation} action={action}>
      <Text>{escalationRule(plan.escalation.thresholdDays)}</Text>
      <div className={styles.columns}>
        {chains.map(({ key, label, chain }) => (
          <div key={key} className={styles.column}>
            <h3 className={styles.subheading}>{label}</h3>
            {chain.length === 0 ? (
              <Text className={styles.late}>No escalation path yet</Text>
            ) : (
              <ol className={styles.list}>
                {chain.map((personId) => {
                  const person = lookup.person(personId);
                  return (
                    <li key={personId}>
                      {person ? (
                        <>
                          {fullName(person)} <span className={styles.muted}>({roleOf(person)})</span>
                        </>
                      ) : (
                        personId
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        ))}
      </div>
      <h3 className={styles.subheading}>Escalations sent</h3>
      <EscalationLog plan={plan} />
    </Section>
  );
}
