import { type Plan, WEEKDAY_LABELS, WEEKDAYS } from '@cosell/shared';
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { DownloadButton } from '../exports/plan-export-links';
import { formatDate, formatDateTime } from '../format';
import { Section, useSectionStyles } from '../plan/section';
import {
  type CadenceInputData,
  type CadenceStateData,
  cancelCadence,
  getCadence,
  type SlotAnswer,
  setCadence,
  suggestSlot,
} from '../review/review-api';

/*
 * The weekly meeting of a plan (SPEC §5, issue 7): weekday, time, IANA time zone, first day, end (the
 * deal's close date, or none), attendees (the plan's vendor and partner people; never the buyer), a slot
 * free for the vendor attendees where Outlook can tell, and the series as an .ics file. Saving books the
 * series or reschedules it; "Cancel the meeting" cancels it. Mount it on the plan page with the plan:
 * `<CadencePanel plan={plan} />` (it loads the cadence itself).
 */

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  attendees: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    border: 'none',
    margin: 0,
    padding: 0,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function zones(): string[] {
  try {
    return (
      (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ??
      []
    );
  } catch {
    return [];
  }
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

type CadencePlan = Pick<Plan, 'id' | 'people' | 'crmDeal' | 'status'>;

export function CadencePanel({ plan }: { plan: CadencePlan }) {
  const api = useApi();
  const [load, reload] = useLoad(`cadence:${plan.id}`, (signal) => getCadence(api, plan.id, { signal }));
  return (
    <Section id="cadence" title="Weekly meeting">
      {load.state === 'loading' && <Spinner size="small" label="Loading the weekly meeting…" />}
      {load.state === 'failed' && (
        <>
          <ProblemBar error={load.error} title="The weekly meeting could not be loaded" />
          <div>
            <Button onClick={reload}>Try again</Button>
          </div>
        </>
      )}
      {load.state === 'ready' && (
        <CadenceForm key={`${load.data.planVersion}`} plan={plan} state={load.data} />
      )}
    </Section>
  );
}

function CadenceForm({ plan, state: initial }: { plan: CadencePlan; state: CadenceStateData }) {
  const api = useApi();
  const styles = useStyles();
  const sectionStyles = useSectionStyles();
  const ids = { zones: `zones${useId()}` };
  const [state, setState] = useState(initial);
  const settings = state.settings;
  const closeDate = plan.crmDeal?.closeDate;
  const [weekday, setWeekday] = useState<(typeof WEEKDAYS)[number]>(settings?.weekday ?? 'tuesday');
  const [time, setTime] = useState(settings?.time ?? '16:00');
  const [timeZone, setTimeZone] = useState(settings?.timeZone ?? browserZone());
  const [startsOn, setStartsOn] = useState(settings?.startsOn ?? todayIso());
  const [ends, setEnds] = useState<'close' | 'none'>(
    settings ? (settings.endsOn ? 'close' : 'none') : closeDate ? 'close' : 'none',
  );
  const [attendeeIds, setAttendeeIds] = useState<string[]>(state.attendeeIds);
  const [busy, setBusy] = useState<'save' | 'cancel' | 'slot' | undefined>();
  const [error, setError] = useState<{ what: string; error: ApiError } | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [slot, setSlot] = useState<SlotAnswer | undefined>();
  const people = plan.people.filter((p) => p.side !== 'buyer');
  const booked = state.booking?.state === 'booked';
  const closed = plan.status === 'won' || plan.status === 'lost' || plan.status === 'paused';

  const run = async (
    kind: 'save' | 'cancel',
    what: string,
    work: () => Promise<CadenceStateData>,
    message: string,
  ) => {
    setBusy(kind);
    setError(undefined);
    setSaved(undefined);
    try {
      setState(await work());
      setSaved(message);
    } catch (e) {
      setError({ what, error: toApiError(e) });
    } finally {
      setBusy(undefined);
    }
  };

  const input = (): CadenceInputData => ({
    weekday,
    time,
    timeZone: timeZone.trim(),
    startsOn,
    endsOn: ends === 'close' && closeDate ? closeDate : null,
    attendeeIds,
  });

  const askSlot = async () => {
    setBusy('slot');
    setSlot(undefined);
    try {
      setSlot(await suggestSlot(api, plan.id, timeZone.trim(), attendeeIds));
    } catch (e) {
      setError({ what: 'No slot could be looked for', error: toApiError(e) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className={styles.form}>
      {state.series ? (
        <Text>
          {state.series.description}.{' '}
          {state.series.carriesCurrentPlan
            ? 'The invite carries the current plan.'
            : 'The invites of the next 24 hours are brought up to date before each meeting.'}
        </Text>
      ) : (
        <Text className={sectionStyles.muted}>
          {state.booking?.state === 'cancelled'
            ? 'The weekly meeting is cancelled.'
            : 'No weekly meeting is booked yet. The vendor and partner teams meet 30 minutes every week; the buyer is not invited.'}
        </Text>
      )}
      {state.booking?.lastError && (
        <MessageBar intent="warning">
          <MessageBarBody>{state.booking.lastError}</MessageBarBody>
        </MessageBar>
      )}
      {state.nextMeetings.length > 0 && (
        <Text size={200} className={sectionStyles.muted}>
          Next: {state.nextMeetings.map((m) => formatDateTime(m.start)).join(' · ')}
        </Text>
      )}
      <div className={styles.row}>
        <Field label="Weekday">
          <Select value={weekday} onChange={(_e, d) => setWeekday(d.value as (typeof WEEKDAYS)[number])}>
            {WEEKDAYS.map((w) => (
              <option key={w} value={w}>
                {WEEKDAY_LABELS[w]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Time (24-hour)">
          <Input type="time" value={time} onChange={(_e, d) => setTime(d.value)} />
        </Field>
        <Field label="Time zone" hint="IANA name, e.g. Europe/Berlin">
          <Input value={timeZone} list={ids.zones} onChange={(_e, d) => setTimeZone(d.value)} />
        </Field>
        <Field label="First week from">
          <Input type="date" value={startsOn} onChange={(_e, d) => setStartsOn(d.value)} />
        </Field>
      </div>
      <datalist id={ids.zones}>
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field label="Ends">
        <RadioGroup
          value={ends}
          onChange={(_e, d) => setEnds(d.value as 'close' | 'none')}
          layout="horizontal"
        >
          <Radio
            value="close"
            disabled={!closeDate}
            label={
              closeDate
                ? `On the deal's close date (${formatDate(closeDate)})`
                : "On the deal's close date (none set)"
            }
          />
          <Radio value="none" label="No end date" />
        </RadioGroup>
      </Field>
      <fieldset className={styles.attendees}>
        <legend className={styles.legend}>Attendees</legend>
        {people.map((p) => (
          <Checkbox
            key={p.id}
            checked={attendeeIds.includes(p.id)}
            onChange={(_e, d) =>
              setAttendeeIds((current) =>
                d.checked ? [...current, p.id] : current.filter((id) => id !== p.id),
              )
            }
            label={`${p.firstName} ${p.lastName} (${p.side === 'vendor' ? 'vendor' : 'partner'}, ${p.email})`}
          />
        ))}
      </fieldset>
      <Text size={200} className={sectionStyles.muted}>
        {state.inviteShowsEconomics.kind === 'all'
          ? 'The invite shows the economics: every attendee is on the vendor side.'
          : state.inviteShowsEconomics.kind === 'partner'
            ? `The invite shows the economics with ${state.inviteShowsEconomics.partnerName} only.`
            : 'The invite shows no economics: attendees from several partners may not see each other’s terms.'}
      </Text>
      <div className={styles.actions}>
        <Button onClick={askSlot} disabled={busy !== undefined}>
          {busy === 'slot' ? 'Looking…' : 'Suggest a free slot'}
        </Button>
        {slot?.available && (
          <>
            <Text>
              Free for the vendor attendees: {WEEKDAY_LABELS[slot.slot.weekday]}s at {slot.slot.time} (
              {slot.slot.timeZone}), from {formatDate(slot.slot.startsOn)}.
            </Text>
            <Button
              appearance="subtle"
              onClick={() => {
                setWeekday(slot.slot.weekday);
                setTime(slot.slot.time);
                setTimeZone(slot.slot.timeZone);
                setStartsOn(slot.slot.startsOn);
              }}
            >
              Use this slot
            </Button>
          </>
        )}
        {slot && !slot.available && <Text role="status">{slot.reason}</Text>}
      </div>
      <div role="status">
        {saved && (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Saved</MessageBarTitle>
              {saved}
            </MessageBarBody>
          </MessageBar>
        )}
      </div>
      {error && <ProblemBar error={error.error} title={error.what} />}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabled={busy !== undefined || closed}
          onClick={() =>
            run(
              'save',
              'The weekly meeting was not saved',
              () => setCadence(api, plan.id, input()),
              state.capabilities.sendsInvitations
                ? 'The invitations are on their way.'
                : 'Download the .ics file to put the series in the calendars.',
            )
          }
        >
          {busy === 'save' ? 'Saving…' : booked ? 'Save changes' : 'Book the weekly meeting'}
        </Button>
        {booked && (
          <Button
            disabled={busy !== undefined}
            onClick={() =>
              run(
                'cancel',
                'The weekly meeting was not cancelled',
                () => cancelCadence(api, plan.id),
                'The weekly meeting is cancelled.',
              )
            }
          >
            {busy === 'cancel' ? 'Cancelling…' : 'Cancel the meeting'}
          </Button>
        )}
        {state.icsUrl && (
          <DownloadButton
            path={`/plans/${encodeURIComponent(plan.id)}/cadence.ics`}
            label="Download .ics"
            what="calendar file"
          />
        )}
      </div>
      {closed && (
        <Text className={sectionStyles.muted}>The plan is {plan.status}: it has no weekly meeting.</Text>
      )}
    </div>
  );
}
