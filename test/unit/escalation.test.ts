import {
  addDays,
  currentStall,
  decideEscalations,
  ESCALATION_LEASE_MS,
  type EscalationRecord,
  EscalationRecord as EscalationRecordSchema,
  escalationKey,
  escalationMessage,
  escalationRecord,
  MAX_ESCALATION_RECORDS,
  Plan,
  stalePendingEscalations,
  withEscalationRecords,
} from '@cosell/shared';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { action, at, day, demo, milestone, smallPlan, stored, TODAY } from './plan-fixtures';

/*
 * Escalation decisions (SPEC §3, §6; issue 8): which chains and levels are due for a stalled plan, with the
 * threshold boundaries, and what the message of each chain may say.
 */

const NOW = new Date(`${TODAY}T06:00:00.000Z`);

/** A small active plan (one account, one partner) whose clock started `daysAgo` days before TODAY. */
function idlePlan(daysAgo: number, edit: (p: Plan) => void = () => {}): Plan {
  const plan = stored(smallPlan(), { activatedOn: day(-daysAgo) });
  edit(plan);
  return plan;
}

/** The records `decideEscalations` asks for, as the job would write them on `today`. */
function escalate(plan: Plan, today: string, state: EscalationRecord['state'] = 'sent'): Plan {
  const stall = currentStall(plan, today);
  if (!stall) throw new Error(`not stalled on ${today}`);
  const now = new Date(`${today}T06:00:00.000Z`);
  const added = decideEscalations(plan, today).due.map((d) => ({
    ...escalationRecord(d, stall, { today, now }),
    state,
  }));
  return { ...plan, escalations: withEscalationRecords(plan.escalations ?? [], added) };
}

const dueSummary = (plan: Plan, today: string) =>
  decideEscalations(plan, today).due.map((d) => ({
    chain: d.chain.chain === 'vendor' ? 'vendor' : d.chain.partnerId,
    level: d.level,
    person: d.person.id,
  }));

describe('when a stall is escalated', () => {
  it('nothing is due before the threshold is passed (14 days idle is not yet stalled, 15 is)', () => {
    // Threshold 14: stalled when nothing moved for longer than 14 days.
    expect(decideEscalations(idlePlan(14), TODAY).due).toEqual([]);
    expect(dueSummary(idlePlan(15), TODAY)).toEqual([
      { chain: 'vendor', level: 1, person: 'v-ae' },
      { chain: 'p-1', level: 1, person: 'p-1-pc' },
    ]);
  });

  it('the stall starts on its first stalled day, and that day is part of the key', () => {
    const plan = idlePlan(20);
    const decision = decideEscalations(plan, TODAY);
    expect(decision.stall?.startedOn).toBe(day(-5));
    expect(decision.stall?.subjects.map((s) => s.label)).toEqual(['the plan', 'account Account One']);
    expect(decision.due.map((d) => d.key)).toEqual([
      `escalation:plan-1:${day(-5)}:vendor:1`,
      `escalation:plan-1:${day(-5)}:partner-p-1:1`,
    ]);
    expect(escalationKey('plan-1', day(-5), { chain: 'partner', partnerId: 'p-1' }, 2)).toBe(
      `escalation:plan-1:${day(-5)}:partner-p-1:2`,
    );
  });

  it('an overdue milestone stalls the plan the day after it was due, even with recent moves', () => {
    const plan = idlePlan(3, (p) => {
      p.milestones.push(milestone('m-1', { due: day(-1), ownerId: 'v-ae' }));
    });
    const decision = decideEscalations(plan, TODAY);
    expect(decision.stall?.startedOn).toBe(TODAY);
    expect(decision.due.length).toBe(2);
    expect(decideEscalations(plan, day(-1)).due).toEqual([]);
  });

  it('drafts, paused, won and lost plans are never escalated', () => {
    for (const status of ['draft', 'paused', 'won', 'lost'] as const) {
      expect(
        decideEscalations(
          idlePlan(60, (p) => (p.status = status)),
          TODAY,
        ).due,
      ).toEqual([]);
    }
  });

  it('a MAP (no partner side) escalates only up the vendor chain', () => {
    const plan = idlePlan(20, (p) => {
      p.motion = 'map';
    });
    expect(dueSummary(plan, TODAY)).toEqual([{ chain: 'vendor', level: 1, person: 'v-ae' }]);
  });

  it('an empty chain is skipped; the other chains still get theirs', () => {
    const plan = idlePlan(20, (p) => {
      p.escalation.vendorChain = [];
    });
    expect(dueSummary(plan, TODAY)).toEqual([{ chain: 'p-1', level: 1, person: 'p-1-pc' }]);
  });
});

describe('levels up each chain', () => {
  /** The demo plan (vendor chain of 3, two partner chains of 2), stalled since `start`. */
  function stalledDemo(): { plan: Plan; start: string } {
    const content = demo();
    // Nothing done, no milestones: the stall is only the idle clock.
    content.actions = content.actions.map((a) => ({ ...a, status: 'open' as const, doneOn: undefined }));
    content.milestones = [];
    content.actions = content.actions.map(({ milestoneId: _m, doneOn: _d, ...a }) => a);
    const plan = stored(content, { activatedOn: day(-15) });
    return { plan, start: TODAY };
  }

  it('level 1 to the first person of every chain, once', () => {
    const { plan } = stalledDemo();
    expect(dueSummary(plan, TODAY)).toEqual([
      { chain: 'vendor', level: 1, person: 'v-csas' },
      { chain: 'p-contoso', level: 1, person: 'c-pc' },
      { chain: 'p-adatum', level: 1, person: 'a-pc' },
    ]);
    const after = escalate(plan, TODAY);
    expect(decideEscalations(after, TODAY).due).toEqual([]);
    // A pending record (an instance sending right now) counts as claimed too.
    expect(decideEscalations(escalate(plan, TODAY, 'pending'), TODAY).due).toEqual([]);
  });

  it('level 2 one threshold after level 1, not a day earlier, to the next person up', () => {
    const { plan } = stalledDemo();
    const one = escalate(plan, TODAY);
    expect(decideEscalations(one, addDays(TODAY, 13)).due).toEqual([]);
    expect(dueSummary(one, addDays(TODAY, 14))).toEqual([
      { chain: 'vendor', level: 2, person: 'v-pm' },
      { chain: 'p-contoso', level: 2, person: 'c-pm' },
      { chain: 'p-adatum', level: 2, person: 'a-pm' },
    ]);
  });

  it('a chain ends with its last person; a longer chain goes on alone', () => {
    const { plan } = stalledDemo();
    const two = escalate(escalate(plan, TODAY), addDays(TODAY, 14));
    expect(dueSummary(two, addDays(TODAY, 28))).toEqual([{ chain: 'vendor', level: 3, person: 'v-rvp' }]);
    const three = escalate(two, addDays(TODAY, 28));
    expect(decideEscalations(three, addDays(TODAY, 60)).due).toEqual([]);
  });

  it('the next level counts from when the previous one was sent (a late run does not skip a level)', () => {
    const { plan } = stalledDemo();
    // The job first runs 40 days into the stall: level 1 only, level 2 a threshold after that.
    const late = addDays(TODAY, 40);
    expect(dueSummary(plan, late).map((d) => d.level)).toEqual([1, 1, 1]);
    const one = escalate(plan, late);
    expect(decideEscalations(one, addDays(late, 13)).due).toEqual([]);
    expect(dueSummary(one, addDays(late, 14)).map((d) => d.level)).toEqual([2, 2, 2]);
  });

  it('uses the plan threshold (here 3 days) for both the stall and the next level', () => {
    const plan = idlePlan(4, (p) => {
      p.escalation.thresholdDays = 3;
      p.escalation.vendorChain = ['v-ae', 'v-2'];
      p.people.push({
        id: 'v-2',
        firstName: 'Ravi',
        lastName: 'Shah',
        email: 'ravi@vendor.example',
        role: 'vendor-partner-manager',
        side: 'vendor',
      });
    });
    expect(currentStall(plan, TODAY)?.startedOn).toBe(TODAY);
    const one = escalate(plan, TODAY);
    expect(decideEscalations(one, addDays(TODAY, 2)).due).toEqual([]);
    expect(dueSummary(one, addDays(TODAY, 3))).toEqual([{ chain: 'vendor', level: 2, person: 'v-2' }]);
  });

  it('moving the plan ends the stall; a later stall starts again at level 1 with a new key', () => {
    const plan = escalate(idlePlan(20), TODAY);
    const moved: Plan = {
      ...plan,
      actions: [action('a-1', { status: 'done', doneOn: addDays(TODAY, 1), accountId: 'acc-1' })],
    };
    expect(decideEscalations(moved, addDays(TODAY, 1)).due).toEqual([]);
    expect(decideEscalations(moved, addDays(TODAY, 15)).due).toEqual([]);
    const again = decideEscalations(moved, addDays(TODAY, 16));
    expect(again.stall?.startedOn).toBe(addDays(TODAY, 16));
    expect(again.due.map((d) => d.level)).toEqual([1, 1]);
    expect(again.due.map((d) => d.key)).not.toContain(at(plan.escalations ?? [], 0).key);
  });
});

describe('escalation records on the plan', () => {
  it('are valid plan data (the schema of a stored plan)', () => {
    const plan = escalate(escalate(idlePlan(20), TODAY, 'pending'), TODAY);
    expect(plan.escalations?.length).toBe(2);
    expect(Plan.safeParse(plan).success).toBe(true);
    for (const r of plan.escalations ?? []) expect(EscalationRecordSchema.safeParse(r).success).toBe(true);
  });

  it('a move on one account does not end the stall of another account', () => {
    const plan = idlePlan(20, (p) => {
      p.accounts.push({ id: 'acc-2', name: 'Account Two', domain: 'two.example' });
    });
    const moved: Plan = {
      ...plan,
      actions: [action('a-1', { status: 'done', doneOn: TODAY, accountId: 'acc-1' })],
    };
    const decision = decideEscalations(moved, TODAY);
    expect(decision.stall?.subjects.map((s) => s.label)).toEqual(['account Account Two']);
    expect(decision.due.length).toBe(2);
  });

  it('keeps at most MAX_ESCALATION_RECORDS, dropping older stalls first', () => {
    const record = (i: number, start: string): EscalationRecord => ({
      key: `k-${i}`,
      stallStartedOn: start,
      chain: 'vendor',
      level: 1,
      personId: 'v-ae',
      personName: 'Maya Okafor',
      email: 'maya@vendor.example',
      subjects: ['the plan'],
      escalatedOn: start,
      at: NOW.toISOString(),
      state: 'sent',
    });
    const old = Array.from({ length: MAX_ESCALATION_RECORDS }, (_, i) => record(i, day(-100)));
    const merged = withEscalationRecords(old, [record(999, TODAY)]);
    expect(merged.length).toBe(MAX_ESCALATION_RECORDS);
    expect(merged.some((r) => r.key === 'k-999')).toBe(true);
    expect(merged.some((r) => r.key === 'k-0')).toBe(false);
    // Same key again: the state is updated, nothing is added.
    const pending = withEscalationRecords([record(1, TODAY)], [{ ...record(1, TODAY), state: 'pending' }]);
    expect(pending).toEqual([{ ...record(1, TODAY), state: 'pending' }]);
  });

  it('a pending record is retried only after the lease', () => {
    const plan = escalate(idlePlan(20), TODAY, 'pending');
    expect(stalePendingEscalations(plan, new Date(NOW.getTime() + ESCALATION_LEASE_MS - 1))).toEqual([]);
    expect(stalePendingEscalations(plan, new Date(NOW.getTime() + ESCALATION_LEASE_MS)).length).toBe(2);
    const sent = escalate(idlePlan(20), TODAY, 'sent');
    expect(stalePendingEscalations(sent, new Date(NOW.getTime() + 10 * ESCALATION_LEASE_MS))).toEqual([]);
  });
});

describe('the message of each chain', () => {
  function demoStalled(): Plan {
    const content = demo();
    content.title = 'Northwind <script>alert(1)</script> & co';
    return stored(content, { activatedOn: day(-40) });
  }
  const CONTOSO_TERMS = 'Contoso delivers and bills the rollout services';
  const ADATUM_TERMS = 'Resale through A. Datum marketplace listing';

  function messages(plan: Plan, planUrl = 'https://cosell.example.com/#/plans/plan-1') {
    const decision = decideEscalations(plan, TODAY);
    const stall = decision.stall;
    if (!stall) throw new Error('not stalled');
    return decision.due.map((d) => ({
      due: d,
      mail: escalationMessage(plan, d, stall, { today: TODAY, planUrl }),
    }));
  }

  it('says what stalled, since when, who owns it, and links to the plan', () => {
    const [vendor] = messages(demoStalled());
    if (!vendor) throw new Error('no vendor message');
    const { mail } = vendor;
    expect(mail.idempotencyKey).toBe(vendor.due.key);
    expect(mail.to).toEqual([{ address: 'priya.raman@vendor.example', name: 'Priya Raman' }]);
    expect(mail.subject).toMatch(/^Stalled co-sell plan: Northwind .* \(since [A-Z][a-z]{2} \d+, \d{4}\)$/);
    expect(mail.text).toContain('What stalled:');
    expect(mail.text).toMatch(/nothing moved forward for \d+ days \(threshold 14\)/);
    expect(mail.text).toContain('Who owns it:');
    expect(mail.text).toMatch(/- \S+ \S+ \(Account executive/i);
    expect(mail.text).toContain('Open the plan: https://cosell.example.com/#/plans/plan-1');
    expect(mail.text).toContain('vendor chain, level 1');
    // The vendor-tenant person also gets a Teams activity notification; partner chains do not.
    expect(mail.activity?.[0]?.userId).toBe('priya.raman@vendor.example');
  });

  it("partner A's mail carries partner A's economics and never partner B's; the vendor's carries both", () => {
    const all = messages(demoStalled());
    const byChain = (id: string) =>
      all.find((m) => (m.due.chain.chain === 'vendor' ? 'vendor' : m.due.chain.partnerId) === id)?.mail;
    const vendor = byChain('vendor');
    const contoso = byChain('p-contoso');
    const adatum = byChain('p-adatum');
    for (const part of ['text', 'html'] as const) {
      expect(vendor?.[part]).toContain(CONTOSO_TERMS);
      expect(vendor?.[part]).toContain(ADATUM_TERMS);
      expect(contoso?.[part]).toContain(CONTOSO_TERMS);
      expect(contoso?.[part]).not.toContain(ADATUM_TERMS);
      expect(contoso?.[part]).not.toContain('Joint logistics webinar');
      expect(adatum?.[part]).toContain(ADATUM_TERMS);
      expect(adatum?.[part]).not.toContain(CONTOSO_TERMS);
    }
    expect(contoso?.activity).toBeUndefined();
  });

  it('plan text is data in the HTML: no element comes from the title', () => {
    const [vendor] = messages(demoStalled());
    const doc = parseDocument(vendor?.mail.html ?? '');
    const scripts: unknown[] = [];
    const walk = (nodes: unknown[]) => {
      for (const node of nodes as { name?: string; children?: unknown[] }[]) {
        if (node.name === 'script') scripts.push(node);
        if (node.children) walk(node.children);
      }
    };
    walk(doc.children);
    expect(scripts).toEqual([]);
    expect(vendor?.mail.html).toContain('Northwind &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
  });

  it('without an https link the mail is the short text, without the attached plan', () => {
    const [vendor] = messages(demoStalled(), 'http://127.0.0.1:7071/#/plans/plan-1');
    expect(vendor?.mail.text).toContain('Open the plan: http://127.0.0.1:7071/#/plans/plan-1');
    expect(vendor?.mail.text).not.toContain(CONTOSO_TERMS);
  });
});
