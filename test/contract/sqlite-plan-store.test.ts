import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  contentOf,
  demoPlan,
  type HistoryEntry,
  InvalidCursorError,
  newPlan,
  nextVersion,
  type Plan,
  VersionConflictError,
} from '@cosell/shared';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  type Migration,
  migrate,
  SchemaTooNewError,
} from '../../functions/src/adapters/sqlite-migrations';
import { openSqlitePlanStore, type SqlitePlanStore } from '../../functions/src/adapters/sqlite-plan-store';
import { describePlanStoreContract } from './plan-store-contract';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-sqlite-'));
}

describePlanStoreContract('SqlitePlanStore', async () => {
  const dir = tempDir();
  const store = openSqlitePlanStore({ file: path.join(dir, 'plans.db') });
  return {
    store,
    cleanup: async () => {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

const TODAY = '2026-10-18';
const NOW = new Date(`${TODAY}T09:00:00.000Z`);
const ACTOR = { id: 'alice@vendor.example', displayName: 'Alice Example' };

function makePlan(id: string): Plan {
  return newPlan(id, demoPlan(TODAY), { now: NOW, today: TODAY, actor: ACTOR });
}

function retitled(plan: Plan, title: string): Plan {
  return nextVersion(plan, { ...contentOf(plan), title }, { now: NOW, today: TODAY, actor: ACTOR });
}

function entryFor(plan: Plan, kind: HistoryEntry['kind']): HistoryEntry {
  return { planId: plan.id, version: plan.version, kind, at: plan.updatedAt, actor: ACTOR, changes: [kind] };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('SqlitePlanStore on disk', () => {
  const dirs: string[] = [];
  const open: SqlitePlanStore[] = [];

  function fresh(): { dir: string; file: string } {
    const dir = tempDir();
    dirs.push(dir);
    return { dir, file: path.join(dir, 'plans.db') };
  }

  function openStore(file: string): SqlitePlanStore {
    const store = openSqlitePlanStore({ file });
    open.push(store);
    return store;
  }

  afterEach(() => {
    for (const store of open.splice(0)) store.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('durability', () => {
    it('plans, lists and history survive close and reopen', async () => {
      const { file } = fresh();
      const first = openStore(file);
      const kept = makePlan('kept');
      await first.create(kept, entryFor(kept, 'create'));
      const kept2 = retitled(kept, 'Kept, renamed');
      await first.replace(kept2, 1, entryFor(kept2, 'replace'));
      const gone = makePlan('gone');
      await first.create(gone, entryFor(gone, 'create'));
      await first.delete('gone', 1, entryFor(gone, 'delete'));
      first.close();

      const second = openStore(file);
      expect(await second.get('kept')).toEqual(kept2);
      expect(await second.get('gone')).toBeUndefined();
      expect((await second.list({ today: TODAY, limit: 10 })).items).toEqual([kept2]);
      expect((await second.history('kept', { limit: 10 })).items).toEqual([
        entryFor(kept2, 'replace'),
        entryFor(kept, 'create'),
      ]);
      expect((await second.history('gone', { limit: 10 })).items.map((e) => e.kind)).toEqual([
        'delete',
        'create',
      ]);
    });

    it('a write acknowledged to a process survives a SIGKILL of that process', async () => {
      const { dir, file } = fresh();
      const script = path.join(dir, 'writer.cjs');
      // The child runs the real adapter, bundled (Node 20 cannot run TypeScript); better-sqlite3 stays native.
      await build({
        stdin: {
          contents: `
            import { demoPlan, newPlan } from '@cosell/shared';
            import { openSqlitePlanStore } from '../../functions/src/adapters/sqlite-plan-store';
            const actor = { id: 'writer', displayName: 'Writer' };
            const now = new Date('${NOW.toISOString()}');
            const store = openSqlitePlanStore({ file: process.argv[2] });
            const plan = newPlan('survivor', demoPlan('${TODAY}'), { now, today: '${TODAY}', actor });
            store
              .create(plan, { planId: plan.id, version: 1, kind: 'create', at: plan.createdAt, actor, changes: [] })
              .then(() => {
                process.stdout.write('acknowledged\\n');
                setInterval(() => {}, 1000);
              });
          `,
          resolveDir: here,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['better-sqlite3'],
        outfile: script,
        logLevel: 'silent',
      });
      const child = spawn(process.execPath, [script, file], {
        env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('acknowledged')) resolve();
          });
          child.on('exit', (code) =>
            reject(new Error(`writer exited (${code}) before acknowledging: ${stderr}`)),
          );
        });
      } finally {
        // Killed right after the acknowledgement, or on failure so no writer outlives the test.
        child.kill('SIGKILL');
      }
      expect(await exited).toBe('SIGKILL');

      const reopened = openStore(file);
      expect((await reopened.get('survivor'))?.id).toBe('survivor');
      expect((await reopened.history('survivor', { limit: 10 })).items).toHaveLength(1);
    });
  });

  describe('connection settings', () => {
    it('uses WAL, synchronous FULL, a 5 s busy timeout and enforced foreign keys', () => {
      const store = openStore(fresh().file);
      expect(store.pragma('journal_mode')).toBe('wal');
      expect(store.pragma('synchronous')).toBe(2);
      expect(store.pragma('busy_timeout')).toBe(5000);
      expect(store.pragma('foreign_keys')).toBe(1);
    });

    it('the WAL mode is written to the file: another connection sees it', () => {
      const { file } = fresh();
      openStore(file).close();
      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        raw.close();
      }
    });

    it('creates the missing parent directories of the database file', async () => {
      const { dir } = fresh();
      const file = path.join(dir, 'not', 'yet', 'there', 'plans.db');
      const store = openStore(file);
      const plan = makePlan('nested');
      await store.create(plan, entryFor(plan, 'create'));
      expect(fs.existsSync(file)).toBe(true);
    });
  });

  describe('migrations', () => {
    it('a new database is migrated to the latest version and user_version records it', () => {
      const store = openStore(fresh().file);
      expect(MIGRATIONS.length).toBeGreaterThan(0);
      expect(store.pragma('user_version')).toBe(MIGRATIONS.length);
      expect(store.migrations).toEqual({
        from: 0,
        to: MIGRATIONS.length,
        applied: MIGRATIONS.map((m) => m.version),
      });
    });

    it('reopening an up-to-date database applies nothing', () => {
      const { file } = fresh();
      openStore(file).close();
      const again = openStore(file);
      expect(again.migrations).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length, applied: [] });
    });

    it('runs each pending migration once, in order, across reopenings', () => {
      const { file } = fresh();
      const runs: number[] = [];
      const counted = (version: number): Migration => ({
        version,
        name: `table t${version}`,
        up(db) {
          runs.push(version);
          db.exec(`CREATE TABLE t${version} (x INTEGER)`);
        },
      });
      const db = new Database(file);
      try {
        expect(migrate(db, [counted(1)]).applied).toEqual([1]);
        expect(migrate(db, [counted(1)]).applied).toEqual([]);
        expect(migrate(db, [counted(1), counted(2), counted(3)])).toEqual({
          from: 1,
          to: 3,
          applied: [2, 3],
        });
        expect(runs).toEqual([1, 2, 3]);
        expect(db.pragma('user_version', { simple: true })).toBe(3);
      } finally {
        db.close();
      }
    });

    it('a failing migration rolls back whole and leaves user_version at the last good one', () => {
      const { file } = fresh();
      const db = new Database(file);
      try {
        const failing: Migration[] = [
          { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER)') },
          {
            version: 2,
            name: 'breaks half-way',
            up(d) {
              d.exec('CREATE TABLE b (x INTEGER)');
              throw new Error('boom');
            },
          },
        ];
        expect(() => migrate(db, failing)).toThrow('boom');
        expect(db.pragma('user_version', { simple: true })).toBe(1);
        const tables = db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          .pluck()
          .all();
        expect(tables).toEqual(['a']);
      } finally {
        db.close();
      }
    });

    it('refuses migrations that are not numbered 1, 2, 3… in order', () => {
      const db = new Database(':memory:');
      try {
        const skip: Migration[] = [
          { version: 1, name: 'one', up: () => {} },
          { version: 3, name: 'three', up: () => {} },
        ];
        expect(() => migrate(db, skip)).toThrow(/version 3 at position 2/);
        expect(db.pragma('user_version', { simple: true })).toBe(0);
      } finally {
        db.close();
      }
    });

    it('refuses a database from newer code with a clear message, and leaves it untouched', () => {
      const { file } = fresh();
      const newer = MIGRATIONS.length + 1;
      const raw = new Database(file);
      raw.pragma(`user_version = ${newer}`);
      raw.close();

      let error: unknown;
      try {
        openStore(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SchemaTooNewError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(
        new RegExp(`schema version ${newer}, newer than this code knows \\(up to ${MIGRATIONS.length}\\)`),
      );

      const after = new Database(file, { readonly: true });
      try {
        expect(after.pragma('user_version', { simple: true })).toBe(newer);
        expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(
          0,
        );
      } finally {
        after.close();
      }
    });
  });

  describe('cursors and limits', () => {
    it('a malformed list cursor raises InvalidCursorError', async () => {
      const store = openStore(fresh().file);
      const plan = makePlan('one');
      await store.create(plan, entryFor(plan, 'create'));
      const history = Buffer.from(JSON.stringify({ k: 'h', s: 1 })).toString('base64url');
      for (const cursor of ['not a cursor!', 'abc', 'e30', history, `${history}=`]) {
        const error = await rejection(store.list({ today: TODAY, limit: 10, cursor }));
        expect(error, cursor).toBeInstanceOf(InvalidCursorError);
        expect((error as Error).name, cursor).toBe('InvalidCursorError');
      }
    });

    it('a malformed history cursor, or a list cursor given to history, raises InvalidCursorError', async () => {
      const store = openStore(fresh().file);
      for (const id of ['a', 'b']) {
        const plan = makePlan(id);
        await store.create(plan, entryFor(plan, 'create'));
      }
      const page = await store.list({ today: TODAY, limit: 1 });
      expect(page.nextCursor).toEqual(expect.any(String));
      for (const cursor of ['%%%', 'eyJrIjoiaCIsInMiOi0xfQ', page.nextCursor ?? '']) {
        const error = await rejection(store.history('a', { limit: 10, cursor }));
        expect(error, cursor).toBeInstanceOf(InvalidCursorError);
      }
    });

    it('clamps the page size to 1..100', async () => {
      const store = openStore(fresh().file);
      for (let i = 0; i < 105; i++) {
        const plan = makePlan(`p${i}`);
        await store.create(plan, entryFor(plan, 'create'));
      }
      const big = await store.list({ today: TODAY, limit: 1000 });
      expect(big.items).toHaveLength(100);
      expect(big.nextCursor).toEqual(expect.any(String));
      for (const limit of [0, -5, Number.NaN]) {
        const small = await store.list({ today: TODAY, limit });
        expect(small.items, String(limit)).toHaveLength(1);
        expect(small.nextCursor).toEqual(expect.any(String));
      }
    });

    it('history of an id never created is empty', async () => {
      const store = openStore(fresh().file);
      expect(await store.history('nobody', { limit: 10 })).toEqual({ items: [] });
    });
  });

  describe('writes', () => {
    it('keeps a snapshot of the plan at every version in the history table, none for the delete', async () => {
      const { file } = fresh();
      const store = openStore(file);
      const v1 = makePlan('snap');
      await store.create(v1, entryFor(v1, 'create'));
      const v2 = retitled(v1, 'Snapshot two');
      await store.replace(v2, 1, entryFor(v2, 'replace'));
      await store.delete('snap', 2, entryFor(v2, 'delete'));
      const raw = new Database(file, { readonly: true });
      try {
        const rows = raw
          .prepare<[], { kind: string; doc: string | null }>(
            "SELECT kind, doc FROM plan_history WHERE plan_id = 'snap' ORDER BY seq",
          )
          .all();
        expect(rows.map((r) => r.kind)).toEqual(['create', 'replace', 'delete']);
        expect(rows.map((r) => (r.doc === null ? null : (JSON.parse(r.doc) as Plan)))).toEqual([
          v1,
          v2,
          null,
        ]);
        const indexRows = raw
          .prepare(
            "SELECT (SELECT count(*) FROM plan_people pp JOIN plans p ON p.seq = pp.plan_seq WHERE p.id = 'snap') + (SELECT count(*) FROM plan_channels pc JOIN plans p ON p.seq = pc.plan_seq WHERE p.id = 'snap')",
          )
          .pluck()
          .get();
        expect(indexRows).toBe(0);
      } finally {
        raw.close();
      }
    });

    it('refuses a replace whose plan version is not expectedVersion + 1 as a programming error', async () => {
      const store = openStore(fresh().file);
      const v1 = makePlan('wrong');
      await store.create(v1, entryFor(v1, 'create'));
      const v2 = retitled(v1, 'Version two');
      const error = await rejection(store.replace(v2, 2, entryFor(v2, 'replace')));
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(VersionConflictError);
      expect((error as Error).message).toMatch(/version 3, not 2/);
      expect(await store.get('wrong')).toEqual(v1);
    });

    it('refuses a history entry that does not describe the write', async () => {
      const store = openStore(fresh().file);
      const v1 = makePlan('mismatch');
      const error = await rejection(store.create(v1, { ...entryFor(v1, 'create'), planId: 'other' }));
      expect((error as Error).message).toMatch(/does not describe this write/);
      expect(await store.get('mismatch')).toBeUndefined();
    });

    it('two connections to one file: the second writer from the same version gets VersionConflictError', async () => {
      const { file } = fresh();
      const a = openStore(file);
      const b = openStore(file);
      const v1 = makePlan('shared');
      await a.create(v1, entryFor(v1, 'create'));
      const fromB = await b.get('shared');
      expect(fromB).toEqual(v1);
      const byA = retitled(v1, 'Written by A');
      const byB = retitled(v1, 'Written by B');
      await a.replace(byA, 1, entryFor(byA, 'replace'));
      const error = await rejection(b.replace(byB, 1, entryFor(byB, 'replace')));
      expect(error).toBeInstanceOf(VersionConflictError);
      expect((error as VersionConflictError).current).toEqual(byA);
      expect(await b.get('shared')).toEqual(byA);
    });
  });
});
