// A chunk of its own: the Fluent Teams themes, needed only when the tab runs inside Teams.
export { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
