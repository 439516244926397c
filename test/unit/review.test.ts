import {
  buildReview,
  carriesCurrentPlan,
  contentVersionOf,
  defaultAttendeeIds,
  demoPlan,
  firstFreeSlot,
  invitedPeople,
  inviteSide,
  KEPT_REVIEW_SNAPSHOTS,
  narrowerSide,
  newPlan,
  type Plan,
  planForSide,
  reviewSummary,
  snapshotOf,
  withReviewSnapshot,
} from '@cosell/shared';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';

/*
 * The review (shared/src/review.ts) and the invite rules (shared/src/cadence-invites.ts), pure: what the
 * review shows per account, what changed since a snapshot, the summary mail with plan text kept as text,
 * what every invitee may see, which version an invite must carry, a free weekly slot.
 */

const TODAY = '2026-11-27';
const actor = { id: 'priya.raman@vendor.example', displayName: 'Priya Raman' };

function plan(): Plan {
  return newPlan('p1', demoPlan('2026-11-01'), { now: new Date(`${TODAY}T09:00:00Z`), today: TODAY, actor });
}

describe('the review, account by account', () => {
  it('shows blockers, actions due, milestones at risk, owners and the next move per account', () => {
    const p = plan();
    const review = buildReview(p, TODAY);
    expect(review.since).toBeUndefined();
    const names = review.accounts.map((a) => a.name);
    expect(names.slice(0, p.accounts.length)).toEqual(p.accounts.map((a) => a.name));
    const blocked = p.actions.filter((a) => a.status === 'blocked');
    expect(review.totals.blockers).toBe(blocked.length);
    for (const account of review.accounts) {
      for (const b of account.blockers) expect(b.blocker).toBeTruthy();
      for (const due of account.actionsDue) expect(due.due <= '2026-12-04').toBe(true);
      for (const m of account.milestonesAtRisk) expect(m.reason).toMatch(/past due|slipped|due (today|in)/);
      if (account.nextMove) expect(account.owners.map((o) => o.name)).toContain(account.nextMove.owner);
      expect(account.changes).toEqual([]);
    }
    // The demo's slipped Fabrikam security review is at risk.
    const fabrikam = review.accounts.find((a) => a.accountId === 'acc-fabrikam');
    expect(fabrikam?.milestonesAtRisk.map((m) => m.milestoneId)).toContain('m-fabrikam-sec');
  });

  it('says what changed since the snapshot, under the account it belongs to', () => {
    const before = plan();
    const snapshot = snapshotOf(before, {
      id: 'r1',
      now: new Date(`${TODAY}T09:30:00Z`),
      today: TODAY,
      actor,
      mailedTo: [],
    });
    const after = structuredClone(before);
    after.version += 3;
    const open = after.actions.find((a) => a.status === 'open');
    const blocked = after.actions.find((a) => a.status === 'blocked');
    if (!open || !blocked) throw new Error('the demo has an open and a blocked action');
    open.status = 'done';
    open.doneOn = '2026-12-01';
    blocked.status = 'open';
    delete blocked.blocker;
    const milestone = after.milestones.find((m) => m.status !== 'done');
    if (!milestone) throw new Error('the demo has a milestone not done');
    const oldDue = milestone.due;
    milestone.due = '2027-01-15';
    milestone.lastMove = { from: oldDue, to: '2027-01-15', reason: 'Buyer board moved', on: TODAY };
    after.actions.push({
      id: 'act-new',
      description: 'Send <b>pricing</b> & terms',
      ownerId: 'v-ae',
      due: '2026-12-02',
      status: 'open',
    });
    after.people = after.people.filter((p) => p.id !== 'b-ch');
    const review = buildReview(after, '2026-12-04', snapshot);
    expect(review.since).toMatchObject({ id: 'r1', closedOn: TODAY, closedBy: 'Priya Raman' });
    const all = [...review.accounts.flatMap((a) => a.changes), ...review.planChanges];
    expect(all).toContain(`Action "${open.description}" done`);
    expect(all).toContain(`Action "${blocked.description}" unblocked`);
    expect(
      all.some(
        (c) => c.startsWith(`Milestone "${milestone.title}" moved from`) && c.endsWith(': Buyer board moved'),
      ),
    ).toBe(true);
    expect(all.some((c) => c.startsWith('New action "Send <b>pricing</b> & terms"'))).toBe(true);
    expect(review.planChanges.some((c) => /left the plan/.test(c))).toBe(true);
    expect(review.totals.changes).toBe(all.length);
    // The account of each change: the moved milestone's account shows the move.
    if (milestone.accountId) {
      const account = review.accounts.find((a) => a.accountId === milestone.accountId);
      expect(account?.changes.some((c) => c.includes(milestone.title))).toBe(true);
    }
    // Nothing changed: nothing said.
    expect(buildReview(before, TODAY, snapshot).totals.changes).toBe(0);
  });

  it('keeps the newest snapshots only, and never economics', () => {
    const p = plan();
    let reviews: ReturnType<typeof withReviewSnapshot> = [];
    for (let i = 0; i < KEPT_REVIEW_SNAPSHOTS + 2; i++) {
      reviews = withReviewSnapshot(
        reviews,
        snapshotOf(p, { id: `r${i}`, now: new Date(), today: TODAY, actor, mailedTo: [] }),
      );
    }
    expect(reviews.map((r) => r.id)).toEqual(
      Array.from({ length: KEPT_REVIEW_SNAPSHOTS }, (_, i) => `r${i + 2}`),
    );
    const text = JSON.stringify(reviews);
    for (const e of p.economics)
      if (e.kind === 'terms') for (const t of e.terms) if (t.terms) expect(text).not.toContain(t.terms);
  });

  it('writes a summary whose HTML keeps plan text as text', () => {
    const p = plan();
    const action = p.actions.find((a) => a.status === 'blocked');
    if (!action) throw new Error('blocked action');
    action.blocker = '<script>alert(1)</script> & "quotes"';
    const summary = reviewSummary(buildReview(p, TODAY), {
      tabUrl: 'https://cosell.example.com/#/plans/p1',
      closedBy: 'Priya <Raman>',
    });
    expect(summary.subject).toBe(`Weekly co-sell review closed: ${p.title}`);
    expect(summary.text).toContain('<script>alert(1)</script> & "quotes"');
    const doc = parseDocument(summary.html);
    const scripts: unknown[] = [];
    const walk = (node: { type?: string; name?: string; children?: unknown[] }) => {
      if (node.type === 'script' || node.name === 'script') scripts.push(node);
      for (const child of node.children ?? []) walk(child as typeof node);
    };
    walk(doc as unknown as { children: unknown[] });
    expect(scripts).toEqual([]);
    expect(summary.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(summary.html).toContain('href="https://cosell.example.com/#/plans/p1"');
  });
});

describe('the invite: who, what they may see, which version', () => {
  it('invites vendor and partner owners by default, never the buyer', () => {
    const p = plan();
    const ids = defaultAttendeeIds(p);
    const people = invitedPeople(p, ids);
    expect(people.every((x) => x.side !== 'buyer')).toBe(true);
    expect(ids).toEqual(expect.arrayContaining(['v-ae', 'v-csas', 'c-pc', 'a-pc']));
    expect(invitedPeople(p, ['b-eb', 'v-ae', 'nobody']).map((x) => x.id)).toEqual(['v-ae']);
  });

  it('shows only what every invitee may see', () => {
    const p = plan();
    const side = (ids: string[]) => inviteSide(invitedPeople(p, ids));
    expect(side(['v-ae', 'v-csas'])).toEqual({ kind: 'vendor' });
    expect(side(['v-ae', 'c-pc', 'c-pm'])).toEqual({ kind: 'partner', partnerId: 'p-contoso' });
    expect(side(['v-ae', 'c-pc', 'a-pc'])).toEqual({ kind: 'none' });
    expect(inviteSide([{ side: 'buyer' }])).toEqual({ kind: 'none' });
    const contoso = planForSide(p, TODAY, { kind: 'partner', partnerId: 'p-contoso' });
    expect(contoso.plan.economics.map((e) => e.partnerId)).toEqual(['p-contoso']);
    expect(contoso.health.completeness.done).not.toContain('economics');
    expect(planForSide(p, TODAY, { kind: 'none' }).plan.economics).toEqual([]);
    expect(planForSide(p, TODAY, { kind: 'vendor' }).plan.economics).toHaveLength(p.economics.length);
    expect(narrowerSide({ kind: 'vendor' }, { kind: 'partner', partnerId: 'x' })).toEqual({
      kind: 'partner',
      partnerId: 'x',
    });
    expect(narrowerSide({ kind: 'partner', partnerId: 'y' }, { kind: 'partner', partnerId: 'x' })).toEqual({
      kind: 'none',
    });
  });

  it('a bookkeeping write does not make the invite stale; a content change does', () => {
    const p = plan();
    p.version = 7;
    expect(contentVersionOf(p)).toBe(7);
    expect(carriesCurrentPlan(7, p)).toBe(true);
    expect(carriesCurrentPlan(6, p)).toBe(false);
    expect(carriesCurrentPlan(undefined, p)).toBe(false);
    // The cadence service wrote version 8 without changing content: the invite of 7 is current.
    p.cadenceBooking = {
      booking: 1,
      key: 'K',
      organiser: { kind: 'mailbox', address: 'x@y.example' },
      state: 'booked',
      at: `${TODAY}T09:00:00.000Z`,
      contentVersion: 7,
      atVersion: 8,
    };
    p.version = 8;
    expect(carriesCurrentPlan(7, p)).toBe(true);
    // Someone edited: version 9 is the content now.
    p.version = 9;
    expect(carriesCurrentPlan(7, p)).toBe(false);
    expect(carriesCurrentPlan(9, p)).toBe(true);
  });
});

describe('a free weekly slot', () => {
  const from = new Date('2026-11-23T06:00:00Z'); // Monday
  it('is the first working-hours half hour free on two weeks running, in the zone asked', () => {
    const free = firstFreeSlot([{ email: 'a@v.example', busy: [] }], { timeZone: 'Europe/Berlin', from });
    expect(free).toMatchObject({
      weekday: 'tuesday',
      time: '10:00',
      startsOn: '2026-11-24',
      start: '2026-11-24T09:00:00.000Z',
    });
    // Busy that Tuesday at 10:00 only: 10:00 is no weekly slot (the meeting repeats), 10:30 is.
    const once = firstFreeSlot(
      [
        {
          email: 'a@v.example',
          busy: [{ start: '2026-11-24T09:00:00Z', end: '2026-11-24T09:30:00Z', status: 'busy' }],
        },
      ],
      { timeZone: 'Europe/Berlin', from },
    );
    expect(once).toMatchObject({ weekday: 'tuesday', time: '10:30' });
    const nextWeek = firstFreeSlot(
      [
        {
          email: 'a@v.example',
          busy: [{ start: '2026-12-01T09:00:00Z', end: '2026-12-01T10:00:00Z', status: 'tentative' }],
        },
      ],
      { timeZone: 'Europe/Berlin', from },
    );
    expect(nextWeek).toMatchObject({ weekday: 'tuesday', time: '11:00' });
    expect(
      firstFreeSlot(
        [
          {
            email: 'a@v.example',
            busy: [{ start: '2026-11-01T00:00:00Z', end: '2027-01-01T00:00:00Z', status: 'oof' }],
          },
        ],
        {
          timeZone: 'Europe/Berlin',
          from,
        },
      ),
    ).toBeUndefined();
    const ny = firstFreeSlot([], { timeZone: 'America/New_York', from });
    expect(ny?.start).toBe('2026-11-24T15:00:00.000Z');
  });
});
