/**
 * Limits that keep a plan on one printed page (SPEC §2: "one page is a product rule").
 * The tab's print sheet (tab/src/print) is laid out for a plan at every one of these maxima at once, its
 * text in the widest letters ('W', 'M'): test/e2e/print.test.ts prints that plan (test/support/maximal-plan.ts)
 * in Chromium on Letter and on A4 and counts one page each. Raise a limit only with that test green.
 * The API rejects content beyond any of them with a message that names the limit.
 */
export const LIMITS = {
  title: 80,
  accounts: { min: 1, max: 5 },
  accountName: 40,
  domain: 36,
  /** Room for a GUID (Dynamics 365 ids). */
  crmAccountId: 36,
  overlapSourceText: 20,
  partners: 3,
  partnerName: 32,
  people: 13,
  personName: 20,
  email: 56,
  roleTitle: 24,
  milestones: 6,
  milestoneTitle: 60,
  moveReason: 60,
  actions: 8,
  actionDescription: 80,
  blocker: 60,
  economicTermsPerPartner: 2,
  economicTerms: 50,
  noEconomicsStatement: 140,
  escalationChain: 3,
  stallThresholdDays: { min: 1, max: 90, default: 14 },
  channels: 5,
  /** Room for a GUID (Dynamics 365 ids). */
  externalId: 36,
  url: 400,
  qualificationCycleDays: 1000,
  operationsPerRequest: 20,
} as const;

/** Days without a weekly review after which an active plan is flagged as decaying (SPEC §3). */
export const DECAY_AFTER_DAYS = 14;
