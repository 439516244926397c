import { LIMITS } from '@cosell/shared';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PLAN_ID,
  DEMO_TITLE,
  type Harness,
  screenshot,
  seriousViolations,
  startHarness,
  twoSidedPlan,
} from './plan-editing-harness';

/*
 * Editing the one-page plan in place, as a person does it in Chromium against the running app: a plan
 * created on #/new, each of the six fields filled through its editor while completeness and the health
 * badges follow, everything still there after a reload; the client-side check and a server 422 shown at
 * the field; the history page paged; axe-core on the editors, #/new and the history; the keyboard path
 * from "Edit …" to "Save".
 */

const CHANNEL = '19:e2e-channel@thread.tacv2';
const TITLE = 'Tailspin Toys — warehouse robotics pilot';

let h: Harness;
let page: Page;
let createdId: string;

beforeAll(async () => {
  h = await startHarness();
  page = await h.newPage();
}, 90_000);

afterAll(async () => {
  await h?.stop();
}, 30_000);

const health = () => page.getByRole('region', { name: 'Health' });
const region = (name: string) => page.getByRole('region', { name, exact: true });

async function completeness(): Promise<string> {
  const text = await health()
    .getByText(/of 6 fields complete/)
    .textContent();
  return text ?? '';
}

/** The health badges: Stalled, Decaying, Incomplete (n gaps) or Healthy. */
async function badges(): Promise<string[]> {
  return health()
    .getByText(/^(Stalled|Decaying|Healthy|Incomplete \(\d+ gaps?\))$/)
    .allTextContents();
}

/** A fresh load of a plan page (a same-URL `goto` would only be a fragment navigation). */
async function openPlan(id: string, title: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${h.baseUrl}/#/plans/${id}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

async function saveSection(name: string): Promise<void> {
  await page.getByRole('button', { name: `Save ${name}` }).click();
  // Saved: the editor closes and its "Edit" button is back, with focus on it.
  await page.getByRole('button', { name: `Edit ${name}` }).waitFor();
  await page.getByText('Saved', { exact: true }).waitFor();
}

async function fillPerson(group: string, first: string, last: string, email: string): Promise<void> {
  const card = page.getByRole('group', { name: group, exact: true });
  await card.getByLabel('First name').fill(first);
  await card.getByLabel('Last name').fill(last);
  await card.getByLabel('Email').fill(email);
}

describe('editing a plan in place', () => {
  it('creates a draft plan on #/new (in the channel it was started from) and lands in the owners editor, with no serious accessibility violations', async () => {
    await page.goto(`${h.baseUrl}/#/new?channel=${encodeURIComponent(CHANNEL)}`);
    await page.getByRole('heading', { level: 1, name: 'New plan' }).waitFor();
    await page.getByLabel('Plan title').waitFor();
    expect(await seriousViolations(page, 'new plan')).toEqual([]);

    // The shared schema checks the form before anything is sent.
    const posts: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/plans')) posts.push(r);
    });
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByText('the plan title is required').waitFor();
    expect(posts).toHaveLength(0);

    await page.getByLabel('Plan title').fill(TITLE);
    await page.getByLabel('Account name').fill('Tailspin Toys');
    await page.getByLabel('Web domain').fill('tailspintoys.com');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('button', { name: 'Save Named owners' }).waitFor();
    expect(posts).toHaveLength(1);

    const match = /#\/plans\/([^/?]+)/.exec(page.url());
    createdId = decodeURIComponent(match?.[1] ?? '');
    const stored = await h.api.get(createdId);
    expect(stored).toMatchObject({
      title: TITLE,
      status: 'draft',
      motion: 'co-sell',
      channelIds: [CHANNEL],
      accounts: [{ name: 'Tailspin Toys', domain: 'tailspintoys.com' }],
    });
    // The caller chose the id (a retried create cannot make a second plan).
    expect(JSON.parse(posts[0]?.postData() ?? '{}').id).toBe(createdId);
    await screenshot(page, 'new-plan-landed');
  });

  it('fills each of the six fields through its editor while completeness and the health badges follow', async () => {
    expect(await completeness()).toBe('2 of 6 fields complete');
    expect(await badges()).toEqual(['Incomplete (6 gaps)']);

    // Named owners: a vendor AE, a partner with its counterpart, the economic buyer.
    await page.getByRole('button', { name: 'Add a vendor person' }).click();
    await fillPerson('Vendor person 1', 'Maya', 'Chen', 'maya.chen@vendor.example');
    await page.getByRole('button', { name: 'Add partner' }).click();
    await page
      .getByRole('group', { name: 'Partner 1' })
      .getByLabel('Partner name')
      .fill('Contoso Consulting');
    await page.getByRole('group', { name: 'Partner 1' }).getByLabel('Partner record id').fill('PRM-1');
    await page
      .getByRole('group', { name: 'Partner 1' })
      .getByLabel('Partner record link')
      .fill('https://contoso.example/prm/1');
    await page.getByRole('button', { name: 'Add a person at Contoso Consulting' }).click();
    await fillPerson('Contoso Consulting person 1', 'Sofia', 'Rossi', 'sofia.rossi@contoso.example');
    await page.getByRole('button', { name: 'Add a buyer person' }).click();
    await fillPerson('Buyer person 1', 'Helen', 'Costa', 'helen.costa@tailspintoys.com');
    await saveSection('Named owners');
    // Owners are done; the partner now needs economics and an escalation chain of its own.
    expect(await completeness()).toBe('2 of 6 fields complete');
    await health().getByText('economics not written down for Contoso Consulting').waitFor();

    await page.getByRole('button', { name: "Edit Milestones on the buyer's calendar" }).click();
    await page.getByRole('button', { name: 'Add milestone' }).click();
    const milestone = page.getByRole('group', { name: 'Milestone 1' });
    await milestone.getByLabel('Milestone', { exact: false }).first().fill('Security review passed');
    await milestone.getByLabel("Due on the buyer's calendar").fill('2031-04-15');
    await saveSection("Milestones on the buyer's calendar");
    expect(await completeness()).toBe('3 of 6 fields complete');

    await page.getByRole('button', { name: 'Edit Joint actions' }).click();
    await page.getByRole('button', { name: 'Add action' }).click();
    const vendorAction = page.getByRole('group', { name: 'Action 1' });
    await vendorAction.getByLabel('Action', { exact: false }).first().fill('Stand up the pilot tenant');
    await vendorAction.getByLabel('Due').fill('2031-03-01');
    await page.getByRole('button', { name: 'Add action' }).click();
    const partnerAction = page.getByRole('group', { name: 'Action 2' });
    await partnerAction.getByLabel('Action', { exact: false }).first().fill('Validate the ERP integration');
    await partnerAction.getByLabel('Owner').selectOption({ label: 'Sofia Rossi (Contoso Consulting)' });
    await partnerAction.getByLabel('Due').fill('2031-03-20');
    await partnerAction.getByLabel('For milestone').selectOption({ label: 'Security review passed' });
    await saveSection('Joint actions');
    expect(await completeness()).toBe('4 of 6 fields complete');

    await page.getByRole('button', { name: 'Edit Economic split' }).click();
    await page.getByRole('radio', { name: 'The split is written down' }).check();
    const term = page.getByRole('group', { name: 'Contoso Consulting term 1' });
    await term.getByLabel('Kind').selectOption({ label: 'Referral fee' });
    await term.getByLabel('Percent').fill('10');
    await term.getByLabel('Terms').fill('On first-year ACV');
    await term.getByRole('checkbox', { name: 'Agreed by both sides' }).check();
    await saveSection('Economic split');
    expect(await completeness()).toBe('5 of 6 fields complete');
    expect(await badges()).toEqual(['Incomplete (2 gaps)']);

    await page.getByRole('button', { name: 'Edit Escalation path' }).click();
    await page.getByRole('button', { name: 'Add to chain: Vendor' }).click();
    await page.getByRole('button', { name: 'Add to chain: Contoso Consulting' }).click();
    await saveSection('Escalation path');
    expect(await completeness()).toBe('6 of 6 fields complete');
    expect(await badges()).toEqual(['Healthy']);

    // The header: the plan goes live, with its CRM deal.
    await page.getByRole('button', { name: 'Edit Plan details' }).click();
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await page.getByRole('checkbox', { name: 'Linked to a deal in the CRM' }).check();
    await page.getByLabel('Deal id').fill('006-TAILSPIN');
    await page.getByLabel('Deal link').fill('https://crm.example/006-TAILSPIN');
    await saveSection('Plan details');
    await region('History').getByText('Status draft → active').waitFor();
    expect(await badges()).toEqual(['Healthy']);
    await screenshot(page, 'plan-filled');
  }, 120_000);

  it('shows everything it stored after a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await completeness()).toBe('6 of 6 fields complete');
    const owners = region('Named owners');
    for (const name of ['Maya Chen', 'Sofia Rossi', 'Helen Costa']) await owners.getByText(name).waitFor();
    await region("Milestones on the buyer's calendar").getByText('Security review passed').waitFor();
    await region('Joint actions').getByText('Validate the ERP integration').waitFor();
    await region('Economic split').getByText('On first-year ACV').waitFor();
    await region('Escalation path').getByText('Sofia Rossi').waitFor();
    await page.getByText('006-TAILSPIN').waitFor();

    const stored = await h.api.get(createdId);
    expect(stored.status).toBe('active');
    expect(stored.people.map((p) => [p.firstName, p.role, p.side])).toEqual([
      ['Maya', 'account-executive', 'vendor'],
      ['Sofia', 'partner-counterpart', 'partner'],
      ['Helen', 'economic-buyer', 'buyer'],
    ]);
    expect(stored.partners).toEqual([
      expect.objectContaining({
        name: 'Contoso Consulting',
        record: { id: 'PRM-1', url: 'https://contoso.example/prm/1' },
      }),
    ]);
    expect(stored.milestones).toEqual([
      expect.objectContaining({ title: 'Security review passed', due: '2031-04-15', status: 'planned' }),
    ]);
    expect(stored.actions.map((a) => a.description)).toEqual([
      'Stand up the pilot tenant',
      'Validate the ERP integration',
    ]);
    expect(stored.actions[1]?.milestoneId).toBe(stored.milestones[0]?.id);
    expect(stored.economics).toEqual([
      {
        partnerId: stored.partners[0]?.id,
        kind: 'terms',
        terms: [
          {
            kind: 'referral-fee',
            value: { type: 'percent', percent: 10 },
            terms: 'On first-year ACV',
            agreed: true,
          },
        ],
      },
    ]);
    expect(stored.escalation.vendorChain).toEqual([stored.people[0]?.id]);
    expect(stored.escalation.partnerChains).toEqual([
      { partnerId: stored.partners[0]?.id, chain: [stored.people[1]?.id] },
    ]);
    expect(stored.crmDeal).toEqual({
      system: 'salesforce',
      id: '006-TAILSPIN',
      url: 'https://crm.example/006-TAILSPIN',
    });
  });

  it('checks a field with the shared schema before sending, and shows it at the field', async () => {
    const puts: string[] = [];
    const onRequest = (r: Request) => {
      if (r.method() === 'PUT') puts.push(r.url());
    };
    page.on('request', onRequest);
    try {
      await page.getByRole('button', { name: 'Edit Shared accounts' }).click();
      const domain = page.getByRole('group', { name: 'Account 1' }).getByLabel('Web domain');
      await domain.fill('https://tailspintoys.com/about');
      await page.getByRole('button', { name: 'Save Shared accounts' }).click();
      await expect.poll(() => domain.getAttribute('aria-invalid')).toBe('true');
      await page
        .getByRole('group', { name: 'Account 1' })
        .getByText('a web domain looks like contoso.com (no https://, no path)')
        .waitFor();
      // Focus is on the field to fix, and the typed text is still there.
      expect(await domain.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await domain.inputValue()).toBe('https://tailspintoys.com/about');
      expect(puts).toEqual([]);
      await page.getByRole('button', { name: 'Cancel editing Shared accounts' }).click();
    } finally {
      page.off('request', onRequest);
    }
  });

  it("shows the server's 422 at the field its path names", async () => {
    // The client check would stop an over-long title; the request is changed on its way out instead.
    await page.route('**/api/plans/*', async (route) => {
      const request = route.request();
      if (request.method() !== 'PUT') return route.continue();
      const body = JSON.parse(request.postData() ?? '{}');
      body.milestones[0].title = 'x'.repeat(200);
      return route.continue({ postData: JSON.stringify(body) });
    });
    try {
      await page.getByRole('button', { name: "Edit Milestones on the buyer's calendar" }).click();
      const milestone = page.getByRole('group', { name: 'Milestone 1' });
      const title = milestone.getByLabel('Milestone', { exact: false }).first();
      await title.fill('Security review passed by InfoSec');
      await page.getByRole('button', { name: "Save Milestones on the buyer's calendar" }).click();
      await milestone
        .getByText(`the milestone title is limited to ${LIMITS.milestoneTitle} characters`)
        .waitFor();
      expect(await title.getAttribute('aria-invalid')).toBe('true');
      expect(await title.inputValue()).toBe('Security review passed by InfoSec');
      await page
        .getByText(
          `Milestone 1, title: the milestone title is limited to ${LIMITS.milestoneTitle} characters`,
        )
        .waitFor();
      await screenshot(page, 'server-422-at-field');
    } finally {
      await page.unroute('**/api/plans/*');
    }
    // Without the interceptor the same draft saves.
    await saveSection("Milestones on the buyer's calendar");
    expect((await h.api.get(createdId)).milestones[0]?.title).toBe('Security review passed by InfoSec');
  });

  it('has no serious accessibility violations with every editor open', async () => {
    await openPlan(DEMO_PLAN_ID, DEMO_TITLE);
    for (const section of [
      'Plan details',
      'Shared accounts',
      'Named owners',
      "Milestones on the buyer's calendar",
      'Joint actions',
      'Economic split',
      'Escalation path',
    ]) {
      await page.getByRole('button', { name: `Edit ${section}` }).click();
      await page.getByRole('button', { name: `Save ${section}` }).waitFor();
    }
    await screenshot(page, 'plan-all-editors');
    expect(await seriousViolations(page, 'plan in edit mode')).toEqual([]);
  }, 90_000);

  it('reaches every "Edit …" button and then Save with the keyboard, and gives focus back after saving', async () => {
    await openPlan(DEMO_PLAN_ID, DEMO_TITLE);
    const focusedName = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
      });
    const reached = new Set<string>();
    for (let i = 0; i < 80 && !reached.has('Edit Escalation path'); i++) {
      await page.keyboard.press('Tab');
      reached.add(await focusedName());
    }
    for (const section of [
      'Plan details',
      'Shared accounts',
      'Named owners',
      "Milestones on the buyer's calendar",
      'Joint actions',
      'Economic split',
      'Escalation path',
    ]) {
      expect(reached).toContain(`Edit ${section}`);
    }

    // Shift+Tab back to the escalation editor's button is not needed: it has focus now.
    expect(await focusedName()).toBe('Edit Escalation path');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Save Escalation path' }).waitFor();
    // Focus moved into the editor: its first field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    let onSave = false;
    for (let i = 0; i < 60 && !onSave; i++) {
      await page.keyboard.press('Tab');
      onSave = (await focusedName()) === 'Save Escalation path';
    }
    expect(onSave).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('Nothing to save').waitFor();
    await expect.poll(focusedName).toBe('Edit Escalation path');
  });

  it('pages the history with "Show older", newest first, with no serious accessibility violations', async () => {
    const id = 'history-paging';
    let plan = await h.api.create({ ...twoSidedPlan(id), title: 'History 0' });
    for (let n = 1; n <= 27; n++) {
      const response = await fetch(`${h.baseUrl}/api/plans/${id}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'if-match': `"${plan.version}"`,
          'x-cosell-local-user': 'dana@vendor.example',
        },
        body: JSON.stringify({ ...plan, title: `History ${n}` }),
      });
      expect(response.status).toBe(200);
      plan = await response.json();
    }

    await openPlan(id, 'History 27');
    await page.getByRole('link', { name: 'See the whole history' }).click();
    await page.getByRole('heading', { level: 1, name: 'History: History 27' }).waitFor();
    const entries = page.getByRole('list', { name: 'Changes, newest first' }).locator(':scope > li');
    await expect.poll(() => entries.count()).toBe(25);
    expect(await entries.first().textContent()).toContain('Title changed to "History 27"');
    expect(await entries.first().locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await seriousViolations(page, 'history')).toEqual([]);

    await page.getByRole('button', { name: 'Show older' }).click();
    await expect.poll(() => entries.count()).toBe(28);
    expect(await entries.nth(25).textContent()).toContain('Title changed to "History 2"');
    expect(await entries.last().textContent()).toContain('Plan "History 0" created');
    await page.getByText('That is the whole history.').waitFor();
    expect(await page.getByRole('button', { name: 'Show older' }).count()).toBe(0);
    // Focus went to the first older entry, so a keyboard reader goes on from there.
    expect(await entries.nth(25).evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'history');
  });

  it('raised no script errors', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
