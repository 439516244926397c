import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PLAN_ID, DEMO_TITLE, type Harness, screenshot, startHarness } from './plan-editing-harness';

/*
 * The plan on a phone (390×844, an iPhone 12–15 in portrait): the demo plan, with two partners side by
 * side on a desktop, reads without horizontal scrolling, in the view and with an editor open.
 */

const WIDTH = 390;

let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  page = await h.newPage({ viewport: { width: WIDTH, height: 844 } });
}, 90_000);

afterAll(async () => {
  await h?.stop();
}, 30_000);

const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

/** Elements that stick out past the right edge: what a failure needs to be fixed. */
const overflowing = () =>
  page.evaluate((width) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 && box.width > 0) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
      }
    }
    return out.slice(0, 10);
  }, WIDTH);

describe('the plan page at 390×844', () => {
  it('reads without horizontal scrolling, milestones and actions stacked as labelled lines', async () => {
    await page.goto(`${h.baseUrl}/#/plans/${DEMO_PLAN_ID}`);
    await page.getByRole('heading', { level: 1, name: DEMO_TITLE }).waitFor();
    await page.getByRole('button', { name: 'Edit Joint actions' }).waitFor();
    expect(await overflowing()).toEqual([]);
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
    // The table rows are stacks: a row is as wide as the section, and its cells sit one under another.
    const row = page.getByRole('region', { name: 'Joint actions' }).locator('tbody tr').first();
    const cells = row.locator('td');
    const first = await cells.nth(0).boundingBox();
    const second = await cells.nth(1).boundingBox();
    expect(second?.y ?? 0).toBeGreaterThan((first?.y ?? 0) + (first?.height ?? 0) - 1);
    await screenshot(page, 'mobile-plan');
  });

  it('reads without horizontal scrolling with an editor open', async () => {
    await page.getByRole('button', { name: 'Edit Named owners' }).click();
    await page.getByRole('button', { name: 'Save Named owners' }).waitFor();
    await page.getByRole('button', { name: 'Edit Joint actions' }).click();
    await page.getByRole('button', { name: 'Save Joint actions' }).waitFor();
    expect(await overflowing()).toEqual([]);
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDTH);
    await screenshot(page, 'mobile-editors');
  });

  it('raised no script errors', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
