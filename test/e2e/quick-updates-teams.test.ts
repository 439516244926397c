import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '@cosell/shared';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import {
  EmulatedTeams,
  sharedChannelContext,
  startTeamsHostEmulator,
  type TeamsHostEmulator,
} from '../support/teams-host-emulator';

/*
 * Teams on a phone (issue 8): in the emulated Teams client (test/support/teams-host-emulator) with the host
 * client type ios or android, opening a plan opens its quick-update view — one tap then marks an action
 * done; with the desktop or web client the same link opens the full plan. And the personal tab's page
 * (#/my) opens as "My co-sell".
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = process.env.COSELL_E2E_TAB_DIR ?? path.join(ROOT, 'tab/dist');
const DEMO_PLAN = 'demo-northwind';
const DEMO_TITLE = 'Northwind Logistics — supply-chain analytics rollout';

let host: ChildHost;
let emulator: TeamsHostEmulator;
let browser: Browser;
let dataDir: string;
const pageErrors: string[] = [];

async function phone(): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
    locale: 'en-US',
  });
  // teams-js fetches its list of valid origins from a CDN at import time: keep the test off the internet.
  await context.route('https://res.cdn.office.net/**', (route) => route.abort());
  return context;
}

async function openInTeams(context: BrowserContext, hash: string, hostClientType: string) {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return EmulatedTeams.open(page, emulator, {
    tabUrl: `${host.url}/${hash}`,
    context: sharedChannelContext({ hostClientType }),
  });
}

beforeAll(async () => {
  if (!existsSync(path.join(TAB_DIR, 'index.html')))
    throw new Error(
      `The tab is not built (${TAB_DIR}/index.html is missing). Run \`npm run build:tab\` first.`,
    );
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-quick-teams-'));
  host = await startChildHost({ COSELL_TAB_DIR: TAB_DIR, COSELL_SEED_DEMO: 'true' }, dataDir);
  emulator = await startTeamsHostEmulator();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...emulator.chromiumArgs],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the tab in Teams on a phone', () => {
  it('opens a plan as its quick-update view on iOS, where one tap marks an action done', async () => {
    const context = await phone();
    const teams = await openInTeams(context, `#/plans/${DEMO_PLAN}`, 'ios');
    await teams.tab.getByRole('heading', { level: 1, name: DEMO_TITLE }).waitFor();
    await teams.tab.getByRole('heading', { level: 2, name: 'My open actions' }).waitFor();
    expect(teams.tabFrame().url()).toMatch(/#\/plans\/demo-northwind\/quick$/);
    let taps = 0;
    const action = 'Send the multi-year pricing proposal to the CFO';
    await teams.tab.getByRole('button', { name: `Done: ${action}` }).tap();
    taps++;
    const card = teams.tab.getByRole('listitem', { name: action });
    await card.getByText('Done', { exact: true }).waitFor();
    await card.getByRole('status').waitFor({ state: 'detached' });
    expect(taps).toBe(1);
    const plan = (await (await fetch(`${host.url}/api/plans/${DEMO_PLAN}`)).json()) as Plan;
    expect(plan.actions.find((a) => a.id === 'act-pricing')?.status).toBe('done');
    // The full plan is one tap away, and stays open (the quick view is opened once, on arrival).
    await teams.tab.getByRole('link', { name: 'Full plan' }).tap();
    await teams.tab.getByRole('button', { name: 'Edit Joint actions' }).waitFor();
    expect(teams.tabFrame().url()).toMatch(/#\/plans\/demo-northwind$/);
    await context.close();
  });

  it('does the same on Android', async () => {
    const context = await phone();
    const teams = await openInTeams(context, `#/plans/${DEMO_PLAN}`, 'android');
    await teams.tab.getByRole('heading', { level: 2, name: 'Next milestones' }).waitFor();
    expect(teams.tabFrame().url()).toMatch(/\/quick$/);
    await context.close();
  });

  it('opens the full plan on the desktop client', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('https://res.cdn.office.net/**', (route) => route.abort());
    const teams = await openInTeams(context, `#/plans/${DEMO_PLAN}`, 'desktop');
    await teams.tab.getByRole('button', { name: 'Edit Joint actions' }).waitFor();
    expect(teams.tabFrame().url()).toMatch(/#\/plans\/demo-northwind$/);
    expect(await teams.tab.getByRole('link', { name: /^Quick update/ }).count()).toBe(0);
    await context.close();
  });

  it('opens the personal tab page as "My co-sell"', async () => {
    const context = await phone();
    const teams = await openInTeams(context, '#/my', 'ios');
    await teams.tab.getByRole('heading', { level: 1, name: 'My co-sell' }).waitFor();
    await teams.tab.getByText(/Your open actions and milestones across/).waitFor();
    await context.close();
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
