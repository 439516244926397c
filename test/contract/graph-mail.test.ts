import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNotificationsDb, SqliteMailLedger } from '../../functions/src/adapters/embedded-outbox';
import { GraphMailGateway } from '../../functions/src/adapters/graph-mail';
import { createGraphClient } from '../../functions/src/graph/graph-client';
import { GraphRequestError } from '../../functions/src/graph/graph-error';
import { StaticTokenProvider } from '../../functions/src/graph/token-providers';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import type { SentMessageRecord } from '../graph-emulator/mail';
import { describeMailGatewayContract, mail } from './mail-gateway-contract';

/*
 * The MailGateway contract against Graph sendMail, through the real Graph client over HTTP against the
 * loopback emulator (test/graph-emulator/mail.ts), with the SQLite key ledger; then what only Graph has:
 * lost answers, error answers, throttling, and the Teams activity feed.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
let emulator: GraphEmulator;
const MAILBOX = 'co-sell@vendor.example';
const clock = { now: () => new Date() };

beforeAll(async () => {
  emulator = await startGraphEmulator();
  emulator.mail.configure({ mailboxes: [MAILBOX], externalDomains: ['contoso.example'] });
});

afterAll(async () => {
  await emulator.close();
});

const keyOf = (m: SentMessageRecord) =>
  m.message.internetMessageHeaders?.find((h) => h.name === 'X-CoSell-Key')?.value ?? '';

function delivered() {
  return emulator.mail.sent.map((m) => ({
    key: keyOf(m),
    to: (m.message.toRecipients ?? []).map((r) => r.emailAddress.address),
    cc: (m.message.ccRecipients ?? []).map((r) => r.emailAddress.address),
    subject: m.message.subject ?? '',
    contentType: m.message.body?.contentType === 'HTML' ? ('html' as const) : ('text' as const),
    content: m.message.body?.content ?? '',
  }));
}

function openGateway(options: { activity?: boolean; leaseMs?: number; mailbox?: string } = {}) {
  emulator.mail.reset();
  emulator.resetStats();
  const db = openNotificationsDb(':memory:');
  const lines: string[] = [];
  const gateway = new GraphMailGateway({
    graph: createGraphClient({
      tokenProvider: new StaticTokenProvider('mail-test'),
      emulatorUrl: emulator.url,
      retry: { baseDelayMs: 1 },
    }),
    mailbox: options.mailbox ?? MAILBOX,
    ledger: new SqliteMailLedger(db),
    clock,
    newId: () => randomUUID(),
    log: (line) => lines.push(line),
    ...(options.activity ? { activityFeed: {} } : {}),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
  });
  return { gateway, db, lines };
}

describeMailGatewayContract('GraphMailGateway (Graph emulator)', async () => {
  const { gateway, db } = openGateway();
  return { gateway, delivered: async () => delivered(), cleanup: async () => db.close() };
});

describe('the emulated sendMail and activity feed, as documented', () => {
  const post = (pathname: string, body: unknown, contentType = 'application/json') =>
    fetch(`${emulator.url}/v1.0${pathname}`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('accepts the documented request (graph-examples/sendmail.request.json): 202, no body', async () => {
    emulator.mail.reset();
    const documented = JSON.parse(
      fs.readFileSync(path.resolve(here, '../graph-emulator/fixtures/sendmail.request.json'), 'utf8'),
    );
    const answer = await post(`/users/${MAILBOX}/sendMail`, documented);
    expect(answer.status).toBe(202);
    expect(await answer.text()).toBe('');
    expect(emulator.mail.sent).toEqual([
      expect.objectContaining({ mailbox: MAILBOX, saveToSentItems: false, message: documented.message }),
    ]);
  });

  it.each([
    ['no message', {}, 400, 'ErrorInvalidRequest'],
    [
      'no recipient',
      { message: { subject: 'x', body: { contentType: 'Text', content: 'x' } } },
      400,
      'ErrorInvalidRecipients',
    ],
    [
      'a bad body type',
      {
        message: {
          body: { contentType: 'Markdown', content: 'x' },
          toRecipients: [{ emailAddress: { address: 'a@b.example' } }],
        },
      },
      400,
      'ErrorInvalidRequest',
    ],
    [
      'a header not starting with X-',
      {
        message: {
          toRecipients: [{ emailAddress: { address: 'a@b.example' } }],
          internetMessageHeaders: [{ name: 'Bcc', value: 'x@y.example' }],
        },
      },
      400,
      'ErrorInvalidRequest',
    ],
  ])('refuses %s', async (_what, body, status, code) => {
    emulator.mail.reset();
    const answer = await post(`/users/${MAILBOX}/sendMail`, body);
    expect(answer.status).toBe(status);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(emulator.mail.sent).toEqual([]);
  });

  it('sendActivityNotification: 204 for a user of the tenant, refused across tenants, topic.webUrl required with text', async () => {
    emulator.mail.reset();
    const body = {
      topic: { source: 'text', value: 'Plan', webUrl: 'https://teams.microsoft.com/l/entity/x' },
      activityType: 'systemDefault',
      previewText: { content: 'Stalled' },
      templateParameters: [{ name: 'systemDefaultText', value: 'Stalled' }],
    };
    expect(
      (await post('/users/priya.raman@vendor.example/teamwork/sendActivityNotification', body)).status,
    ).toBe(204);
    expect((await post('/users/sofia@contoso.example/teamwork/sendActivityNotification', body)).status).toBe(
      403,
    );
    const { webUrl: _w, ...topic } = body.topic;
    expect(
      (await post('/users/priya.raman@vendor.example/teamwork/sendActivityNotification', { ...body, topic }))
        .status,
    ).toBe(400);
    expect(emulator.mail.activities.length).toBe(1);
  });
});

describe('GraphMailGateway beyond the contract', () => {
  it('sends the documented sendMail body from the configured mailbox, 202 without a body', async () => {
    const { gateway, db } = openGateway();
    try {
      await gateway.send(mail('body-1', { cc: [{ address: 'lukas.brandt@vendor.example', name: 'Lukas' }] }));
      const [sent] = emulator.mail.sent;
      expect(sent?.mailbox).toBe(MAILBOX);
      expect(sent?.saveToSentItems).toBe(true);
      expect(sent?.message).toEqual({
        subject: 'Stalled co-sell plan (body-1)',
        body: {
          contentType: 'HTML',
          content: '<p>The plan has stalled since <strong>Nov 12, 2026</strong>.</p>',
        },
        toRecipients: [{ emailAddress: { address: 'priya.raman@vendor.example', name: 'Priya Raman' } }],
        ccRecipients: [{ emailAddress: { address: 'lukas.brandt@vendor.example', name: 'Lukas' } }],
        internetMessageHeaders: [{ name: 'X-CoSell-Key', value: 'body-1' }],
      });
      expect(emulator.stats.byEndpoint['POST users/co-sell@vendor.example/sendMail']).toBe(1);
    } finally {
      db.close();
    }
  });

  it('an answer lost after Graph accepted the mail: the rerun within the lease sends nothing more', async () => {
    const { gateway, db } = openGateway();
    try {
      emulator.queueFault({ kind: 'lost', match: (_m, p) => p.endsWith('/sendMail') });
      const error = await gateway.send(mail('lost-1')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphRequestError);
      expect(emulator.mail.sent.length).toBe(1);
      const rerun = await gateway.send(mail('lost-1'));
      expect(rerun.duplicate).toBe(true);
      expect(emulator.mail.sent.length).toBe(1);
    } finally {
      db.close();
    }
  });

  it('a lost answer with an expired lease is sent again (the documented window for a duplicate)', async () => {
    const { gateway, db } = openGateway({ leaseMs: 0 });
    try {
      emulator.queueFault({ kind: 'lost', match: (_m, p) => p.endsWith('/sendMail') });
      await gateway.send(mail('lost-2')).catch(() => undefined);
      const rerun = await gateway.send(mail('lost-2'));
      expect(rerun.duplicate).toBe(false);
      expect(emulator.mail.sent.length).toBe(2);
    } finally {
      db.close();
    }
  });

  it('an error answer sends nothing and frees the key: the rerun sends it once', async () => {
    const { gateway, db } = openGateway();
    try {
      emulator.queueFault({ kind: 'unavailable', match: (_m, p) => p.endsWith('/sendMail') });
      const error = await gateway.send(mail('err-1')).catch((e: unknown) => e);
      expect((error as GraphRequestError).status).toBe(503);
      expect(emulator.mail.sent.length).toBe(0);
      expect((await gateway.send(mail('err-1'))).duplicate).toBe(false);
      expect(emulator.mail.sent.length).toBe(1);
    } finally {
      db.close();
    }
  });

  it('a throttled sendMail is retried after Retry-After and delivered once', async () => {
    const { gateway, db } = openGateway();
    try {
      emulator.queueFault({
        kind: 'throttle',
        match: (_m, p) => p.endsWith('/sendMail'),
        retryAfterSeconds: 0,
      });
      expect((await gateway.send(mail('throttle-1'))).duplicate).toBe(false);
      expect(emulator.stats.faults.throttle).toBe(1);
      expect(emulator.mail.sent.length).toBe(1);
    } finally {
      db.close();
    }
  });

  it('an unknown mailbox is a clear error and frees the key', async () => {
    const { gateway, db } = openGateway({ mailbox: 'nobody@vendor.example' });
    try {
      const error = (await gateway.send(mail('mbx-1')).catch((e: unknown) => e)) as GraphRequestError;
      expect(error.status).toBe(404);
      expect(error.code).toBe('ErrorInvalidUser');
    } finally {
      db.close();
    }
  });

  it('activity feed: sent for vendor-tenant people when configured; never across tenants; never blocks the mail', async () => {
    const { gateway, db, lines } = openGateway({ activity: true });
    try {
      const sent = await gateway.send(
        mail('feed-1', {
          activity: [
            {
              userId: 'priya.raman@vendor.example',
              previewText: 'Northwind: stalled since Nov 12, 2026',
              webUrl: 'https://cosell.example.com/#/plans/plan-1',
            },
            {
              userId: 'sofia@contoso.example',
              previewText: 'Northwind: stalled since Nov 12, 2026',
              webUrl: 'https://cosell.example.com/#/plans/plan-1',
            },
          ],
        }),
      );
      expect(sent.activitySent).toBe(1);
      expect(emulator.mail.sent.length).toBe(1);
      expect(emulator.mail.activities.map((a) => a.userId)).toEqual(['priya.raman@vendor.example']);
      expect(emulator.mail.activities[0]?.body).toEqual({
        topic: {
          source: 'text',
          value: 'Stalled co-sell plan (feed-1)',
          webUrl: 'https://cosell.example.com/#/plans/plan-1',
        },
        activityType: 'systemDefault',
        previewText: { content: 'Northwind: stalled since Nov 12, 2026' },
        templateParameters: [{ name: 'systemDefaultText', value: 'Northwind: stalled since Nov 12, 2026' }],
      });
      expect(lines.join('\n')).toMatch(/activity feed for sofia@contoso.example failed: .*403/);
    } finally {
      db.close();
    }
  });

  it('activity feed: nothing is sent when it is not configured', async () => {
    const { gateway, db } = openGateway();
    try {
      const sent = await gateway.send(
        mail('feed-2', {
          activity: [
            { userId: 'priya.raman@vendor.example', previewText: 'x', webUrl: 'https://a.example/' },
          ],
        }),
      );
      expect(sent.activitySent).toBe(0);
      expect(emulator.mail.activities).toEqual([]);
    } finally {
      db.close();
    }
  });
});
