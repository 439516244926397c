import { LIMITS, ROLE_LABELS, type Side } from '@cosell/shared';
import { Button } from '@fluentui/react-components';
import { useState } from 'react';
import {
  newPartner,
  newPerson,
  type OwnersDraft,
  ownedBy,
  type PartnerDraft,
  type PersonDraft,
  ROLES_BY_SIDE,
} from './drafts';
import { AddButton, PathMessage, patched, RowCard, SelectField, TextField, useFieldStyles } from './fields';
import type { FormProps } from './form-props';

interface Column {
  key: string;
  label: string;
  side: Side;
  partnerIndex?: number;
  partner?: PartnerDraft;
}

/**
 * Named owners on each side: the vendor, a column per partner (up to 3), the buyer. A mutual action plan
 * shows no partner columns; its partner data is kept as it is.
 */
export function OwnersForm({ draft, setDraft, plan }: FormProps<OwnersDraft>) {
  const styles = useFieldStyles();
  const [blocked, setBlocked] = useState<Record<string, string>>({});
  const isCoSell = plan.motion === 'co-sell';
  const columns: Column[] = [
    { key: 'vendor', label: 'Vendor', side: 'vendor' },
    ...(isCoSell
      ? draft.partners.map((partner, partnerIndex) => ({
          key: partner.id,
          label: partner.name.trim() || `Partner ${partnerIndex + 1}`,
          side: 'partner' as const,
          partnerIndex,
          partner,
        }))
      : []),
    { key: 'buyer', label: 'Buyer', side: 'buyer' },
  ];

  const setPerson = (index: number, patch: Partial<PersonDraft>) =>
    setDraft((d) => ({ ...d, people: patched(d.people, index, patch) }));
  const setPartner = (index: number, patch: Partial<PartnerDraft>) =>
    setDraft((d) => ({ ...d, partners: patched(d.partners, index, patch) }));

  const removePerson = (person: PersonDraft) => {
    const owns = ownedBy(plan, person.id);
    if (owns.length > 0) {
      setBlocked((b) => ({
        ...b,
        [person.id]: `Owns ${owns.join(', ')}: give ${owns.length === 1 ? 'it' : 'them'} another owner first.`,
      }));
      return;
    }
    setDraft((d) => ({ ...d, people: d.people.filter((p) => p.id !== person.id) }));
  };

  const removePartner = (partner: PartnerDraft) => {
    const owners = draft.people.filter((p) => p.side === 'partner' && p.partnerId === partner.id);
    const owns = owners.flatMap((p) => ownedBy(plan, p.id));
    if (owns.length > 0) {
      setBlocked((b) => ({
        ...b,
        [partner.id]: `Their people own ${owns.join(', ')}: give ${owns.length === 1 ? 'it' : 'them'} another owner first.`,
      }));
      return;
    }
    setDraft((d) => ({
      partners: d.partners.filter((p) => p.id !== partner.id),
      people: d.people.filter((p) => !(p.side === 'partner' && p.partnerId === partner.id)),
    }));
  };

  return (
    <div className={styles.stack}>
      <PathMessage path="people" />
      <PathMessage path="partners" />
      <div className={styles.columns}>
        {columns.map((column) => {
          const people = draft.people
            .map((person, index) => ({ person, index }))
            .filter(
              ({ person }) =>
                person.side === column.side && (column.side !== 'partner' || person.partnerId === column.key),
            );
          return (
            <section key={column.key} className={styles.column} aria-label={`${column.label} side`}>
              <h3 className={styles.subheading}>{column.label}</h3>
              {column.partner && column.partnerIndex !== undefined && (
                <PartnerFields
                  partner={column.partner}
                  index={column.partnerIndex}
                  blocked={blocked[column.partner.id]}
                  onChange={setPartner}
                  onRemove={removePartner}
                />
              )}
              {people.map(({ person, index }, n) => (
                <RowCard
                  compact
                  key={person.id}
                  legend={`${column.label} person ${n + 1}`}
                  buttons={
                    <>
                      <Button
                        size="small"
                        aria-label={`Remove ${[person.firstName, person.lastName].join(' ').trim() || `${column.label} person ${n + 1}`}`}
                        onClick={() => removePerson(person)}
                      >
                        Remove
                      </Button>
                      {blocked[person.id] && (
                        <span role="status" className={styles.warning}>
                          {blocked[person.id]}
                        </span>
                      )}
                    </>
                  }
                >
                  <TextField
                    label="First name"
                    path={`people[${index}].firstName`}
                    required
                    value={person.firstName}
                    onChange={(firstName) => setPerson(index, { firstName })}
                  />
                  <TextField
                    label="Last name"
                    path={`people[${index}].lastName`}
                    required
                    value={person.lastName}
                    onChange={(lastName) => setPerson(index, { lastName })}
                  />
                  <TextField
                    label="Email"
                    path={`people[${index}].email`}
                    type="email"
                    required
                    wide
                    value={person.email}
                    onChange={(email) => setPerson(index, { email })}
                  />
                  <SelectField
                    label="Role"
                    path={`people[${index}].role`}
                    value={person.role}
                    choices={ROLES_BY_SIDE[column.side].map((role) => ({
                      value: role,
                      label: ROLE_LABELS[role],
                    }))}
                    onChange={(role) => setPerson(index, { role })}
                  />
                  <TextField
                    label="Job title"
                    path={`people[${index}].title`}
                    value={person.title}
                    onChange={(title) => setPerson(index, { title })}
                  />
                  <PathMessage path={`people[${index}].partnerId`} />
                </RowCard>
              ))}
              <AddButton
                label={`Add ${column.side === 'partner' ? `a person at ${column.label}` : `a ${column.label.toLowerCase()} person`}`}
                count={draft.people.length}
                max={LIMITS.people}
                noun="people on the plan"
                onAdd={() =>
                  setDraft((d) => ({
                    ...d,
                    people: [
                      ...d.people,
                      newPerson(column.side, column.side === 'partner' ? column.key : undefined),
                    ],
                  }))
                }
              />
            </section>
          );
        })}
      </div>
      {isCoSell && (
        <AddButton
          label="Add partner"
          count={draft.partners.length}
          max={LIMITS.partners}
          onAdd={() => setDraft((d) => ({ ...d, partners: [...d.partners, newPartner()] }))}
        />
      )}
    </div>
  );
}

function PartnerFields({
  partner,
  index,
  blocked,
  onChange,
  onRemove,
}: {
  partner: PartnerDraft;
  index: number;
  blocked: string | undefined;
  onChange(index: number, patch: Partial<PartnerDraft>): void;
  onRemove(partner: PartnerDraft): void;
}) {
  const styles = useFieldStyles();
  return (
    <RowCard
      legend={`Partner ${index + 1}`}
      buttons={
        <>
          <Button
            size="small"
            aria-label={`Remove partner ${partner.name.trim() || index + 1}`}
            onClick={() => onRemove(partner)}
          >
            Remove partner
          </Button>
          {blocked && (
            <span role="status" className={styles.warning}>
              {blocked}
            </span>
          )}
        </>
      }
    >
      <TextField
        label="Partner name"
        path={`partners[${index}].name`}
        required
        value={partner.name}
        onChange={(name) => onChange(index, { name })}
      />
      <TextField
        label="Partner's system"
        path={`partners[${index}].record.system`}
        placeholder="HubSpot"
        value={partner.recordSystem}
        onChange={(recordSystem) => onChange(index, { recordSystem })}
      />
      <TextField
        label="Partner record id"
        path={`partners[${index}].record.id`}
        value={partner.recordId}
        onChange={(recordId) => onChange(index, { recordId })}
      />
      <TextField
        label="Partner record link"
        path={`partners[${index}].record.url`}
        type="url"
        placeholder="https://"
        value={partner.recordUrl}
        onChange={(recordUrl) => onChange(index, { recordUrl })}
      />
    </RowCard>
  );
}
