import type Database from 'better-sqlite3';

/*
 * Versioned schema migrations for the SQLite plan store. The schema version lives in the database file
 * (`PRAGMA user_version`); each migration runs in its own transaction together with the version bump, so a
 * crash mid-way leaves the database at the previous version, never half-migrated.
 *
 * Rules: append only. Never edit or reorder a migration that has shipped; add a new one instead.
 * Migrations use plain `CREATE` (no `IF NOT EXISTS`) so a migration that ran twice fails loudly.
 */

export interface Migration {
  /** 1, 2, 3…: the `user_version` the database is at once this migration ran. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'plans, their index rows and history',
    up(db) {
      db.exec(`
        CREATE TABLE plans (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          version INTEGER NOT NULL,
          doc TEXT NOT NULL,
          status TEXT NOT NULL,
          title TEXT NOT NULL,
          stalls_on TEXT,
          next_milestone_due TEXT,
          last_reviewed_on TEXT,
          crm_deal_id TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          deleted_at TEXT
        );
        CREATE INDEX plans_status ON plans (status);
        CREATE INDEX plans_stalls_on ON plans (stalls_on);

        CREATE TABLE plan_people (
          plan_seq INTEGER NOT NULL REFERENCES plans (seq),
          email TEXT NOT NULL,
          PRIMARY KEY (plan_seq, email)
        ) WITHOUT ROWID;
        CREATE INDEX plan_people_email ON plan_people (email);

        CREATE TABLE plan_channels (
          plan_seq INTEGER NOT NULL REFERENCES plans (seq),
          channel_id TEXT NOT NULL,
          PRIMARY KEY (plan_seq, channel_id)
        ) WITHOUT ROWID;
        CREATE INDEX plan_channels_channel_id ON plan_channels (channel_id);

        CREATE TABLE plan_history (
          seq INTEGER PRIMARY KEY,
          plan_id TEXT NOT NULL REFERENCES plans (id),
          version INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('create', 'replace', 'operations', 'delete')),
          at TEXT NOT NULL,
          actor_id TEXT NOT NULL,
          actor_name TEXT NOT NULL,
          changes TEXT NOT NULL,
          doc TEXT
        );
        CREATE INDEX plan_history_plan ON plan_history (plan_id, seq);
      `);
    },
  },
];

export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database ${file} is at schema version ${found}, newer than this code knows (up to ${known}); ` +
        'refusing to open it: run a newer release of the code, or restore a backup made for this version',
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface MigrationResult {
  /** The schema version before. */
  from: number;
  /** The schema version now. */
  to: number;
  /** Versions of the migrations this call ran, in order; empty when the database was up to date. */
  applied: number[];
}

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `migration "${m.name}" has version ${m.version} at position ${i + 1}: versions must be 1, 2, 3… in order`,
      );
    }
  });
}

/**
 * Applies the migrations the database has not run yet, each in its own `BEGIN IMMEDIATE` transaction with
 * its `user_version` bump. Throws `SchemaTooNewError` (and changes nothing) when the database is at a
 * version newer than the last migration. Safe when two processes open the same file at once: the version is
 * re-read inside the write lock, so a migration another process just ran is skipped.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  checkOrder(migrations);
  const known = migrations.length;
  const from = userVersion(db);
  if (from > known) throw new SchemaTooNewError(db.name, from, known);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const step = db.transaction(() => {
      const current = userVersion(db);
      if (current > known) throw new SchemaTooNewError(db.name, current, known);
      if (current >= migration.version) return;
      if (current !== migration.version - 1) {
        throw new Error(`cannot apply migration ${migration.version} to a database at version ${current}`);
      }
      migration.up(db);
      // An integer we produced, not user input: safe to interpolate (PRAGMA takes no bound parameters).
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    });
    step.immediate();
  }
  return { from, to: userVersion(db), applied };
}
