import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoredMail } from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { EmbeddedOutbox, openNotificationsDb } from '../../functions/src/adapters/embedded-outbox';
import { describeMailGatewayContract, mail } from './mail-gateway-contract';

/* The MailGateway contract against the embedded outbox, on a real SQLite file. */

const clock = { now: () => new Date('2026-11-27T06:00:00.000Z') };

function delivered(items: StoredMail[]) {
  return [...items].reverse().map((m) => ({
    key: m.idempotencyKey,
    to: m.to.map((r) => r.address),
    cc: (m.cc ?? []).map((r) => r.address),
    subject: m.subject,
    contentType: m.html ? ('html' as const) : ('text' as const),
    content: m.html ?? m.text,
  }));
}

function openOutbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-outbox-'));
  const file = path.join(dir, 'notifications.sqlite');
  const db = openNotificationsDb(file);
  return { dir, file, db, outbox: new EmbeddedOutbox(db, { clock, newId: () => randomUUID() }) };
}

describeMailGatewayContract('EmbeddedOutbox (SQLite)', async () => {
  const { dir, db, outbox } = openOutbox();
  return {
    gateway: outbox,
    delivered: async () => delivered((await outbox.list({ limit: 100 })).items),
    cleanup: async () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedOutbox beyond the contract', () => {
  it('two processes on one file (two connections) still deliver a key once', async () => {
    const { dir, file, db, outbox } = openOutbox();
    const other = openNotificationsDb(file);
    try {
      const second = new EmbeddedOutbox(other, { clock, newId: () => randomUUID() });
      const [a, b] = await Promise.all([outbox.send(mail('same')), second.send(mail('same'))]);
      expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
      expect(a.id).toBe(b.id);
      expect((await outbox.list({ limit: 10 })).items.length).toBe(1);
    } finally {
      other.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps what it sent across a reopen, pages newest first, and filters by plan', async () => {
    const { dir, file, db, outbox } = openOutbox();
    try {
      for (let i = 1; i <= 5; i++) await outbox.send(mail(`k-${i}`, { planId: i % 2 ? 'odd' : 'even' }));
      db.close();
      const reopened = new EmbeddedOutbox(openNotificationsDb(file), { clock, newId: () => randomUUID() });
      const first = await reopened.list({ limit: 2 });
      expect(first.items.map((m) => m.idempotencyKey)).toEqual(['k-5', 'k-4']);
      const second = await reopened.list({ limit: 2, cursor: first.nextCursor ?? '' });
      expect(second.items.map((m) => m.idempotencyKey)).toEqual(['k-3', 'k-2']);
      const third = await reopened.list({ limit: 2, cursor: second.nextCursor ?? '' });
      expect(third.items.map((m) => m.idempotencyKey)).toEqual(['k-1']);
      expect(third.nextCursor).toBeUndefined();
      expect((await reopened.list({ limit: 10, planId: 'even' })).items.map((m) => m.idempotencyKey)).toEqual(
        ['k-4', 'k-2'],
      );
      await expect(reopened.list({ limit: 2, cursor: 'bogus!' })).rejects.toThrow(/cursor/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
