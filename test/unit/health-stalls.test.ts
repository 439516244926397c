import {
  addDays,
  assessAccountability,
  assessDecay,
  assessHealth,
  assessStalls,
  clockStart,
  type IsoDate,
  type Plan,
  type PlanContent,
  planIndex,
  stallsOn,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { action, at, demo, milestone, partnerCounterpart, smallPlan, stored } from './plan-fixtures';

/** The day the plans of this file became active. */
const A: IsoDate = '2026-06-01';
/** `n` days after activation. */
const on = (n: number): IsoDate => addDays(A, n);

/** An active plan activated on A, with one account added before activation and nothing done yet. */
function activePlan(change: (content: PlanContent) => void = () => {}): Plan {
  const content = smallPlan();
  change(content);
  return stored(content, { activatedOn: A });
}

/** The small plan with a second account, acc-2. */
function twoAccounts(change: (content: PlanContent) => void = () => {}): Plan {
  return activePlan((p) => {
    p.accounts.push({ id: 'acc-2', name: 'Account Two', domain: 'two.example' });
    change(p);
  });
}

const idle = (days: number, threshold: number) =>
  `nothing moved forward for ${days} days (threshold ${threshold})`;

describe('stalls: the idle threshold', () => {
  it.each([
    [14, 14, false],
    [14, 15, true],
    [14, 0, false],
    [1, 1, false],
    [1, 2, true],
    [30, 30, false],
    [30, 31, true],
    [90, 90, false],
    [90, 91, true],
  ])('threshold %i days, %i days idle → stalled %s', (threshold, days, stalled) => {
    const plan = activePlan((p) => {
      p.escalation.thresholdDays = threshold;
    });
    const report = assessStalls(plan, on(days));
    const expected = {
      stalled,
      stallsOn: on(threshold + 1),
      lastMovedOn: A,
      daysSinceMove: days,
      overdueMilestoneIds: [],
      reasons: stalled ? [idle(days, threshold)] : [],
    };
    expect(report).toEqual({
      applies: true,
      stalled,
      plan: expected,
      accounts: [{ accountId: 'acc-1', accountName: 'Account One', ...expected }],
    });
  });
});

describe('stalls: overdue milestones', () => {
  it.each<[string, Partial<Parameters<typeof milestone>[1]>, boolean]>([
    ['planned, due yesterday', { status: 'planned', due: on(4) }, true],
    ['in progress, due yesterday', { status: 'in-progress', due: on(4) }, true],
    ['slipped, due yesterday', { status: 'slipped', due: on(4) }, true],
    ['planned, due today', { status: 'planned', due: on(5) }, false],
    ['planned, due tomorrow', { status: 'planned', due: on(6) }, false],
    ['done, due yesterday', { status: 'done', due: on(4), doneOn: on(3) }, false],
    ['done late, due a week ago', { status: 'done', due: on(-2), doneOn: on(5) }, false],
  ])('a milestone %s → stalled %s (five days after activation)', (_name, fields, stalled) => {
    const plan = activePlan((p) => {
      p.milestones = [milestone('m-1', { accountId: 'acc-1', ...fields })];
    });
    const report = assessStalls(plan, on(5));
    expect(report.stalled).toBe(stalled);
    expect(report.plan.stalled).toBe(stalled);
    expect(at(report.accounts, 0).stalled).toBe(stalled);
    expect(report.plan.overdueMilestoneIds).toEqual(stalled ? ['m-1'] : []);
    expect(report.plan.reasons).toEqual(
      stalled ? [`milestone "Milestone m-1" was due ${on(4)} and is not done`] : [],
    );
  });

  it('names every overdue milestone and the idle reason together', () => {
    const plan = activePlan((p) => {
      p.milestones = [
        milestone('m-1', { title: 'Security review', due: on(10) }),
        milestone('m-2', { title: 'Pilot sign-off', due: on(20), status: 'slipped' }),
        milestone('m-3', { title: 'Procurement', due: on(40) }),
      ];
    });
    const report = assessStalls(plan, on(21));
    expect(report.plan).toEqual({
      stalled: true,
      stallsOn: on(11),
      lastMovedOn: A,
      daysSinceMove: 21,
      overdueMilestoneIds: ['m-1', 'm-2'],
      reasons: [
        idle(21, 14),
        `milestone "Security review" was due ${on(10)} and is not done`,
        `milestone "Pilot sign-off" was due ${on(20)} and is not done`,
      ],
    });
  });
});

describe('stalls: done actions and milestones reset the idle clock', () => {
  it.each<[string, (p: PlanContent) => void, IsoDate]>([
    [
      'an action done',
      (p) => {
        p.actions = [action('a-1', { status: 'done', doneOn: on(10), accountId: 'acc-1' })];
      },
      on(10),
    ],
    [
      'a milestone done',
      (p) => {
        p.milestones = [
          milestone('m-1', { status: 'done', doneOn: on(10), due: on(12), accountId: 'acc-1' }),
        ];
      },
      on(10),
    ],
    [
      'the latest of several moves',
      (p) => {
        p.actions = [
          action('a-1', { status: 'done', doneOn: on(3), accountId: 'acc-1' }),
          action('a-2', { status: 'done', doneOn: on(10), accountId: 'acc-1' }),
        ];
        p.milestones = [milestone('m-1', { status: 'done', doneOn: on(7), due: on(7), accountId: 'acc-1' })];
      },
      on(10),
    ],
    [
      'nothing: open and blocked actions are not moves',
      (p) => {
        p.actions = [action('a-1'), action('a-2', { status: 'blocked', blocker: 'Waiting on legal' })];
      },
      A,
    ],
    [
      'nothing: a move done before activation does not predate the clock',
      (p) => {
        p.actions = [action('a-1', { status: 'done', doneOn: on(-30) })];
      },
      A,
    ],
  ])('%s', (_name, change, lastMovedOn) => {
    const plan = activePlan(change);
    const quiet = assessStalls(plan, addDays(lastMovedOn, 14));
    const stalled = assessStalls(plan, addDays(lastMovedOn, 15));
    expect(quiet.plan.lastMovedOn).toBe(lastMovedOn);
    expect(quiet.plan.stallsOn).toBe(addDays(lastMovedOn, 15));
    expect([quiet.stalled, quiet.plan.daysSinceMove]).toEqual([false, 14]);
    expect([stalled.stalled, stalled.plan.reasons]).toEqual([true, [idle(15, 14)]]);
  });
});

describe('stalls: per shared account', () => {
  it('scopes moves by accountId: a move on one account does not keep another moving', () => {
    const plan = twoAccounts((p) => {
      p.actions = [action('a-1', { accountId: 'acc-1', status: 'done', doneOn: on(10) })];
    });
    const report = assessStalls(plan, on(20));
    expect(report.plan.stalled).toBe(false);
    expect(report.accounts.map((a) => [a.accountId, a.stalled, a.lastMovedOn, a.stallsOn])).toEqual([
      ['acc-1', false, on(10), on(25)],
      ['acc-2', true, A, on(15)],
    ]);
    expect(report.stalled).toBe(true);
  });

  it('a move without an account keeps the plan moving but no account', () => {
    const plan = twoAccounts((p) => {
      p.actions = [action('a-1', { status: 'done', doneOn: on(10) })];
    });
    const report = assessStalls(plan, on(15));
    expect(report.plan.stalled).toBe(false);
    expect(report.accounts.map((a) => a.stalled)).toEqual([true, true]);
  });

  it('scopes overdue milestones by accountId: only that account (and the plan) stall', () => {
    const plan = twoAccounts((p) => {
      p.milestones = [milestone('m-2', { accountId: 'acc-2', due: on(3) })];
    });
    const report = assessStalls(plan, on(5));
    expect(report.plan.overdueMilestoneIds).toEqual(['m-2']);
    expect(report.accounts.map((a) => [a.accountId, a.stalled, a.overdueMilestoneIds])).toEqual([
      ['acc-1', false, []],
      ['acc-2', true, ['m-2']],
    ]);
  });

  it.each([
    ['after activation: its clock starts when it was added', on(10), on(10), on(25)],
    ['before activation: its clock starts at activation', on(-10), A, on(15)],
    ['on the day of activation', A, A, on(15)],
  ])('an account added %s', (_name, addedOn, lastMovedOn, accountStallsOn) => {
    const plan = twoAccounts((p) => {
      at(p.accounts, 1).addedOn = addedOn;
    });
    const account = at(assessStalls(plan, on(20)).accounts, 1);
    expect([account.lastMovedOn, account.stallsOn]).toEqual([lastMovedOn, accountStallsOn]);
    expect(account.stalled).toBe(accountStallsOn <= on(20));
  });
});

describe('stalls: only active plans stall', () => {
  it.each(['draft', 'paused', 'won', 'lost'] as const)(
    'a %s plan idle for 60 days with an overdue milestone is not stalled',
    (status) => {
      const plan = twoAccounts((p) => {
        p.status = status;
        p.milestones = [milestone('m-1', { accountId: 'acc-1', due: on(5) })];
      });
      const report = assessStalls(plan, on(60));
      expect(report.applies).toBe(false);
      expect(report.stalled).toBe(false);
      expect([report.plan.stalled, report.plan.reasons]).toEqual([false, []]);
      expect(report.accounts.map((a) => [a.stalled, a.reasons])).toEqual([
        [false, []],
        [false, []],
      ]);
      expect(stallsOn(plan)).toBeNull();
    },
  );

  it('the same plan active is stalled, so the status is what calms it', () => {
    const plan = twoAccounts((p) => {
      p.milestones = [milestone('m-1', { accountId: 'acc-1', due: on(5) })];
    });
    expect(assessStalls(plan, on(60)).stalled).toBe(true);
  });
});

describe('stalls: the clock start', () => {
  it.each<[string, { createdAt: string; activatedOn?: IsoDate }, IsoDate]>([
    [
      'activatedOn when set',
      { createdAt: '2026-01-05T10:00:00.000Z', activatedOn: '2026-06-01' },
      '2026-06-01',
    ],
    ['the UTC day of createdAt otherwise', { createdAt: '2026-06-01T23:30:00.000Z' }, '2026-06-01'],
    [
      'the UTC day of createdAt written with an offset',
      { createdAt: '2026-06-01T23:30:00-05:00' },
      '2026-06-02',
    ],
  ])('is %s', (_name, meta, start) => {
    expect(clockStart(meta)).toBe(start);
  });

  it('a plan re-activated after a pause counts from activatedOn, not from createdAt', () => {
    const content = smallPlan();
    const reactivated = stored(content, { createdAt: '2026-01-05T10:00:00.000Z', activatedOn: on(0) });
    const neverActivated = stored(content, { createdAt: '2026-01-05T10:00:00.000Z' });
    expect(assessStalls(reactivated, on(14)).stalled).toBe(false);
    expect(assessStalls(neverActivated, on(14)).plan).toMatchObject({
      stalled: true,
      lastMovedOn: '2026-01-05',
      stallsOn: '2026-01-20',
    });
  });
});

describe('stallsOn: the first stalled day, for a store index', () => {
  it.each<[string, (p: PlanContent) => void, IsoDate]>([
    ['nothing moved: activation + threshold + 1', () => {}, on(15)],
    [
      'a 7-day threshold',
      (p) => {
        p.escalation.thresholdDays = 7;
      },
      on(8),
    ],
    [
      'a milestone due before the idle stall: the day after it is due',
      (p) => {
        p.milestones = [milestone('m-1', { due: on(5) })];
      },
      on(6),
    ],
    [
      'a milestone due after the idle stall: the idle stall',
      (p) => {
        p.milestones = [milestone('m-1', { due: on(30) })];
      },
      on(15),
    ],
    [
      'an action done: that day + threshold + 1',
      (p) => {
        p.actions = [action('a-1', { accountId: 'acc-1', status: 'done', doneOn: on(10) })];
      },
      on(25),
    ],
    [
      'the earliest account: an account with no move stalls before the plan',
      (p) => {
        p.accounts.push({ id: 'acc-2', name: 'Account Two', domain: 'two.example' });
        p.actions = [action('a-1', { accountId: 'acc-1', status: 'done', doneOn: on(10) })];
      },
      on(15),
    ],
  ])('%s', (_name, change, expected) => {
    expect(stallsOn(activePlan(change))).toBe(expected);
  });

  it.each(['draft', 'paused', 'won', 'lost'] as const)('is null for a %s plan', (status) => {
    expect(
      stallsOn(
        activePlan((p) => {
          p.status = status;
        }),
      ),
    ).toBeNull();
  });
});

describe('property: stalled on a day exactly when stallsOn is on or before it', () => {
  const plans: [string, Plan][] = [
    ['the demo plan', stored(demo(), { activatedOn: addDays('2026-06-15', -40) })],
    ['an idle plan', activePlan()],
    [
      'a plan with a 1-day threshold',
      activePlan((p) => {
        p.escalation.thresholdDays = 1;
      }),
    ],
    [
      'a plan that moved, with a milestone due later',
      activePlan((p) => {
        p.actions = [action('a-1', { status: 'done', doneOn: on(9), accountId: 'acc-1' })];
        p.milestones = [milestone('m-1', { due: on(20), accountId: 'acc-1' })];
      }),
    ],
    [
      'two accounts, one added late and moving, one overdue',
      twoAccounts((p) => {
        at(p.accounts, 0).addedOn = on(12);
        p.actions = [action('a-1', { status: 'done', doneOn: on(20), accountId: 'acc-1' })];
        p.milestones = [milestone('m-2', { due: on(16), accountId: 'acc-2' })];
      }),
    ],
    ['a plan created without activatedOn', stored(smallPlan(), { createdAt: `${on(3)}T18:00:00.000Z` })],
    [
      'a paused plan',
      activePlan((p) => {
        p.status = 'paused';
      }),
    ],
  ];

  it.each(plans)('%s, over 60 consecutive days from 10 days before its clock starts', (_name, plan) => {
    const days = Array.from({ length: 60 }, (_, i) => addDays(clockStart(plan), i - 10));
    const first = stallsOn(plan);
    const outcomes = days.map((d) => {
      const stalled = assessStalls(plan, d).stalled;
      expect([d, stalled]).toEqual([d, first !== null && first <= d]);
      return stalled;
    });
    if (plan.status === 'active') {
      // The range crosses the first stalled day, so both outcomes are exercised.
      expect(outcomes).toContain(true);
      expect(outcomes).toContain(false);
    } else {
      expect(outcomes).not.toContain(true);
    }
  });
});

describe('decay: not reviewed in the weekly meeting for 14 days', () => {
  it.each<[string, IsoDate | undefined, IsoDate, number, boolean, string | undefined]>([
    ['never reviewed, 13 days after activation', undefined, on(13), 13, false, undefined],
    [
      'never reviewed, 14 days after activation',
      undefined,
      on(14),
      14,
      true,
      'never reviewed in a weekly meeting since it became active 14 days ago',
    ],
    ['reviewed 13 days ago', on(20), on(33), 13, false, undefined],
    ['reviewed 14 days ago', on(20), on(34), 14, true, 'not reviewed in the weekly meeting for 14 days'],
    ['reviewed 30 days ago', on(3), on(33), 30, true, 'not reviewed in the weekly meeting for 30 days'],
    ['reviewed today', on(20), on(20), 0, false, undefined],
    ['reviewed before activation, 13 days after activation', on(-20), on(13), 13, false, undefined],
    [
      'reviewed before activation, 14 days after activation',
      on(-20),
      on(14),
      14,
      true,
      'not reviewed in the weekly meeting for 14 days',
    ],
  ])('%s', (_name, lastReviewedOn, today, days, decaying, message) => {
    const plan = activePlan((p) => {
      if (lastReviewedOn) p.lastReviewedOn = lastReviewedOn;
    });
    expect(assessDecay(plan, today)).toEqual({
      applies: true,
      decaying,
      ...(lastReviewedOn ? { lastReviewedOn } : {}),
      daysSinceReview: days,
      ...(message ? { message } : {}),
    });
  });

  it.each(['draft', 'paused', 'won', 'lost'] as const)('a %s plan never decays', (status) => {
    const plan = activePlan((p) => {
      p.status = status;
      p.lastReviewedOn = on(1);
    });
    expect(assessDecay(plan, on(100))).toEqual({
      applies: false,
      decaying: false,
      lastReviewedOn: on(1),
      daysSinceReview: 99,
    });
  });

  it('counts from the UTC day of createdAt when the plan has no activatedOn', () => {
    const plan = stored(smallPlan(), { createdAt: `${A}T08:00:00.000Z` });
    expect([assessDecay(plan, on(13)).decaying, assessDecay(plan, on(14)).decaying]).toEqual([false, true]);
  });
});

describe('accountability: late items per side', () => {
  /** Vendor AE, two partners with a counterpart each, and an economic buyer. */
  function sides(change: (p: PlanContent) => void = () => {}): PlanContent {
    const plan = smallPlan();
    plan.partners.push({ id: 'p-2', name: 'Partner Two' });
    plan.people.push(partnerCounterpart('p-2'));
    change(plan);
    return plan;
  }
  const TODAY = on(10);

  it.each<
    [string, (p: PlanContent) => void, string, { actions: string[]; milestones: string[]; open: number }]
  >([
    [
      'a vendor action due yesterday',
      (p) => p.actions.push(action('x', { due: on(9) })),
      'Vendor',
      { actions: ['x'], milestones: [], open: 1 },
    ],
    [
      'a vendor action due today',
      (p) => p.actions.push(action('x', { due: on(10) })),
      'Vendor',
      { actions: [], milestones: [], open: 1 },
    ],
    [
      'a vendor action done, due a week ago',
      (p) => p.actions.push(action('x', { due: on(3), status: 'done', doneOn: on(4) })),
      'Vendor',
      { actions: [], milestones: [], open: 0 },
    ],
    [
      'a blocked Partner One action due yesterday',
      (p) =>
        p.actions.push(action('x', { ownerId: 'p-1-pc', due: on(9), status: 'blocked', blocker: 'Waiting' })),
      'Partner One',
      { actions: ['x'], milestones: [], open: 1 },
    ],
    [
      'a Partner Two action due yesterday',
      (p) => p.actions.push(action('x', { ownerId: 'p-2-pc', due: on(9) })),
      'Partner Two',
      { actions: ['x'], milestones: [], open: 1 },
    ],
    [
      'a Partner Two action due tomorrow',
      (p) => p.actions.push(action('x', { ownerId: 'p-2-pc', due: on(11) })),
      'Partner Two',
      { actions: [], milestones: [], open: 1 },
    ],
    [
      'a buyer milestone due yesterday',
      (p) => p.milestones.push(milestone('m', { due: on(9) })),
      'Buyer',
      { actions: [], milestones: ['m'], open: 0 },
    ],
    [
      'a buyer milestone due today',
      (p) => p.milestones.push(milestone('m', { due: on(10) })),
      'Buyer',
      { actions: [], milestones: [], open: 0 },
    ],
    [
      'a buyer milestone done, due a week ago',
      (p) => p.milestones.push(milestone('m', { due: on(3), status: 'done', doneOn: on(5) })),
      'Buyer',
      { actions: [], milestones: [], open: 0 },
    ],
    [
      'a slipped vendor milestone due yesterday',
      (p) => p.milestones.push(milestone('m', { ownerId: 'v-ae', due: on(9), status: 'slipped' })),
      'Vendor',
      { actions: [], milestones: ['m'], open: 0 },
    ],
    [
      'a Partner One milestone in progress, due yesterday',
      (p) => p.milestones.push(milestone('m', { ownerId: 'p-1-pc', due: on(9), status: 'in-progress' })),
      'Partner One',
      { actions: [], milestones: ['m'], open: 0 },
    ],
  ])('%s counts for %s only', (_name, change, label, expected) => {
    const result = assessAccountability(sides(change), TODAY);
    expect(result.map((s) => s.label)).toEqual(['Vendor', 'Partner One', 'Partner Two', 'Buyer']);
    for (const side of result) {
      const mine = side.label === label;
      expect([side.label, side.lateActionIds, side.lateMilestoneIds, side.openActions]).toEqual([
        side.label,
        mine ? expected.actions : [],
        mine ? expected.milestones : [],
        mine ? expected.open : 0,
      ]);
    }
  });

  it('gives the full picture per side, with partner ids', () => {
    const plan = sides((p) => {
      p.actions = [
        action('v-late', { due: on(2) }),
        action('v-today', { due: on(10) }),
        action('p1-late', { ownerId: 'p-1-pc', due: on(9) }),
        action('p1-done', { ownerId: 'p-1-pc', due: on(1), status: 'done', doneOn: on(2) }),
        action('p2-later', { ownerId: 'p-2-pc', due: on(20) }),
      ];
      p.milestones = [
        milestone('m-buyer', { due: on(5) }),
        milestone('m-p2', { ownerId: 'p-2-pc', due: on(9) }),
      ];
    });
    expect(assessAccountability(plan, TODAY)).toEqual([
      { side: 'vendor', label: 'Vendor', lateActionIds: ['v-late'], lateMilestoneIds: [], openActions: 2 },
      {
        side: 'partner',
        partnerId: 'p-1',
        label: 'Partner One',
        lateActionIds: ['p1-late'],
        lateMilestoneIds: [],
        openActions: 1,
      },
      {
        side: 'partner',
        partnerId: 'p-2',
        label: 'Partner Two',
        lateActionIds: [],
        lateMilestoneIds: ['m-p2'],
        openActions: 1,
      },
      { side: 'buyer', label: 'Buyer', lateActionIds: [], lateMilestoneIds: ['m-buyer'], openActions: 0 },
    ]);
  });

  it('a MAP has a vendor and a buyer side only', () => {
    const plan = sides((p) => {
      p.motion = 'map';
      p.actions = [action('v-late', { due: on(2) })];
    });
    expect(assessAccountability(plan, TODAY).map((s) => [s.label, s.lateActionIds])).toEqual([
      ['Vendor', ['v-late']],
      ['Buyer', []],
    ]);
  });
});

describe('assessHealth and planIndex', () => {
  it('names the earliest milestone not done as the next one', () => {
    const plan = activePlan((p) => {
      p.milestones = [
        milestone('m-done', { due: on(1), status: 'done', doneOn: on(1) }),
        milestone('m-late', { due: on(20) }),
        milestone('m-next', { due: on(8), status: 'slipped' }),
      ];
    });
    const health = assessHealth(plan, on(5));
    expect(health.nextMilestone).toEqual({ id: 'm-next', title: 'Milestone m-next', due: on(8) });
    expect(health.today).toBe(on(5));
  });

  it('indexes the columns a store lists by', () => {
    const plan = activePlan((p) => {
      p.channelIds = ['19:a@thread', '19:a@thread', '19:b@thread'];
      p.milestones = [
        milestone('m-1', { due: on(30) }),
        milestone('m-0', { due: on(2), status: 'done', doneOn: on(2) }),
      ];
      p.lastReviewedOn = on(3);
      p.crmDeal = { system: 'hubspot', id: 'D-1' };
    });
    expect(planIndex(plan)).toEqual({
      status: 'active',
      title: 'Small plan',
      channelIds: ['19:a@thread', '19:b@thread'],
      emails: ['maya@vendor.example', 'sofia@p-1.example', 'helen@buyer.example'],
      stallsOn: on(15),
      nextMilestoneDue: on(30),
      lastReviewedOn: on(3),
      crmDealId: 'D-1',
    });
  });
});
