/*
 * Channel membership (SPEC §7, issue 6): "the channel's members read a plan". A plan lists the Teams
 * channels that show it (`channelIds`); whether a signed-in person is a member of one of them is asked of
 * a ChannelDirectory — Microsoft Graph in a deployment (`GET /teams/{team-id}/channels/{channel-id}/
 * allMembers`, which for a shared channel includes the external members of partner tenants and the
 * members of teams it is shared with: reference/teams-platform.md §3.5), an embedded roster otherwise.
 * Pure: the port and the matching rule; the adapters live in functions/.
 */

/** A Teams channel. */
export interface ChannelRef {
  /** The channel id, as Teams gives it (`19:…@thread.tacv2`) and as plans store it. */
  channelId: string;
  /**
   * The group id of the team that hosts the channel, when known (Graph addresses a channel only below
   * its team). For a shared channel this is the host team (`channel.ownerGroupId` in the tab's context).
   */
  teamId?: string;
}

/** Who is asking: what a verified Entra token says about them. */
export interface ChannelMemberIdentity {
  /** The token's `tid`: the person's home tenant (for an external member of a shared channel too). */
  tenantId: string;
  /** The token's `oid`: the person's object id in that tenant. */
  objectId: string;
  /** The token's `preferred_username`/`upn`, lower-cased; used only when a member record has no user id. */
  email?: string;
}

/** One member as a directory lists it (Graph's aadUserConversationMember: userId, tenantId, email). */
export interface ChannelMemberRecord {
  userId?: string | null;
  tenantId?: string | null;
  email?: string | null;
}

/** The port: is this person a member of this channel now? */
export interface ChannelDirectory {
  /**
   * True when `member` is a member of the channel, directly or (shared channels) through a team the
   * channel is shared with or from another tenant. False for an unknown channel, or when the directory
   * cannot address the channel (a Graph directory needs `teamId`). Throws when it cannot answer now.
   */
  isMember(channel: ChannelRef, member: ChannelMemberIdentity): Promise<boolean>;
}

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/**
 * Whether a member record is this person. The tenant must be the same: object ids are per tenant and an
 * email is only as good as the tenant that issued it (a partner tenant's admin could name a user with a
 * vendor address). Then the object id decides; the email only when the record carries no user id.
 */
export function memberMatches(record: ChannelMemberRecord, who: ChannelMemberIdentity): boolean {
  const tenant = norm(who.tenantId);
  if (tenant === '' || norm(record.tenantId) !== tenant) return false;
  const userId = norm(record.userId);
  if (userId !== '') return userId === norm(who.objectId);
  const email = norm(who.email);
  return email !== '' && norm(record.email) === email;
}
