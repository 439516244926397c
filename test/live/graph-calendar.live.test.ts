import { describe, vi } from 'vitest';
import { GraphCalendarGateway, SERIES_KEY_PROPERTY } from '../../functions/src/adapters/graph-calendar';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { createClientCredentialTokenProvider } from '../../functions/src/graph/token-providers';
import { describeCalendarGatewayContract, parseIcsWithIcalJs } from '../contract/calendar-gateway-contract';

/*
 * The CalendarGateway contract against a real tenant's Outlook, through real Graph with an app-only token,
 * in an organiser mailbox of the tenant. Runs only when these are set (else skipped, saying why):
 *   GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, COSELL_LIVE_ORGANISER (a test mailbox)
 *   (optional: GRAPH_BASE_URL, GRAPH_AUTHORITY_HOST for a sovereign cloud)
 * The app needs Calendars.ReadWrite (application). The contract invites addresses at vendor.example and
 * partner.example: expect non-delivery reports in the test mailbox. A lost answer is made by a fetch that
 * sends the create to Graph and then drops the answer. Every series a test made is deleted afterwards.
 *   npx vitest run test/live/graph-calendar.live.test.ts
 */

const env = process.env;
const missing = [
  env.GRAPH_TENANT_ID ? '' : 'GRAPH_TENANT_ID',
  env.GRAPH_CLIENT_ID ? '' : 'GRAPH_CLIENT_ID',
  env.GRAPH_CLIENT_SECRET ? '' : 'GRAPH_CLIENT_SECRET',
  env.COSELL_LIVE_ORGANISER ? '' : 'COSELL_LIVE_ORGANISER',
].filter(Boolean);
const configured = missing.length === 0;
const reason = `live Outlook calendar suite skipped: set ${missing.join(', ')}`;
if (!configured) console.log(reason);

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

describe.skipIf(!configured)(configured ? 'live tenant' : reason, () => {
  describeCalendarGatewayContract('GraphCalendarGateway (live tenant)', async () => {
    const mailbox = env.COSELL_LIVE_ORGANISER ?? '';
    const baseUrl = env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com';
    let loseNext = false;
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (loseNext && init?.method === 'POST' && /\/events$/.test(new URL(url).pathname)) {
        loseNext = false;
        await response.arrayBuffer();
        throw new TypeError('fetch failed: the answer was dropped by the test');
      }
      return response;
    };
    const graph = createGraphClient({
      baseUrl,
      tokenProvider: createClientCredentialTokenProvider({
        authorityHost: env.GRAPH_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
        tenantId: env.GRAPH_TENANT_ID ?? '',
        clientId: env.GRAPH_CLIENT_ID ?? '',
        credential: { kind: 'secret', secret: env.GRAPH_CLIENT_SECRET ?? '' },
        graphBaseUrl: baseUrl,
      }),
      fetch: losingFetch,
    });
    const gateway = new GraphCalendarGateway({ graph });
    const base = `/users/${encodeURIComponent(mailbox)}/events`;
    const made = new Set<string>();
    const byKey = async (key: string) =>
      graph.getAll<{ id: string; isCancelled?: boolean }>(
        `${base}?$filter=${encodeURIComponent(
          `singleValueExtendedProperties/any(ep: ep/id eq '${SERIES_KEY_PROPERTY}' and ep/value eq '${key}')`,
        )}`,
      );
    const tracked = Object.create(gateway) as GraphCalendarGateway;
    tracked.createSeries = async (organiser, request, key) => {
      try {
        const series = await gateway.createSeries(organiser, request, key);
        made.add(series.id);
        return series;
      } finally {
        for (const event of await byKey(key)) made.add(event.id);
      }
    };
    // The contract uses fixed keys: cleanup deletes every series a test made, so the next run books anew.
    return {
      gateway: tracked,
      organiser: { kind: 'mailbox', address: mailbox },
      loseNextCreateAnswer: () => {
        loseNext = true;
      },
      countSeries: async (key) => (await byKey(key)).filter((e) => !e.isCancelled).length,
      parseIcs: parseIcsWithIcalJs,
      cleanup: async () => {
        for (const id of made) {
          await graph.delete(`${base}/${encodeURIComponent(id)}`).catch((error: unknown) => {
            console.log(`could not delete the test series ${id}: ${String(error)}`);
          });
        }
      },
    };
  });
});
