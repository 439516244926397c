import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLAN_FIELD_LABELS, PLAN_FIELDS, type PlanWrite } from '@cosell/shared';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, LOCAL_HOST, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * The plan's first view (tab/src/first-view): opening a plan link, the tab draws the plan with the DOM
 * alone from the API's answer, before React and Fluent have loaded, and the React page replaces it. To see
 * the first view on its own, these tests hold back every script that index.html does not load (the app's
 * chunks) and let them through later. They prove that the first view is the plan a person reads (title,
 * health, the six fields, the recent history) in the same words as the React page, accessible, with plan
 * text shown as text; and that the hand-over never shows both pages, nor neither.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built tab; COSELL_E2E_TAB_DIR points the test at another build (as COSELL_E2E_LOCAL_HOST does). */
const TAB_DIR = process.env.COSELL_E2E_TAB_DIR ?? path.join(ROOT, 'tab/dist');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

const DEMO_ID = 'demo-northwind';
const DEMO_TITLE = 'Northwind Logistics — supply-chain analytics rollout';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const SVG = '"><svg onload=window.__pwned=1>';
const SHORT_SVG = '<svg onload=alert()>';
const HOSTILE_ID = 'first-view-text';

let host: ChildHost | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;
/** The scripts index.html loads: the first view's. Every other script is the app's. */
let firstViewScripts: Set<string>;

function hostilePlan(): PlanWrite {
  const today = new Date().toISOString().slice(0, 10);
  return {
    id: HOSTILE_ID,
    title: `${IMG} ${SCRIPT}`,
    status: 'active',
    motion: 'co-sell',
    accounts: [{ id: 'acc-1', name: SCRIPT, domain: 'payload.example.com', crmAccountId: SVG }],
    partners: [{ id: 'p-1', name: SVG }],
    people: [
      {
        id: 'v-1',
        firstName: SHORT_SVG,
        lastName: 'Vendor',
        email: 'vendor@payload.example',
        role: 'account-executive',
        side: 'vendor',
      },
      {
        id: 'b-1',
        firstName: 'Buyer',
        lastName: SHORT_SVG,
        email: 'buyer@payload.example',
        role: 'economic-buyer',
        side: 'buyer',
      },
    ],
    milestones: [{ id: 'm-1', title: `${SVG} review`, due: today, ownerId: 'b-1', status: 'planned' }],
    actions: [{ id: 'a-1', description: `${SCRIPT} do it`, ownerId: 'v-1', due: today, status: 'open' }],
    economics: [{ partnerId: 'p-1', kind: 'none', statement: `${IMG} none` }],
    escalation: { thresholdDays: 14, vendorChain: ['v-1'], partnerChains: [] },
  };
}

interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Lets the app's scripts through. */
  releaseApp(): Promise<void>;
}

/** A fresh browser context (cold cache) whose page loads the first view's scripts and holds the app's. */
async function openWithAppHeld(hash: string): Promise<Session> {
  if (!browser || !host) throw new Error('not started');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const held: Route[] = [];
  let released = false;
  await page.route('**/assets/*.js', (route) => {
    if (released || firstViewScripts.has(new URL(route.request().url()).pathname)) return route.continue();
    held.push(route);
  });
  await page.goto(`${host.url}/${hash}`);
  return {
    context,
    page,
    errors,
    async releaseApp() {
      released = true;
      await Promise.all(held.splice(0).map((route) => route.continue()));
    },
  };
}

/**
 * What a person reads in `main` under `container`, line by line; left out: the React page's buttons, and its
 * weekly-meeting booking form (a form with its own state, below the plan, that the first view does not draw).
 */
async function linesOf(page: Page, container: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const main = document.querySelector(`${selector} main`);
    if (!(main instanceof HTMLElement)) throw new Error(`no main in ${selector}`);
    const buttons = [
      ...main.querySelectorAll<HTMLElement>('button, section[aria-labelledby="cadence-heading"]'),
    ];
    for (const button of buttons) button.style.setProperty('display', 'none');
    // biome-ignore lint/performance/useDomNodeTextContent: the lines as laid out are what a person reads
    const text = main.innerText;
    for (const button of buttons) button.style.removeProperty('display');
    return text
      .split(/[\n\t]+/)
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter((line) => line !== '');
  }, container);
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The recent history comes into the first view one frame after the rest. */
async function firstViewComplete(page: Page): Promise<void> {
  await page.locator('#first-view').getByRole('region', { name: 'History' }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(path.join(TAB_DIR, 'index.html')) || !existsSync(LOCAL_HOST)) {
    throw new Error('The tab or the local host is not built: run `npm run build` first.');
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-first-view-'));
  host = await startChildHost({ COSELL_TAB_DIR: TAB_DIR, COSELL_SEED_DEMO: 'true' }, dataDir);
  const html = await (await fetch(`${host.url}/`)).text();
  firstViewScripts = new Set(
    [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? ''),
  );
  const created = await fetch(`${host.url}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hostilePlan()),
  });
  if (created.status !== 201) throw new Error(`the payload plan was refused: ${await created.text()}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the first view of a plan, before the app has loaded', () => {
  it('loads no React: the scripts index.html loads are the first view, and the app is not among them', () => {
    expect(firstViewScripts.size).toBeGreaterThan(0);
    for (const script of firstViewScripts) expect(script).not.toMatch(/\/react-/);
  });

  it('is the plan: its title, the health and the six fields as regions, the recent history, no buttons, accessible', async () => {
    const session = await openWithAppHeld(`#/plans/${DEMO_ID}`);
    try {
      const { page } = session;
      const first = page.locator('#first-view');
      await first.getByRole('heading', { level: 1, name: DEMO_TITLE }).waitFor();
      await firstViewComplete(page);
      for (const field of PLAN_FIELDS) {
        await first.getByRole('region', { name: PLAN_FIELD_LABELS[field], exact: true }).waitFor();
      }
      const stalled = first
        .getByRole('region', { name: 'Health' })
        .getByRole('listitem')
        .filter({ hasText: 'Fabrikam Freight' });
      await expect(stalled.textContent()).resolves.toMatch(/Fabrikam Freight is stalled: .*was due/);
      await first
        .getByRole('region', { name: PLAN_FIELD_LABELS.actions })
        .getByRole('row')
        .filter({ hasText: 'Validate the SAP TM integration in the pilot' })
        .getByText('Open', { exact: true })
        .waitFor();
      // Nothing to press until the React page is there; the app is still held back (and hidden).
      expect(await page.locator('button').count()).toBe(0);
      expect(await page.locator('#root').isHidden()).toBe(true);
      expect(await page.title()).toBe(`${DEMO_TITLE} · Co-Sell Plan`);
      expect(await seriousViolations(page)).toEqual([]);
      expect(session.errors).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it('says what the React page says, and the React page then replaces it without both or neither ever showing', async () => {
    const session = await openWithAppHeld(`#/plans/${DEMO_ID}`);
    try {
      const { page } = session;
      // Watches every change of the page from here on: the plan's title is always on screen exactly once.
      await page.evaluate((title) => {
        const w = window as unknown as { __handover: string[] };
        w.__handover = [];
        const check = () => {
          const shown = [...document.querySelectorAll('h1')].filter(
            (h) => h.textContent === title && h.checkVisibility(),
          ).length;
          if (shown !== 1) w.__handover.push(`${shown} titles shown`);
        };
        new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
      }, DEMO_TITLE);
      await firstViewComplete(page);
      const firstView = await linesOf(page, '#first-view');

      await session.releaseApp();
      await page.getByRole('button', { name: 'Record weekly review' }).waitFor();
      await page.locator('#first-view').waitFor({ state: 'detached' });
      const reactPage = await linesOf(page, '#root');

      expect(firstView).toEqual(reactPage);
      expect(firstView).toContain(DEMO_TITLE);
      expect(await page.evaluate(() => (window as unknown as { __handover: string[] }).__handover)).toEqual(
        [],
      );
      expect(await page.locator('#root').isVisible()).toBe(true);
      expect(await page.locator('main').count()).toBe(1);
      expect(session.errors).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it('shows markup and script in plan text as text, and runs none of it', async () => {
    const session = await openWithAppHeld(`#/plans/${HOSTILE_ID}`);
    try {
      const { page } = session;
      const first = page.locator('#first-view');
      await first.getByRole('heading', { level: 1, name: `${IMG} ${SCRIPT}` }).waitFor();
      await firstViewComplete(page);
      await first.getByText(`${SCRIPT} do it`).waitFor();
      await first.getByText(SCRIPT, { exact: true }).waitFor();
      await first.getByText(`${SVG} review`).waitFor();
      await first.getByText(`No shared economics: ${IMG} none`).waitFor();
      const effects = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        images: document.querySelectorAll('img').length,
        svgs: document.querySelectorAll('svg').length,
        payloadScripts: [...document.querySelectorAll('script')].filter((s) =>
          s.textContent?.includes('__pwned'),
        ).length,
      }));
      expect(effects).toEqual({ pwned: undefined, images: 0, svgs: 0, payloadScripts: 0 });
      expect(session.errors).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it('leaves the page to the app when a person follows one of its links before the app has loaded', async () => {
    const session = await openWithAppHeld(`#/plans/${DEMO_ID}`);
    try {
      const { page } = session;
      await page.locator('#first-view').getByRole('link', { name: 'History', exact: true }).click();
      await page.locator('#first-view').waitFor({ state: 'detached' });
      await session.releaseApp();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: 'History' }).waitFor();
      expect(session.errors).toEqual([]);
    } finally {
      await session.context.close();
    }
  });
});
