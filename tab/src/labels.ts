import type { Recommendation } from '@cosell/shared';

/* The words for the plan's lists live in shared/src/vocabulary.ts (the invites and the PDF use them too). */
export {
  ACTION_STATUS_LABELS,
  CRM_SYSTEM_LABELS,
  MILESTONE_STATUS_LABELS,
  MOTION_LABELS,
  STATUS_LABELS,
  WEEKDAY_LABELS,
} from '@cosell/shared';

export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  'co-sell-plan': 'A co-sell plan',
  'mutual-action-plan': 'A mutual action plan',
  'no-formal-plan': 'No formal plan',
};
