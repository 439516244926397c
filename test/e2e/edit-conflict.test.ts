import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  screenshot,
  seriousViolations,
  startHarness,
  twoSidedPlan,
} from './plan-editing-harness';

/*
 * Two people edit the same joint action in two browser contexts. A saves first; B's save (PUT with the
 * If-Match of the version B loaded) gets 412. B sees what A changed and what B changed, B's typing is
 * still in the field, and B chooses: "Keep mine" stores B's text, "Take theirs" keeps A's.
 */

const PLAN_ID = 'conflict-e2e';
const TITLE = `Conflict test ${PLAN_ID}`;
const ACTIONS = 'Joint actions';

let h: Harness;
let a: Page;
let b: Page;

beforeAll(async () => {
  h = await startHarness();
  await h.api.create(twoSidedPlan(PLAN_ID));
  a = await h.newPage({ user: 'alex.kim@vendor.example' });
  b = await h.newPage({ user: 'bea.lopez@vendor.example' });
}, 90_000);

afterAll(async () => {
  await h?.stop();
}, 30_000);

async function openPlan(page: Page): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${h.baseUrl}/#/plans/${PLAN_ID}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
}

function actionField(page: Page) {
  return page.getByRole('group', { name: 'Action 1' }).getByLabel('Action', { exact: false }).first();
}

async function editAction(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: `Edit ${ACTIONS}` }).click();
  await actionField(page).fill(text);
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: `Save ${ACTIONS}` }).click();
}

describe('an edit conflict between two browser contexts', () => {
  it('shows B what A changed and what B changed, keeps B\'s typing, and "Keep mine" stores B\'s text', async () => {
    await openPlan(a);
    await openPlan(b);
    await editAction(a, 'Send the pilot plan to the CIO (A)');
    await editAction(b, 'Send the pilot plan and the SOW (B)');

    await save(a);
    await a.getByRole('button', { name: `Edit ${ACTIONS}` }).waitFor();
    expect((await h.api.get(PLAN_ID)).actions[0]?.description).toBe('Send the pilot plan to the CIO (A)');

    await save(b);
    const panel = b.getByRole('alert').filter({ hasText: 'Someone else saved this plan' });
    await panel.waitFor();
    // Focus moved to the panel, so a screen reader and the keyboard start there.
    expect(await panel.evaluate((el) => el === document.activeElement)).toBe(true);
    await panel.getByText('alex.kim@vendor.example saved it at', { exact: false }).waitFor();
    await panel.getByText('Action "Send the pilot plan to the CIO (A)" changed').waitFor();
    await panel.getByText('Action "Send the pilot plan and the SOW (B)" changed').waitFor();
    // Nothing B typed is lost before the choice.
    expect(await actionField(b).inputValue()).toBe('Send the pilot plan and the SOW (B)');
    await screenshot(b, 'conflict-panel');
    expect(await seriousViolations(b, 'conflict panel')).toEqual([]);

    // The choice is reachable from the keyboard: Tab from the panel lands on "Keep mine".
    await b.keyboard.press('Tab');
    expect(await b.evaluate(() => document.activeElement?.textContent)).toBe('Keep mine');
    await b.keyboard.press('Enter');
    await b.getByRole('button', { name: `Edit ${ACTIONS}` }).waitFor();
    await b.getByRole('region', { name: ACTIONS }).getByText('Send the pilot plan and the SOW (B)').waitFor();
    const stored = await h.api.get(PLAN_ID);
    expect(stored.actions[0]?.description).toBe('Send the pilot plan and the SOW (B)');
  });

  it('"Take theirs" drops B\'s draft and keeps what A saved', async () => {
    await openPlan(a);
    await openPlan(b);
    await editAction(a, 'Book the pilot kickoff (A)');
    await editAction(b, 'Book the pilot kickoff and the demo (B)');
    await save(a);
    await a.getByRole('button', { name: `Edit ${ACTIONS}` }).waitFor();

    await save(b);
    const panel = b.getByRole('alert').filter({ hasText: 'Someone else saved this plan' });
    await panel.getByText('Action "Book the pilot kickoff (A)" changed').waitFor();
    expect(await actionField(b).inputValue()).toBe('Book the pilot kickoff and the demo (B)');
    await panel.getByRole('button', { name: 'Take theirs' }).click();

    await b.getByText('You took their version').waitFor();
    await b.getByRole('region', { name: ACTIONS }).getByText('Book the pilot kickoff (A)').waitFor();
    expect((await h.api.get(PLAN_ID)).actions[0]?.description).toBe('Book the pilot kickoff (A)');
  });

  it('"Keep mine" writes only what B changed: what A changed elsewhere in the plan and in the same action stays', async () => {
    await openPlan(a);
    await openPlan(b);
    await a.getByRole('button', { name: 'Edit Shared accounts' }).click();
    await a.getByRole('group', { name: 'Account 1' }).getByLabel('Account name').fill('Tailspin Toys Europe');
    await a.getByRole('button', { name: `Edit ${ACTIONS}` }).click();
    await a.getByRole('group', { name: 'Action 1' }).getByLabel('Due').fill('2031-06-30');
    await editAction(b, 'Book the pilot kickoff for Europe (B)');
    await a.getByRole('button', { name: 'Save Shared accounts' }).click();
    await a.getByRole('button', { name: 'Edit Shared accounts' }).waitFor();
    await save(a);
    await a.getByRole('button', { name: `Edit ${ACTIONS}` }).waitFor();

    await save(b);
    const panel = b.getByRole('alert').filter({ hasText: 'Someone else saved this plan' });
    await panel.getByText('Account "Tailspin Toys Europe" changed').waitFor();
    await panel.getByText(/Action "Book the pilot kickoff \(A\)" changed: due \S+ → 2031-06-30/).waitFor();
    await panel.getByRole('button', { name: 'Keep mine' }).click();
    await b.getByRole('button', { name: `Edit ${ACTIONS}` }).waitFor();

    const stored = await h.api.get(PLAN_ID);
    expect(stored.accounts[0]?.name).toBe('Tailspin Toys Europe');
    expect(stored.actions[0]).toMatchObject({
      description: 'Book the pilot kickoff for Europe (B)',
      due: '2031-06-30',
    });
  });

  it('raised no script errors', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
