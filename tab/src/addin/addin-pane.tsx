import { type IsoDate, type Plan, type PlanSummary, ROLE_LABELS } from '@cosell/shared';
import {
  Button,
  Checkbox,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Select,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AddinApi } from './addin-api';
import {
  AddinProblem,
  type AddPlanResult,
  addPlanToMeeting,
  attendeesToAdd,
  checkRequirements,
  findMeetingPlan,
  type MeetingPlan,
  NOT_A_MEETING_MESSAGE,
  PLAN_ID_TAG,
} from './meeting-plan';
import type { AttendeeMeeting, CurrentItem, OfficeHost, OrganizerMeeting } from './office-host';

/*
 * The task pane of the Outlook add-in (Fluent UI v9). Everything it does to the meeting goes through
 * meeting-plan.ts, and from there through office-host.ts. Plan text is rendered by React as text only.
 */

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    maxWidth: '640px',
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  snapshot: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export interface AddinPaneProps {
  host: OfficeHost;
  item: CurrentItem;
  api: AddinApi;
  today: IsoDate;
  tabOrigin: string;
}

export function AddinPane({ host, item, api, today, tabOrigin }: AddinPaneProps) {
  const styles = useStyles();
  let content: React.ReactNode;
  if (item.kind !== 'meeting') {
    content = <Problem title="No meeting open" message={NOT_A_MEETING_MESSAGE} />;
  } else if (item.meeting.mode === 'organizer') {
    content = (
      <OrganizerPane host={host} meeting={item.meeting} api={api} today={today} tabOrigin={tabOrigin} />
    );
  } else {
    content = <AttendeePane host={host} meeting={item.meeting} api={api} tabOrigin={tabOrigin} />;
  }
  return (
    <main className={styles.pane}>
      <h1 className={styles.heading}>Co-Sell Plan</h1>
      {content}
    </main>
  );
}

function Problem({ title, message, done }: { title: string; message: string; done?: readonly string[] }) {
  const styles = useStyles();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
        {done && done.length > 0 && (
          <>
            <Text block>Already done in the meeting:</Text>
            <ul className={styles.list}>
              {done.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

function problemOf(error: unknown): AddinProblem {
  return error instanceof AddinProblem
    ? error
    : new AddinProblem('service', error instanceof Error ? error.message : String(error));
}

const PROBLEM_TITLES: Record<AddinProblem['kind'], string> = {
  requirement: 'Outlook needs an update',
  'no-meeting': 'No meeting open',
  'no-access': 'No access to this plan',
  'too-large': 'The PDF is too large',
  'not-tagged': 'No plan on this meeting',
  outlook: 'Outlook refused a change',
  service: 'Something went wrong',
  'not-https': 'Not served over https',
};

type Load<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'failed'; problem: AddinProblem };

function SignedInAs({ api }: { api: AddinApi }) {
  const styles = useStyles();
  const [name, setName] = useState<string>();
  useEffect(() => {
    let live = true;
    api.me().then(
      (me) => live && setName(me.displayName),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api]);
  return name ? <Text className={styles.muted}>Signed in as {name}</Text> : null;
}

function OrganizerPane({
  host,
  meeting,
  api,
  today,
  tabOrigin,
}: {
  host: OfficeHost;
  meeting: OrganizerMeeting;
  api: AddinApi;
  today: IsoDate;
  tabOrigin: string;
}) {
  const styles = useStyles();
  const requirement = checkRequirements(host, 'organizer');
  const [plans, setPlans] = useState<Load<PlanSummary[]>>({ state: 'loading' });
  const [planId, setPlanId] = useState('');
  const [plan, setPlan] = useState<Load<Plan> | undefined>();
  const [invite, setInvite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AddPlanResult>();
  const [failure, setFailure] = useState<AddinProblem>();

  useEffect(() => {
    if (requirement) return;
    let live = true;
    Promise.all([api.listPlans(), meeting.loadTags().then((tags) => tags.get(PLAN_ID_TAG))]).then(
      ([list, tagged]) => {
        if (!live) return;
        setPlans({ state: 'ready', data: list });
        if (tagged && list.some((p) => p.id === tagged)) setPlanId(tagged);
      },
      (error: unknown) => live && setPlans({ state: 'failed', problem: problemOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, meeting, requirement]);

  useEffect(() => {
    if (!planId) {
      setPlan(undefined);
      return;
    }
    let live = true;
    setPlan({ state: 'loading' });
    api.getPlan(planId).then(
      (data) => live && setPlan({ state: 'ready', data }),
      (error: unknown) => live && setPlan({ state: 'failed', problem: problemOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, planId]);

  if (requirement) return <Problem title={PROBLEM_TITLES.requirement} message={requirement.message} />;

  async function add() {
    setBusy(true);
    setResult(undefined);
    setFailure(undefined);
    try {
      setResult(
        await addPlanToMeeting({ api, host, meeting, planId, addAttendees: invite, today, tabOrigin }),
      );
    } catch (error) {
      setFailure(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  // The organiser is not invited to their own meeting; people already invited are skipped when adding.
  const invitees = plan?.state === 'ready' ? attendeesToAdd(plan.data, [], host.userEmail()) : [];
  return (
    <>
      <SignedInAs api={api} />
      <Text>
        Put a co-sell plan into this meeting: its one-page summary at the cursor, the PDF attached, and the
        meeting tagged so the plan can be found from it.
      </Text>
      {plans.state === 'loading' && <Spinner size="small" label="Loading your plans…" />}
      {plans.state === 'failed' && (
        <Problem title={PROBLEM_TITLES[plans.problem.kind]} message={plans.problem.message} />
      )}
      {plans.state === 'ready' && plans.data.length === 0 && (
        <Text>You are not on any plan yet. Create one in the Co-Sell Plan tab in Teams.</Text>
      )}
      {plans.state === 'ready' && plans.data.length > 0 && (
        <Field label="Plan">
          <Select value={planId} onChange={(_, data) => setPlanId(data.value)}>
            <option value="">Choose a plan</option>
            {plans.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {plan?.state === 'failed' && (
        <Problem title={PROBLEM_TITLES[plan.problem.kind]} message={plan.problem.message} />
      )}
      {plan?.state === 'ready' && (
        <div className={styles.section}>
          <Checkbox
            checked={invite}
            onChange={(_, data) => setInvite(data.checked === true)}
            label="Invite the plan's vendor and partner people as required attendees (not the buyer)"
          />
          {invite && (
            <ul className={styles.list} aria-label="People to invite">
              {invitees.map((a) => (
                <li key={a.emailAddress}>
                  {a.displayName} ({a.emailAddress})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div>
        <Button appearance="primary" disabled={busy || plan?.state !== 'ready'} onClick={() => void add()}>
          Add to meeting
        </Button>
      </div>
      {busy && <Spinner size="small" label="Adding the plan to the meeting…" />}
      {failure && (
        <Problem title={PROBLEM_TITLES[failure.kind]} message={failure.message} done={failure.done} />
      )}
      {result && <AddedToMeeting result={result} />}
    </>
  );
}

function AddedToMeeting({ result }: { result: AddPlanResult }) {
  const styles = useStyles();
  const kb = Math.max(1, Math.round(result.attachment.bytes / 1024));
  return (
    <MessageBar intent="success" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Added to the meeting</MessageBarTitle>
        <ul className={styles.list}>
          <li>
            The summary of {result.plan.title} was inserted at the cursor
            {result.bodyType === 'text' ? ' (as plain text: the meeting body is plain text)' : ''}.
          </li>
          <li>
            {result.attachment.name} ({kb} kB) was attached.
          </li>
          {result.attendeesAdded.length > 0 && (
            <li>Invited: {result.attendeesAdded.map((a) => a.displayName).join(', ')}.</li>
          )}
          {result.attendeesAdded.length === 0 && result.attendeesAlreadyThere > 0 && (
            <li>The plan's people were already invited.</li>
          )}
          <li>
            The meeting is tagged with the plan (version {result.tag.version}). Send the update to share it.
          </li>
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

function AttendeePane({
  host,
  meeting,
  api,
  tabOrigin,
}: {
  host: OfficeHost;
  meeting: AttendeeMeeting;
  api: AddinApi;
  tabOrigin: string;
}) {
  const [found, setFound] = useState<Load<MeetingPlan>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    findMeetingPlan({ api, host, meeting, tabOrigin }).then(
      (data) => live && setFound({ state: 'ready', data }),
      (error: unknown) => live && setFound({ state: 'failed', problem: problemOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, host, meeting, tabOrigin]);
  if (found.state === 'loading') return <Spinner size="small" label="Finding the plan of this meeting…" />;
  if (found.state === 'failed') {
    return <Problem title={PROBLEM_TITLES[found.problem.kind]} message={found.problem.message} />;
  }
  return <PlanSnapshot plan={found.data.plan} tabUrl={found.data.tabUrl} />;
}

const STATUS_LABELS: Record<Plan['status'], string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  won: 'Won',
  lost: 'Lost',
};

/** The plan as it is now, read-only, with a link to the tab. */
export function PlanSnapshot({ plan, tabUrl }: { plan: Plan; tabUrl: string }) {
  const styles = useStyles();
  const people = new Map(plan.people.map((p) => [p.id, `${p.firstName} ${p.lastName}`]));
  const byDue = <T extends { due: string }>(items: T[]) =>
    [...items].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0)).slice(0, 5);
  const sides = [
    { label: 'Vendor', people: plan.people.filter((p) => p.side === 'vendor') },
    ...plan.partners.map((partner) => ({
      label: partner.name,
      people: plan.people.filter((p) => p.side === 'partner' && p.partnerId === partner.id),
    })),
    { label: 'Buyer', people: plan.people.filter((p) => p.side === 'buyer') },
  ].filter((side) => side.people.length > 0);
  const milestones = byDue(plan.milestones.filter((m) => m.status !== 'done'));
  const actions = byDue(plan.actions.filter((a) => a.status !== 'done'));
  return (
    <article className={styles.snapshot} aria-label="The plan of this meeting">
      <h2 className={styles.heading}>{plan.title}</h2>
      <Text>
        {STATUS_LABELS[plan.status]} · version {plan.version} · read-only here
      </Text>
      <div>
        <Link href={tabUrl} target="_blank" rel="noopener noreferrer">
          Open the plan in Teams
        </Link>
      </div>
      <section className={styles.section} aria-label="Accounts">
        <h3 className={styles.subheading}>Accounts</h3>
        <ul className={styles.list}>
          {plan.accounts.map((a) => (
            <li key={a.id}>{a.name}</li>
          ))}
        </ul>
      </section>
      <section className={styles.section} aria-label="People">
        <h3 className={styles.subheading}>People</h3>
        {sides.map((side) => (
          <div key={side.label}>
            <Text weight="semibold">{side.label}</Text>
            <ul className={styles.list}>
              {side.people.map((p) => (
                <li key={p.id}>
                  {p.firstName} {p.lastName}: {ROLE_LABELS[p.role]}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      <section className={styles.section} aria-label="Next milestones">
        <h3 className={styles.subheading}>Next milestones</h3>
        {milestones.length === 0 ? (
          <Text className={styles.muted}>None open.</Text>
        ) : (
          <ul className={styles.list}>
            {milestones.map((m) => (
              <li key={m.id}>
                {m.due}: {m.title} ({people.get(m.ownerId) ?? 'no owner'})
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className={styles.section} aria-label="Open actions">
        <h3 className={styles.subheading}>Open actions</h3>
        {actions.length === 0 ? (
          <Text className={styles.muted}>None open.</Text>
        ) : (
          <ul className={styles.list}>
            {actions.map((a) => (
              <li key={a.id}>
                {a.due}: {a.description} ({people.get(a.ownerId) ?? 'no owner'})
                {a.status === 'blocked' ? ' — blocked' : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
