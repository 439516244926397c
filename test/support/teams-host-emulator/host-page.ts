import type {
  HostPageConfig,
  RecordedMessage,
  TeamsHostControl,
  TeamsHostState,
  TeamsTheme,
} from './protocol';

/*
 * The host page of the emulated Teams web client, run in the browser at https://teams.microsoft.com/.
 * It frames the tab and answers teams-js the way Teams does for the calls the tab makes; every message
 * is recorded for the test. The shapes come from teams-js 2.58.0 (paths below are relative to
 * node_modules/@microsoft/teams-js/dist/esm/packages/teams-js/); see protocol.ts for the envelope.
 * The server transpiles this file with esbuild and serves it as a module.
 */

const configElement = document.getElementById('host-config');
if (!configElement?.textContent) throw new Error('the host page has no #host-config');
const config = JSON.parse(configElement.textContent) as HostPageConfig;
const tabOrigin = new URL(config.tabUrl).origin;

const state: TeamsHostState = {
  messages: [],
  handlers: [],
  valid: false,
  savedConfigs: [],
  theme: config.context.theme,
};

/*
 * The runtime the host advertises in its `initialize` answer (a JSON string). teams-js parses it in
 * src/internal/appHelpers.js (initializeHelper: JSON.parse, needs `apiVersion`, then applyRuntimeConfig)
 * and checks capabilities against it: pages.config.isSupported() is `runtime.supports.pages.config`
 * (src/public/pages/config.js), required by registerOnSaveHandler and setValidityState. Without
 * `supports.app.notifySuccessResponse`, app.notifySuccess() is a one-way `appInitialization.success`
 * message (appHelpers.js callNotifySuccessInHost). apiVersion 4 = latestRuntimeApiVersion
 * (dts/public/runtime.d.ts:13).
 */
const RUNTIME = {
  apiVersion: 4,
  isLegacyTeams: false,
  supports: { pages: { config: {}, tabs: {}, backStack: {} }, teamsCore: {} },
};

/** Not the SDK's version but the host's, answered as the 4th `initialize` value (clientSupportedSDKVersion). */
const CLIENT_SUPPORTED_SDK_VERSION = '2.58.0';

// ---- the page: a strip of Teams chrome above the tab's iframe ----

document.title = 'Microsoft Teams (emulated)';
const bar = document.createElement('header');
bar.setAttribute('aria-label', 'Emulated Teams host');
const place = document.createElement('span');
place.textContent = [config.context.teamName, config.context.channelName].filter(Boolean).join(' › ');
bar.append(place);
for (const [theme, label] of [
  ['default', 'Light'],
  ['dark', 'Dark'],
  ['contrast', 'High contrast'],
] as const) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Teams theme: ${label}`;
  button.addEventListener('click', () => control.setTheme(theme));
  bar.append(button);
}
const saveButton = document.createElement('button');
saveButton.type = 'button';
saveButton.id = 'teams-save';
saveButton.textContent = 'Save';
saveButton.disabled = true;
saveButton.addEventListener('click', () => control.save());
if (config.context.frameContext === 'settings') bar.append(saveButton);

const frame = document.createElement('iframe');
frame.id = 'tab';
frame.title = 'Co-Sell Plan tab';
// Roughly what the Teams web client sets on a tab's iframe: scripts, same-origin storage, forms, popups.
frame.setAttribute(
  'sandbox',
  'allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-same-origin allow-scripts allow-downloads',
);
frame.src = config.tabUrl;
const style = document.createElement('style');
style.textContent = `
  body { margin: 0; font-family: system-ui, sans-serif; display: flex; flex-direction: column; height: 100vh; }
  header { display: flex; gap: 8px; align-items: center; padding: 6px 12px; background: #464775; color: #fff; }
  header span { flex-grow: 1; font-weight: 600; }
  iframe { flex-grow: 1; border: 0; width: 100%; }
`;
document.head.append(style);
document.body.append(bar, frame);

// ---- the protocol ----

function isRequest(data: unknown): data is {
  id?: unknown;
  uuidAsString?: unknown;
  func: string;
  args?: unknown;
  apiVersionTag?: unknown;
} {
  return typeof data === 'object' && data !== null && typeof (data as { func?: unknown }).func === 'string';
}

function post(message: object): void {
  frame.contentWindow?.postMessage(message, tabOrigin);
}

/**
 * Answers a request: the response carries the request's numeric `id` and its `uuidAsString`, which
 * handleIncomingMessageFromParent (src/internal/communication.js) uses to find the waiting call; the
 * call then receives `args`.
 */
function respond(request: RecordedMessage, args: unknown[]): void {
  post({ id: request.id, uuidAsString: request.uuidAsString, args });
}

/** Pushes an event: `func` and `args` and, deliberately, no numeric id (see protocol.ts). */
function sendEvent(func: string, args: unknown[]): void {
  post({ func, args });
}

type Handler = (request: RecordedMessage) => void;

const HANDLERS: Record<string, Handler> = {
  /*
   * app.initialize(): args [sdkVersion, latestRuntimeApiVersion, validMessageOrigins]
   * (communication.js initializeCommunication). Answer [frameContext, hostClientType, runtimeConfig,
   * clientSupportedSDKVersion] — the order initializeCommunication destructures.
   */
  initialize: (request) =>
    respond(request, [
      config.context.frameContext,
      config.context.hostClientType,
      JSON.stringify(RUNTIME),
      CLIENT_SUPPORTED_SDK_VERSION,
    ]),
  /* app.getContext(): sendAndUnwrap('getContext') takes args[0], the legacy context (app.js getContext). */
  getContext: (request) => respond(request, [{ ...config.context, theme: state.theme }]),
  /*
   * registerOnThemeChangeHandler / pages.config.registerOnSaveHandler tell the host which events the
   * tab handles: one-way `registerHandler` with args [eventName] (src/internal/handlers.js
   * registerOnThemeChangeHandler; src/public/pages/config.js registerOnSaveHandlerHelper → 'save').
   */
  registerHandler: (request) => {
    const [event] = request.args;
    if (typeof event === 'string' && !state.handlers.includes(event)) state.handlers.push(event);
  },
  /* app.notifySuccess() without notifySuccessResponse in the runtime: one-way, args [sdkVersion]. */
  'appInitialization.success': () => {},
  /* pages.config.setValidityState(valid): one-way, args [valid] (src/internal/pagesHelpers.js). */
  'settings.setValidityState': (request) => {
    state.valid = request.args[0] === true;
    saveButton.disabled = !state.valid;
  },
  /*
   * pages.config.setConfig(instanceConfig): args [instanceConfig]; the call awaits [status, reason]
   * and throws `reason` when status is false (communication.js sendAndHandleStatusAndReason).
   */
  'settings.setSettings': (request) => {
    state.savedConfigs.push(request.args[0]);
    respond(request, [true]);
  },
  /* pages.getConfig(): sendAndUnwrap('settings.getSettings') → args[0]. */
  'settings.getSettings': (request) => respond(request, [state.savedConfigs.at(-1) ?? {}]),
  /*
   * authentication.getAuthToken({ claims, silent, tenantId }): args [resources, claims, silent, tenantId]
   * (src/public/authentication.js getAuthToken, reference/teams-platform.md §2.3); the call awaits
   * [success, result] and throws `result` when success is false. Answers the configured tokens in turn.
   */
  'authentication.getAuthToken': (request) => {
    const tokens = config.authTokens ?? [];
    const asked = state.messages.filter((m) => m.func === 'authentication.getAuthToken').length;
    const token = tokens[Math.min(asked, tokens.length) - 1];
    respond(request, token ? [true, token] : [false, 'resourceDisabled: the emulated Teams has no token']);
  },
  /* SaveEvent.notifySuccess() / notifyFailure(reason): one-way (src/public/pages/config.js). */
  'settings.save.success': () => {},
  'settings.save.failure': () => {},
};

window.addEventListener('message', (event: MessageEvent) => {
  // Only the tab's own frame talks to this host (Teams ignores other windows too).
  if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
  if (!isRequest(event.data)) return;
  const data = event.data;
  const handler = HANDLERS[data.func];
  const message: RecordedMessage = {
    seq: state.messages.length,
    func: data.func,
    args: Array.isArray(data.args) ? data.args : [],
    id: typeof data.id === 'number' ? data.id : undefined,
    uuidAsString: typeof data.uuidAsString === 'string' ? data.uuidAsString : undefined,
    apiVersionTag: typeof data.apiVersionTag === 'string' ? data.apiVersionTag : undefined,
    origin: event.origin,
    known: handler !== undefined,
  };
  state.messages.push(message);
  handler?.(message);
});

const control: TeamsHostControl = {
  state: () => structuredClone(state),
  setTheme(theme: TeamsTheme) {
    state.theme = theme;
    // handlers.js handleThemeChange: the registered handler gets args[0], the theme name.
    sendEvent('themeChange', [theme]);
  },
  save() {
    if (!state.valid) return 'not-valid';
    // config.js handleSave: SaveEvent.result = args[0] || {}; a tab without a connector sees {}.
    sendEvent('settings.save', [{}]);
    return 'sent';
  },
};
(window as unknown as { teamsHostEmulator: TeamsHostControl }).teamsHostEmulator = control;
