import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoPlan, type PlanWrite } from '@cosell/shared';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { type RunningHost, startLocalHost } from '../../functions/src/host/local-host';
import { createRoutes } from '../../functions/src/routes';
import { createTimers } from '../../functions/src/timers';
import { call, TestClock } from '../support/api-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * The weekly cadence and the review in Chromium on the local default (embedded calendar and outbox): book the
 * weekly meeting from the cadence panel, download the .ics, run a review account by account, close it (the
 * summary lands in the outbox), change the plan and see the change against the snapshot in the next review.
 * Plan text with markup stays text; axe-core finds nothing serious or critical.
 * Needs a built tab: `npm run build:tab` (or COSELL_E2E_TAB_DIR pointing at another build).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = process.env.COSELL_E2E_TAB_DIR ?? path.join(ROOT, 'tab/dist');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const T0 = '2026-11-02';
const BLOCKER = 'Legal <b>review</b> of the SOW';

async function seriousViolations(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${name}: [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

describe.skipIf(!existsSync(path.join(TAB_DIR, 'index.html')) || !existsSync(CHROMIUM))(
  'the weekly meeting and the review in the tab',
  () => {
    let dataDir: string;
    let host: RunningHost;
    let closeComposition: () => void;
    let browser: Browser;
    const clock = new TestClock(new Date(`${T0}T09:00:00Z`));

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-cadence-e2e-'));
      const composition = compose(readConfig({ COSELL_DATA_DIR: dataDir, COSELL_SEED_DEMO: 'false' }), {
        clock,
        log: () => {},
      });
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
        id: 'cadence-e2e',
        actions: base.actions.map((a) => (a.status === 'blocked' ? { ...a, blocker: BLOCKER } : a)),
      };
      expect((await call(host.url, 'POST', '/api/plans', { json: plan })).status).toBe(201);
      clock.set(`${T0}T10:00:00Z`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });

    afterAll(async () => {
      await browser?.close();
      await host?.close();
      closeComposition?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('books the weekly meeting from the cadence panel and downloads the .ics', async () => {
      const page = await browser.newPage({ viewport: { width: 1024, height: 900 }, acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${host.url}/#/plans/cadence-e2e/cadence`);
      await page.getByRole('heading', { name: /^Weekly meeting: /, level: 1 }).waitFor();
      const panel = page.getByRole('region', { name: 'Weekly meeting' });
      await panel.getByText('No weekly meeting is booked yet.', { exact: false }).waitFor();
      // The buyer is not offered as an attendee; the vendor and partner owners are ticked.
      await expect(panel.getByRole('checkbox', { name: /Helen Costa/ }).count()).resolves.toBe(0);
      await expect(panel.getByRole('checkbox', { name: /Maya Okafor/ }).isChecked()).resolves.toBe(true);
      await panel.getByLabel('Weekday').selectOption('thursday');
      await panel.getByLabel('Time (24-hour)').fill('15:30');
      await panel.getByLabel('Time zone').fill('Europe/Berlin');
      await panel.getByLabel('First week from').fill('2026-11-02');
      await panel.getByRole('radio', { name: 'No end date' }).check();
      // Kenji (A. Datum) and Amara (A. Datum) off: the invite may show Contoso's economics.
      await panel.getByRole('checkbox', { name: /Kenji Watanabe/ }).uncheck();
      await panel.getByRole('checkbox', { name: /Amara Nwosu/ }).uncheck();
      await panel.getByRole('button', { name: 'Suggest a free slot' }).click();
      await panel.getByText(/cannot see anyone’s free\/busy/).waitFor();
      await panel.getByRole('button', { name: 'Book the weekly meeting' }).click();
      await panel.getByText('Download the .ics file to put the series in the calendars.').waitFor();
      await panel.getByText(/every Thursday at 15:30 \(Europe\/Berlin\), 30 minutes/).waitFor();
      await panel.getByText('The invite carries the current plan.', { exact: false }).waitFor();
      expect(await seriousViolations(page, 'cadence panel')).toEqual([]);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: 'Download .ics' }).click(),
      ]);
      const file = await download.path();
      const text = (await import('node:fs')).readFileSync(file, 'utf8');
      expect(text).toMatch(/^BEGIN:VCALENDAR/);
      expect(text).toMatch(/RRULE:FREQ=WEEKLY;[^\r\n]*BYDAY=TH/);
      // The buyer is named in the plan (the description) but is not an attendee.
      const attendees = text
        .replace(/\r\n[ \t]/g, '')
        .split('\r\n')
        .filter((line) => line.startsWith('ATTENDEE'));
      expect(attendees).toHaveLength(5);
      expect(attendees.join('\n')).not.toContain('helen.costa@northwindlogistics.com');
      const state = await call<{ series: { attendees: unknown[] } }>(
        host.url,
        'GET',
        '/api/plans/cadence-e2e/cadence',
      );
      expect(state.body.series.attendees).toHaveLength(5);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('walks a review, closes it, and shows the changes against the snapshot next time', async () => {
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${host.url}/#/plans/cadence-e2e/review`);
      await page.getByRole('heading', { name: /^Weekly review: /, level: 1 }).waitFor();
      await page.getByText('The first review of this plan: nothing to compare with yet.').waitFor();
      const northwind = page.getByRole('region', { name: 'Northwind Logistics' });
      await northwind.getByRole('heading', { name: 'Blockers', level: 3 }).waitFor();
      // Plan text with markup is shown as text.
      await page.getByText(BLOCKER, { exact: false }).first().waitFor();
      expect(await page.locator('b', { hasText: 'review' }).count()).toBe(0);
      expect(await seriousViolations(page, 'review page')).toEqual([]);

      await page.getByRole('button', { name: 'Close review' }).click();
      await page.getByText('Review closed').waitFor();
      await page.getByText(/The summary went to 5 attendees\./).waitFor();
      // The local mode keeps the mail in the outbox, and the message leads there.
      expect(await page.getByRole('link', { name: 'outbox', exact: true }).getAttribute('href')).toBe(
        '#/outbox',
      );
      const outbox = await call<{ items: { category: string; subject: string }[] }>(
        host.url,
        'GET',
        '/api/outbox?plan=cadence-e2e',
      );
      expect(outbox.body.items.filter((m) => m.category === 'review-summary')).toHaveLength(1);
      const health = await call<{ decay: { decaying: boolean } }>(
        host.url,
        'GET',
        '/api/plans/cadence-e2e/health',
      );
      expect(health.body.decay.decaying).toBe(false);

      // Someone completes an action between meetings; the next review shows it.
      const plan = (
        await call<{ actions: { id: string; status: string; description: string }[] }>(
          host.url,
          'GET',
          '/api/plans/cadence-e2e',
        )
      ).body;
      const open = plan.actions.find((a) => a.status === 'open');
      expect(open).toBeDefined();
      await call(host.url, 'POST', '/api/plans/cadence-e2e/operations', {
        json: { operations: [{ op: 'complete-action', actionId: open?.id }] },
      });
      clock.set(`${T0}T12:00:00Z`);
      await page.reload();
      await page.getByText(/^What changed since the review of /).waitFor();
      await page.getByText(`Action "${open?.description}" done`).waitFor();
      await page
        .getByText(/1 change since the last review|change since the last review/)
        .first()
        .waitFor();
      expect(await seriousViolations(page, 'review page with changes')).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
