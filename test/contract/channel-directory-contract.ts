import type { ChannelDirectory, ChannelMemberIdentity, ChannelRef } from '@cosell/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/*
 * What every ChannelDirectory adapter guarantees (Graph allMembers, the embedded SQLite roster). The
 * rosters are written through the adapter's own seeding (the emulator's channels for Graph, `setMembers`
 * for SQLite) and read through the port only. A shared channel of the vendor's team, with its direct
 * members, an external member from a partner tenant (B2B direct connect: home tenant id and home object
 * id) and an indirect member through a team of the partner it is shared with.
 */

export interface RosterEntry {
  userId: string;
  tenantId: string;
  displayName: string;
  email?: string;
  /** An indirect member of a shared channel, through this team (group id). */
  viaTeamId?: string;
}

export interface OpenedDirectory {
  directory: ChannelDirectory;
  /** Makes `members` the channel's roster (what Teams would list now). */
  seed(channel: Required<ChannelRef>, members: RosterEntry[]): Promise<void>;
  /** Lets the directory see roster changes (a cache expiring); nothing to do for one without a cache. */
  refresh(): Promise<void>;
  cleanup(): Promise<void>;
}

export const VENDOR_TENANT = '11111111-1111-4111-8111-111111111111';
export const PARTNER_TENANT = '22222222-2222-4222-8222-222222222222';
const OTHER_TENANT = '44444444-4444-4444-8444-444444444444';
const TEAM = '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a';
const PARTNER_TEAM = '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9';
const SHARED: Required<ChannelRef> = { teamId: TEAM, channelId: '19:northwind-deal@thread.tacv2' };
const OTHER_CHANNEL: Required<ChannelRef> = { teamId: TEAM, channelId: '19:other-deal@thread.tacv2' };

const MAYA = { userId: 'a1a1a1a1-0000-4000-8000-000000000001', tenantId: VENDOR_TENANT };
const SOFIA = { userId: 'b2b2b2b2-0000-4000-8000-000000000002', tenantId: PARTNER_TENANT };
const LEO = { userId: 'c3c3c3c3-0000-4000-8000-000000000003', tenantId: PARTNER_TENANT };

const ROSTER: RosterEntry[] = [
  { ...MAYA, displayName: 'Maya Okafor', email: 'maya.okafor@vendor.example' },
  { ...SOFIA, displayName: 'Sofia Marino', email: 'sofia.marino@contoso.example' },
  { ...LEO, displayName: 'Leo Brandt', email: 'leo.brandt@contoso.example', viaTeamId: PARTNER_TEAM },
];

function who(m: { userId: string; tenantId: string }, email?: string): ChannelMemberIdentity {
  return { objectId: m.userId, tenantId: m.tenantId, ...(email ? { email } : {}) };
}

export function describeChannelDirectoryContract(name: string, open: () => Promise<OpenedDirectory>): void {
  describe(`ChannelDirectory contract: ${name}`, () => {
    let opened: OpenedDirectory;
    beforeEach(async () => {
      opened = await open();
      await opened.seed(SHARED, ROSTER);
      await opened.seed(OTHER_CHANNEL, [{ ...MAYA, displayName: 'Maya Okafor' }]);
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    it('a direct member of the vendor tenant is a member', async () => {
      expect(await opened.directory.isMember(SHARED, who(MAYA))).toBe(true);
    });

    it('an external member from a partner tenant is a member (home tenant and home object id)', async () => {
      expect(await opened.directory.isMember(SHARED, who(SOFIA))).toBe(true);
    });

    it('a member through a partner team the channel is shared with is a member', async () => {
      expect(await opened.directory.isMember(SHARED, who(LEO))).toBe(true);
    });

    it('ids compare case-insensitively', async () => {
      const upper = { userId: SOFIA.userId.toUpperCase(), tenantId: SOFIA.tenantId.toUpperCase() };
      expect(await opened.directory.isMember(SHARED, who(upper))).toBe(true);
    });

    it('the same object id from another tenant is not the member', async () => {
      expect(await opened.directory.isMember(SHARED, who({ ...SOFIA, tenantId: OTHER_TENANT }))).toBe(false);
    });

    it('an email of a member does not make someone of another tenant a member', async () => {
      const impostor = who(
        { userId: 'd4d4d4d4-0000-4000-8000-000000000004', tenantId: OTHER_TENANT },
        'maya.okafor@vendor.example',
      );
      expect(await opened.directory.isMember(SHARED, impostor)).toBe(false);
    });

    it('someone not in the roster is not a member', async () => {
      const stranger = who({ userId: 'e5e5e5e5-0000-4000-8000-000000000005', tenantId: PARTNER_TENANT });
      expect(await opened.directory.isMember(SHARED, stranger)).toBe(false);
    });

    it('membership is per channel', async () => {
      expect(await opened.directory.isMember(OTHER_CHANNEL, who(MAYA))).toBe(true);
      expect(await opened.directory.isMember(OTHER_CHANNEL, who(SOFIA))).toBe(false);
    });

    it('an unknown channel has no members', async () => {
      const unknown = { teamId: TEAM, channelId: '19:no-such-channel@thread.tacv2' };
      expect(await opened.directory.isMember(unknown, who(MAYA))).toBe(false);
    });

    it('someone taken out of the channel is no longer a member once the directory refreshes', async () => {
      expect(await opened.directory.isMember(SHARED, who(SOFIA))).toBe(true);
      await opened.seed(
        SHARED,
        ROSTER.filter((m) => m.userId !== SOFIA.userId),
      );
      await opened.refresh();
      expect(await opened.directory.isMember(SHARED, who(SOFIA))).toBe(false);
      expect(await opened.directory.isMember(SHARED, who(MAYA))).toBe(true);
    });
  });
}
