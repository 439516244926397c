import { ECONOMIC_KIND_LABELS, ECONOMIC_KINDS, LIMITS } from '@cosell/shared';
import { Button, Field, Radio, RadioGroup } from '@fluentui/react-components';
import {
  type EconomicsMode,
  economicsIndexes,
  newTerm,
  type PartnerEconomicsDraft,
  type TermDraft,
} from './drafts';
import {
  AddButton,
  CheckField,
  PathMessage,
  patched,
  RowCard,
  SelectField,
  TextField,
  useFieldStyles,
} from './fields';
import type { FormProps } from './form-props';

const MODES: { value: EconomicsMode; label: string }[] = [
  { value: 'terms', label: 'The split is written down' },
  { value: 'none', label: 'No shared economics (say why)' },
  { value: 'unwritten', label: 'Not written down yet' },
];

/**
 * The economic split per partner, side by side: up to 3 terms, or the written answer that there are no
 * shared economics. An empty field is not an answer, so "not written down yet" stays a gap.
 */
export function EconomicsForm({ draft, setDraft, plan }: FormProps<PartnerEconomicsDraft[]>) {
  const styles = useFieldStyles();
  const indexes = economicsIndexes(draft);
  const setPartner = (j: number, patch: Partial<PartnerEconomicsDraft>) =>
    setDraft((d) => patched(d, j, patch));
  const setTerm = (j: number, k: number, patch: Partial<TermDraft>) =>
    setDraft((d) => d.map((e, n) => (n === j ? { ...e, terms: patched(e.terms, k, patch) } : e)));

  if (draft.length === 0) {
    return <p className={styles.muted}>Add the partner under Named owners first.</p>;
  }
  return (
    <div className={styles.columns}>
      {draft.map((economics, j) => {
        const name = plan.partners.find((p) => p.id === economics.partnerId)?.name ?? `Partner ${j + 1}`;
        const i = indexes[j];
        const at = `economics[${i ?? 'x'}]`;
        return (
          <section key={economics.partnerId} className={styles.column} aria-label={`Economics with ${name}`}>
            <h3 className={styles.subheading}>{name}</h3>
            <Field label={`Economics with ${name}`}>
              <RadioGroup
                value={economics.mode}
                onChange={(_, data) => {
                  const mode = MODES.find((m) => m.value === data.value)?.value;
                  if (!mode) return;
                  setPartner(j, {
                    mode,
                    ...(mode === 'terms' && economics.terms.length === 0 ? { terms: [newTerm()] } : {}),
                  });
                }}
              >
                {MODES.map((m) => (
                  <Radio key={m.value} value={m.value} label={m.label} />
                ))}
              </RadioGroup>
            </Field>
            {economics.mode === 'none' && (
              <TextField
                label="Why there are no shared economics"
                path={`${at}.statement`}
                required
                value={economics.statement}
                onChange={(statement) => setPartner(j, { statement })}
              />
            )}
            {economics.mode === 'terms' && (
              <>
                <PathMessage path={`${at}.terms`} />
                {economics.terms.map((term, k) => (
                  <RowCard
                    key={term.key}
                    legend={`${name} term ${k + 1}`}
                    buttons={
                      <Button
                        size="small"
                        aria-label={`Remove ${name} term ${k + 1}`}
                        onClick={() => setPartner(j, { terms: economics.terms.filter((_, n) => n !== k) })}
                      >
                        Remove
                      </Button>
                    }
                  >
                    <SelectField
                      label="Kind"
                      path={`${at}.terms[${k}].kind`}
                      value={term.kind}
                      choices={ECONOMIC_KINDS.map((kind) => ({
                        value: kind,
                        label: ECONOMIC_KIND_LABELS[kind],
                      }))}
                      onChange={(kind) => setTerm(j, k, { kind })}
                    />
                    <SelectField
                      label="Value as"
                      path={`${at}.terms[${k}].value.type`}
                      value={term.valueType}
                      choices={[
                        { value: 'percent', label: 'Percent' },
                        { value: 'amount', label: 'Amount' },
                      ]}
                      onChange={(valueType) => setTerm(j, k, { valueType })}
                    />
                    {term.valueType === 'percent' ? (
                      <TextField
                        label="Percent"
                        path={`${at}.terms[${k}].value.percent`}
                        required
                        inputMode="decimal"
                        value={term.percent}
                        onChange={(percent) => setTerm(j, k, { percent })}
                      />
                    ) : (
                      <>
                        <TextField
                          label="Amount"
                          path={`${at}.terms[${k}].value.amount`}
                          required
                          inputMode="decimal"
                          value={term.amount}
                          onChange={(amount) => setTerm(j, k, { amount })}
                        />
                        <TextField
                          label="Currency"
                          path={`${at}.terms[${k}].value.currency`}
                          required
                          value={term.currency}
                          onChange={(currency) => setTerm(j, k, { currency })}
                        />
                      </>
                    )}
                    <TextField
                      label="Terms"
                      path={`${at}.terms[${k}].terms`}
                      wide
                      value={term.terms}
                      onChange={(terms) => setTerm(j, k, { terms })}
                    />
                    <CheckField
                      label="Agreed by both sides"
                      path={`${at}.terms[${k}].agreed`}
                      checked={term.agreed}
                      onChange={(agreed) => setTerm(j, k, { agreed })}
                    />
                  </RowCard>
                ))}
                <AddButton
                  label={`Add term for ${name}`}
                  count={economics.terms.length}
                  max={LIMITS.economicTermsPerPartner}
                  onAdd={() => setPartner(j, { terms: [...economics.terms, newTerm()] })}
                />
              </>
            )}
          </section>
        );
      })}
    </div>
  );
}
