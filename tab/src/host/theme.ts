import { type Theme, webLightTheme } from '@fluentui/react-components';
import type { TeamsTheme } from './teams-host';

/** The three Teams themes; loaded only inside Teams, so a plain browser never downloads them. */
export interface TeamsThemes {
  light: Theme;
  dark: Theme;
  contrast: Theme;
}

export async function loadTeamsThemes(): Promise<TeamsThemes> {
  const { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } = await import('./teams-themes');
  return { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
}

/** The Fluent theme for the Teams theme, or the web theme in a plain browser (no Teams themes). */
export function fluentThemeOf(teamsTheme: TeamsTheme | undefined, themes: TeamsThemes | undefined): Theme {
  if (teamsTheme === undefined || themes === undefined) return webLightTheme;
  switch (teamsTheme) {
    case 'dark':
      return themes.dark;
    case 'contrast':
      return themes.contrast;
    default:
      return themes.light;
  }
}
