import {
  EVALUATION_ROLES,
  LIMITS,
  MOTIONS,
  PLAN_STATUSES,
  type QualificationAnswers,
  WEEKDAYS,
} from '@cosell/shared';
import { Checkbox, Field, Radio, RadioGroup } from '@fluentui/react-components';
import { fullName } from '../format';
import { CRM_SYSTEM_LABELS, MOTION_LABELS, STATUS_LABELS, WEEKDAY_LABELS } from '../labels';
import type { HeaderDraft } from './drafts';
import { CheckField, PathMessage, SelectField, TextField, useFieldStyles } from './fields';
import type { FormProps } from './form-props';

const INVOLVEMENT_LABELS: Record<QualificationAnswers['partnerInvolvement'], string> = {
  sourced: 'Partner-sourced',
  influenced: 'Partner-influenced',
  'referral-only': 'Referral at lead stage only',
  none: 'Vendor-only',
};

const EVALUATION_ROLE_LABELS: Record<(typeof EVALUATION_ROLES)[number], string> = {
  'technical-credibility': 'Technical credibility',
  'customer-reference': 'Customer reference',
  'integration-validation': 'Integration validation',
  'services-delivery': 'Services delivery',
};

const CRM_SYSTEMS = ['salesforce', 'hubspot', 'dynamics365', 'other'] as const;

/** Title, status, motion, the CRM deal, the qualifier's answers and the weekly cadence. */
export function HeaderForm({ draft, setDraft, plan }: FormProps<HeaderDraft>) {
  const styles = useFieldStyles();
  const set = (patch: Partial<HeaderDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setDeal = (patch: Partial<HeaderDraft['deal']>) =>
    setDraft((d) => ({ ...d, deal: { ...d.deal, ...patch } }));
  const setQ = (patch: Partial<HeaderDraft['qualification']>) =>
    setDraft((d) => ({ ...d, qualification: { ...d.qualification, ...patch } }));
  const setCadence = (patch: Partial<HeaderDraft['cadence']>) =>
    setDraft((d) => ({ ...d, cadence: { ...d.cadence, ...patch } }));
  const attendees = plan.people.filter((p) => p.side !== 'buyer');

  return (
    <div className={styles.stack}>
      <div className={styles.grid}>
        <TextField
          label="Title"
          path="title"
          required
          wide
          value={draft.title}
          hint={`Up to ${LIMITS.title} characters`}
          onChange={(title) => set({ title })}
        />
        <SelectField
          label="Status"
          path="status"
          value={draft.status}
          choices={PLAN_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          onChange={(status) => set({ status })}
        />
        <Field label="Motion" hint="A mutual action plan has no partner side: partner parts are hidden.">
          <RadioGroup
            value={draft.motion}
            data-path="motion"
            onChange={(_, data) => {
              const motion = MOTIONS.find((m) => m === data.value);
              if (motion) set({ motion });
            }}
          >
            {MOTIONS.map((m) => (
              <Radio key={m} value={m} label={MOTION_LABELS[m]} />
            ))}
          </RadioGroup>
        </Field>
      </div>

      <fieldset className={styles.row}>
        <legend className={styles.legend}>CRM deal</legend>
        <CheckField
          label="Linked to a deal in the CRM"
          path="crmDeal"
          checked={draft.deal.enabled}
          onChange={(enabled) => setDeal({ enabled })}
        />
        {draft.deal.enabled && (
          <div className={styles.grid}>
            <SelectField
              label="CRM"
              path="crmDeal.system"
              value={draft.deal.system}
              choices={CRM_SYSTEMS.map((s) => ({ value: s, label: CRM_SYSTEM_LABELS[s] }))}
              onChange={(system) => setDeal({ system })}
            />
            <TextField
              label="Deal id"
              path="crmDeal.id"
              required
              value={draft.deal.id}
              onChange={(id) => setDeal({ id })}
            />
            <TextField
              label="Deal link"
              path="crmDeal.url"
              type="url"
              placeholder="https://"
              hint="An https:// address of the deal in the CRM"
              value={draft.deal.url}
              onChange={(url) => setDeal({ url })}
            />
            <TextField
              label="Amount"
              path="crmDeal.amount"
              inputMode="decimal"
              value={draft.deal.amount}
              onChange={(amount) => setDeal({ amount })}
            />
            <TextField
              label="Currency"
              path="crmDeal.currency"
              placeholder="USD"
              value={draft.deal.currency}
              onChange={(currency) => setDeal({ currency })}
            />
            <TextField
              label="Close date"
              path="crmDeal.closeDate"
              type="date"
              value={draft.deal.closeDate}
              onChange={(closeDate) => setDeal({ closeDate })}
            />
          </div>
        )}
      </fieldset>

      <fieldset className={styles.row}>
        <legend className={styles.legend}>Do you need a co-sell plan?</legend>
        <CheckField
          label="Answer the qualification questions"
          path="qualification"
          checked={draft.qualification.enabled}
          onChange={(enabled) => setQ({ enabled })}
        />
        {draft.qualification.enabled && (
          <div className={styles.grid}>
            <SelectField
              label="Partner involvement"
              path="qualification.partnerInvolvement"
              value={draft.qualification.partnerInvolvement}
              choices={(Object.keys(INVOLVEMENT_LABELS) as QualificationAnswers['partnerInvolvement'][]).map(
                (v) => ({ value: v, label: INVOLVEMENT_LABELS[v] }),
              )}
              onChange={(partnerInvolvement) => setQ({ partnerInvolvement })}
            />
            <TextField
              label="Sales cycle (days)"
              path="qualification.cycleDays"
              required
              inputMode="numeric"
              value={draft.qualification.cycleDays}
              onChange={(cycleDays) => setQ({ cycleDays })}
            />
            <CheckField
              label="The economic outcome is shared with the partner"
              path="qualification.sharedEconomics"
              checked={draft.qualification.sharedEconomics}
              onChange={(sharedEconomics) => setQ({ sharedEconomics })}
            />
            <Field label="The partner's role in the buyer's evaluation" className={styles.wide}>
              <div className={styles.grid}>
                {EVALUATION_ROLES.map((role) => (
                  <Checkbox
                    key={role}
                    label={EVALUATION_ROLE_LABELS[role]}
                    checked={draft.qualification.partnerEvaluationRoles.includes(role)}
                    onChange={(_, data) =>
                      setQ({
                        partnerEvaluationRoles: EVALUATION_ROLES.filter((r) =>
                          r === role
                            ? data.checked === true
                            : draft.qualification.partnerEvaluationRoles.includes(r),
                        ),
                      })
                    }
                  />
                ))}
              </div>
            </Field>
          </div>
        )}
      </fieldset>

      <fieldset className={styles.row}>
        <legend className={styles.legend}>Weekly cadence</legend>
        <CheckField
          label="Review the plan in a weekly 30-minute vendor-partner meeting"
          path="cadence"
          checked={draft.cadence.enabled}
          onChange={(enabled) => setCadence({ enabled })}
        />
        {draft.cadence.enabled && (
          <>
            <div className={styles.grid}>
              <SelectField
                label="Weekday"
                path="cadence.weekday"
                value={draft.cadence.weekday}
                choices={WEEKDAYS.map((w) => ({ value: w, label: WEEKDAY_LABELS[w] }))}
                onChange={(weekday) => setCadence({ weekday })}
              />
              <TextField
                label="Time (24-hour)"
                path="cadence.time"
                type="time"
                value={draft.cadence.time}
                onChange={(time) => setCadence({ time })}
              />
              <TextField
                label="Time zone"
                path="cadence.timeZone"
                placeholder="Europe/London"
                value={draft.cadence.timeZone}
                onChange={(timeZone) => setCadence({ timeZone })}
              />
              <TextField
                label="Starts on"
                path="cadence.startsOn"
                type="date"
                required
                value={draft.cadence.startsOn}
                onChange={(startsOn) => setCadence({ startsOn })}
              />
              <TextField
                label="Ends on"
                path="cadence.endsOn"
                type="date"
                value={draft.cadence.endsOn}
                onChange={(endsOn) => setCadence({ endsOn })}
              />
            </div>
            <Field label="Attendees (the buyer is not invited)">
              {attendees.length === 0 ? (
                <span className={styles.muted}>Name the vendor and partner owners first.</span>
              ) : (
                <div className={styles.grid}>
                  {attendees.map((person) => (
                    <Checkbox
                      key={person.id}
                      label={fullName(person)}
                      checked={draft.cadence.attendeeIds.includes(person.id)}
                      onChange={(_, data) =>
                        setCadence({
                          attendeeIds:
                            data.checked === true
                              ? [...draft.cadence.attendeeIds, person.id]
                              : draft.cadence.attendeeIds.filter((id) => id !== person.id),
                        })
                      }
                    />
                  ))}
                </div>
              )}
            </Field>
            <PathMessage path="cadence.attendeeIds" />
          </>
        )}
      </fieldset>
    </div>
  );
}
