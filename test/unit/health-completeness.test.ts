import { assessCompleteness, PLAN_FIELDS, type PlanContent, type PlanField } from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { action, demo, milestone, partnerCounterpart, smallPlan } from './plan-fixtures';

/** A complete co-sell plan: one account, AE, partner counterpart, economic buyer, a milestone, an action per side. */
function completeCoSell(): PlanContent {
  const plan = smallPlan();
  plan.milestones = [milestone('m-1')];
  plan.actions = [action('a-vendor'), action('a-partner', { ownerId: 'p-1-pc' })];
  return plan;
}

/** A complete MAP: vendor and buyer only. */
function completeMap(): PlanContent {
  const plan = completeCoSell();
  plan.motion = 'map';
  plan.partners = [];
  plan.people = plan.people.filter((p) => p.side !== 'partner');
  plan.actions = plan.actions.filter((a) => a.ownerId !== 'p-1-pc');
  plan.economics = [];
  plan.escalation.partnerChains = [];
  return plan;
}

const allBut = (...fields: PlanField[]) => PLAN_FIELDS.filter((f) => !fields.includes(f));

describe('a complete plan', () => {
  it.each([
    ['co-sell', completeCoSell],
    ['MAP', completeMap],
  ])('%s: complete, all six fields done, nothing missing', (_name, build) => {
    expect(assessCompleteness(build())).toEqual({
      complete: true,
      done: ['accounts', 'owners', 'milestones', 'actions', 'economics', 'escalation'],
      missing: [],
    });
  });
});

describe('co-sell completeness: each gap alone, with its words and the fields still done', () => {
  it.each<[string, (plan: PlanContent) => void, [PlanField, string][]]>([
    [
      'no shared account',
      (p) => {
        p.accounts = [];
      },
      [['accounts', 'no shared account named yet: add the account you run together']],
    ],
    [
      'no account executive (another vendor person does not count)',
      (p) => {
        p.people = p.people.map((x) => (x.id === 'v-ae' ? { ...x, role: 'vendor-partner-manager' } : x));
      },
      [['owners', 'no vendor account executive named']],
    ],
    [
      'no partner on a co-sell plan',
      (p) => {
        p.partners = [];
        p.people = p.people.filter((x) => x.side !== 'partner');
        p.actions = p.actions.filter((a) => a.ownerId !== 'p-1-pc');
        p.economics = [];
        p.escalation.partnerChains = [];
      },
      [['owners', 'no partner on the plan: add the partner you sell with']],
    ],
    [
      'a partner manager but no partner counterpart',
      (p) => {
        p.people = p.people.map((x) => (x.id === 'p-1-pc' ? { ...x, role: 'partner-manager' } : x));
      },
      [['owners', 'no partner-side owner for Partner One: name their partner counterpart']],
    ],
    [
      'no economic buyer (a champion does not count)',
      (p) => {
        p.people = p.people.map((x) => (x.id === 'b-eb' ? { ...x, role: 'champion' } : x));
      },
      [['owners', 'no economic buyer named']],
    ],
    [
      'no milestone',
      (p) => {
        p.milestones = [];
      },
      [['milestones', "no milestone on the buyer's calendar yet"]],
    ],
    [
      'no vendor action',
      (p) => {
        p.actions = p.actions.filter((a) => a.id !== 'a-vendor');
      },
      [['actions', 'no action for the vendor side yet']],
    ],
    [
      'no action for the partner',
      (p) => {
        p.actions = p.actions.filter((a) => a.id !== 'a-partner');
      },
      [['actions', 'no joint action for Partner One yet']],
    ],
    [
      'economics not written down',
      (p) => {
        p.economics = [];
      },
      [['economics', 'economics not written down for Partner One']],
    ],
    [
      'economics with one term not agreed',
      (p) => {
        p.economics = [
          {
            partnerId: 'p-1',
            kind: 'terms',
            terms: [
              { kind: 'referral-fee', value: { type: 'percent', percent: 10 }, agreed: true },
              { kind: 'mdf', value: { type: 'amount', amount: 5000, currency: 'USD' }, agreed: false },
            ],
          },
        ];
      },
      [['economics', 'economics with Partner One not agreed yet']],
    ],
    [
      'no vendor escalation chain',
      (p) => {
        p.escalation.vendorChain = [];
      },
      [['escalation', 'no escalation path on the vendor side']],
    ],
    [
      'no escalation chain for the partner',
      (p) => {
        p.escalation.partnerChains = [];
      },
      [['escalation', 'no escalation path on the Partner One side']],
    ],
    [
      'an empty chain for the partner',
      (p) => {
        p.escalation.partnerChains = [{ partnerId: 'p-1', chain: [] }];
      },
      [['escalation', 'no escalation path on the Partner One side']],
    ],
  ])('%s', (_name, mutate, gaps) => {
    const plan = completeCoSell();
    mutate(plan);
    const result = assessCompleteness(plan);
    expect(result.missing).toEqual(gaps.map(([field, message]) => ({ field, message })));
    expect(result.done).toEqual(allBut(...gaps.map(([field]) => field)));
    expect(result.complete).toBe(false);
  });

  it.each<[string, (plan: PlanContent) => void]>([
    [
      'economics written as "no shared economics"',
      (p) => {
        p.economics = [
          { partnerId: 'p-1', kind: 'none', statement: 'No shared economics: vendor-paid services' },
        ];
      },
    ],
    [
      'economics with every term agreed',
      (p) => {
        p.economics = [
          {
            partnerId: 'p-1',
            kind: 'terms',
            terms: [{ kind: 'resale-margin', value: { type: 'percent', percent: 18 }, agreed: true }],
          },
        ];
      },
    ],
    [
      'a vendor action owned by someone other than the AE',
      (p) => {
        p.people.push({
          id: 'v-pm',
          firstName: 'Lukas',
          lastName: 'Brandt',
          email: 'lukas@vendor.example',
          role: 'vendor-partner-manager',
          side: 'vendor',
        });
        p.actions = p.actions.map((a) => (a.id === 'a-vendor' ? { ...a, ownerId: 'v-pm' } : a));
      },
    ],
    [
      'actions that are done or blocked',
      (p) => {
        p.actions = [
          { ...action('a-vendor'), status: 'done', doneOn: '2026-06-01' },
          { ...action('a-partner', { ownerId: 'p-1-pc' }), status: 'blocked', blocker: 'Waiting' },
        ];
      },
    ],
  ])('still complete with %s', (_name, mutate) => {
    const plan = completeCoSell();
    mutate(plan);
    expect(assessCompleteness(plan)).toEqual({ complete: true, done: [...PLAN_FIELDS], missing: [] });
  });

  it('checks each partner separately: a second partner with nothing gets its own four gaps', () => {
    const plan = completeCoSell();
    plan.partners.push({ id: 'p-2', name: 'Partner Two' });
    expect(assessCompleteness(plan)).toEqual({
      complete: false,
      done: ['accounts', 'milestones'],
      missing: [
        { field: 'owners', message: 'no partner-side owner for Partner Two: name their partner counterpart' },
        { field: 'actions', message: 'no joint action for Partner Two yet' },
        { field: 'economics', message: 'economics not written down for Partner Two' },
        { field: 'escalation', message: 'no escalation path on the Partner Two side' },
      ],
    });
  });

  it("does not count one partner's counterpart, action, economics or chain for another partner", () => {
    const plan = completeCoSell();
    plan.partners.push({ id: 'p-2', name: 'Partner Two' });
    const other = partnerCounterpart('p-2');
    plan.people.push({ ...other, role: 'partner-manager' });
    expect(assessCompleteness(plan).missing.map((g) => g.message)).toEqual([
      'no partner-side owner for Partner Two: name their partner counterpart',
      'no joint action for Partner Two yet',
      'economics not written down for Partner Two',
      'no escalation path on the Partner Two side',
    ]);
  });

  it('lists every gap of an empty draft, field by field in page order', () => {
    const plan: PlanContent = {
      ...smallPlan(),
      status: 'draft',
      accounts: [],
      people: [],
      economics: [],
      escalation: { thresholdDays: 14, vendorChain: [], partnerChains: [] },
    };
    expect(assessCompleteness(plan)).toEqual({
      complete: false,
      done: [],
      missing: [
        { field: 'accounts', message: 'no shared account named yet: add the account you run together' },
        { field: 'owners', message: 'no vendor account executive named' },
        { field: 'owners', message: 'no partner-side owner for Partner One: name their partner counterpart' },
        { field: 'owners', message: 'no economic buyer named' },
        { field: 'milestones', message: "no milestone on the buyer's calendar yet" },
        { field: 'actions', message: 'no action for the vendor side yet' },
        { field: 'actions', message: 'no joint action for Partner One yet' },
        { field: 'economics', message: 'economics not written down for Partner One' },
        { field: 'escalation', message: 'no escalation path on the vendor side' },
        { field: 'escalation', message: 'no escalation path on the Partner One side' },
      ],
    });
  });

  it('finds the one open point of the demo plan: unagreed MDF with A. Datum', () => {
    expect(assessCompleteness(demo())).toEqual({
      complete: false,
      done: allBut('economics'),
      missing: [{ field: 'economics', message: 'economics with A. Datum Cloud Services not agreed yet' }],
    });
  });
});

describe('MAP completeness: the partner parts are ignored', () => {
  it('does not ask for a partner on a MAP', () => {
    expect(assessCompleteness(completeMap()).missing).toEqual([]);
  });

  it('ignores a partner listed on a MAP without counterpart, action, economics or chain', () => {
    const plan = completeMap();
    plan.partners = [{ id: 'p-1', name: 'Partner One' }];
    expect(assessCompleteness(plan)).toEqual({ complete: true, done: [...PLAN_FIELDS], missing: [] });
  });

  it('ignores unagreed partner economics on a MAP', () => {
    const plan = completeCoSell();
    plan.motion = 'map';
    plan.economics = [
      {
        partnerId: 'p-1',
        kind: 'terms',
        terms: [{ kind: 'mdf', value: { type: 'percent', percent: 5 }, agreed: false }],
      },
    ];
    expect(assessCompleteness(plan)).toEqual({ complete: true, done: [...PLAN_FIELDS], missing: [] });
  });

  it.each<[string, (plan: PlanContent) => void, [PlanField, string][]]>([
    [
      'no shared account',
      (p) => {
        p.accounts = [];
      },
      [['accounts', 'no shared account named yet: add the account you run together']],
    ],
    [
      'no account executive',
      (p) => {
        p.people = p.people.map((x) => (x.id === 'v-ae' ? { ...x, role: 'alignment-specialist' } : x));
      },
      [['owners', 'no vendor account executive named']],
    ],
    [
      'no economic buyer',
      (p) => {
        p.people = p.people.filter((x) => x.id !== 'b-eb');
      },
      [['owners', 'no economic buyer named']],
    ],
    [
      'no milestone',
      (p) => {
        p.milestones = [];
      },
      [['milestones', "no milestone on the buyer's calendar yet"]],
    ],
    [
      'no vendor action',
      (p) => {
        p.actions = [];
      },
      [['actions', 'no action for the vendor side yet']],
    ],
    [
      'no vendor escalation chain',
      (p) => {
        p.escalation.vendorChain = [];
      },
      [['escalation', 'no escalation path on the vendor side']],
    ],
  ])('still reports the vendor and buyer gap: %s', (_name, mutate, gaps) => {
    const plan = completeMap();
    mutate(plan);
    expect(assessCompleteness(plan)).toEqual({
      complete: false,
      done: allBut(...gaps.map(([field]) => field)),
      missing: gaps.map(([field, message]) => ({ field, message })),
    });
  });
});
