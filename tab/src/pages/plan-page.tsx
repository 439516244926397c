import type { JointAction, Operation, Plan, PlanField } from '@cosell/shared';
import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  Title1,
  tokens,
} from '@fluentui/react-components';
import {
  Component,
  lazy,
  type ReactNode,
  Suspense,
  startTransition,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { endFirstView, isFirstViewShown } from '../first-view/handoff';
import { HealthPanel } from '../plan/health-panel';
import { HistoryList } from '../plan/history-list';
import { loadPlanData, type PlanData, RECENT_HISTORY, takeEarlyPlanData } from '../plan/plan-data';
import { PlanHeader } from '../plan/plan-header';
import {
  AccountsSection,
  ActionsSection,
  EconomicsSection,
  EscalationSection,
  MilestonesSection,
  OwnersSection,
} from '../plan/plan-sections';
import { Section } from '../plan/section';
import { isSectionKey, SECTION_LABELS, type SectionKey } from '../plan/section-keys';
import { historyHref, PORTFOLIO_HREF, planHref } from '../routing';

// The editors are not needed to read the plan: they load when a person first presses "Edit".
const SectionEditor = lazy(() => import('../edit/section-editor'));
// The weekly meeting's booking form loads its own state, below the plan (issue 7).
const CadencePanel = lazy(() =>
  import('../cadence/cadence-panel').then((m) => ({ default: m.CadencePanel })),
);

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
});

interface Landing {
  /** `?edit=owners` opens that editor: where a new plan lands, and where a link can point. */
  editor?: SectionKey;
  /** `&created=1`: the plan was just created on #/new. */
  created: boolean;
}

function landingInHash(): Landing {
  const query = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const edit = query.get('edit');
  return { ...(isSectionKey(edit) ? { editor: edit } : {}), created: query.get('created') === '1' };
}

export function PlanPage({ planId }: { planId: string }) {
  const styles = useStyles();
  const api = useApi();
  const [landing] = useState(landingInHash);
  const [load, reload] = useLoad(planId, (signal): Promise<PlanData> => {
    const fresh = () => loadPlanData(api, planId, signal);
    // The answer to the request made as the tab started; if that failed, the page asks again itself.
    return takeEarlyPlanData(planId)?.catch(fresh) ?? fresh();
  });
  useDocumentTitle(load.state === 'ready' ? load.data.plan.title : 'Plan');
  // The plan, or why it is missing, replaces the first view in this commit, before the browser paints.
  useLayoutEffect(() => {
    if (load.state !== 'loading') endFirstView();
  }, [load.state]);

  useEffect(() => {
    // The editor opens once; a reload of the page shows the plan as it reads.
    if (landing.editor || landing.created) window.history.replaceState(null, '', planHref(planId));
  }, [landing, planId]);

  if (load.state === 'loading') return <Text role="status">Loading the plan…</Text>;
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
  return <PlanView initial={load.data} landing={landing} />;
}

type Feedback =
  | { kind: 'none' }
  | { kind: 'saved'; changes: string[] }
  | { kind: 'info'; title: string; text: string }
  | { kind: 'failed'; what: string; error: ApiError };

/** Open editors, each with the plan as it was when it opened. */
type Editing = Partial<Record<SectionKey, Plan>>;

function PlanView({ initial, landing }: { initial: PlanData; landing: Landing }) {
  const styles = useStyles();
  const api = useApi();
  const [data, setData] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(() =>
    landing.created
      ? {
          kind: 'info',
          title: 'Plan created as a draft',
          text: "Next, name the owners on each side: the vendor's account executive, the partner and its counterpart, the economic buyer.",
        }
      : { kind: 'none' },
  );
  const [editing, setEditing] = useState<Editing>(() =>
    landing.editor ? { [landing.editor]: initial.plan } : {},
  );
  const { plan, health, history } = data;
  const feedbackRef = useRef<HTMLDivElement>(null);
  const editButtons = useRef<Partial<Record<SectionKey, HTMLElement | null>>>({});
  const [returnFocusTo, setReturnFocusTo] = useState<SectionKey | null>(null);

  // A quick update is often pressed far down the page: bring its failure into view and focus.
  useEffect(() => {
    if (feedback.kind === 'failed') feedbackRef.current?.focus();
  }, [feedback]);

  // A closed editor gives focus back to its "Edit" button, so the keyboard stays where the person was.
  useEffect(() => {
    if (returnFocusTo === null) return;
    editButtons.current[returnFocusTo]?.focus();
    setReturnFocusTo(null);
  }, [returnFocusTo]);

  /** Health and history after a save: completeness and stalls follow every change. */
  const refresh = useCallback(
    (planId: string) => {
      api.getHealth(planId).then(
        (h) =>
          setData((d) => (h.version >= d.health.version && h.planId === d.plan.id ? { ...d, health: h } : d)),
        () => {},
      );
      api.getHistory(planId, { limit: RECENT_HISTORY }).then(
        (h) => setData((d) => ({ ...d, history: h.items })),
        () => {},
      );
    },
    [api],
  );

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
      api.getHistory(plan.id, { limit: RECENT_HISTORY }).then(
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

  const open = (section: SectionKey) => {
    setEditing((e) => (e[section] ? e : { ...e, [section]: plan }));
    setFeedback({ kind: 'none' });
  };
  const close = (section: SectionKey) => {
    setEditing(({ [section]: _closed, ...rest }) => rest);
    setReturnFocusTo(section);
  };
  const saved = (section: SectionKey, next: Plan, changes: string[]) => {
    close(section);
    if (next.version === plan.version && changes.length === 0) {
      setFeedback({
        kind: 'info',
        title: 'Nothing to save',
        text: `${SECTION_LABELS[section]} had no changes.`,
      });
      return;
    }
    setData((d) => ({ ...d, plan: next }));
    setFeedback({ kind: 'saved', changes });
    refresh(next.id);
  };
  const tookTheirs = (section: SectionKey, current: Plan) => {
    close(section);
    setData((d) => ({ ...d, plan: current }));
    setFeedback({
      kind: 'info',
      title: 'You took their version',
      text: `${SECTION_LABELS[section]} shows the plan as it was saved by ${current.updatedBy}; your draft was dropped.`,
    });
    refresh(current.id);
  };

  const editButton = (section: SectionKey) =>
    editing[section] ? undefined : (
      <Button
        size="small"
        ref={(el) => {
          editButtons.current[section] = el;
        }}
        aria-label={`Edit ${SECTION_LABELS[section]}`}
        onClick={() => open(section)}
      >
        {section === 'header' ? 'Edit plan details' : 'Edit'}
      </Button>
    );

  const editor = (section: SectionKey, id: string) => {
    const base = editing[section];
    if (!base) return null;
    return (
      <Section id={id} title={SECTION_LABELS[section]}>
        <EditorBoundary>
          <Suspense fallback={<Text role="status">Loading the editor…</Text>}>
            <SectionEditor
              section={section}
              base={base}
              latest={plan}
              onSaved={(next, changes) => saved(section, next, changes)}
              onTakeTheirs={(current) => tookTheirs(section, current)}
              onCancel={() => close(section)}
            />
          </Suspense>
        </EditorBoundary>
      </Section>
    );
  };

  const fix = (field: PlanField) => open(field);
  // An editor asked for on landing (`?edit=`) is below the first screen too: show everything at once then.
  // …and so is a plan already on screen, drawn by the first view: the page replaces it whole.
  const [replacesFirstView] = useState(isFirstViewShown);
  const restShown = useRestAfterFirstPaint() || Boolean(landing.editor) || replacesFirstView;
  const isCoSell = plan.motion === 'co-sell';

  return (
    <div className={styles.page}>
      <PlanHeader plan={plan} busy={busy} onRecordReview={recordReview} editButton={editButton('header')} />
      {editor('header', 'details')}
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
        {feedback.kind === 'info' && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{feedback.title}</MessageBarTitle>
              {feedback.text}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      <HealthPanel plan={plan} health={health} onFix={fix} />
      {editor('accounts', 'accounts') ?? (
        <AccountsSection plan={plan} health={health} action={editButton('accounts')} />
      )}
      {editor('owners', 'owners') ?? <OwnersSection plan={plan} action={editButton('owners')} />}
      {restShown && (
        <>
          {editor('milestones', 'milestones') ?? (
            <MilestonesSection plan={plan} today={health.today} action={editButton('milestones')} />
          )}
          {editor('actions', 'actions') ?? (
            <ActionsSection
              plan={plan}
              today={health.today}
              busy={busy}
              onMarkDone={markDone}
              action={editButton('actions')}
            />
          )}
          {isCoSell &&
            (editor('economics', 'economics') ?? (
              <EconomicsSection plan={plan} action={editButton('economics')} />
            ))}
          {editor('escalation', 'escalation') ?? (
            <EscalationSection plan={plan} action={editButton('escalation')} />
          )}
          <Suspense fallback={null}>
            <CadencePanel plan={plan} />
          </Suspense>
          <HistoryList entries={history} moreHref={historyHref(plan.id)} />
        </>
      )}
    </div>
  );
}

/**
 * The rest of the page after the first screen has been painted: a person opening a plan sees its top (the
 * title, the health, the accounts and the owners) without waiting for the whole page to render.
 */
function useRestAfterFirstPaint(): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setShown(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return shown;
}

/** A failed editor download (a new release, a dropped connection) says so instead of blanking the page. */
class EditorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <MessageBar intent="error">
          <MessageBarBody>The editor could not be loaded. Reload the page and try again.</MessageBarBody>
        </MessageBar>
      );
    }
    return this.props.children;
  }
}
