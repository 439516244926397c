/*
 * The one door to Teams. The rest of the tab gets a `Host` and runs the same in Teams, Outlook and a
 * plain browser. teams-js is loaded (by ./teams-sdk) only when the page is framed, so a browser never
 * pays for it — nor for its fetch of the valid-origins list at import time — and never waits on it.
 */

export type TeamsTheme = 'default' | 'dark' | 'contrast';

/** Teams' frame contexts; `settings` is the channel tab's configuration page (pages.config). */
export type FrameContext =
  | 'content'
  | 'settings'
  | 'remove'
  | 'task'
  | 'sidePanel'
  | 'stage'
  | 'meetingStage'
  | 'authentication';

/** What the channel tab stores when its configuration is saved (teams-js `pages.InstanceConfig`). */
export interface TabInstanceConfig {
  contentUrl: string;
  websiteUrl: string;
  entityId: string;
  suggestedDisplayName: string;
}

/** The configuration page's side of Teams' "Save" dialog. */
export interface TabConfigHost {
  /** Enables Teams' Save button (false until the page has something to save). */
  setValid(valid: boolean): void;
  /**
   * What Save does. `save` does the work and answers the tab's settings; Teams is then told the save
   * succeeded, or failed with the error's message. A later call replaces the earlier handler.
   */
  onSave(save: () => Promise<TabInstanceConfig>): void;
}

export interface TeamsHost {
  kind: 'teams';
  theme: TeamsTheme;
  frameContext: FrameContext;
  /** The channel the tab is in; absent in a chat, a meeting or a personal tab. */
  channelId?: string;
  channelName?: string;
  /** `Shared` channels include people from other organisations (the partner's tenant). */
  channelType?: 'Regular' | 'Private' | 'Shared';
  teamName?: string;
  /** The group chat or meeting chat the tab is in, when it is not in a channel. */
  chatId?: string;
  /** Hints for display only, never proof of identity: the API authenticates each request itself. */
  userPrincipalName?: string;
  /** The user's home tenant (`user.tenant.id`): a partner's user in a shared channel has their own. */
  userTenantId?: string;
  /** The tenant of the team that owns the channel (`channel.ownerTenantId`). */
  channelOwnerTenantId?: string;
  /** The group id of the team that owns the channel (`channel.ownerGroupId`; the host team of a shared one). */
  channelOwnerGroupId?: string;
  /** The group id of the team the tab is shown in (`team.groupId`; absent in a shared channel). */
  teamGroupId?: string;
  userDisplayName?: string;
  /** `web`, `desktop`, `android`, `ios`, … */
  hostClientType: string;
  /** `Teams`, `Outlook`, `Office`, … */
  hostName: string;
  /** Calls `listener` whenever the user switches the Teams theme; returns the unsubscribe function. */
  onThemeChange(listener: (theme: TeamsTheme) => void): () => void;
  /** Tells Teams the first view is up, so it hides its loading indicator. Only the first call counts. */
  notifySuccess(): void;
  /** Present on the configuration page (frame context `settings`). */
  config?: TabConfigHost;
}

export type Host = { kind: 'browser' } | TeamsHost;

/** Long enough for a slow Teams client, short enough that a non-Teams frame soon shows the plan. */
export const TEAMS_INIT_TIMEOUT_MS = 5_000;

const BROWSER: Host = { kind: 'browser' };

export function toTeamsTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

/**
 * Finds out where the tab runs. A top-level window has no Teams host: answered at once, without the
 * SDK (teams-js would fail fast there anyway, but it would still be downloaded). In a frame, teams-js
 * gets `timeoutMs` to initialize and give the context — never its own 60-second timeout — and a frame
 * that is not Teams (nobody answers) falls back to the browser.
 */
export async function detectHost(
  win: Window = window,
  { timeoutMs = TEAMS_INIT_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<Host> {
  if (win.parent === win) return BROWSER;
  try {
    const { connectToTeams } = await import('./teams-sdk');
    return (await connectToTeams(timeoutMs)) ?? BROWSER;
  } catch {
    return BROWSER;
  }
}

let thisPage: Promise<Host> | undefined;

/**
 * The host of this page, found once (`detectHost()`): the app and the sign-in (host/auth.ts) share it,
 * so teams-js is initialized once and keeps one theme handler.
 */
export function hostOfThisPage(): Promise<Host> {
  thisPage ??= detectHost();
  return thisPage;
}

/** The place whose plans the tab shows: the channel, or the chat for a tab in a chat or meeting. */
export function placeIdOf(host: Host): string | undefined {
  return host.kind === 'teams' ? (host.channelId ?? host.chatId) : undefined;
}
