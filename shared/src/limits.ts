/**
 * Limits that keep a plan on one printed page (SPEC §2: "one page is a product rule").
 * The tab's print stylesheet is laid out for a plan at every one of these maxima at once;
 * the API rejects content beyond any of them with a message that names the limit.
 */
export const LIMITS = {
  title: 100,
  accounts: { min: 1, max: 5 },
  accountName: 60,
  domain: 80,
  crmAccountId: 40,
  overlapSourceText: 60,
  partners: 3,
  partnerName: 60,
  people: 20,
  personName: 40,
  email: 120,
  roleTitle: 40,
  milestones: 8,
  milestoneTitle: 80,
  moveReason: 140,
  actions: 12,
  actionDescription: 120,
  blocker: 120,
  economicTermsPerPartner: 3,
  economicTerms: 100,
  noEconomicsStatement: 140,
  escalationChain: 4,
  stallThresholdDays: { min: 1, max: 90, default: 14 },
  channels: 5,
  externalId: 80,
  url: 400,
  qualificationCycleDays: 1000,
  cadenceAttendees: 15,
  operationsPerRequest: 20,
} as const;

/** Days without a weekly review after which an active plan is flagged as decaying (SPEC §3). */
export const DECAY_AFTER_DAYS = 14;
