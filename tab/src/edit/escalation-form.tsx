import { LIMITS, type Person } from '@cosell/shared';
import { Button, Field, Select } from '@fluentui/react-components';
import { useState } from 'react';
import { fullName, roleOf } from '../format';
import { chainIndexes, type EscalationDraft } from './drafts';
import { moved, PathMessage, TextField, useFieldStyles } from './fields';
import type { FormProps } from './form-props';

/** The stall threshold and an ordered chain per side: who is told first, then next a threshold later. */
export function EscalationForm({ draft, setDraft, plan }: FormProps<EscalationDraft>) {
  const styles = useFieldStyles();
  const indexes = chainIndexes(draft);
  const partners = plan.motion === 'co-sell' ? plan.partners : [];
  return (
    <div className={styles.stack}>
      <div className={styles.grid}>
        <TextField
          label="Stall threshold (days)"
          path="escalation.thresholdDays"
          required
          inputMode="numeric"
          hint={`Nothing moved for this many days: escalate. ${LIMITS.stallThresholdDays.default} by default.`}
          value={draft.thresholdDays}
          onChange={(thresholdDays) => setDraft((d) => ({ ...d, thresholdDays }))}
        />
      </div>
      <div className={styles.columns}>
        <ChainEditor
          label="Vendor"
          path="escalation.vendorChain"
          chain={draft.vendorChain}
          candidates={plan.people.filter((p) => p.side === 'vendor')}
          people={plan.people}
          onChange={(vendorChain) => setDraft((d) => ({ ...d, vendorChain }))}
        />
        {partners.map((partner) => {
          const j = draft.partnerChains.findIndex((c) => c.partnerId === partner.id);
          const entry = draft.partnerChains[j];
          if (!entry) return null;
          return (
            <ChainEditor
              key={partner.id}
              label={partner.name}
              path={`escalation.partnerChains[${indexes[j] ?? 'x'}].chain`}
              chain={entry.chain}
              candidates={plan.people.filter((p) => p.side === 'partner' && p.partnerId === partner.id)}
              people={plan.people}
              onChange={(chain) =>
                setDraft((d) => ({
                  ...d,
                  partnerChains: d.partnerChains.map((c) =>
                    c.partnerId === partner.id ? { ...c, chain } : c,
                  ),
                }))
              }
            />
          );
        })}
      </div>
    </div>
  );
}

function ChainEditor({
  label,
  path,
  chain,
  candidates,
  people,
  onChange,
}: {
  label: string;
  path: string;
  chain: string[];
  candidates: Person[];
  people: Person[];
  onChange(chain: string[]): void;
}) {
  const styles = useFieldStyles();
  const available = candidates.filter((p) => !chain.includes(p.id));
  const [adding, setAdding] = useState('');
  const toAdd = available.find((p) => p.id === adding) ?? available[0];
  const full = chain.length >= LIMITS.escalationChain;
  const nameOf = (id: string) => {
    const person = people.find((p) => p.id === id);
    return person ? fullName(person) : 'Someone no longer on the plan';
  };
  return (
    <section className={styles.column} aria-label={`${label} escalation chain`}>
      <h3 className={styles.subheading}>{label}</h3>
      <PathMessage path={path} />
      {chain.length === 0 ? (
        <p className={styles.muted}>No escalation path yet.</p>
      ) : (
        <ol className={styles.plainList}>
          {chain.map((id, i) => {
            const person = people.find((p) => p.id === id);
            const name = nameOf(id);
            return (
              <li key={id} className={styles.row}>
                <div>
                  <span className={styles.legend}>
                    {i + 1}. {name}
                  </span>
                  {person && <div className={styles.muted}>{roleOf(person)}</div>}
                  <PathMessage path={`${path}[${i}]`} />
                </div>
                <div className={styles.rowButtons}>
                  <Button
                    size="small"
                    disabledFocusable={i === 0}
                    aria-label={`Move up: ${name}`}
                    onClick={() => onChange(moved(chain, i, -1))}
                  >
                    Move up
                  </Button>
                  <Button
                    size="small"
                    disabledFocusable={i === chain.length - 1}
                    aria-label={`Move down: ${name}`}
                    onClick={() => onChange(moved(chain, i, 1))}
                  >
                    Move down
                  </Button>
                  <Button
                    size="small"
                    aria-label={`Remove ${name} from the ${label} chain`}
                    onClick={() => onChange(chain.filter((x) => x !== id))}
                  >
                    Remove
                  </Button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {candidates.length === 0 ? (
        <p className={styles.muted}>Name the people on this side under Named owners first.</p>
      ) : available.length > 0 && !full ? (
        <div className={styles.grid}>
          <Field label={`Next in the ${label} chain`}>
            <Select
              className={styles.control}
              value={toAdd?.id ?? ''}
              onChange={(_, data) => setAdding(data.value)}
            >
              {available.map((p) => (
                <option key={p.id} value={p.id}>
                  {fullName(p)}
                </option>
              ))}
            </Select>
          </Field>
          <div className={styles.endAligned}>
            <Button
              aria-label={`Add to chain: ${label}`}
              onClick={() => {
                if (toAdd) onChange([...chain, toAdd.id]);
                setAdding('');
              }}
            >
              Add to chain
            </Button>
          </div>
        </div>
      ) : (
        <p className={styles.muted}>
          {full
            ? `A chain has at most ${LIMITS.escalationChain} people.`
            : 'Everyone on this side is in the chain.'}
        </p>
      )}
    </section>
  );
}
