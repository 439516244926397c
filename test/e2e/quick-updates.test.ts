import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, demoPlan, type Plan, type PlanWrite, toIsoDate } from '@cosell/shared';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildHost, LOCAL_HOST, startChildHost } from '../support/child-host';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { screenshot, seriousViolations } from './plan-editing-harness';

/*
 * Issue 8 on a phone: 390×844 with touch (iPhone 12–15 portrait), against the built tab and the local host
 * (SQLite). The local identity is Maya Okafor, the vendor AE of the demo plan content used here.
 * - from opening a plan, an action is marked done in at most 3 taps (counted);
 * - moving a milestone without a reason is refused with a message, and nothing is sent;
 * - an update the server refuses is undone with a message that says why;
 * - an update made offline shows as pending, is kept, and is sent when the connection returns;
 * - "My co-sell" and the quick view: no serious or critical axe violations, no horizontal scrolling,
 *   every button and link at least 44 px.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built tab (`npm run build:tab`); COSELL_E2E_TAB_DIR points at another build. */
const TAB_DIR = process.env.COSELL_E2E_TAB_DIR ?? path.join(ROOT, 'tab/dist');

const WIDTH = 390;
const HEIGHT = 844;
const today = toIsoDate(new Date());

/** The local host on SQLite with the demo plan, serving the built tab; a headless Chromium. */
const h = {
  baseUrl: '',
  host: undefined as ChildHost | undefined,
  browser: undefined as unknown as Browser,
  dataDir: '',
  pageErrors: [] as string[],
  api: {
    async get(id: string): Promise<Plan> {
      const response = await fetch(`${h.baseUrl}/api/plans/${encodeURIComponent(id)}`);
      if (!response.ok) throw new Error(`GET plan ${id}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Plan;
    },
    async create(plan: PlanWrite): Promise<Plan> {
      const response = await fetch(`${h.baseUrl}/api/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(plan),
      });
      if (response.status !== 201) throw new Error(`POST plan: ${response.status} ${await response.text()}`);
      return (await response.json()) as Plan;
    },
  },
};
let context: BrowserContext;
let page: Page;
let taps = 0;

/** One tap of a finger (a touch event, not a mouse click), counted. */
async function tap(locator: Locator): Promise<void> {
  await locator.tap();
  taps++;
}

/** A plan from the demo content with its own words, so its buttons are told apart from the demo plan's. */
function quickPlan(id: string, tag: string): PlanWrite {
  const content = demoPlan(today);
  return {
    ...content,
    id,
    title: `${tag} — Northwind rollout`,
    actions: content.actions.map((a) => ({ ...a, description: `${tag.slice(-1)}: ${a.description}` })),
    milestones: content.milestones.map((m) => ({ ...m, title: `${tag.slice(-1)}: ${m.title}` })),
  };
}

/** The plan with a person taken off it, and out of the escalation chains and cadence attendees. */
function withoutPerson(plan: Plan, personId: string): Plan {
  return {
    ...plan,
    people: plan.people.filter((p) => p.id !== personId),
    escalation: {
      ...plan.escalation,
      vendorChain: plan.escalation.vendorChain.filter((id) => id !== personId),
      partnerChains: plan.escalation.partnerChains.map((c) => ({
        ...c,
        chain: c.chain.filter((id) => id !== personId),
      })),
    },
    ...(plan.cadence
      ? {
          cadence: { ...plan.cadence, attendeeIds: plan.cadence.attendeeIds.filter((id) => id !== personId) },
        }
      : {}),
  };
}

async function serverPlan(id: string): Promise<Plan> {
  return h.api.get(id);
}

const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

/** Visible buttons, links and form controls smaller than 44×44 CSS px. */
function smallTargets(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main button, main a, main input, main select'))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.height < 44 || box.width < 44)
        out.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim() ?? ''}" ${box.width}×${box.height}`);
    }
    return out;
  });
}

async function newPhone(): Promise<Page> {
  context = await h.browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 3,
  });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  p.on('pageerror', (error) => h.pageErrors.push(error.message));
  return p;
}

beforeAll(async () => {
  if (!existsSync(path.join(TAB_DIR, 'index.html')) || !existsSync(LOCAL_HOST))
    throw new Error(
      `The tab or the local host is not built (${TAB_DIR}/index.html or ${LOCAL_HOST}): run \`npm run build\`.`,
    );
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium).`);
  h.dataDir = mkdtempSync(path.join(os.tmpdir(), 'cosell-quick-e2e-'));
  h.host = await startChildHost({ COSELL_TAB_DIR: TAB_DIR, COSELL_SEED_DEMO: 'true' }, h.dataDir);
  h.baseUrl = h.host.url;
  h.browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  await h.api.create(quickPlan('quick-a', 'Quick A'));
  await h.api.create(quickPlan('quick-b', 'Quick B'));
  page = await newPhone();
}, 90_000);

afterAll(async () => {
  await context?.close();
  await h.browser?.close();
  await h.host?.stop();
  if (h.dataDir) rmSync(h.dataDir, { recursive: true, force: true });
}, 30_000);

describe('quick updates on a phone (390×844, touch)', () => {
  it('from opening the plan, marks an action done in at most 3 taps', async () => {
    taps = 0;
    await page.goto(`${h.baseUrl}/#/plans/quick-a`);
    // A narrow screen offers the quick view above the plan.
    await tap(page.getByRole('link', { name: /^Quick update/ }));
    await page.getByRole('heading', { level: 1, name: 'Quick A — Northwind rollout' }).waitFor();
    const action = 'A: Send the multi-year pricing proposal to the CFO';
    await tap(
      page.getByRole('list', { name: 'My open actions' }).getByRole('button', { name: `Done: ${action}` }),
    );
    // At once, before the server answers: the action reads done.
    const card = page.getByRole('listitem', { name: action });
    await card.getByText('Done', { exact: true }).waitFor();
    await card.getByRole('status').waitFor({ state: 'detached' });
    expect(taps).toBeLessThanOrEqual(3);
    expect(taps).toBe(2);
    const stored = await serverPlan('quick-a');
    expect(stored.actions.find((a) => a.id === 'act-pricing')).toMatchObject({
      status: 'done',
      doneOn: today,
    });
    await screenshot(page, 'quick-done');
  });

  it('refuses to move a milestone without a reason, with a message, and sends nothing', async () => {
    const before = await serverPlan('quick-a');
    const title = 'A: Pilot sign-off by VP Operations';
    const milestones = page.getByRole('list', { name: 'Next milestones of this plan' });
    await tap(milestones.getByRole('button', { name: `Move date: ${title}` }));
    const form = page.getByRole('form', { name: `Move ${title}` });
    const newDate = addDays(today, 30);
    await form.getByLabel('New date').fill(newDate);
    await tap(form.getByRole('button', { name: 'Save new date' }));
    await form.getByText(/A reason is required to move a milestone/).waitFor();
    expect(await form.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    expect((await serverPlan('quick-a')).version).toBe(before.version);
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);

    // With a reason it goes through, and the plan keeps the reason.
    await form.getByLabel('Reason').fill('Buyer moved the pilot review');
    await tap(form.getByRole('button', { name: 'Save new date' }));
    const card = milestones.getByRole('listitem', { name: title });
    await card.getByText('Slipped').waitFor();
    await card.getByRole('status').waitFor({ state: 'detached' });
    const after = await serverPlan('quick-a');
    expect(after.milestones.find((m) => m.id === 'm-pilot')).toMatchObject({
      due: newDate,
      status: 'slipped',
      lastMove: { reason: 'Buyer moved the pilot review' },
    });
  });

  it('raises and clears a blocker', async () => {
    const title = 'A: Validate the SAP TM integration in the pilot';
    const others = page.getByRole('list', { name: 'Other open actions on this plan' });
    await tap(others.getByRole('button', { name: `Blocker: ${title}` }));
    const form = page.getByRole('form', { name: `Blocker on ${title}` });
    await form.getByLabel('What blocks it').fill('SAP sandbox is down');
    await tap(form.getByRole('button', { name: 'Raise blocker' }));
    const card = others.getByRole('listitem', { name: title });
    await card.getByText('Blocker: SAP sandbox is down').waitFor();
    await card.getByRole('status').waitFor({ state: 'detached' });
    expect((await serverPlan('quick-a')).actions.find((a) => a.id === 'act-integration')).toMatchObject({
      status: 'blocked',
      blocker: 'SAP sandbox is down',
    });
    await tap(card.getByRole('button', { name: `Clear blocker: ${title}` }));
    await card.getByText('Blocker: SAP sandbox is down').waitFor({ state: 'detached' });
    await card.getByRole('status').waitFor({ state: 'detached' });
    expect((await serverPlan('quick-a')).actions.find((a) => a.id === 'act-integration')?.status).toBe(
      'open',
    );
  });

  it('undoes an update the server refuses, and says why (a reassign to someone removed meanwhile)', async () => {
    const title = 'A: Scope the services SOW for rollout to 14 depots';
    // At a desk, someone takes Amara Nwosu off the plan after the phone loaded it.
    const current = await serverPlan('quick-a');
    const replaced = await fetch(`${h.baseUrl}/api/plans/quick-a`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': `"${current.version}"` },
      body: JSON.stringify(withoutPerson(current, 'a-pm')),
    });
    expect(replaced.status, await replaced.clone().text()).toBe(200);

    const others = page.getByRole('list', { name: 'Other open actions on this plan' });
    const card = others.getByRole('listitem', { name: title });
    await tap(card.getByRole('button', { name: `Reassign: ${title}` }));
    const form = page.getByRole('form', { name: `Reassign ${title}` });
    await form.getByLabel('New owner').selectOption({ label: 'Amara Nwosu (partner)' });
    await tap(form.getByRole('button', { name: 'Reassign' }));
    const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/reassign “A: Scope the services SOW.*” to Amara Nwosu/);
    expect(await alert.textContent()).toMatch(/no person with id "a-pm"/);
    expect(await alert.textContent()).toMatch(/undone/);
    // The card shows the owner the server has, not the refused one.
    await card.getByText('Owner: James Whitfield').waitFor();
    expect((await serverPlan('quick-a')).actions.find((a) => a.id === 'act-services')?.ownerId).toBe('c-pm');
    await tap(alert.getByRole('button', { name: 'Dismiss' }));
  });

  it('keeps an update made offline as pending and sends it when the connection returns', async () => {
    await page.goto(`${h.baseUrl}/#/my`);
    await page.getByRole('heading', { level: 1, name: 'My co-sell' }).waitFor();
    const title = 'B: Send the multi-year pricing proposal to the CFO';
    const list = page.getByRole('list', { name: 'My actions and milestones' });
    const card = list.getByRole('listitem', { name: title });
    await card.waitFor();

    await context.setOffline(true);
    await tap(card.getByRole('button', { name: `Done: ${title}` }));
    await card.getByText(/^Pending: kept on this device/).waitFor();
    await page.getByText('1 update pending').waitFor();
    // Kept on the device (a reload or a closed app would not lose it), and not on the server.
    const kept = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('cosell.outbox.v1:'))
        .map((k) => localStorage.getItem(k) ?? ''),
    );
    expect(kept.join('')).toContain('"op":"complete-action"');
    expect(kept.join('')).toContain('"planId":"quick-b"');
    expect((await serverPlan('quick-b')).actions.find((a) => a.id === 'act-pricing')?.status).toBe('open');
    await screenshot(page, 'quick-offline');

    await context.setOffline(false);
    await card.getByRole('status').waitFor({ state: 'detached' });
    await page.getByText('1 update pending').waitFor({ state: 'detached' });
    const stored = await serverPlan('quick-b');
    expect(stored.actions.find((a) => a.id === 'act-pricing')).toMatchObject({
      status: 'done',
      doneOn: today,
    });
    // Sent once: one history entry for it.
    const history = (await (await fetch(`${h.baseUrl}/api/plans/quick-b/history`)).json()) as {
      items: { changes: string[] }[];
    };
    expect(
      history.items.filter((e) => e.changes.some((c) => c.includes('Send the multi-year pricing'))),
    ).toHaveLength(1);
    const left = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('cosell.outbox.v1:')),
    );
    expect(left).toEqual([]);
  });

  it('"My co-sell" lists my open work across plans, fits 390 px, 44 px targets, no serious axe violations', async () => {
    await page.goto('about:blank');
    await page.goto(`${h.baseUrl}/#/my`);
    const list = page.getByRole('list', { name: 'My actions and milestones' });
    await list.getByRole('listitem').first().waitFor();
    // Maya's pricing actions on Quick A and Quick B are done (above); the demo plan's is still open.
    const headings = await list
      .getByRole('listitem')
      .evaluateAll((items) =>
        items.map((li) => document.getElementById(li.getAttribute('aria-labelledby') ?? '')?.textContent),
      );
    expect(headings).toEqual(['Send the multi-year pricing proposal to the CFO']);
    await list.getByRole('link', { name: 'Northwind Logistics — supply-chain analytics rollout' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
    expect(await smallTargets()).toEqual([]);
    expect(await seriousViolations(page, 'my co-sell')).toEqual([]);
    await screenshot(page, 'my-cosell');
  });

  it('the quick view fits 390 px with a form open, 44 px targets, no serious axe violations', async () => {
    await page.goto('about:blank');
    await page.goto(`${h.baseUrl}/#/plans/quick-b/quick`);
    await page.getByRole('heading', { level: 1, name: 'Quick B — Northwind rollout' }).waitFor();
    const title = 'B: Pilot sign-off by VP Operations';
    await tap(page.getByRole('button', { name: `Move date: ${title}` }));
    await page.getByRole('form', { name: `Move ${title}` }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
    expect(await smallTargets()).toEqual([]);
    expect(await seriousViolations(page, 'quick view')).toEqual([]);
    await screenshot(page, 'quick-view');
  });

  it('raised no script errors', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
