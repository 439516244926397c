import {
  type AccessContext,
  canEditEconomicsOf,
  canEditPlan,
  canRead,
  checkEconomicsEdit,
  checkSideEdit,
  describeChanges,
  HIDDEN_CHANGES_SENTENCE,
  type HistoryEntry,
  type PartnerEconomics,
  type Plan,
  type PlanContent,
  redactHistoryFor,
  redactPlanFor,
  redactSummaryFor,
  resolveSide,
  restoreHiddenEconomics,
  summarizePlan,
  type Viewer,
  type ViewerSide,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { at, byId, day, demo, TODAY } from './plan-fixtures';

/*
 * Sides and rights (issue 6) on the two-partner demo plan: Contoso Consulting (partner A) and
 * A. Datum Cloud Services (partner B), each with its own tenant, shown in one shared channel.
 */

const VENDOR_TENANT = '11111111-1111-4111-8111-111111111111';
const CONTOSO_TENANT = '22222222-2222-4222-8222-222222222222';
const ADATUM_TENANT = '33333333-3333-4333-8333-333333333333';
const OTHER_TENANT = '44444444-4444-4444-8444-444444444444';
const CHANNEL = '19:cosell-northwind@thread.tacv2';
const ctx: AccessContext = { vendorTenantId: VENDOR_TENANT };

const A = 'p-contoso';
const B = 'p-adatum';
const VENDOR: ViewerSide = { kind: 'vendor' };
const PARTNER_A: ViewerSide = { kind: 'partner', partnerId: A };
const PARTNER_B: ViewerSide = { kind: 'partner', partnerId: B };
const BUYER: ViewerSide = { kind: 'buyer' };
const NONE: ViewerSide = { kind: 'none' };
const SIDES: [string, ViewerSide][] = [
  ['vendor', VENDOR],
  ['partner A', PARTNER_A],
  ['partner B', PARTNER_B],
  ['buyer', BUYER],
  ['none', NONE],
];

/** The demo plan with both partners' tenants known and one channel showing it. */
function plan(): PlanContent {
  const p = demo();
  byId(p.partners, A).tenantId = CONTOSO_TENANT;
  byId(p.partners, B).tenantId = ADATUM_TENANT;
  p.channelIds = [CHANNEL];
  return p;
}

function storedPlan(content: PlanContent = plan()): Plan {
  return {
    id: 'plan-northwind',
    version: 7,
    createdAt: '2026-04-01T09:00:00.000Z',
    createdBy: 'maya.okafor@vendor.example',
    updatedAt: '2026-06-10T09:00:00.000Z',
    updatedBy: 'priya.raman@vendor.example',
    activatedOn: day(-40),
    ...content,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const economicsOf = (p: Pick<PlanContent, 'economics'>, partnerId: string): PartnerEconomics =>
  byId(
    p.economics.map((e) => ({ ...e, id: e.partnerId })),
    partnerId,
  );

/** Everything of partner B's economics that must never reach partner A (and the reverse). */
const ADATUM_SECRETS = [
  'Resale through A. Datum marketplace listing',
  'Joint logistics webinar in Q1',
  '"percent":18',
  '"amount":15000',
  'resale-margin',
  '"mdf"',
];
const CONTOSO_SECRETS = [
  'Contoso delivers and bills the rollout services',
  'On first-year ACV, paid on customer payment',
  '"percent":100',
  '"percent":10',
  'services-share',
  'referral-fee',
];

describe('resolveSide', () => {
  const v = (id: string, tenantId?: string): Viewer => (tenantId ? { id, tenantId } : { id });
  it.each<[string, Viewer, ViewerSide]>([
    ['the vendor tenant is the vendor', v('someone@vendor.example', VENDOR_TENANT), VENDOR],
    ['the vendor tenant in upper case', v('someone@vendor.example', VENDOR_TENANT.toUpperCase()), VENDOR],
    ["partner A's tenant is partner A", v('new.hire@contoso.example', CONTOSO_TENANT), PARTNER_A],
    ["partner B's tenant is partner B", v('new.hire@adatum.example', ADATUM_TENANT), PARTNER_B],
    ['the tenant wins over a vendor email', v('maya.okafor@vendor.example', CONTOSO_TENANT), PARTNER_A],
    ["the tenant wins over partner B's email", v('kenji.watanabe@adatum.example', CONTOSO_TENANT), PARTNER_A],
    ['no tenant: a vendor person by email', v('maya.okafor@vendor.example'), VENDOR],
    ['no tenant: partner A by email, any case', v('Sofia.Marino@CONTOSO.example'), PARTNER_A],
    ['no tenant: partner B by email', v('amara.nwosu@adatum.example'), PARTNER_B],
    ['no tenant: a named buyer', v('helen.costa@northwindlogistics.com'), BUYER],
    ['no tenant: a named buyer, upper case', v('OMAR.HADDAD@northwindlogistics.com'), BUYER],
    ['no tenant, not named', v('stranger@example.com'), NONE],
    ['another tenant, not named', v('stranger@example.com', OTHER_TENANT), NONE],
    ['another tenant never becomes the vendor by email', v('maya.okafor@vendor.example', OTHER_TENANT), NONE],
    [
      "another tenant never becomes partner A by email when A's tenant is known",
      v('sofia.marino@contoso.example', OTHER_TENANT),
      NONE,
    ],
    ['a buyer from their own tenant', v('helen.costa@northwindlogistics.com', OTHER_TENANT), BUYER],
    ['an empty id is nobody', v(''), NONE],
  ])('%s', (_name, viewer, expected) => {
    expect(resolveSide(plan(), viewer, ctx)).toEqual(expected);
  });

  it('a partner whose tenant is unknown is found by email from any tenant', () => {
    const p = plan();
    delete byId(p.partners, B).tenantId;
    expect(resolveSide(p, v('kenji.watanabe@adatum.example', OTHER_TENANT), ctx)).toEqual(PARTNER_B);
  });

  it('two partners claiming one tenant: the tenant decides nothing, the email does', () => {
    const p = plan();
    byId(p.partners, B).tenantId = CONTOSO_TENANT;
    expect(resolveSide(p, v('new.hire@contoso.example', CONTOSO_TENANT), ctx)).toEqual(NONE);
    expect(resolveSide(p, v('kenji.watanabe@adatum.example'), ctx)).toEqual(PARTNER_B);
  });

  it('an empty vendor tenant id matches no viewer', () => {
    expect(resolveSide(plan(), v('stranger@example.com'), { vendorTenantId: '' })).toEqual(NONE);
    expect(resolveSide(plan(), { id: 'x@example.com', tenantId: '' }, { vendorTenantId: '' })).toEqual(NONE);
  });
});

describe('canRead, canEditPlan, canEditEconomicsOf', () => {
  // [name, viewer, reads (and edits the plan), may change A's economics, may change B's economics]
  it.each<[string, Viewer, boolean, boolean, boolean]>([
    [
      'a named vendor person',
      { id: 'maya.okafor@vendor.example', tenantId: VENDOR_TENANT },
      true,
      true,
      true,
    ],
    ['a named person, email in another case', { id: 'LUKAS.BRANDT@vendor.example' }, true, true, true],
    ['partner A, named', { id: 'sofia.marino@contoso.example', tenantId: CONTOSO_TENANT }, true, true, false],
    ['partner B, named', { id: 'kenji.watanabe@adatum.example', tenantId: ADATUM_TENANT }, true, false, true],
    ['a named buyer', { id: 'helen.costa@northwindlogistics.com' }, true, false, false],
    [
      'a channel member of partner A, not named',
      { id: 'new.hire@contoso.example', tenantId: CONTOSO_TENANT, channelIds: ['19:other', CHANNEL] },
      true,
      true,
      false,
    ],
    [
      'a channel member of no known tenant',
      { id: 'guest@example.com', tenantId: OTHER_TENANT, channelIds: [CHANNEL] },
      true,
      false,
      false,
    ],
    [
      'a vendor-tenant user neither named nor in the channel',
      { id: 'ceo@vendor.example', tenantId: VENDOR_TENANT, channelIds: ['19:other'] },
      false,
      false,
      false,
    ],
    [
      'a non-member with no channels',
      { id: 'stranger@example.com', tenantId: OTHER_TENANT },
      false,
      false,
      false,
    ],
    [
      "partner A's tenant, not named, not in the channel",
      { id: 'new.hire@contoso.example', tenantId: CONTOSO_TENANT },
      false,
      false,
      false,
    ],
  ])('%s', (_name, viewer, reads, editsA, editsB) => {
    const p = plan();
    expect(canRead(p, viewer, ctx)).toBe(reads);
    expect(canEditPlan(p, viewer, ctx)).toBe(reads);
    expect(canEditEconomicsOf(p, viewer, ctx, A)).toBe(editsA);
    expect(canEditEconomicsOf(p, viewer, ctx, B)).toBe(editsB);
  });

  it('a plan shown in no channel is read by named people only', () => {
    const p = plan();
    p.channelIds = [];
    expect(canRead(p, { id: 'x@contoso.example', channelIds: [CHANNEL] }, ctx)).toBe(false);
    expect(canRead(p, { id: 'sofia.marino@contoso.example', channelIds: [] }, ctx)).toBe(true);
  });
});

describe('redactPlanFor', () => {
  it.each<[string, ViewerSide, string[], string[], string[]]>([
    // [side, economics partner ids kept, secrets present, secrets absent]
    ['vendor', VENDOR, [A, B], [...CONTOSO_SECRETS, ...ADATUM_SECRETS], []],
    ['partner A', PARTNER_A, [A], CONTOSO_SECRETS, ADATUM_SECRETS],
    ['partner B', PARTNER_B, [B], ADATUM_SECRETS, CONTOSO_SECRETS],
    ['buyer', BUYER, [], [], [...CONTOSO_SECRETS, ...ADATUM_SECRETS]],
    ['none', NONE, [], [], [...CONTOSO_SECRETS, ...ADATUM_SECRETS]],
  ])('%s', (_name, side, kept, present, absent) => {
    const original = deepFreeze(storedPlan());
    const before = JSON.stringify(original);
    const view = redactPlanFor(original, side);
    expect(view.economics.map((e) => e.partnerId)).toEqual(kept);
    const json = JSON.stringify(view);
    for (const s of present) expect(json).toContain(s);
    for (const s of absent) expect(json).not.toContain(s);
    // Everything else is there, unchanged.
    expect({ ...view, economics: [] }).toEqual({ ...original, economics: [] });
    expect(JSON.stringify(original)).toBe(before);
    // Nothing hidden: the plan itself (no copy on the hot read path); something hidden: a copy.
    if (kept.length === original.economics.length) expect(view).toBe(original);
    else expect(view).not.toBe(original);
  });

  it("a partner's view is a copy: changing it changes nothing stored", () => {
    const original = storedPlan();
    const view = redactPlanFor(original, PARTNER_A);
    at(view.economics, 0).partnerId = 'changed';
    at(view.people, 0).email = 'changed@example.com';
    expect(economicsOf(original, A).partnerId).toBe(A);
    expect(at(original.people, 0).email).toBe('maya.okafor@vendor.example');
  });
});

/** Partner B's economics with one term changed. */
function changeB(p: PlanContent): PlanContent {
  const next = structuredClone(p);
  const b = economicsOf(next, B);
  next.economics = next.economics.map((e) =>
    e.partnerId === B && b.kind === 'terms'
      ? { ...b, terms: b.terms.map((t) => ({ ...t, agreed: true })) }
      : e,
  );
  return next;
}
function changeA(p: PlanContent): PlanContent {
  const next = structuredClone(p);
  next.economics = next.economics.map((e) =>
    e.partnerId === A ? { partnerId: A, kind: 'none', statement: 'No shared economics on this deal' } : e,
  );
  return next;
}
function removeB(p: PlanContent): PlanContent {
  return { ...structuredClone(p), economics: p.economics.filter((e) => e.partnerId !== B) };
}
function addC(p: PlanContent): PlanContent {
  const next = structuredClone(p);
  next.partners.push({ id: 'p-c', name: 'Third Partner' });
  next.economics.push({ partnerId: 'p-c', kind: 'none', statement: 'None' });
  return next;
}

describe('checkEconomicsEdit', () => {
  const edits: [string, (p: PlanContent) => PlanContent][] = [
    ['nothing', (p) => structuredClone(p)],
    ["A's economics changed", changeA],
    ["B's economics changed", changeB],
    ["B's economics removed", removeB],
    ['both changed', (p) => changeB(changeA(p))],
    ["a new partner's economics added", addC],
  ];
  const expected: Record<string, Record<string, string[]>> = {
    vendor: { nothing: [], "A's": [], "B's": [], both: [], 'a new': [] },
    'partner A': { nothing: [], "A's": [], "B's": [B], both: [B], 'a new': ['p-c'] },
    'partner B': { nothing: [], "A's": [A], "B's": [], both: [A], 'a new': ['p-c'] },
    buyer: { nothing: [], "A's": [A], "B's": [B], both: [A, B], 'a new': ['p-c'] },
    none: { nothing: [], "A's": [A], "B's": [B], both: [A, B], 'a new': ['p-c'] },
  };
  const cases = SIDES.flatMap(([sideName, side]) =>
    edits.map(([editName, edit]) => {
      const key = editName.split(' ')[0] === 'a' ? 'a new' : (editName.split(' ')[0] ?? '');
      const want = expected[sideName]?.[key];
      if (want === undefined) throw new Error(`no expectation for ${sideName} / ${editName}`);
      return [sideName, editName, side, edit, want] as const;
    }),
  );
  it.each(cases)('%s: %s', (_s, _e, side, edit, want) => {
    const before = deepFreeze(plan());
    const snapshot = JSON.stringify(before);
    const after = deepFreeze(edit(before));
    expect(checkEconomicsEdit(before, after, side)).toEqual(want);
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('the order of keys inside an entry is no change', () => {
    const before = plan();
    const after = structuredClone(before);
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    after.economics = after.economics.map((e) => reversed(e) as PartnerEconomics);
    expect(JSON.stringify(after.economics)).not.toBe(JSON.stringify(before.economics));
    expect(checkEconomicsEdit(before, after, PARTNER_A)).toEqual([]);
  });
});

describe('restoreHiddenEconomics', () => {
  it("partner A saving the plan it was shown keeps B's economics, and the edit passes", () => {
    const stored = deepFreeze(plan());
    const shown = redactPlanFor(stored, PARTNER_A);
    const incoming = deepFreeze(changeA(shown));
    const write = restoreHiddenEconomics(stored, incoming, PARTNER_A);
    expect(economicsOf(write, B)).toEqual(economicsOf(stored, B));
    expect(economicsOf(write, A)).toEqual(economicsOf(incoming, A));
    expect(checkEconomicsEdit(stored, write, PARTNER_A)).toEqual([]);
    expect(incoming.economics.map((e) => e.partnerId)).toEqual([A]);
  });

  it('an entry partner A sends for B stays, so the check refuses it', () => {
    const stored = plan();
    const incoming = changeB(stored);
    const write = restoreHiddenEconomics(stored, incoming, PARTNER_A);
    expect(economicsOf(write, B)).toEqual(economicsOf(incoming, B));
    expect(checkEconomicsEdit(stored, write, PARTNER_A)).toEqual([B]);
  });

  it.each<[string, ViewerSide, string[]]>([
    ['the vendor removing B removes it', VENDOR, [A]],
    ['partner B removing its own entry removes it', PARTNER_B, [A]],
    ["partner A cannot remove B's entry by leaving it out", PARTNER_A, [A, B]],
    ['the buyer leaves all entries in place', BUYER, [A, B]],
  ])('%s', (_name, side, kept) => {
    const stored = plan();
    const write = restoreHiddenEconomics(stored, removeB(stored), side);
    expect(write.economics.map((e) => e.partnerId)).toEqual(kept);
  });
});

describe('checkSideEdit', () => {
  const newPerson = (side: 'vendor' | 'partner' | 'buyer', partnerId?: string) => ({
    id: 'n-1',
    firstName: 'New',
    lastName: 'Person',
    email: 'new.person@example.com',
    role:
      side === 'vendor'
        ? ('account-executive' as const)
        : side === 'partner'
          ? ('partner-manager' as const)
          : ('champion' as const),
    side,
    ...(partnerId ? { partnerId } : {}),
  });
  const edits: [string, (p: PlanContent) => void, Record<string, number>][] = [
    // [edit, mutation, number of refusals per side (vendor never refused)]
    [
      'a partner tenant set',
      (p) => {
        byId(p.partners, A).tenantId = OTHER_TENANT;
      },
      { A: 1, B: 1, buyer: 1 },
    ],
    [
      'a partner tenant removed',
      (p) => {
        delete byId(p.partners, B).tenantId;
      },
      { A: 1, B: 1, buyer: 1 },
    ],
    [
      'a vendor person added',
      (p) => {
        p.people.push(newPerson('vendor'));
      },
      { A: 1, B: 1, buyer: 1 },
    ],
    [
      "a person added to A's side",
      (p) => {
        p.people.push(newPerson('partner', A));
      },
      { A: 0, B: 1, buyer: 1 },
    ],
    [
      "a person added to B's side",
      (p) => {
        p.people.push(newPerson('partner', B));
      },
      { A: 1, B: 0, buyer: 1 },
    ],
    [
      'a buyer added',
      (p) => {
        p.people.push(newPerson('buyer'));
      },
      { A: 0, B: 0, buyer: 0 },
    ],
    [
      "B's person's email changed",
      (p) => {
        byId(p.people, 'a-pc').email = 'someone@contoso.example';
      },
      { A: 1, B: 0, buyer: 1 },
    ],
    [
      "A's person moved to B's side",
      (p) => {
        byId(p.people, 'c-pm').partnerId = B;
      },
      { A: 1, B: 1, buyer: 1 },
    ],
    [
      'a vendor person removed',
      (p) => {
        p.people = p.people.filter((x) => x.id !== 'v-ae');
      },
      { A: 1, B: 1, buyer: 1 },
    ],
    [
      "B's person's job title changed",
      (p) => {
        byId(p.people, 'a-pc').title = 'Director';
      },
      { A: 0, B: 0, buyer: 0 },
    ],
    [
      'a milestone moved',
      (p) => {
        byId(p.milestones, 'm-pilot').due = day(20);
      },
      { A: 0, B: 0, buyer: 0 },
    ],
  ];
  const sides: [string, ViewerSide][] = [
    ['vendor', VENDOR],
    ['A', PARTNER_A],
    ['B', PARTNER_B],
    ['buyer', BUYER],
  ];
  it.each(
    edits.flatMap(([name, edit, want]) =>
      sides.map(([s, side]) => [name, s, side, edit, want[s] ?? 0] as const),
    ),
  )('%s, by %s', (_name, _s, side, edit, count) => {
    const before = deepFreeze(plan());
    const after = structuredClone(before);
    edit(after);
    const refusals = checkSideEdit(before, after, side);
    expect(refusals).toHaveLength(count);
    for (const r of refusals) expect(r).toMatch(/^only the vendor side/);
  });
});

describe('redactSummaryFor', () => {
  const gapA = 'economics with Contoso Consulting not agreed yet';
  const gapB = 'economics with A. Datum Cloud Services not agreed yet';
  /** Both partners have a term not agreed; nothing else missing. */
  function summary() {
    const p = plan();
    const a = economicsOf(p, A);
    if (a.kind !== 'terms') throw new Error('the demo has terms for Contoso');
    at(a.terms, 0).agreed = false;
    return summarizePlan(storedPlan(p), TODAY);
  }

  it('the summary the rules start from names both partners', () => {
    const s = summary();
    expect(s.missing.map((g) => g.message)).toEqual([gapA, gapB]);
    expect(s.complete).toBe(false);
  });

  it.each<[string, ViewerSide, string[], boolean]>([
    ['vendor', VENDOR, [gapA, gapB], false],
    ['partner A', PARTNER_A, [gapA], false],
    ['partner B', PARTNER_B, [gapB], false],
    ['buyer', BUYER, [], true],
    ['none', NONE, [], true],
  ])('%s', (_name, side, gaps, complete) => {
    const original = deepFreeze(summary());
    const snapshot = JSON.stringify(original);
    const view = redactSummaryFor(original, side);
    expect(view.missing.map((g) => g.message)).toEqual(gaps);
    expect(view.complete).toBe(complete);
    expect({ ...view, missing: [], complete: true }).toEqual({ ...original, missing: [], complete: true });
    expect(JSON.stringify(original)).toBe(snapshot);
  });

  it("partner A never learns, from gaps or `complete`, that B's economics are not agreed", () => {
    // The demo as is: A's terms agreed, B's MDF term not.
    const s = summarizePlan(storedPlan(), TODAY);
    expect(s.missing.map((g) => g.message)).toEqual([gapB]);
    const view = redactSummaryFor(s, PARTNER_A);
    expect(JSON.stringify(view)).not.toContain('economics with A. Datum');
    expect(view.complete).toBe(true);
    expect(redactSummaryFor(s, PARTNER_B).complete).toBe(false);
  });

  it("a partner's other gaps (not economics) stay, whoever they name", () => {
    const p = plan();
    p.people = p.people.filter((x) => x.id !== 'a-pc');
    p.actions = p.actions.filter((x) => x.ownerId !== 'a-pc');
    p.escalation.partnerChains = p.escalation.partnerChains.map((c) =>
      c.partnerId === B ? { ...c, chain: ['a-pm'] } : c,
    );
    p.cadence = undefined;
    const view = redactSummaryFor(summarizePlan(storedPlan(p), TODAY), PARTNER_A);
    expect(view.missing.map((g) => g.message)).toContain(
      'no partner-side owner for A. Datum Cloud Services: name their partner counterpart',
    );
    expect(view.missing.some((g) => g.field === 'economics')).toBe(false);
  });

  it("a similarly named partner does not unlock another partner's gap", () => {
    const p = plan();
    byId(p.partners, A).name = 'A. Datum';
    const s = summarizePlan(storedPlan(p), TODAY);
    expect(s.missing.map((g) => g.message)).toContain(gapB);
    expect(redactSummaryFor(s, PARTNER_A).missing.map((g) => g.message)).not.toContain(gapB);
  });
});

describe('redactHistoryFor', () => {
  const actor = { id: 'priya.raman@vendor.example', displayName: 'Priya Raman' };
  const entry = (version: number, changes: string[]): HistoryEntry => ({
    planId: 'plan-northwind',
    version,
    kind: 'replace',
    at: `2026-06-1${version}T10:00:00.000Z`,
    actor,
    changes,
  });
  /** Real sentences: v2 changes A's and B's economics and a milestone; v3 only B's; v4 only a milestone. */
  function history(): HistoryEntry[] {
    const v1 = plan();
    const v2 = changeB(changeA(v1));
    byId(v2.milestones, 'm-pilot').due = day(20);
    const v3 = structuredClone(v2);
    const b = economicsOf(v3, B);
    if (b.kind === 'terms') at(b.terms, 0).value = { type: 'percent', percent: 22 };
    v3.economics = v3.economics.map((e) => (e.partnerId === B ? b : e));
    const v4 = structuredClone(v3);
    byId(v4.milestones, 'm-board').status = 'in-progress';
    return [
      entry(4, describeChanges(v3, v4)),
      entry(3, describeChanges(v2, v3)),
      entry(2, describeChanges(v1, v2)),
      entry(1, ['Plan created']),
    ];
  }
  const econA = 'Economics with Contoso Consulting changed';
  const econB = 'Economics with A. Datum Cloud Services changed';
  const milestone = `Milestone "Pilot sign-off by VP Operations" changed: due ${day(12)} → ${day(20)}`;
  const board = 'Milestone "Board approval of FY budget line" changed: status planned → in-progress';

  it('the history the rules start from has both partners in it', () => {
    expect(history().map((e) => e.changes)).toEqual([
      [board],
      [econB],
      [milestone, econA, econB],
      ['Plan created'],
    ]);
  });

  it.each<[string, ViewerSide, string[][]]>([
    ['vendor', VENDOR, [[board], [econB], [milestone, econA, econB], ['Plan created']]],
    ['partner A', PARTNER_A, [[board], [HIDDEN_CHANGES_SENTENCE], [milestone, econA], ['Plan created']]],
    ['partner B', PARTNER_B, [[board], [econB], [milestone, econB], ['Plan created']]],
    ['buyer', BUYER, [[board], [HIDDEN_CHANGES_SENTENCE], [milestone], ['Plan created']]],
    ['none', NONE, [[board], [HIDDEN_CHANGES_SENTENCE], [milestone], ['Plan created']]],
  ])('%s', (_name, side, want) => {
    const entries = deepFreeze(history());
    const snapshot = JSON.stringify(entries);
    const view = redactHistoryFor(entries, side, plan());
    expect(view.map((e) => e.changes)).toEqual(want);
    expect(view.map((e) => e.version)).toEqual([4, 3, 2, 1]);
    expect(view.map((e) => e.actor)).toEqual(entries.map((e) => e.actor));
    expect(JSON.stringify(entries)).toBe(snapshot);
  });

  it('a sentence naming B by id (a removed partner) or a former name never reaches A', () => {
    const entries = [
      entry(5, [
        'Economics with p-adatum changed',
        'Economics with Contoso Old Name changed',
        `Economics with ${A} changed`,
      ]),
    ];
    expect(redactHistoryFor(entries, PARTNER_A, plan())[0]?.changes).toEqual([`Economics with ${A} changed`]);
    expect(JSON.stringify(redactHistoryFor(entries, PARTNER_A, plan()))).not.toContain('p-adatum');
  });

  it('an entry with no sentences stays empty', () => {
    expect(redactHistoryFor([entry(6, [])], PARTNER_A, plan())[0]?.changes).toEqual([]);
  });
});
