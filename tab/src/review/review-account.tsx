import type { ReviewAccount } from '@cosell/shared';
import { Text } from '@fluentui/react-components';
import { formatDate } from '../format';
import { Section, useSectionStyles } from '../plan/section';

/*
 * One account of the weekly review: blockers, actions due, milestones at risk, what changed since the last
 * review, owners and the next move. Plan text is rendered as text (React escapes it), never as markup.
 */

function slug(id: string | null): string {
  return `review-account-${(id ?? 'plan').replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function ReviewAccountView({ account }: { account: ReviewAccount }) {
  const styles = useSectionStyles();
  const id = slug(account.accountId);
  return (
    <Section id={id} title={account.name}>
      <div className={styles.columns}>
        <div className={styles.column}>
          <h3 className={styles.subheading}>Next move</h3>
          {account.nextMove ? (
            <Text>
              {account.nextMove.description} — {account.nextMove.owner}, due{' '}
              {formatDate(account.nextMove.due)}
              {account.nextMove.overdue ? ' (overdue)' : ''}
            </Text>
          ) : (
            <Text className={styles.muted}>Nothing open: name the next move.</Text>
          )}
          <h3 className={styles.subheading}>Owners</h3>
          {account.owners.length === 0 ? (
            <Text className={styles.muted}>No one owns open work here.</Text>
          ) : (
            <ul className={styles.list}>
              {account.owners.map((o) => (
                <li key={o.id}>
                  {o.name} <span className={styles.muted}>({o.role})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className={styles.column}>
          <h3 className={styles.subheading}>Blockers</h3>
          {account.blockers.length === 0 ? (
            <Text className={styles.muted}>None.</Text>
          ) : (
            <ul className={styles.list}>
              {account.blockers.map((b) => (
                <li key={b.actionId}>
                  <span className={styles.late}>{b.blocker}</span> — {b.description} ({b.owner})
                </li>
              ))}
            </ul>
          )}
          <h3 className={styles.subheading}>Actions due this week</h3>
          {account.actionsDue.length === 0 ? (
            <Text className={styles.muted}>None.</Text>
          ) : (
            <ul className={styles.list}>
              {account.actionsDue.map((a) => (
                <li key={a.actionId}>
                  {a.description} — {a.owner},{' '}
                  <span className={a.overdue ? styles.late : undefined}>
                    {a.overdue ? 'overdue since' : 'due'} {formatDate(a.due)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <h3 className={styles.subheading}>Milestones at risk</h3>
          {account.milestonesAtRisk.length === 0 ? (
            <Text className={styles.muted}>None.</Text>
          ) : (
            <ul className={styles.list}>
              {account.milestonesAtRisk.map((m) => (
                <li key={m.milestoneId}>
                  {m.title} — <span className={styles.late}>{m.reason}</span> ({m.owner})
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className={styles.column}>
          <h3 className={styles.subheading}>Changed since the last review</h3>
          {account.changes.length === 0 ? (
            <Text className={styles.muted}>Nothing.</Text>
          ) : (
            <ul className={styles.list}>
              {account.changes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Section>
  );
}
