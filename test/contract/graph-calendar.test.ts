import type { CalendarOrganiser } from '@cosell/shared';
import { afterAll, beforeAll } from 'vitest';
import { GraphCalendarGateway, SERIES_KEY_PROPERTY } from '../../functions/src/adapters/graph-calendar';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { describeCalendarGatewayContract, parseIcsWithIcalJs } from './calendar-gateway-contract';

/*
 * The CalendarGateway contract against Outlook through Graph: the real Graph client and SDK, over HTTP,
 * against the loopback Graph emulator's calendars. Run twice: from a configured organiser mailbox (app-only,
 * `/users/{address}`) and as the signed-in user (a delegated token per call, `/me`). A lost create answer
 * is the emulator's `lost` fault: the event is made, the connection closes before the answer.
 */

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator();
});

afterAll(async () => {
  await emulator.close();
});

function fixtureFor(organiser: () => CalendarOrganiser) {
  return async () => {
    emulator.calendars.reset();
    const graph = createGraphClient({
      tokenProvider: new StaticTokenProvider('app-only-token'),
      emulatorUrl: emulator.url,
      retry: { baseDelayMs: 1 },
    });
    const who = organiser();
    emulator.calendars.signIn('delegated-token-ana', 'ana.css@vendor.example');
    return {
      gateway: new GraphCalendarGateway({ graph }),
      organiser: who,
      loseNextCreateAnswer: () =>
        emulator.queueFault({
          kind: 'lost',
          match: (method, path) => method === 'POST' && /\/events(\?|$)/.test(path),
        }),
      countSeries: async (key: string) =>
        emulator.calendars
          .inspect('ana.css@vendor.example')
          .filter(
            (e) =>
              !e.deleted && [...e.ext.values()].some((p) => p.id === SERIES_KEY_PROPERTY && p.value === key),
          ).length,
      parseIcs: parseIcsWithIcalJs,
      cleanup: async () => {},
    };
  };
}

describeCalendarGatewayContract(
  'GraphCalendarGateway, organiser mailbox (Graph emulator)',
  fixtureFor(() => ({ kind: 'mailbox', address: 'ana.css@vendor.example', name: 'Ana' })),
);

describeCalendarGatewayContract(
  'GraphCalendarGateway, as the signed-in user (Graph emulator)',
  fixtureFor(() => ({
    kind: 'user',
    address: 'ana.css@vendor.example',
    name: 'Ana',
    tokenFor: async () => 'delegated-token-ana',
  })),
);
