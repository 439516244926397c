import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { call } from '../support/api-host';
import { type ChildHost, startChildHost } from '../support/child-host';

/*
 * The whole app on the SharePoint store against the emulator, as `npm run start:emulated` runs it: the
 * built local host in its own process, configured by the environment only, every plan read and written
 * through Graph. And `npm start`'s configuration stays on SQLite.
 */

let emulator: GraphEmulator;
let host: ChildHost;

beforeAll(async () => {
  emulator = await startGraphEmulator();
  host = await startChildHost({
    COSELL_STORE: 'sharepoint',
    SHAREPOINT_SITE: emulator.siteUrl,
    GRAPH_EMULATOR_URL: emulator.url,
    COSELL_SEED_DEMO: 'true',
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.close();
});

describe('the app on the emulated SharePoint store', () => {
  it('provisions its lists on the first start and seeds the demo plan into them', async () => {
    expect(host.output()).toContain('list "Co-Sell Plans" created');
    expect(host.output()).toContain('Seeded the demo plan "demo-northwind"');
    expect(host.output()).toContain(`Data: SharePoint site ${emulator.siteUrl} through the Graph emulator`);
    const listed = await call<{ items: { id: string }[] }>(host.url, 'GET', '/api/plans');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p) => p.id)).toEqual(['demo-northwind']);
    const health = await call<{ store: string }>(host.url, 'GET', '/api/health');
    expect(health.body.store).toBe('sharepoint');
  });

  it('a quick update goes to the SharePoint item in two Graph round trips, and its history shows', async () => {
    emulator.resetStats();
    const answer = await call<{ plan: { version: number } }>(
      host.url,
      'POST',
      '/api/plans/demo-northwind/operations',
      {
        json: { operations: [{ op: 'complete-action', actionId: 'act-integration' }] },
      },
    );
    expect(answer.status).toBe(200);
    expect(emulator.stats.requests).toBe(2);
    const item = emulator
      .inspectList('Co-Sell Plans')
      ?.items.find((i) => i.fields.PlanId === 'demo-northwind');
    expect(item?.fields.PlanVersion).toBe(2);
    const history = await call<{ items: { version: number }[] }>(
      host.url,
      'GET',
      '/api/plans/demo-northwind/history',
    );
    expect(history.body.items.map((e) => e.version)).toEqual([2, 1]);
  });

  it('Graph throttling beyond the retries reaches the caller as 503 with Retry-After', async () => {
    emulator.queueFault({ kind: 'throttle', retryAfterSeconds: 600 });
    const answer = await call<{ code: string }>(host.url, 'GET', '/api/plans/demo-northwind');
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('STORE_UNAVAILABLE');
    expect(answer.headers.get('retry-after')).toBe('600');
  });
});
