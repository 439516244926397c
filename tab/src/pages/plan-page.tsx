import type { HistoryEntry, JointAction, Operation, Plan } from '@cosell/shared';
import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Title1,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError, PlanHealthReport } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { HealthPanel } from '../plan/health-panel';
import { HistoryList } from '../plan/history-list';
import { PlanHeader } from '../plan/plan-header';
import {
  AccountsSection,
  ActionsSection,
  EconomicsSection,
  EscalationSection,
  MilestonesSection,
  OwnersSection,
} from '../plan/plan-sections';
import { PORTFOLIO_HREF } from '../routing';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

interface PlanData {
  plan: Plan;
  health: PlanHealthReport;
  /** Undefined when the history could not be loaded: the plan is still worth showing. */
  history: HistoryEntry[] | undefined;
}

export function PlanPage({ planId }: { planId: string }) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad(planId, async (signal): Promise<PlanData> => {
    const [plan, health, history] = await Promise.all([
      api.getPlan(planId, { signal }),
      api.getHealth(planId, { signal }),
      api.getHistory(planId, { signal }).then(
        (h) => h.items,
        () => undefined,
      ),
    ]);
    return { plan, health, history };
  });
  useDocumentTitle(load.state === 'ready' ? load.data.plan.title : 'Plan');

  if (load.state === 'loading') return <Spinner label="Loading the plan…" />;
  if (load.state === 'failed') {
    return (
      <div className={styles.page}>
        <Link href={PORTFOLIO_HREF}>All plans</Link>
        <Title1 as="h1">{load.error.status === 404 ? 'Plan not found' : 'Plan'}</Title1>
        <ProblemBar error={load.error} title="The plan could not be loaded" />
        {load.error.status !== 404 && (
          <div>
            <Button onClick={reload}>Try again</Button>
          </div>
        )}
      </div>
    );
  }
  return <PlanView initial={load.data} />;
}

type Feedback =
  | { kind: 'none' }
  | { kind: 'saved'; changes: string[] }
  | { kind: 'failed'; what: string; error: ApiError };

function PlanView({ initial }: { initial: PlanData }) {
  const styles = useStyles();
  const api = useApi();
  const [data, setData] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>({ kind: 'none' });
  const { plan, health, history } = data;
  const feedbackRef = useRef<HTMLDivElement>(null);

  // A quick update is often pressed far down the page: bring its failure into view and focus.
  useEffect(() => {
    if (feedback.kind === 'failed') feedbackRef.current?.focus();
  }, [feedback]);

  const update = async (what: string, operations: Operation[]) => {
    if (busy) return;
    setBusy(true);
    setFeedback({ kind: 'none' });
    try {
      const result = await api.applyOperations(plan.id, operations);
      setData((d) => ({
        ...d,
        plan: result.plan,
        // Quick updates never change the qualification answers: keep the advice already shown.
        health: {
          ...result.health,
          planId: result.plan.id,
          version: result.plan.version,
          ...(d.health.qualification ? { qualification: d.health.qualification } : {}),
        },
      }));
      setFeedback({ kind: 'saved', changes: result.changes });
      api.getHistory(plan.id).then(
        (h) => setData((d) => ({ ...d, history: h.items })),
        () => {},
      );
    } catch (error) {
      setFeedback({ kind: 'failed', what, error: toApiError(error) });
    } finally {
      setBusy(false);
    }
  };

  const markDone = (action: JointAction) =>
    void update(`"${action.description}" was not marked done`, [
      { op: 'complete-action', actionId: action.id },
    ]);
  const recordReview = () => void update('The weekly review was not recorded', [{ op: 'record-review' }]);
  const isCoSell = plan.motion === 'co-sell';

  return (
    <div className={styles.page}>
      <PlanHeader plan={plan} busy={busy} onRecordReview={recordReview} />
      {/* Fluent's MessageBar announces itself to screen readers. */}
      <div ref={feedbackRef} tabIndex={-1}>
        {feedback.kind === 'failed' && <ProblemBar error={feedback.error} title={feedback.what} />}
        {feedback.kind === 'saved' && (
          <MessageBar intent={feedback.changes.length > 0 ? 'success' : 'info'} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{feedback.changes.length > 0 ? 'Saved' : 'Nothing to change'}</MessageBarTitle>
              {feedback.changes.length > 0 ? feedback.changes.join('. ') : 'The plan was already up to date.'}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      <HealthPanel plan={plan} health={health} />
      <AccountsSection plan={plan} health={health} />
      <OwnersSection plan={plan} />
      <MilestonesSection plan={plan} today={health.today} />
      <ActionsSection plan={plan} today={health.today} busy={busy} onMarkDone={markDone} />
      {isCoSell && <EconomicsSection plan={plan} />}
      <EscalationSection plan={plan} />
      <HistoryList entries={history} />
    </div>
  );
}
