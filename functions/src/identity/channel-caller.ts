import type { ChannelMemberIdentity, ChannelRef } from '@cosell/shared';
import type { ApiRequest } from '../http/api-request';
import type { Caller } from './authenticator';
import { EntraAuthenticator } from './entra-authenticator';

/*
 * What channel membership needs to know about an Entra caller, beyond `Caller`: their verified tenant and
 * object id (the identity Teams lists in a channel's members), and the channel the tab says it is shown
 * in. That channel is a hint, never a grant: the API asks the ChannelDirectory whether the verified
 * person is a member of it, and only a channel the plan itself lists counts (use-cases/plan-access.ts).
 * The team id beside it is the team that hosts the channel (`channel.ownerGroupId` in the tab's Teams
 * context, which the store checklist TAB-24 says to read from context and not to persist: the owning
 * team can change) — Graph addresses a channel only below its team.
 */

/** Headers the tab sends from its Teams context (tab/src/host/auth.ts). */
export const CHANNEL_HEADER = 'x-cosell-channel-id';
export const TEAM_HEADER = 'x-cosell-team-id';

export interface ChannelCaller extends Caller {
  /** The verified person, as a channel's member list names them. */
  member?: ChannelMemberIdentity;
  /** The channel the tab is shown in, as it says. */
  channelHint?: ChannelRef;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Teams channel ids: `19:…@thread.tacv2` (and older `@thread.skype`); printable, no spaces. */
const CHANNEL_ID = /^[\x21-\x7e]{1,200}$/;

/** The channel hint of a request, when well formed; anything else is no hint. */
export function channelHintOf(request: ApiRequest): ChannelRef | undefined {
  const channelId = request.headers.get(CHANNEL_HEADER)?.trim();
  if (!channelId || !CHANNEL_ID.test(channelId)) return undefined;
  const teamId = request.headers.get(TEAM_HEADER)?.trim();
  return teamId && GUID.test(teamId) ? { channelId, teamId: teamId.toLowerCase() } : { channelId };
}

/** The Entra authenticator whose callers also carry the member identity and the channel hint. */
export class ChannelAwareAuthenticator extends EntraAuthenticator {
  override async caller(request: ApiRequest): Promise<ChannelCaller> {
    const { actor, tenantId, objectId } = await this.verify(request);
    const hint = channelHintOf(request);
    return {
      actor,
      viewer: { id: actor.id, tenantId },
      member: { tenantId, objectId, email: actor.id },
      ...(hint ? { channelHint: hint } : {}),
    };
  }
}
