import { ACTION_STATUSES, LIMITS } from '@cosell/shared';
import { Button } from '@fluentui/react-components';
import { ACTION_STATUS_LABELS } from '../labels';
import { type ActionDraft, newAction } from './drafts';
import { AddButton, PathMessage, patched, RowCard, SelectField, TextField, useFieldStyles } from './fields';
import { type FormProps, personChoices } from './form-props';

/** What each side does by when: up to 12, owned by someone on the vendor or a partner side. */
export function ActionsForm({ draft, setDraft, plan }: FormProps<ActionDraft[]>) {
  const styles = useFieldStyles();
  const set = (index: number, patch: Partial<ActionDraft>) => setDraft((d) => patched(d, index, patch));
  const doers = plan.people.filter(
    (p) => p.side === 'vendor' || (p.side === 'partner' && plan.motion === 'co-sell'),
  );
  const milestones = [
    { value: '', label: 'No milestone' },
    ...plan.milestones.map((m) => ({ value: m.id, label: m.title })),
  ];
  const accounts = [
    { value: '', label: 'The whole plan' },
    ...plan.accounts.map((a) => ({ value: a.id, label: a.name })),
  ];
  return (
    <div className={styles.stack}>
      {doers.length === 0 && (
        <p className={styles.muted}>
          A joint action is done by someone on the vendor or a partner side: name them first.
        </p>
      )}
      <PathMessage path="actions" />
      {draft.map((action, i) => (
        <RowCard
          key={action.id}
          legend={`Action ${i + 1}`}
          buttons={
            <Button
              size="small"
              aria-label={`Remove action ${i + 1}${action.description ? `: ${action.description}` : ''}`}
              onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          }
        >
          <TextField
            label="Action"
            path={`actions[${i}].description`}
            required
            wide
            value={action.description}
            onChange={(description) => set(i, { description })}
          />
          <SelectField
            label="Owner"
            path={`actions[${i}].ownerId`}
            required
            value={action.ownerId}
            choices={[
              ...(action.ownerId === '' ? [{ value: '', label: 'Choose an owner' }] : []),
              ...personChoices(plan, doers, action.ownerId),
            ]}
            onChange={(ownerId) => set(i, { ownerId })}
          />
          <TextField
            label="Due"
            path={`actions[${i}].due`}
            type="date"
            required
            value={action.due}
            onChange={(due) => set(i, { due })}
          />
          <SelectField
            label="Status"
            path={`actions[${i}].status`}
            value={action.status}
            choices={ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))}
            onChange={(status) => set(i, { status })}
          />
          {action.status === 'blocked' && (
            <TextField
              label="What blocks it"
              path={`actions[${i}].blocker`}
              required
              wide
              value={action.blocker}
              onChange={(blocker) => set(i, { blocker })}
            />
          )}
          <SelectField
            label="For milestone"
            path={`actions[${i}].milestoneId`}
            value={action.milestoneId}
            choices={milestones}
            onChange={(milestoneId) => set(i, { milestoneId })}
          />
          <SelectField
            label="Account"
            path={`actions[${i}].accountId`}
            value={action.accountId}
            choices={accounts}
            onChange={(accountId) => set(i, { accountId })}
          />
          <PathMessage path={`actions[${i}].doneOn`} />
        </RowCard>
      ))}
      <AddButton
        label="Add action"
        count={draft.length}
        max={LIMITS.actions}
        onAdd={() => setDraft((d) => [...d, newAction(doers[0]?.id ?? '')])}
      />
    </div>
  );
}
