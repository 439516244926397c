import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type CurrentStall,
  currentStall,
  type DueEscalation,
  decideEscalations,
  ESCALATION_ACTOR,
  type EscalationRecord,
  escalationChange,
  escalationMessage,
  escalationRecord,
  type HistoryEntry,
  type MailGateway,
  type Plan,
  type PlanStore,
  stalePendingEscalations,
  toIsoDate,
  VersionConflictError,
  withEscalationRecords,
} from '@cosell/shared';

/*
 * The daily escalation job (issue 8; the decisions are shared/src/escalation.ts). For every active plan
 * stalled today (the store's `stalled` filter, paged), it:
 *   1. claims the escalations due by recording them on the plan as `pending` — a versioned write, so of
 *      several instances running at once exactly one claims each escalation (the others meet a version
 *      conflict, re-read, and find nothing due);
 *   2. sends each claimed escalation through the mail gateway with the escalation key as idempotency key;
 *   3. marks them `sent` on the plan.
 * A `pending` record older than the lease (its instance stopped between 1 and 3) is claimed again and sent
 * again with the same key, which the gateway does not send twice. These writes move nothing forward: stall
 * detection reads only done actions and milestones, so an escalation never ends a stall.
 */

export interface EscalationJobDeps {
  store: PlanStore;
  mail: MailGateway;
  clock: Clock;
  /** The link to a plan in the tab. */
  planUrl: (planId: string) => string;
  log?: (line: string) => void;
}

export interface EscalationRunResult {
  plansChecked: number;
  plansStalled: number;
  /** Messages handed to the gateway by this run. */
  sent: number;
  /** Sends the gateway answered as already sent. */
  duplicates: number;
  failures: { planId: string; key?: string; message: string }[];
}

/** How often one plan's claim is tried again when other writers keep saving first. */
const MAX_CLAIM_ATTEMPTS = 16;

interface Claim {
  plan: Plan;
  stall: CurrentStall;
  items: { due: DueEscalation; record: EscalationRecord }[];
}

export class EscalationJob {
  constructor(private readonly deps: EscalationJobDeps) {}

  async run(): Promise<EscalationRunResult> {
    const result: EscalationRunResult = {
      plansChecked: 0,
      plansStalled: 0,
      sent: 0,
      duplicates: 0,
      failures: [],
    };
    let cursor: string | undefined;
    do {
      const today = toIsoDate(this.deps.clock.now());
      const page = await this.deps.store.list({
        status: ['active'],
        stalled: true,
        today,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const plan of page.items) {
        result.plansChecked++;
        try {
          await this.escalatePlan(plan.id, result);
        } catch (error) {
          result.failures.push({ planId: plan.id, message: messageOf(error) });
          this.deps.log?.(`escalation of plan ${plan.id} failed: ${messageOf(error)}`);
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return result;
  }

  /** Escalates one plan: claim, send, mark sent. */
  async escalatePlan(planId: string, result: EscalationRunResult): Promise<void> {
    const claim = await this.claim(planId);
    if (!claim) return;
    result.plansStalled++;
    const sentKeys: string[] = [];
    const today = toIsoDate(this.deps.clock.now());
    for (const { due } of claim.items) {
      try {
        const message = escalationMessage(claim.plan, due, claim.stall, {
          today,
          planUrl: this.deps.planUrl(planId),
        });
        const sent = await this.deps.mail.send(message);
        if (sent.duplicate) result.duplicates++;
        else result.sent++;
        sentKeys.push(due.key);
      } catch (error) {
        result.failures.push({ planId, key: due.key, message: messageOf(error) });
        this.deps.log?.(`escalation ${due.key} was not sent: ${messageOf(error)}`);
      }
    }
    if (sentKeys.length > 0) await this.markSent(planId, sentKeys);
  }

  /** Records the due escalations as `pending` on the plan; undefined when nothing is due (or another instance claimed it). */
  private async claim(planId: string): Promise<Claim | undefined> {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const plan = await this.deps.store.get(planId);
      if (!plan) return undefined;
      const now = this.deps.clock.now();
      const today = toIsoDate(now);
      const stall = currentStall(plan, today);
      if (!stall) return undefined;
      const decision = decideEscalations(plan, today);
      // A run's own mark: two instances claiming at the same instant still write different plans, so the
      // store's version check lets exactly one of them through.
      const claimId = randomUUID();
      const fresh = decision.due.map((due) => ({
        due,
        record: escalationRecord(due, stall, { today, now, claimId }),
      }));
      const stale = stalePendingEscalations(plan, now)
        .filter((r) => r.stallStartedOn === stall.startedOn)
        .flatMap((r) => {
          const due = dueOf(plan, r);
          return due ? [{ due, record: { ...r, at: now.toISOString(), claimId } }] : [];
        });
      const items = [...fresh, ...stale];
      if (items.length === 0) return undefined;
      const staleKeys = new Set(stale.map((s) => s.record.key));
      const escalations = withEscalationRecords(
        (plan.escalations ?? []).map((r) =>
          staleKeys.has(r.key) ? { ...r, at: now.toISOString(), claimId } : r,
        ),
        fresh.map((f) => f.record),
      );
      const changes = fresh.map((f) => escalationChange(plan, f.record));
      const next = this.nextVersion(plan, escalations, now);
      try {
        const stored = await this.deps.store.replace(
          next,
          plan.version,
          this.entry(
            next,
            changes.length > 0 ? changes : ['Escalation mail sent again after an interruption'],
          ),
        );
        return { plan: stored, stall, items };
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        // Someone saved first (another instance, a person): decide again on the plan as it is now.
      }
    }
    throw new Error(`plan ${planId}: too many concurrent writers to record its escalations`);
  }

  private async markSent(planId: string, keys: string[]): Promise<void> {
    const wanted = new Set(keys);
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const plan = await this.deps.store.get(planId);
      if (!plan) return;
      const records = plan.escalations ?? [];
      const sent = records.filter((r) => wanted.has(r.key) && r.state === 'pending');
      if (sent.length === 0) return;
      const escalations = records.map((r) => (wanted.has(r.key) ? { ...r, state: 'sent' as const } : r));
      const next = this.nextVersion(plan, escalations, this.deps.clock.now());
      try {
        await this.deps.store.replace(
          next,
          plan.version,
          this.entry(
            next,
            sent.map((r) => `Escalation mail to ${r.personName} sent (level ${r.level})`),
          ),
        );
        return;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    throw new Error(`plan ${planId}: too many concurrent writers to mark its escalations sent`);
  }

  private nextVersion(plan: Plan, escalations: EscalationRecord[], now: Date): Plan {
    return {
      ...structuredClone(plan),
      version: plan.version + 1,
      updatedAt: now.toISOString(),
      updatedBy: ESCALATION_ACTOR.id,
      escalations,
    };
  }

  private entry(plan: Plan, changes: string[]): HistoryEntry {
    return {
      planId: plan.id,
      version: plan.version,
      kind: 'operations',
      at: plan.updatedAt,
      actor: { ...ESCALATION_ACTOR },
      changes,
    };
  }
}

/** The escalation a stored record stands for, to send it again. */
function dueOf(plan: Plan, record: EscalationRecord): DueEscalation | undefined {
  const person = plan.people.find((p) => p.id === record.personId);
  if (!person) return undefined;
  return {
    key: record.key,
    planId: plan.id,
    stallStartedOn: record.stallStartedOn,
    chain:
      record.chain === 'vendor'
        ? { chain: 'vendor' }
        : { chain: 'partner', partnerId: record.partnerId ?? '' },
    level: record.level,
    person,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
