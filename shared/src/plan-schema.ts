import { z } from 'zod';
import { isIsoDate } from './dates';
import { LIMITS } from './limits';
import {
  ACTION_STATUSES,
  CRM_SYSTEMS,
  ECONOMIC_KINDS,
  EVALUATION_ROLES,
  MILESTONE_STATUSES,
  MOTIONS,
  PLAN_STATUSES,
  ROLE_SIDES,
  ROLES,
  SIDES,
  WEEKDAYS,
} from './vocabulary';

// The words and fixed lists live in vocabulary.ts (no zod there, so the tab's first view can show them
// without loading zod); they stay importable from here.
export {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  CRM_SYSTEM_LABELS,
  CRM_SYSTEMS,
  ECONOMIC_KIND_LABELS,
  ECONOMIC_KINDS,
  EVALUATION_ROLES,
  MILESTONE_STATUS_LABELS,
  MILESTONE_STATUSES,
  MOTION_LABELS,
  MOTIONS,
  PLAN_STATUSES,
  ROLE_LABELS,
  ROLE_SIDES,
  ROLES,
  type Role,
  SIDES,
  STATUS_LABELS,
  WEEKDAY_LABELS,
  WEEKDAYS,
} from './vocabulary';

/*
 * The co-sell plan of SPEC §2 as zod schemas. These schemas are the single source for validation in the
 * API, for the types in the tab, and for the OpenAPI document (`z.toJSONSchema`).
 * Objects are strict: an unknown field is an error that names it, so a typo never silently drops data.
 */

const ONE_PAGE = 'so the plan fits one printed page';

function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Text with a length limit whose message names the limit. Trimmed; control characters are refused. */
export function text(max: number, what: string, { min = 1 }: { min?: number } = {}) {
  return z
    .string()
    .trim()
    .min(min, { error: min === 1 ? `${what} is required` : `${what} needs at least ${min} characters` })
    .max(max, { error: `${what} is limited to ${max} characters ${ONE_PAGE}` })
    .refine((s) => !hasControlCharacters(s), {
      error: `${what} is one line of plain text: no line breaks or control characters`,
    });
}

export const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
  error: 'an id is 1 to 64 letters, digits, "-" or "_", starting with a letter or digit',
});

export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { error: 'a date is written YYYY-MM-DD and must exist on the calendar' })
  .meta({ format: 'date' });

export const HttpsUrl = z
  .string()
  .max(LIMITS.url, { error: `a link is limited to ${LIMITS.url} characters` })
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'https:' && u.hostname.length > 0 && !u.username && !u.password;
      } catch {
        return false;
      }
    },
    { error: 'a link must be an https:// URL' },
  )
  .meta({ format: 'uri', pattern: '^https://' });

export const Email = z
  .string()
  .trim()
  .max(LIMITS.email, { error: `an email address is limited to ${LIMITS.email} characters` })
  .pipe(z.email({ error: 'not a valid email address' }))
  .transform((s) => s.toLowerCase());

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'a currency is a three-letter ISO 4217 code' });

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.domain, { error: `a web domain is limited to ${LIMITS.domain} characters` })
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'a web domain looks like contoso.com (no https://, no path)',
  });

export const PlanStatus = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof PlanStatus>;

export const Motion = z.enum(MOTIONS);
export type Motion = z.infer<typeof Motion>;

export const Side = z.enum(SIDES);
export type Side = z.infer<typeof Side>;

export const RoleSchema = z.enum(ROLES);

export const OverlapSource = z.strictObject({
  system: z.enum(['crossbeam', 'other']),
  population: text(LIMITS.overlapSourceText, 'the overlap population').optional(),
  partnerPopulation: text(LIMITS.overlapSourceText, 'the partner population').optional(),
  recordId: text(LIMITS.externalId, 'the overlap record id').optional(),
});

export const SharedAccount = z.strictObject({
  id: Id,
  name: text(LIMITS.accountName, 'the account name'),
  domain: Domain,
  crmAccountId: text(LIMITS.crmAccountId, 'the CRM account id').optional(),
  overlapSource: OverlapSource.optional(),
  /** The day the account joined the plan; the start of its stall clock. Filled by the server when absent. */
  addedOn: IsoDateSchema.optional(),
});
export type SharedAccount = z.infer<typeof SharedAccount>;

export const PartnerRecordLink = z.strictObject({
  system: text(LIMITS.partnerName, "the partner's system").optional(),
  id: text(LIMITS.externalId, "the partner's record id"),
  url: HttpsUrl.optional(),
});

export const Partner = z.strictObject({
  id: Id,
  name: text(LIMITS.partnerName, 'the partner name'),
  /** The partner's Microsoft Entra tenant, when known: people signing in from it are on this partner's side. */
  tenantId: z.uuid({ error: 'a tenant id is a GUID' }).optional(),
  record: PartnerRecordLink.optional(),
});
export type Partner = z.infer<typeof Partner>;

export const Person = z.strictObject({
  id: Id,
  firstName: text(LIMITS.personName, 'the first name'),
  lastName: text(LIMITS.personName, 'the last name'),
  email: Email,
  role: RoleSchema,
  /** Free-text job title shown beside the role, e.g. "RVP Enterprise". */
  title: text(LIMITS.roleTitle, 'the job title').optional(),
  side: Side,
  /** Which partner, when `side` is `partner`. */
  partnerId: Id.optional(),
});
export type Person = z.infer<typeof Person>;

export const MilestoneStatus = z.enum(MILESTONE_STATUSES);

export const MilestoneMove = z.strictObject({
  from: IsoDateSchema,
  to: IsoDateSchema,
  reason: text(LIMITS.moveReason, 'the reason for moving the milestone'),
  on: IsoDateSchema,
});

export const Milestone = z.strictObject({
  id: Id,
  title: text(LIMITS.milestoneTitle, 'the milestone title'),
  /** On the buyer's calendar, not the vendor's quarter end. */
  due: IsoDateSchema,
  ownerId: Id,
  status: MilestoneStatus,
  doneOn: IsoDateSchema.optional(),
  accountId: Id.optional(),
  /** The latest move of the due date and why; every move is also in the plan history. */
  lastMove: MilestoneMove.optional(),
});
export type Milestone = z.infer<typeof Milestone>;

export const ActionStatus = z.enum(ACTION_STATUSES);

export const JointAction = z.strictObject({
  id: Id,
  description: text(LIMITS.actionDescription, 'the action'),
  /** The person who does it; the action's side is the owner's side. */
  ownerId: Id,
  due: IsoDateSchema,
  status: ActionStatus,
  blocker: text(LIMITS.blocker, 'the blocker').optional(),
  doneOn: IsoDateSchema.optional(),
  milestoneId: Id.optional(),
  accountId: Id.optional(),
});
export type JointAction = z.infer<typeof JointAction>;

export const EconomicKind = z.enum(ECONOMIC_KINDS);

export const EconomicValue = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('percent'),
    percent: z
      .number()
      .min(0, { error: 'a percentage is 0 or more' })
      .max(100, { error: 'a percentage is at most 100' }),
  }),
  z.strictObject({
    type: z.literal('amount'),
    amount: z
      .number()
      .min(0, { error: 'an amount is 0 or more' })
      .max(1e12, { error: 'an amount is at most 1,000,000,000,000' }),
    currency: Currency,
  }),
]);

export const EconomicTerm = z.strictObject({
  kind: EconomicKind,
  value: EconomicValue,
  terms: text(LIMITS.economicTerms, 'the terms').optional(),
  agreed: z.boolean(),
});
export type EconomicTerm = z.infer<typeof EconomicTerm>;

/** Per partner: the split written down, or the written answer that there are no shared economics. */
export const PartnerEconomics = z.discriminatedUnion('kind', [
  z.strictObject({
    partnerId: Id,
    kind: z.literal('terms'),
    terms: z
      .array(EconomicTerm)
      .min(1, { error: 'write at least one term, or say there are no shared economics' })
      .max(LIMITS.economicTermsPerPartner, {
        error: `at most ${LIMITS.economicTermsPerPartner} economic terms per partner ${ONE_PAGE}`,
      }),
  }),
  z.strictObject({
    partnerId: Id,
    kind: z.literal('none'),
    statement: text(LIMITS.noEconomicsStatement, 'the statement that there are no shared economics'),
  }),
]);
export type PartnerEconomics = z.infer<typeof PartnerEconomics>;

const Chain = z
  .array(Id)
  .max(LIMITS.escalationChain, { error: `an escalation chain has at most ${LIMITS.escalationChain} people` });

export const Escalation = z.strictObject({
  /** Days without forward movement before the plan or an account counts as stalled (SPEC §3: 14 by default). */
  thresholdDays: z
    .number()
    .int({ error: 'the stall threshold is a whole number of days' })
    .min(LIMITS.stallThresholdDays.min, {
      error: `the stall threshold is at least ${LIMITS.stallThresholdDays.min} day`,
    })
    .max(LIMITS.stallThresholdDays.max, {
      error: `the stall threshold is at most ${LIMITS.stallThresholdDays.max} days`,
    })
    .default(LIMITS.stallThresholdDays.default),
  /** Ordered: the first person is told first, the next one a threshold later. */
  vendorChain: Chain,
  partnerChains: z.array(z.strictObject({ partnerId: Id, chain: Chain })),
});
export type Escalation = z.infer<typeof Escalation>;

export const CrmDeal = z.strictObject({
  system: z.enum(CRM_SYSTEMS),
  id: text(LIMITS.externalId, 'the CRM deal id'),
  url: HttpsUrl.optional(),
  amount: z.number().min(0, { error: 'the deal amount is 0 or more' }).max(1e12).optional(),
  currency: Currency.optional(),
  closeDate: IsoDateSchema.optional(),
});

/** The answers of the qualifier (SPEC §4). */
export const QualificationAnswers = z.strictObject({
  /** sourced or influenced by the partner; referral-only = the partner only handed over a lead; none = vendor-only. */
  partnerInvolvement: z.enum(['sourced', 'influenced', 'referral-only', 'none']),
  /** The partner's roles in the buyer's evaluation. */
  partnerEvaluationRoles: z.array(z.enum(EVALUATION_ROLES)).max(EVALUATION_ROLES.length),
  /** Expected sales cycle in days. */
  cycleDays: z
    .number()
    .int({ error: 'the sales cycle is a whole number of days' })
    .min(1, { error: 'the sales cycle is at least 1 day' })
    .max(LIMITS.qualificationCycleDays, {
      error: `the sales cycle is at most ${LIMITS.qualificationCycleDays} days`,
    }),
  sharedEconomics: z.boolean(),
});
export type QualificationAnswers = z.infer<typeof QualificationAnswers>;

export const CadenceSettings = z.strictObject({
  weekday: z.enum(WEEKDAYS),
  /** Local time in `timeZone`, 24-hour HH:MM. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time is HH:MM on a 24-hour clock' }),
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/, {
      error: 'a time zone is an IANA name like Europe/Berlin',
    }),
  startsOn: IsoDateSchema,
  /** The plan's close date, or none. */
  endsOn: IsoDateSchema.optional(),
  durationMinutes: z.literal(30, { error: 'the weekly co-sell meeting is 30 minutes' }),
  /** Vendor and partner people of the plan, each once: no count of its own (the plan's people bound it). */
  attendeeIds: z.array(Id),
});
export type CadenceSettings = z.infer<typeof CadenceSettings>;

const PlanContentShape = z.strictObject({
  title: text(LIMITS.title, 'the plan title'),
  status: PlanStatus,
  motion: Motion,
  /** Teams channels (by channel id) that show this plan. */
  channelIds: z
    .array(z.string().min(1).max(200))
    .max(LIMITS.channels, { error: `a plan is shown in at most ${LIMITS.channels} channels` })
    .default([]),
  accounts: z.array(SharedAccount).max(LIMITS.accounts.max, {
    error: `a plan has at most ${LIMITS.accounts.max} shared accounts ${ONE_PAGE}`,
  }),
  partners: z
    .array(Partner)
    .max(LIMITS.partners, { error: `a plan has at most ${LIMITS.partners} partners ${ONE_PAGE}` }),
  people: z
    .array(Person)
    .max(LIMITS.people, { error: `a plan names at most ${LIMITS.people} people ${ONE_PAGE}` }),
  milestones: z
    .array(Milestone)
    .max(LIMITS.milestones, { error: `a plan has at most ${LIMITS.milestones} milestones ${ONE_PAGE}` }),
  actions: z
    .array(JointAction)
    .max(LIMITS.actions, { error: `a plan has at most ${LIMITS.actions} joint actions ${ONE_PAGE}` }),
  economics: z.array(PartnerEconomics),
  escalation: Escalation,
  crmDeal: CrmDeal.optional(),
  qualification: QualificationAnswers.optional(),
  cadence: CadenceSettings.optional(),
  /** The day of the last weekly review; a plan not reviewed for 14 days decays (SPEC §3). */
  lastReviewedOn: IsoDateSchema.optional(),
});

type Issue = { path: (string | number)[]; message: string };

/** Cross-field rules: references resolve, sides agree, states are consistent. */
export function checkPlanReferences(plan: z.infer<typeof PlanContentShape>): Issue[] {
  const issues: Issue[] = [];
  const ids = (field: string, items: readonly { id: string }[]) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id))
        issues.push({ path: [field, i, 'id'], message: `the id "${item.id}" is used twice` });
      seen.add(item.id);
    });
    return seen;
  };
  const accountIds = ids('accounts', plan.accounts);
  const partnerIds = ids('partners', plan.partners);
  ids('people', plan.people);
  const milestoneIds = ids('milestones', plan.milestones);
  ids('actions', plan.actions);
  const people = new Map(plan.people.map((p) => [p.id, p]));

  if (plan.status !== 'draft' && plan.accounts.length < LIMITS.accounts.min) {
    issues.push({
      path: ['accounts'],
      message: 'a plan that is no longer a draft names at least 1 shared account',
    });
  }

  const emails = new Set<string>();
  plan.people.forEach((p, i) => {
    if (emails.has(p.email))
      issues.push({ path: ['people', i, 'email'], message: `${p.email} is named twice` });
    emails.add(p.email);
    if (ROLE_SIDES[p.role] !== p.side) {
      issues.push({
        path: ['people', i, 'role'],
        message: `the role ${p.role} belongs to the ${ROLE_SIDES[p.role]} side`,
      });
    }
    if (p.side === 'partner') {
      if (p.partnerId === undefined) {
        issues.push({
          path: ['people', i, 'partnerId'],
          message: 'a partner-side person names their partner',
        });
      } else if (!partnerIds.has(p.partnerId)) {
        issues.push({ path: ['people', i, 'partnerId'], message: `no partner with id "${p.partnerId}"` });
      }
    } else if (p.partnerId !== undefined) {
      issues.push({
        path: ['people', i, 'partnerId'],
        message: 'only a partner-side person names a partner',
      });
    }
  });

  const checkOwner = (path: (string | number)[], ownerId: string) => {
    if (!people.has(ownerId))
      issues.push({ path, message: `no person with id "${ownerId}" is named on the plan` });
  };

  plan.milestones.forEach((m, i) => {
    checkOwner(['milestones', i, 'ownerId'], m.ownerId);
    if (m.accountId !== undefined && !accountIds.has(m.accountId)) {
      issues.push({
        path: ['milestones', i, 'accountId'],
        message: `no shared account with id "${m.accountId}"`,
      });
    }
    if (m.doneOn !== undefined && m.status !== 'done') {
      issues.push({
        path: ['milestones', i, 'doneOn'],
        message: 'a done date is set only on a done milestone',
      });
    }
  });

  plan.actions.forEach((a, i) => {
    checkOwner(['actions', i, 'ownerId'], a.ownerId);
    if (people.get(a.ownerId)?.side === 'buyer') {
      issues.push({
        path: ['actions', i, 'ownerId'],
        message: 'a joint action is owned by someone on the vendor or a partner side',
      });
    }
    if (a.status === 'blocked' && a.blocker === undefined) {
      issues.push({ path: ['actions', i, 'blocker'], message: 'a blocked action says what blocks it' });
    }
    if (a.status !== 'blocked' && a.blocker !== undefined) {
      issues.push({ path: ['actions', i, 'blocker'], message: 'only a blocked action has a blocker' });
    }
    if (a.doneOn !== undefined && a.status !== 'done') {
      issues.push({ path: ['actions', i, 'doneOn'], message: 'a done date is set only on a done action' });
    }
    if (a.milestoneId !== undefined && !milestoneIds.has(a.milestoneId)) {
      issues.push({
        path: ['actions', i, 'milestoneId'],
        message: `no milestone with id "${a.milestoneId}"`,
      });
    }
    if (a.accountId !== undefined && !accountIds.has(a.accountId)) {
      issues.push({
        path: ['actions', i, 'accountId'],
        message: `no shared account with id "${a.accountId}"`,
      });
    }
  });

  const economicsPartners = new Set<string>();
  plan.economics.forEach((e, i) => {
    if (!partnerIds.has(e.partnerId)) {
      issues.push({ path: ['economics', i, 'partnerId'], message: `no partner with id "${e.partnerId}"` });
    }
    if (economicsPartners.has(e.partnerId)) {
      issues.push({
        path: ['economics', i, 'partnerId'],
        message: 'the economics of a partner are written once',
      });
    }
    economicsPartners.add(e.partnerId);
  });

  plan.escalation.vendorChain.forEach((id, i) => {
    const p = people.get(id);
    if (!p) issues.push({ path: ['escalation', 'vendorChain', i], message: `no person with id "${id}"` });
    else if (p.side !== 'vendor') {
      issues.push({
        path: ['escalation', 'vendorChain', i],
        message: `${p.firstName} ${p.lastName} is not on the vendor side`,
      });
    }
  });
  const chainPartners = new Set<string>();
  plan.escalation.partnerChains.forEach((c, ci) => {
    if (!partnerIds.has(c.partnerId)) {
      issues.push({
        path: ['escalation', 'partnerChains', ci, 'partnerId'],
        message: `no partner with id "${c.partnerId}"`,
      });
    }
    if (chainPartners.has(c.partnerId)) {
      issues.push({
        path: ['escalation', 'partnerChains', ci, 'partnerId'],
        message: 'one escalation chain per partner',
      });
    }
    chainPartners.add(c.partnerId);
    c.chain.forEach((id, i) => {
      const p = people.get(id);
      if (!p)
        issues.push({
          path: ['escalation', 'partnerChains', ci, 'chain', i],
          message: `no person with id "${id}"`,
        });
      else if (p.side !== 'partner' || p.partnerId !== c.partnerId) {
        issues.push({
          path: ['escalation', 'partnerChains', ci, 'chain', i],
          message: `${p.firstName} ${p.lastName} is not on this partner's side`,
        });
      }
    });
  });

  const attendees = new Set<string>();
  plan.cadence?.attendeeIds.forEach((id, i) => {
    if (attendees.has(id))
      issues.push({ path: ['cadence', 'attendeeIds', i], message: `"${id}" is invited twice` });
    attendees.add(id);
    const p = people.get(id);
    if (!p) issues.push({ path: ['cadence', 'attendeeIds', i], message: `no person with id "${id}"` });
    else if (p.side === 'buyer') {
      issues.push({
        path: ['cadence', 'attendeeIds', i],
        message: 'the buyer is not an attendee of the weekly co-sell meeting',
      });
    }
  });
  if (plan.cadence?.endsOn !== undefined && plan.cadence.endsOn < plan.cadence.startsOn) {
    issues.push({ path: ['cadence', 'endsOn'], message: 'the cadence ends on or after the day it starts' });
  }
  return issues;
}

/** What a person writes: the whole plan without the fields the server keeps. */
export const PlanContent = PlanContentShape.superRefine((plan, ctx) => {
  for (const issue of checkPlanReferences(plan)) ctx.addIssue({ code: 'custom', ...issue });
});
export type PlanContent = z.infer<typeof PlanContentShape>;
export type PlanContentInput = z.input<typeof PlanContentShape>;

/**
 * One escalation of a stall (issue 8, shared/src/escalation.ts): who was told, on which chain and level,
 * for the stall that started when. Kept by the server on the plan; only the escalation job writes it.
 */
export const EscalationRecord = z.strictObject({
  /** The idempotency key: plan, stall start, chain and level. */
  key: z.string().min(1).max(200),
  /** The first day of the stall this escalation belongs to; a new stall starts a new sequence. */
  stallStartedOn: IsoDateSchema,
  /** `vendor`, or the partner whose chain it went up. */
  chain: z.enum(['vendor', 'partner']),
  partnerId: Id.optional(),
  /** 1 = the first person of the chain, 2 = the next one up… */
  level: z.number().int().min(1),
  personId: Id,
  /** Name and address at the time of sending (the person may leave the plan later). */
  personName: z.string().max(60),
  email: z.string().max(254),
  /** What stalled, in words: "the plan", "account Contoso Pharma". */
  subjects: z.array(z.string().max(120)).max(10),
  /** The day it was escalated (the next level is due one stall threshold after it). */
  escalatedOn: IsoDateSchema,
  at: z.iso.datetime(),
  /** `pending` while one instance sends it; `sent` when handed to the mail gateway. */
  state: z.enum(['pending', 'sent']),
  /** Which run claimed it: two instances claiming at the same instant still write different plans. */
  claimId: z.string().max(64).optional(),
});
export type EscalationRecord = z.infer<typeof EscalationRecord>;

/**
 * The weekly series booked for the plan's cadence (issue 7, functions/src/use-cases/cadence-service.ts). Kept by
 * the server on the plan; only the cadence service writes it. It moves nothing forward (stall detection reads
 * done actions and milestones only). `contentVersion`/`atVersion`: the version whose content the invites carry
 * when the plan is still at `atVersion` (the cadence service's own bookkeeping writes change no content).
 */
export const CadenceBooking = z.strictObject({
  /** Counts the plan's bookings: 1, then 2 after a cancel… (the idempotency key's generation). */
  booking: z.number().int().min(1),
  /** The series' idempotency key (`seriesIdempotencyKey(planId, booking)`). */
  key: z.string().min(1).max(100),
  /** The calendar's series id, once the calendar answered. */
  seriesId: z.string().min(1).max(1000).optional(),
  /** Whose calendar holds the series: the signed-in user (`user`) or the configured mailbox (`mailbox`). */
  organiser: z.strictObject({
    kind: z.enum(['user', 'mailbox']),
    address: z.string().max(254),
    name: z.string().max(120).optional(),
  }),
  /** `booking` while being booked; `booked`; `cancelled` (plan won, lost, paused, or cadence removed). */
  state: z.enum(['booking', 'booked', 'cancelled']),
  at: z.iso.datetime(),
  /** The plan version the series body carries. */
  bodyVersion: z.number().int().min(1).optional(),
  contentVersion: z.number().int().min(1).optional(),
  atVersion: z.number().int().min(1).optional(),
  /** Occurrence refreshes claimed by a run of the refresh timer (one run per occurrence and version). */
  refreshClaims: z
    .array(
      z.strictObject({
        occurrenceId: z.string().min(1).max(1000),
        version: z.number().int().min(1),
        claimId: z.string().max(64),
        at: z.iso.datetime(),
      }),
    )
    .max(50)
    .optional(),
  /** The last thing that went wrong talking to the calendar, in words (cleared when it works again). */
  lastError: z.string().max(500).optional(),
});
export type CadenceBooking = z.infer<typeof CadenceBooking>;

/** What a closed weekly review saw (issue 7, shared/src/review.ts): the next review shows what changed since. */
export const ReviewSnapshot = z.strictObject({
  id: z.string().min(1).max(64),
  closedAt: z.iso.datetime(),
  closedOn: IsoDateSchema,
  closedBy: z.strictObject({ id: z.string().max(254), displayName: z.string().max(120) }),
  planVersion: z.number().int().min(1),
  accounts: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  people: z.array(z.strictObject({ id: z.string(), name: z.string(), role: z.string(), side: z.string() })),
  milestones: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      due: z.string(),
      status: z.string(),
      ownerId: z.string(),
      accountId: z.string().optional(),
    }),
  ),
  actions: z.array(
    z.strictObject({
      id: z.string(),
      description: z.string(),
      due: z.string(),
      status: z.string(),
      ownerId: z.string(),
      blocker: z.string().optional(),
      accountId: z.string().optional(),
      milestoneId: z.string().optional(),
    }),
  ),
  /** Who was mailed the summary. */
  mailedTo: z.array(z.string().max(254)).max(40),
});
export type ReviewSnapshot = z.infer<typeof ReviewSnapshot>;

/** How many closed reviews a plan keeps (the newest is what the next review compares with). */
export const KEPT_REVIEW_SNAPSHOTS = 4;

/** Fields the server keeps. */
export const PlanMeta = z.strictObject({
  id: Id,
  version: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  /** The day the plan last became active: the start of the stall and decay clocks. */
  activatedOn: IsoDateSchema.optional(),
  /**
   * The client ids (`opId`) of the latest quick updates applied, oldest first, at most
   * `REMEMBERED_OPERATION_IDS`: an operation sent again with one of them (a retry after a lost answer, an
   * offline outbox sending twice) is not applied again.
   */
  recentOperationIds: z.array(z.string()).optional(),
  /** Escalations of stalls, oldest first (issue 8): written only by the escalation job, kept by every edit. */
  escalations: z.array(EscalationRecord).optional(),
  /** The weekly series booked for the cadence (issue 7): written only by the cadence service, kept by every edit. */
  cadenceBooking: CadenceBooking.optional(),
  /** Closed weekly reviews, oldest first, at most KEPT_REVIEW_SNAPSHOTS (issue 7): written only by the review. */
  reviews: z.array(ReviewSnapshot).optional(),
});
export type PlanMeta = z.infer<typeof PlanMeta>;

/** How many applied quick-update ids a plan remembers for recognising a repeated operation. */
export const REMEMBERED_OPERATION_IDS = 100;

/** A client's id for one quick update, so that sending it twice applies it once (a UUID fits). */
export const OperationId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_:.-]{0,63}$/, {
  error: 'an operation id is 1 to 64 letters, digits, "-", "_", ":" or ".", starting with a letter or digit',
});

export const Plan = z.strictObject({ ...PlanMeta.shape, ...PlanContentShape.shape });
export type Plan = z.infer<typeof Plan>;

/** A create or replace body: the content, with the server fields a client echoes back accepted and ignored. */
export const PlanWrite = z
  .strictObject({
    ...PlanContentShape.shape,
    id: Id.optional(),
    version: z.number().optional(),
    createdAt: z.string().optional(),
    createdBy: z.string().optional(),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional(),
    activatedOn: z.string().optional(),
    recentOperationIds: z.array(z.string()).optional(),
    // Accepted and ignored like the other server fields (`any`: whatever a client echoes back is dropped).
    escalations: z.array(z.any()).optional(),
    cadenceBooking: z.any().optional(),
    reviews: z.array(z.any()).optional(),
  })
  .superRefine((plan, ctx) => {
    for (const issue of checkPlanReferences(plan)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type PlanWrite = z.input<typeof PlanWrite>;

export function contentOf(plan: PlanContent & Partial<PlanMeta>): PlanContent {
  const {
    id: _i,
    version: _v,
    createdAt: _ca,
    createdBy: _cb,
    updatedAt: _ua,
    updatedBy: _ub,
    activatedOn: _a,
    recentOperationIds: _ro,
    escalations: _es,
    cadenceBooking: _cb2,
    reviews: _rv,
    ...content
  } = plan;
  return content;
}
