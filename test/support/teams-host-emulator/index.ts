/*
 * An emulated Microsoft Teams web client for browser tests: an https host page at
 * https://teams.microsoft.com (mapped to loopback in Chromium) that frames the tab and answers
 * teams-js. See protocol.ts for the message shapes and where in the SDK each comes from.
 */
export { EmulatedTeams } from './emulated-teams';
export type { HostPageConfig, LegacyContext, RecordedMessage, TeamsHostState, TeamsTheme } from './protocol';
export {
  EMULATED,
  sharedChannelContext,
  startTeamsHostEmulator,
  TEAMS_HOSTNAME,
  TEAMS_ORIGIN,
  type TeamsHostEmulator,
} from './server';
