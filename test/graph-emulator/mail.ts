import { randomUUID } from 'node:crypto';
import { type GraphAnswer, graphError, type IncomingGraphRequest } from './sharepoint-lists';

/*
 * Mail and the Teams activity feed of the Graph emulator (hooked into emulator.ts for `/users/...`):
 *
 * `POST /users/{id | upn}/sendMail` [DOC reference/graph-contract.md §7, graph-examples/sendmail.request.json]
 *   - JSON body `{ message: { subject, body: { contentType: Text|HTML, content }, toRecipients[], ccRecipients?,
 *     bccRecipients?, attachments?, internetMessageHeaders? }, saveToSentItems? }`; saveToSentItems defaults
 *     to true and the doc example sends the string "false" — both forms are accepted.
 *   - 202 Accepted, no body. Acceptance is not delivery.
 *   - [UNCONFIRMED] the error for a message without any recipient: 400 `ErrorInvalidRecipients`
 *     ("At least one recipient is not valid."), as reported by users of the real service.
 *   - [UNCONFIRMED] the error for an unknown sending mailbox: 404 `ErrorInvalidUser`, when `mailboxes` is set.
 *   - internetMessageHeaders names must start with "X-" [DOC message resource, internetMessageHeaders].
 *   - Only the JSON form is emulated (the MIME form, text/plain base64, is not used by the app).
 *
 * `POST /users/{id | upn}/teamwork/sendActivityNotification` [DOC learn.microsoft.com
 *   graph/api/userteamwork-sendactivitynotification]
 *   - body `{ topic: { source: entityUrl|text, value, webUrl (required with source text) }, activityType,
 *     previewText?: { content }, templateParameters?: [{ name, value }], teamsAppId?, chainId? }` → 204.
 *   - The feed does not cross tenants [DOC reference/teams-platform.md §1.4]: a user of another tenant
 *     (an address at one of `externalDomains`) is refused. [UNCONFIRMED] status and code: 403 `Forbidden`.
 */

export interface SentMessageRecord {
  id: string;
  mailbox: string;
  receivedAt: string;
  saveToSentItems: boolean;
  message: {
    subject?: string;
    body?: { contentType: string; content: string };
    toRecipients?: { emailAddress: { address: string; name?: string } }[];
    ccRecipients?: { emailAddress: { address: string; name?: string } }[];
    bccRecipients?: { emailAddress: { address: string; name?: string } }[];
    internetMessageHeaders?: { name: string; value: string }[];
  };
}

export interface ActivityRecord {
  id: string;
  userId: string;
  receivedAt: string;
  body: {
    topic: { source: string; value: string; webUrl?: string };
    activityType: string;
    previewText?: { content: string };
    templateParameters?: { name: string; value: string }[];
    teamsAppId?: string;
  };
}

export interface MailSettings {
  /** When set, only these mailboxes (lower-case UPNs) may send. */
  mailboxes?: string[];
  /** Domains of other tenants: activity notifications to their users are refused. */
  externalDomains?: string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string): GraphAnswer {
  return graphError(400, 'ErrorInvalidRequest', message);
}

function checkRecipients(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `${field} must be a collection of recipients.`;
  for (const r of value) {
    const address = isObject(r) && isObject(r.emailAddress) ? r.emailAddress.address : undefined;
    if (typeof address !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(address)) {
      return `${field} has a recipient without a valid emailAddress.address.`;
    }
  }
  return undefined;
}

export class GraphMail {
  readonly sent: SentMessageRecord[] = [];
  readonly activities: ActivityRecord[] = [];
  private settings: MailSettings;

  constructor(settings: MailSettings = {}) {
    this.settings = settings;
  }

  configure(settings: MailSettings): void {
    this.settings = { ...this.settings, ...settings };
  }

  reset(): void {
    this.sent.length = 0;
    this.activities.length = 0;
  }

  /** The requests this module answers: `users/{id}/sendMail` and `users/{id}/teamwork/sendActivityNotification`. */
  matches(request: IncomingGraphRequest): boolean {
    const [first, , action, leaf] = request.segments;
    if (first !== 'users') return false;
    return (
      (request.segments.length === 3 && action?.toLowerCase() === 'sendmail') ||
      (request.segments.length === 4 &&
        action?.toLowerCase() === 'teamwork' &&
        leaf?.toLowerCase() === 'sendactivitynotification')
    );
  }

  handle(request: IncomingGraphRequest): GraphAnswer {
    const user = request.segments[1] ?? '';
    if (request.method !== 'POST') {
      return graphError(
        405,
        'Request_BadRequest',
        'Specified HTTP method is not allowed for the request target.',
      );
    }
    const type = request.header('content-type') ?? '';
    if (!/^application\/json/i.test(type)) {
      return invalid('The Content-Type of this request is application/json.');
    }
    return request.segments.length === 3
      ? this.sendMail(user, request.body)
      : this.activity(user, request.body);
  }

  private sendMail(mailbox: string, body: unknown): GraphAnswer {
    const known = this.settings.mailboxes;
    if (known && !known.includes(mailbox.toLowerCase())) {
      return graphError(404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    }
    if (!isObject(body) || !isObject(body.message)) return invalid('The request body needs a message.');
    const message = body.message;
    if (message.subject !== undefined && typeof message.subject !== 'string') {
      return invalid('message.subject is a string.');
    }
    if (message.body !== undefined) {
      const b = message.body;
      if (!isObject(b) || typeof b.content !== 'string' || !/^(text|html)$/i.test(String(b.contentType))) {
        return invalid('message.body is { contentType: "Text" | "HTML", content }.');
      }
    }
    for (const field of ['toRecipients', 'ccRecipients', 'bccRecipients'] as const) {
      const problem = checkRecipients(message[field], `message.${field}`);
      if (problem) return invalid(problem);
    }
    const count = ['toRecipients', 'ccRecipients', 'bccRecipients'].reduce(
      (n, f) => n + (Array.isArray(message[f]) ? (message[f] as unknown[]).length : 0),
      0,
    );
    if (count === 0) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const headers = message.internetMessageHeaders;
    if (headers !== undefined) {
      if (
        !Array.isArray(headers) ||
        headers.some((h) => !isObject(h) || typeof h.name !== 'string' || !/^x-/i.test(h.name))
      ) {
        return invalid('internetMessageHeaders are custom headers whose names start with "X-".');
      }
    }
    const save = body.saveToSentItems;
    if (save !== undefined && ![true, false, 'true', 'false'].includes(save as never)) {
      return invalid('saveToSentItems is a boolean.');
    }
    this.sent.push({
      id: randomUUID(),
      mailbox,
      receivedAt: new Date().toISOString(),
      saveToSentItems: save === undefined ? true : save === true || save === 'true',
      message: structuredClone(message) as SentMessageRecord['message'],
    });
    return { status: 202 };
  }

  private activity(userId: string, body: unknown): GraphAnswer {
    const domain = userId.includes('@') ? userId.split('@')[1]?.toLowerCase() : undefined;
    if (domain && (this.settings.externalDomains ?? []).includes(domain)) {
      return graphError(
        403,
        'Forbidden',
        'Activity feed notifications cannot be sent to users of another tenant.',
      );
    }
    if (!isObject(body)) return invalid('The request body is a JSON object.');
    const topic = body.topic;
    if (
      !isObject(topic) ||
      !['entityUrl', 'text'].includes(String(topic.source)) ||
      typeof topic.value !== 'string'
    ) {
      return invalid('topic is { source: "entityUrl" | "text", value }.');
    }
    if (topic.source === 'text' && (typeof topic.webUrl !== 'string' || !/^https:\/\//.test(topic.webUrl))) {
      return invalid('topic.webUrl is required when topic.source is text.');
    }
    if (typeof body.activityType !== 'string' || body.activityType === '') {
      return invalid('activityType is required.');
    }
    if (
      body.previewText !== undefined &&
      (!isObject(body.previewText) || typeof body.previewText.content !== 'string')
    ) {
      return invalid('previewText is an itemBody { content }.');
    }
    const params = body.templateParameters;
    if (
      params !== undefined &&
      (!Array.isArray(params) ||
        params.some((p) => !isObject(p) || typeof p.name !== 'string' || typeof p.value !== 'string'))
    ) {
      return invalid('templateParameters is a collection of { name, value }.');
    }
    this.activities.push({
      id: randomUUID(),
      userId,
      receivedAt: new Date().toISOString(),
      body: structuredClone(body) as ActivityRecord['body'],
    });
    return { status: 204 };
  }
}
