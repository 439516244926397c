import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addDays,
  demoPlan,
  nextCadenceMeeting,
  type Plan,
  type PlanContent,
  type PlanSummary,
  type PlanWrite,
  toIsoDate,
} from '@cosell/shared';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { type RunningHost, startLocalHost } from '../../functions/src/host/local-host';
import { createRoutes } from '../../functions/src/routes';
import { TestClock } from '../support/api-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * The portfolio against the real API and a real Chromium: three plans in different health (made
 * through the API, one of them 16 days ago on a test clock so that it decays), sorted by every sortable
 * column and filtered every way; the empty state of a channel; the configuration page outside Teams;
 * axe-core on each, and the controls reachable with the keyboard.
 * Set COSELL_SCREENSHOTS=/some/dir to keep screenshots.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = path.join(ROOT, 'tab/dist');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
/** The reader's time zone in the browser: the next meeting is shown in it. */
const READER_TIME_ZONE = 'America/Los_Angeles';

const ZEPHYR = 'Zephyr Freight — stalled rollout';
const MISTRAL = 'Mistral Air — decaying renewal';
const AURORA = 'Aurora Retail — new draft';

let server: RunningHost;
let closeComposition: () => void;
let dataDir: string;
let browser: Browser;
let page: Page;
const clock = new TestClock(new Date());
const pageErrors: string[] = [];

const today = () => toIsoDate(clock.now());

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The demo: active, stalled (Fabrikam's security review is overdue), reviewed 6 days ago, one gap. */
function stalledPlan(): PlanContent {
  return { ...demoPlan(today()), title: ZEPHYR };
}

/**
 * The demo without Fabrikam (so nothing is overdue), every term agreed (complete), never reviewed and
 * created 16 days ago: decaying, not stalled. Its weekly meeting series ended yesterday.
 */
function decayingPlan(createdOn: string): PlanContent {
  const demo = demoPlan(today());
  const { lastReviewedOn: _never, ...rest } = demo;
  const fabrikamMilestones = new Set(
    demo.milestones.filter((m) => m.accountId === 'acc-fabrikam').map((m) => m.id),
  );
  return {
    ...rest,
    title: MISTRAL,
    accounts: demo.accounts.filter((a) => a.id !== 'acc-fabrikam').map((a) => ({ ...a, addedOn: createdOn })),
    milestones: demo.milestones.filter((m) => !fabrikamMilestones.has(m.id)),
    actions: demo.actions.filter(
      (a) => a.accountId !== 'acc-fabrikam' && !(a.milestoneId && fabrikamMilestones.has(a.milestoneId)),
    ),
    economics: demo.economics.map((e) =>
      e.kind === 'terms' ? { ...e, terms: e.terms.map((t) => ({ ...t, agreed: true })) } : e,
    ),
    ...(demo.cadence
      ? { cadence: { ...demo.cadence, startsOn: addDays(today(), -30), endsOn: addDays(today(), -1) } }
      : {}),
  };
}

/** A draft with a title only: incomplete, and drafts neither stall nor decay. */
const draftPlan: PlanWrite = {
  title: AURORA,
  status: 'draft',
  motion: 'co-sell',
  channelIds: [],
  accounts: [],
  partners: [],
  people: [],
  milestones: [],
  actions: [],
  economics: [],
  escalation: { vendorChain: [], partnerChains: [] },
};

async function seriousViolations(name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  const lines = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: [${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (lines.length > 0) console.error(lines.join('\n'));
  return lines;
}

async function screenshot(name: string): Promise<void> {
  const dir = process.env.COSELL_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `cosell-${name}.png`), fullPage: true });
}

const table = () => page.getByRole('table', { name: 'Co-sell plans' });

/** The plan titles in the order the table shows them. */
function shownTitles(): Promise<string[]> {
  return table().locator('tbody tr').getByRole('link').allTextContents();
}

/** A sortable column's button: its name is the column's, then how it sorts (", sort A to Z"). */
function sortButton(column: string) {
  return table().getByRole('button', { name: new RegExp(`^${column} ?,`) });
}

async function sortState(column: string): Promise<string | null> {
  return table()
    .getByRole('columnheader', { name: new RegExp(`^${column} ?,`) })
    .getAttribute('aria-sort');
}

/** Waits until the table shows exactly `titles`, in this order. */
async function expectTitles(titles: string[]): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      JSON.stringify(
        [...document.querySelectorAll('table[aria-label="Co-sell plans"] tbody tr a')].map(
          (a) => a.textContent,
        ),
      ) === JSON.stringify(expected),
    titles,
  );
  await expect(shownTitles()).resolves.toEqual(titles);
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(TAB_DIR, 'index.html')))
    throw new Error('The tab is not built (tab/dist/index.html is missing). Run `npm run build:tab` first.');
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-portfolio-'));
  const composition = compose(readConfig({ COSELL_DATA_DIR: dataDir }), { clock });
  closeComposition = composition.close;
  server = await startLocalHost({
    routes: createRoutes(composition.services),
    host: '127.0.0.1',
    port: 0,
    tabDir: TAB_DIR,
  });

  // Made (with dates relative to today) and stored 16 days ago: it became active then.
  const mistral = decayingPlan(addDays(today(), -16));
  const now = clock.now();
  clock.set(new Date(now.getTime() - 16 * 86_400_000).toISOString());
  await api<Plan>('POST', '/api/plans', mistral);
  clock.set(now.toISOString());
  await api<Plan>('POST', '/api/plans', stalledPlan());
  await api<Plan>('POST', '/api/plans', draftPlan);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: READER_TIME_ZONE,
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  closeComposition?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the portfolio of three plans in different health', () => {
  it('has the plans it is meant to have: one stalled, one decaying but not stalled, one incomplete draft', async () => {
    const { items } = await api<{ items: PlanSummary[] }>('GET', '/api/plans');
    const flags = Object.fromEntries(
      items.map((p) => [p.title, { stalled: p.stalled, decaying: p.decaying, complete: p.complete }]),
    );
    expect(flags).toEqual({
      [ZEPHYR]: { stalled: true, decaying: false, complete: false },
      [MISTRAL]: { stalled: false, decaying: true, complete: true },
      [AURORA]: { stalled: false, decaying: false, complete: false },
    });
  });

  it('lists them worst health first, with no serious accessibility violations', async () => {
    await page.goto(`${server.url}/#/`);
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    await expectTitles([ZEPHYR, MISTRAL, AURORA]);
    await expect(sortState('Health')).resolves.toBe('ascending');
    await expect(page.getByRole('status').filter({ hasText: 'plans' }).textContent()).resolves.toBe(
      '3 plans',
    );
    const row = (title: string) => table().getByRole('row').filter({ hasText: title });
    await row(ZEPHYR).getByText('Stalled', { exact: true }).waitFor();
    await row(MISTRAL).getByText('Decaying', { exact: true }).waitFor();
    await row(AURORA)
      .getByText(/^Incomplete \(\d+ gaps?\)$/)
      .waitFor();
    await screenshot('portfolio-sorted');
    expect(await seriousViolations('portfolio')).toEqual([]);
  });

  it.each<[string, string[], string[]]>([
    ['Plan', [AURORA, MISTRAL, ZEPHYR], [ZEPHYR, MISTRAL, AURORA]],
    // Undated rows stay last both ways.
    ['Next milestone', [ZEPHYR, MISTRAL, AURORA], [MISTRAL, ZEPHYR, AURORA]],
    ['Next meeting', [ZEPHYR, AURORA, MISTRAL], [ZEPHYR, AURORA, MISTRAL]],
    // Never reviewed is the longest ago.
    ['Last review', [AURORA, MISTRAL, ZEPHYR], [ZEPHYR, AURORA, MISTRAL]],
    ['Health', [ZEPHYR, MISTRAL, AURORA], [AURORA, MISTRAL, ZEPHYR]],
  ])('sorts by %s, and the other way on a second click', async (column, natural, reversed) => {
    await sortButton(column).click();
    await expectTitles(natural);
    await expect(sortState(column)).resolves.toBe('ascending');
    await sortButton(column).click();
    await expectTitles(reversed);
    await expect(sortState(column)).resolves.toBe('descending');
    const others = (await table().locator('th[aria-sort]').count()) === 1;
    expect(others).toBe(true);
  });

  it('filters by health, status and words, says how many match, and clears', async () => {
    const status = page.getByRole('status').filter({ hasText: /plans?/ });
    const only = (name: string) =>
      page.getByRole('group', { name: 'Show only' }).getByRole('checkbox', { name });
    await page.reload();
    await expectTitles([ZEPHYR, MISTRAL, AURORA]);

    await only('Stalled').check();
    await expectTitles([ZEPHYR]);
    await expect(status.textContent()).resolves.toBe('1 of 3 plans match');
    await only('Stalled').uncheck();
    await only('Decaying').check();
    await expectTitles([MISTRAL]);
    await only('Decaying').uncheck();
    await only('Incomplete').check();
    await expectTitles([ZEPHYR, AURORA]);
    await only('Incomplete').uncheck();

    await page.getByRole('combobox', { name: 'Status' }).selectOption('draft');
    await expectTitles([AURORA]);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('active');
    await expectTitles([ZEPHYR, MISTRAL]);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('any');

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('northwind'); // an account of two plans
    await expectTitles([ZEPHYR, MISTRAL]);
    await search.fill('contoso MISTRAL'); // a partner and a title word: both must match
    await expectTitles([MISTRAL]);
    await search.fill('no such plan');
    await page.getByText('No plans match these filters.').waitFor();
    await expect(status.textContent()).resolves.toBe('0 of 3 plans match');
    expect(await seriousViolations('portfolio, nothing matches')).toEqual([]);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expectTitles([ZEPHYR, MISTRAL, AURORA]);
    await expect(search.inputValue()).resolves.toBe('');
  });

  it("shows the next weekly meeting in the reader's time zone, an ended series and no cadence", async () => {
    const { items } = await api<{ items: PlanSummary[] }>('GET', '/api/plans');
    const zephyr = items.find((p) => p.title === ZEPHYR);
    if (!zephyr?.cadence) throw new Error('the stalled plan has the demo cadence');
    const expected = nextCadenceMeeting(zephyr.cadence, new Date());
    if (!expected) throw new Error('the demo cadence has a next meeting');
    const row = (title: string) => table().getByRole('row').filter({ hasText: title });

    const time = row(ZEPHYR).locator('time');
    await expect(time.getAttribute('datetime')).resolves.toBe(expected.start.toISOString());
    const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: READER_TIME_ZONE }).format(
      expected.start,
    );
    await expect(time.textContent()).resolves.toMatch(new RegExp(`^(${weekday}, |Now, until )`));
    await row(ZEPHYR).getByText('Tuesdays 16:00 (Europe/London)').waitFor();
    await row(MISTRAL).getByText('Series ended').waitFor();
    await row(AURORA).getByText('No weekly meeting').waitFor();
  });

  it('is usable with the keyboard: Tab reaches every filter, sort button and plan; Enter sorts', async () => {
    await page.goto(`${server.url}/#/`);
    await expectTitles([ZEPHYR, MISTRAL, AURORA]);
    const reached: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return '';
          const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
          return `${el.tagName.toLowerCase()}:${label ?? el.closest('label')?.textContent ?? el.textContent ?? ''}`;
        }),
      );
    }
    for (const expected of [
      'input:Search',
      'select:Status',
      'input:Stalled',
      'input:Decaying',
      'input:Incomplete',
      'a:New plan',
      `a:${ZEPHYR}`,
      `a:${MISTRAL}`,
      `a:${AURORA}`,
    ]) {
      expect(reached).toContain(expected);
    }
    for (const column of ['Plan', 'Health', 'Next milestone', 'Next meeting', 'Last review']) {
      expect(reached.some((r) => r.startsWith(`button:${column}`))).toBe(true);
    }

    await sortButton('Plan').focus();
    await page.keyboard.press('Enter');
    await expectTitles([AURORA, MISTRAL, ZEPHYR]);
  });
});

describe('a channel without plans', () => {
  const channel = '19:empty-channel@thread.tacv2';

  it('explains what a plan is and links to create one and to pick existing ones', async () => {
    await page.goto(`${server.url}/#/?channel=${encodeURIComponent(channel)}`);
    await page.getByRole('heading', { level: 2, name: 'No plans in this channel yet' }).waitFor();
    await expect(page.getByRole('link', { name: 'Create a plan' }).getAttribute('href')).resolves.toBe(
      `#/new?channel=${encodeURIComponent(channel)}`,
    );
    await expect(
      page.getByRole('link', { name: 'Pick existing plans for this channel' }).getAttribute('href'),
    ).resolves.toBe(`#/config?channel=${encodeURIComponent(channel)}`);
    await expect(table().count()).resolves.toBe(0);
    await screenshot('portfolio-empty');
    expect(await seriousViolations('empty channel')).toEqual([]);
  });
});

describe('the configuration page outside Teams', () => {
  const channel = '19:browser-channel@thread.tacv2';

  it('picks a plan for a channel typed in, saves, and the channel then shows it', async () => {
    await page.goto(`${server.url}/#/config?channel=${encodeURIComponent(channel)}`);
    await page.getByRole('heading', { level: 1, name: 'Choose the plans for this channel' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Channel id' }).inputValue()).resolves.toBe(channel);
    const save = page.getByRole('button', { name: 'Save', exact: true });
    const aurora = page.getByRole('checkbox', { name: new RegExp(`^${AURORA}`) });
    await aurora.waitFor();
    await expect(save.isDisabled()).resolves.toBe(true);
    expect(await seriousViolations('configuration page')).toEqual([]);

    await aurora.check();
    await expect(save.isEnabled()).resolves.toBe(true);
    await screenshot('config');
    await save.click();
    await page.getByRole('status').filter({ hasText: 'Saved (1 change)' }).waitFor();

    const { items } = await api<{ items: PlanSummary[] }>(
      'GET',
      `/api/plans?channel=${encodeURIComponent(channel)}`,
    );
    expect(items.map((p) => p.title)).toEqual([AURORA]);
    await page.getByRole('link', { name: /#\/\?channel=/ }).click();
    await expectTitles([AURORA]);
  });

  it('is usable with the keyboard: channel id, the plans, the new plan form', async () => {
    await page.goto(`${server.url}/#/config?channel=${encodeURIComponent(channel)}`);
    await page.getByRole('checkbox', { name: new RegExp(`^${AURORA}`) }).waitFor();
    const reached: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
          return `${el?.tagName.toLowerCase()}:${label ?? el?.closest('label')?.textContent ?? el?.textContent ?? ''}`;
        }),
      );
    }
    expect(reached).toContain('input:Channel id');
    expect(reached.some((r) => r.startsWith(`input:${AURORA}`))).toBe(true);
    expect(reached.some((r) => r.startsWith(`input:${ZEPHYR}`))).toBe(true);
    expect(reached).toContain('input:Title');
    expect(reached).toContain('input:Co-sell plan');
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
