import { LIMITS } from '@cosell/shared';
import { Button } from '@fluentui/react-components';
import { type AccountDraft, newAccount } from './drafts';
import { AddButton, PathMessage, patched, RowCard, TextField, useFieldStyles } from './fields';
import type { FormProps } from './form-props';

/** The named accounts run together: 1 to 5 (a draft may have none yet). */
export function AccountsForm({ draft, setDraft }: FormProps<AccountDraft[]>) {
  const styles = useFieldStyles();
  const set = (index: number, patch: Partial<AccountDraft>) => setDraft((d) => patched(d, index, patch));
  return (
    <div className={styles.stack}>
      <PathMessage path="accounts" />
      {draft.map((account, i) => (
        <RowCard
          key={account.id}
          legend={`Account ${i + 1}`}
          buttons={
            <Button
              size="small"
              aria-label={`Remove account ${i + 1}${account.name ? `: ${account.name}` : ''}`}
              onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          }
        >
          <TextField
            label="Account name"
            path={`accounts[${i}].name`}
            required
            value={account.name}
            onChange={(name) => set(i, { name })}
          />
          <TextField
            label="Web domain"
            path={`accounts[${i}].domain`}
            required
            placeholder="contoso.com"
            value={account.domain}
            onChange={(domain) => set(i, { domain })}
          />
          <TextField
            label="CRM account id"
            path={`accounts[${i}].crmAccountId`}
            value={account.crmAccountId}
            onChange={(crmAccountId) => set(i, { crmAccountId })}
          />
        </RowCard>
      ))}
      <AddButton
        label="Add account"
        count={draft.length}
        max={LIMITS.accounts.max}
        onAdd={() => setDraft((d) => [...d, newAccount()])}
      />
    </div>
  );
}
