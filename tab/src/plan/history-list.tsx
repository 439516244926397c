import type { HistoryEntry } from '@cosell/shared';
import { Link, Text } from '@fluentui/react-components';
import { formatDateTime } from '../format';
import { Section, useSectionStyles } from './section';

/** Who changed what, when: newest first, as the API gives it. */
export function HistoryEntries({ entries }: { entries: readonly HistoryEntry[] }) {
  const styles = useSectionStyles();
  return (
    <ul className={styles.plainList}>
      {entries.map((entry) => (
        <li key={`${entry.version}:${entry.at}`}>
          <HistoryEntryView entry={entry} />
        </li>
      ))}
    </ul>
  );
}

export function HistoryEntryView({ entry }: { entry: HistoryEntry }) {
  const styles = useSectionStyles();
  return (
    <>
      <div>
        <span className={styles.name}>{entry.actor.displayName}</span>{' '}
        <time dateTime={entry.at} className={styles.muted}>
          {formatDateTime(entry.at)}
        </time>
      </div>
      {entry.changes.length === 0 ? (
        <div className={styles.muted}>Saved without a change this page describes.</div>
      ) : entry.changes.length === 1 ? (
        <div>{entry.changes[0]}</div>
      ) : (
        <ul className={styles.list}>
          {entry.changes.map((change) => (
            <li key={change}>{change}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The latest changes on the plan page, with a link to the whole history. */
export function HistoryList({
  entries,
  moreHref,
}: {
  entries: HistoryEntry[] | undefined;
  moreHref?: string;
}) {
  const styles = useSectionStyles();
  return (
    <Section id="history" title="History">
      {entries === undefined ? (
        <Text className={styles.muted}>The history could not be loaded.</Text>
      ) : entries.length === 0 ? (
        <Text className={styles.muted}>No changes yet.</Text>
      ) : (
        <HistoryEntries entries={entries} />
      )}
      {moreHref && (
        <div>
          <Link href={moreHref}>See the whole history</Link>
        </div>
      )}
    </Section>
  );
}
