import fs from 'node:fs';
import path from 'node:path';
import {
  type Clock,
  checkOutgoingMail,
  InvalidCursorError,
  type MailGateway,
  type MailLedger,
  type MailPage,
  type OutgoingMail,
  type SentMail,
  type StoredMail,
} from '@cosell/shared';
import Database from 'better-sqlite3';

/*
 * The embedded outbox (issue 8: "in embedded mode notifications go to an outbox that the tab shows") and
 * the mail ledger of the Graph adapter, on one SQLite file beside the plan store. The idempotency key is
 * a UNIQUE column: a second send with the same key — a rerun, another process on the same file — inserts
 * nothing and answers the first send.
 */

export const OUTBOX_MAX_PAGE = 100;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL,
    category TEXT NOT NULL,
    plan_id TEXT,
    sent_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS outbox_plan ON outbox (plan_id, seq);
  CREATE TABLE IF NOT EXISTS mail_ledger (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
    claimed_at INTEGER NOT NULL,
    sent TEXT
  );
`;

export interface NotificationsDb {
  /** The database, opened (and created when needed) on first use, not when the app starts. */
  readonly db: Database.Database;
  close(): void;
}

function open(file: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  return db;
}

/**
 * The notifications database file. It is opened on first use: an app whose folder is read-only (Azure's
 * run-from-package) still starts, and an instance that never sends mail never touches the disk.
 */
export function openNotificationsDb(file: string): NotificationsDb {
  let db: Database.Database | undefined;
  let closed = false;
  return {
    get db() {
      if (closed) throw new Error('the notifications database is closed');
      db ??= open(file);
      return db;
    },
    close: () => {
      closed = true;
      db?.close();
    },
  };
}

function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ o: seq }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) throw new InvalidCursorError();
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o > 0) return value.o;
  } catch {
    // falls through
  }
  throw new InvalidCursorError();
}

interface OutboxRow {
  seq: number;
  key: string;
  id: string;
  sent_at: string;
  doc: string;
}

export class EmbeddedOutbox implements MailGateway {
  readonly kind = 'outbox' as const;
  constructor(
    private readonly database: NotificationsDb,
    private readonly deps: { clock: Clock; newId: () => string },
  ) {}

  async send(message: OutgoingMail): Promise<SentMail> {
    checkOutgoingMail(message);
    const id = `outbox-${this.deps.newId()}`;
    const sentAt = this.deps.clock.now().toISOString();
    const stored: StoredMail = {
      ...message,
      id,
      sentAt,
      activity: message.activity ?? [],
    };
    const db = this.database.db;
    const result = db
      .prepare(
        'INSERT INTO outbox (key, id, category, plan_id, sent_at, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
      )
      .run(
        message.idempotencyKey,
        id,
        message.category,
        message.planId ?? null,
        sentAt,
        JSON.stringify(stored),
      );
    if (result.changes === 1) {
      return { idempotencyKey: message.idempotencyKey, id, sentAt, duplicate: false, activitySent: 0 };
    }
    const first = db
      .prepare('SELECT seq, key, id, sent_at, doc FROM outbox WHERE key = ?')
      .get(message.idempotencyKey) as OutboxRow | undefined;
    if (!first) throw new Error(`outbox: key ${message.idempotencyKey} neither inserted nor found`);
    return {
      idempotencyKey: first.key,
      id: first.id,
      sentAt: first.sent_at,
      duplicate: true,
      activitySent: 0,
    };
  }

  async list(options: { limit: number; cursor?: string; planId?: string }): Promise<MailPage> {
    const limit = Math.min(OUTBOX_MAX_PAGE, Math.max(1, Math.trunc(options.limit) || 1));
    const before = options.cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(options.cursor);
    const rows = (
      options.planId === undefined
        ? this.database.db
            .prepare('SELECT seq, key, id, sent_at, doc FROM outbox WHERE seq < ? ORDER BY seq DESC LIMIT ?')
            .all(before, limit + 1)
        : this.database.db
            .prepare(
              'SELECT seq, key, id, sent_at, doc FROM outbox WHERE plan_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
            )
            .all(options.planId, before, limit + 1)
    ) as OutboxRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(r.doc) as StoredMail),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.seq) } : {}),
    };
  }
}

interface LedgerRow {
  key: string;
  state: 'sending' | 'sent';
  claimed_at: number;
  sent: string | null;
}

/** The keys Graph `sendMail` was called with, on the notifications database. */
export class SqliteMailLedger implements MailLedger {
  constructor(private readonly database: NotificationsDb) {}

  async claim(
    key: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ state: 'claimed' } | { state: 'sent'; sent: SentMail } | { state: 'busy' }> {
    const db = this.database.db;
    const run = db.transaction(() => {
      const row = db.prepare('SELECT key, state, claimed_at, sent FROM mail_ledger WHERE key = ?').get(key) as
        | LedgerRow
        | undefined;
      if (!row) {
        db.prepare("INSERT INTO mail_ledger (key, state, claimed_at) VALUES (?, 'sending', ?)").run(
          key,
          now.getTime(),
        );
        return { state: 'claimed' as const };
      }
      if (row.state === 'sent' && row.sent)
        return { state: 'sent' as const, sent: JSON.parse(row.sent) as SentMail };
      if (now.getTime() - row.claimed_at < leaseMs) return { state: 'busy' as const };
      db.prepare('UPDATE mail_ledger SET claimed_at = ? WHERE key = ?').run(now.getTime(), key);
      return { state: 'claimed' as const };
    });
    return run.immediate();
  }

  async complete(key: string, sent: SentMail): Promise<void> {
    this.database.db
      .prepare("UPDATE mail_ledger SET state = 'sent', sent = ? WHERE key = ?")
      .run(JSON.stringify(sent), key);
  }

  async release(key: string): Promise<void> {
    this.database.db.prepare("DELETE FROM mail_ledger WHERE key = ? AND state = 'sending'").run(key);
  }
}
