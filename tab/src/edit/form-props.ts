import type { Person, Plan } from '@cosell/shared';
import { fullName } from '../format';
import type { Choice } from './fields';

export interface FormProps<D> {
  draft: D;
  setDraft(update: (draft: D) => D): void;
  /** The plan the draft will be saved into: who and what can be referred to. */
  plan: Plan;
}

/** "Maya Chen (Vendor)": a person as a choice, with their side so namesakes are told apart. */
export function personChoices(plan: Plan, people: readonly Person[], current?: string): Choice<string>[] {
  const partners = new Map(plan.partners.map((p) => [p.id, p.name]));
  const side = (p: Person) =>
    p.side === 'vendor'
      ? 'Vendor'
      : p.side === 'buyer'
        ? 'Buyer'
        : (partners.get(p.partnerId ?? '') ?? 'Partner');
  const choices = people.map((p) => ({ value: p.id, label: `${fullName(p)} (${side(p)})` }));
  if (current !== undefined && current !== '' && !people.some((p) => p.id === current)) {
    choices.unshift({ value: current, label: 'Someone no longer on the plan' });
  }
  return choices;
}
