import { LIMITS, MILESTONE_STATUSES } from '@cosell/shared';
import { Button } from '@fluentui/react-components';
import { formatDate } from '../format';
import { MILESTONE_STATUS_LABELS } from '../labels';
import { type MilestoneDraft, newMilestone } from './drafts';
import { AddButton, PathMessage, patched, RowCard, SelectField, TextField, useFieldStyles } from './fields';
import { type FormProps, personChoices } from './form-props';

/** What must happen by when, on the buyer's calendar: up to 8. */
export function MilestonesForm({ draft, setDraft, plan }: FormProps<MilestoneDraft[]>) {
  const styles = useFieldStyles();
  const set = (index: number, patch: Partial<MilestoneDraft>) => setDraft((d) => patched(d, index, patch));
  const accounts = [
    { value: '', label: 'The whole plan' },
    ...plan.accounts.map((a) => ({ value: a.id, label: a.name })),
  ];
  const defaultOwner = plan.people.find((p) => p.side === 'buyer')?.id ?? plan.people[0]?.id ?? '';
  return (
    <div className={styles.stack}>
      {plan.people.length === 0 && (
        <p className={styles.muted}>A milestone has an owner: name the owners on each side first.</p>
      )}
      <PathMessage path="milestones" />
      {draft.map((milestone, i) => (
        <RowCard
          key={milestone.id}
          legend={`Milestone ${i + 1}`}
          buttons={
            <Button
              size="small"
              aria-label={`Remove milestone ${i + 1}${milestone.title ? `: ${milestone.title}` : ''}`}
              onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          }
        >
          <TextField
            label="Milestone"
            path={`milestones[${i}].title`}
            required
            wide
            value={milestone.title}
            onChange={(title) => set(i, { title })}
          />
          <TextField
            label="Due on the buyer's calendar"
            path={`milestones[${i}].due`}
            type="date"
            required
            value={milestone.due}
            hint={milestone.lastMove ? `Moved from ${formatDate(milestone.lastMove.from)}` : undefined}
            onChange={(due) => set(i, { due })}
          />
          <SelectField
            label="Owner"
            path={`milestones[${i}].ownerId`}
            required
            value={milestone.ownerId}
            choices={[
              ...(milestone.ownerId === '' ? [{ value: '', label: 'Choose an owner' }] : []),
              ...personChoices(plan, plan.people, milestone.ownerId),
            ]}
            onChange={(ownerId) => set(i, { ownerId })}
          />
          <SelectField
            label="Status"
            path={`milestones[${i}].status`}
            value={milestone.status}
            choices={MILESTONE_STATUSES.map((s) => ({ value: s, label: MILESTONE_STATUS_LABELS[s] }))}
            onChange={(status) => set(i, { status })}
          />
          <SelectField
            label="Account"
            path={`milestones[${i}].accountId`}
            value={milestone.accountId}
            choices={accounts}
            onChange={(accountId) => set(i, { accountId })}
          />
          <PathMessage path={`milestones[${i}].doneOn`} />
        </RowCard>
      ))}
      <AddButton
        label="Add milestone"
        count={draft.length}
        max={LIMITS.milestones}
        onAdd={() => setDraft((d) => [...d, newMilestone(defaultOwner)])}
      />
    </div>
  );
}
