import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphChannelDirectory } from '../../functions/src/adapters/graph-channel-directory';
import { AppError } from '../../functions/src/app-error';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import {
  describeChannelDirectoryContract,
  PARTNER_TENANT,
  VENDOR_TENANT,
} from './channel-directory-contract';

/*
 * The ChannelDirectory contract against Graph `allMembers`, through the real Graph client and SDK, over
 * HTTP, against the loopback Graph emulator (test/graph-emulator/channels.ts). The roster cache runs on a
 * clock the test moves.
 */

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator();
});

afterAll(async () => {
  await emulator.close();
});

function graph() {
  return createGraphClient({
    tokenProvider: new StaticTokenProvider('channel-directory-test'),
    emulatorUrl: emulator.url,
    retry: { baseDelayMs: 1, maxRetries: 2 },
  });
}

describeChannelDirectoryContract('GraphChannelDirectory (Graph emulator)', async () => {
  emulator.channels.reset();
  emulator.channels.setPageSize(100);
  let now = 0;
  const directory = new GraphChannelDirectory({ graph: graph(), ttlMs: 60_000, now: () => now });
  return {
    directory,
    seed: async (channel, members) =>
      emulator.channels.setMembers(channel.teamId, channel.channelId, members),
    refresh: async () => {
      now += 60_001;
    },
    cleanup: async () => {},
  };
});

/**
 * The documented answer of `GET /teams/{team-id}/channels/{channel-id}/allMembers` (docs-contrib
 * api-reference/v1.0/api/channel-list-allmembers.md, response example; the first member, ids shortened).
 * Not in ../shared/reference/graph-examples, so not among the emulator's fixtures.
 */
const DOCUMENTED = {
  '@odata.context':
    "https://graph.microsoft.com/v1.0/$metadata#teams('2ab9c796-2902-45f8-b712-7c5a63cf41c4')/channels('19%3A20bc1df46b1148e9b22539b83bc66809%40thread.skype')/allMembers",
  '@odata.count': 2,
  value: [
    {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      id: 'MmFiOWM3OTYtMjkwMi00NWY4LWI3MTItN2M1YTYzY2Y0MWM0IyNlZWY5Y2IzNi0wNmRlLTQ2OWItODdjZC03MGY0Y2JlMzJkMTQ=',
      roles: ['Member'],
      displayName: 'Caleb Foster',
      userId: 'eef9cb36-06de-469b-87cd-70f4cbe32d14',
      email: 'calfos@contoso.com',
      tenantId: 'ar8133445-c7e2-418a-8803-0e68d4b88607',
    },
  ],
};

describe('the emulated allMembers', () => {
  it('answers in the documented shape', async () => {
    emulator.channels.reset();
    emulator.channels.setMembers('2ab9c796-2902-45f8-b712-7c5a63cf41c4', '19:a@thread.tacv2', [
      {
        userId: 'eef9cb36-06de-469b-87cd-70f4cbe32d14',
        tenantId: 'df81db53-c7e2-418a-8803-0e68d4b88607',
        displayName: 'Caleb Foster',
        email: 'calfos@contoso.com',
      },
    ]);
    const body = await graph().get<typeof DOCUMENTED>(
      `/teams/2ab9c796-2902-45f8-b712-7c5a63cf41c4/channels/${encodeURIComponent('19:a@thread.tacv2')}/allMembers`,
    );
    expect(Object.keys(body).sort()).toEqual(Object.keys(DOCUMENTED).sort());
    const [member] = body.value;
    const [documented] = DOCUMENTED.value;
    expect(Object.keys(member ?? {}).sort()).toEqual(Object.keys(documented ?? {}).sort());
    expect(member?.['@odata.type']).toBe(documented?.['@odata.type']);
    expect(member?.roles).toEqual(['Member']);
  });
});

describe('GraphChannelDirectory', () => {
  const TEAM = '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a';
  const CHANNEL = '19:paged@thread.tacv2';
  const members = Array.from({ length: 5 }, (_, i) => ({
    userId: `0000000${i}-0000-4000-8000-00000000000${i}`,
    tenantId: i % 2 === 0 ? VENDOR_TENANT : PARTNER_TENANT,
    displayName: `Person ${i}`,
  }));
  const last = { objectId: members[4]?.userId ?? '', tenantId: members[4]?.tenantId ?? '' };

  beforeEach(() => {
    emulator.channels.reset();
    emulator.channels.setPageSize(100);
    emulator.channels.setMembers(TEAM, CHANNEL, members);
  });

  it('follows the pages of allMembers', async () => {
    emulator.channels.setPageSize(2);
    const directory = new GraphChannelDirectory({ graph: graph() });
    expect(await directory.isMember({ teamId: TEAM, channelId: CHANNEL }, last)).toBe(true);
    expect(emulator.channels.reads.get(`${TEAM}\n${CHANNEL}`)).toBe(3);
  });

  it('asks Graph once per channel while the roster is fresh, again after', async () => {
    let now = 0;
    const directory = new GraphChannelDirectory({ graph: graph(), ttlMs: 1000, now: () => now });
    const channel = { teamId: TEAM, channelId: CHANNEL };
    await Promise.all([directory.isMember(channel, last), directory.isMember(channel, last)]);
    await directory.isMember(channel, { objectId: 'nobody', tenantId: VENDOR_TENANT });
    expect(emulator.channels.reads.get(`${TEAM}\n${CHANNEL}`)).toBe(1);
    now = 1000;
    await directory.isMember(channel, last);
    expect(emulator.channels.reads.get(`${TEAM}\n${CHANNEL}`)).toBe(2);
  });

  it('without a team id (or with one that is not a group id) it answers no, without asking Graph', async () => {
    const directory = new GraphChannelDirectory({ graph: graph() });
    const before = emulator.stats.requests;
    expect(await directory.isMember({ channelId: CHANNEL }, last)).toBe(false);
    expect(await directory.isMember({ teamId: '../sites', channelId: CHANNEL }, last)).toBe(false);
    expect(emulator.stats.requests).toBe(before);
  });

  it('a channel that is not in the team has no members (404)', async () => {
    const directory = new GraphChannelDirectory({ graph: graph() });
    const otherTeam = '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9';
    expect(await directory.isMember({ teamId: otherTeam, channelId: CHANNEL }, last)).toBe(false);
  });

  it('a throttled answer is retried by the Graph client', async () => {
    emulator.queueFault({ kind: 'throttle', match: (_m, p) => p.includes('/allMembers') }, 1);
    const directory = new GraphChannelDirectory({ graph: graph() });
    expect(await directory.isMember({ teamId: TEAM, channelId: CHANNEL }, last)).toBe(true);
  });

  it('Graph not answering is a 503 problem, not a "no", and is asked again next time', async () => {
    emulator.queueFault({ kind: 'unavailable', match: (_m, p) => p.includes('/allMembers') }, 3);
    const directory = new GraphChannelDirectory({ graph: graph() });
    const channel = { teamId: TEAM, channelId: CHANNEL };
    const failure = await directory.isMember(channel, last).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).status).toBe(503);
    expect(await directory.isMember(channel, last)).toBe(true);
  });
});
