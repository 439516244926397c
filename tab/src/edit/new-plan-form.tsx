import {
  explainIssue,
  LIMITS,
  MOTIONS,
  type Motion,
  type PlanWrite,
  PlanWrite as PlanWriteSchema,
} from '@cosell/shared';
import { Button, Field, makeStyles, Radio, RadioGroup, Spinner, tokens } from '@fluentui/react-components';
import { type FormEvent, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { MOTION_LABELS } from '../labels';
import { planHref } from '../routing';
import { type FieldErrors, newId } from './drafts';
import { ErrorsContext, TextField, useFieldStyles } from './fields';
import { errorsOf, formatPath } from './issue-paths';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '720px' },
  buttons: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/** The id of the plan being created: chosen once, so a create sent twice (a retry) makes one plan. */
function newPlanId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : newId('plan');
}

/**
 * A new draft plan: its title, motion and first shared account. The rest is filled in on the plan page,
 * where the new plan opens with its owners editor.
 */
export default function NewPlanForm({ channelId }: { channelId?: string }) {
  const styles = useStyles();
  const fieldStyles = useFieldStyles();
  const api = useApi();
  const [planId] = useState(newPlanId);
  const [accountId] = useState(() => newId('acc'));
  const [title, setTitle] = useState('');
  const [motion, setMotion] = useState<Motion>('co-sell');
  const [accountName, setAccountName] = useState('');
  const [domain, setDomain] = useState('');
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const focusFirstError = (found: FieldErrors) => {
    requestAnimationFrame(() => {
      const fields = formRef.current?.querySelectorAll<HTMLElement>('[data-path]') ?? [];
      Array.from(fields)
        .find((el) => found.has(el.dataset.path ?? ''))
        ?.focus();
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const plan: PlanWrite = {
      id: planId,
      title,
      status: 'draft',
      motion,
      channelIds: channelId ? [channelId] : [],
      accounts: [{ id: accountId, name: accountName, domain }],
      partners: [],
      people: [],
      milestones: [],
      actions: [],
      economics: [],
      escalation: { thresholdDays: LIMITS.stallThresholdDays.default, vendorChain: [], partnerChains: [] },
    };
    const parsed = PlanWriteSchema.safeParse(plan, { error: explainIssue });
    if (!parsed.success) {
      const found = errorsOf(parsed.error.issues.map((i) => [formatPath(i.path), i.message]));
      setErrors(found);
      focusFirstError(found);
      return;
    }
    setErrors(new Map());
    setFailure(undefined);
    setSaving(true);
    try {
      const created = await api.createPlan(parsed.data);
      window.location.hash = `${planHref(created.id)}?edit=owners&created=1`;
    } catch (caught) {
      const error = toApiError(caught);
      if (error.status === 422 && error.errors.length > 0) {
        const found = errorsOf(error.errors.map((e) => [e.path, e.message]));
        setErrors(found);
        focusFirstError(found);
      } else if (error.status === 409) {
        // An earlier try of this same create reached the server: the plan exists, open it.
        window.location.hash = `${planHref(planId)}?edit=header`;
      } else {
        setFailure(error);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <ErrorsContext.Provider value={errors}>
      <form ref={formRef} className={styles.form} onSubmit={(e) => void submit(e)} noValidate>
        {failure && <ProblemBar error={failure} title="The plan was not created" />}
        <TextField
          label="Plan title"
          path="title"
          required
          value={title}
          hint={`What the plan is about, up to ${LIMITS.title} characters`}
          onChange={setTitle}
        />
        <Field label="Motion" hint="A mutual action plan is vendor and buyer only, with no partner side.">
          <RadioGroup
            value={motion}
            onChange={(_, data) => {
              const next = MOTIONS.find((m) => m === data.value);
              if (next) setMotion(next);
            }}
          >
            {MOTIONS.map((m) => (
              <Radio key={m} value={m} label={MOTION_LABELS[m]} />
            ))}
          </RadioGroup>
        </Field>
        <fieldset className={fieldStyles.row}>
          <legend className={fieldStyles.legend}>First shared account</legend>
          <div className={fieldStyles.grid}>
            <TextField
              label="Account name"
              path="accounts[0].name"
              required
              value={accountName}
              onChange={setAccountName}
            />
            <TextField
              label="Web domain"
              path="accounts[0].domain"
              required
              placeholder="contoso.com"
              value={domain}
              onChange={setDomain}
            />
          </div>
        </fieldset>
        <div className={styles.buttons}>
          <Button appearance="primary" type="submit" disabledFocusable={saving}>
            Create plan
          </Button>
          {saving && <Spinner size="tiny" label="Creating…" />}
        </div>
      </form>
    </ErrorsContext.Provider>
  );
}
