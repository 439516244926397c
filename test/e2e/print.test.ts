import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { type MaximalPlan, maximalPlan } from '../support/maximal-plan';

/*
 * One page is a product rule (SPEC §2): the plan at every limit at once, in the widest letters, prints on
 * exactly one page, in Letter and in A4, and nothing is cut off: the PDF Chromium prints is read back with
 * a real PDF parser (pdfjs) for its page count and its text, and the print layout is checked for content
 * that overflows its box. The demo plan prints on one page too. Set COSELL_SCREENSHOTS=/dir to keep the PDFs.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const FORMATS = ['Letter', 'A4'] as const;
/** The sheet's box: the width of A4 and the height of Letter, less the 8 mm margins of print.css. */
const SHEET_MM = { width: 210 - 16, height: 279.4 - 16 };
const PX_PER_MM = 96 / 25.4;

let host: ChildHost;
let browser: Browser | undefined;
let page: Page;
let maximal: MaximalPlan;
let crowded: MaximalPlan;
const pageErrors: string[] = [];

async function createPlan(body: unknown): Promise<void> {
  const response = await fetch(`${host.url}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`creating a plan answered ${response.status}: ${await response.text()}`);
}

async function openPrintPage(planId: string): Promise<void> {
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${host.url}/#/plans/${planId}/print`);
  await page.locator('.cs-print-sheet').waitFor();
  // The sheet's font is a web font: print only once it has loaded, as a person pressing Print would.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

interface PrintedPdf {
  pages: number;
  /** All the text of the PDF with every whitespace removed (a wrapped line is still the same text). */
  text: string;
}

async function printPdf(format: (typeof FORMATS)[number]): Promise<PrintedPdf> {
  await page.emulateMedia({ media: 'print' });
  // As the print dialog does: the paper chosen there, the margins of the page's @page rule.
  const bytes = await page.pdf({ format, printBackground: true });
  const dir = process.env.COSELL_SCREENSHOTS;
  if (dir) {
    const { writeFileSync } = await import('node:fs');
    const title = await page.title();
    writeFileSync(
      path.join(dir, `cosell-print-${title.slice(0, 12).replace(/\W/g, '_')}-${format}.pdf`),
      bytes,
    );
  }
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const texts: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item) texts.push(item.str);
  }
  const pages = pdf.numPages;
  await pdf.destroy();
  return { pages, text: texts.join('').replace(/\s+/g, '') };
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** In print media, at the width of the sheet: how tall it is, and every element whose content overflows it. */
async function measureSheet(): Promise<{ heightMm: number; widthMm: number; overflowing: string[] }> {
  await page.emulateMedia({ media: 'print' });
  return page.evaluate((pxPerMm) => {
    const sheet = document.querySelector('.cs-print-sheet');
    if (!(sheet instanceof HTMLElement)) throw new Error('no print sheet');
    const box = sheet.getBoundingClientRect();
    const overflowing = [sheet, ...sheet.querySelectorAll<HTMLElement>('*')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      // Inline elements report no client box; only boxes that could clip are of interest, and not the
      // headings that are there for screen readers only (one pixel by design).
      .filter((el) => getComputedStyle(el).display !== 'inline' && el.clientHeight > 0)
      .filter((el) => !el.classList.contains('cs-print-sr'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`);
    return { heightMm: box.height / pxPerMm, widthMm: box.width / pxPerMm, overflowing };
  }, PX_PER_MM);
}

async function seriousViolations(): Promise<string[]> {
  await page.emulateMedia({ media: 'screen' });
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeAll(async () => {
  for (const file of ['tab/dist/index.html', 'functions/dist/local-host.js']) {
    if (!existsSync(path.join(ROOT, file)))
      throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  host = await startChildHost({ COSELL_SEED_DEMO: 'true', COSELL_TAB_DIR: path.join(ROOT, 'tab/dist') });
  const today = new Date().toISOString().slice(0, 10);
  maximal = maximalPlan(today, { id: 'maximal' });
  crowded = maximalPlan(today, { id: 'maximal-crowded', crowd: 'vendor' });
  await createPlan(maximal.plan);
  await createPlan(crowded.plan);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  // The viewport is the sheet's width: print media lays out at the viewport's width.
  page = await browser.newPage({
    viewport: { width: Math.round(SHEET_MM.width * PX_PER_MM), height: 1000 },
  });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
}, 30_000);

describe('the print page puts the plan on exactly one page, Letter and A4', () => {
  it.each([
    ['the maximal plan (people beyond the escalation chains on the buyer side)', 'maximal'],
    ['the maximal plan with those people crowded on the vendor side', 'maximal-crowded'],
  ])('%s fits the sheet box in print media, and nothing in it overflows', async (_name, planId) => {
    await openPrintPage(planId);
    const sheet = await measureSheet();
    console.log(`${planId}: the sheet is ${sheet.widthMm.toFixed(1)} x ${sheet.heightMm.toFixed(1)} mm`);
    expect(sheet.widthMm).toBeLessThanOrEqual(SHEET_MM.width + 0.5);
    expect(sheet.heightMm).toBeLessThanOrEqual(SHEET_MM.height);
    expect(sheet.overflowing).toEqual([]);
  });

  it.each(FORMATS)(
    'prints the maximal plan on one %s page with its last action, blocker, milestone, terms and escalation person',
    async (format) => {
      await openPrintPage('maximal');
      const pdf = await printPdf(format);
      expect(pdf.pages).toBe(1);
      for (const text of [
        maximal.lastAction,
        maximal.lastBlocker,
        maximal.lastMilestone,
        maximal.lastEconomicTerms,
        maximal.lastEscalationPerson,
      ]) {
        expect(pdf.text).toContain(squeeze(text));
      }
    },
  );

  it.each(FORMATS)('prints the crowded maximal plan on one %s page', async (format) => {
    await openPrintPage('maximal-crowded');
    const pdf = await printPdf(format);
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain(squeeze(crowded.lastAction));
    expect(pdf.text).toContain(squeeze(crowded.lastEscalationPerson));
  });

  it.each(FORMATS)(
    'prints the demo plan on one %s page, without the app banner or the toolbar',
    async (format) => {
      await openPrintPage('demo-northwind');
      const pdf = await printPdf(format);
      expect(pdf.pages).toBe(1);
      expect(pdf.text).toContain(squeeze('Northwind Logistics — supply-chain analytics rollout'));
      expect(pdf.text).toContain(squeeze('Validate the SAP TM integration in the pilot'));
      // Neither the banner ("Signed in as") nor the toolbar ("Back to the plan", "Print") is printed.
      expect(pdf.text).not.toContain('Signedinas');
      expect(pdf.text).not.toContain('Backtotheplan');
    },
  );

  it('has a Print button and a way back, reachable by keyboard, and no serious accessibility violations', async () => {
    await openPrintPage('demo-northwind');
    await page.keyboard.press('Tab');
    const reached: string[] = [];
    for (let i = 0; i < 6; i++) {
      reached.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
      await page.keyboard.press('Tab');
    }
    expect(reached).toContain('Back to the plan');
    expect(reached).toContain('Print');
    expect(await seriousViolations()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
