import fs from 'node:fs';
import path from 'node:path';
import {
  type ChannelDirectory,
  type ChannelMemberIdentity,
  type ChannelMemberRecord,
  type ChannelRef,
  memberMatches,
} from '@cosell/shared';
import Database from 'better-sqlite3';

/*
 * The channel directory without Microsoft Graph (the embedded store, `COSELL_STORE=sqlite`): a roster per
 * channel in its own SQLite file beside the plans, `channel-directory.sqlite`. Why a table and not the
 * plan's own data: the plan names people, and named people read it already; who is in a channel changes
 * in Teams without any change to a plan, and one channel shows many plans — so membership is kept per
 * channel, as Graph keeps it (one row per member: user id, home tenant, email). Its own file keeps the
 * plan store's migrations untouched. The roster is written with `setMembers` (an admin import, a test);
 * with the local development identity it is not consulted at all (that identity reads every plan).
 * The team id of a channel is not needed: channel ids are unique across Teams.
 */

export interface RosterMember extends ChannelMemberRecord {
  userId: string;
  tenantId: string;
  email?: string | null;
  displayName?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS channel_members (
  channel_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  email TEXT,
  display_name TEXT,
  PRIMARY KEY (channel_id, tenant_id, user_id)
) WITHOUT ROWID;
`;

export class SqliteChannelDirectory implements ChannelDirectory {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<
    [string, string],
    { user_id: string; tenant_id: string; email: string | null }
  >;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('busy_timeout = 5000');
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    this.select = this.db.prepare(
      'SELECT user_id, tenant_id, email FROM channel_members WHERE channel_id = ? AND tenant_id = ?',
    );
  }

  async isMember(channel: ChannelRef, member: ChannelMemberIdentity): Promise<boolean> {
    const rows = this.select.all(channel.channelId, member.tenantId.trim().toLowerCase());
    return rows.some((row) =>
      memberMatches({ userId: row.user_id, tenantId: row.tenant_id, email: row.email }, member),
    );
  }

  /** Replaces the channel's roster (everyone who is a member now, direct or through a shared team). */
  setMembers(channelId: string, members: readonly RosterMember[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO channel_members (channel_id, tenant_id, user_id, email, display_name) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM channel_members WHERE channel_id = ?').run(channelId);
      for (const m of members) {
        insert.run(
          channelId,
          m.tenantId.trim().toLowerCase(),
          m.userId.trim().toLowerCase(),
          m.email?.trim().toLowerCase() ?? null,
          m.displayName ?? null,
        );
      }
    })();
  }

  close(): void {
    this.db.close();
  }
}

/** The roster file beside the plan store's file. */
export function channelDirectoryFileFor(planStoreFile: string): string {
  return path.join(path.dirname(planStoreFile), 'channel-directory.sqlite');
}
