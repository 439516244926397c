import { type GraphAnswer, graphError, type IncomingGraphRequest } from './sharepoint-lists';

/*
 * Teams channel membership, for the channel directory (functions/src/adapters/graph-channel-directory.ts):
 * `GET /teams/{team-id}/channels/{channel-id}/allMembers`. Each behaviour carries its source:
 *
 * - [DOC channel-list-allmembers.md, v1.0] "Get a list of all members in a channel. It supports all
 *   types of channels. In the case of shared channels, it includes all cross-tenant and cross-team
 *   members in a channel." Answer 200 with a collection of conversationMember; the documented example's
 *   members are `#microsoft.graph.aadUserConversationMember` with `id` (opaque), `roles`, `displayName`,
 *   `userId`, `email`, `tenantId`, and the body carries `@odata.context` and `@odata.count`.
 * - [DOC graph/manage-channel-memberships; channel-list-allmembers beta page] indirect members (members
 *   of a team the shared channel is shared with) carry `@microsoft.graph.originalSourceMembershipUrl`
 *   naming that team; direct members do not. (reference/teams-platform.md §3.5.)
 * - [DOC concepts/paging.md, graph-contract.md §2.4] a longer answer is paged with `@odata.nextLink`
 *   (`$skiptoken`), built on the public Graph origin. [UNCONFIRMED] the page size of allMembers: the
 *   sibling `…/members` page documents "default and maximum page sizes are 100 and 999 objects"; 100
 *   here, configurable.
 * - [UNCONFIRMED] an unknown team, or a channel that is not in that team: 404 `NotFound` (the code of
 *   Teams' 404s is not documented for this call; callers must decide on the status, not the code).
 * - [DOC permissions include channel-list-allmembers-permissions.md] application ChannelMember.Read.Group
 *   (RSC) or ChannelMember.Read.All; not enforced here (the emulator takes any bearer token).
 */

export interface ChannelMemberSeed {
  userId: string;
  tenantId: string;
  displayName: string;
  email?: string;
  roles?: ('owner' | 'member' | 'guest')[];
  /** For an indirect member of a shared channel: the team (group id) it is shared with. */
  viaTeamId?: string;
}

interface Channel {
  teamId: string;
  channelId: string;
  members: ChannelMemberSeed[];
}

const ROLE_NAMES = { owner: 'Owner', member: 'Member', guest: 'Guest' } as const;

export class TeamsChannels {
  private readonly channels = new Map<string, Channel>();
  /** Requests answered per channel, for tests that count round trips. */
  readonly reads = new Map<string, number>();

  constructor(
    private readonly publicBaseUrl: string,
    private pageSize = 100,
  ) {}

  /** Creates the channel (or replaces its roster): who Teams lists as its members, direct and indirect. */
  setMembers(teamId: string, channelId: string, members: ChannelMemberSeed[]): void {
    this.channels.set(key(teamId, channelId), { teamId, channelId, members: [...members] });
  }

  setPageSize(size: number): void {
    this.pageSize = size;
  }

  reset(): void {
    this.channels.clear();
    this.reads.clear();
  }

  handle(request: IncomingGraphRequest): GraphAnswer {
    const [, teamId, channels, channelId, what, ...rest] = request.segments;
    if (channels !== 'channels' || !teamId || !channelId || what !== 'allMembers' || rest.length > 0) {
      return graphError(400, 'BadRequest', `Resource not found for the segment '${what ?? ''}'.`);
    }
    if (request.method !== 'GET') return graphError(405, 'MethodNotAllowed', 'Use GET for allMembers.');
    const channel = this.channels.get(key(teamId, channelId));
    if (!channel) return graphError(404, 'NotFound', 'No team or channel found with the requested ids.');
    const k = key(teamId, channelId);
    this.reads.set(k, (this.reads.get(k) ?? 0) + 1);

    const skip = Number(request.query.get('$skiptoken') ?? '0');
    const start = Number.isInteger(skip) && skip > 0 ? skip : 0;
    const page = channel.members.slice(start, start + this.pageSize);
    const path = `teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/allMembers`;
    const body: Record<string, unknown> = {
      '@odata.context': `${this.publicBaseUrl}/v1.0/$metadata#teams('${teamId}')/channels('${encodeURIComponent(channelId)}')/allMembers`,
      '@odata.count': channel.members.length,
      value: page.map((m, i) => ({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        // Opaque to clients [DOC]: base64 of team and user, as the documented ids look.
        id: Buffer.from(`${teamId}##${m.userId}##${start + i}`).toString('base64'),
        // The documented example lists "Member" and "Owner" in `roles`.
        roles: (m.roles ?? ['member']).map((r) => ROLE_NAMES[r]),
        displayName: m.displayName,
        userId: m.userId,
        email: m.email ?? null,
        tenantId: m.tenantId,
        ...(m.viaTeamId
          ? {
              '@microsoft.graph.originalSourceMembershipUrl': `${this.publicBaseUrl}/v1.0/teams/${m.viaTeamId}/members/${Buffer.from(m.userId).toString('base64')}`,
            }
          : {}),
      })),
    };
    if (start + this.pageSize < channel.members.length) {
      body['@odata.nextLink'] = `${this.publicBaseUrl}/v1.0/${path}?$skiptoken=${start + this.pageSize}`;
    }
    return { status: 200, body };
  }
}

function key(teamId: string, channelId: string): string {
  return `${teamId.toLowerCase()}\n${channelId}`;
}
