import { LIMITS as DEFAULT_LIMITS, type PlanWrite, type Role, type Side } from '@cosell/shared';

/*
 * The one-page worst case: a valid plan at EVERY count and length limit of LIMITS at once, its text made of
 * the widest letters ('W' and 'M' in words of seven), so a layout that fits it fits any plan the API accepts.
 * Every text ends with a short tag ("A12", "P16", …) that makes it unique, so a test can look for one item.
 * Used by the print test (one page, Letter and A4) and anyone who needs the largest plan.
 */

const WORDS = 'WMWWMWM MWMMWWM WWMWMMW MMWMWWM ';

/** `length` characters of wide words ending in ` tag`; no leading or trailing space (the schema trims). */
export function wideText(length: number, tag: string): string {
  if (tag.length >= length) return tag.slice(0, length);
  let filler = '';
  while (filler.length < length) filler += WORDS;
  const head = filler.slice(0, length - tag.length - 1).replace(/ $/, 'W');
  return `${head} ${tag}`;
}

/** One unbreakable token of `length` wide characters (ids, record numbers): the hardest to wrap. */
export function wideToken(length: number, tag: string): string {
  return `${'WM'.repeat(length).slice(0, length - tag.length)}${tag}`;
}

/** A valid email of exactly `length` characters (at least 40), distinct per tag. */
function wideEmail(length: number, tag: string): string {
  const domain = `${'mw'.repeat(20).slice(0, Math.min(40, length - 33))}.example.com`;
  const local = `${'wm'.repeat(length).slice(0, length - domain.length - 1 - tag.length)}${tag}`;
  return `${local}@${domain}`;
}

/** A valid web domain of exactly `length` characters (at least 8), every label within 63 characters. */
function wideDomain(length: number, tag: string): string {
  const labels = length - '.com'.length;
  const second = labels > 63 ? Math.max(1, labels - 64) : 0;
  const first = second > 0 ? labels - 1 - second : labels;
  const firstLabel = `${'wm'.repeat(40).slice(0, first - tag.length)}${tag}`;
  return second > 0 ? `${firstLabel}.${'m'.repeat(second)}.com` : `${firstLabel}.com`;
}

function httpsUrl(length: number, tag: string): string {
  const prefix = `https://crm.example.com/${tag}/`;
  return `${prefix}${'w'.repeat(Math.max(0, length - prefix.length))}`;
}

function isoDay(base: string, offset: number): string {
  const date = new Date(`${base}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

const VENDOR_ROLES: Role[] = [
  'alignment-specialist',
  'vendor-partner-manager',
  'vendor-executive',
  'account-executive',
];
const PARTNER_ROLES: Role[] = [
  'partner-counterpart',
  'partner-manager',
  'partner-executive',
  'partner-counterpart',
];
const BUYER_ROLES: Role[] = ['economic-buyer', 'champion', 'buyer-contact', 'champion'];

/** The limits the plan is built at: LIMITS, or smaller ones when trying out what fits one page. */
export type Limits = { [K in keyof typeof DEFAULT_LIMITS]: Widen<(typeof DEFAULT_LIMITS)[K]> };
type Widen<T> = T extends number ? number : { [K in keyof T]: Widen<T[K]> };

export interface MaximalPlan {
  plan: PlanWrite;
  /** The description of the action due last (also the last one in the plan). */
  lastAction: string;
  /** The blocker of that action. */
  lastBlocker: string;
  /** The full name of the last person of the last partner's escalation chain. */
  lastEscalationPerson: string;
  /** The last term text of the last partner's economics. */
  lastEconomicTerms: string;
  /** The title of the milestone due last. */
  lastMilestone: string;
}

/**
 * The maximal plan, dated around `today` (YYYY-MM-DD). People are split so every escalation chain is full:
 * the vendor and each partner get `escalationChain` people, the buyer side the rest.
 */
export function maximalPlan(
  today: string,
  {
    id,
    limits: LIMITS = DEFAULT_LIMITS,
    crowd = 'buyer',
  }: {
    id?: string;
    limits?: Limits;
    /** Where the people beyond the full escalation chains go: all to the buyer, or all to the vendor but one. */
    crowd?: 'buyer' | 'vendor';
  } = {},
): MaximalPlan {
  const day = (offset: number) => isoDay(today, offset);
  const chainLength = LIMITS.escalationChain;
  const partnerIds = Array.from({ length: LIMITS.partners }, (_, i) => `p-${i + 1}`);
  let n = 0;
  const person = (role: Role, side: Side, partnerId?: string) => {
    n += 1;
    return {
      id: `person-${n}`,
      firstName: wideText(LIMITS.personName, `F${n}`),
      lastName: wideText(LIMITS.personName, `P${n}`),
      email: wideEmail(LIMITS.email, `p${n}`),
      role,
      title: wideText(LIMITS.roleTitle, `T${n}`),
      side,
      ...(partnerId ? { partnerId } : {}),
    };
  };
  const roleAt = (roles: Role[], i: number): Role => roles[i % roles.length] ?? 'champion';
  const extra = LIMITS.people - chainLength * (1 + partnerIds.length);
  const vendorCount = crowd === 'vendor' ? chainLength + extra - 1 : chainLength;
  const vendor = Array.from({ length: vendorCount }, (_, i) => person(roleAt(VENDOR_ROLES, i), 'vendor'));
  const partnerPeople = partnerIds.map((pid) =>
    Array.from({ length: chainLength }, (_, i) => person(roleAt(PARTNER_ROLES, i), 'partner', pid)),
  );
  const buyerCount = LIMITS.people - vendor.length - partnerPeople.flat().length;
  if (buyerCount < 1) throw new Error('LIMITS leave no room for a buyer: the maximal plan needs one');
  const buyer = Array.from({ length: buyerCount }, (_, i) => person(roleAt(BUYER_ROLES, i), 'buyer'));
  const doers = [...vendor, ...partnerPeople.flat()];
  const accountIds = Array.from({ length: LIMITS.accounts.max }, (_, i) => `account-${i + 1}`);
  const milestoneIds = Array.from({ length: LIMITS.milestones }, (_, i) => `milestone-${i + 1}`);
  const pick = <T>(items: readonly T[], i: number): T => {
    const item = items[i % items.length];
    if (item === undefined) throw new Error('empty list');
    return item;
  };

  const milestones = milestoneIds.map((mid, i) => ({
    id: mid,
    title: wideText(LIMITS.milestoneTitle, `M${i + 1}`),
    due: day(20 + i * 7),
    ownerId: pick(buyer, i).id,
    status: 'slipped' as const,
    accountId: pick(accountIds, i),
    lastMove: {
      from: day(10 + i * 7),
      to: day(20 + i * 7),
      reason: wideText(LIMITS.moveReason, `R${i + 1}`),
      on: day(-1),
    },
  }));
  const actions = Array.from({ length: LIMITS.actions }, (_, i) => ({
    id: `action-${i + 1}`,
    description: wideText(LIMITS.actionDescription, `A${i + 1}`),
    ownerId: pick(doers, i).id,
    due: day(5 + i * 3),
    status: 'blocked' as const,
    blocker: wideText(LIMITS.blocker, `B${i + 1}`),
    milestoneId: pick(milestoneIds, i),
    accountId: pick(accountIds, i),
  }));
  const economics = partnerIds.map((partnerId, p) => ({
    partnerId,
    kind: 'terms' as const,
    terms: Array.from({ length: LIMITS.economicTermsPerPartner }, (_, t) => ({
      kind: 'services-share' as const,
      value: { type: 'amount' as const, amount: 999_999_999_999, currency: 'EUR' },
      terms: wideText(LIMITS.economicTerms, `E${p + 1}${t + 1}`),
      agreed: t % 2 === 0,
    })),
  }));

  const plan: PlanWrite = {
    ...(id ? { id } : {}),
    title: wideText(LIMITS.title, 'TITLE'),
    status: 'active',
    motion: 'co-sell',
    channelIds: Array.from({ length: LIMITS.channels }, (_, i) => `19:maximal-${i}@thread.tacv2`),
    accounts: accountIds.map((aid, i) => ({
      id: aid,
      name: wideText(LIMITS.accountName, `N${i + 1}`),
      domain: wideDomain(LIMITS.domain, `d${i + 1}`),
      crmAccountId: wideToken(LIMITS.crmAccountId, `C${i + 1}`),
      overlapSource: {
        system: 'crossbeam' as const,
        population: wideText(LIMITS.overlapSourceText, `O${i + 1}`),
        partnerPopulation: wideText(LIMITS.overlapSourceText, `Q${i + 1}`),
        recordId: wideToken(LIMITS.externalId, `X${i + 1}`),
      },
      addedOn: day(-30),
    })),
    partners: partnerIds.map((pid, i) => ({
      id: pid,
      name: wideText(LIMITS.partnerName, `PARTNER${i + 1}`),
      tenantId: `6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2${i}`,
      record: {
        system: wideText(LIMITS.partnerName, `S${i + 1}`),
        id: wideToken(LIMITS.externalId, `K${i + 1}`),
        url: httpsUrl(LIMITS.url, `partner-${i + 1}`),
      },
    })),
    people: [...vendor, ...partnerPeople.flat(), ...buyer],
    milestones,
    actions,
    economics,
    escalation: {
      thresholdDays: LIMITS.stallThresholdDays.max,
      vendorChain: vendor.slice(0, chainLength).map((p) => p.id),
      partnerChains: partnerIds.map((partnerId, i) => ({
        partnerId,
        chain: pick(partnerPeople, i).map((p) => p.id),
      })),
    },
    crmDeal: {
      system: 'dynamics365',
      id: wideToken(LIMITS.externalId, 'DEAL'),
      url: httpsUrl(LIMITS.url, 'deal'),
      amount: 999_999_999_999,
      currency: 'EUR',
      closeDate: day(120),
    },
    qualification: {
      partnerInvolvement: 'influenced',
      partnerEvaluationRoles: [
        'technical-credibility',
        'customer-reference',
        'integration-validation',
        'services-delivery',
      ],
      cycleDays: LIMITS.qualificationCycleDays,
      sharedEconomics: true,
    },
    cadence: {
      weekday: 'wednesday',
      time: '23:30',
      timeZone: 'America/Argentina/ComodRivadavia',
      startsOn: day(-28),
      endsOn: day(120),
      durationMinutes: 30,
      attendeeIds: doers.map((p) => p.id),
    },
    lastReviewedOn: day(-3),
  };

  const lastAction = actions[actions.length - 1];
  const lastChain = partnerPeople[partnerPeople.length - 1] ?? vendor;
  const lastPerson = lastChain[lastChain.length - 1];
  const lastTerms = economics[economics.length - 1]?.terms;
  const lastMilestone = milestones[milestones.length - 1];
  if (!lastAction || !lastPerson || !lastTerms || !lastMilestone)
    throw new Error('LIMITS allow an empty field');
  return {
    plan,
    lastAction: lastAction.description,
    lastBlocker: lastAction.blocker,
    lastEscalationPerson: `${lastPerson.firstName} ${lastPerson.lastName}`,
    lastEconomicTerms: lastTerms[lastTerms.length - 1]?.terms ?? '',
    lastMilestone: lastMilestone.title,
  };
}
