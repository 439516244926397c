import { Button, Link, makeStyles, Spinner, Title1, tokens } from '@fluentui/react-components';
import { useApi } from '../api/api-context';
import { useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { planHref, reviewHref } from '../routing';
import { CadencePanel } from './cadence-panel';

/*
 * `#/plans/:id/cadence`: the weekly meeting settings on their own page (the cadence panel), reachable from the
 * review page and usable in a narrow meeting side panel; the plan page mounts the same panel.
 */

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  title: { margin: 0 },
  links: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
});

export function CadencePage({ planId }: { planId: string }) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad(`plan-for-cadence:${planId}`, (signal) => api.getPlan(planId, { signal }));
  useDocumentTitle(load.state === 'ready' ? `Weekly meeting: ${load.data.title}` : 'Weekly meeting');
  return (
    <div className={styles.page}>
      <nav aria-label="Plan pages" className={styles.links}>
        <Link href={planHref(planId)}>Back to the plan</Link>
        <Link href={reviewHref(planId)}>Weekly review</Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        Weekly meeting{load.state === 'ready' ? `: ${load.data.title}` : ''}
      </Title1>
      {load.state === 'loading' && <Spinner label="Loading the plan…" />}
      {load.state === 'failed' && (
        <>
          <ProblemBar error={load.error} title="The plan could not be loaded" />
          <div>
            <Button onClick={reload}>Try again</Button>
          </div>
        </>
      )}
      {load.state === 'ready' && <CadencePanel plan={load.data} />}
    </div>
  );
}
