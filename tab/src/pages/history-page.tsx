import type { HistoryEntry } from '@cosell/shared';
import { Button, Link, makeStyles, Spinner, Text, Title1, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { HistoryEntryView } from '../plan/history-list';
import { useSectionStyles } from '../plan/section';
import { planHref } from '../routing';

const PAGE_SIZE = 25;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  title: { margin: 0 },
  entry: {
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    outlineOffset: '2px',
  },
});

interface HistoryData {
  title: string | undefined;
  items: HistoryEntry[];
  nextCursor: string | undefined;
}

/** Who changed what, when: newest first, older pages on request. */
export function HistoryPage({ planId }: { planId: string }) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad(planId, async (signal): Promise<HistoryData> => {
    const [plan, page] = await Promise.all([
      // A deleted plan keeps its history: show it without a title.
      api.getPlan(planId, { signal }).catch(() => undefined),
      api.getHistory(planId, { signal, limit: PAGE_SIZE }),
    ]);
    return { title: plan?.title, items: page.items, nextCursor: page.nextCursor };
  });
  useDocumentTitle(load.state === 'ready' && load.data.title ? `History: ${load.data.title}` : 'History');

  return (
    <div className={styles.page}>
      <Link href={planHref(planId)}>Back to the plan</Link>
      <Title1 as="h1" className={styles.title}>
        History{load.state === 'ready' && load.data.title ? `: ${load.data.title}` : ''}
      </Title1>
      {load.state === 'loading' && <Spinner label="Loading the history…" />}
      {load.state === 'failed' && (
        <>
          <ProblemBar error={load.error} title="The history could not be loaded" />
          <div>
            <Button onClick={reload}>Try again</Button>
          </div>
        </>
      )}
      {load.state === 'ready' && <HistoryPages planId={planId} first={load.data} />}
    </div>
  );
}

function HistoryPages({ planId, first }: { planId: string; first: HistoryData }) {
  const styles = useStyles();
  const sectionStyles = useSectionStyles();
  const api = useApi();
  const [items, setItems] = useState(first.items);
  const [nextCursor, setNextCursor] = useState(first.nextCursor);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // After "Show older", focus goes to the first older entry: the button may be gone, the reader goes on.
  useEffect(() => {
    if (focusIndex === null) return;
    listRef.current?.querySelectorAll<HTMLElement>(':scope > li')[focusIndex]?.focus();
    setFocusIndex(null);
  }, [focusIndex]);

  const showOlder = async () => {
    if (!nextCursor || loading) return;
    setLoading(true);
    setFailure(undefined);
    try {
      const page = await api.getHistory(planId, { limit: PAGE_SIZE, cursor: nextCursor });
      setFocusIndex(items.length);
      setItems((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setLoading(false);
    }
  };

  if (items.length === 0) return <Text>No changes yet.</Text>;
  return (
    <>
      <ol ref={listRef} className={sectionStyles.plainList} aria-label="Changes, newest first">
        {items.map((entry) => (
          <li key={`${entry.version}:${entry.at}`} tabIndex={-1} className={styles.entry}>
            <HistoryEntryView entry={entry} />
          </li>
        ))}
      </ol>
      {failure && <ProblemBar error={failure} title="Older changes could not be loaded" />}
      {nextCursor ? (
        <div>
          <Button disabledFocusable={loading} onClick={() => void showOlder()}>
            Show older
          </Button>
          {loading && <Spinner size="tiny" label="Loading…" />}
        </div>
      ) : (
        <Text className={sectionStyles.muted}>That is the whole history.</Text>
      )}
    </>
  );
}
