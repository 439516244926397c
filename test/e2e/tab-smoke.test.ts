import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLAN_FIELD_LABELS, PLAN_FIELDS } from '@cosell/shared';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, LOCAL_HOST, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * The tab as a newcomer meets it: the built tab and the API on one local port, the seeded demo plan, a
 * real Chromium. Proves the portfolio and the plan page render the demo, a quick update is stored, and
 * neither page has serious or critical accessibility violations (axe-core).
 * Set COSELL_SCREENSHOTS=/some/dir to keep a full-page screenshot of each page.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = path.join(ROOT, 'tab/dist');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

const DEMO_TITLE = 'Northwind Logistics — supply-chain analytics rollout';
const ACTION = 'Validate the SAP TM integration in the pilot';

let host: ChildHost | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;
let page: Page;
let baseUrl: string;
const pageErrors: string[] = [];
const requests: string[] = [];

/** Runs axe-core in the page; returns the serious and critical violations, printed for the reader. */
async function seriousViolations(p: Page, pageName: string): Promise<string[]> {
  await p.addScriptTag({ path: AXE });
  const results = await p.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = serious.map(
    (v) =>
      `${pageName}: [${v.impact}] ${v.id}: ${v.help}\n${v.nodes
        .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
        .join('\n')}`,
  );
  if (lines.length > 0) console.error(lines.join('\n'));
  return lines;
}

async function screenshot(p: Page, name: string): Promise<void> {
  const dir = process.env.COSELL_SCREENSHOTS;
  if (dir) await p.screenshot({ path: path.join(dir, `cosell-${name}.png`), fullPage: true });
}

function actionRow(p: Page) {
  return p.getByRole('row').filter({ hasText: ACTION });
}

beforeAll(async () => {
  if (!existsSync(path.join(TAB_DIR, 'index.html')) || !existsSync(LOCAL_HOST)) {
    throw new Error(
      'The tab or the local host is not built (tab/dist/index.html or functions/dist/local-host.js is missing). Run `npm run build` first.',
    );
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-e2e-'));
  host = await startChildHost({ COSELL_TAB_DIR: TAB_DIR, COSELL_SEED_DEMO: 'true' }, dataDir);
  baseUrl = host.url;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the tab on the local host, with the demo plan', () => {
  it('lists the demo plan on the portfolio with a Stalled badge, with no serious accessibility violations', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: DEMO_TITLE });
    await row.getByText('Stalled', { exact: true }).waitFor();
    await expect(row.getByRole('link', { name: DEMO_TITLE }).getAttribute('href')).resolves.toBe(
      '#/plans/demo-northwind',
    );
    await screenshot(page, 'portfolio');
    expect(await seriousViolations(page, 'portfolio')).toEqual([]);
  });

  it('opens the plan: the six fields as sections and Fabrikam Freight flagged as stalled', async () => {
    await page.getByRole('link', { name: DEMO_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: DEMO_TITLE }).waitFor();
    for (const field of PLAN_FIELDS) {
      await page.getByRole('heading', { level: 2, name: PLAN_FIELD_LABELS[field], exact: true }).waitFor();
    }
    const stalled = page
      .getByRole('region', { name: 'Health' })
      .getByRole('listitem')
      .filter({ hasText: 'Fabrikam Freight' });
    await expect(stalled.textContent()).resolves.toMatch(/Fabrikam Freight is stalled: .*was due/);
    await page
      .getByRole('region', { name: PLAN_FIELD_LABELS.accounts })
      .getByRole('listitem')
      .filter({ hasText: 'Fabrikam Freight' })
      .getByText('Stalled', { exact: true })
      .waitFor();
    await screenshot(page, 'plan');
    expect(await seriousViolations(page, 'plan')).toEqual([]);
  });

  it('marks an action done through the operations endpoint, and it is still done after a reload', async () => {
    await actionRow(page).getByText('Open', { exact: true }).waitFor();
    await actionRow(page)
      .getByRole('button', { name: /^Mark done/ })
      .click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await actionRow(page).getByText('Done', { exact: true }).waitFor();
    expect(
      await actionRow(page)
        .getByRole('button', { name: /^Mark done/ })
        .count(),
    ).toBe(0);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: DEMO_TITLE }).waitFor();
    await actionRow(page).getByText('Done', { exact: true }).waitFor();
    expect(
      await actionRow(page)
        .getByRole('button', { name: /^Mark done/ })
        .count(),
    ).toBe(0);
    await page.getByRole('region', { name: 'History' }).getByText(`Action "${ACTION}" done`).waitFor();
  });

  it('records the weekly review: the health panel shows it was reviewed today', async () => {
    await page.getByRole('button', { name: 'Record weekly review' }).click();
    await page
      .getByRole('region', { name: 'Health' })
      .getByText(/Last reviewed .* \(today\)/)
      .waitFor();
    await page
      .getByRole('group')
      .filter({ hasText: 'Saved' })
      .getByText(/Weekly review recorded on \d{4}-\d{2}-\d{2}/)
      .waitFor();
  });

  it('shows the problem detail in a message bar when a quick update fails', async () => {
    const detail = 'action "x" is <b>done</b>; reopen it first';
    await page.route('**/api/plans/*/operations', (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          title: 'The plan does not pass its rules',
          status: 422,
          code: 'VALIDATION_FAILED',
          detail,
        }),
      }),
    );
    try {
      const row = page
        .getByRole('row')
        .filter({ hasText: 'Send the multi-year pricing proposal to the CFO' });
      await row.getByRole('button', { name: /^Mark done/ }).click();
      // The detail is shown as text: the markup in it is not interpreted.
      await page.getByText(detail).waitFor();
      await row.getByText('Open', { exact: true }).waitFor();
    } finally {
      await page.unroute('**/api/plans/*/operations');
    }
  });

  it('raised no script errors, and in a plain browser loaded neither teams-js nor anything from another origin', () => {
    expect(pageErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(`${baseUrl}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(requests.filter((url) => url.includes('teams-js'))).toEqual([]);
  });
});
