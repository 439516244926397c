import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan, PlanWrite } from '@cosell/shared';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { LOCAL_HOST, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * What the editing, conflict and mobile tests share: the built tab and the API on one local port (as a
 * newcomer runs it), a headless Chromium, axe-core, and a few API calls to set up and read back plans.
 * Set COSELL_SCREENSHOTS=/some/dir to keep full-page screenshots.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = path.join(ROOT, 'tab/dist');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

export const DEMO_PLAN_ID = 'demo-northwind';
export const DEMO_TITLE = 'Northwind Logistics — supply-chain analytics rollout';

export interface Harness {
  baseUrl: string;
  browser: Browser;
  /** Script errors seen on any page opened with `newPage`. */
  pageErrors: string[];
  /** A page in a browser context of its own; `user` acts as that person (the local identity's header). */
  newPage(options?: { viewport?: { width: number; height: number }; user?: string }): Promise<Page>;
  api: ApiHelper;
  stop(): Promise<void>;
}

export interface ApiHelper {
  get(id: string): Promise<Plan>;
  create(plan: PlanWrite): Promise<Plan>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(path.join(TAB_DIR, 'index.html')) || !existsSync(LOCAL_HOST)) {
    throw new Error(
      'The tab or the local host is not built (tab/dist/index.html or functions/dist/local-host.js is missing). Run `npm run build` first.',
    );
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-edit-e2e-'));
  const host = await startChildHost({ COSELL_TAB_DIR: TAB_DIR, COSELL_SEED_DEMO: 'true' }, dataDir);
  const url = host.url;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
  });
  const pageErrors: string[] = [];
  const api: ApiHelper = {
    async get(id) {
      const response = await fetch(`${url}/api/plans/${encodeURIComponent(id)}`);
      if (!response.ok) throw new Error(`GET plan ${id}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Plan;
    },
    async create(plan) {
      const response = await fetch(`${url}/api/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(plan),
      });
      if (response.status !== 201) throw new Error(`POST plan: ${response.status} ${await response.text()}`);
      return (await response.json()) as Plan;
    },
  };
  return {
    baseUrl: url,
    browser,
    pageErrors,
    api,
    async newPage({ viewport = { width: 1280, height: 900 }, user } = {}) {
      const context = await browser.newContext({
        viewport,
        ...(user ? { extraHTTPHeaders: { 'x-cosell-local-user': user } } : {}),
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async stop() {
      await browser.close();
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core in the page; returns the serious and critical violations, printed for the reader. */
export async function seriousViolations(page: Page, pageName: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
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

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.COSELL_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `cosell-${name}.png`), fullPage: true });
}

/** A co-sell plan with one partner and a person on each side, to edit from. */
export function twoSidedPlan(id: string): PlanWrite {
  return {
    id,
    title: `Conflict test ${id}`,
    status: 'active',
    motion: 'co-sell',
    channelIds: [],
    accounts: [{ id: 'acc-1', name: 'Tailspin Toys', domain: 'tailspintoys.com' }],
    partners: [{ id: 'pa-1', name: 'Contoso Consulting' }],
    people: [
      {
        id: 'v-1',
        firstName: 'Maya',
        lastName: 'Chen',
        email: 'maya@vendor.example',
        role: 'account-executive',
        side: 'vendor',
      },
      {
        id: 'c-1',
        firstName: 'Sofia',
        lastName: 'Rossi',
        email: 'sofia@contoso.example',
        role: 'partner-counterpart',
        side: 'partner',
        partnerId: 'pa-1',
      },
    ],
    milestones: [],
    actions: [
      {
        id: 'act-1',
        description: 'Send the pilot plan',
        ownerId: 'v-1',
        due: '2031-03-01',
        status: 'open',
      },
    ],
    economics: [],
    escalation: { thresholdDays: 14, vendorChain: [], partnerChains: [] },
  };
}
