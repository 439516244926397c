import { makeStyles, tokens } from '@fluentui/react-components';
import type { TeamsHost } from './teams-host';

const useStyles = makeStyles({
  line: { margin: 0, color: tokens.colorNeutralForeground2 },
  place: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
});

const CHANNEL_KINDS = {
  Shared: 'shared channel: people from partner organisations see it too',
  Private: 'private channel',
  Regular: 'channel',
} as const;

/** Where in Teams the tab is, and who Teams says is using it (a display hint, not an identity). */
export function TeamsPlace({ host }: { host: TeamsHost }) {
  const styles = useStyles();
  const place = [host.teamName, host.channelName].filter(Boolean).join(' › ');
  const kind = host.channelId
    ? CHANNEL_KINDS[host.channelType ?? 'Regular']
    : host.chatId
      ? 'chat'
      : undefined;
  return (
    <p className={styles.line}>
      {place ? (
        <>
          In <span className={styles.place}>{place}</span>
          {kind ? ` (${kind})` : ''}
        </>
      ) : (
        `In ${host.hostName}${kind ? ` (${kind})` : ''}`
      )}
      {host.userDisplayName || host.userPrincipalName
        ? ` · Teams user: ${host.userDisplayName ?? host.userPrincipalName}`
        : ''}
    </p>
  );
}
