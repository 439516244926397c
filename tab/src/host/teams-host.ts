import type { app } from '@microsoft/teams-js';

/*
 * The one module that knows about Teams. The rest of the tab gets a `Host` and runs the same in Teams,
 * Outlook and a plain browser. teams-js is loaded only when the page is framed, so a browser never pays
 * for it (nor for its fetch of the valid-origins list at import time).
 */

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export type Host =
  | { kind: 'browser' }
  | {
      kind: 'teams';
      theme: TeamsTheme;
      channelId?: string;
      /** A hint for display only, never proof of identity: the API authenticates each request itself. */
      userPrincipalName?: string;
      hostClientType: string;
      /** Calls `listener` whenever the user switches the Teams theme; returns the unsubscribe function. */
      onThemeChange(listener: (theme: TeamsTheme) => void): () => void;
    };

/** Long enough for a slow Teams client, short enough that a non-Teams frame soon shows the plan. */
export const TEAMS_INIT_TIMEOUT_MS = 5_000;

const BROWSER: Host = { kind: 'browser' };

export function toTeamsTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
}

/**
 * Finds out where the tab runs. A top-level window has no Teams host: answered at once, without the SDK.
 * In a frame, the SDK gets `timeoutMs` to initialize and give the context; a frame that is not Teams
 * (the SDK never answers) falls back to the browser.
 */
export async function detectHost(
  win: Window = window,
  { timeoutMs = TEAMS_INIT_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<Host> {
  if (win.parent === win) return BROWSER;
  try {
    const { app } = await import('@microsoft/teams-js');
    const context = await Promise.race([app.initialize().then(() => app.getContext()), timeout(timeoutMs)]);
    if (context === 'timeout') return BROWSER;
    // Tells Teams to hide its loading indicator; failing to do so only leaves the spinner longer.
    app.notifySuccess().catch(() => {});
    return teamsHost(app, context);
  } catch {
    return BROWSER;
  }
}

function teamsHost(sdk: typeof app, context: app.Context): Host {
  const listeners = new Set<(theme: TeamsTheme) => void>();
  // teams-js keeps a single theme handler; fan it out to whoever subscribes.
  sdk.registerOnThemeChangeHandler((theme) => {
    for (const listener of listeners) listener(toTeamsTheme(theme));
  });
  return {
    kind: 'teams',
    theme: toTeamsTheme(context.app.theme),
    ...(context.channel?.id ? { channelId: context.channel.id } : {}),
    ...(context.user?.userPrincipalName ? { userPrincipalName: context.user.userPrincipalName } : {}),
    hostClientType: context.app.host.clientType,
    onThemeChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
