import {
  type Theme,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  webLightTheme,
} from '@fluentui/react-components';
import type { TeamsTheme } from './teams-host';

/** The Fluent theme for the Teams theme, or the web theme in a plain browser (`undefined`). */
export function fluentThemeOf(teamsTheme: TeamsTheme | undefined): Theme {
  switch (teamsTheme) {
    case undefined:
      return webLightTheme;
    case 'dark':
      return teamsDarkTheme;
    case 'contrast':
      return teamsHighContrastTheme;
    default:
      return teamsLightTheme;
  }
}
