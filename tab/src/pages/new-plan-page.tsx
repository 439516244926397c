import { Link, makeStyles, Spinner, Text, Title1, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { useDocumentTitle } from '../components/use-document-title';
import { portfolioHref } from '../routing';

// The form and the schema check it runs load with this page, not with the plan page.
const NewPlanForm = lazy(() => import('../edit/new-plan-form'));

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  title: { margin: 0 },
});

export function NewPlanPage({ channelId }: { channelId?: string }) {
  const styles = useStyles();
  useDocumentTitle('New plan');
  return (
    <div className={styles.page}>
      <Link href={portfolioHref(channelId)}>All plans</Link>
      <Title1 as="h1" className={styles.title}>
        New plan
      </Title1>
      <Text as="p">
        Start with a title, the motion and the first account you run together. The plan starts as a draft;
        next you name the owners on each side.
        {channelId ? ' It will be shown in this channel.' : ''}
      </Text>
      <Suspense fallback={<Spinner label="Loading…" />}>
        <NewPlanForm {...(channelId ? { channelId } : {})} />
      </Suspense>
    </div>
  );
}
