import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNcrontab } from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { createRoutes } from '../../functions/src/routes';
import { createTimers } from '../../functions/src/timers';

/*
 * The Azure Functions entry point registers exactly the route table the local host serves: same names,
 * routes and methods, anonymous at the Functions level (the API checks identity itself).
 */

describe('Azure Functions registration', () => {
  it('registers every route of the table as an HTTP function, and a registered handler answers', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-azure-'));
    try {
      const out = execFileSync(process.execPath, ['test/support/capture-registrations.cjs'], {
        env: { ...process.env, COSELL_DATA_DIR: dataDir, WEBSITE_INSTANCE_ID: '' },
        encoding: 'utf8',
      });
      const captured = JSON.parse(out) as {
        functions: {
          name: string;
          bindings: Record<string, { type: string; route?: string; methods?: string[]; authLevel?: string }>;
        }[];
        health: { status: number; body: { status: string } };
      };
      // The table itself, built with no services: only names, routes and methods are read.
      const table = createRoutes({} as never).map((r) => ({
        name: r.name,
        route: r.route,
        methods: Object.keys(r.methods),
      }));
      const isHttp = (f: (typeof captured.functions)[number]) =>
        Object.values(f.bindings).some((b) => b.type === 'httpTrigger');
      const registered = captured.functions.filter(isHttp).map((f) => {
        const trigger = Object.values(f.bindings).find((b) => b.type === 'httpTrigger');
        expect(trigger?.authLevel).toBe('anonymous');
        return { name: f.name, route: trigger?.route, methods: trigger?.methods };
      });
      // Every other function is a timer of the timer table (timers.ts), with its NCRONTAB schedule.
      const timers = captured.functions
        .filter((f) => !isHttp(f))
        .map((f) => {
          const trigger = Object.values(f.bindings).find((b) => b.type === 'timerTrigger') as
            | { schedule?: string }
            | undefined;
          return { name: f.name, schedule: trigger?.schedule };
        });
      expect(timers).toEqual(createTimers({} as never).map((t) => ({ name: t.name, schedule: t.schedule })));
      expect(timers.map((t) => t.name)).toContain('escalate-stalled-plans');
      for (const t of timers) expect(() => parseNcrontab(t.schedule ?? '')).not.toThrow();
      expect(registered).toEqual(table);
      expect(table.length).toBeGreaterThanOrEqual(9);
      expect(captured.health).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok', store: 'sqlite' }),
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with the local identity on Azure', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-azure-'));
    try {
      expect(() =>
        execFileSync(process.execPath, ['test/support/capture-registrations.cjs'], {
          env: { ...process.env, COSELL_DATA_DIR: dataDir, WEBSITE_INSTANCE_ID: 'abc123' },
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      ).toThrow(/local development identity/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
