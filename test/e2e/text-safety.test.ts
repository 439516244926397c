import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanWrite } from '@cosell/shared';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

/*
 * Plan text is data: markup and script typed into any text field is shown as the text it is, on every page
 * that shows it (portfolio, plan, history, print). A page proves it by: no script of the payloads ran
 * (window.__pwned stays undefined, no dialog opened), the payload is on screen as literal text, and no
 * element the payload would have made (img with onerror, svg with onload, script, javascript: link) exists.
 * Links are https only: the API refuses a javascript: URL where plans hold links.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PLAN_ID = 'text-safety';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const SVG = '"><svg onload=window.__pwned=1>';
const JS_LINK = 'javascript:window.__pwned=1';
/** For the fields of at most 20 characters (names). */
const SHORT_SVG = '<svg onload=alert()>';
const SHORT_IMG = '<img src=x onerror>';
const BLOCKER = `${SVG} blocked`;
const MOVE_REASON = `${IMG} moved`;

function payloadPlan(): PlanWrite {
  const today = new Date().toISOString().slice(0, 10);
  return {
    id: PLAN_ID,
    title: `${IMG} ${SCRIPT}`,
    status: 'active',
    motion: 'co-sell',
    accounts: [
      {
        id: 'acc-1',
        name: SCRIPT,
        domain: 'payload.example.com',
        crmAccountId: SVG,
        overlapSource: {
          system: 'crossbeam',
          population: SHORT_SVG,
          partnerPopulation: SHORT_IMG,
          recordId: SVG,
        },
      },
    ],
    partners: [
      {
        id: 'p-1',
        name: SVG,
        record: { system: SHORT_IMG, id: JS_LINK, url: 'https://partner.example.com/record/1' },
      },
      { id: 'p-2', name: `${JS_LINK} 2` },
    ],
    people: [
      {
        id: 'v-1',
        firstName: SHORT_SVG,
        lastName: SHORT_IMG,
        email: 'vendor@payload.example',
        role: 'account-executive',
        title: SHORT_SVG,
        side: 'vendor',
      },
      {
        id: 'p-1-1',
        firstName: SHORT_IMG,
        lastName: SHORT_SVG,
        email: 'partner@payload.example',
        role: 'partner-counterpart',
        side: 'partner',
        partnerId: 'p-1',
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
    actions: [
      {
        id: 'a-1',
        description: `${SCRIPT} do it`,
        ownerId: 'v-1',
        due: today,
        status: 'open',
        milestoneId: 'm-1',
      },
      { id: 'a-2', description: `${IMG} too`, ownerId: 'p-1-1', due: today, status: 'open' },
    ],
    economics: [
      {
        partnerId: 'p-1',
        kind: 'terms',
        terms: [{ kind: 'referral-fee', value: { type: 'percent', percent: 10 }, terms: IMG, agreed: true }],
      },
      { partnerId: 'p-2', kind: 'none', statement: `${SCRIPT} ${JS_LINK}` },
    ],
    escalation: {
      thresholdDays: 14,
      vendorChain: ['v-1'],
      partnerChains: [{ partnerId: 'p-1', chain: ['p-1-1'] }],
    },
    crmDeal: { system: 'salesforce', id: JS_LINK, url: 'https://crm.example.com/deal/1' },
  };
}

let host: ChildHost;
let browser: Browser | undefined;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

async function api(
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${host.url}/api${pathname}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** What the page's DOM holds that only an interpreted payload would have made, and whether a payload ran. */
async function payloadEffects(p: Page) {
  return p.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    imgWithOnerror: document.querySelectorAll('img[onerror], img[src="x"]').length,
    svgWithOnload: document.querySelectorAll('svg[onload]').length,
    payloadScripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__pwned'))
      .length,
    javascriptLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
      a.getAttribute('href')?.trim().toLowerCase().startsWith('javascript:'),
    ).length,
  }));
}

const NOTHING_RAN = {
  pwned: undefined,
  imgWithOnerror: 0,
  svgWithOnload: 0,
  payloadScripts: 0,
  javascriptLinks: 0,
};

beforeAll(async () => {
  for (const file of ['tab/dist/index.html', 'functions/dist/local-host.js']) {
    if (!existsSync(path.join(ROOT, file)))
      throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  host = await startChildHost({ COSELL_TAB_DIR: path.join(ROOT, 'tab/dist') });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
}, 30_000);

describe('links in a plan are https only', () => {
  it.each([
    [
      'the CRM deal link',
      (plan: PlanWrite) => ({ ...plan, crmDeal: { system: 'other', id: 'x', url: JS_LINK } }),
    ],
    [
      "a partner record's link",
      (plan: PlanWrite) => ({
        ...plan,
        partners: plan.partners.map((p) => ({ ...p, record: { id: 'r', url: 'javascript:alert(1)' } })),
      }),
    ],
  ])('the API refuses a javascript: URL as %s with 422, naming the field', async (_name, withLink) => {
    const plan = withLink({ ...payloadPlan(), id: 'js-link' } as PlanWrite);
    const res = await api('POST', '/plans', plan);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('a link must be an https:// URL');
  });
});

describe('markup and script in every text field are shown as text', () => {
  beforeAll(async () => {
    const created = await api('POST', '/plans', payloadPlan());
    if (created.status !== 201)
      throw new Error(`the payload plan was refused: ${JSON.stringify(created.body)}`);
    // History entries that quote the payloads: a blocker raised and a milestone moved.
    const updated = await api('POST', `/plans/${PLAN_ID}/operations`, {
      operations: [
        { op: 'raise-blocker', actionId: 'a-2', blocker: BLOCKER },
        { op: 'move-milestone', milestoneId: 'm-1', due: '2099-01-15', reason: MOVE_REASON },
      ],
    });
    if (updated.status !== 200)
      throw new Error(`the operations were refused: ${JSON.stringify(updated.body)}`);
  });

  it('on the portfolio', async () => {
    await page.goto(`${host.url}/#/`);
    await page.getByText(`${IMG} ${SCRIPT}`, { exact: true }).first().waitFor();
    expect(await payloadEffects(page)).toEqual(NOTHING_RAN);
  });

  it('on the plan page', async () => {
    await page.goto(`${host.url}/#/plans/${PLAN_ID}`);
    await page.getByRole('heading', { level: 1, name: `${IMG} ${SCRIPT}` }).waitFor();
    await page.getByText(`${SCRIPT} do it`).first().waitFor();
    await page.getByText(SCRIPT, { exact: true }).first().waitFor();
    await page.getByText(BLOCKER).first().waitFor();
    await page.getByText(`${SVG} review`).first().waitFor();
    await page.getByText(JS_LINK).first().waitFor();
    expect(await payloadEffects(page)).toEqual(NOTHING_RAN);
  });

  it('on the history page', async () => {
    await page.goto(`${host.url}/#/plans/${PLAN_ID}/history`);
    await page.getByText(BLOCKER).first().waitFor();
    await page.getByText(MOVE_REASON).first().waitFor();
    expect(await payloadEffects(page)).toEqual(NOTHING_RAN);
  });

  it('on the print page', async () => {
    await page.goto(`${host.url}/#/plans/${PLAN_ID}/print`);
    const sheet = page.locator('.cs-print-sheet');
    await sheet.getByRole('heading', { level: 1, name: `${IMG} ${SCRIPT}` }).waitFor();
    await sheet.getByText(SCRIPT, { exact: true }).first().waitFor();
    await sheet.getByText(BLOCKER).first().waitFor();
    await sheet.getByText(MOVE_REASON).first().waitFor();
    await sheet.getByText(`${SCRIPT} ${JS_LINK}`).first().waitFor();
    expect(await payloadEffects(page)).toEqual(NOTHING_RAN);
  });

  it('ran no payload: no dialog opened and no script error was raised', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
