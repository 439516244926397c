import { PLAN_FIELD_LABELS } from '@cosell/shared';

/* The parts of the plan page that open an editor: the header and the six fields (SPEC §2). */

export const SECTION_KEYS = [
  'header',
  'accounts',
  'owners',
  'milestones',
  'actions',
  'economics',
  'escalation',
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export const SECTION_LABELS: Record<SectionKey, string> = {
  header: 'Plan details',
  accounts: PLAN_FIELD_LABELS.accounts,
  owners: PLAN_FIELD_LABELS.owners,
  milestones: PLAN_FIELD_LABELS.milestones,
  actions: PLAN_FIELD_LABELS.actions,
  economics: PLAN_FIELD_LABELS.economics,
  escalation: PLAN_FIELD_LABELS.escalation,
};

export function isSectionKey(value: string | null | undefined): value is SectionKey {
  return value !== null && value !== undefined && (SECTION_KEYS as readonly string[]).includes(value);
}
