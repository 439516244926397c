import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { build } from 'esbuild';
import { parseDocument } from 'htmlparser2';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, LOCAL_HOST, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import type { SimulatedOfficeOptions, SimulatedOfficeState } from '../support/simulated-office';

/*
 * The Outlook add-in's task pane as a person meets it: the built tab (tab/dist/addin.html) and the API on the
 * local host with the demo plan, in Chromium, with the simulated Outlook in place of Office.js (the CDN URL
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js is routed to test/support/simulated-office.ts,
 * bundled here with esbuild). The page is opened at an https origin (https://cosell.test, routed to the
 * local host) as Outlook would load it, so the summary's link back to the plan is https as in production.
 * Checks: the plan list, the summary inserted into the simulated body, the PDF attached, attendees without
 * the buyer, the tag; the attendee's read-only plan; the message when Mailbox 1.8 is missing; axe-core.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAB_DIR = path.join(ROOT, 'tab/dist');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const ORIGIN = 'https://cosell.test';
const DEMO_ID = 'demo-northwind';
const DEMO_TITLE = 'Northwind Logistics — supply-chain analytics rollout';
const BUYERS = ['helen.costa@northwindlogistics.com', 'omar.haddad@northwindlogistics.com'];
/** A pane opens a browser context and renders a PDF on the server: generous on a shared, loaded machine. */
const PANE_TIMEOUT = 90_000;

let host: ChildHost | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;
let simulatedOfficeJs = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(TAB_DIR, 'addin.html')) || !existsSync(LOCAL_HOST)) {
    throw new Error(
      'The tab or the local host is not built (tab/dist/addin.html or functions/dist/local-host.js is missing). Run `npm run build` first.',
    );
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  const bundle = await build({
    stdin: {
      contents: `import { createSimulatedOffice } from './simulated-office';
        const simulated = createSimulatedOffice(window.__SIMULATED_OFFICE_OPTIONS__);
        window.Office = simulated.Office;
        window.__simulatedOffice = simulated.state;`,
      resolveDir: path.join(ROOT, 'test/support'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  simulatedOfficeJs = bundle.outputFiles[0]?.text ?? '';
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-addin-e2e-'));
  host = await startChildHost({ COSELL_TAB_DIR: TAB_DIR, COSELL_SEED_DEMO: 'true' }, dataDir);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

/** A fresh pane in Outlook's place: https origin → the local host; Office.js → the simulated Outlook. */
async function openPane(options: SimulatedOfficeOptions): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser || !host) throw new Error('not started');
  const local = host.url;
  const context = await browser.newContext({ viewport: { width: 400, height: 900 } });
  await context.route(OFFICE_JS, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: simulatedOfficeJs }),
  );
  await context.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${local}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
  await context.addInitScript((o) => {
    (window as unknown as { __SIMULATED_OFFICE_OPTIONS__: unknown }).__SIMULATED_OFFICE_OPTIONS__ = o;
  }, options);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${ORIGIN}/addin.html`);
  return { context, page };
}

function simulatedState(page: Page): Promise<SimulatedOfficeState> {
  return page.evaluate(
    () => (window as unknown as { __simulatedOffice: SimulatedOfficeState }).__simulatedOffice,
  );
}

async function seriousViolations(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = serious.map(
    (v) =>
      `${name}: [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`,
  );
  if (lines.length > 0) console.error(lines.join('\n'));
  return lines;
}

/** COSELL_SCREENSHOTS=/some/dir keeps a full-page screenshot of each pane. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.COSELL_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `cosell-addin-${name}.png`), fullPage: true });
}

function textOf(html: string): string {
  const out: string[] = [];
  const walk = (node: { type: string; data?: string; children?: unknown[] }) => {
    if (node.type === 'text') out.push(node.data ?? '');
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(parseDocument(html) as unknown as { type: string; children: unknown[] });
  return out.join('');
}

describe('the organiser adds a plan to a meeting in Outlook', () => {
  it(
    'picks the demo plan, invites its people, and sees the summary, the PDF and the tag in the meeting',
    async () => {
      const before = '<p>Agenda: the Fabrikam security review</p>';
      const { context, page } = await openPane({
        item: 'organizer',
        requirementSets: { Mailbox: '1.8' },
        body: `${before}<p>Teams link</p>`,
        cursor: before.length,
        userEmail: 'maya.okafor@vendor.example',
      });
      try {
        await page.getByRole('heading', { level: 1, name: 'Co-Sell Plan' }).waitFor();
        const select = page.getByLabel('Plan');
        await select.waitFor();
        // The plans arrive after the list is drawn: wait for the option, not just the select.
        await select.locator('option', { hasText: DEMO_TITLE }).waitFor({ state: 'attached' });
        expect(await select.locator('option').allTextContents()).toContain(DEMO_TITLE);
        await select.selectOption({ label: DEMO_TITLE });

        await page.getByRole('checkbox', { name: /Invite the plan's vendor and partner people/ }).check();
        const invitees = page.getByRole('list', { name: 'People to invite' });
        await invitees.getByText('Sofia Marino', { exact: false }).waitFor();
        const listed = await invitees.getByRole('listitem').allTextContents();
        for (const buyer of BUYERS) expect(listed.join('\n')).not.toContain(buyer);

        expect(await seriousViolations(page, 'organiser pane, plan chosen')).toEqual([]);

        await page.getByRole('button', { name: 'Add to meeting' }).click();
        const done = page.getByRole('group').filter({ hasText: 'Added to the meeting' });
        await done.waitFor();
        await done.getByText(`The summary of ${DEMO_TITLE} was inserted at the cursor.`).waitFor();
        await done.getByText(/\(Letter\)\.pdf \(\d+ kB\) was attached\./).waitFor();
        await done.getByText(/^Invited: /).waitFor();
        await done.getByText(/tagged with the plan \(version \d+\)/).waitFor();

        const state = await simulatedState(page);
        // The summary went in at the cursor, as email HTML linking back to the plan on the tab's https origin.
        expect(state.body.startsWith(before)).toBe(true);
        expect(state.body.endsWith('<p>Teams link</p>')).toBe(true);
        expect(state.body).toContain(`href="${ORIGIN}/#/plans/${DEMO_ID}"`);
        expect(textOf(state.body)).toContain(DEMO_TITLE);
        // The PDF the API made, attached once.
        expect(state.attachments).toHaveLength(1);
        const pdf = Buffer.from(state.attachments[0]?.base64 ?? '', 'base64');
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(state.attachments[0]?.name).toBe(`${DEMO_TITLE} (Letter).pdf`);
        // Vendor and partner people, not the buyer, not the organiser.
        const emails = state.requiredAttendees.map((a) => a.emailAddress);
        expect(emails).toContain('sofia.marino@contoso.example');
        expect(emails).toContain('lukas.brandt@vendor.example');
        expect(emails).not.toContain('maya.okafor@vendor.example');
        for (const buyer of BUYERS) expect(emails).not.toContain(buyer);
        expect(state.savedCustomProperties.cosellPlanId).toBe(DEMO_ID);
        expect(Number(state.savedCustomProperties.cosellPlanVersion)).toBeGreaterThan(0);

        await screenshot(page, 'organizer');
        expect(await seriousViolations(page, 'organiser pane, added')).toEqual([]);
      } finally {
        await context.close();
      }
    },
    PANE_TIMEOUT,
  );

  it(
    'tells the person, by name of the requirement set, when Outlook lacks Mailbox 1.8',
    async () => {
      const { context, page } = await openPane({ item: 'organizer', requirementSets: { Mailbox: '1.7' } });
      try {
        const bar = page.getByRole('group').filter({ hasText: 'Outlook needs an update' });
        await bar.getByText(/needs the Mailbox 1\.8 requirement set/).waitFor();
        expect(await page.getByRole('button', { name: 'Add to meeting' }).count()).toBe(0);
        expect((await simulatedState(page)).calls).toEqual([]);
        await screenshot(page, 'requirement');
        expect(await seriousViolations(page, 'requirement missing')).toEqual([]);
      } finally {
        await context.close();
      }
    },
    PANE_TIMEOUT,
  );

  it(
    'on an email rather than a meeting, says to open a meeting',
    async () => {
      const { context, page } = await openPane({ item: 'message' });
      try {
        await page.getByText('Co-Sell Plan works with meetings.', { exact: false }).waitFor();
      } finally {
        await context.close();
      }
    },
    PANE_TIMEOUT,
  );
});

describe('an attendee opens the plan of a meeting', () => {
  it(
    "shows the plan read-only from the link in the organiser's summary, with a link to the tab",
    async () => {
      const { context, page } = await openPane({
        item: 'attendee',
        body: `<p>Weekly sync</p><a href="${ORIGIN}/#/plans/${DEMO_ID}">Open the plan in Teams</a>`,
      });
      try {
        await page.getByRole('heading', { level: 2, name: DEMO_TITLE }).waitFor();
        const link = page.getByRole('link', { name: 'Open the plan in Teams' });
        expect(await link.getAttribute('href')).toBe(`${ORIGIN}/#/plans/${DEMO_ID}`);
        await page.getByRole('region', { name: 'Accounts' }).getByText('Fabrikam Freight').waitFor();
        expect(await page.getByRole('button').count()).toBe(0);
        expect(await page.getByRole('textbox').count()).toBe(0);
        await screenshot(page, 'attendee');
        expect(await seriousViolations(page, 'attendee pane')).toEqual([]);
      } finally {
        await context.close();
      }
    },
    PANE_TIMEOUT,
  );

  it(
    'says so when the meeting carries no plan',
    async () => {
      const { context, page } = await openPane({ item: 'attendee', body: '<p>Just a call</p>' });
      try {
        await page.getByText('This meeting does not carry a co-sell plan.', { exact: false }).waitFor();
      } finally {
        await context.close();
      }
    },
    PANE_TIMEOUT,
  );

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
