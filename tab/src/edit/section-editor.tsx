import { contentOf, describeChanges, explainIssue, type Plan, PlanWrite } from '@cosell/shared';
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { type ComponentType, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { SECTION_LABELS, type SectionKey } from '../plan/section-keys';
import { AccountsForm } from './accounts-form';
import { ActionsForm } from './actions-form';
import { ConflictPanel } from './conflict-panel';
import {
  applyKeepingMine,
  type Drafts,
  type FieldErrors,
  type SectionSpec,
  SPECS,
  sameJson,
  touchesSameFields,
} from './drafts';
import { EconomicsForm } from './economics-form';
import { EscalationForm } from './escalation-form';
import { ErrorsContext } from './fields';
import type { FormProps } from './form-props';
import { HeaderForm } from './header-form';
import { describePath, errorsOf, formatPath } from './issue-paths';
import { MilestonesForm } from './milestones-form';
import { OwnersForm } from './owners-form';

/*
 * The editor of one section of the plan page. It keeps the person's draft until it is saved or they
 * choose to drop it; saves the whole plan with If-Match; shows a rule the plan breaks at the field, from
 * the shared schema before sending or from the server's 422; and on 412 shows what changed on both sides.
 */

export interface SectionEditorProps {
  section: SectionKey;
  /** The plan as it was when the editor opened: "what changed since" is measured from it. */
  base: Plan;
  /** The plan as the page knows it now. */
  latest: Plan;
  onSaved(plan: Plan, changes: string[]): void;
  /** The person dropped their draft for the plan someone else saved. */
  onTakeTheirs(current: Plan): void;
  onCancel(): void;
}

const FORMS: { [K in SectionKey]: ComponentType<FormProps<Drafts[K]>> } = {
  header: HeaderForm,
  accounts: AccountsForm,
  owners: OwnersForm,
  milestones: MilestonesForm,
  actions: ActionsForm,
  economics: EconomicsForm,
  escalation: EscalationForm,
};

export default function SectionEditor(props: SectionEditorProps) {
  return <EditorFor {...props} section={props.section} />;
}

function EditorFor<K extends SectionKey>(props: SectionEditorProps & { section: K }) {
  const spec = SPECS[props.section] as SectionSpec<Drafts[K]>;
  const Form = FORMS[props.section] as ComponentType<FormProps<Drafts[K]>>;
  return <EditorFrame spec={spec} Form={Form} {...props} />;
}

type Phase =
  | { kind: 'editing' }
  | { kind: 'saving' }
  | { kind: 'conflict'; current: Plan; busy: boolean }
  | { kind: 'failed'; error: ApiError };

const useStyles = makeStyles({
  editor: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  buttons: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  summary: { outlineOffset: '2px' },
  summaryList: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

function EditorFrame<D>({
  section,
  spec,
  Form,
  base,
  latest,
  onSaved,
  onTakeTheirs,
  onCancel,
}: SectionEditorProps & { spec: SectionSpec<D>; Form: ComponentType<FormProps<D>> }) {
  const styles = useStyles();
  const api = useApi();
  const label = SECTION_LABELS[section];
  const [draft, setDraft] = useState<D>(() => spec.fromPlan(base));
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' });
  const formRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [focusTarget, setFocusTarget] = useState<'form' | 'first-error' | 'conflict' | 'failure' | null>(
    'form',
  );

  useEffect(() => {
    if (focusTarget === null) return;
    if (focusTarget === 'conflict') conflictRef.current?.focus();
    else if (focusTarget === 'failure') summaryRef.current?.focus();
    else if (focusTarget === 'first-error') {
      const fields = formRef.current?.querySelectorAll<HTMLElement>('[data-path]') ?? [];
      const first = Array.from(fields).find((el) => errors.has(el.dataset.path ?? ''));
      (first ?? summaryRef.current)?.focus();
    } else {
      formRef.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
    }
    setFocusTarget(null);
  }, [focusTarget, errors]);

  /**
   * Saves the draft into `into`. After a conflict, "Keep mine" saves into the plan someone else saved,
   * with only what this person changed since `base` written over it.
   */
  const save = async (into: Plan, { keepingMine }: { keepingMine: boolean }) => {
    const checkConflict = !keepingMine;
    // This page saved or refreshed the plan since the editor opened: only a change to this section is a conflict.
    if (checkConflict && into.version !== base.version && touchesSameFields(spec, base, into)) {
      setPhase({ kind: 'conflict', current: into, busy: false });
      setFocusTarget('conflict');
      return;
    }
    const applied = keepingMine ? applyKeepingMine(spec, base, into, draft) : spec.apply(into, draft);
    const parsed = PlanWrite.safeParse(applied.plan, { error: explainIssue });
    const problems: [string, string][] = [
      ...applied.errors,
      ...(parsed.success
        ? []
        : parsed.error.issues.map((i): [string, string] => [formatPath(i.path), i.message])),
    ];
    if (problems.length > 0 || !parsed.success) {
      setErrors(errorsOf(problems));
      setPhase((p) => (p.kind === 'conflict' ? { ...p, busy: false } : { kind: 'editing' }));
      setFocusTarget('first-error');
      return;
    }
    setErrors(new Map());
    if (sameJson(contentOf(parsed.data as Plan), contentOf(into))) {
      onSaved(into, []);
      return;
    }
    setPhase((p) => (p.kind === 'conflict' ? { ...p, busy: true } : { kind: 'saving' }));
    try {
      const saved = await api.replacePlan(into.id, parsed.data, into.version);
      onSaved(saved, describeChanges(contentOf(into), contentOf(saved)));
    } catch (caught) {
      const error = toApiError(caught);
      if (error.status === 412 && error.current) {
        setPhase({ kind: 'conflict', current: error.current, busy: false });
        setFocusTarget('conflict');
      } else if (error.status === 422 && error.errors.length > 0) {
        setErrors(errorsOf(error.errors.map((e) => [e.path, e.message])));
        setPhase((p) => (p.kind === 'conflict' ? { ...p, busy: false } : { kind: 'editing' }));
        setFocusTarget('first-error');
      } else {
        setPhase({ kind: 'failed', error });
        setFocusTarget('failure');
      }
    }
  };

  const busy = phase.kind === 'saving' || (phase.kind === 'conflict' && phase.busy);
  const problems = Array.from(errors.entries());

  return (
    <div className={styles.editor}>
      {phase.kind === 'conflict' && (
        <ConflictPanel
          ref={conflictRef}
          savedBy={phase.current.updatedBy}
          savedAt={phase.current.updatedAt}
          theirs={describeChanges(contentOf(base), contentOf(phase.current))}
          mine={describeChanges(contentOf(base), contentOf(spec.apply(base, draft).plan))}
          busy={busy}
          onKeepMine={() => void save(phase.current, { keepingMine: true })}
          onTakeTheirs={() => onTakeTheirs(phase.current)}
        />
      )}
      <div ref={summaryRef} tabIndex={-1} className={styles.summary}>
        {phase.kind === 'failed' && <ProblemBar error={phase.error} title={`${label} was not saved`} />}
        {problems.length > 0 && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                {problems.length === 1 ? 'One thing to fix' : `${problems.length} things to fix`} before
                saving
              </MessageBarTitle>
              <ul className={styles.summaryList}>
                {problems.map(([path, message]) => (
                  <li key={path}>
                    {describePath(path)}: {message}
                  </li>
                ))}
              </ul>
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      <ErrorsContext.Provider value={errors}>
        <div ref={formRef}>
          <Form
            draft={draft}
            setDraft={(update) => setDraft((d) => update(d))}
            plan={phase.kind === 'conflict' ? phase.current : latest}
          />
        </div>
      </ErrorsContext.Provider>
      <div className={styles.buttons}>
        {phase.kind !== 'conflict' && (
          <Button
            appearance="primary"
            disabledFocusable={busy}
            aria-label={`Save ${label}`}
            onClick={() => void save(latest, { keepingMine: false })}
          >
            Save
          </Button>
        )}
        <Button disabledFocusable={busy} aria-label={`Cancel editing ${label}`} onClick={onCancel}>
          Cancel
        </Button>
        {busy && <Spinner size="tiny" label="Saving…" />}
      </div>
    </div>
  );
}
