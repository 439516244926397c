/*
 * The mail port: notifications (escalations, issue 8) and review summaries (issue 7) leave through a
 * `MailGateway`. Two adapters: the embedded outbox (SQLite, shown in the tab: the local default) and Graph
 * `sendMail` from a configured mailbox (reaches people in other tenants), with a Teams activity-feed
 * notification for people of the vendor tenant where configured (the feed does not cross tenants).
 *
 * Every message carries an idempotency key chosen by the sender: sending again with a key already sent is a
 * no-op that answers the first send (`duplicate: true`), so a rerun of a job never mails anyone twice.
 */

export interface MailAddress {
  /** Lower-case email address. */
  address: string;
  name?: string;
}

/** A Teams activity-feed notification for a person of the vendor tenant (their UPN or Entra object id). */
export interface ActivityNotice {
  userId: string;
  /** The line Teams shows in the feed. */
  previewText: string;
  /** Where a click leads (a https link to the plan). */
  webUrl: string;
}

export interface OutgoingMail {
  /** Same key, same message: a second send is a no-op. 1..200 printable ASCII characters. */
  idempotencyKey: string;
  /** What kind of message this is, for the outbox and the logs: `escalation`, `review-summary`… */
  category: string;
  /** The plan the message is about, when there is one. */
  planId?: string;
  to: MailAddress[];
  cc?: MailAddress[];
  subject: string;
  /** The text/plain body: always present, the HTML is optional. */
  text: string;
  /** An email-safe HTML body; plan text in it is escaped by the renderer. */
  html?: string;
  /** Activity-feed notifications to send as well, where the adapter is configured for them. */
  activity?: ActivityNotice[];
}

export interface SentMail {
  idempotencyKey: string;
  /** The adapter's id of the message. */
  id: string;
  /** When it was handed over (ISO instant). */
  sentAt: string;
  /** `true` when the key had been sent before: nothing was sent this time. */
  duplicate: boolean;
  /** Activity-feed notifications handed over (0 when none or not configured). */
  activitySent: number;
}

/** A message as the embedded outbox keeps it. */
export interface StoredMail extends Omit<OutgoingMail, 'activity'> {
  id: string;
  sentAt: string;
  activity: ActivityNotice[];
}

export interface MailPage {
  items: StoredMail[];
  nextCursor?: string;
}

export interface MailGateway {
  /** Which adapter: `outbox` (embedded) or `graph`. */
  readonly kind: 'outbox' | 'graph';
  send(message: OutgoingMail): Promise<SentMail>;
  /** Newest first. Only the embedded outbox keeps what it sent; Graph's adapter has no list. */
  list?(options: { limit: number; cursor?: string; planId?: string }): Promise<MailPage>;
}

/** A message the gateway refuses before sending (no recipient, bad key…): the caller's mistake. */
export class InvalidMailError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidMailError';
  }
}

const KEY = /^[\x21-\x7e]{1,200}$/;
const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Checks what every adapter needs; throws InvalidMailError naming the field. */
export function checkOutgoingMail(message: OutgoingMail): void {
  if (!KEY.test(message.idempotencyKey)) {
    throw new InvalidMailError(
      'idempotencyKey',
      'the idempotency key is 1 to 200 printable characters without spaces',
    );
  }
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(message.category)) {
    throw new InvalidMailError('category', 'the category is a lower-case word such as "escalation"');
  }
  if (message.to.length === 0) throw new InvalidMailError('to', 'a message has at least one recipient');
  for (const [field, list] of [
    ['to', message.to],
    ['cc', message.cc ?? []],
  ] as const) {
    list.forEach((r, i) => {
      if (!ADDRESS.test(r.address)) {
        throw new InvalidMailError(`${field}[${i}].address`, `"${r.address}" is not an email address`);
      }
    });
  }
  if (message.subject.trim() === '' || message.subject.length > 255 || /[\r\n]/.test(message.subject)) {
    throw new InvalidMailError('subject', 'the subject is one line of 1 to 255 characters');
  }
  if (message.text.trim() === '') throw new InvalidMailError('text', 'the text body is required');
}

/**
 * Where a gateway whose service has no idempotency (Graph `sendMail`) records the keys it sends: claimed
 * before sending, completed after. A claim left by a sender that stopped mid-way (its answer lost) blocks
 * the key for `leaseMs`; after that the key may be sent again — the one window for a duplicate.
 */
export interface MailLedger {
  claim(
    key: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ state: 'claimed' } | { state: 'sent'; sent: SentMail } | { state: 'busy' }>;
  complete(key: string, sent: SentMail): Promise<void>;
  /** The send failed for certain (an error answer): the key is free again. */
  release(key: string): Promise<void>;
}
