import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { Host } from '../host/teams-host';
import { importHref, newPlanHref } from '../routing';

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalS,
    maxWidth: '640px',
    padding: tokens.spacingVerticalXL,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  text: { margin: 0 },
  create: { fontWeight: tokens.fontWeightSemibold },
});

export function configHref(channelId: string): string {
  return `#/config?channel=${encodeURIComponent(channelId)}`;
}

/** No plan in this channel (or none at all) yet: what a plan is, and the two ways to get one here. */
export function PortfolioEmpty({ channelId, host }: { channelId: string | undefined; host: Host }) {
  const styles = useStyles();
  return (
    <section className={styles.box} aria-labelledby="portfolio-empty">
      <h2 id="portfolio-empty" className={styles.heading}>
        {channelId ? 'No plans in this channel yet' : 'No plans yet'}
      </h2>
      <p className={styles.text}>
        A co-sell plan is one page that the vendor, the partners and the buyer work from: the shared accounts,
        a named owner on every side, the buyer&apos;s milestones, joint actions, the economic split and who
        escalates to whom.
      </p>
      <Link href={newPlanHref(channelId)} className={styles.create}>
        Create a plan
      </Link>
      <Link href={importHref(channelId)}>Start from a Crossbeam export of shared accounts</Link>
      {channelId && host.kind === 'teams' && (
        <Text as="p" className={styles.text}>
          To show a plan that already exists, open this tab&apos;s settings (the arrow next to the tab&apos;s
          name, then <strong>Settings</strong>) and pick the plan.
        </Text>
      )}
      {channelId && host.kind === 'browser' && (
        <Link href={configHref(channelId)}>Pick existing plans for this channel</Link>
      )}
    </section>
  );
}
