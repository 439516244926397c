import {
  applyOperations,
  type JointAction,
  LIMITS,
  type Milestone,
  type Operation,
  OperationRejectedError,
  OperationsRequest,
  type PlanContent,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { at, byId, demo, getAt, type Path, rejection, setAt } from './plan-fixtures';

/** The day the operations are applied: the day after the demo's "today", so dates written by an operation stand out. */
const OP_DAY = '2026-06-16';
const apply = (plan: PlanContent, ops: readonly Operation[]) => applyOperations(plan, ops, { today: OP_DAY });

const omit = <T extends object, K extends keyof T>(item: T, ...keys: K[]): Omit<T, K> => {
  const copy = { ...item };
  for (const k of keys) delete copy[k];
  return copy;
};

const action = (plan: PlanContent, id: string): JointAction => byId(plan.actions, id);
const milestone = (plan: PlanContent, id: string): Milestone => byId(plan.milestones, id);

/*
 * Demo plan ids used below (see demoPlan): actions act-pilot-env (done), act-integration (open, Sofia Marino),
 * act-reference (open), act-services (blocked), act-fabrikam-q (open), act-pricing (open);
 * milestones m-security (done), m-pilot (in progress, due 2026-06-27, Omar Haddad), m-procurement, m-board,
 * m-fabrikam-sec (slipped).
 */

const newAction = {
  id: 'act-new',
  description: 'Book the depot site visit',
  ownerId: 'c-pc',
  due: '2026-06-20',
  milestoneId: 'm-pilot',
  accountId: 'acc-northwind',
};

describe('each operation: its effect on exactly one item, and its sentence', () => {
  it.each<[string, Operation, Path, (before: PlanContent) => unknown, string]>([
    [
      'complete-action marks the action done on the day applied',
      { op: 'complete-action', actionId: 'act-integration' },
      ['actions', 1],
      (p) => ({ ...action(p, 'act-integration'), status: 'done', doneOn: OP_DAY }),
      'Action "Validate the SAP TM integration in the pilot" done',
    ],
    [
      'complete-action on a blocked action drops the blocker',
      { op: 'complete-action', actionId: 'act-services' },
      ['actions', 3],
      (p) => ({ ...omit(action(p, 'act-services'), 'blocker'), status: 'done', doneOn: OP_DAY }),
      'Action "Scope the services SOW for rollout to 14 depots" done',
    ],
    [
      'reopen-action reopens a done action and drops its done date',
      { op: 'reopen-action', actionId: 'act-pilot-env' },
      ['actions', 0],
      (p) => ({ ...omit(action(p, 'act-pilot-env'), 'doneOn'), status: 'open' }),
      'Action "Stand up the pilot tenant with Northwind sample data" reopened',
    ],
    [
      'add-action appends an open action',
      { op: 'add-action', action: newAction },
      ['actions', 6],
      () => ({ ...newAction, status: 'open' }),
      'Action "Book the depot site visit" added for Sofia Marino, due 2026-06-20',
    ],
    [
      'add-action without milestone or account',
      {
        op: 'add-action',
        action: { id: 'act-min', description: 'Call the CFO', ownerId: 'v-ae', due: '2026-06-18' },
      },
      ['actions', 6],
      () => ({
        id: 'act-min',
        description: 'Call the CFO',
        ownerId: 'v-ae',
        due: '2026-06-18',
        status: 'open',
      }),
      'Action "Call the CFO" added for Maya Okafor, due 2026-06-18',
    ],
    [
      'move-milestone moves the due date, marks it slipped and records the move with its reason',
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-07-04', reason: 'VP Operations travelling' },
      ['milestones', 1],
      (p) => ({
        ...milestone(p, 'm-pilot'),
        due: '2026-07-04',
        status: 'slipped',
        lastMove: { from: '2026-06-27', to: '2026-07-04', reason: 'VP Operations travelling', on: OP_DAY },
      }),
      'Milestone "Pilot sign-off by VP Operations" moved from 2026-06-27 to 2026-07-04: VP Operations travelling',
    ],
    [
      'move-milestone replaces the previous last move',
      { op: 'move-milestone', milestoneId: 'm-fabrikam-sec', due: '2026-06-30', reason: 'InfoSec lead back' },
      ['milestones', 4],
      (p) => ({
        ...milestone(p, 'm-fabrikam-sec'),
        due: '2026-06-30',
        lastMove: { from: '2026-06-11', to: '2026-06-30', reason: 'InfoSec lead back', on: OP_DAY },
      }),
      'Milestone "Fabrikam security questionnaire returned" moved from 2026-06-11 to 2026-06-30: InfoSec lead back',
    ],
    [
      'complete-milestone marks it done on the day applied',
      { op: 'complete-milestone', milestoneId: 'm-pilot' },
      ['milestones', 1],
      (p) => ({ ...milestone(p, 'm-pilot'), status: 'done', doneOn: OP_DAY }),
      'Milestone "Pilot sign-off by VP Operations" done',
    ],
    [
      'raise-blocker blocks an open action with the blocker text',
      { op: 'raise-blocker', actionId: 'act-integration', blocker: 'SAP sandbox not provisioned' },
      ['actions', 1],
      (p) => ({ ...action(p, 'act-integration'), status: 'blocked', blocker: 'SAP sandbox not provisioned' }),
      'Blocker raised on "Validate the SAP TM integration in the pilot": SAP sandbox not provisioned',
    ],
    [
      'raise-blocker on a blocked action replaces the blocker text',
      { op: 'raise-blocker', actionId: 'act-services', blocker: 'Depot list incomplete' },
      ['actions', 3],
      (p) => ({ ...action(p, 'act-services'), blocker: 'Depot list incomplete' }),
      'Blocker raised on "Scope the services SOW for rollout to 14 depots": Depot list incomplete',
    ],
    [
      'clear-blocker reopens a blocked action and drops the blocker',
      { op: 'clear-blocker', actionId: 'act-services' },
      ['actions', 3],
      (p) => ({ ...omit(action(p, 'act-services'), 'blocker'), status: 'open' }),
      'Blocker cleared on "Scope the services SOW for rollout to 14 depots"',
    ],
    [
      'set-owner hands an action to another partner-side person',
      { op: 'set-owner', item: 'action', itemId: 'act-integration', ownerId: 'c-pm' },
      ['actions', 1],
      (p) => ({ ...action(p, 'act-integration'), ownerId: 'c-pm' }),
      'Owner of action "Validate the SAP TM integration in the pilot" changed from Sofia Marino to James Whitfield',
    ],
    [
      'set-owner hands a milestone to the economic buyer',
      { op: 'set-owner', item: 'milestone', itemId: 'm-pilot', ownerId: 'b-eb' },
      ['milestones', 1],
      (p) => ({ ...milestone(p, 'm-pilot'), ownerId: 'b-eb' }),
      'Owner of milestone "Pilot sign-off by VP Operations" changed from Omar Haddad to Helen Costa',
    ],
    [
      'reschedule-action moves the due date of an open action',
      { op: 'reschedule-action', actionId: 'act-integration', due: '2026-06-25' },
      ['actions', 1],
      (p) => ({ ...action(p, 'act-integration'), due: '2026-06-25' }),
      'Action "Validate the SAP TM integration in the pilot" due date moved from 2026-06-20 to 2026-06-25',
    ],
    [
      'reschedule-action keeps a blocked action blocked',
      { op: 'reschedule-action', actionId: 'act-services', due: '2026-06-30' },
      ['actions', 3],
      (p) => ({ ...action(p, 'act-services'), due: '2026-06-30' }),
      'Action "Scope the services SOW for rollout to 14 depots" due date moved from 2026-06-24 to 2026-06-30',
    ],
    [
      'record-review sets the last review to the day applied',
      { op: 'record-review' },
      ['lastReviewedOn'],
      () => OP_DAY,
      'Weekly review recorded on 2026-06-16',
    ],
  ])('%s', (_name, operation, path, expectedItem, sentence) => {
    const before = demo();
    const pristine = structuredClone(before);
    const expected = structuredClone(before);
    setAt(expected, path, expectedItem(before));

    const result = apply(before, [operation]);

    expect(result.changes).toEqual([sentence]);
    expect(result.plan).toStrictEqual(expected);
    expect(before).toStrictEqual(pristine);
  });

  it.each<[string, Operation]>([
    ['complete-action', { op: 'complete-action', actionId: 'act-integration' }],
    ['reopen-action', { op: 'reopen-action', actionId: 'act-pilot-env' }],
    ['add-action', { op: 'add-action', action: newAction }],
    ['move-milestone', { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-07-04', reason: 'Travel' }],
    ['complete-milestone', { op: 'complete-milestone', milestoneId: 'm-pilot' }],
    ['raise-blocker', { op: 'raise-blocker', actionId: 'act-integration', blocker: 'No sandbox' }],
    ['clear-blocker', { op: 'clear-blocker', actionId: 'act-services' }],
    ['set-owner', { op: 'set-owner', item: 'action', itemId: 'act-integration', ownerId: 'c-pm' }],
    ['reschedule-action', { op: 'reschedule-action', actionId: 'act-integration', due: '2026-06-25' }],
    ['record-review', { op: 'record-review' }],
  ])(
    '%s applied a second time changes nothing and says nothing (a retried request is safe)',
    (_name, operation) => {
      const once = apply(demo(), [operation]);
      expect(once.changes).toHaveLength(1);
      const twice = apply(once.plan, [operation]);
      expect(twice).toStrictEqual({ plan: once.plan, changes: [] });
      expect(apply(demo(), [operation, operation])).toStrictEqual(once);
    },
  );
});

describe('operations that find nothing to change: no change, no sentence', () => {
  it.each<[string, Operation]>([
    ['completing a done action', { op: 'complete-action', actionId: 'act-pilot-env' }],
    ['reopening an open action', { op: 'reopen-action', actionId: 'act-integration' }],
    ['reopening a blocked action', { op: 'reopen-action', actionId: 'act-services' }],
    ['clearing the blocker of an open action', { op: 'clear-blocker', actionId: 'act-integration' }],
    [
      'raising the same blocker again',
      {
        op: 'raise-blocker',
        actionId: 'act-services',
        blocker: 'Waiting for depot list from Northwind operations',
      },
    ],
    ['completing a done milestone', { op: 'complete-milestone', milestoneId: 'm-security' }],
    [
      'moving a milestone to its due date',
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-06-27', reason: 'No change' },
    ],
    [
      'setting the owner an action has',
      { op: 'set-owner', item: 'action', itemId: 'act-integration', ownerId: 'c-pc' },
    ],
    [
      'setting the owner a milestone has',
      { op: 'set-owner', item: 'milestone', itemId: 'm-pilot', ownerId: 'b-ch' },
    ],
    [
      'rescheduling an action to its due date',
      { op: 'reschedule-action', actionId: 'act-integration', due: '2026-06-20' },
    ],
    [
      'adding an action that is already there (same id, description and owner)',
      {
        op: 'add-action',
        action: {
          id: 'act-pricing',
          description: 'Send the multi-year pricing proposal to the CFO',
          ownerId: 'v-ae',
          due: '2026-07-01',
        },
      },
    ],
  ])('%s', (_name, operation) => {
    const before = demo();
    expect(apply(before, [operation])).toStrictEqual({ plan: demo(), changes: [] });
  });

  it('recording a review twice on one day records it once', () => {
    const plan = demo();
    plan.lastReviewedOn = OP_DAY;
    expect(apply(plan, [{ op: 'record-review' }]).changes).toEqual([]);
  });
});

describe('rejections: the path into the request body, and nothing applied', () => {
  const first: Operation = { op: 'complete-action', actionId: 'act-integration' };
  it.each<[string, Operation, Path, string]>([
    [
      'complete-action of an unknown action',
      { op: 'complete-action', actionId: 'nope' },
      ['actionId'],
      'no action with id "nope" on this plan',
    ],
    [
      'reopen-action of an unknown action',
      { op: 'reopen-action', actionId: 'nope' },
      ['actionId'],
      'no action with id "nope" on this plan',
    ],
    [
      'raise-blocker on an unknown action',
      { op: 'raise-blocker', actionId: 'nope', blocker: 'x' },
      ['actionId'],
      'no action with id "nope" on this plan',
    ],
    [
      'raise-blocker on a done action',
      { op: 'raise-blocker', actionId: 'act-pilot-env', blocker: 'x' },
      ['actionId'],
      'action "Stand up the pilot tenant with Northwind sample data" is done; reopen it before raising a blocker',
    ],
    [
      'clear-blocker on an unknown action',
      { op: 'clear-blocker', actionId: 'nope' },
      ['actionId'],
      'no action with id "nope" on this plan',
    ],
    [
      'move-milestone of an unknown milestone',
      { op: 'move-milestone', milestoneId: 'nope', due: '2026-07-01', reason: 'x' },
      ['milestoneId'],
      'no milestone with id "nope" on this plan',
    ],
    [
      'move-milestone of a done milestone',
      { op: 'move-milestone', milestoneId: 'm-security', due: '2026-07-01', reason: 'x' },
      ['milestoneId'],
      'milestone "Security review passed (Northwind InfoSec)" is done; a done milestone does not move',
    ],
    [
      'complete-milestone of an unknown milestone',
      { op: 'complete-milestone', milestoneId: 'nope' },
      ['milestoneId'],
      'no milestone with id "nope" on this plan',
    ],
    [
      'reschedule-action of an unknown action',
      { op: 'reschedule-action', actionId: 'nope', due: '2026-07-01' },
      ['actionId'],
      'no action with id "nope" on this plan',
    ],
    [
      'reschedule-action of a done action',
      { op: 'reschedule-action', actionId: 'act-pilot-env', due: '2026-07-01' },
      ['actionId'],
      'action "Stand up the pilot tenant with Northwind sample data" is done; a done action keeps its date',
    ],
    [
      'add-action without an id',
      { op: 'add-action', action: { ...newAction, id: undefined } },
      ['action', 'id'],
      'the new action needs an id',
    ],
    [
      'add-action reusing the id of a different action',
      { op: 'add-action', action: { ...newAction, id: 'act-pricing' } },
      ['action', 'id'],
      'an action with id "act-pricing" exists',
    ],
    [
      'add-action owned by nobody on the plan',
      { op: 'add-action', action: { ...newAction, ownerId: 'nobody' } },
      ['action', 'ownerId'],
      'no person with id "nobody" is named on the plan',
    ],
    [
      'add-action owned by the buyer',
      { op: 'add-action', action: { ...newAction, ownerId: 'b-eb' } },
      ['action', 'ownerId'],
      'a joint action is owned by someone on the vendor or a partner side',
    ],
    [
      'add-action for an unknown milestone',
      { op: 'add-action', action: { ...newAction, milestoneId: 'm-nope' } },
      ['action', 'milestoneId'],
      'no milestone with id "m-nope" on this plan',
    ],
    [
      'add-action for an unknown account',
      { op: 'add-action', action: { ...newAction, accountId: 'acc-nope' } },
      ['action', 'accountId'],
      'no shared account with id "acc-nope"',
    ],
    [
      'set-owner to nobody on the plan',
      { op: 'set-owner', item: 'action', itemId: 'act-reference', ownerId: 'nobody' },
      ['ownerId'],
      'no person with id "nobody" is named on the plan',
    ],
    [
      'set-owner of an unknown action',
      { op: 'set-owner', item: 'action', itemId: 'nope', ownerId: 'v-ae' },
      ['itemId'],
      'no action with id "nope" on this plan',
    ],
    [
      'set-owner of an unknown milestone',
      { op: 'set-owner', item: 'milestone', itemId: 'nope', ownerId: 'v-ae' },
      ['itemId'],
      'no milestone with id "nope" on this plan',
    ],
    [
      'set-owner of an action to the buyer',
      { op: 'set-owner', item: 'action', itemId: 'act-reference', ownerId: 'b-ch' },
      ['ownerId'],
      'a joint action is owned by someone on the vendor or a partner side',
    ],
  ])('%s → %j', (_name, operation, path, message) => {
    const before = demo();
    const pristine = structuredClone(before);
    expect(rejection(() => apply(before, [first, operation]))).toEqual({
      path: ['operations', 1, ...path],
      message,
    });
    expect(before).toStrictEqual(pristine);
  });

  it('checks each operation against the plan as the earlier ones left it', () => {
    const ops: Operation[] = [
      { op: 'complete-action', actionId: 'act-integration' },
      { op: 'raise-blocker', actionId: 'act-integration', blocker: 'Too late' },
    ];
    expect(rejection(() => apply(demo(), ops))).toEqual({
      path: ['operations', 1, 'actionId'],
      message:
        'action "Validate the SAP TM integration in the pilot" is done; reopen it before raising a blocker',
    });
  });

  it('lets an operation refer to an action added earlier in the batch', () => {
    const result = apply(demo(), [
      { op: 'add-action', action: newAction },
      { op: 'complete-action', actionId: 'act-new' },
    ]);
    expect(action(result.plan, 'act-new')).toMatchObject({ status: 'done', doneOn: OP_DAY });
    expect(result.changes).toEqual([
      'Action "Book the depot site visit" added for Sofia Marino, due 2026-06-20',
      'Action "Book the depot site visit" done',
    ]);
  });

  it('rejects the action beyond LIMITS.actions naming the limit; the one at the limit is accepted', () => {
    const plan = demo();
    const room = LIMITS.actions - plan.actions.length;
    const adds: Operation[] = Array.from({ length: room + 1 }, (_, i) => ({
      op: 'add-action',
      action: { id: `act-extra-${i}`, description: `Extra action ${i}`, ownerId: 'v-ae', due: '2026-07-01' },
    }));
    expect(apply(plan, adds.slice(0, room)).plan.actions).toHaveLength(LIMITS.actions);
    expect(rejection(() => apply(plan, adds))).toEqual({
      path: ['operations', room, 'action'],
      message: `a plan has at most ${LIMITS.actions} joint actions so the plan fits one printed page`,
    });
    expect(plan.actions).toHaveLength(6);
  });

  it('a retried add on a full plan is still a no-op, not a limit error', () => {
    const plan = demo();
    const room = LIMITS.actions - plan.actions.length;
    expect(room).toBeGreaterThan(0);
    const adds: Operation[] = Array.from({ length: room }, (_, i) => ({
      op: 'add-action',
      action: { id: `act-extra-${i}`, description: `Extra action ${i}`, ownerId: 'v-ae', due: '2026-07-01' },
    }));
    const full = apply(plan, adds).plan;
    expect(full.actions).toHaveLength(LIMITS.actions);
    expect(apply(full, [at(adds, room - 1)])).toStrictEqual({ plan: full, changes: [] });
  });

  it('throws an OperationRejectedError, naming the class', () => {
    try {
      apply(demo(), [{ op: 'complete-action', actionId: 'nope' }]);
      expect.unreachable('the operation should be rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(OperationRejectedError);
      expect(error).toMatchObject({ name: 'OperationRejectedError' });
    }
  });

  it('rejects operations on a plan that was already inconsistent, at the operations', () => {
    const plan = demo();
    plan.actions.push({ ...at(plan.actions, 5), description: 'A copy with the same id' });
    expect(rejection(() => apply(plan, [{ op: 'record-review' }]))).toEqual({
      path: ['operations'],
      message: 'the operations leave the plan inconsistent: the id "act-pricing" is used twice',
    });
  });
});

describe('the OperationsRequest schema', () => {
  const issues = (body: unknown) => {
    const result = OperationsRequest.safeParse(body);
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path, message: i.message }));
  };
  const review = { op: 'record-review' };

  it.each([
    [1, true],
    [LIMITS.operationsPerRequest, true],
  ])('accepts %i operations', (n) => {
    expect(issues({ operations: Array.from({ length: n }, () => review) })).toEqual([]);
  });

  it.each<[string, unknown, Path, string]>([
    [
      '21 operations',
      { operations: Array.from({ length: 21 }, () => review) },
      ['operations'],
      'at most 20 operations per request',
    ],
    ['no operation', { operations: [] }, ['operations'], 'send at least one operation'],
    [
      'an unknown field in an operation',
      { operations: [{ op: 'complete-action', actionId: 'a', force: true }] },
      ['operations', 0],
      'Unrecognized key: "force"',
    ],
    [
      'a status on a new action',
      { operations: [{ op: 'add-action', action: { ...newAction, status: 'done' } }] },
      ['operations', 0, 'action'],
      'Unrecognized key: "status"',
    ],
    [
      'an empty move reason',
      { operations: [{ op: 'move-milestone', milestoneId: 'm', due: '2026-07-01', reason: ' ' }] },
      ['operations', 0, 'reason'],
      'the reason for moving the milestone is required',
    ],
    [
      'a move reason one character over the limit',
      {
        operations: [
          {
            op: 'move-milestone',
            milestoneId: 'm',
            due: '2026-07-01',
            reason: 'r'.repeat(LIMITS.moveReason + 1),
          },
        ],
      },
      ['operations', 0, 'reason'],
      `the reason for moving the milestone is limited to ${LIMITS.moveReason} characters so the plan fits one printed page`,
    ],
    [
      'a blocker one character over the limit',
      { operations: [{ op: 'raise-blocker', actionId: 'a', blocker: 'b'.repeat(LIMITS.blocker + 1) }] },
      ['operations', 0, 'blocker'],
      `the blocker is limited to ${LIMITS.blocker} characters so the plan fits one printed page`,
    ],
    [
      'an impossible move date',
      { operations: [{ op: 'move-milestone', milestoneId: 'm', due: '2026-02-30', reason: 'x' }] },
      ['operations', 0, 'due'],
      'a date is written YYYY-MM-DD and must exist on the calendar',
    ],
    [
      'an impossible reschedule date',
      { operations: [{ op: 'reschedule-action', actionId: 'a', due: '2026-06-31' }] },
      ['operations', 0, 'due'],
      'a date is written YYYY-MM-DD and must exist on the calendar',
    ],
    [
      'an unknown field in the body',
      { operations: [review], planVersion: 3 },
      [],
      'Unrecognized key: "planVersion"',
    ],
  ])('rejects %s at %j', (_name, body, path, message) => {
    expect(issues(body)).toEqual([{ path: [...path], message }]);
  });

  it('rejects an unknown op, naming the ones there are', () => {
    const found = issues({ operations: [review, { op: 'delete-plan' }] });
    expect(found.map((i) => i.path)).toEqual([['operations', 1, 'op']]);
    expect(found[0]?.message).toContain("'complete-action'");
    expect(found[0]?.message).toContain("'record-review'");
  });

  it('accepts a move reason at the limit and a new action without an id', () => {
    expect(
      issues({
        operations: [
          {
            op: 'move-milestone',
            milestoneId: 'm',
            due: '2026-07-01',
            reason: 'r'.repeat(LIMITS.moveReason),
          },
          { op: 'add-action', action: omit(newAction, 'id') },
        ],
      }),
    ).toEqual([]);
  });
});

describe('operations on different items commute', () => {
  const review: Operation = { op: 'record-review' };
  it.each<[string, Operation, Operation]>([
    [
      'complete one action, block another',
      { op: 'complete-action', actionId: 'act-integration' },
      { op: 'raise-blocker', actionId: 'act-reference', blocker: 'No reference yet' },
    ],
    [
      'complete an action, move a milestone it serves',
      { op: 'complete-action', actionId: 'act-integration' },
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-07-04', reason: 'Travel' },
    ],
    [
      'move one milestone, complete another',
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-07-04', reason: 'Travel' },
      { op: 'complete-milestone', milestoneId: 'm-procurement' },
    ],
    [
      'raise one blocker, clear another',
      { op: 'raise-blocker', actionId: 'act-integration', blocker: 'No sandbox' },
      { op: 'clear-blocker', actionId: 'act-services' },
    ],
    [
      'hand over one action, complete another',
      { op: 'set-owner', item: 'action', itemId: 'act-integration', ownerId: 'c-pm' },
      { op: 'complete-action', actionId: 'act-pricing' },
    ],
    [
      'hand over one milestone, move another',
      { op: 'set-owner', item: 'milestone', itemId: 'm-board', ownerId: 'b-ch' },
      { op: 'move-milestone', milestoneId: 'm-procurement', due: '2026-07-20', reason: 'Legal' },
    ],
    ['record the review, complete an action', review, { op: 'complete-action', actionId: 'act-integration' }],
    [
      'record the review, move a milestone',
      review,
      { op: 'move-milestone', milestoneId: 'm-fabrikam-sec', due: '2026-06-30', reason: 'Back from leave' },
    ],
    [
      'add an action, complete another',
      { op: 'add-action', action: newAction },
      { op: 'complete-action', actionId: 'act-integration' },
    ],
    [
      'add an action, hand over another',
      { op: 'add-action', action: newAction },
      { op: 'set-owner', item: 'action', itemId: 'act-reference', ownerId: 'a-pm' },
    ],
    [
      'reopen one action, block another',
      { op: 'reopen-action', actionId: 'act-pilot-env' },
      { op: 'raise-blocker', actionId: 'act-reference', blocker: 'No reference yet' },
    ],
    [
      'complete a milestone, complete an action',
      { op: 'complete-milestone', milestoneId: 'm-pilot' },
      { op: 'complete-action', actionId: 'act-pricing' },
    ],
    [
      'clear a blocker, hand over a milestone',
      { op: 'clear-blocker', actionId: 'act-services' },
      { op: 'set-owner', item: 'milestone', itemId: 'm-pilot', ownerId: 'b-eb' },
    ],
    [
      'reschedule one action, complete another',
      { op: 'reschedule-action', actionId: 'act-reference', due: '2026-06-22' },
      { op: 'complete-action', actionId: 'act-integration' },
    ],
    [
      'reschedule an action, move its milestone',
      { op: 'reschedule-action', actionId: 'act-integration', due: '2026-06-22' },
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-07-04', reason: 'Travel' },
    ],
    [
      'hand over an action and a milestone',
      { op: 'set-owner', item: 'action', itemId: 'act-integration', ownerId: 'c-pm' },
      { op: 'set-owner', item: 'milestone', itemId: 'm-pilot', ownerId: 'b-eb' },
    ],
  ])('%s', (_name, a, b) => {
    const ab = apply(demo(), [a, b]);
    const ba = apply(demo(), [b, a]);
    expect(ab.changes).toHaveLength(2);
    expect(ab.plan).toStrictEqual(ba.plan);
    expect([...ab.changes].sort()).toEqual([...ba.changes].sort());
  });

  it('two new actions commute up to the order they are listed in', () => {
    const other: Operation = {
      op: 'add-action',
      action: {
        id: 'act-other',
        description: 'Draft the joint press release',
        ownerId: 'v-pm',
        due: '2026-06-25',
      },
    };
    const add: Operation = { op: 'add-action', action: newAction };
    const ab = apply(demo(), [add, other]).plan;
    const ba = apply(demo(), [other, add]).plan;
    const byIdOrder = (p: PlanContent) => [...p.actions].sort((x, y) => x.id.localeCompare(y.id));
    expect(byIdOrder(ab)).toStrictEqual(byIdOrder(ba));
    expect(ab.actions.slice(6).map((x) => x.id)).toEqual(['act-new', 'act-other']);
    expect(ba.actions.slice(6).map((x) => x.id)).toEqual(['act-other', 'act-new']);
  });

  it("re-applying one person's operations on a plan someone else changed keeps both edits", () => {
    const mine: Operation[] = [{ op: 'complete-action', actionId: 'act-integration' }];
    const theirs: Operation[] = [
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-07-04', reason: 'Travel' },
    ];
    const saved = apply(demo(), theirs).plan;
    const merged = apply(saved, mine).plan;
    expect(action(merged, 'act-integration').status).toBe('done');
    expect(milestone(merged, 'm-pilot').due).toBe('2026-07-04');
    expect(getAt(merged, ['lastReviewedOn'])).toBe(demo().lastReviewedOn);
  });
});

describe('move-milestone earlier', () => {
  it('keeps the status of a milestone pulled in earlier, and still records the move', () => {
    const { plan, changes } = apply(demo(), [
      { op: 'move-milestone', milestoneId: 'm-pilot', due: '2026-06-20', reason: 'Pilot finished early' },
    ]);
    expect(milestone(plan, 'm-pilot')).toMatchObject({
      due: '2026-06-20',
      status: 'in-progress',
      lastMove: { from: '2026-06-27', to: '2026-06-20', reason: 'Pilot finished early', on: OP_DAY },
    });
    expect(changes).toEqual([
      'Milestone "Pilot sign-off by VP Operations" moved from 2026-06-27 to 2026-06-20: Pilot finished early',
    ]);
  });
});

describe('link-channel and unlink-channel: which Teams channels show the plan', () => {
  const CHANNEL = '19:northwind-deal@thread.tacv2';
  const link: Operation = { op: 'link-channel', channelId: CHANNEL, channelName: 'Northwind deal' };
  const unlink: Operation = { op: 'unlink-channel', channelId: CHANNEL, channelName: 'Northwind deal' };
  const withChannels = (...ids: string[]) => ({ ...demo(), channelIds: ids });

  it('link-channel adds the channel and says so by name; nothing else changes', () => {
    const result = apply(demo(), [link]);
    expect(result.plan).toStrictEqual({ ...demo(), channelIds: [CHANNEL] });
    expect(result.changes).toEqual(['Shown in the Teams channel "Northwind deal"']);
  });

  it('names the channel by id when no name is given', () => {
    expect(apply(demo(), [{ op: 'link-channel', channelId: CHANNEL }]).changes).toEqual([
      `Shown in the Teams channel ${CHANNEL}`,
    ]);
  });

  it('unlink-channel removes only that channel', () => {
    const result = apply(withChannels('19:other@thread.tacv2', CHANNEL), [unlink]);
    expect(result.plan).toStrictEqual(withChannels('19:other@thread.tacv2'));
    expect(result.changes).toEqual(['No longer shown in the Teams channel "Northwind deal"']);
  });

  it('linking a linked channel or unlinking an unlinked one changes nothing and says nothing', () => {
    expect(apply(withChannels(CHANNEL), [link])).toStrictEqual({ plan: withChannels(CHANNEL), changes: [] });
    expect(apply(demo(), [unlink])).toStrictEqual({ plan: demo(), changes: [] });
    const once = apply(demo(), [link, link]);
    expect(once.plan.channelIds).toEqual([CHANNEL]);
    expect(once.changes).toHaveLength(1);
  });

  it(`rejects a channel beyond the ${LIMITS.channels}th, naming the limit, and applies nothing`, () => {
    const full = withChannels(...Array.from({ length: LIMITS.channels }, (_, i) => `19:c${i}@thread.tacv2`));
    expect(rejection(() => apply(full, [{ op: 'record-review' }, link]))).toEqual({
      path: ['operations', 1, 'channelId'],
      message: `a plan is shown in at most ${LIMITS.channels} channels; remove it from one first`,
    });
    // Unlinking one first makes room, in the same request.
    const swapped = apply(full, [{ op: 'unlink-channel', channelId: '19:c0@thread.tacv2' }, link]);
    expect(swapped.plan.channelIds).toHaveLength(LIMITS.channels);
    expect(swapped.plan.channelIds).toContain(CHANNEL);
  });

  it('commutes with quick updates, and two links commute up to their order', () => {
    const done: Operation = { op: 'complete-action', actionId: 'act-integration' };
    expect(apply(demo(), [link, done]).plan).toStrictEqual(apply(demo(), [done, link]).plan);
    const other: Operation = { op: 'link-channel', channelId: '19:other@thread.tacv2' };
    const ab = apply(demo(), [link, other]).plan.channelIds;
    const ba = apply(demo(), [other, link]).plan.channelIds;
    expect([...ab].sort()).toEqual([...ba].sort());
    expect(ab).toHaveLength(2);
  });

  it('a link re-applied on a plan someone else linked to another channel keeps both', () => {
    const theirs = apply(demo(), [{ op: 'link-channel', channelId: '19:theirs@thread.tacv2' }]).plan;
    expect(apply(theirs, [link]).plan.channelIds).toEqual(['19:theirs@thread.tacv2', CHANNEL]);
  });

  it.each<[string, unknown, Path, string]>([
    ['an empty channel id', { op: 'link-channel', channelId: '' }, ['channelId'], 'Too small'],
    [
      'a channel name with a line break',
      { op: 'link-channel', channelId: CHANNEL, channelName: 'North\nwind' },
      ['channelName'],
      'the channel name is one line of plain text',
    ],
    [
      'a 121-character channel name',
      { op: 'unlink-channel', channelId: CHANNEL, channelName: 'n'.repeat(121) },
      ['channelName'],
      'the channel name is limited to 120 characters',
    ],
  ])('the request schema rejects %s', (_name, operation, path, message) => {
    const result = OperationsRequest.safeParse({ operations: [operation] });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(['operations', 0, ...path]);
    expect(issue?.message.startsWith(message)).toBe(true);
  });
});
