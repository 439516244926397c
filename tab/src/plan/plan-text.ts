import type { EconomicTerm, Partner, Plan, SharedAccount, SideAccount } from '@cosell/shared';
import { formatMoney, fullName, plural } from '../format';

/*
 * The words of the read-only plan that are more than a label: shared by the two renderers of the plan
 * page, the React one (plan-sections.tsx, health-panel.tsx) and the first view drawn before React has
 * loaded (first-view/render-plan.ts), so a person reads the same sentences in both.
 */

/** "northwind.com · CRM account 001 · Overlap from Crossbeam: Customers × partner Prospects". */
export function accountDetails(account: SharedAccount): string {
  const overlap = account.overlapSource;
  return [
    account.domain,
    account.crmAccountId && `CRM account ${account.crmAccountId}`,
    overlap &&
      `Overlap from ${overlap.system === 'crossbeam' ? 'Crossbeam' : 'another system'}${
        overlap.population ? `: ${overlap.population}` : ''
      }${overlap.partnerPopulation ? ` × partner ${overlap.partnerPopulation}` : ''}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What a partner record link reads as: "PartnerCenter 12345". */
export function partnerRecordLabel(record: NonNullable<Partner['record']>): string {
  return [record.system, record.id].filter(Boolean).join(' ');
}

/** "12%" or "$15,000". */
export function economicValue(term: EconomicTerm): string {
  return term.value.type === 'percent'
    ? `${term.value.percent}%`
    : formatMoney(term.value.amount, term.value.currency);
}

export function escalationRule(thresholdDays: number): string {
  return `Escalate when nothing moves for ${plural(thresholdDays, 'day')}: the first person of each chain, then the next one a threshold later.`;
}

export interface EscalationChain {
  key: string;
  label: string;
  chain: readonly string[];
}

/** The vendor's chain, then each partner's (a mutual action plan has the vendor's only). */
export function escalationChains(plan: Plan): EscalationChain[] {
  const partners = plan.motion === 'co-sell' ? plan.partners : [];
  return [
    { key: 'vendor', label: 'Vendor', chain: plan.escalation.vendorChain },
    ...partners.map((partner) => ({
      key: partner.id,
      label: partner.name,
      chain: plan.escalation.partnerChains.find((c) => c.partnerId === partner.id)?.chain ?? [],
    })),
  ];
}

/** SPEC §3: a stall goes up both chains, vendor and partner; the first person of each is told first. */
export function firstToEscalateTo(plan: Plan): string[] {
  const people = new Map(plan.people.map((p) => [p.id, p]));
  return escalationChains(plan).flatMap(({ key, label, chain }) => {
    const person = chain[0] === undefined ? undefined : people.get(chain[0]);
    return person ? [`${fullName(person)} (${key === 'vendor' ? 'vendor' : label})`] : [];
  });
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** What to do about a stall, with whom to escalate to. */
export function stallAdvice(plan: Plan): string {
  const escalateTo = firstToEscalateTo(plan);
  return `What to do: move an action or a milestone forward (done, or a new date with a reason)${
    escalateTo.length > 0 ? `, and escalate to ${joinWords(escalateTo)}` : ', and name an escalation path'
  }.`;
}

/** "Vendor: 2 actions, 1 milestone late". */
export function lateBySide(side: SideAccount): string {
  const counts = [
    ...(side.lateActionIds.length > 0 ? [plural(side.lateActionIds.length, 'action')] : []),
    ...(side.lateMilestoneIds.length > 0 ? [plural(side.lateMilestoneIds.length, 'milestone')] : []),
  ];
  return `${side.label}: ${counts.join(', ')} late`;
}

/** The sides with something late. */
export function lateSides(sides: readonly SideAccount[]): SideAccount[] {
  return sides.filter((s) => s.lateActionIds.length + s.lateMilestoneIds.length > 0);
}

export type StatusColor = 'success' | 'warning' | 'danger' | 'informative';

export function milestoneStatusColor(status: Plan['milestones'][number]['status']): StatusColor {
  return status === 'done' ? 'success' : status === 'slipped' ? 'warning' : 'informative';
}

export function actionStatusColor(status: Plan['actions'][number]['status']): StatusColor {
  return status === 'done' ? 'success' : status === 'blocked' ? 'danger' : 'informative';
}
