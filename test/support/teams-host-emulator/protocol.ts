/*
 * The teams-js ⇄ host message protocol, as far as the Co-Sell Plan tab uses it, written from the
 * teams-js 2.58.0 sources in node_modules/@microsoft/teams-js/dist/esm/packages/teams-js/ (TJS below).
 * Types only: host-page.ts (run in the browser) and emulated-teams.ts (run by the test) share them.
 *
 * Child → host, a request: TJS dts/internal/messageObjects.d.ts:29-37 `SerializedMessageRequest`
 *   { id, uuidAsString, func, timestamp, monotonicTimestamp, args, apiVersionTag, … }
 *   (src/internal/communication.js: sendMessageToParentHelper builds it; serializeMessageRequest in
 *   src/internal/messageObjects.js turns the UUID object into `uuidAsString`). The first one,
 *   `initialize`, is posted to window.parent with targetOrigin '*' (initializeCommunication), later ones
 *   to the origin the first answer came from.
 * Host → child, a response: dts/internal/messageObjects.d.ts:42-48 `SerializedMessageResponse`
 *   { id, uuidAsString, args, isPartialResponse? }. The child matches it to its request by uuid, or by
 *   the numeric id when there is no uuid (communication.js handleIncomingMessageFromParent); `args`
 *   is what the awaiting call receives.
 * Host → child, an event: { func, args } with no numeric `id` (that is what tells it from a response);
 *   the child runs the handler registered for `func` (src/internal/handlers.js callHandler).
 * The child accepts messages only from its own origin or an https origin in its valid-origins list
 *   (src/internal/validOrigins.js validateOrigin; teams.microsoft.com is in
 *   src/artifactsForCDN/validDomains.json.js), so the host page must be https://teams.microsoft.com.
 */

export type TeamsTheme = 'default' | 'dark' | 'contrast';

/** dts/public/constants.d.ts:75 `enum FrameContexts`. */
export type FrameContext =
  | 'content'
  | 'settings'
  | 'remove'
  | 'sidePanel'
  | 'task'
  | 'stage'
  | 'meetingStage';

/**
 * What the host answers `getContext` with: the flat, legacy context of dts/public/interfaces.d.ts:270
 * (`interface Context`), which teams-js 2.x maps to `app.Context` in src/public/app/app.js (getContext →
 * transformLegacyContextToAppContext: channelId → channel.id, channelType → channel.membershipType,
 * userDisplayName → user.displayName, hostClientType → app.host.clientType, …).
 */
export interface LegacyContext {
  locale: string;
  theme: TeamsTheme;
  frameContext: FrameContext;
  hostClientType: string;
  hostName: string;
  entityId?: string;
  appSessionId: string;
  sessionId: string;
  tid: string;
  userObjectId: string;
  userPrincipalName: string;
  loginHint: string;
  userDisplayName: string;
  teamId?: string;
  teamName?: string;
  /** Absent for a shared channel (docs: "Get context in shared channels"). */
  groupId?: string;
  channelId?: string;
  channelName?: string;
  /** dts/public/constants.d.ts:166 `enum ChannelType`: Regular | Private | Shared. */
  channelType?: 'Regular' | 'Private' | 'Shared';
  channelRelativeUrl?: string;
  hostTeamTenantId?: string;
  hostTeamGroupId?: string;
  chatId?: string;
}

export interface HostPageConfig {
  /** The tab's URL, loaded in the host's iframe. */
  tabUrl: string;
  context: LegacyContext;
  /**
   * What `authentication.getAuthToken` answers, call by call (the last one repeats): Teams SSO's access
   * token for the app. Without any, the call fails as Teams does when it cannot get one.
   */
  authTokens?: string[];
}

/** One request the tab sent, as the host received it. */
export interface RecordedMessage {
  /** Order of arrival, from 0. */
  seq: number;
  func: string;
  args: unknown[];
  id: number | undefined;
  uuidAsString: string | undefined;
  apiVersionTag: string | undefined;
  /** The origin the message came from (the tab's). */
  origin: string;
  /** Whether the emulator knows this function; an unknown one is recorded and left unanswered. */
  known: boolean;
}

export interface TeamsHostState {
  messages: RecordedMessage[];
  /** Events the tab registered a handler for (`registerHandler` requests): themeChange, save, … */
  handlers: string[];
  /** The last `settings.setValidityState`: Teams enables its Save button only when true. */
  valid: boolean;
  /** Every `settings.setSettings` payload (pages.config.setConfig), oldest first. */
  savedConfigs: unknown[];
  theme: TeamsTheme;
}

/** The control the host page exposes as `window.teamsHostEmulator` for the test to drive. */
export interface TeamsHostControl {
  state(): TeamsHostState;
  /** Pushes a theme change, as Teams does when the user switches theme. */
  setTheme(theme: TeamsTheme): void;
  /** What Teams does when the user selects Save on the configuration dialog. */
  save(): 'sent' | 'not-valid';
}
