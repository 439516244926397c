import type {
  JointAction,
  Milestone,
  Motion,
  Plan,
  PlanStatus,
  Recommendation,
  WEEKDAYS,
} from '@cosell/shared';

/* Words for the plan's enums that shared/ does not label (yet). */

export const STATUS_LABELS: Record<PlanStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  won: 'Won',
  lost: 'Lost',
};

export const MOTION_LABELS: Record<Motion, string> = {
  'co-sell': 'Co-sell plan',
  map: 'Mutual action plan',
};

export const MILESTONE_STATUS_LABELS: Record<Milestone['status'], string> = {
  planned: 'Planned',
  'in-progress': 'In progress',
  done: 'Done',
  slipped: 'Slipped',
};

export const ACTION_STATUS_LABELS: Record<JointAction['status'], string> = {
  open: 'Open',
  done: 'Done',
  blocked: 'Blocked',
};

export const CRM_SYSTEM_LABELS: Record<NonNullable<Plan['crmDeal']>['system'], string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  dynamics365: 'Dynamics 365',
  other: 'CRM',
};

export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  'co-sell-plan': 'A co-sell plan',
  'mutual-action-plan': 'A mutual action plan',
  'no-formal-plan': 'No formal plan',
};

export const WEEKDAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};
