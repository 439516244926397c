import fs from 'node:fs';
import path from 'node:path';
import { demoPlan, type Plan } from '@cosell/shared';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqlitePlanStore } from '../../functions/src/adapters/sqlite-plan-store';
import { startChildHost } from '../support/child-host';

/*
 * A writer process killed with SIGKILL in the middle of writing leaves a database that opens, passes
 * SQLite's integrity check, and holds every write the API acknowledged before the kill.
 */

describe('durability across SIGKILL', () => {
  it('keeps every acknowledged write when the writer is killed mid-write', async () => {
    const host = await startChildHost();
    const acked = new Map<string, number>();
    let stop = false;
    let inFlightAtKill = 0;
    let inFlight = 0;

    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = `crash-${w}-${i}`;
        inFlight++;
        try {
          const created = await fetch(`${host.url}/api/plans`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...demoPlan('2026-11-27'), id, title: `Crash test ${w}-${i}` }),
          });
          if (created.status !== 201) throw new Error(`create answered ${created.status}`);
          acked.set(id, 1);
          const updated = await fetch(`${host.url}/api/plans/${id}/operations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ operations: [{ op: 'complete-action', actionId: 'act-integration' }] }),
          });
          if (updated.status === 200) acked.set(id, ((await updated.json()) as { plan: Plan }).plan.version);
        } catch {
          // The connection died with the server: this write was never acknowledged.
          return;
        } finally {
          inFlight--;
        }
      }
    };

    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acked.size < 120) await new Promise((resolve) => setTimeout(resolve, 5));
    inFlightAtKill = inFlight;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      host.process.once('exit', (_code, signal) => resolve(signal)),
    );
    host.process.kill('SIGKILL');
    stop = true;
    expect(await exited).toBe('SIGKILL');
    await Promise.all(writers);
    expect(inFlightAtKill).toBeGreaterThan(0);

    const file = path.join(host.dataDir, 'co-sell-plans.sqlite');
    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const store = openSqlitePlanStore({ file });
    try {
      let checked = 0;
      for (const [id, version] of acked) {
        const plan = await store.get(id);
        expect(plan, `acknowledged plan ${id} is missing`).toBeDefined();
        expect(plan?.version ?? 0).toBeGreaterThanOrEqual(version);
        if (version >= 2) expect(plan?.actions.find((a) => a.id === 'act-integration')?.status).toBe('done');
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(120);
    } finally {
      store.close();
      fs.rmSync(host.dataDir, { recursive: true, force: true });
    }
  });
});
