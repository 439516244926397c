import { app, pages } from '@microsoft/teams-js';
import { type FrameContext, type TabConfigHost, type TeamsHost, toTeamsTheme } from './teams-host';

/*
 * The adapter over @microsoft/teams-js. It is the only module that imports the SDK, and it is loaded
 * with a dynamic import from teams-host.ts only when the tab is framed, so its code and the SDK's stay
 * out of the first view in a browser. No SDK type leaves this file.
 */

const FRAME_CONTEXTS: readonly FrameContext[] = [
  'content',
  'settings',
  'remove',
  'task',
  'sidePanel',
  'stage',
  'meetingStage',
  'authentication',
];

function toFrameContext(value: string | undefined): FrameContext {
  return FRAME_CONTEXTS.find((c) => c === value) ?? 'content';
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
}

/**
 * Initializes teams-js and reads the context, or answers undefined when no Teams host answers within
 * `timeoutMs` (teams-js itself would wait 60 s in a foreign frame) or the SDK refuses.
 */
export async function connectToTeams(timeoutMs: number): Promise<TeamsHost | undefined> {
  const context = await Promise.race([app.initialize().then(() => app.getContext()), timeout(timeoutMs)]);
  if (context === 'timeout') return undefined;
  return teamsHostOf(context);
}

function teamsHostOf(context: app.Context): TeamsHost {
  const listeners = new Set<(theme: TeamsHost['theme']) => void>();
  // teams-js keeps a single theme handler; fan it out to whoever subscribes.
  app.registerOnThemeChangeHandler((theme) => {
    for (const listener of listeners) listener(toTeamsTheme(theme));
  });
  let notified = false;
  const frameContext = toFrameContext(context.page.frameContext);
  const { channel, team, chat, user } = context;
  return {
    kind: 'teams',
    theme: toTeamsTheme(context.app.theme),
    frameContext,
    ...(channel?.id ? { channelId: channel.id } : {}),
    ...(channel?.displayName ? { channelName: channel.displayName } : {}),
    ...(channel?.membershipType ? { channelType: channel.membershipType } : {}),
    ...(team?.displayName ? { teamName: team.displayName } : {}),
    ...(chat?.id ? { chatId: chat.id } : {}),
    ...(user?.userPrincipalName ? { userPrincipalName: user.userPrincipalName } : {}),
    ...(user?.displayName ? { userDisplayName: user.displayName } : {}),
    ...(user?.tenant?.id ? { userTenantId: user.tenant.id } : {}),
    ...(channel?.ownerTenantId ? { channelOwnerTenantId: channel.ownerTenantId } : {}),
    ...(channel?.ownerGroupId ? { channelOwnerGroupId: channel.ownerGroupId } : {}),
    ...(team?.groupId ? { teamGroupId: team.groupId } : {}),
    hostClientType: context.app.host.clientType,
    hostName: context.app.host.name,
    onThemeChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notifySuccess() {
      if (notified) return;
      notified = true;
      // Failing to tell Teams only leaves its loading indicator up longer; nothing to show the person.
      app.notifySuccess().catch(() => {});
    },
    ...(frameContext === 'settings' && pages.config.isSupported() ? { config: configHost() } : {}),
  };
}

function configHost(): TabConfigHost {
  return {
    setValid(valid) {
      pages.config.setValidityState(valid);
    },
    onSave(save) {
      pages.config.registerOnSaveHandler((event) => {
        save()
          .then((config) => pages.config.setConfig(config))
          .then(
            () => event.notifySuccess(),
            (error: unknown) =>
              event.notifyFailure(error instanceof Error ? error.message : 'The tab could not be saved.'),
          );
      });
    },
  };
}
