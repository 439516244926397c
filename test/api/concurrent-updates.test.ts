import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Actor,
  applyOperations,
  contentOf,
  demoPlan,
  type HistoryEntry,
  LIMITS,
  type Operation,
  type Plan,
  type PlanContent,
  type PlanStore,
} from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlitePlanStore } from '../../functions/src/adapters/sqlite-plan-store';
import { PlanService } from '../../functions/src/use-cases/plan-service';
import { call, startTestApi, type TestApi, TestClock } from '../support/api-host';

/*
 * Fifty people update one plan at the same moment, each with a different quick update. Every one of the
 * fifty must be in the plan afterwards: none erased by another.
 */

const TODAY = '2026-11-27';

/** A plan at its limits of people, actions and milestones, all open and planned. */
function busyPlan(): PlanContent {
  const base = demoPlan(TODAY);
  const extra = Array.from({ length: LIMITS.people - base.people.length }, (_, i) => ({
    id: `extra-${i}`,
    firstName: `Extra${i}`,
    lastName: 'Person',
    email: `extra${i}@vendor.example`,
    role: 'account-executive' as const,
    side: 'vendor' as const,
  }));
  return {
    ...base,
    people: [...base.people, ...extra],
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

const ACTIONS = LIMITS.actions;
const MILESTONES = LIMITS.milestones;
// Never the actions' first owner (v-ae): setting the owner it already has would change nothing.
const vendorOwners = ['v-pm', 'v-csas', 'v-rvp', 'extra-0', 'extra-1'];
const dueOf = (k: number) => `2027-01-${String((k % 28) + 1).padStart(2, '0')}`;

/**
 * Fifty different updates. The first round touches a different field each (blocker, owner and due date
 * of every action; due date and owner of every milestone), so each one's effect is visible at the end;
 * the rest touch fields again with different values, so the order they were applied in matters.
 */
function fiftyOperations(): Operation[] {
  const ops: Operation[] = [];
  for (let i = 0; i < ACTIONS; i++)
    ops.push({ op: 'raise-blocker', actionId: `a${i}`, blocker: `Blocker ${i}` });
  for (let i = 0; i < ACTIONS; i++)
    ops.push({ op: 'set-owner', item: 'action', itemId: `a${i}`, ownerId: vendorOwners[i % 5] ?? 'v-ae' });
  for (let i = 0; i < ACTIONS; i++) ops.push({ op: 'reschedule-action', actionId: `a${i}`, due: dueOf(i) });
  for (let j = 0; j < MILESTONES; j++)
    ops.push({
      op: 'move-milestone',
      milestoneId: `m${j}`,
      due: `2027-02-${String(j + 10).padStart(2, '0')}`,
      reason: `Reason ${j}`,
    });
  for (let j = 0; j < MILESTONES; j++)
    ops.push({ op: 'set-owner', item: 'milestone', itemId: `m${j}`, ownerId: 'b-ch' });
  const firstRound = ops.length;
  for (let k = firstRound; k < 50; k++) {
    ops.push({ op: 'raise-blocker', actionId: `a${k % ACTIONS}`, blocker: `Blocker again from client ${k}` });
  }
  return ops;
}

/** The effects of the first round that no later update touches. */
function expectFirstRound(plan: Plan): void {
  for (let i = 0; i < ACTIONS; i++) {
    expect(plan.actions.find((a) => a.id === `a${i}`)).toMatchObject({
      status: 'blocked',
      ownerId: vendorOwners[i % 5],
      due: dueOf(i),
    });
  }
  for (let j = 0; j < MILESTONES; j++) {
    expect(plan.milestones.find((m) => m.id === `m${j}`)).toMatchObject({
      due: `2027-02-${String(j + 10).padStart(2, '0')}`,
      status: 'slipped',
      lastMove: { reason: `Reason ${j}` },
      ownerId: 'b-ch',
    });
  }
}

/**
 * No update was lost: applying the fifty updates one after another in the order the history records them,
 * to the plan as it was created, gives exactly the stored plan. A lost update would make them differ.
 */
function expectReplayEqualsStored(
  initial: Plan,
  final: Plan,
  history: HistoryEntry[],
  opsByActor: Map<string, Operation>,
): void {
  const ordered = history.filter((e) => e.kind === 'operations').sort((a, b) => a.version - b.version);
  let content = contentOf(initial);
  for (const entry of ordered) {
    const op = opsByActor.get(entry.actor.id);
    if (!op) throw new Error(`no update was sent by ${entry.actor.id}`);
    content = applyOperations(content, [op], { today: TODAY }).plan;
  }
  expect(content).toEqual(contentOf(final));
}

describe('50 concurrent quick updates to one plan over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ now: `${TODAY}T10:00:00Z` });
  });
  afterAll(async () => {
    await api.close();
  });

  it('applies all 50 from 50 clients and loses none', async () => {
    const created = await call<Plan>(api.url, 'POST', '/api/plans', { json: busyPlan() });
    expect(created.status).toBe(201);
    const ops = fiftyOperations();
    expect(ops).toHaveLength(50);

    const responses = await Promise.all(
      ops.map((op, k) =>
        call<{ plan: Plan; retries: number }>(api.url, 'POST', `/api/plans/${created.body.id}/operations`, {
          json: { operations: [op] },
          headers: { 'x-cosell-local-user': `client${k}@vendor.example`, connection: 'close' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));

    const final = await call<Plan>(api.url, 'GET', `/api/plans/${created.body.id}`);
    expect(final.body.version).toBe(51);
    expectFirstRound(final.body);

    const history = await call<{ items: HistoryEntry[] }>(
      api.url,
      'GET',
      `/api/plans/${created.body.id}/history?limit=100`,
    );
    const byOperations = history.body.items.filter((e) => e.kind === 'operations');
    expect(byOperations).toHaveLength(50);
    expect(new Set(byOperations.map((e) => e.actor.id)).size).toBe(50);
    expect(new Set(byOperations.map((e) => e.version))).toEqual(
      new Set(Array.from({ length: 50 }, (_, i) => i + 2)),
    );
    const opsByActor = new Map(ops.map((op, k) => [`client${k}@vendor.example`, op]));
    expectReplayEqualsStored(created.body, final.body, history.body.items, opsByActor);
  });
});

/** The real store, with a pause between reading and writing that makes every writer overlap the others. */
class OverlappingReadsStore implements PlanStore {
  constructor(private readonly inner: PlanStore) {}
  async get(id: string) {
    const plan = await this.inner.get(id);
    await new Promise((resolve) => setTimeout(resolve, 2));
    return plan;
  }
  create: PlanStore['create'] = (plan, entry) => this.inner.create(plan, entry);
  replace: PlanStore['replace'] = (plan, expected, entry) => this.inner.replace(plan, expected, entry);
  delete: PlanStore['delete'] = (id, expected, entry) => this.inner.delete(id, expected, entry);
  list: PlanStore['list'] = (query) => this.inner.list(query);
  history: PlanStore['history'] = (id, options) => this.inner.history(id, options);
}

describe('version conflicts between quick updates are re-applied, not lost', () => {
  it('re-reads and re-applies when every writer read the same version', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-conflict-'));
    const store = openSqlitePlanStore({ file: path.join(dir, 'plans.sqlite') });
    try {
      let n = 0;
      const service = new PlanService({
        store: new OverlappingReadsStore(store),
        clock: new TestClock(new Date(`${TODAY}T10:00:00Z`)),
        newId: () => `id-${n++}`,
      });
      const actor = (k: number): Actor => ({ id: `client${k}@vendor.example`, displayName: `Client ${k}` });
      const { plan } = await service.create(busyPlan(), actor(999));
      const results = await Promise.all(
        fiftyOperations().map((op, k) => service.applyOperations(plan.id, [op], actor(k))),
      );
      const retries = results.reduce((sum, r) => sum + r.retries, 0);
      // All fifty read version 1 at once, so all but one had to re-apply at least once.
      expect(retries).toBeGreaterThanOrEqual(49);
      const final = await store.get(plan.id);
      expect(final?.version).toBe(51);
      if (!final) throw new Error('plan missing');
      expectFirstRound(final);
      const history = await store.history(plan.id, { limit: 100 });
      const opsByActor = new Map(fiftyOperations().map((op, k) => [actor(k).id, op]));
      expectReplayEqualsStored(plan, final, history.items, opsByActor);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
