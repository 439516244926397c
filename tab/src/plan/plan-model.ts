import type { Partner, Person, Plan } from '@cosell/shared';

/* Read-side helpers over one plan: who is who, and the sides in the order the page shows them. */

export interface SideColumn {
  /** `vendor`, `buyer`, or the partner id. */
  key: string;
  label: string;
  partner?: Partner;
  people: Person[];
}

/** Vendor, then each partner side by side, then the buyer. A mutual action plan has no partner sides. */
export function sidesOf(plan: Plan): SideColumn[] {
  const partners = plan.motion === 'co-sell' ? plan.partners : [];
  return [
    { key: 'vendor', label: 'Vendor', people: plan.people.filter((p) => p.side === 'vendor') },
    ...partners.map((partner) => ({
      key: partner.id,
      label: partner.name,
      partner,
      people: plan.people.filter((p) => p.side === 'partner' && p.partnerId === partner.id),
    })),
    { key: 'buyer', label: 'Buyer', people: plan.people.filter((p) => p.side === 'buyer') },
  ];
}

export interface PlanLookup {
  person(id: string): Person | undefined;
  /** "Vendor", the partner's name, or "Buyer". */
  sideLabel(person: Person): string;
  partnerName(partnerId: string): string;
  milestoneTitle(id: string | undefined): string | undefined;
  accountName(id: string | undefined): string | undefined;
}

export function lookupOf(plan: Plan): PlanLookup {
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const partners = new Map(plan.partners.map((p) => [p.id, p.name]));
  const milestones = new Map(plan.milestones.map((m) => [m.id, m.title]));
  const accounts = new Map(plan.accounts.map((a) => [a.id, a.name]));
  const partnerName = (id: string) => partners.get(id) ?? 'Partner';
  return {
    person: (id) => people.get(id),
    sideLabel: (person) =>
      person.side === 'vendor'
        ? 'Vendor'
        : person.side === 'buyer'
          ? 'Buyer'
          : partnerName(person.partnerId ?? ''),
    partnerName,
    milestoneTitle: (id) => (id === undefined ? undefined : milestones.get(id)),
    accountName: (id) => (id === undefined ? undefined : accounts.get(id)),
  };
}

/** Earliest due first; the plan is read as a timeline. */
export function byDue<T extends { due: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}
