import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteChannelDirectory } from '../../functions/src/adapters/sqlite-channel-directory';
import { describeChannelDirectoryContract, PARTNER_TENANT } from './channel-directory-contract';

/* The ChannelDirectory contract against the embedded roster, on a real SQLite file. */

describeChannelDirectoryContract('SqliteChannelDirectory', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-channels-'));
  const directory = new SqliteChannelDirectory(path.join(dir, 'channel-directory.sqlite'));
  return {
    directory,
    seed: async (channel, members) => directory.setMembers(channel.channelId, members),
    refresh: async () => {},
    cleanup: async () => {
      directory.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteChannelDirectory', () => {
  it('keeps the roster across reopening the file, and needs no team id', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-channels-'));
    const file = path.join(dir, 'channel-directory.sqlite');
    const first = new SqliteChannelDirectory(file);
    first.setMembers('19:a@thread.tacv2', [
      { userId: 'B2B2B2B2-0000-4000-8000-000000000002', tenantId: PARTNER_TENANT, displayName: 'Sofia' },
    ]);
    first.close();
    const again = new SqliteChannelDirectory(file);
    const sofia = { objectId: 'b2b2b2b2-0000-4000-8000-000000000002', tenantId: PARTNER_TENANT };
    expect(await again.isMember({ channelId: '19:a@thread.tacv2' }, sofia)).toBe(true);
    expect(await again.isMember({ channelId: '19:b@thread.tacv2' }, sofia)).toBe(false);
    again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
