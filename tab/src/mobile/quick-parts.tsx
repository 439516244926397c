import {
  Button,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { QuickUpdates } from './use-quick-updates';

/* What both quick-update pages share: the messages, the pending line, the list and link styles. */

export const useQuickStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '16px', minWidth: 0 },
  heading: { margin: 0, fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500 },
  lead: { margin: 0, color: tokens.colorNeutralForeground2 },
  links: { display: 'flex', flexWrap: 'wrap', gap: '4px 16px' },
  touchLink: { display: 'inline-flex', alignItems: 'center', minHeight: '44px', minWidth: '44px' },
  list: { display: 'flex', flexDirection: 'column', gap: '10px', margin: 0, padding: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: '10px', minWidth: 0 },
  touch: { minHeight: '44px', minWidth: '44px' },
  empty: { margin: 0, color: tokens.colorNeutralForeground2 },
});

export function TouchLink({ href, children }: { href: string; children: ReactNode }) {
  const styles = useQuickStyles();
  return (
    <Link href={href} className={styles.touchLink}>
      {children}
    </Link>
  );
}

/** Refusals (what was not saved and why) and the updates still waiting, with a way to send them now. */
export function QuickStatus({ quick }: { quick: QuickUpdates }) {
  const styles = useQuickStyles();
  const waiting = quick.entries.filter((e) => e.attempts > 0);
  return (
    <>
      {quick.notices.map((notice) => (
        <MessageBar key={notice.id} intent={notice.intent} layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{notice.title}</MessageBarTitle>
            {notice.detail}
            {notice.fields.length > 0 && (
              <ul>
                {notice.fields.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
          <MessageBarActions>
            <Button className={styles.touch} onClick={() => quick.dismiss(notice.id)}>
              Dismiss
            </Button>
          </MessageBarActions>
        </MessageBar>
      ))}
      {waiting.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {waiting.length === 1 ? '1 update pending' : `${waiting.length} updates pending`}
            </MessageBarTitle>
            Kept on this device and sent when the connection is back. Last try:{' '}
            {waiting[0]?.lastError ?? 'no connection.'}
          </MessageBarBody>
          <MessageBarActions>
            <Button className={styles.touch} onClick={() => void quick.outbox.retryNow()}>
              Send now
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </>
  );
}
