import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoPlan, type PlanWrite } from '@cosell/shared';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { type RunningHost, startLocalHost } from '../../functions/src/host/local-host';
import { createRoutes } from '../../functions/src/routes';
import { createTimers } from '../../functions/src/timers';
import { call, TestClock } from '../support/api-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * The outbox page (#/outbox) in Chromium: the escalations the timer sent in the embedded mode are listed,
 * newest first, and each message opens as its text — plan text with markup in it stays text. The daily check
 * is run from the page itself (the loopback-only admin route of local development).
 * Needs the built tab (`npm run build:tab`).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = path.join(ROOT, 'tab/dist');
const T0 = '2026-11-02';
const TITLE = 'Northwind <img src=x onerror="window.__pwned=1">';

describe.skipIf(!existsSync(path.join(TAB_DIR, 'index.html')) || !existsSync(CHROMIUM))(
  'the outbox page',
  () => {
    let dataDir: string;
    let host: RunningHost;
    let closeComposition: () => void;
    let browser: Browser;
    const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-outbox-e2e-'));
      const composition = compose(readConfig({ COSELL_DATA_DIR: dataDir }), { clock, log: () => {} });
      closeComposition = composition.close;
      host = await startLocalHost({
        routes: createRoutes(composition.services),
        timers: createTimers(composition.services),
        scheduleTimers: false,
        host: '127.0.0.1',
        port: 0,
        tabDir: TAB_DIR,
      });
      const base = demoPlan(T0);
      const plan: PlanWrite = {
        ...base,
        id: 'outbox-e2e',
        title: TITLE,
        milestones: [],
        actions: base.actions.map(({ milestoneId: _m, doneOn: _d, blocker: _b, ...a }) => ({
          ...a,
          status: 'open' as const,
        })),
      };
      expect((await call(host.url, 'POST', '/api/plans', { json: plan })).status).toBe(201);
      // 15 days idle: stalled since 2026-11-17.
      clock.set('2026-11-17T06:00:00Z');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });

    afterAll(async () => {
      await browser?.close();
      await host?.close();
      closeComposition?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('lists the escalations sent and opens one as text', async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${host.url}/#/outbox`);
      await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
      await page.getByText('Nothing has been sent yet.').waitFor();
      // Local development: the daily check run by hand, through the loopback-only admin route.
      await page.getByRole('button', { name: 'Check for stalled plans now' }).click();
      await page.getByRole('status').filter({ hasText: 'new notification(s) sent' }).waitFor();
      expect(
        await page.getByRole('status').filter({ hasText: 'new notification(s) sent' }).textContent(),
      ).toBe('Checked 1 stalled plan(s); 3 new notification(s) sent.');
      const items = page.getByRole('list', { name: 'Messages, newest first' }).getByRole('listitem');
      await expect.poll(() => items.count()).toBe(3);
      const subjects = await items.locator('span').allTextContents();
      expect(subjects.filter((s) => s.startsWith('Stalled co-sell plan:')).length).toBe(3);
      expect(await page.getByText(TITLE, { exact: false }).count()).toBeGreaterThan(0);

      const first = items.first();
      await first.getByRole('button', { name: 'Show the message' }).click();
      const body = first.locator('pre');
      await expect.poll(() => body.textContent()).toContain('What stalled:');
      expect(await body.textContent()).toContain(
        `The co-sell plan "${TITLE}" has stalled since Nov 17, 2026.`,
      );
      // The title's markup made no element and ran nothing.
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(
        await first.getByRole('button', { name: 'Hide the message' }).getAttribute('aria-expanded'),
      ).toBe('true');
      // Touch targets of at least 44 px on a phone.
      const box = await first.getByRole('button', { name: 'Hide the message' }).boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
      // Checking again sends nothing more.
      await page.getByRole('button', { name: 'Check for stalled plans now' }).click();
      await page.getByText('Checked 1 stalled plan(s); 0 new notification(s) sent.').waitFor();
      await expect.poll(() => items.count()).toBe(3);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
