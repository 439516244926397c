import fs from 'node:fs';
import path from 'node:path';
import {
  type HistoryEntry,
  InvalidCursorError,
  type Plan,
  PlanExistsError,
  PlanNotFoundError,
  type PlanPage,
  type PlanQuery,
  type PlanStore,
  planIndex,
  VersionConflictError,
} from '@cosell/shared';
import Database from 'better-sqlite3';
import { MIGRATIONS, type MigrationResult, migrate } from './sqlite-migrations';

/*
 * The plan store on one SQLite file: the whole plan as JSON in `plans.doc`, plus the columns `planIndex`
 * derives for listing. Every write is one transaction (plan row, index rows, history entry). Versions are
 * the concurrency guard: an UPDATE names the version it replaces.
 */

export const MAX_PAGE_SIZE = 100;

/** How many parsed plans the read cache keeps (a plan is about 5–30 KB of JSON). */
const READ_CACHE_SIZE = 500;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Clamps a page size to 1..MAX_PAGE_SIZE (a non-number counts as 1). */
export function clampLimit(limit: number): number {
  if (Number.isNaN(limit)) return 1;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

type CursorKind = 'plans' | 'history';
const CURSOR_TAG: Record<CursorKind, string> = { plans: 'p', history: 'h' };

function encodeCursor(kind: CursorKind, seq: number): string {
  return Buffer.from(JSON.stringify({ k: CURSOR_TAG[kind], s: seq }), 'utf8').toString('base64url');
}

function decodeCursor(kind: CursorKind, cursor: string): number {
  // Node's base64url decoder skips characters it does not know; refuse them instead.
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== 'object' || value === null) throw new InvalidCursorError();
  const { k, s } = value as { k?: unknown; s?: unknown };
  if (k !== CURSOR_TAG[kind] || typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
    throw new InvalidCursorError();
  }
  if (encodeCursor(kind, s) !== cursor) throw new InvalidCursorError();
  return s;
}

interface PlanRowParams {
  id: string;
  version: number;
  doc: string;
  status: string;
  title: string;
  stallsOn: string | null;
  nextMilestoneDue: string | null;
  lastReviewedOn: string | null;
  crmDealId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface HistoryRow {
  seq: number;
  plan_id: string;
  version: number;
  kind: HistoryEntry['kind'];
  at: string;
  actor_id: string;
  actor_name: string;
  changes: string;
}

interface ListRow {
  seq: number;
  doc: string;
}

interface ListParams {
  after: number;
  limit: number;
  statuses: string;
  today: string;
  person: string | null;
  channelId: string | null;
}

type StalledFilter = 'any' | 'stalled' | 'not-stalled';

function listKey(hasStatus: boolean, stalled: StalledFilter, hasPerson: boolean, hasChannel: boolean) {
  return `${hasStatus ? 's' : '-'}${stalled}${hasPerson ? 'p' : '-'}${hasChannel ? 'c' : '-'}`;
}

/** One SELECT per filter shape, so SQLite plans each with the indexes that shape can use. */
function listSql(hasStatus: boolean, stalled: StalledFilter, hasPerson: boolean, hasChannel: boolean) {
  const where = ['p.deleted_at IS NULL', 'p.seq > @after'];
  if (hasStatus) where.push('p.status IN (SELECT value FROM json_each(@statuses))');
  if (stalled === 'stalled') where.push('p.stalls_on IS NOT NULL AND p.stalls_on <= @today');
  if (stalled === 'not-stalled') where.push('(p.stalls_on IS NULL OR p.stalls_on > @today)');
  if (hasPerson) {
    where.push('EXISTS (SELECT 1 FROM plan_people pp WHERE pp.plan_seq = p.seq AND pp.email = @person)');
  }
  if (hasChannel) {
    where.push(
      'EXISTS (SELECT 1 FROM plan_channels pc WHERE pc.plan_seq = p.seq AND pc.channel_id = @channelId)',
    );
  }
  return `SELECT p.seq, p.doc FROM plans p WHERE ${where.join(' AND ')} ORDER BY p.seq LIMIT @limit`;
}

function checkEntry(entry: HistoryEntry, planId: string, version: number, kinds: HistoryEntry['kind'][]) {
  if (entry.planId !== planId || entry.version !== version || !kinds.includes(entry.kind)) {
    throw new Error(
      `history entry (${entry.planId} v${entry.version} ${entry.kind}) does not describe this write ` +
        `(${planId} v${version} ${kinds.join('|')})`,
    );
  }
}

function prepareStatements(db: Database.Database) {
  return {
    getDoc: db.prepare<[string], string>('SELECT doc FROM plans WHERE id = ? AND deleted_at IS NULL').pluck(),
    getVersion: db
      .prepare<[string], number>('SELECT version FROM plans WHERE id = ? AND deleted_at IS NULL')
      .pluck(),
    getAny: db.prepare<[string], { doc: string; deleted_at: string | null }>(
      'SELECT doc, deleted_at FROM plans WHERE id = ?',
    ),
    insertPlan: db.prepare<[PlanRowParams], { seq: number }>(
      `INSERT INTO plans (id, version, doc, status, title, stalls_on, next_milestone_due, last_reviewed_on,
         crm_deal_id, created_at, updated_at)
       VALUES (@id, @version, @doc, @status, @title, @stallsOn, @nextMilestoneDue, @lastReviewedOn,
         @crmDealId, @createdAt, @updatedAt)
       ON CONFLICT (id) DO NOTHING
       RETURNING seq`,
    ),
    updatePlan: db.prepare<[PlanRowParams & { expectedVersion: number }], { seq: number }>(
      `UPDATE plans SET version = @version, doc = @doc, status = @status, title = @title,
         stalls_on = @stallsOn, next_milestone_due = @nextMilestoneDue, last_reviewed_on = @lastReviewedOn,
         crm_deal_id = @crmDealId, updated_at = @updatedAt
       WHERE id = @id AND version = @expectedVersion AND deleted_at IS NULL
       RETURNING seq`,
    ),
    markDeleted: db.prepare<[{ id: string; expectedVersion: number; at: string }], { seq: number }>(
      `UPDATE plans SET deleted_at = @at
       WHERE id = @id AND version = @expectedVersion AND deleted_at IS NULL
       RETURNING seq`,
    ),
    insertPerson: db.prepare<[number, string]>(
      'INSERT OR IGNORE INTO plan_people (plan_seq, email) VALUES (?, ?)',
    ),
    insertChannel: db.prepare<[number, string]>(
      'INSERT OR IGNORE INTO plan_channels (plan_seq, channel_id) VALUES (?, ?)',
    ),
    deletePeople: db.prepare<[number]>('DELETE FROM plan_people WHERE plan_seq = ?'),
    deleteChannels: db.prepare<[number]>('DELETE FROM plan_channels WHERE plan_seq = ?'),
    insertHistory: db.prepare<
      [
        {
          planId: string;
          version: number;
          kind: string;
          at: string;
          actorId: string;
          actorName: string;
          changes: string;
          doc: string | null;
        },
      ]
    >(
      `INSERT INTO plan_history (plan_id, version, kind, at, actor_id, actor_name, changes, doc)
       VALUES (@planId, @version, @kind, @at, @actorId, @actorName, @changes, @doc)`,
    ),
    history: db.prepare<[{ planId: string; before: number; limit: number }], HistoryRow>(
      `SELECT seq, plan_id, version, kind, at, actor_id, actor_name, changes FROM plan_history
       WHERE plan_id = @planId AND seq < @before ORDER BY seq DESC LIMIT @limit`,
    ),
  };
}

export class SqlitePlanStore implements PlanStore {
  readonly migrations: MigrationResult;
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<typeof prepareStatements>;
  /** Parsed plans by id, least recently parsed first. */
  private readonly readCache = new Map<string, Plan>();
  private readonly listStatements = new Map<string, Database.Statement<[ListParams], ListRow>>();
  private readonly createTx: Database.Transaction<(plan: Plan, entry: HistoryEntry) => string>;
  private readonly replaceTx: Database.Transaction<
    (plan: Plan, expectedVersion: number, entry: HistoryEntry) => string
  >;
  private readonly deleteTx: Database.Transaction<
    (id: string, expectedVersion: number, entry: HistoryEntry) => void
  >;

  constructor(db: Database.Database) {
    this.db = db;
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (typeof mode !== 'string' || (mode.toLowerCase() !== 'wal' && !db.memory)) {
      throw new Error(`could not switch ${db.name} to WAL journal mode (it is ${String(mode)})`);
    }
    // FULL: a write the store acknowledged is on disk before the call returns, even in WAL mode.
    db.pragma('synchronous = FULL');
    this.migrations = migrate(db, MIGRATIONS);

    this.stmt = prepareStatements(db);

    for (const hasStatus of [false, true]) {
      for (const stalled of ['any', 'stalled', 'not-stalled'] as const) {
        for (const hasPerson of [false, true]) {
          for (const hasChannel of [false, true]) {
            this.listStatements.set(
              listKey(hasStatus, stalled, hasPerson, hasChannel),
              db.prepare<[ListParams], ListRow>(listSql(hasStatus, stalled, hasPerson, hasChannel)),
            );
          }
        }
      }
    }

    this.createTx = db.transaction((plan: Plan, entry: HistoryEntry): string => {
      const doc = JSON.stringify(plan);
      const row = this.stmt.insertPlan.get(this.rowParams(plan, doc));
      if (!row) throw new PlanExistsError(plan.id);
      this.writeIndexRows(row.seq, plan);
      this.appendHistory(entry, doc);
      return doc;
    });

    this.replaceTx = db.transaction((plan: Plan, expectedVersion: number, entry: HistoryEntry): string => {
      const doc = JSON.stringify(plan);
      const row = this.stmt.updatePlan.get({ ...this.rowParams(plan, doc), expectedVersion });
      if (!row) throw this.whyNotWritten(plan.id);
      this.stmt.deletePeople.run(row.seq);
      this.stmt.deleteChannels.run(row.seq);
      this.writeIndexRows(row.seq, plan);
      this.appendHistory(entry, doc);
      return doc;
    });

    this.deleteTx = db.transaction((id: string, expectedVersion: number, entry: HistoryEntry): void => {
      const row = this.stmt.markDeleted.get({ id, expectedVersion, at: entry.at });
      if (!row) throw this.whyNotWritten(id);
      this.stmt.deletePeople.run(row.seq);
      this.stmt.deleteChannels.run(row.seq);
      this.appendHistory(entry, null);
    });
  }

  async create(plan: Plan, entry: HistoryEntry): Promise<Plan> {
    if (plan.version !== 1) throw new Error(`a new plan is at version 1, not ${plan.version}`);
    checkEntry(entry, plan.id, 1, ['create']);
    return JSON.parse(this.createTx.immediate(plan, entry)) as Plan;
  }

  /**
   * Reads are the hot path (every tab open, every poll): a plan already parsed at the version the database
   * holds is answered from memory. The version is read from the database on every call, so a write by
   * another process is seen at once. Cached plans are frozen: nobody can change what another reader holds.
   */
  async get(id: string): Promise<Plan | undefined> {
    const version = this.stmt.getVersion.get(id);
    if (version === undefined) {
      this.readCache.delete(id);
      return undefined;
    }
    const cached = this.readCache.get(id);
    if (cached?.version === version) return cached;
    const doc = this.stmt.getDoc.get(id);
    if (doc === undefined) return undefined;
    const plan = deepFreeze(JSON.parse(doc) as Plan);
    this.readCache.delete(id);
    this.readCache.set(id, plan);
    if (this.readCache.size > READ_CACHE_SIZE) {
      const oldest = this.readCache.keys().next().value;
      if (oldest !== undefined) this.readCache.delete(oldest);
    }
    return plan;
  }

  async replace(plan: Plan, expectedVersion: number, entry: HistoryEntry): Promise<Plan> {
    if (plan.version !== expectedVersion + 1) {
      throw new Error(
        `replacing version ${expectedVersion} needs a plan at version ${expectedVersion + 1}, not ${plan.version}`,
      );
    }
    checkEntry(entry, plan.id, plan.version, ['replace', 'operations']);
    return JSON.parse(this.replaceTx.immediate(plan, expectedVersion, entry)) as Plan;
  }

  async delete(id: string, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    checkEntry(entry, id, expectedVersion, ['delete']);
    this.deleteTx.immediate(id, expectedVersion, entry);
  }

  async list(query: PlanQuery): Promise<PlanPage> {
    const after = query.cursor === undefined ? 0 : decodeCursor('plans', query.cursor);
    const limit = clampLimit(query.limit);
    const hasStatus = query.status !== undefined;
    const stalled: StalledFilter =
      query.stalled === undefined ? 'any' : query.stalled ? 'stalled' : 'not-stalled';
    const person = query.person === undefined ? null : query.person.trim().toLowerCase();
    const channelId = query.channelId ?? null;
    const statement = this.listStatements.get(
      listKey(hasStatus, stalled, person !== null, channelId !== null),
    );
    if (!statement) throw new Error('no list statement for this filter (a bug in SqlitePlanStore)');
    const rows = statement.all({
      after,
      limit: limit + 1,
      statuses: JSON.stringify(query.status ?? []),
      today: query.today,
      person,
      channelId,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => JSON.parse(r.doc) as Plan),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor('plans', last.seq) } : {}),
    };
  }

  async history(
    id: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: HistoryEntry[]; nextCursor?: string }> {
    const before =
      options.cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor('history', options.cursor);
    const limit = clampLimit(options.limit);
    const rows = this.stmt.history.all({ planId: id, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(
        (r): HistoryEntry => ({
          planId: r.plan_id,
          version: r.version,
          kind: r.kind,
          at: r.at,
          actor: { id: r.actor_id, displayName: r.actor_name },
          changes: JSON.parse(r.changes) as string[],
        }),
      ),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor('history', last.seq) } : {}),
    };
  }

  /** A connection setting, for diagnostics and tests (`journal_mode`, `synchronous`, `user_version`…). */
  pragma(name: string): unknown {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`not a pragma name: ${name}`);
    return this.db.pragma(name, { simple: true });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private rowParams(plan: Plan, doc: string): PlanRowParams {
    const index = planIndex(plan);
    return {
      id: plan.id,
      version: plan.version,
      doc,
      status: index.status,
      title: index.title,
      stallsOn: index.stallsOn,
      nextMilestoneDue: index.nextMilestoneDue,
      lastReviewedOn: index.lastReviewedOn,
      crmDealId: index.crmDealId,
      createdAt: plan.createdAt,
      updatedAt: plan.updatedAt,
    };
  }

  private writeIndexRows(seq: number, plan: Plan): void {
    const index = planIndex(plan);
    for (const email of index.emails) this.stmt.insertPerson.run(seq, email);
    for (const channelId of index.channelIds) this.stmt.insertChannel.run(seq, channelId);
  }

  private appendHistory(entry: HistoryEntry, doc: string | null): void {
    this.stmt.insertHistory.run({
      planId: entry.planId,
      version: entry.version,
      kind: entry.kind,
      at: entry.at,
      actorId: entry.actor.id,
      actorName: entry.actor.displayName,
      changes: JSON.stringify(entry.changes),
      doc,
    });
  }

  /** Inside a write transaction whose UPDATE matched no row: says why. */
  private whyNotWritten(id: string): PlanNotFoundError | VersionConflictError {
    const current = this.stmt.getAny.get(id);
    if (!current || current.deleted_at !== null) return new PlanNotFoundError(id);
    return new VersionConflictError(JSON.parse(current.doc) as Plan);
  }
}

/** Opens (creating when missing) the SQLite plan store at `file`, migrating its schema to this version. */
export function openSqlitePlanStore(options: { file: string }): SqlitePlanStore {
  fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  try {
    return new SqlitePlanStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}
