import {
  type Actor,
  addDays,
  contentOf,
  demoPlan,
  type HistoryEntry,
  type IsoDate,
  newPlan,
  nextVersion,
  type Plan,
  type PlanContent,
  type PlanQuery,
  type PlanStatus,
} from '@cosell/shared';
import { SharePointPlanStore } from '../../functions/src/adapters/sharepoint-plan-store';
import { createGraphClient, type GraphClient } from '../../functions/src/graph/graph-client';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { PlanService } from '../../functions/src/use-cases/plan-service';
import type { GraphEmulator } from './emulator';

/*
 * Graph round trips per operation and the figures at scale, counted at the emulator. Used by
 * `npm run bench:graph` (which prints them) and by test/graph/sharepoint-store.test.ts (which asserts
 * the per-operation counts and, on a smaller list, the view-threshold behaviour).
 */

export const BENCH_TODAY: IsoDate = '2026-10-18';
const NOW = new Date(`${BENCH_TODAY}T09:00:00.000Z`);
const ACTOR: Actor = { id: 'bench@vendor.example', displayName: 'Bench' };

export function benchGraphClient(emulator: GraphEmulator, maxConcurrency = 8): GraphClient {
  return createGraphClient({
    tokenProvider: new StaticTokenProvider('bench'),
    emulatorUrl: emulator.url,
    maxConcurrency,
    retry: { baseDelayMs: 1 },
  });
}

export function entryFor(plan: Plan, kind: HistoryEntry['kind']): HistoryEntry {
  return {
    planId: plan.id,
    version: plan.version,
    kind,
    at: plan.updatedAt,
    actor: ACTOR,
    changes: [`${kind} ${plan.id} v${plan.version}`],
  };
}

const STATUSES: PlanStatus[] = [
  ...Array<PlanStatus>(14).fill('active'),
  'draft',
  'draft',
  'paused',
  'won',
  'won',
  'lost',
];

/**
 * Plan `i` of a portfolio: statuses mixed (70 % active, 5 % lost…), content days spread over 60 days so
 * some plans are stalled and some not; vendor people shared by many plans (50 AEs), partner people by
 * fewer, buyers unique to their plan; one of 40 channels.
 */
export function portfolioPlan(i: number): Plan {
  const base = demoPlan(addDays(BENCH_TODAY, -(i % 60)));
  const people = base.people.map((person) => {
    const [local = 'someone', domain = 'example'] = person.email.split('@');
    if (person.side === 'vendor') return { ...person, email: `${local}.${i % 50}@${domain}` };
    if (person.side === 'partner') return { ...person, email: `${local}.${i % 200}@${domain}` };
    return { ...person, email: `${local}@buyer-${i}.example` };
  });
  const content: PlanContent = {
    ...base,
    title: `${base.title} #${i}`,
    status: STATUSES[i % STATUSES.length] ?? 'active',
    channelIds: [`19:team-${i % 40}@thread.tacv2`],
    people,
  };
  return newPlan(`plan-${String(i).padStart(6, '0')}`, content, {
    now: new Date(NOW.getTime() + i),
    today: BENCH_TODAY,
    actor: ACTOR,
  });
}

/** Runs `task` and returns the HTTP requests the emulator received meanwhile. */
async function counted<T>(
  emulator: GraphEmulator,
  task: () => Promise<T>,
): Promise<{ value: T; requests: number; detail: string }> {
  emulator.resetStats();
  const value = await task();
  const detail = Object.entries(emulator.stats.byEndpoint)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  return { value, requests: emulator.stats.requests, detail };
}

export interface RoundTrip {
  operation: string;
  requests: number;
  detail: string;
}

/** Round trips of each store and service operation on a small, warmed-up store. */
export async function measureRoundTrips(emulator: GraphEmulator): Promise<RoundTrip[]> {
  emulator.resetSite();
  const store = new SharePointPlanStore({ graph: benchGraphClient(emulator), site: emulator.siteUrl });
  await store.ensureReady();
  const service = new PlanService({ store, clock: { now: () => NOW }, newId: () => 'bench-id' });
  const plans: Plan[] = [];
  for (let i = 0; i < 30; i++) {
    const plan = portfolioPlan(i);
    plans.push(await store.create(plan, entryFor(plan, 'create')));
  }
  const results: RoundTrip[] = [];
  const measure = async (operation: string, task: () => Promise<unknown>) => {
    const { requests, detail } = await counted(emulator, task);
    results.push({ operation, requests, detail });
  };
  const first = plans[0];
  const second = plans[1];
  if (!first || !second) throw new Error('no plans');

  const fresh = portfolioPlan(999);
  await measure('create (store)', () => store.create(fresh, entryFor(fresh, 'create')));
  await measure('read (store.get)', () => store.get(first.id));
  const v1 = (await store.get(first.id)) ?? first;
  const v2 = nextVersion(
    v1,
    { ...contentOf(v1), title: 'Renamed' },
    { now: NOW, today: BENCH_TODAY, actor: ACTOR },
  );
  await measure('write (store.replace after a read)', () =>
    store.replace(v2, v1.version, entryFor(v2, 'replace')),
  );
  await measure('quick update (PlanService.applyOperations: read + write)', () =>
    service.applyOperations(first.id, [{ op: 'complete-action', actionId: 'act-integration' }], ACTOR),
  );
  const desk = (await store.get(second.id)) ?? second;
  await measure('save from the desk (PlanService.replace: read + write)', () =>
    service.replace(second.id, { ...contentOf(desk), title: 'Desk edit' }, desk.version, ACTOR),
  );
  const v3 = (await store.get(first.id)) ?? first;
  const newPerson = v3.people.map((p, i) => (i === 0 ? { ...p, email: 'someone.new@vendor.example' } : p));
  const v4 = nextVersion(
    v3,
    { ...contentOf(v3), people: newPerson },
    { now: NOW, today: BENCH_TODAY, actor: ACTOR },
  );
  await measure('write that changes a person (store.replace)', () =>
    store.replace(v4, v3.version, entryFor(v4, 'replace')),
  );
  await measure('portfolio page of 20 (store.list, no filter)', () =>
    store.list({ today: BENCH_TODAY, limit: 20 }),
  );
  await measure('portfolio page of 20 (PlanService.list)', () => service.list({ limit: 20 }));
  await measure('status page (status=active)', () =>
    store.list({ today: BENCH_TODAY, limit: 20, status: ['active'] }),
  );
  await measure('stalled page (stalled=true)', () =>
    store.list({ today: BENCH_TODAY, limit: 20, stalled: true }),
  );
  await measure('"my plans" page (person)', () =>
    store.list({ today: BENCH_TODAY, limit: 20, person: 'maya.okafor.5@vendor.example' }),
  );
  await measure('channel page (channelId)', () =>
    store.list({ today: BENCH_TODAY, limit: 20, channelId: '19:team-3@thread.tacv2' }),
  );
  await measure('history (store.history, 10 entries)', () => store.history(first.id, { limit: 10 }));
  const v5 = (await store.get(second.id)) ?? second;
  await measure('delete (store.delete after a read)', () =>
    store.delete(second.id, v5.version, entryFor(v5, 'delete')),
  );
  return results;
}

export interface ScaleQuery {
  query: string;
  requests: number;
  items: number;
  ms: number;
}

export interface ScaleFigures {
  plans: number;
  provisionMs: number;
  provisionRequests: number;
  queries: ScaleQuery[];
  largeListQueries: number;
  maxRowsScanned: number;
  thresholdViolations: number;
  threshold: number;
}

/**
 * Creates `count` plans through the store (each create one `$batch`), then answers portfolio queries on
 * the full lists, reporting requests, time, and the most rows any query scanned.
 */
export async function provisionAtScale(
  emulator: GraphEmulator,
  options: { count: number; concurrency?: number; threshold?: number; log?: (line: string) => void },
): Promise<ScaleFigures & { store: SharePointPlanStore }> {
  emulator.resetSite();
  const threshold = options.threshold ?? 5000;
  const store = new SharePointPlanStore({
    graph: benchGraphClient(emulator, options.concurrency ?? 8),
    site: emulator.siteUrl,
    viewThreshold: threshold,
  });
  await store.ensureReady();
  emulator.resetStats();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.count) return;
      const plan = portfolioPlan(i);
      await store.create(plan, entryFor(plan, 'create'));
      if ((i + 1) % 2000 === 0) options.log?.(`  ${i + 1} plans created`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  const provisionMs = performance.now() - started;
  const provisionRequests = emulator.stats.requests;

  emulator.resetStats();
  const queries: ScaleQuery[] = [];
  const run = async (label: string, task: () => Promise<{ items: number }>) => {
    const before = emulator.stats.requests;
    const t0 = performance.now();
    const { items } = await task();
    queries.push({
      query: label,
      requests: emulator.stats.requests - before,
      items,
      ms: performance.now() - t0,
    });
  };
  const page = (query: Omit<PlanQuery, 'today'>) => async () => ({
    items: (await store.list({ today: BENCH_TODAY, ...query })).items.length,
  });
  const walk = (query: Omit<PlanQuery, 'today' | 'limit' | 'cursor'>) => async () => {
    let items = 0;
    let cursor: string | undefined;
    do {
      const result = await store.list({
        today: BENCH_TODAY,
        limit: 100,
        ...query,
        ...(cursor ? { cursor } : {}),
      });
      items += result.items.length;
      cursor = result.nextCursor;
    } while (cursor);
    return { items };
  };
  const middle = portfolioPlan(Math.floor(options.count / 2));
  await run('read one plan', async () => ({ items: (await store.get(middle.id)) ? 1 : 0 }));
  await run('portfolio, first page of 20', page({ limit: 20 }));
  await run('portfolio, every page of 100', walk({}));
  await run('status=active, first page of 20', page({ limit: 20, status: ['active'] }));
  await run('status=lost, first page of 20', page({ limit: 20, status: ['lost'] }));
  await run('status=won, every page of 100', walk({ status: ['won'] }));
  await run('stalled=true, first page of 20', page({ limit: 20, stalled: true }));
  await run('stalled=false, first page of 20', page({ limit: 20, stalled: false }));
  await run(
    'person (an AE on 1 in 50 plans), first page of 20',
    page({ limit: 20, person: 'maya.okafor.7@vendor.example' }),
  );
  await run('person, every page of 100', walk({ person: 'maya.okafor.7@vendor.example' }));
  await run(
    'channel (1 in 40 plans), first page of 20',
    page({ limit: 20, channelId: '19:team-7@thread.tacv2' }),
  );
  return {
    plans: options.count,
    provisionMs,
    provisionRequests,
    queries,
    largeListQueries: emulator.stats.largeListQueries,
    maxRowsScanned: emulator.stats.maxRowsScanned,
    thresholdViolations: emulator.stats.thresholdViolations,
    threshold,
    store,
  };
}
