import { afterAll, beforeAll } from 'vitest';
import { SharePointPlanStore } from '../../functions/src/adapters/sharepoint-plan-store';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { describePlanStoreContract } from './plan-store-contract';

/*
 * The PlanStore contract against SharePointPlanStore, through the real Graph client and SDK, over HTTP,
 * against the loopback Graph emulator. Each test gets a fresh site, provisioned by the store itself.
 */

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator();
});

afterAll(async () => {
  await emulator.close();
});

describePlanStoreContract('SharePointPlanStore (Graph emulator)', async () => {
  emulator.resetSite();
  const graph = createGraphClient({
    tokenProvider: new StaticTokenProvider('contract-test'),
    emulatorUrl: emulator.url,
    retry: { baseDelayMs: 1 },
  });
  const store = new SharePointPlanStore({ graph, site: emulator.siteUrl });
  await store.ensureReady();
  return { store, cleanup: async () => {} };
});
