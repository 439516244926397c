import type { HistoryEntry } from '@cosell/shared';
import { Text } from '@fluentui/react-components';
import { formatDateTime } from '../format';
import { Section, useSectionStyles } from './section';

/** Who changed what, when: newest first, as the API gives it. */
export function HistoryList({ entries }: { entries: HistoryEntry[] | undefined }) {
  const styles = useSectionStyles();
  return (
    <Section id="history" title="History">
      {entries === undefined ? (
        <Text className={styles.muted}>The history could not be loaded.</Text>
      ) : entries.length === 0 ? (
        <Text className={styles.muted}>No changes yet.</Text>
      ) : (
        <ul className={styles.plainList}>
          {entries.map((entry) => (
            <li key={`${entry.version}:${entry.at}`}>
              <div>
                <span className={styles.name}>{entry.actor.displayName}</span>{' '}
                <time dateTime={entry.at} className={styles.muted}>
                  {formatDateTime(entry.at)}
                </time>
              </div>
              {entry.changes.length === 1 ? (
                <div>{entry.changes[0]}</div>
              ) : (
                <ul className={styles.list}>
                  {entry.changes.map((change) => (
                    <li key={change}>{change}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
