import {
  Currency,
  checkPlanReferences,
  contentOf,
  Email,
  HttpsUrl,
  Id,
  IsoDateSchema,
  LIMITS,
  type Person,
  Plan,
  PlanContent,
  PlanWrite,
  type Role,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { at, day, demo, getAt, type Path, setAt, smallPlan, stored } from './plan-fixtures';

type Issue = { path: PropertyKey[]; message: string };

function issuesOf(value: unknown, schema: { safeParse(v: unknown): ParseResult } = PlanContent): Issue[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path, message: i.message }));
}
type ParseResult =
  | { success: true }
  | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

function listAt(root: unknown, path: Path): unknown[] {
  const list = getAt(root, path);
  if (!Array.isArray(list)) throw new Error(`no list at ${JSON.stringify(path)}`);
  return list;
}

const chars = (n: number, c = 'x') => c.repeat(n);
/** A valid web domain of exactly `n` characters (n ≥ 8), every label within 63 characters. */
const domainOfLength = (n: number) => {
  const first = Math.min(40, n - 6);
  return `${chars(first, 'a')}.${chars(n - first - 5, 'b')}.com`;
};
/** A valid email of exactly `n` characters, distinct per `tag` (two characters). */
const emailOfLength = (n: number, tag: string) => `${chars(n - 14, 'e')}${tag}@example.com`;
const urlOfLength = (n: number) => `https://example.com/${chars(n - 20, 'u')}`;

/**
 * A valid plan at every count and length limit of LIMITS at once: the one-page worst case.
 * Every escalation chain is full (the vendor and each partner have that many people); the buyer has the rest.
 */
function maxPlan(): PlanContent {
  const vendorRoles: Role[] = [
    'account-executive',
    'vendor-partner-manager',
    'alignment-specialist',
    'vendor-executive',
  ];
  const partnerRoles: Role[] = [
    'partner-counterpart',
    'partner-manager',
    'partner-executive',
    'partner-counterpart',
  ];
  const buyerRoles: Role[] = ['economic-buyer', 'champion', 'buyer-contact', 'champion'];
  const partnerIds = Array.from({ length: LIMITS.partners }, (_, i) => `p-${i}`);
  const chainLength = LIMITS.escalationChain;
  const roleAt = (roles: Role[], i: number) => at(roles, i % roles.length);
  let n = 0;
  const person = (id: string, role: Role, side: Person['side'], partnerId?: string): Person => ({
    id,
    firstName: chars(LIMITS.personName, 'F'),
    lastName: chars(LIMITS.personName, 'L'),
    email: emailOfLength(LIMITS.email, String(n++).padStart(2, '0')),
    role,
    title: chars(LIMITS.roleTitle, 'T'),
    side,
    ...(partnerId ? { partnerId } : {}),
  });
  const vendor = Array.from({ length: chainLength }, (_, i) =>
    person(`v-${i}`, roleAt(vendorRoles, i), 'vendor'),
  );
  const partnerPeople = partnerIds.map((pid) =>
    Array.from({ length: chainLength }, (_, i) =>
      person(`${pid}-${i}`, roleAt(partnerRoles, i), 'partner', pid),
    ),
  );
  const buyerCount = LIMITS.people - chainLength * (1 + partnerIds.length);
  const buyer = Array.from({ length: buyerCount }, (_, i) =>
    person(`b-${i}`, roleAt(buyerRoles, i), 'buyer'),
  );
  const doers = [...vendor, ...partnerPeople.flat()].map((p) => p.id);
  const accountIds = Array.from({ length: LIMITS.accounts.max }, (_, i) => `acc-${i}`);
  const milestoneIds = Array.from({ length: LIMITS.milestones }, (_, i) => `m-${i}`);
  return {
    title: chars(LIMITS.title, 'P'),
    status: 'active',
    motion: 'co-sell',
    channelIds: Array.from({ length: LIMITS.channels }, (_, i) => `19:channel-${i}@thread.tacv2`),
    accounts: accountIds.map((id) => ({
      id,
      name: chars(LIMITS.accountName, 'A'),
      domain: domainOfLength(LIMITS.domain),
      crmAccountId: chars(LIMITS.crmAccountId, 'C'),
      overlapSource: {
        system: 'crossbeam',
        population: chars(LIMITS.overlapSourceText, 'O'),
        partnerPopulation: chars(LIMITS.overlapSourceText, 'Q'),
        recordId: chars(LIMITS.externalId, 'R'),
      },
      addedOn: day(-10),
    })),
    partners: partnerIds.map((id) => ({
      id,
      name: chars(LIMITS.partnerName, 'N'),
      tenantId: '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f',
      record: {
        system: chars(LIMITS.partnerName, 'S'),
        id: chars(LIMITS.externalId, 'I'),
        url: urlOfLength(LIMITS.url),
      },
    })),
    people: [...vendor, ...partnerPeople.flat(), ...buyer],
    milestones: milestoneIds.map((id, i) => ({
      id,
      title: chars(LIMITS.milestoneTitle, 'M'),
      due: day(10 + i),
      ownerId: 'b-0',
      status: 'slipped',
      accountId: at(accountIds, i % accountIds.length),
      lastMove: { from: day(i), to: day(10 + i), reason: chars(LIMITS.moveReason, 'W'), on: day(-1) },
    })),
    actions: Array.from({ length: LIMITS.actions }, (_, i) => ({
      id: `a-${i}`,
      description: chars(LIMITS.actionDescription, 'D'),
      ownerId: at(doers, i % doers.length),
      due: day(i),
      status: 'blocked',
      blocker: chars(LIMITS.blocker, 'B'),
      milestoneId: at(milestoneIds, i % milestoneIds.length),
      accountId: at(accountIds, i % accountIds.length),
    })),
    economics: partnerIds.map((partnerId) => ({
      partnerId,
      kind: 'terms',
      terms: Array.from({ length: LIMITS.economicTermsPerPartner }, () => ({
        kind: 'referral-fee',
        value: { type: 'amount', amount: 1e12, currency: 'EUR' },
        terms: chars(LIMITS.economicTerms, 'E'),
        agreed: true,
      })),
    })),
    escalation: {
      thresholdDays: LIMITS.stallThresholdDays.max,
      vendorChain: vendor.map((p) => p.id),
      partnerChains: partnerIds.map((partnerId, i) => ({
        partnerId,
        chain: at(partnerPeople, i).map((p) => p.id),
      })),
    },
    crmDeal: {
      system: 'salesforce',
      id: chars(LIMITS.externalId, 'K'),
      url: urlOfLength(LIMITS.url),
      amount: 1e12,
      currency: 'USD',
      closeDate: day(90),
    },
    qualification: {
      partnerInvolvement: 'sourced',
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
      weekday: 'tuesday',
      time: '16:00',
      timeZone: 'Europe/Berlin',
      startsOn: day(-7),
      endsOn: day(90),
      durationMinutes: 30,
      // Every vendor and partner person of the plan: the most attendees a plan can have.
      attendeeIds: [...doers],
    },
    lastReviewedOn: day(-1),
  };
}

describe('a plan at every one-page limit at once', () => {
  it('is accepted (the worst case the print layout is built for)', () => {
    expect(issuesOf(maxPlan())).toEqual([]);
  });

  it('is accepted by PlanWrite and, with server fields, by Plan', () => {
    expect(issuesOf(maxPlan(), PlanWrite)).toEqual([]);
    expect(issuesOf(stored(maxPlan()), Plan)).toEqual([]);
  });

  it('really is at the limits it claims (people, actions, terms per partner, full escalation chains)', () => {
    const plan = maxPlan();
    expect(plan.people).toHaveLength(LIMITS.people);
    expect(plan.actions).toHaveLength(LIMITS.actions);
    expect(plan.milestones).toHaveLength(LIMITS.milestones);
    expect(plan.cadence?.attendeeIds).toHaveLength(plan.people.filter((p) => p.side !== 'buyer').length);
    expect(plan.economics.map((e) => (e.kind === 'terms' ? e.terms.length : 0))).toEqual(
      Array.from({ length: LIMITS.partners }, () => LIMITS.economicTermsPerPartner),
    );
    expect(plan.escalation.vendorChain).toHaveLength(LIMITS.escalationChain);
    expect(plan.escalation.partnerChains.map((c) => c.chain.length)).toEqual(
      Array.from({ length: LIMITS.partners }, () => LIMITS.escalationChain),
    );
  });
});

const ONE_PAGE = 'so the plan fits one printed page';

describe('text length limits: exactly at the limit is accepted, one more character is rejected naming the limit', () => {
  it.each<[string, Path, number, string]>([
    [
      'plan title',
      ['title'],
      LIMITS.title,
      `the plan title is limited to ${LIMITS.title} characters ${ONE_PAGE}`,
    ],
    [
      'account name',
      ['accounts', 0, 'name'],
      LIMITS.accountName,
      `the account name is limited to ${LIMITS.accountName} characters ${ONE_PAGE}`,
    ],
    [
      'account domain',
      ['accounts', 1, 'domain'],
      LIMITS.domain,
      `a web domain is limited to ${LIMITS.domain} characters`,
    ],
    [
      'CRM account id',
      ['accounts', 2, 'crmAccountId'],
      LIMITS.crmAccountId,
      `the CRM account id is limited to ${LIMITS.crmAccountId} characters ${ONE_PAGE}`,
    ],
    [
      'overlap population',
      ['accounts', 0, 'overlapSource', 'population'],
      LIMITS.overlapSourceText,
      `the overlap population is limited to ${LIMITS.overlapSourceText} characters ${ONE_PAGE}`,
    ],
    [
      'partner overlap population',
      ['accounts', 0, 'overlapSource', 'partnerPopulation'],
      LIMITS.overlapSourceText,
      `the partner population is limited to ${LIMITS.overlapSourceText} characters ${ONE_PAGE}`,
    ],
    [
      'overlap record id',
      ['accounts', 4, 'overlapSource', 'recordId'],
      LIMITS.externalId,
      `the overlap record id is limited to ${LIMITS.externalId} characters ${ONE_PAGE}`,
    ],
    [
      'partner name',
      ['partners', 0, 'name'],
      LIMITS.partnerName,
      `the partner name is limited to ${LIMITS.partnerName} characters ${ONE_PAGE}`,
    ],
    [
      "partner record's system",
      ['partners', 1, 'record', 'system'],
      LIMITS.partnerName,
      `the partner's system is limited to ${LIMITS.partnerName} characters ${ONE_PAGE}`,
    ],
    [
      "partner record's id",
      ['partners', 2, 'record', 'id'],
      LIMITS.externalId,
      `the partner's record id is limited to ${LIMITS.externalId} characters ${ONE_PAGE}`,
    ],
    [
      "partner record's link",
      ['partners', 0, 'record', 'url'],
      LIMITS.url,
      'a link is limited to 400 characters',
    ],
    [
      'first name',
      ['people', 0, 'firstName'],
      LIMITS.personName,
      `the first name is limited to ${LIMITS.personName} characters ${ONE_PAGE}`,
    ],
    [
      'last name',
      ['people', LIMITS.people - 1, 'lastName'],
      LIMITS.personName,
      `the last name is limited to ${LIMITS.personName} characters ${ONE_PAGE}`,
    ],
    [
      'email',
      ['people', 5, 'email'],
      LIMITS.email,
      `an email address is limited to ${LIMITS.email} characters`,
    ],
    [
      'job title',
      ['people', 3, 'title'],
      LIMITS.roleTitle,
      `the job title is limited to ${LIMITS.roleTitle} characters ${ONE_PAGE}`,
    ],
    [
      'milestone title',
      ['milestones', LIMITS.milestones - 1, 'title'],
      LIMITS.milestoneTitle,
      `the milestone title is limited to ${LIMITS.milestoneTitle} characters ${ONE_PAGE}`,
    ],
    [
      'milestone move reason',
      ['milestones', 0, 'lastMove', 'reason'],
      LIMITS.moveReason,
      `the reason for moving the milestone is limited to ${LIMITS.moveReason} characters ${ONE_PAGE}`,
    ],
    [
      'action description',
      ['actions', LIMITS.actions - 1, 'description'],
      LIMITS.actionDescription,
      `the action is limited to ${LIMITS.actionDescription} characters ${ONE_PAGE}`,
    ],
    [
      'blocker',
      ['actions', 0, 'blocker'],
      LIMITS.blocker,
      `the blocker is limited to ${LIMITS.blocker} characters ${ONE_PAGE}`,
    ],
    [
      'economic terms',
      ['economics', LIMITS.partners - 1, 'terms', LIMITS.economicTermsPerPartner - 1, 'terms'],
      LIMITS.economicTerms,
      `the terms is limited to ${LIMITS.economicTerms} characters ${ONE_PAGE}`,
    ],
    [
      'CRM deal id',
      ['crmDeal', 'id'],
      LIMITS.externalId,
      `the CRM deal id is limited to ${LIMITS.externalId} characters ${ONE_PAGE}`,
    ],
    ['CRM deal link', ['crmDeal', 'url'], LIMITS.url, 'a link is limited to 400 characters'],
  ])('%s: %j holds %i characters', (_name, path, limit, message) => {
    const plan = maxPlan();
    const value = getAt(plan, path);
    expect(value).toHaveLength(limit);
    setAt(plan, path, `${String(value)}x`);
    expect(issuesOf(plan)).toEqual([{ path: [...path], message }]);
    expect(message).toContain(String(limit));
  });

  it('the written no-economics statement is limited to 140 characters', () => {
    const plan = smallPlan();
    plan.economics = [{ partnerId: 'p-1', kind: 'none', statement: chars(LIMITS.noEconomicsStatement) }];
    expect(issuesOf(plan)).toEqual([]);
    plan.economics = [{ partnerId: 'p-1', kind: 'none', statement: chars(LIMITS.noEconomicsStatement + 1) }];
    expect(issuesOf(plan)).toEqual([
      {
        path: ['economics', 0, 'statement'],
        message: `the statement that there are no shared economics is limited to 140 characters ${ONE_PAGE}`,
      },
    ]);
  });

  it('counts characters after trimming surrounding spaces', () => {
    const plan = maxPlan();
    plan.title = `  ${chars(LIMITS.title, 'P')}  `;
    const parsed = PlanContent.parse(plan);
    expect(parsed.title).toBe(chars(LIMITS.title, 'P'));
  });
});

describe('count limits: at the limit is accepted, one more item is rejected naming the limit', () => {
  const extraVendor = (id: string, email: string): Person => ({
    id,
    firstName: 'Extra',
    lastName: 'Person',
    email,
    role: 'vendor-executive',
    side: 'vendor',
  });
  it.each<[string, Path, number, string, unknown]>([
    [
      'shared accounts',
      ['accounts'],
      LIMITS.accounts.max,
      `a plan has at most ${LIMITS.accounts.max} shared accounts ${ONE_PAGE}`,
      { id: 'acc-x', name: 'Extra', domain: 'extra.example' },
    ],
    [
      'partners',
      ['partners'],
      LIMITS.partners,
      `a plan has at most ${LIMITS.partners} partners ${ONE_PAGE}`,
      { id: 'p-x', name: 'Extra' },
    ],
    [
      'people',
      ['people'],
      LIMITS.people,
      `a plan names at most ${LIMITS.people} people ${ONE_PAGE}`,
      extraVendor('v-x', 'extra@vendor.example'),
    ],
    [
      'milestones',
      ['milestones'],
      LIMITS.milestones,
      `a plan has at most ${LIMITS.milestones} milestones ${ONE_PAGE}`,
      { id: 'm-x', title: 'Extra', due: day(5), ownerId: 'b-0', status: 'planned' },
    ],
    [
      'joint actions',
      ['actions'],
      LIMITS.actions,
      `a plan has at most ${LIMITS.actions} joint actions ${ONE_PAGE}`,
      { id: 'a-x', description: 'Extra', ownerId: 'v-0', due: day(5), status: 'open' },
    ],
    [
      'economic terms of one partner',
      ['economics', 1, 'terms'],
      LIMITS.economicTermsPerPartner,
      `at most ${LIMITS.economicTermsPerPartner} economic terms per partner ${ONE_PAGE}`,
      { kind: 'mdf', value: { type: 'percent', percent: 5 }, agreed: false },
    ],
    [
      'vendor escalation chain',
      ['escalation', 'vendorChain'],
      LIMITS.escalationChain,
      `an escalation chain has at most ${LIMITS.escalationChain} people`,
      'v-0',
    ],
    [
      'partner escalation chain',
      ['escalation', 'partnerChains', LIMITS.partners - 1, 'chain'],
      LIMITS.escalationChain,
      `an escalation chain has at most ${LIMITS.escalationChain} people`,
      'p-2-0',
    ],
    [
      'channels',
      ['channelIds'],
      LIMITS.channels,
      `a plan is shown in at most ${LIMITS.channels} channels`,
      '19:extra@thread.tacv2',
    ],
  ])('%s: %j holds %i items', (_name, path, limit, message, extra) => {
    const plan = maxPlan();
    const list = listAt(plan, path);
    expect(list).toHaveLength(limit);
    list.push(extra);
    expect(issuesOf(plan)).toEqual([{ path: [...path], message }]);
    expect(message).toContain(String(limit));
  });

  it('an empty list of economic terms is rejected: write a term or say there are none', () => {
    const plan = smallPlan();
    plan.economics = [{ partnerId: 'p-1', kind: 'terms', terms: [] }];
    expect(issuesOf(plan)).toEqual([
      {
        path: ['economics', 0, 'terms'],
        message: 'write at least one term, or say there are no shared economics',
      },
    ]);
  });
});

describe('numeric limits', () => {
  it.each<[string, Path, number, number, string]>([
    [
      'stall threshold maximum',
      ['escalation', 'thresholdDays'],
      90,
      91,
      'the stall threshold is at most 90 days',
    ],
    [
      'stall threshold minimum',
      ['escalation', 'thresholdDays'],
      1,
      0,
      'the stall threshold is at least 1 day',
    ],
    [
      'stall threshold in whole days',
      ['escalation', 'thresholdDays'],
      14,
      14.5,
      'the stall threshold is a whole number of days',
    ],
    [
      'qualification cycle maximum',
      ['qualification', 'cycleDays'],
      1000,
      1001,
      'the sales cycle is at most 1000 days',
    ],
    [
      'qualification cycle minimum',
      ['qualification', 'cycleDays'],
      1,
      0,
      'the sales cycle is at least 1 day',
    ],
    [
      'percentage maximum',
      ['economics', 0, 'terms', 0, 'value', 'percent'],
      100,
      100.5,
      'a percentage is at most 100',
    ],
    [
      'percentage minimum',
      ['economics', 0, 'terms', 0, 'value', 'percent'],
      0,
      -1,
      'a percentage is 0 or more',
    ],
    ['amount minimum', ['economics', 1, 'terms', 1, 'value', 'amount'], 0, -0.01, 'an amount is 0 or more'],
    [
      'amount maximum',
      ['economics', 1, 'terms', 1, 'value', 'amount'],
      1e12,
      1e12 + 1,
      'an amount is at most 1,000,000,000,000',
    ],
    ['deal amount minimum', ['crmDeal', 'amount'], 0, -1, 'the deal amount is 0 or more'],
  ])('%s: %j accepts %d and rejects %d', (_name, path, ok, bad, message) => {
    const plan = demo();
    setAt(plan, path, ok);
    expect(issuesOf(plan)).toEqual([]);
    setAt(plan, path, bad);
    expect(issuesOf(plan)).toEqual([{ path: [...path], message }]);
  });
});

describe('unknown fields are rejected, naming the field', () => {
  it.each<[string, Path]>([
    ['the plan', []],
    ['a shared account', ['accounts', 0]],
    ['an overlap source', ['accounts', 0, 'overlapSource']],
    ['a partner', ['partners', 1]],
    ["a partner's record", ['partners', 1, 'record']],
    ['a person', ['people', 3]],
    ['a milestone', ['milestones', 2]],
    ["a milestone's last move", ['milestones', 4, 'lastMove']],
    ['a joint action', ['actions', 5]],
    ['the economics of a partner', ['economics', 0]],
    ['an economic term', ['economics', 0, 'terms', 1]],
    ['an economic value', ['economics', 0, 'terms', 1, 'value']],
    ['the escalation path', ['escalation']],
    ["a partner's escalation chain", ['escalation', 'partnerChains', 0]],
    ['the CRM deal', ['crmDeal']],
    ['the qualification answers', ['qualification']],
    ['the cadence', ['cadence']],
  ])('in %s (%j)', (_name, path) => {
    const plan = demo();
    const target = getAt(plan, path);
    if (typeof target !== 'object' || target === null) throw new Error('not an object');
    Object.assign(target, { ownerEmial: 'typo@vendor.example' });
    expect(issuesOf(plan)).toEqual([{ path: [...path], message: 'Unrecognized key: "ownerEmial"' }]);
  });
});

describe('formats', () => {
  describe('HttpsUrl', () => {
    it.each([
      'https://contoso.com',
      'https://contoso.my.salesforce.com/a0B5g000001?tab=detail#notes',
      'https://app.hubspot.com:443/contacts/5581/deal/2231',
    ])('accepts %s', (url) => {
      expect(HttpsUrl.safeParse(url)).toEqual({ success: true, data: url });
    });

    it.each([
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a javascript: URL dressed as a path', 'javascript://contoso.com/%0Aalert(1)'],
      ['plain http', 'http://contoso.com'],
      ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
      ['ftp', 'ftp://files.contoso.com/deal.pdf'],
      ['credentials in the link', 'https://user:secret@contoso.com/'],
      ['a user name in the link', 'https://user@contoso.com/'],
      ['no host', 'https://'],
      ['no scheme', 'contoso.com/deal'],
      ['a protocol-relative link', '//contoso.com/deal'],
      ['the empty string', ''],
    ])('rejects %s (%s)', (_name, url) => {
      expect(issuesOf(url, HttpsUrl)).toEqual([{ path: [], message: 'a link must be an https:// URL' }]);
    });

    it('rejects a 401-character https link naming the limit', () => {
      expect(issuesOf(urlOfLength(401), HttpsUrl)).toContainEqual({
        path: [],
        message: 'a link is limited to 400 characters',
      });
      expect(issuesOf(urlOfLength(400), HttpsUrl)).toEqual([]);
    });

    it('rejects a javascript: link in a plan at its path', () => {
      const plan = demo();
      if (!plan.crmDeal) throw new Error('the demo has a CRM deal');
      plan.crmDeal.url = 'javascript:alert(document.cookie)';
      expect(issuesOf(plan)).toEqual([
        { path: ['crmDeal', 'url'], message: 'a link must be an https:// URL' },
      ]);
    });
  });

  describe('Email', () => {
    it.each([
      ['maya.okafor@vendor.example', 'maya.okafor@vendor.example'],
      ['Maya.Okafor@Vendor.EXAMPLE', 'maya.okafor@vendor.example'],
      ['  sofia+cosell@contoso.example  ', 'sofia+cosell@contoso.example'],
    ])('accepts %j as %j (trimmed, lower-cased)', (input, output) => {
      expect(Email.parse(input)).toBe(output);
    });

    it.each([
      ['no @', 'maya.okafor'],
      ['nothing after @', 'maya@'],
      ['nothing before @', '@vendor.example'],
      ['no top-level domain', 'maya@vendor'],
      ['a space inside', 'maya okafor@vendor.example'],
      ['two @', 'maya@@vendor.example'],
      ['a display name', 'Maya <maya@vendor.example>'],
      ['the empty string', ''],
    ])('rejects %s (%j)', (_name, input) => {
      expect(issuesOf(input, Email)).toEqual([{ path: [], message: 'not a valid email address' }]);
    });
  });

  describe('IsoDateSchema', () => {
    it.each(['2026-06-15', '2024-02-29', '2026-12-31'])('accepts %s', (date) => {
      expect(IsoDateSchema.safeParse(date).success).toBe(true);
    });

    it.each([
      '2026-02-30',
      '2026-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026/06/15',
      '15.06.2026',
      '2026-06-15T10:00:00Z',
    ])('rejects %s', (date) => {
      expect(issuesOf(date, IsoDateSchema)).toEqual([
        { path: [], message: 'a date is written YYYY-MM-DD and must exist on the calendar' },
      ]);
    });

    it('rejects an impossible milestone due date at its path', () => {
      const plan = demo();
      at(plan.milestones, 1).due = '2026-02-30';
      expect(issuesOf(plan)).toEqual([
        {
          path: ['milestones', 1, 'due'],
          message: 'a date is written YYYY-MM-DD and must exist on the calendar',
        },
      ]);
    });
  });

  describe('Currency', () => {
    it.each(['USD', 'EUR', 'JPY'])('accepts %s', (code) => {
      expect(Currency.safeParse(code).success).toBe(true);
    });

    it.each(['usd', 'US', 'USDT', '$', 'U5D', ''])('rejects %j', (code) => {
      expect(issuesOf(code, Currency)).toEqual([
        { path: [], message: 'a currency is a three-letter ISO 4217 code' },
      ]);
    });

    it('rejects a lower-case currency of an economic amount at its path', () => {
      const plan = demo();
      setAt(plan, ['economics', 1, 'terms', 1, 'value', 'currency'], 'usd');
      expect(issuesOf(plan)).toEqual([
        {
          path: ['economics', 1, 'terms', 1, 'value', 'currency'],
          message: 'a currency is a three-letter ISO 4217 code',
        },
      ]);
    });
  });

  describe('Id', () => {
    it.each(['a', 'acc-1', 'A_1', chars(64, 'i')])('accepts %j', (id) => {
      expect(Id.safeParse(id).success).toBe(true);
    });

    it.each(['', '-leading-dash', 'with space', 'dot.ted', chars(65, 'i')])('rejects %j', (id) => {
      expect(issuesOf(id, Id)).toEqual([
        {
          path: [],
          message: 'an id is 1 to 64 letters, digits, "-" or "_", starting with a letter or digit',
        },
      ]);
    });
  });

  describe('plan text', () => {
    it.each<[string, string, string]>([
      ['only spaces', '   ', 'the plan title is required'],
      ['empty', '', 'the plan title is required'],
      [
        'a line break',
        'Northwind\nrollout',
        'the plan title is one line of plain text: no line breaks or control characters',
      ],
      [
        'a tab',
        'Northwind\trollout',
        'the plan title is one line of plain text: no line breaks or control characters',
      ],
      [
        'a DEL character',
        'Northwind\u007frollout',
        'the plan title is one line of plain text: no line breaks or control characters',
      ],
    ])('a title with %s is rejected: %s', (_name, title, message) => {
      const plan = demo();
      plan.title = title;
      expect(issuesOf(plan)).toEqual([{ path: ['title'], message }]);
    });
  });

  it.each<[string, Path, unknown, string]>([
    [
      'a web domain with a scheme',
      ['accounts', 0, 'domain'],
      'https://contoso.com',
      'a web domain looks like contoso.com (no https://, no path)',
    ],
    [
      'a web domain with a path',
      ['accounts', 0, 'domain'],
      'contoso.com/about',
      'a web domain looks like contoso.com (no https://, no path)',
    ],
    [
      'a tenant id that is not a GUID',
      ['partners', 0, 'tenantId'],
      'contoso.onmicrosoft.com',
      'a tenant id is a GUID',
    ],
    [
      'a cadence meeting of 60 minutes',
      ['cadence', 'durationMinutes'],
      60,
      'the weekly co-sell meeting is 30 minutes',
    ],
    ['a cadence time of 24:00', ['cadence', 'time'], '24:00', 'a time is HH:MM on a 24-hour clock'],
    ['a cadence time of 9:30', ['cadence', 'time'], '9:30', 'a time is HH:MM on a 24-hour clock'],
    [
      'a time zone that is not an IANA name',
      ['cadence', 'timeZone'],
      'Central European Time',
      'a time zone is an IANA name like Europe/Berlin',
    ],
  ])('%s is rejected: %s', (_name, path, value, message) => {
    const plan = demo();
    setAt(plan, path, value);
    expect(issuesOf(plan)).toEqual([{ path: [...path], message }]);
  });

  it('lower-cases a web domain', () => {
    const plan = demo();
    setAt(plan, ['accounts', 0, 'domain'], 'NorthwindLogistics.COM');
    expect(at(PlanContent.parse(plan).accounts, 0).domain).toBe('northwindlogistics.com');
  });

  it('defaults the channels to none when absent', () => {
    const { channelIds: _omitted, ...rest } = demo();
    expect(PlanContent.parse(rest).channelIds).toEqual([]);
  });
});

describe('cross-field rules (checkPlanReferences), each with its error path', () => {
  const vendor = (id: string, email: string): Person => ({
    id,
    firstName: 'Extra',
    lastName: 'Vendor',
    email,
    role: 'vendor-executive',
    side: 'vendor',
  });
  const cadenceOf = (plan: PlanContent) => {
    if (!plan.cadence) throw new Error('the demo has a cadence');
    return plan.cadence;
  };

  it.each<[string, (plan: PlanContent) => void, Path, string]>([
    [
      'a duplicate account id',
      (p) => p.accounts.push({ ...at(p.accounts, 0), name: 'Copy' }),
      ['accounts', 2, 'id'],
      'the id "acc-northwind" is used twice',
    ],
    [
      'a duplicate partner id',
      (p) => p.partners.push({ id: 'p-contoso', name: 'Contoso again' }),
      ['partners', 2, 'id'],
      'the id "p-contoso" is used twice',
    ],
    [
      'a duplicate person id',
      (p) => p.people.push(vendor('v-ae', 'other@vendor.example')),
      ['people', 10, 'id'],
      'the id "v-ae" is used twice',
    ],
    [
      'a duplicate milestone id',
      (p) => p.milestones.push({ ...at(p.milestones, 1), title: 'Copy' }),
      ['milestones', 5, 'id'],
      'the id "m-pilot" is used twice',
    ],
    [
      'a duplicate action id',
      (p) => p.actions.push({ ...at(p.actions, 5), description: 'Copy' }),
      ['actions', 6, 'id'],
      'the id "act-pricing" is used twice',
    ],
    [
      'an email named twice',
      (p) => {
        at(p.people, 1).email = 'maya.okafor@vendor.example';
      },
      ['people', 1, 'email'],
      'maya.okafor@vendor.example is named twice',
    ],
    [
      'a vendor role on a buyer-side person',
      (p) => {
        at(p.people, 9).role = 'account-executive';
      },
      ['people', 9, 'role'],
      'the role account-executive belongs to the vendor side',
    ],
    [
      'a buyer role on a vendor-side person',
      (p) => {
        at(p.people, 3).role = 'champion';
      },
      ['people', 3, 'role'],
      'the role champion belongs to the buyer side',
    ],
    [
      'a partner-side person without a partner',
      (p) =>
        p.people.push({ ...vendor('c-x', 'x@contoso.example'), role: 'partner-executive', side: 'partner' }),
      ['people', 10, 'partnerId'],
      'a partner-side person names their partner',
    ],
    [
      'a partner-side person of an unknown partner',
      (p) =>
        p.people.push({
          ...vendor('c-x', 'x@contoso.example'),
          role: 'partner-executive',
          side: 'partner',
          partnerId: 'p-nope',
        }),
      ['people', 10, 'partnerId'],
      'no partner with id "p-nope"',
    ],
    [
      'a vendor-side person naming a partner',
      (p) => {
        at(p.people, 0).partnerId = 'p-contoso';
      },
      ['people', 0, 'partnerId'],
      'only a partner-side person names a partner',
    ],
    [
      'a milestone owner not on the plan',
      (p) => {
        at(p.milestones, 1).ownerId = 'nobody';
      },
      ['milestones', 1, 'ownerId'],
      'no person with id "nobody" is named on the plan',
    ],
    [
      'a milestone of an unknown account',
      (p) => {
        at(p.milestones, 1).accountId = 'acc-nope';
      },
      ['milestones', 1, 'accountId'],
      'no shared account with id "acc-nope"',
    ],
    [
      'a done date on a milestone that is not done',
      (p) => {
        at(p.milestones, 1).doneOn = day(-1);
      },
      ['milestones', 1, 'doneOn'],
      'a done date is set only on a done milestone',
    ],
    [
      'an action owner not on the plan',
      (p) => {
        at(p.actions, 1).ownerId = 'nobody';
      },
      ['actions', 1, 'ownerId'],
      'no person with id "nobody" is named on the plan',
    ],
    [
      'an action owned by the buyer',
      (p) => {
        at(p.actions, 1).ownerId = 'b-eb';
      },
      ['actions', 1, 'ownerId'],
      'a joint action is owned by someone on the vendor or a partner side',
    ],
    [
      'a blocked action without a blocker',
      (p) => {
        at(p.actions, 1).status = 'blocked';
      },
      ['actions', 1, 'blocker'],
      'a blocked action says what blocks it',
    ],
    [
      'a blocker on an open action',
      (p) => {
        at(p.actions, 1).blocker = 'Waiting';
      },
      ['actions', 1, 'blocker'],
      'only a blocked action has a blocker',
    ],
    [
      'a blocker on a done action',
      (p) => {
        at(p.actions, 0).blocker = 'Waiting';
      },
      ['actions', 0, 'blocker'],
      'only a blocked action has a blocker',
    ],
    [
      'a done date on an open action',
      (p) => {
        at(p.actions, 1).doneOn = day(-1);
      },
      ['actions', 1, 'doneOn'],
      'a done date is set only on a done action',
    ],
    [
      'an action of an unknown milestone',
      (p) => {
        at(p.actions, 1).milestoneId = 'm-nope';
      },
      ['actions', 1, 'milestoneId'],
      'no milestone with id "m-nope"',
    ],
    [
      'an action of an unknown account',
      (p) => {
        at(p.actions, 1).accountId = 'acc-nope';
      },
      ['actions', 1, 'accountId'],
      'no shared account with id "acc-nope"',
    ],
    [
      'economics of an unknown partner',
      (p) => {
        at(p.economics, 1).partnerId = 'p-nope';
      },
      ['economics', 1, 'partnerId'],
      'no partner with id "p-nope"',
    ],
    [
      'economics of a partner written twice',
      (p) => {
        at(p.economics, 1).partnerId = 'p-contoso';
      },
      ['economics', 1, 'partnerId'],
      'the economics of a partner are written once',
    ],
    [
      'an unknown person in the vendor chain',
      (p) => {
        p.escalation.vendorChain[1] = 'nobody';
      },
      ['escalation', 'vendorChain', 1],
      'no person with id "nobody"',
    ],
    [
      'a partner person in the vendor chain',
      (p) => {
        p.escalation.vendorChain[1] = 'c-pc';
      },
      ['escalation', 'vendorChain', 1],
      'Sofia Marino is not on the vendor side',
    ],
    [
      'a buyer in the vendor chain',
      (p) => {
        p.escalation.vendorChain[0] = 'b-eb';
      },
      ['escalation', 'vendorChain', 0],
      'Helen Costa is not on the vendor side',
    ],
    [
      'a chain for an unknown partner',
      (p) => {
        p.escalation.partnerChains[1] = { partnerId: 'p-nope', chain: [] };
      },
      ['escalation', 'partnerChains', 1, 'partnerId'],
      'no partner with id "p-nope"',
    ],
    [
      'two chains for one partner',
      (p) => {
        p.escalation.partnerChains[1] = { partnerId: 'p-contoso', chain: ['c-pm'] };
      },
      ['escalation', 'partnerChains', 1, 'partnerId'],
      'one escalation chain per partner',
    ],
    [
      'an unknown person in a partner chain',
      (p) => {
        at(p.escalation.partnerChains, 0).chain[1] = 'nobody';
      },
      ['escalation', 'partnerChains', 0, 'chain', 1],
      'no person with id "nobody"',
    ],
    [
      "another partner's person in a partner chain",
      (p) => {
        at(p.escalation.partnerChains, 0).chain[1] = 'a-pc';
      },
      ['escalation', 'partnerChains', 0, 'chain', 1],
      "Kenji Watanabe is not on this partner's side",
    ],
    [
      'a vendor person in a partner chain',
      (p) => {
        at(p.escalation.partnerChains, 1).chain[0] = 'v-ae';
      },
      ['escalation', 'partnerChains', 1, 'chain', 0],
      "Maya Okafor is not on this partner's side",
    ],
    [
      'an unknown cadence attendee',
      (p) => {
        cadenceOf(p).attendeeIds[2] = 'nobody';
      },
      ['cadence', 'attendeeIds', 2],
      'no person with id "nobody"',
    ],
    [
      'the buyer as a cadence attendee',
      (p) => {
        cadenceOf(p).attendeeIds.push('b-ch');
      },
      ['cadence', 'attendeeIds', 7],
      'the buyer is not an attendee of the weekly co-sell meeting',
    ],
    [
      'a cadence that ends before it starts',
      (p) => {
        cadenceOf(p).endsOn = day(-36);
      },
      ['cadence', 'endsOn'],
      'the cadence ends on or after the day it starts',
    ],
  ])('%s', (_name, mutate, path, message) => {
    const plan = demo();
    expect(checkPlanReferences(plan)).toEqual([]);
    mutate(plan);
    expect(checkPlanReferences(plan)).toEqual([{ path: [...path], message }]);
    expect(issuesOf(plan)).toEqual([{ path: [...path], message }]);
    expect(issuesOf(plan, PlanWrite)).toEqual([{ path: [...path], message }]);
  });

  it('finds an email named twice in another case, since parsing lower-cases emails first', () => {
    const plan = demo();
    at(plan.people, 1).email = 'MAYA.Okafor@Vendor.example';
    expect(issuesOf(plan)).toEqual([
      { path: ['people', 1, 'email'], message: 'maya.okafor@vendor.example is named twice' },
    ]);
  });

  it('accepts a cadence that ends on the day it starts', () => {
    const plan = demo();
    cadenceOf(plan).endsOn = cadenceOf(plan).startsOn;
    expect(issuesOf(plan)).toEqual([]);
  });

  it('accepts a milestone owned by the buyer and a done milestone without a done date (the server fills it)', () => {
    const plan = demo();
    at(plan.milestones, 1).ownerId = 'b-eb';
    at(plan.milestones, 2).status = 'done';
    expect(issuesOf(plan)).toEqual([]);
  });

  it.each(['active', 'paused', 'won', 'lost'] as const)(
    'a %s plan with no shared account is rejected',
    (status) => {
      const plan = smallPlan();
      plan.status = status;
      plan.accounts = [];
      expect(issuesOf(plan)).toEqual([
        { path: ['accounts'], message: 'a plan that is no longer a draft names at least 1 shared account' },
      ]);
    },
  );

  it('a draft plan with no shared account is accepted', () => {
    const plan = smallPlan();
    plan.status = 'draft';
    plan.accounts = [];
    expect(issuesOf(plan)).toEqual([]);
  });
});

describe('PlanWrite and Plan', () => {
  it('PlanWrite accepts the server fields a client echoes back, and contentOf drops them', () => {
    const echoed = { ...stored(demo(), { activatedOn: day(-40) }), version: 7, createdBy: 'someone-else' };
    const parsed = PlanWrite.parse(echoed);
    const content = contentOf(parsed);
    expect(content).toEqual(PlanContent.parse(demo()));
    expect(Object.keys(content)).not.toContain('version');
    expect(Object.keys(content)).not.toContain('createdBy');
    expect(Object.keys(content)).not.toContain('activatedOn');
  });

  it('PlanWrite still rejects a field that is neither content nor a server field', () => {
    expect(issuesOf({ ...demo(), etag: '"7"' }, PlanWrite)).toEqual([
      { path: [], message: 'Unrecognized key: "etag"' },
    ]);
  });

  it('Plan requires the server fields and PlanContent refuses them', () => {
    expect(issuesOf(stored(demo()), Plan)).toEqual([]);
    expect(issuesOf(demo(), Plan).map((i) => i.path)).toEqual([
      ['id'],
      ['version'],
      ['createdAt'],
      ['createdBy'],
      ['updatedAt'],
      ['updatedBy'],
    ]);
    expect(issuesOf({ ...demo(), version: 2 })).toEqual([
      { path: [], message: 'Unrecognized key: "version"' },
    ]);
  });
});

describe('the stall threshold default', () => {
  it('is 14 days when the escalation path does not say (SPEC §3)', () => {
    const input = demo();
    const { thresholdDays: _dropped, ...escalation } = input.escalation;
    const parsed = PlanContent.parse({ ...input, escalation });
    expect(parsed.escalation.thresholdDays).toBe(14);
  });
});

describe('cadence attendees', () => {
  it('refuses a person invited twice, at the second place', () => {
    const plan = demo();
    const first = plan.cadence?.attendeeIds[0] ?? 'v-ae';
    const cadence = plan.cadence
      ? { ...plan.cadence, attendeeIds: [...plan.cadence.attendeeIds, first] }
      : undefined;
    const issues = issuesOf({ ...plan, ...(cadence ? { cadence } : {}) });
    expect(issues).toEqual([
      {
        path: ['cadence', 'attendeeIds', (cadence?.attendeeIds.length ?? 1) - 1],
        message: `"${first}" is invited twice`,
      },
    ]);
  });
});
