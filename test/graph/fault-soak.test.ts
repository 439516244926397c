import { type Actor, addDays, contentOf, LIMITS, type Operation, type Plan } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharePointPlanStore } from '../../functions/src/adapters/sharepoint-plan-store';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { PlanService } from '../../functions/src/use-cases/plan-service';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { BENCH_TODAY, entryFor, portfolioPlan } from '../graph-emulator/graph-bench';

/*
 * Fault soak: 30 % of the requests answered 429 or 503 or lost after the write was applied, and 30 % of
 * the steps inside `$batch` answered 429, while plans are created and, concurrently, quick updates (two
 * phones per plan) and desk saves (which also change the plan's channels) go on. Afterwards, with the
 * faults off: every acknowledged write is there, nothing is there twice, no quick update was lost.
 * Writes that failed after all retries may or may not have landed; they are only counted.
 */

const PLANS = 12;
const NOW = new Date(`${BENCH_TODAY}T09:00:00.000Z`);
/** The open actions of the demo plan, which the phones complete; the others are left out to make room. */
const OPEN_ACTIONS = ['act-integration', 'act-reference', 'act-fabrikam-q', 'act-pricing'];
/** Actions each phone adds: half the room left under the one-page limit. */
const ADDS = Math.floor((LIMITS.actions - OPEN_ACTIONS.length) / 2);

function soakPlan(i: number): Plan {
  const plan = portfolioPlan(i);
  return { ...plan, actions: plan.actions.filter((a) => OPEN_ACTIONS.includes(a.id)) };
}

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator({ seed: 7 });
});

afterAll(async () => {
  await emulator.close();
});

function service(): { store: SharePointPlanStore; plans: PlanService } {
  const graph = createGraphClient({
    tokenProvider: new StaticTokenProvider('soak'),
    emulatorUrl: emulator.url,
    retry: { maxRetries: 12, baseDelayMs: 1, maxDelayMs: 20 },
  });
  const store = new SharePointPlanStore({ graph, site: emulator.siteUrl });
  let clockTick = 0;
  const plans = new PlanService({
    store,
    // Every write a distinct instant, so two versions never have the same document by chance.
    clock: { now: () => new Date(NOW.getTime() + clockTick++) },
    newId: () => `id-${clockTick}`,
  });
  return { store, plans };
}

describe('fault soak', () => {
  it('30 % of requests throttled, unavailable or lost after applying: every acknowledged write stays, none twice', async () => {
    const { store, plans } = service();
    await store.ensureReady();
    emulator.resetStats();
    emulator.setFaults({
      rate: 0.3,
      kinds: ['throttle', 'unavailable', 'lost'],
      batchStepThrottleRate: 0.3,
      retryAfterSeconds: 0,
    });

    // Creates with ids chosen by the caller.
    const createdIds: string[] = [];
    let failedCreates = 0;
    await Promise.all(
      Array.from({ length: PLANS }, async (_, i) => {
        const plan = soakPlan(i);
        try {
          await store.create(plan, entryFor(plan, 'create'));
          createdIds.push(plan.id);
        } catch {
          failedCreates++;
        }
      }),
    );

    // Two phones per plan, each adding actions and completing two, while a desk saves three times.
    const acknowledged = new Map<string, Operation[]>();
    const deskTitles = new Map<string, string[]>();
    let failedWrites = 0;
    const phone = async (planId: string, name: string, completes: string[]) => {
      const ops: Operation[] = [
        ...Array.from({ length: ADDS }, (_, k) => k + 1).map(
          (n): Operation => ({
            op: 'add-action',
            action: {
              id: `${name}-${n}`,
              description: `Soak action ${name} ${n}`,
              ownerId: 'v-ae',
              due: addDays(BENCH_TODAY, n),
            },
          }),
        ),
        ...completes.map((actionId): Operation => ({ op: 'complete-action', actionId })),
      ];
      for (const op of ops) {
        const actor: Actor = { id: `${name}@vendor.example`, displayName: name };
        try {
          await plans.applyOperations(planId, [op], actor);
          acknowledged.set(planId, [...(acknowledged.get(planId) ?? []), op]);
        } catch (error) {
          failedWrites++;
          console.log(`quick update failed after retries: ${(error as Error).message}`);
        }
      }
    };
    const desk = async (planId: string) => {
      const actor: Actor = { id: 'desk@vendor.example', displayName: 'Desk' };
      for (let n = 1; n <= 3; n++) {
        const title = `Desk save ${n} of ${planId}`;
        for (let attempt = 0; ; attempt++) {
          try {
            const current = await plans.get(planId);
            const channelIds = [`19:soak-${n}@thread.tacv2`];
            await plans.replace(planId, { ...contentOf(current), title, channelIds }, current.version, actor);
            deskTitles.set(planId, [...(deskTitles.get(planId) ?? []), title]);
            break;
          } catch (error) {
            if ((error as Error).name === 'VersionConflictError' && attempt < 50) continue;
            failedWrites++;
            break;
          }
        }
      }
    };
    await Promise.all(
      createdIds.flatMap((id) => [
        phone(id, `phone-a-${id}`, ['act-integration', 'act-reference']),
        phone(id, `phone-b-${id}`, ['act-fabrikam-q', 'act-pricing']),
        desk(id),
      ]),
    );

    const faults = { ...emulator.stats.faults };
    const requests = emulator.stats.requests;
    emulator.setFaults({});

    // The faults happened, of every kind, and most writes were acknowledged (the test is not vacuous).
    expect(faults.throttle).toBeGreaterThan(10);
    expect(faults.unavailable).toBeGreaterThan(10);
    expect(faults.lost).toBeGreaterThan(10);
    expect(faults.batchStepThrottle).toBeGreaterThan(5);
    expect(createdIds.length).toBeGreaterThanOrEqual(PLANS - 1);
    const acknowledgedOps = [...acknowledged.values()].reduce((n, ops) => n + ops.length, 0);
    expect(ADDS).toBeGreaterThanOrEqual(1);
    expect(acknowledgedOps).toBeGreaterThan(createdIds.length * 2 * (ADDS + 2) * 0.9);
    console.log(
      `fault soak: ${requests} requests, faults ${JSON.stringify(faults)}; ${createdIds.length} creates and ` +
        `${acknowledgedOps} quick updates acknowledged; ${failedCreates} creates and ${failedWrites} writes failed after retries`,
    );

    // Read back with a fresh store (nothing cached).
    const { store: reader } = service();
    const stored = emulator.inspectList('Co-Sell Plans')?.items ?? [];
    const perId = new Map<string, number>();
    for (const item of stored)
      perId.set(String(item.fields.PlanId), (perId.get(String(item.fields.PlanId)) ?? 0) + 1);
    // No plan twice.
    expect([...perId.values()].every((n) => n === 1)).toBe(true);

    for (const id of createdIds) {
      const plan = (await reader.get(id)) as Plan;
      expect(plan, id).toBeDefined();
      // Every acknowledged quick update is in the plan, each action once.
      for (const op of acknowledged.get(id) ?? []) {
        if (op.op === 'add-action') {
          expect(
            plan.actions.filter((a) => a.id === op.action.id),
            `${id} ${op.action.id}`,
          ).toHaveLength(1);
        }
        if (op.op === 'complete-action') {
          expect(plan.actions.find((a) => a.id === op.actionId)?.status, `${id} ${op.actionId}`).toBe('done');
        }
      }
      expect(new Set(plan.actions.map((a) => a.id)).size).toBe(plan.actions.length);
      // One history entry per version, none missing: every acknowledged save has its entry.
      const history = await reader.history(id, { limit: 100 });
      expect(history.items.map((e) => e.version)).toEqual(
        Array.from({ length: plan.version }, (_, k) => plan.version - k),
      );
      const titles = history.items.flatMap((e) => e.changes).join('\n');
      for (const title of deskTitles.get(id) ?? []) expect(titles, id).toContain(title);
      // The channel index follows the last save.
      const [channelId] = plan.channelIds;
      if (channelId) {
        const listed = await reader.list({ today: BENCH_TODAY, limit: 100, channelId });
        expect(listed.items.map((p) => p.id)).toContain(id);
      }
    }
  }, 120_000);
});
