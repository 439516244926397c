import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { type HealthFlags, healthFlagsOf } from './health-flags';

export { type Flag, type HealthFlags, healthFlagsOf } from './health-flags';

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
