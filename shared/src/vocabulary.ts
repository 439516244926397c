/*
 * The plan's words and fixed lists (statuses, roles and their sides, economic kinds, weekdays) as plain
 * data, apart from the zod schemas in plan-schema.ts that are built from them. The tab shows these on its
 * first view; keeping them in a module that does not import zod lets the tab's bundler leave zod and the
 * schemas to the chunks that validate (editors), out of the JavaScript the plan page loads first.
 */

export const PLAN_STATUSES = ['draft', 'active', 'paused', 'won', 'lost'] as const;

export const MOTIONS = ['co-sell', 'map'] as const;

/** CRM systems a plan's deal can live in. */
export const CRM_SYSTEMS = ['salesforce', 'hubspot', 'dynamics365', 'other'] as const;

export const SIDES = ['vendor', 'partner', 'buyer'] as const;

/** Roles of SPEC §7, and the side each belongs to. */
export const ROLE_SIDES = {
  'account-executive': 'vendor',
  'vendor-partner-manager': 'vendor',
  'alignment-specialist': 'vendor',
  'vendor-executive': 'vendor',
  'partner-counterpart': 'partner',
  'partner-manager': 'partner',
  'partner-executive': 'partner',
  'economic-buyer': 'buyer',
  champion: 'buyer',
  'buyer-contact': 'buyer',
} as const satisfies Record<string, (typeof SIDES)[number]>;
export type Role = keyof typeof ROLE_SIDES;
export const ROLES = Object.keys(ROLE_SIDES) as [Role, ...Role[]];

export const ROLE_LABELS: Record<Role, string> = {
  'account-executive': 'Account executive',
  'vendor-partner-manager': 'Partner manager (vendor)',
  'alignment-specialist': 'Co-sell alignment specialist',
  'vendor-executive': 'Executive (vendor)',
  'partner-counterpart': 'Partner counterpart',
  'partner-manager': 'Partner manager',
  'partner-executive': 'Executive (partner)',
  'economic-buyer': 'Economic buyer',
  champion: 'Champion',
  'buyer-contact': 'Buyer contact',
};

export const MILESTONE_STATUSES = ['planned', 'in-progress', 'done', 'slipped'] as const;

export const ACTION_STATUSES = ['open', 'done', 'blocked'] as const;

export const ECONOMIC_KINDS = ['referral-fee', 'mdf', 'services-share', 'resale-margin', 'other'] as const;

export const ECONOMIC_KIND_LABELS: Record<(typeof ECONOMIC_KINDS)[number], string> = {
  'referral-fee': 'Referral fee',
  mdf: 'MDF participation',
  'services-share': 'Services revenue share',
  'resale-margin': 'Resale margin',
  other: 'Other',
};

export const EVALUATION_ROLES = [
  'technical-credibility',
  'customer-reference',
  'integration-validation',
  'services-delivery',
] as const;

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/* Words for the lists above, the same in the tab, the invites and the PDF. */

export const STATUS_LABELS: Record<(typeof PLAN_STATUSES)[number], string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  won: 'Won',
  lost: 'Lost',
};

export const MOTION_LABELS: Record<(typeof MOTIONS)[number], string> = {
  'co-sell': 'Co-sell plan',
  map: 'Mutual action plan',
};

export const MILESTONE_STATUS_LABELS: Record<(typeof MILESTONE_STATUSES)[number], string> = {
  planned: 'Planned',
  'in-progress': 'In progress',
  done: 'Done',
  slipped: 'Slipped',
};

export const ACTION_STATUS_LABELS: Record<(typeof ACTION_STATUSES)[number], string> = {
  open: 'Open',
  done: 'Done',
  blocked: 'Blocked',
};

export const CRM_SYSTEM_LABELS: Record<(typeof CRM_SYSTEMS)[number], string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  dynamics365: 'Dynamics 365',
  other: 'CRM',
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
