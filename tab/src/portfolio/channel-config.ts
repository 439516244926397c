import type { Motion, Operation, PlanWrite } from '@cosell/shared';
import type { TabInstanceConfig } from '../host/teams-host';
import { portfolioHref } from '../routing';

/* What the channel tab's configuration page saves: which plans the channel shows, and the tab's URL. */

export const TAB_DISPLAY_NAME = 'Co-Sell Plan';

/** The tab Teams adds: the portfolio of this channel, on this origin. */
export function channelTabConfig(origin: string, channelId: string): TabInstanceConfig {
  const url = `${origin}/${portfolioHref(channelId)}`;
  return {
    contentUrl: url,
    websiteUrl: url,
    entityId: 'cosell-plans',
    suggestedDisplayName: TAB_DISPLAY_NAME,
  };
}

export interface PlanChannelChange {
  planId: string;
  operation: Extract<Operation, { op: 'link-channel' | 'unlink-channel' }>;
}

/**
 * The operations that make the channel show exactly the picked plans: link the newly picked, unlink
 * the ones no longer picked. Operations merge on the server, so someone else's concurrent edit of the
 * same plan is kept.
 */
export function channelChanges(
  linked: ReadonlySet<string>,
  picked: ReadonlySet<string>,
  channelId: string,
  channelName?: string,
): PlanChannelChange[] {
  const named = channelName ? { channelName } : {};
  return [
    ...[...picked]
      .filter((id) => !linked.has(id))
      .map((planId) => ({ planId, operation: { op: 'link-channel' as const, channelId, ...named } })),
    ...[...linked]
      .filter((id) => !picked.has(id))
      .map((planId) => ({ planId, operation: { op: 'unlink-channel' as const, channelId, ...named } })),
  ];
}

/**
 * A plan id chosen here, so that creating again after a lost answer finds the same plan instead of
 * making a second one. (getRandomValues, unlike randomUUID, works outside secure contexts too.)
 */
export function newPlanId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `plan-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A new draft with only a title and a motion, shown in `channelId`: the rest is filled in on its page. */
export function draftPlan({
  id,
  title,
  motion,
  channelId,
}: {
  id: string;
  title: string;
  motion: Motion;
  channelId: string;
}): PlanWrite {
  return {
    id,
    title: title.trim(),
    status: 'draft',
    motion,
    channelIds: [channelId],
    accounts: [],
    partners: [],
    people: [],
    milestones: [],
    actions: [],
    economics: [],
    escalation: { vendorChain: [], partnerChains: [] },
  };
}
