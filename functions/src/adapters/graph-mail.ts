import {
  type Clock,
  checkOutgoingMail,
  type MailGateway,
  type MailLedger,
  type OutgoingMail,
  type SentMail,
} from '@cosell/shared';
import type { GraphClient } from '../graph/graph-client';
import { GraphRequestError } from '../graph/graph-error';

/*
 * Mail through Microsoft Graph, app-only, from one configured mailbox (COSELL_MAIL_FROM):
 * `POST /users/{mailbox}/sendMail` → 202, no body (reference/graph-contract.md §7; permission Mail.Send,
 * application). Mail reaches people in other tenants, so partner chains get mail.
 *
 * Teams activity feed, additionally and only where configured, for people of the vendor tenant:
 * `POST /users/{userId | upn}/teamwork/sendActivityNotification` → 204 (learn.microsoft.com
 * graph/api/userteamwork-sendactivitynotification; permission TeamsActivity.Send, application). The feed
 * does not cross tenants (reference/teams-platform.md §1.4), so the caller only asks it for vendor people.
 * The `systemDefault` activity type carries free text and needs no declaration in the app manifest; the app
 * must be installed for the user.
 *
 * sendMail has no idempotency of its own: the key is claimed in the ledger before sending and completed
 * after. A definite error answer releases the key (a rerun sends); an answer lost after sending keeps the
 * claim until the lease ends, so a rerun within the lease sends nothing.
 */

/** How long a claim whose outcome is unknown blocks the key. */
export const MAIL_CLAIM_LEASE_MS = 60 * 60 * 1000;

export interface GraphMailOptions {
  graph: GraphClient;
  /** The sending mailbox: a user principal name or object id in the vendor tenant. */
  mailbox: string;
  ledger: MailLedger;
  clock: Clock;
  newId: () => string;
  /** Send activity-feed notifications too (vendor tenant only). */
  activityFeed?: { teamsAppId?: string };
  log?: (line: string) => void;
  leaseMs?: number;
}

interface GraphRecipient {
  emailAddress: { address: string; name?: string };
}

const recipients = (list: OutgoingMail['to']): GraphRecipient[] =>
  list.map((r) => ({ emailAddress: { address: r.address, ...(r.name ? { name: r.name } : {}) } }));

/** The sendMail request body (graph-examples/sendmail.request.json). */
export function sendMailBody(message: OutgoingMail): unknown {
  return {
    message: {
      subject: message.subject,
      body: message.html
        ? { contentType: 'HTML', content: message.html }
        : { contentType: 'Text', content: message.text },
      toRecipients: recipients(message.to),
      ...(message.cc && message.cc.length > 0 ? { ccRecipients: recipients(message.cc) } : {}),
      // Lets a mail administrator find every message of one key (internet headers start with X-).
      internetMessageHeaders: [{ name: 'X-CoSell-Key', value: message.idempotencyKey }],
    },
    saveToSentItems: true,
  };
}

export class GraphMailGateway implements MailGateway {
  readonly kind = 'graph' as const;

  constructor(private readonly options: GraphMailOptions) {}

  async send(message: OutgoingMail): Promise<SentMail> {
    checkOutgoingMail(message);
    const { ledger, clock, graph, mailbox } = this.options;
    const key = message.idempotencyKey;
    const claim = await ledger.claim(key, clock.now(), this.options.leaseMs ?? MAIL_CLAIM_LEASE_MS);
    if (claim.state === 'sent') return { ...claim.sent, duplicate: true };
    if (claim.state === 'busy') {
      // Another sender holds the key (or its answer was lost): nothing is sent twice.
      return {
        idempotencyKey: key,
        id: '',
        sentAt: clock.now().toISOString(),
        duplicate: true,
        activitySent: 0,
      };
    }
    try {
      await graph.post(`/users/${encodeURIComponent(mailbox)}/sendMail`, sendMailBody(message));
    } catch (error) {
      // A definite answer (4xx/5xx) means nothing was sent; no answer leaves the claim in place.
      if (error instanceof GraphRequestError && error.status !== 0) await ledger.release(key);
      throw error;
    }
    const sent: SentMail = {
      idempotencyKey: key,
      id: `graph-${this.options.newId()}`,
      sentAt: clock.now().toISOString(),
      duplicate: false,
      activitySent: 0,
    };
    await ledger.complete(key, sent);
    sent.activitySent = await this.notifyFeed(message);
    return sent;
  }

  /** Activity-feed notifications; a failure is logged, never undoes the mail. */
  private async notifyFeed(message: OutgoingMail): Promise<number> {
    const feed = this.options.activityFeed;
    if (!feed || !message.activity) return 0;
    let sent = 0;
    for (const notice of message.activity) {
      if (!/^https:\/\//.test(notice.webUrl)) continue;
      try {
        await this.options.graph.post(
          `/users/${encodeURIComponent(notice.userId)}/teamwork/sendActivityNotification`,
          {
            topic: { source: 'text', value: message.subject.slice(0, 120), webUrl: notice.webUrl },
            activityType: 'systemDefault',
            previewText: { content: notice.previewText.slice(0, 150) },
            templateParameters: [{ name: 'systemDefaultText', value: notice.previewText.slice(0, 150) }],
            ...(feed.teamsAppId ? { teamsAppId: feed.teamsAppId } : {}),
          },
        );
        sent++;
      } catch (error) {
        this.options.log?.(
          `activity feed for ${notice.userId} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return sent;
  }
}
