import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Clock, demoPlan, type PlanContent } from '@cosell/shared';
import { type Composition, compose } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { type RunningHost, startLocalHost } from '../../functions/src/host/local-host';
import type { Authenticator } from '../../functions/src/identity/authenticator';
import { createRoutes } from '../../functions/src/routes';
import { createTimers } from '../../functions/src/timers';

/** A clock a test can move. */
export class TestClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
}

export interface TestApi {
  url: string;
  dataDir: string;
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * The real local host on a free loopback port, over a fresh embedded store. `env` adds configuration
 * (e.g. COSELL_IDENTITY=entra with ENTRA_*); `authenticator` replaces the configured one (e.g. an
 * EntraAuthenticator whose authority is a loopback key set, which the config refuses as not https).
 */
export async function startTestApi(
  options: { now?: string; env?: Record<string, string>; authenticator?: Authenticator } = {},
): Promise<TestApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-api-'));
  const clock = new TestClock(new Date(options.now ?? '2026-11-27T10:00:00Z'));
  const config = readConfig({ ...options.env, COSELL_DATA_DIR: dataDir });
  const composition = compose(config, { clock });
  const services = options.authenticator
    ? { ...composition.services, auth: options.authenticator }
    : composition.services;
  const host = await startLocalHost({
    routes: createRoutes(services),
    host: '127.0.0.1',
    port: 0,
  });
  return {
    url: host.url,
    dataDir,
    clock,
    close: async () => {
      await host.close();
      composition.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestInstance {
  host: RunningHost;
  composition: Composition;
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * One instance of the app (composition + local host, quiet log) on a free loopback port, configured by
 * `env` (COSELL_PUBLIC_URL https://cosell.example.com unless given), on a store another instance may
 * share. Its timers are not scheduled: a test runs one with `host.runTimer`, the way its schedule would.
 */
export async function startTestInstance(
  env: Record<string, string>,
  clock: TestClock,
): Promise<TestInstance> {
  const composition = compose(readConfig({ COSELL_PUBLIC_URL: 'https://cosell.example.com', ...env }), {
    clock,
    log: () => {},
  });
  const host = await startLocalHost({
    routes: createRoutes(composition.services),
    timers: createTimers(composition.services),
    scheduleTimers: false,
    host: '127.0.0.1',
    port: 0,
  });
  return {
    host,
    composition,
    clock,
    close: async () => {
      await host.close();
      composition.close();
    },
  };
}

/**
 * The demo plan of `today` (vendor chain of 3, Contoso and A. Datum chains of 2) with nothing done: no
 * milestone reached, every action open, so it stalls 15 days on (threshold 14).
 */
export function idleDemoPlan(today: string, title: string): PlanContent {
  const base = demoPlan(today);
  return {
    ...base,
    title,
    milestones: [],
    actions: base.actions.map(({ milestoneId: _m, doneOn: _d, blocker: _b, ...a }) => ({
      ...a,
      status: 'open' as const,
    })),
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small JSON client over real HTTP. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  pathname: string,
  options: { json?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.raw !== undefined)
    body = typeof options.raw === 'string' ? options.raw : new Uint8Array(options.raw);
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T };
}
