import {
  type Actor,
  contentOf,
  type HistoryEntry,
  nextVersion,
  type Plan,
  type PlanQuery,
  planIndex,
} from '@cosell/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SharePointPlanStore } from '../../functions/src/adapters/sharepoint-plan-store';
import { GraphRequestError } from '../../functions/src/graph/graph-error';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import {
  BENCH_TODAY,
  benchGraphClient,
  entryFor,
  measureRoundTrips,
  portfolioPlan,
  provisionAtScale,
} from '../graph-emulator/graph-bench';

/*
 * What the contract suite does not see: round trips per operation (counted at the emulator), the list
 * view threshold on a list larger than it, and answers lost after the write was applied.
 */

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator();
});

afterAll(async () => {
  await emulator.close();
});

const ACTOR: Actor = { id: 'tester@vendor.example', displayName: 'Tester' };

function edited(current: Plan, title: string, people = current.people): Plan {
  const now = new Date(Date.parse(current.updatedAt) + 60_000);
  return nextVersion(
    current,
    { ...contentOf(current), title, people },
    { now, today: BENCH_TODAY, actor: ACTOR },
  );
}

describe('round trips per operation', () => {
  it('read 1, write 1, quick update 2, one portfolio page 1, create 1', async () => {
    const figures = Object.fromEntries(
      (await measureRoundTrips(emulator)).map((r) => [r.operation, r.requests]),
    );
    expect(figures['read (store.get)']).toBe(1);
    expect(figures['write (store.replace after a read)']).toBe(1);
    expect(figures['quick update (PlanService.applyOperations: read + write)']).toBeLessThanOrEqual(2);
    expect(figures['portfolio page of 20 (store.list, no filter)']).toBe(1);
    expect(figures['portfolio page of 20 (PlanService.list)']).toBe(1);
    expect(figures['create (store)']).toBe(1);
    expect(figures['status page (status=active)']).toBe(1);
  });
});

describe('a list larger than the view threshold', () => {
  // 300 plans against a threshold of 40 rows: the same shape as 10,000 against 5,000 (npm run bench:graph).
  const COUNT = 300;
  const THRESHOLD = 40;
  let small: GraphEmulator;
  let store: SharePointPlanStore;
  const plans = Array.from({ length: COUNT }, (_, i) => portfolioPlan(i));

  beforeAll(async () => {
    small = await startGraphEmulator({ threshold: THRESHOLD });
    ({ store } = await provisionAtScale(small, { count: COUNT, threshold: THRESHOLD, concurrency: 4 }));
  });

  afterAll(async () => {
    await small.close();
  });

  async function walk(
    query: Omit<PlanQuery, 'today' | 'limit' | 'cursor'>,
    limit: number,
  ): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const result = await store.list({ today: BENCH_TODAY, limit, ...query, ...(cursor ? { cursor } : {}) });
      ids.push(...result.items.map((p) => p.id));
      cursor = result.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('did not end');
  }

  /** In the order SharePoint stored them (item ids): the creates ran 4 at a time, so not by index. */
  function expected(test: (plan: Plan) => boolean): string[] {
    const byId = new Map(plans.map((p) => [p.id, p]));
    const stored = small.inspectList('Co-Sell Plans')?.items ?? [];
    return stored
      .map((item) => byId.get(String(item.fields.PlanId)))
      .filter((p): p is Plan => p !== undefined && test(p))
      .map((p) => p.id);
  }

  /** By person or channel the order is the plans' creation time (then id), which the member rows carry. */
  function expectedByCreation(test: (plan: Plan) => boolean): string[] {
    return plans
      .filter(test)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((p) => p.id);
  }

  const stalled = (plan: Plan) => {
    const day = planIndex(plan).stallsOn;
    return day !== null && day <= BENCH_TODAY;
  };

  it('answers every filter with exactly the matching plans, in creation order, never past the threshold', async () => {
    small.resetStats();
    expect(await walk({}, 17)).toEqual(expected(() => true));
    expect(await walk({ status: ['active'] }, 25)).toEqual(expected((p) => p.status === 'active'));
    expect(await walk({ status: ['lost', 'won'] }, 7)).toEqual(
      expected((p) => p.status === 'lost' || p.status === 'won'),
    );
    expect(await walk({ stalled: true }, 30)).toEqual(expected(stalled));
    expect(await walk({ stalled: false }, 30)).toEqual(expected((p) => !stalled(p)));
    expect(await walk({ status: ['active'], stalled: false }, 9)).toEqual(
      expected((p) => p.status === 'active' && !stalled(p)),
    );
    const person = 'maya.okafor.7@vendor.example';
    expect(await walk({ person }, 2)).toEqual(
      expectedByCreation((p) => planIndex(p).emails.includes(person)),
    );
    const channelId = '19:team-3@thread.tacv2';
    expect(await walk({ channelId, status: ['active'] }, 3)).toEqual(
      expectedByCreation((p) => p.channelIds.includes(channelId) && p.status === 'active'),
    );
    expect(small.stats.largeListQueries).toBeGreaterThan(50);
    expect(small.stats.thresholdViolations).toBe(0);
    expect(small.stats.maxRowsScanned).toBeLessThanOrEqual(THRESHOLD);
  });

  it('the emulator does refuse a status query not bounded by an id window (the check above can fail)', async () => {
    const graph = benchGraphClient(small);
    const site = await graph.get<{ id: string }>(`/sites/${small.siteId}`);
    const list = await graph.get<{ id: string }>(`/sites/${site.id}/lists/Co-Sell%20Plans`);
    const error = await graph
      .get(
        `/sites/${site.id}/lists/${list.id}/items?$filter=${encodeURIComponent("fields/PlanStatus eq 'active'")}&$top=20`,
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).code).toBe('generalException');
  });
});

describe('answers lost after the write was applied', () => {
  let store: SharePointPlanStore;

  beforeEach(async () => {
    emulator.resetSite();
    emulator.setFaults({});
    store = new SharePointPlanStore({ graph: benchGraphClient(emulator), site: emulator.siteUrl });
    await store.ensureReady();
  });

  const rowsOf = (list: string, planId: string) =>
    emulator.inspectList(list)?.items.filter((i) => i.fields.PlanId === planId) ?? [];

  it('create: the retried create finds its own plan (409 on the unique id) and answers it; one item, no duplicate member row', async () => {
    const plan = portfolioPlan(1);
    emulator.queueFault({
      kind: 'lost',
      match: (method, path) => method === 'POST' && path.endsWith('$batch'),
    });
    expect(await store.create(plan, entryFor(plan, 'create'))).toEqual(plan);
    expect(emulator.stats.faults.lost).toBeGreaterThan(0);
    expect(rowsOf('Co-Sell Plans', plan.id)).toHaveLength(1);
    const members = rowsOf('Co-Sell Plan Members', plan.id);
    expect(new Set(members.map((m) => m.fields.MemberKey)).size).toBe(members.length);
    expect(members.length).toBe(plan.people.length + plan.channelIds.length);
  });

  it('create of another plan with a taken id is still PlanExistsError', async () => {
    const plan = portfolioPlan(1);
    await store.create(plan, entryFor(plan, 'create'));
    const other = { ...portfolioPlan(2), id: plan.id };
    await expect(store.create(other, entryFor(other, 'create'))).rejects.toMatchObject({
      name: 'PlanExistsError',
    });
  });

  it('replace: the retried PATCH gets 412, finds its own write, and answers it; one history entry per version', async () => {
    const v1 = await store.create(portfolioPlan(1), entryFor(portfolioPlan(1), 'create'));
    const v2 = edited(v1, 'After a lost answer');
    emulator.queueFault({ kind: 'lost', match: (method) => method === 'PATCH' });
    expect(await store.replace(v2, 1, entryFor(v2, 'replace'))).toEqual(v2);
    expect(emulator.stats.faults.lost).toBeGreaterThan(0);
    expect(await store.get(v1.id)).toEqual(v2);
    expect((await store.history(v1.id, { limit: 10 })).items.map((e) => e.version)).toEqual([2, 1]);
  });

  it('replace that adds a person, answer lost: the plan and the new member row are both there once', async () => {
    const v1 = await store.create(portfolioPlan(1), entryFor(portfolioPlan(1), 'create'));
    const people = v1.people.map((p, i) => (i === 0 ? { ...p, email: 'new.person@vendor.example' } : p));
    const v2 = edited(v1, v1.title, people);
    emulator.queueFault({ kind: 'lost', match: (_method, path) => path.endsWith('$batch') });
    await store.replace(v2, 1, entryFor(v2, 'replace'));
    const found = await store.list({ today: BENCH_TODAY, limit: 10, person: 'new.person@vendor.example' });
    expect(found.items.map((p) => p.id)).toEqual([v1.id]);
    const gone = await store.list({ today: BENCH_TODAY, limit: 10, person: v1.people[0]?.email ?? '' });
    expect(gone.items).toEqual([]);
  });

  it('delete: the retried tombstone PATCH finds its own delete; history ends with it', async () => {
    const v1 = await store.create(portfolioPlan(1), entryFor(portfolioPlan(1), 'create'));
    const entry: HistoryEntry = { ...entryFor(v1, 'delete'), at: '2026-10-18T10:00:00.000Z' };
    emulator.queueFault({ kind: 'lost', match: (method) => method === 'PATCH' });
    await store.delete(v1.id, 1, entry);
    expect(await store.get(v1.id)).toBeUndefined();
    expect((await store.history(v1.id, { limit: 10 })).items[0]).toEqual(entry);
    expect(rowsOf('Co-Sell Plan Members', v1.id)).toEqual([]);
  });
});

describe('edits made outside the app', () => {
  let store: SharePointPlanStore;

  beforeEach(async () => {
    emulator.resetSite();
    store = new SharePointPlanStore({ graph: benchGraphClient(emulator), site: emulator.siteUrl });
    await store.ensureReady();
  });

  it('someone renames the item in SharePoint (new eTag, same plan version): the next save still goes through', async () => {
    const graph = benchGraphClient(emulator);
    const v1 = await store.create(portfolioPlan(1), entryFor(portfolioPlan(1), 'create'));
    const site = await graph.get<{ id: string }>(`/sites/${emulator.siteId}`);
    const list = await graph.get<{ id: string }>(`/sites/${site.id}/lists/Co-Sell%20Plans`);
    await graph.patch(`/sites/${site.id}/lists/${list.id}/items/1/fields`, {
      Title: 'Renamed in SharePoint',
    });
    const v2 = edited(v1, 'Saved from the app');
    expect(await store.replace(v2, 1, entryFor(v2, 'replace'))).toEqual(v2);
    // The outside edit made a version that repeats the create entry; history shows it once.
    expect((await store.history(v1.id, { limit: 10 })).items.map((e) => `${e.version}:${e.kind}`)).toEqual([
      '2:replace',
      '1:create',
    ]);
  });

  it('a member row lost from the index comes back with the next save that names someone new', async () => {
    const graph = benchGraphClient(emulator);
    const v1 = await store.create(portfolioPlan(1), entryFor(portfolioPlan(1), 'create'));
    const ae = v1.people[0]?.email ?? '';
    const site = await graph.get<{ id: string }>(`/sites/${emulator.siteId}`);
    const members = await graph.get<{ id: string }>(`/sites/${site.id}/lists/Co-Sell%20Plan%20Members`);
    const row = emulator.inspectList('Co-Sell Plan Members')?.items.find((i) => i.fields.Person === ae);
    await graph.delete(`/sites/${site.id}/lists/${members.id}/items/${row?.id}`);
    expect((await store.list({ today: BENCH_TODAY, limit: 5, person: ae })).items).toEqual([]);
    const people = [
      ...v1.people.slice(0, -1),
      { ...(v1.people.at(-1) ?? v1.people[0]), email: 'joiner@vendor.example' },
    ];
    // (the last person is replaced by a newcomer)
    const v2 = edited(v1, v1.title, people as Plan['people']);
    await store.replace(v2, 1, entryFor(v2, 'replace'));
    expect((await store.list({ today: BENCH_TODAY, limit: 5, person: ae })).items.map((p) => p.id)).toEqual([
      v1.id,
    ]);
  });
});
