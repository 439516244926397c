import {
  describeChanges,
  fillDates,
  type JointAction,
  type Milestone,
  newPlan,
  nextVersion,
  type Plan,
  type PlanContent,
  type PlanStatus,
  type WriteContext,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { action, at, demo, milestone, smallPlan } from './plan-fixtures';

const CREATED: WriteContext = {
  now: new Date('2026-05-01T09:30:00.000Z'),
  today: '2026-05-01',
  actor: { id: 'maya@vendor.example', displayName: 'Maya Okafor' },
};
const LATER: WriteContext = {
  now: new Date('2026-06-15T14:00:00.000Z'),
  today: '2026-06-15',
  actor: { id: 'priya@vendor.example', displayName: 'Priya Raman' },
};

describe('fillDates: accounts', () => {
  it.each<[string, string | undefined, string | undefined, string]>([
    ['a new account without a date gets today', undefined, undefined, '2026-06-15'],
    ['an account without a date keeps the day it was first added', '2026-03-02', undefined, '2026-03-02'],
    ['an account with a date keeps its own date', '2026-03-02', '2026-04-01', '2026-04-01'],
    ['a new account with a date keeps it', undefined, '2026-01-10', '2026-01-10'],
  ])('%s', (_name, previousAddedOn, addedOn, expected) => {
    const previous = smallPlan();
    if (previousAddedOn) at(previous.accounts, 0).addedOn = previousAddedOn;
    else previous.accounts = [];
    const content = smallPlan();
    if (addedOn) at(content.accounts, 0).addedOn = addedOn;
    expect(at(fillDates(content, previous, '2026-06-15').accounts, 0).addedOn).toBe(expected);
  });

  it('fills every account when there is no previous version', () => {
    const content = smallPlan();
    content.accounts.push({ id: 'acc-2', name: 'Two', domain: 'two.example', addedOn: '2026-02-02' });
    expect(fillDates(content, undefined, '2026-06-15').accounts.map((a) => a.addedOn)).toEqual([
      '2026-06-15',
      '2026-02-02',
    ]);
  });
});

type Item = JointAction | Milestone;
const kinds = [
  ['actions', (fields: Partial<JointAction>) => action('x', fields)],
  ['milestones', (fields: Partial<Milestone>) => milestone('x', fields)],
] as const;

describe.each(kinds)('fillDates: done dates of %s', (kind, make) => {
  const withItem = (item: Item | undefined): PlanContent => {
    const plan = smallPlan();
    if (item) (plan[kind] as Item[]).push(item);
    return plan;
  };
  const doneOf = (plan: PlanContent) => at(plan[kind] as readonly Item[], 0).doneOn;

  it.each<[string, Item | undefined, Item, string | undefined]>([
    ['done now, not before: today', undefined, make({ status: 'done' }), '2026-06-15'],
    ['done now, open before: today', make({}), make({ status: 'done' }), '2026-06-15'],
    [
      'done before and still done: the earlier date is kept',
      make({ status: 'done', doneOn: '2026-06-01' }),
      make({ status: 'done' }),
      '2026-06-01',
    ],
    [
      'done with a date given: that date',
      make({ status: 'done', doneOn: '2026-06-01' }),
      make({ status: 'done', doneOn: '2026-06-10' }),
      '2026-06-10',
    ],
    [
      'no longer done: the date is cleared',
      make({ status: 'done', doneOn: '2026-06-01' }),
      make({}),
      undefined,
    ],
    ['not done but a stale date sent: cleared', undefined, make({ doneOn: '2026-06-01' }), undefined],
  ])('%s', (_name, before, now, expected) => {
    const filled = fillDates(withItem(now), before ? withItem(before) : undefined, '2026-06-15');
    expect(doneOf(filled)).toBe(expected);
    expect(Object.keys(at(filled[kind] as readonly Item[], 0)).includes('doneOn')).toBe(
      expected !== undefined,
    );
  });
});

describe('fillDates: purity', () => {
  it('does not change its input', () => {
    const content = demo();
    at(content.actions, 1).status = 'done';
    const copy = structuredClone(content);
    fillDates(content, demo(), '2026-06-16');
    expect(content).toStrictEqual(copy);
  });
});

describe('newPlan', () => {
  it('is version 1, created and updated by the actor at now, with dates filled', () => {
    const content = smallPlan();
    content.actions = [action('a-1', { status: 'done' })];
    expect(newPlan('plan-7', content, CREATED)).toStrictEqual({
      id: 'plan-7',
      version: 1,
      createdAt: '2026-05-01T09:30:00.000Z',
      createdBy: 'maya@vendor.example',
      updatedAt: '2026-05-01T09:30:00.000Z',
      updatedBy: 'maya@vendor.example',
      activatedOn: '2026-05-01',
      ...content,
      accounts: [{ ...at(content.accounts, 0), addedOn: '2026-05-01' }],
      actions: [{ ...at(content.actions, 0), doneOn: '2026-05-01' }],
    });
  });

  it.each<[PlanStatus, string | undefined]>([
    ['active', '2026-05-01'],
    ['draft', undefined],
    ['paused', undefined],
    ['won', undefined],
    ['lost', undefined],
  ])('a %s plan: activatedOn %s', (status, activatedOn) => {
    const plan = newPlan('p', { ...smallPlan(), status }, CREATED);
    expect(plan.activatedOn).toBe(activatedOn);
    expect('activatedOn' in plan).toBe(activatedOn !== undefined);
  });
});

describe('nextVersion', () => {
  const current = (status: PlanStatus, activatedOn?: string): Plan => {
    const plan = newPlan('plan-7', { ...smallPlan(), status }, CREATED);
    const { activatedOn: _dropped, ...rest } = plan;
    return { ...rest, version: 4, ...(activatedOn ? { activatedOn } : {}) };
  };

  it.each<[string, PlanStatus, string | undefined, PlanStatus, string | undefined]>([
    ['a draft that becomes active: today', 'draft', undefined, 'active', '2026-06-15'],
    [
      'a paused plan active again: today, not the first activation',
      'paused',
      undefined,
      'active',
      '2026-06-15',
    ],
    ['a won plan reopened as active: today', 'won', undefined, 'active', '2026-06-15'],
    ['an active plan that stays active: its activation day', 'active', '2026-05-01', 'active', '2026-05-01'],
    ['an active plan paused: none', 'active', '2026-05-01', 'paused', undefined],
    ['an active plan won: none', 'active', '2026-05-01', 'won', undefined],
    ['an active plan lost: none', 'active', '2026-05-01', 'lost', undefined],
    ['an active plan back to draft: none', 'active', '2026-05-01', 'draft', undefined],
    ['a draft that stays a draft: none', 'draft', undefined, 'draft', undefined],
  ])('%s', (_name, fromStatus, fromActivatedOn, toStatus, activatedOn) => {
    const next = nextVersion(
      current(fromStatus, fromActivatedOn),
      { ...smallPlan(), status: toStatus },
      LATER,
    );
    expect(next.activatedOn).toBe(activatedOn);
    expect('activatedOn' in next).toBe(activatedOn !== undefined);
  });

  it('increments the version, keeps who created it, stamps who updated it', () => {
    const before = current('active', '2026-05-01');
    const next = nextVersion(before, { ...smallPlan(), title: 'Renamed' }, LATER);
    expect({ ...next, accounts: [], people: [] }).toStrictEqual({
      ...smallPlan(),
      accounts: [],
      people: [],
      title: 'Renamed',
      id: 'plan-7',
      version: 5,
      createdAt: '2026-05-01T09:30:00.000Z',
      createdBy: 'maya@vendor.example',
      updatedAt: '2026-06-15T14:00:00.000Z',
      updatedBy: 'priya@vendor.example',
      activatedOn: '2026-05-01',
    });
  });

  it('keeps the day an account was added and the day an item was done across versions', () => {
    const first = smallPlan();
    first.actions = [action('a-1', { status: 'done' })];
    const created = newPlan('plan-7', first, CREATED);
    const resent = smallPlan();
    resent.actions = [action('a-1', { status: 'done' }), action('a-2', { status: 'done' })];
    const next = nextVersion(created, resent, LATER);
    expect(at(next.accounts, 0).addedOn).toBe('2026-05-01');
    expect(next.actions.map((a) => [a.id, a.doneOn])).toEqual([
      ['a-1', '2026-05-01'],
      ['a-2', '2026-06-15'],
    ]);
  });
});

describe('describeChanges: one sentence per change, for the history', () => {
  it.each<[string, (p: PlanContent) => void, string[]]>([
    ['nothing', () => {}, []],
    [
      'the title',
      (p) => {
        p.title = 'Northwind rollout, phase 2';
      },
      ['Title changed to "Northwind rollout, phase 2"'],
    ],
    [
      'the status',
      (p) => {
        p.status = 'paused';
      },
      ['Status active → paused'],
    ],
    [
      'the motion',
      (p) => {
        p.motion = 'map';
      },
      ['Motion co-sell → map'],
    ],
    [
      'an account added',
      (p) => p.accounts.push({ id: 'acc-new', name: 'Tailspin Toys', domain: 'tailspintoys.com' }),
      ['Account "Tailspin Toys" added'],
    ],
    [
      'an account removed',
      (p) => {
        p.accounts.pop();
      },
      ['Account "Fabrikam Freight" removed'],
    ],
    [
      'an account renamed',
      (p) => {
        at(p.accounts, 0).name = 'Northwind Group';
      },
      ['Account "Northwind Group" changed: name Northwind Logistics → Northwind Group'],
    ],
    [
      'an account without its CRM id',
      (p) => {
        at(p.accounts, 1).crmAccountId = undefined;
      },
      ['Account "Fabrikam Freight" changed: crmAccountId 0015g00000FBF07 → (none)'],
    ],
    [
      'an account whose untracked field changed',
      (p) => {
        at(p.accounts, 1).addedOn = '2026-06-01';
      },
      ['Account "Fabrikam Freight" changed'],
    ],
    [
      'a partner added',
      (p) => p.partners.push({ id: 'p-new', name: 'Fourth Coffee' }),
      ['Partner "Fourth Coffee" added'],
    ],
    [
      'a partner renamed',
      (p) => {
        at(p.partners, 0).name = 'Contoso Group';
      },
      ['Partner "Contoso Group" changed: name Contoso Consulting → Contoso Group'],
    ],
    [
      'a person added',
      (p) =>
        p.people.push({
          id: 'v-se',
          firstName: 'Ines',
          lastName: 'Duarte',
          email: 'ines@vendor.example',
          role: 'vendor-executive',
          side: 'vendor',
        }),
      ['Person "Ines Duarte" added'],
    ],
    [
      'a person removed',
      (p) => {
        p.people.splice(3, 1);
      },
      ['Person "Daniel Keller" removed'],
    ],
    [
      'a person with a new email and title',
      (p) => {
        at(p.people, 0).email = 'maya@vendor.example';
        at(p.people, 0).title = 'Enterprise AE';
      },
      [
        'Person "Maya Okafor" changed: email maya.okafor@vendor.example → maya@vendor.example; title (none) → Enterprise AE',
      ],
    ],
    [
      'a milestone moved and slipped',
      (p) => {
        at(p.milestones, 1).due = '2026-07-04';
        at(p.milestones, 1).status = 'slipped';
      },
      [
        'Milestone "Pilot sign-off by VP Operations" changed: due 2026-06-27 → 2026-07-04; status in-progress → slipped',
      ],
    ],
    [
      'a milestone given to another owner',
      (p) => {
        at(p.milestones, 2).ownerId = 'b-ch';
      },
      ['Milestone "Procurement and MSA redlines complete" changed: ownerId b-eb → b-ch'],
    ],
    [
      'a milestone added',
      (p) => p.milestones.push(milestone('m-new', { title: 'Legal review' })),
      ['Milestone "Legal review" added'],
    ],
    [
      'a milestone removed',
      (p) => {
        p.milestones.splice(3, 1);
      },
      ['Milestone "Board approval of FY budget line" removed'],
    ],
    [
      'an action unblocked',
      (p) => {
        at(p.actions, 3).status = 'open';
        at(p.actions, 3).blocker = undefined;
      },
      [
        'Action "Scope the services SOW for rollout to 14 depots" changed: status blocked → open; blocker Waiting for depot list from Northwind operations → (none)',
      ],
    ],
    [
      'an action added',
      (p) => p.actions.push(action('act-new', { description: 'Draft the joint press release' })),
      ['Action "Draft the joint press release" added'],
    ],
    [
      'an action removed',
      (p) => {
        p.actions.splice(5, 1);
      },
      ['Action "Send the multi-year pricing proposal to the CFO" removed'],
    ],
    [
      "one partner's economics",
      (p) => {
        p.economics = p.economics.map((e) =>
          e.partnerId === 'p-adatum'
            ? { partnerId: 'p-adatum', kind: 'none', statement: 'No shared economics' }
            : e,
        );
      },
      ['Economics with A. Datum Cloud Services changed'],
    ],
    [
      "both partners' economics",
      (p) => {
        for (const e of p.economics) if (e.kind === 'terms') for (const t of e.terms) t.agreed = true;
        const contoso = at(p.economics, 0);
        if (contoso.kind === 'terms') at(contoso.terms, 1).terms = 'On first-year ACV';
      },
      ['Economics with Contoso Consulting changed', 'Economics with A. Datum Cloud Services changed'],
    ],
    [
      "a partner's economics removed",
      (p) => {
        p.economics.shift();
      },
      ['Economics with Contoso Consulting changed'],
    ],
    [
      'a partner and its economics removed (named from before)',
      (p) => {
        p.partners = p.partners.filter((x) => x.id !== 'p-adatum');
        p.economics = p.economics.filter((e) => e.partnerId !== 'p-adatum');
      },
      ['Partner "A. Datum Cloud Services" removed', 'Economics with A. Datum Cloud Services changed'],
    ],
    [
      'the escalation threshold',
      (p) => {
        p.escalation.thresholdDays = 7;
      },
      ['Escalation path changed'],
    ],
    [
      'the vendor chain',
      (p) => {
        p.escalation.vendorChain.reverse();
      },
      ['Escalation path changed'],
    ],
    [
      'the CRM deal',
      (p) => {
        p.crmDeal = undefined;
      },
      ['CRM deal link changed'],
    ],
    [
      'the qualification',
      (p) => {
        if (p.qualification) p.qualification.cycleDays = 90;
      },
      ['Qualification answers changed'],
    ],
    [
      'the cadence',
      (p) => {
        if (p.cadence) p.cadence.time = '17:00';
      },
      ['Weekly cadence changed'],
    ],
    [
      'a weekly review',
      (p) => {
        p.lastReviewedOn = '2026-06-15';
      },
      ['Weekly review recorded on 2026-06-15'],
    ],
    ['the channels', (p) => p.channelIds.push('19:abc@thread.tacv2'), ['Channels changed']],
  ])('%s', (_name, change, sentences) => {
    const before = demo();
    const after = demo();
    change(after);
    expect(describeChanges(before, after)).toEqual(sentences);
  });

  it('lists several changes in page order: title, status, collections, economics, escalation, review', () => {
    const before = demo();
    const after = demo();
    after.lastReviewedOn = '2026-06-15';
    after.escalation.thresholdDays = 10;
    after.economics.pop();
    at(after.actions, 1).status = 'done';
    after.status = 'won';
    after.title = 'Won: Northwind';
    expect(describeChanges(before, after)).toEqual([
      'Title changed to "Won: Northwind"',
      'Status active → won',
      'Action "Validate the SAP TM integration in the pilot" changed: status open → done',
      'Economics with A. Datum Cloud Services changed',
      'Escalation path changed',
      'Weekly review recorded on 2026-06-15',
    ]);
  });
});
