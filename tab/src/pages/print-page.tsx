import type { Plan } from '@cosell/shared';
import { Button, Link, Text, Title1 } from '@fluentui/react-components';
import { useApi } from '../api/api-context';
import type { PlanHealthReport } from '../api/client';
import { useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { PrintSheet } from '../print/print-sheet';
import { planHref } from '../routing';

interface PrintData {
  plan: Plan;
  health: PlanHealthReport;
}

/**
 * Print / PDF: the plan on one page, Letter or A4, from the browser's print dialog ("Save as PDF" makes
 * the PDF). On screen the sheet is shown as the paper it prints on; the toolbar and the app's banner are
 * not printed.
 */
export function PrintPage({ planId }: { planId: string }) {
  const api = useApi();
  const [load, reload] = useLoad(planId, async (signal): Promise<PrintData> => {
    const [plan, health] = await Promise.all([
      api.getPlan(planId, { signal }),
      api.getHealth(planId, { signal }),
    ]);
    return { plan, health };
  });
  // The document title is the file name "Save as PDF" suggests.
  useDocumentTitle(load.state === 'ready' ? `${load.data.plan.title} (print)` : 'Print');

  return (
    <div className="cs-print">
      <div className="cs-print-toolbar">
        <Link href={planHref(planId)}>Back to the plan</Link>
        {load.state === 'ready' && (
          <>
            <Button appearance="primary" onClick={() => window.print()}>
              Print
            </Button>
            <Text size={200}>
              One page, Letter or A4. For a PDF, choose "Save as PDF" in the print dialog.
            </Text>
          </>
        )}
      </div>
      {load.state === 'loading' && <Text role="status">Loading the plan…</Text>}
      {load.state === 'failed' && (
        <>
          <Title1 as="h1">{load.error.status === 404 ? 'Plan not found' : 'Print'}</Title1>
          <ProblemBar error={load.error} title="The plan could not be loaded" />
          {load.error.status !== 404 && <Button onClick={reload}>Try again</Button>}
        </>
      )}
      {load.state === 'ready' && (
        // Scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it too.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="cs-print-paper" aria-label="The plan as printed" tabIndex={0}>
          <PrintSheet plan={load.data.plan} health={load.data.health} />
        </section>
      )}
    </div>
  );
}
