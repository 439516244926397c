import { randomUUID } from 'node:crypto';
import { describe, vi } from 'vitest';
import { SharePointPlanStore } from '../../functions/src/adapters/sharepoint-plan-store';
import { graphClientFor } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { describePlanStoreContract } from '../contract/plan-store-contract';

/*
 * The PlanStore contract against a real tenant's SharePoint, through real Graph and a real app-only
 * token. Runs only when these are set (else skipped, saying why):
 *   GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET or GRAPH_CLIENT_CERTIFICATE_PATH, SHAREPOINT_SITE
 *   (optional: GRAPH_BASE_URL, GRAPH_AUTHORITY_HOST for a sovereign cloud)
 * The app needs Sites.Manage.All (or Sites.Selected with fullcontrol on the site): every test makes its
 * own pair of lists, named "CoSellLive <run> <n> …", and deletes them afterwards.
 *   npx vitest run test/live
 */

const env = process.env;
const missing = [
  env.GRAPH_TENANT_ID ? '' : 'GRAPH_TENANT_ID',
  env.GRAPH_CLIENT_ID ? '' : 'GRAPH_CLIENT_ID',
  env.GRAPH_CLIENT_SECRET || env.GRAPH_CLIENT_CERTIFICATE_PATH
    ? ''
    : 'GRAPH_CLIENT_SECRET or GRAPH_CLIENT_CERTIFICATE_PATH',
  env.SHAREPOINT_SITE ? '' : 'SHAREPOINT_SITE',
].filter(Boolean);
const configured = missing.length === 0;
const reason = `live SharePoint suite skipped: set ${missing.join(', ')}`;
if (!configured) console.log(reason);

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const run = randomUUID().slice(0, 8);
let opened = 0;

describe.skipIf(!configured)(configured ? 'live tenant' : reason, () => {
  describePlanStoreContract('SharePointPlanStore (live tenant)', async () => {
    const prefix = `CoSellLive ${run} ${++opened}`;
    const config = readConfig({ ...env, COSELL_STORE: 'sharepoint', SHAREPOINT_LIST_PREFIX: prefix });
    if (config.store.kind !== 'sharepoint') throw new Error('not the SharePoint store');
    const graph = graphClientFor(config.store.graph);
    const store = new SharePointPlanStore({ graph, site: config.store.site, listPrefix: prefix });
    const lists = await store.ensureReady();
    return {
      store,
      cleanup: async () => {
        for (const list of [lists.plansListId, lists.membersListId]) {
          await graph.delete(`/sites/${lists.siteId}/lists/${list}`).catch((error: unknown) => {
            console.log(`could not delete the test list ${list}: ${String(error)}`);
          });
        }
      },
    };
  });
});
