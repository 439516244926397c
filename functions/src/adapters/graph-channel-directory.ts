import {
  type ChannelDirectory,
  type ChannelMemberIdentity,
  type ChannelMemberRecord,
  type ChannelRef,
  memberMatches,
} from '@cosell/shared';
import { AppError } from '../app-error';
import type { GraphClient } from '../graph/graph-client';
import { GraphRequestError } from '../graph/graph-error';

/*
 * The channel directory over Microsoft Graph: `GET /teams/{team-id}/channels/{channel-id}/allMembers`
 * (reference/teams-platform.md §3.5; store checklist TAB-24: membership of a shared channel comes from the
 * channel, never from the team roster). For a shared channel the answer includes the direct members of
 * other tenants (B2B direct connect: their home tenant id and home object id, the same `tid`/`oid` their
 * token carries) and the members of the teams it is shared with. Calls go through the one Graph client
 * (retries, paging); application permission ChannelMember.Read.All, or ChannelMember.Read.Group by
 * resource-specific consent (Graph docs channel-list-allmembers).
 *
 * The roster of a channel is kept `ttlMs` (a minute by default): every plan read by a channel member
 * asks, and a list of plans asks once per plan. Someone removed from the channel keeps reading for at
 * most that long. Concurrent asks for one channel share one request.
 */

export interface GraphChannelDirectoryOptions {
  graph: GraphClient;
  /** How long a channel's roster is trusted. Default 60 s. */
  ttlMs?: number;
  /** Channels whose rosters are kept at most; the oldest goes first. Default 500. */
  maxChannels?: number;
  /** Milliseconds, for the cache; Date.now by default. */
  now?: () => number;
}

interface Entry {
  at: number;
  members: Promise<ChannelMemberRecord[]>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GraphChannelDirectory implements ChannelDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxChannels: number;
  private readonly now: () => number;

  constructor(private readonly options: GraphChannelDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxChannels = options.maxChannels ?? 500;
    this.now = options.now ?? Date.now;
  }

  async isMember(channel: ChannelRef, member: ChannelMemberIdentity): Promise<boolean> {
    // Graph addresses a channel only below its team; a team id that is not a group id is no team.
    if (!channel.teamId || !GUID.test(channel.teamId) || channel.channelId.trim() === '') return false;
    const members = await this.membersOf(channel.teamId.toLowerCase(), channel.channelId);
    return members.some((record) => memberMatches(record, member));
  }

  private membersOf(teamId: string, channelId: string): Promise<ChannelMemberRecord[]> {
    const key = `${teamId}\n${channelId}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.members;
    const members = this.fetch(teamId, channelId);
    this.cache.delete(key);
    this.cache.set(key, { at: this.now(), members });
    while (this.cache.size > this.maxChannels) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    // A failure is not remembered: the next ask tries again.
    members.catch(() => {
      if (this.cache.get(key)?.members === members) this.cache.delete(key);
    });
    return members;
  }

  private async fetch(teamId: string, channelId: string): Promise<ChannelMemberRecord[]> {
    const path = `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/allMembers`;
    try {
      const records = await this.options.graph.getAll<ChannelMemberRecord & Record<string, unknown>>(path);
      return records.map((r) => ({
        userId: r.userId ?? null,
        tenantId: r.tenantId ?? null,
        email: r.email ?? null,
      }));
    } catch (error) {
      // No such team, or the channel is not in it: nobody is a member of it (as far as this plan goes).
      if (error instanceof GraphRequestError && error.status === 404) return [];
      if (error instanceof GraphRequestError) {
        throw new AppError(
          'STORE_UNAVAILABLE',
          'Channel membership could not be checked with Microsoft Teams just now; try again.',
          { logMessage: error.message, cause: error },
        );
      }
      throw error;
    }
  }
}
