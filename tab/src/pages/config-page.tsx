import type { Motion, PlanSummary } from '@cosell/shared';
import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  Title1,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiClient, ApiError } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { plural } from '../format';
import { type Host, placeIdOf, type TabInstanceConfig } from '../host/teams-host';
import { TeamsPlace } from '../host/teams-place';
import { MOTION_LABELS, STATUS_LABELS } from '../labels';
import { channelChanges, channelTabConfig, draftPlan, newPlanId } from '../portfolio/channel-config';
import { useFormStyles } from '../portfolio/form-styles';
import { portfolioHref, useHash } from '../routing';

/*
 * The channel tab's configuration page (Teams frame context `settings`): pick the plans this channel
 * shows, or create one. Teams' own Save button saves; outside Teams the page has its own, and a field
 * for the channel id, so the same flow can be tried in a browser.
 */

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '760px' },
  intro: { margin: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  plans: { listStyleType: 'none', margin: 0, padding: 0 },
  plan: { borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  planLabel: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} 0`,
    cursor: 'pointer',
  },
  planBox: { marginTop: '3px' },
  planText: { display: 'flex', flexDirection: 'column' },
  planTitle: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  createForm: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalL,
  },
  titleField: { flexGrow: 1, minWidth: '260px' },
  radios: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    border: 'none',
    margin: 0,
    padding: 0,
  },
  channelField: { maxWidth: '420px' },
  saveRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

function channelFromHash(hash: string): string {
  return new URLSearchParams(hash.split('?')[1] ?? '').get('channel') ?? '';
}

type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved'; config: TabInstanceConfig; changed: number }
  | { state: 'failed'; error: ApiError };

/** Every plan the person sees (page after page: a vendor's plans fit in a few pages of 100). */
async function listAllPlans(api: ApiClient, channel: string | undefined, signal: AbortSignal) {
  const plans: PlanSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listPlans(
      { limit: 100, ...(channel ? { channel } : {}), ...(cursor ? { cursor } : {}) },
      { signal },
    );
    plans.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return plans;
}

export function ConfigPage({ host }: { host: Host }) {
  const styles = useStyles();
  const form = useFormStyles();
  const api = useApi();
  const id = useId();
  useDocumentTitle('Choose the plans for this channel');
  const hash = useHash();
  const [typedChannel, setTypedChannel] = useState(() => channelFromHash(hash));
  const channelId = (host.kind === 'teams' ? placeIdOf(host) : typedChannel.trim()) ?? '';
  const channelName = host.kind === 'teams' ? host.channelName : undefined;

  const [all, reloadAll] = useLoad('config:all', (signal) => listAllPlans(api, undefined, signal));
  const [linkedLoad, reloadLinked] = useLoad(`config:linked:${channelId}`, (signal) =>
    channelId ? listAllPlans(api, channelId, signal) : Promise.resolve([]),
  );
  const linked = useMemo(
    () => new Set(linkedLoad.state === 'ready' ? linkedLoad.data.map((p) => p.id) : []),
    [linkedLoad],
  );
  // The person's ticks on top of what is linked now; cleared when the channel changes or after a save.
  const [ticks, setTicks] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [tickedFor, setTickedFor] = useState(channelId);
  if (tickedFor !== channelId) {
    setTickedFor(channelId);
    setTicks(new Map());
  }
  const picked = useMemo(() => {
    const ids = new Set(linked);
    for (const [planId, on] of ticks) {
      if (on) ids.add(planId);
      else ids.delete(planId);
    }
    return ids;
  }, [linked, ticks]);
  const ready = all.state === 'ready' && linkedLoad.state === 'ready';
  const canSave = ready && channelId !== '' && picked.size > 0;

  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const saveWork = async (): Promise<TabInstanceConfig> => {
    if (!channelId) throw new Error('There is no channel to show the plans in.');
    setSave({ state: 'saving' });
    try {
      const changes = channelChanges(linked, picked, channelId, channelName);
      await Promise.all(changes.map((c) => api.applyOperations(c.planId, [c.operation])));
      const config = channelTabConfig(window.location.origin, channelId);
      setSave({ state: 'saved', config, changed: changes.length });
      setTicks(new Map());
      reloadLinked();
      return config;
    } catch (error) {
      const problem = toApiError(error);
      setSave({ state: 'failed', error: problem });
      throw problem;
    }
  };
  // Teams calls the save handler registered last; it must see the latest picks.
  const saveRef = useRef(saveWork);
  saveRef.current = saveWork;

  // In Teams' configuration dialog, Teams' own Save button saves; anywhere else, the page's.
  const tabConfig = host.kind === 'teams' ? host.config : undefined;
  useEffect(() => {
    tabConfig?.onSave(() => saveRef.current());
  }, [tabConfig]);
  useEffect(() => {
    tabConfig?.setValid(canSave);
  }, [tabConfig, canSave]);

  const toggle = (planId: string, on: boolean) => setTicks((t) => new Map(t).set(planId, on));

  return (
    <div className={styles.page}>
      <Title1 as="h1">Choose the plans for this channel</Title1>
      {host.kind === 'teams' ? (
        <>
          <TeamsPlace host={host} />
          {!channelId && (
            <MessageBar intent="warning">
              <MessageBarBody>Teams did not say which channel or chat this tab is in.</MessageBarBody>
            </MessageBar>
          )}
        </>
      ) : (
        <>
          <p className={styles.intro}>
            Teams shows this page when someone adds the Co-Sell Plan tab to a channel: they pick the plans the
            channel shows, or create one. Outside Teams you can try it with any channel id.
          </p>
          <div className={mergeClasses(form.field, styles.channelField)}>
            <label htmlFor={`${id}-channel`} className={form.label}>
              Channel id
            </label>
            <input
              id={`${id}-channel`}
              className={form.control}
              value={typedChannel}
              placeholder="19:…@thread.tacv2"
              onChange={(e) => setTypedChannel(e.currentTarget.value)}
            />
          </div>
        </>
      )}

      <section className={styles.section} aria-labelledby={`${id}-pick`}>
        <h2 id={`${id}-pick`} className={styles.h2}>
          Plans
        </h2>
        <PlanPicker
          all={all.state === 'ready' ? all.data : undefined}
          loadError={
            all.state === 'failed' ? all.error : linkedLoad.state === 'failed' ? linkedLoad.error : undefined
          }
          onRetry={() => {
            reloadAll();
            reloadLinked();
          }}
          picked={ready ? picked : undefined}
          onToggle={toggle}
          disabled={!channelId}
        />
      </section>

      {channelId && (
        <CreatePlan
          channelId={channelId}
          onCreated={() => {
            reloadAll();
            reloadLinked();
          }}
        />
      )}

      {save.state === 'failed' && <ProblemBar error={save.error} title="The channel could not be saved" />}
      {tabConfig ? (
        <Text>
          {canSave
            ? 'Select Save to show these plans in the channel.'
            : 'Pick at least one plan, then select Save.'}
        </Text>
      ) : (
        <div className={styles.saveRow}>
          <Button
            appearance="primary"
            disabled={!canSave || save.state === 'saving'}
            onClick={() => void saveWork().catch(() => {})}
          >
            {save.state === 'saving' ? 'Saving…' : 'Save'}
          </Button>
          {save.state === 'saved' && (
            <Text role="status">
              Saved ({plural(save.changed, 'change')}). In Teams this tab opens{' '}
              <Link href={portfolioHref(channelId)}>{save.config.contentUrl}</Link>.
            </Text>
          )}
        </div>
      )}
    </div>
  );
}

function PlanPicker({
  all,
  loadError,
  onRetry,
  picked,
  onToggle,
  disabled,
}: {
  all: PlanSummary[] | undefined;
  loadError: ApiError | undefined;
  onRetry: () => void;
  picked: ReadonlySet<string> | undefined;
  onToggle: (planId: string, on: boolean) => void;
  disabled: boolean;
}) {
  const styles = useStyles();
  const form = useFormStyles();
  if (loadError) {
    return (
      <>
        <ProblemBar error={loadError} title="The plans could not be loaded" />
        <div>
          <Button onClick={onRetry}>Try again</Button>
        </div>
      </>
    );
  }
  if (!all || !picked) return <Spinner label="Loading plans…" />;
  if (all.length === 0) return <Text>There are no plans yet: create the first one below.</Text>;
  return (
    <fieldset className={styles.fieldset} disabled={disabled}>
      <legend className={styles.legend}>
        Pick the plans this channel shows ({picked.size} of {all.length} picked)
      </legend>
      <ul className={styles.plans}>
        {all.map((plan) => (
          <li key={plan.id} className={styles.plan}>
            <label className={styles.planLabel}>
              <input
                type="checkbox"
                className={mergeClasses(form.checkbox, styles.planBox)}
                checked={picked.has(plan.id)}
                onChange={(e) => onToggle(plan.id, e.currentTarget.checked)}
              />
              <span className={styles.planText}>
                <span className={styles.planTitle}>{plan.title}</span>
                <span className={styles.muted}>
                  {[
                    STATUS_LABELS[plan.status],
                    MOTION_LABELS[plan.motion],
                    plan.accounts.map((a) => a.name).join(', ') || 'no accounts yet',
                  ].join(' · ')}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

type CreateState =
  | { state: 'idle' }
  | { state: 'creating' }
  | { state: 'created'; title: string }
  | { state: 'failed'; error: ApiError };

function CreatePlan({ channelId, onCreated }: { channelId: string; onCreated: () => void }) {
  const styles = useStyles();
  const form = useFormStyles();
  const api = useApi();
  const id = useId();
  const [title, setTitle] = useState('');
  const [motion, setMotion] = useState<Motion>('co-sell');
  // Kept across attempts: a create retried after a lost answer finds the plan instead of making two.
  const [planId, setPlanId] = useState(newPlanId);
  const [state, setState] = useState<CreateState>({ state: 'idle' });

  const create = async () => {
    setState({ state: 'creating' });
    try {
      const plan = await api.createPlan(draftPlan({ id: planId, title, motion, channelId }));
      setState({ state: 'created', title: plan.title });
      setTitle('');
      setPlanId(newPlanId());
      onCreated();
    } catch (error) {
      setState({ state: 'failed', error: toApiError(error) });
    }
  };

  return (
    <section className={styles.section} aria-labelledby={`${id}-create`}>
      <h2 id={`${id}-create`} className={styles.h2}>
        Or create a plan
      </h2>
      <form
        className={styles.createForm}
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <div className={mergeClasses(form.field, styles.titleField)}>
          <label htmlFor={`${id}-title`} className={form.label}>
            Title
          </label>
          <input
            id={`${id}-title`}
            className={form.control}
            value={title}
            required
            maxLength={100}
            placeholder="Account — what you sell together"
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        </div>
        <fieldset className={styles.radios}>
          <legend className={form.label}>Kind of plan</legend>
          {(['co-sell', 'map'] as const).map((m) => (
            <label key={m} className={form.check}>
              <input
                type="radio"
                name={`${id}-motion`}
                className={form.checkbox}
                checked={motion === m}
                onChange={() => setMotion(m)}
              />
              {MOTION_LABELS[m]}
            </label>
          ))}
        </fieldset>
        <Button type="submit" disabled={title.trim() === '' || state.state === 'creating'}>
          {state.state === 'creating' ? 'Creating…' : 'Create plan'}
        </Button>
      </form>
      {state.state === 'created' && (
        <Text role="status">Created “{state.title}”: it is picked for this channel.</Text>
      )}
      {state.state === 'failed' && <ProblemBar error={state.error} title="The plan could not be created" />}
    </section>
  );
}
