import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoPlan, type Plan, type PlanContent, toIsoDate } from '@cosell/shared';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import {
  EMULATED,
  EmulatedTeams,
  sharedChannelContext,
  startTeamsHostEmulator,
  type TeamsHostEmulator,
} from '../support/teams-host-emulator';

/*
 * The tab inside an emulated Teams web client (test/support/teams-host-emulator): a real Chromium loads
 * https://teams.microsoft.com — resolved to a local https server with a self-signed certificate — whose
 * page frames the tab from the local host and answers teams-js's postMessage protocol. Proves the tab
 * initializes with teams-js, reads the channel and user from the context, tells Teams it loaded, follows
 * the theme live, and that the configuration page links plans to the channel on Teams' Save. Also
 * proves the opposite: a top-level page never loads teams-js at all.
 * Set COSELL_SCREENSHOTS=/some/dir to keep screenshots of the tab in each Teams theme.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

const CHANNEL = '19:northwind-deal@thread.tacv2';
const OTHER_CHANNEL = '19:fabrikam-pilot@thread.tacv2';
const CHANNEL_PLAN = 'Northwind — plan of the shared channel';
const UNLINKED_PLAN = 'Fabrikam Freight — pilot plan';
const DEMO_TITLE = 'Northwind Logistics — supply-chain analytics rollout';

/** The chunk with teams-js and the adapter over it (tab/src/host/teams-sdk.ts). */
const TEAMS_CHUNK = /\/assets\/teams-(js|sdk)-[\w-]+\.js$/;

/** A RegExp that finds `text` as it is (plan titles have characters that mean something in a RegExp). */
function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Fluent's Teams themes (@fluentui/tokens): colorNeutralBackground1 and colorBrandBackground. */
const THEME_COLOURS = {
  default: { background: 'rgb(255, 255, 255)', brand: '#5b5fc7' },
  dark: { background: 'rgb(41, 41, 41)', brand: '#4f52b2' },
  contrast: { background: 'rgb(0, 0, 0)', brand: '#ffffff' },
} as const;

let host: ChildHost;
let emulator: TeamsHostEmulator;
let browser: Browser;
let context: BrowserContext;
let unlinkedPlanId: string;
const pageErrors: string[] = [];
const requests: string[] = [];

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${host.url}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

function plan(title: string, channelIds: string[]): PlanContent {
  return { ...demoPlan(toIsoDate(new Date())), title, channelIds };
}

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  return page;
}

async function seriousViolations(frame: Frame, name: string): Promise<string[]> {
  await frame.addScriptTag({ path: AXE });
  const results = await frame.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  const lines = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: [${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (lines.length > 0) console.error(lines.join('\n'));
  return lines;
}

async function screenshot(teams: EmulatedTeams, name: string): Promise<void> {
  const dir = process.env.COSELL_SCREENSHOTS;
  if (!dir) return;
  // The tab is a cross-origin frame, composited on its own: let it paint its latest state first.
  await teams
    .tabFrame()
    .evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await teams.page.screenshot({ path: path.join(dir, `cosell-teams-${name}.png`), fullPage: true });
}

/** The theme the tab shows: the FluentProvider's background and brand colour. */
function fluentColours(frame: Frame) {
  return frame.evaluate(() => {
    const provider = document.querySelector('.fui-FluentProvider');
    if (!provider) throw new Error('no FluentProvider in the tab');
    const style = getComputedStyle(provider);
    return {
      background: style.backgroundColor,
      brand: style.getPropertyValue('--colorBrandBackground').trim().toLowerCase(),
    };
  });
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'tab/dist/index.html')))
    throw new Error('The tab is not built (tab/dist/index.html is missing). Run `npm run build:tab` first.');
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  host = await startChildHost({ COSELL_SEED_DEMO: 'true' });
  emulator = await startTeamsHostEmulator();
  await api<Plan>('POST', '/api/plans', plan(CHANNEL_PLAN, [CHANNEL]));
  unlinkedPlanId = (await api<Plan>('POST', '/api/plans', plan(UNLINKED_PLAN, []))).id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...emulator.chromiumArgs],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  // teams-js fetches its list of valid origins from a CDN at import time and falls back to the list it
  // ships (which has teams.microsoft.com) when that fails: keep the test off the internet.
  await context.route('https://res.cdn.office.net/**', (route) => route.abort());
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await host?.stop();
}, 30_000);

describe('the tab in an emulated Teams channel (frame context content)', () => {
  let teams: EmulatedTeams;

  it("initializes teams-js, reads the channel from the context and lists only that channel's plans", async () => {
    const page = await newPage();
    teams = await EmulatedTeams.open(page, emulator, {
      tabUrl: `${host.url}/#/`,
      context: sharedChannelContext({ channelId: CHANNEL }),
    });
    await teams.tab.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    await teams.tab.getByRole('link', { name: CHANNEL_PLAN }).waitFor();
    const titles = await teams.tab
      .getByRole('table', { name: 'Co-sell plans' })
      .getByRole('link')
      .allTextContents();
    expect(titles).toEqual([CHANNEL_PLAN]);
    expect(titles).not.toContain(DEMO_TITLE);

    const { messages } = await teams.state();
    expect(messages[0]?.func).toBe('initialize');
    expect(messages.map((m) => m.func)).toEqual(expect.arrayContaining(['initialize', 'getContext']));
    // Every message came from the tab's origin and is one the emulator answers as Teams does.
    expect(messages.filter((m) => !m.known).map((m) => m.func)).toEqual([]);
    expect(new Set(messages.map((m) => m.origin))).toEqual(new Set([host.url]));
    // In a frame the tab does load teams-js (the browser test below proves it does not at the top level).
    expect(requests.some((url) => TEAMS_CHUNK.test(url))).toBe(true);
  });

  it('tells Teams it loaded (notifySuccess), once', async () => {
    const success = await teams.waitForMessage('appInitialization.success');
    const { messages } = await teams.state();
    const getContext = messages.find((m) => m.func === 'getContext');
    expect(getContext).toBeDefined();
    expect(success.seq).toBeGreaterThan(getContext?.seq ?? Number.POSITIVE_INFINITY);
    expect(messages.filter((m) => m.func === 'appInitialization.success')).toHaveLength(1);
  });

  it('shows where it is and who Teams says the user is: team, shared channel, display name', async () => {
    const line = teams.tab.getByText(/Teams user:/);
    await expect(line.textContent()).resolves.toBe(
      `In ${EMULATED.teamName} › Northwind deal (shared channel: people from partner organisations see it too) · Teams user: ${EMULATED.userDisplayName}`,
    );
  });

  it('follows the Teams theme live: light, then dark, then high contrast — each without serious axe violations', async () => {
    const frame = teams.tabFrame();
    await expect(fluentColours(frame)).resolves.toEqual(THEME_COLOURS.default);
    await screenshot(teams, 'light');
    expect(await seriousViolations(frame, 'portfolio in Teams light')).toEqual([]);

    for (const theme of ['dark', 'contrast'] as const) {
      await teams.setTheme(theme);
      await frame.waitForFunction(
        (expected) =>
          getComputedStyle(document.querySelector('.fui-FluentProvider') ?? document.body).backgroundColor ===
          expected,
        THEME_COLOURS[theme].background,
      );
      await expect(fluentColours(frame)).resolves.toEqual(THEME_COLOURS[theme]);
      await screenshot(teams, theme);
      expect(await seriousViolations(frame, `portfolio in Teams ${theme}`)).toEqual([]);
    }
    const { messages, handlers } = await teams.state();
    expect(handlers).toContain('themeChange');
    expect(messages.filter((m) => m.func === 'registerHandler' && m.args[0] === 'themeChange')).toHaveLength(
      1,
    );
  });

  it('starts in the theme Teams reports in the context (dark)', async () => {
    const page = await newPage();
    const dark = await EmulatedTeams.open(page, emulator, {
      tabUrl: `${host.url}/#/`,
      context: sharedChannelContext({ channelId: CHANNEL, theme: 'dark' }),
    });
    await dark.tab.getByRole('link', { name: CHANNEL_PLAN }).waitFor();
    await expect(fluentColours(dark.tabFrame())).resolves.toEqual(THEME_COLOURS.dark);
    await page.close();
  });
});

describe('the tab in the weekly meeting (frame context sidePanel)', () => {
  it("opens a plan as its weekly review, account by account, in the meeting's side panel", async () => {
    const page = await newPage();
    const teams = await EmulatedTeams.open(page, emulator, {
      tabUrl: `${host.url}/#/`,
      context: sharedChannelContext({ frameContext: 'sidePanel', channelId: CHANNEL }),
    });
    const link = teams.tab.getByRole('link', { name: CHANNEL_PLAN });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^#\/plans\/[^/]+\/review$/);
    await link.click();
    await teams.tab.getByRole('heading', { level: 1, name: `Weekly review: ${CHANNEL_PLAN}` }).waitFor();
    expect(await seriousViolations(teams.tabFrame(), 'side panel review')).toEqual([]);
  });
});

describe('the configuration page in an emulated Teams channel (frame context settings)', () => {
  let teams: EmulatedTeams;
  let saved: unknown;

  it('keeps Save disabled until a plan is picked, then enables it (setValidityState)', async () => {
    const page = await newPage();
    teams = await EmulatedTeams.open(page, emulator, {
      tabUrl: `${host.url}/#/config`,
      context: sharedChannelContext({
        frameContext: 'settings',
        channelId: OTHER_CHANNEL,
        channelName: 'Fabrikam pilot',
      }),
    });
    await teams.tab.getByRole('heading', { level: 1, name: 'Choose the plans for this channel' }).waitFor();
    const box = teams.tab.getByRole('checkbox', { name: literally(UNLINKED_PLAN) });
    await box.waitFor();
    expect((await teams.state()).valid).toBe(false);
    await expect(teams.page.locator('#teams-save').isDisabled()).resolves.toBe(true);
    await teams.waitForMessage('appInitialization.success');

    await box.check();
    await teams.page.locator('#teams-save:enabled').waitFor();
    const validity = (await teams.state()).messages.filter((m) => m.func === 'settings.setValidityState');
    expect(validity.at(-1)?.args).toEqual([true]);
    expect(validity.slice(0, -1).every((m) => m.args[0] === false)).toBe(true);
    expect(validity.length).toBeGreaterThan(1);
    await teams.waitForHandler('save');
  });

  it("on Teams' Save, links the plan to the channel and answers the tab's settings (setConfig)", async () => {
    await expect(teams.save()).resolves.toBe('success');
    const state = await teams.state();
    expect(state.savedConfigs).toHaveLength(1);
    saved = state.savedConfigs[0];
    const contentUrl = `${host.url}/#/?channel=${encodeURIComponent(OTHER_CHANNEL)}`;
    expect(saved).toEqual({
      contentUrl,
      websiteUrl: contentUrl,
      entityId: 'cosell-plans',
      suggestedDisplayName: 'Co-Sell Plan',
    });
    expect(state.messages.filter((m) => !m.known).map((m) => m.func)).toEqual([]);

    const stored = await api<Plan>('GET', `/api/plans/${unlinkedPlanId}`);
    expect(stored.channelIds).toEqual([OTHER_CHANNEL]);
    const history = await api<{ items: { changes: string[] }[] }>(
      'GET',
      `/api/plans/${unlinkedPlanId}/history`,
    );
    expect(history.items[0]?.changes).toEqual(['Shown in the Teams channel "Fabrikam pilot"']);
  });

  it('the saved content URL opens the portfolio of that channel with the plan', async () => {
    const { contentUrl } = saved as { contentUrl: string };
    const page = await newPage();
    const content = await EmulatedTeams.open(page, emulator, {
      tabUrl: contentUrl,
      context: sharedChannelContext({ channelId: OTHER_CHANNEL, channelName: 'Fabrikam pilot' }),
    });
    await content.tab.getByRole('link', { name: UNLINKED_PLAN }).waitFor();
    const titles = await content.tab
      .getByRole('table', { name: 'Co-sell plans' })
      .getByRole('link')
      .allTextContents();
    expect(titles).toEqual([UNLINKED_PLAN]);
    await page.close();
  });

  it('creates a plan for the channel from the configuration page, and Save keeps it there', async () => {
    const title = 'Fabrikam Freight — renewal (created in Teams)';
    await teams.page.reload();
    await teams.tab.getByRole('checkbox', { name: literally(UNLINKED_PLAN) }).waitFor();
    await expect(
      teams.tab.getByRole('checkbox', { name: literally(UNLINKED_PLAN) }).isChecked(),
    ).resolves.toBe(true);
    await teams.tab.getByRole('textbox', { name: 'Title' }).fill(title);
    await teams.tab.getByRole('radio', { name: 'Mutual action plan' }).check();
    await teams.tab.getByRole('button', { name: 'Create plan' }).click();
    await teams.tab.getByRole('status').filter({ hasText: 'it is picked for this channel' }).waitFor();
    const created = teams.tab.getByRole('checkbox', { name: literally(title) });
    await created.waitFor();
    await expect(created.isChecked()).resolves.toBe(true);
    expect(await seriousViolations(teams.tabFrame(), 'configuration page in Teams')).toEqual([]);
    await screenshot(teams, 'config');

    await expect(teams.save()).resolves.toBe('success');
    const page = await api<{ items: { id: string; title: string; motion: string; status: string }[] }>(
      'GET',
      `/api/plans?channel=${encodeURIComponent(OTHER_CHANNEL)}`,
    );
    const mine = page.items.find((p) => p.title === title);
    expect(mine).toMatchObject({ motion: 'map', status: 'draft' });
    expect(mine?.id).toMatch(/^plan-[0-9a-f]{32}$/);
    expect(page.items.map((p) => p.title).sort()).toEqual([UNLINKED_PLAN, title].sort());
  });
});

describe('outside Teams (a top-level page)', () => {
  it('answers "browser" at once: the plans show and teams-js is never requested', async () => {
    requests.length = 0;
    const page = await newPage();
    await page.goto(`${host.url}/#/`);
    await page.getByRole('link', { name: DEMO_TITLE }).waitFor();
    await page.getByRole('link', { name: CHANNEL_PLAN }).waitFor();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => /teams/.test(new URL(url).pathname))).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(`${host.url}/`) && !url.startsWith('data:'))).toEqual([]);
    await expect(page.getByText(/Teams user:/).count()).resolves.toBe(0);
    await page.close();
  });

  it('raised no script errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
