import type { StoredMail } from '@cosell/shared';
import {
  Button,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Text,
  Title1,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { OutboxList } from '../outbox/outbox-list';

/*
 * `#/outbox`: what the app sent in the embedded mode — escalations of stalled plans and review summaries —
 * so the flow is visible on one machine (issue 8). Where mail goes through Microsoft Graph there is no
 * outbox, and the page says so.
 */

const PAGE_SIZE = 25;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  title: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

interface OutboxData {
  items: StoredMail[];
  nextCursor: string | undefined;
}

export function OutboxPage() {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad('outbox', async (signal): Promise<OutboxData> => {
    const page = await api.getOutbox({ limit: PAGE_SIZE }, { signal });
    return { items: page.items, nextCursor: page.nextCursor };
  });
  useDocumentTitle('Outbox');
  return (
    <div className={styles.page}>
      <Title1 as="h1" className={styles.title}>
        Outbox
      </Title1>
      <Text className={styles.muted}>
        Notifications the app sent in the local mode: escalations of stalled plans and review summaries.
      </Text>
      {load.state === 'loading' && <Spinner label="Loading the outbox…" />}
      {load.state === 'failed' &&
        (load.error.status === 404 ? (
          <MessageBar intent="info">
            <MessageBarBody>
              There is no outbox here: notifications are sent as email through Microsoft 365.
            </MessageBarBody>
          </MessageBar>
        ) : (
          <>
            <ProblemBar error={load.error} title="The outbox could not be loaded" />
            <div>
              <Button onClick={reload}>Try again</Button>
            </div>
          </>
        ))}
      {load.state === 'ready' && <OutboxPages first={load.data} />}
    </div>
  );
}

function OutboxPages({ first }: { first: OutboxData }) {
  const styles = useStyles();
  const api = useApi();
  const [items, setItems] = useState(first.items);
  const [nextCursor, setNextCursor] = useState(first.nextCursor);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState<string | undefined>();
  const [checkFailure, setCheckFailure] = useState<ApiError | undefined>();

  const refresh = async () => {
    const page = await api.getOutbox({ limit: PAGE_SIZE });
    setItems(page.items);
    setNextCursor(page.nextCursor);
  };

  // Local development: run the daily escalation check now instead of waiting for 06:00 UTC.
  const checkNow = async () => {
    if (checking) return;
    setChecking(true);
    setChecked(undefined);
    setCheckFailure(undefined);
    try {
      const run = await api.runTimerNow('escalate-stalled-plans');
      const result = run.result as { sent?: number; plansChecked?: number } | null;
      setChecked(
        `Checked ${result?.plansChecked ?? 0} stalled plan(s); ${result?.sent ?? 0} new notification(s) sent.`,
      );
      await refresh();
    } catch (error) {
      setCheckFailure(toApiError(error));
    } finally {
      setChecking(false);
    }
  };

  const showOlder = async () => {
    if (!nextCursor || loading) return;
    setLoading(true);
    setFailure(undefined);
    try {
      const page = await api.getOutbox({ limit: PAGE_SIZE, cursor: nextCursor });
      setItems((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <div className={styles.actions}>
        <Button onClick={() => refresh().catch((error: unknown) => setFailure(toApiError(error)))}>
          Refresh
        </Button>
        <Button disabledFocusable={checking} onClick={() => void checkNow()}>
          Check for stalled plans now
        </Button>
        {checking && <Spinner size="tiny" label="Checking…" />}
      </div>
      {checked && <Text role="status">{checked}</Text>}
      {checkFailure && <ProblemBar error={checkFailure} title="The check could not be run" />}
      {items.length === 0 ? <Text>Nothing has been sent yet.</Text> : <OutboxList items={items} />}
      {failure && <ProblemBar error={failure} title="Older messages could not be loaded" />}
      {nextCursor ? (
        <div>
          <Button disabledFocusable={loading} onClick={() => void showOlder()}>
            Show older
          </Button>
          {loading && <Spinner size="tiny" label="Loading…" />}
        </div>
      ) : (
        items.length > 0 && <Text className={styles.muted}>That is every message.</Text>
      )}
    </>
  );
}
