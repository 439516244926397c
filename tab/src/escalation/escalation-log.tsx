import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { type EscalationSource, escalationStalls, NO_ESCALATION_TEXT } from './escalation-model';

/*
 * A plan's escalations (issue 8): who was told that the plan stalled, on which chain and level, and when.
 * For the plan page and the review. Newest first, grouped by the stall they belong to. Names are data.
 */

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  stall: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { fontWeight: tokens.fontWeightSemibold },
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXXS} 0`,
    overflowWrap: 'anywhere',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface EscalationLogProps {
  plan: EscalationSource;
  /** What to say when nothing was escalated. The log has no heading of its own: the host section has one. */
  emptyText?: string;
}

export function EscalationLog({ plan, emptyText = NO_ESCALATION_TEXT }: EscalationLogProps) {
  const styles = useStyles();
  const stalls = escalationStalls(plan);
  if (stalls.length === 0) return <Text className={styles.muted}>{emptyText}</Text>;
  return (
    <div className={styles.root} data-testid="escalation-log">
      {stalls.map((stall) => (
        <section key={stall.startedOn} className={styles.stall} aria-label={stall.label}>
          <Text className={styles.heading}>{stall.heading}</Text>
          <ul className={styles.list}>
            {stall.lines.map((line) => (
              <li key={line.key} className={styles.item}>
                <Text>{line.date}</Text>
                <Text>
                  {line.personName} <span className={styles.muted}>{line.where}</span>
                </Text>
                <Badge appearance="tint" color={line.state === 'sending' ? 'warning' : 'success'}>
                  {line.state}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
