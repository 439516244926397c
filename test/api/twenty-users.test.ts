import {
  demoPlan,
  type HistoryEntry,
  LIMITS,
  type Operation,
  type Plan,
  type PlanContent,
} from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { call, startTestApi, type TestApi } from '../support/api-host';

/*
 * Issue 8: twenty people update one plan from their phones at the same moment, each a different quick
 * update, each as themselves (the local identity's `x-cosell-local-user`). All twenty are applied — on
 * the embedded SQLite store and on the SharePoint store through the Graph emulator, over real HTTP.
 * Then every phone sends its update again (the answer was lost): the operation ids make that harmless.
 */

const TODAY = '2026-11-27';
const USERS = 20;

/** The demo plan with its maximum of actions and milestones, all open and planned. */
function planForTwenty(): PlanContent {
  const base = demoPlan(TODAY);
  return {
    ...base,
    title: 'Twenty phones at once',
    actions: Array.from({ length: LIMITS.actions }, (_, i) => ({
      id: `a${i}`,
      description: `Action ${i}`,
      ownerId: 'v-ae',
      due: '2026-12-10',
      status: 'open' as const,
    })),
    milestones: Array.from({ length: LIMITS.milestones }, (_, j) => ({
      id: `m${j}`,
      title: `Milestone ${j}`,
      due: '2026-12-20',
      ownerId: 'b-eb',
      status: 'planned' as const,
    })),
  };
}

const NEW_OWNERS = ['v-pm', 'v-csas', 'v-rvp', 'c-pc', 'c-pm', 'a-pc', 'a-pm', 'v-pm'];
const user = (k: number) => `phone${k}@vendor.example`;

/** Twenty different quick updates whose effects are all visible at the end (none overwrites another). */
function twentyOperations(): Operation[] {
  const ops: Operation[] = [];
  for (let i = 0; i < 4; i++) ops.push({ op: 'complete-action', actionId: `a${i}` });
  for (let i = 4; i < 8; i++) ops.push({ op: 'raise-blocker', actionId: `a${i}`, blocker: `Blocker ${i}` });
  for (let i = 0; i < 8; i++)
    ops.push({ op: 'set-owner', item: 'action', itemId: `a${i}`, ownerId: NEW_OWNERS[i] ?? 'v-pm' });
  for (let j = 0; j < 4; j++)
    ops.push({ op: 'move-milestone', milestoneId: `m${j}`, due: `2027-01-1${j}`, reason: `Reason ${j}` });
  return ops.map((op, k) => ({ ...op, opId: `phone-${k}-2f0c6a1e` }));
}

function expectAllTwenty(plan: Plan): void {
  for (let i = 0; i < 8; i++) {
    const action = plan.actions.find((a) => a.id === `a${i}`);
    expect(action?.ownerId, `owner of a${i}`).toBe(NEW_OWNERS[i]);
    if (i < 4) expect(action, `a${i}`).toMatchObject({ status: 'done', doneOn: TODAY });
    else expect(action, `a${i}`).toMatchObject({ status: 'blocked', blocker: `Blocker ${i}` });
  }
  for (let j = 0; j < 4; j++) {
    expect(plan.milestones.find((m) => m.id === `m${j}`)).toMatchObject({
      due: `2027-01-1${j}`,
      status: 'slipped',
      lastMove: { from: '2026-12-20', to: `2027-01-1${j}`, reason: `Reason ${j}`, on: TODAY },
    });
  }
  // The milestones nobody touched are as they were.
  for (let j = 4; j < LIMITS.milestones; j++) {
    expect(plan.milestones.find((m) => m.id === `m${j}`)).toMatchObject({
      due: '2026-12-20',
      status: 'planned',
    });
  }
}

type OpsAnswer = { plan: Plan; changes: string[]; retries: number; repeatedIds?: string[] };

async function twentyAtOnce(url: string, planId: string, ops: Operation[]) {
  return Promise.all(
    ops.map((op, k) =>
      call<OpsAnswer>(url, 'POST', `/api/plans/${planId}/operations`, {
        json: { operations: [op] },
        headers: { 'x-cosell-local-user': user(k), connection: 'close' },
      }),
    ),
  );
}

function describeTwentyUsers(name: string, start: () => Promise<TestApi>, stop?: () => Promise<void>) {
  describe(`20 quick updates from 20 users at once on one plan — ${name}`, () => {
    let api: TestApi;
    let planId: string;
    const ops = twentyOperations();

    beforeAll(async () => {
      api = await start();
    }, 60_000);
    afterAll(async () => {
      await api?.close();
      await stop?.();
    });

    it('applies all twenty, each recorded as its own author', async () => {
      const created = await call<Plan>(api.url, 'POST', '/api/plans', { json: planForTwenty() });
      expect(created.status).toBe(201);
      planId = created.body.id;
      expect(ops).toHaveLength(USERS);

      const answers = await twentyAtOnce(api.url, planId, ops);
      expect(answers.map((r) => r.status)).toEqual(Array(USERS).fill(200));
      for (const answer of answers) expect(answer.body.changes).toHaveLength(1);

      const final = await call<Plan>(api.url, 'GET', `/api/plans/${planId}`);
      expect(final.body.version).toBe(1 + USERS);
      expectAllTwenty(final.body);
      expect([...(final.body.recentOperationIds ?? [])].sort()).toEqual(ops.map((o) => o.opId).sort());

      const history = await call<{ items: HistoryEntry[] }>(
        api.url,
        'GET',
        `/api/plans/${planId}/history?limit=100`,
      );
      const updates = history.body.items.filter((e) => e.kind === 'operations');
      expect(updates).toHaveLength(USERS);
      expect(new Set(updates.map((e) => e.actor.id))).toEqual(new Set(ops.map((_, k) => user(k))));
    }, 120_000);

    it('the same twenty sent again (answers lost) change nothing: each is recognised by its id', async () => {
      const answers = await twentyAtOnce(api.url, planId, ops);
      expect(answers.map((r) => r.status)).toEqual(Array(USERS).fill(200));
      answers.forEach((answer, k) => {
        expect(answer.body.changes).toEqual([]);
        expect(answer.body.repeatedIds).toEqual([ops[k]?.opId]);
      });
      const final = await call<Plan>(api.url, 'GET', `/api/plans/${planId}`);
      expect(final.body.version).toBe(1 + USERS);
      expectAllTwenty(final.body);
    }, 120_000);

    it('an id seen before is not applied even after someone changed the item since (the retry cannot undo them)', async () => {
      const clear = await call<OpsAnswer>(api.url, 'POST', `/api/plans/${planId}/operations`, {
        json: { operations: [{ op: 'clear-blocker', actionId: 'a4', opId: 'desk-clear-a4' }] },
        headers: { 'x-cosell-local-user': 'desk@vendor.example' },
      });
      expect(clear.body.plan.actions.find((a) => a.id === 'a4')?.status).toBe('open');
      const raiseAgain = ops[4];
      expect(raiseAgain).toMatchObject({ op: 'raise-blocker', actionId: 'a4' });
      const retried = await call<OpsAnswer>(api.url, 'POST', `/api/plans/${planId}/operations`, {
        json: { operations: [raiseAgain] },
        headers: { 'x-cosell-local-user': user(4) },
      });
      expect(retried.status).toBe(200);
      expect(retried.body.repeatedIds).toEqual([raiseAgain?.opId]);
      expect(retried.body.plan.actions.find((a) => a.id === 'a4')?.status).toBe('open');
    });
  });
}

describeTwentyUsers('SQLite store, local host', () => startTestApi({ now: `${TODAY}T10:00:00Z` }));

let emulator: GraphEmulator | undefined;
describeTwentyUsers(
  'SharePoint store through the Graph emulator, local host',
  async () => {
    emulator = await startGraphEmulator();
    return startTestApi({
      now: `${TODAY}T10:00:00Z`,
      env: {
        COSELL_STORE: 'sharepoint',
        SHAREPOINT_SITE: emulator.siteUrl,
        GRAPH_EMULATOR_URL: emulator.url,
      },
    });
  },
  async () => {
    await emulator?.close();
  },
);
