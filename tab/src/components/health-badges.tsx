import { Badge, type BadgeProps, makeStyles, tokens } from '@fluentui/react-components';
import { plural } from '../format';

export interface HealthFlags {
  stalled: boolean;
  decaying: boolean;
  /** The number of completeness gaps. */
  gaps: number;
}

interface Flag {
  label: string;
  color: NonNullable<BadgeProps['color']>;
}

/** Worst first: a stall needs action today, decay this week, gaps when the plan is next edited. */
export function healthFlagsOf({ stalled, decaying, gaps }: HealthFlags): Flag[] {
  const flags: Flag[] = [];
  if (stalled) flags.push({ label: 'Stalled', color: 'danger' });
  if (decaying) flags.push({ label: 'Decaying', color: 'severe' });
  if (gaps > 0) flags.push({ label: `Incomplete (${plural(gaps, 'gap')})`, color: 'warning' });
  if (flags.length === 0) flags.push({ label: 'Healthy', color: 'success' });
  return flags;
}

const useStyles = makeStyles({
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
});

export function HealthBadges(props: HealthFlags) {
  const styles = useStyles();
  return (
    <span className={styles.badges}>
      {healthFlagsOf(props).map((flag) => (
        <Badge key={flag.label} appearance="tint" color={flag.color} shape="rounded">
          {flag.label}
        </Badge>
      ))}
    </span>
  );
}
