import { Link, makeStyles, Text, Title1, tokens } from '@fluentui/react-components';
import { useDocumentTitle } from '../components/use-document-title';
import { ImportWizard } from '../import/import-wizard';
import { portfolioHref } from '../routing';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  title: { margin: 0 },
});

/** `#/import`: a co-sell plan from Crossbeam account overlaps. */
export function ImportPage({ channelId }: { channelId?: string }) {
  const styles = useStyles();
  useDocumentTitle('Import from Crossbeam');
  return (
    <div className={styles.page}>
      <Link href={portfolioHref(channelId)}>All plans</Link>
      <Title1 as="h1" className={styles.title}>
        Import from Crossbeam
      </Title1>
      <Text as="p">
        Start a plan from the accounts you and a partner share: pick up to five from a Crossbeam export; their
        owners on both sides are named on the plan.
        {channelId ? ' The plan will be shown in this channel.' : ''}
      </Text>
      <ImportWizard {...(channelId ? { channelId } : {})} />
    </div>
  );
}
