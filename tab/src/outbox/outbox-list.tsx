import type { StoredMail } from '@cosell/shared';
import { Badge, Button, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { formatDateTime } from '../format';
import { planHref } from '../routing';

/*
 * The messages of the embedded outbox, newest first. Everything shown is the message's text as data (React
 * escapes it): the HTML body is never rendered here, the text/plain part says the same.
 */

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    padding: `${tokens.spacingVerticalM} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
  },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  subject: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  meta: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  body: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground2,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    margin: 0,
    maxHeight: '28rem',
    overflowY: 'auto',
  },
  toggle: { alignSelf: 'flex-start', minHeight: '44px' },
});

const addresses = (list: StoredMail['to']) =>
  list.map((r) => (r.name ? `${r.name} <${r.address}>` : r.address)).join(', ');

function OutboxItem({ mail }: { mail: StoredMail }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  return (
    <li className={styles.item} data-key={mail.idempotencyKey}>
      <div className={styles.head}>
        <Text className={styles.subject}>{mail.subject}</Text>
        <Badge appearance="tint" color={mail.category === 'escalation' ? 'warning' : 'informative'}>
          {mail.category}
        </Badge>
      </div>
      <Text className={styles.meta}>
        To {addresses(mail.to)}
        {mail.cc && mail.cc.length > 0 ? `, cc ${addresses(mail.cc)}` : ''} · {formatDateTime(mail.sentAt)}
        {mail.activity.length > 0 ? ' · also in the Teams activity feed' : ''}
      </Text>
      {mail.planId && (
        <Link href={planHref(mail.planId)} className={styles.meta}>
          Open the plan
        </Link>
      )}
      <Button
        className={styles.toggle}
        appearance="subtle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen((v) => !v)}
      >
        {open ? 'Hide the message' : 'Show the message'}
      </Button>
      {open && (
        <pre id={bodyId} className={styles.body}>
          {mail.text}
        </pre>
      )}
    </li>
  );
}

export function OutboxList({ items }: { items: readonly StoredMail[] }) {
  const styles = useStyles();
  return (
    <ol className={styles.list} aria-label="Messages, newest first">
      {items.map((mail) => (
        <OutboxItem key={mail.id} mail={mail} />
      ))}
    </ol>
  );
}
