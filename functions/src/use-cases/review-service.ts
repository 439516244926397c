import {
  applyOperations,
  buildReview,
  type Clock,
  contentOf,
  defaultAttendeeIds,
  type EscalationRecord,
  invitedPeople,
  lastReviewOf,
  type MailGateway,
  nextVersion,
  type Plan,
  type PlanStore,
  type ReviewModel,
  type ReviewSnapshot,
  reviewSummary,
  snapshotOf,
  toIsoDate,
  VersionConflictError,
  withReviewSnapshot,
} from '@cosell/shared';
import { AppError } from '../app-error';
import type { Caller } from '../identity/authenticator';
import type { PlanAccess } from './plan-access';

/*
 * The weekly review in the meeting (SPEC §5, issue 7). `review` is the page's model: account by account,
 * compared with the last closed review's snapshot. `close` stores a snapshot of what this review saw and
 * records the review (the `record-review` operation: clears decay) in one versioned write, then mails the
 * attendees a short summary (MailGateway: Graph sendMail, or the embedded outbox).
 * A close is retry-safe: the client names the review (`reviewId`); closing it again stores nothing new and
 * sends with the same idempotency key, which the gateway does not send twice.
 */

export interface ReviewServiceDeps {
  store: PlanStore;
  access: PlanAccess;
  clock: Clock;
  mail?: MailGateway;
  planUrl: (planId: string) => string;
}

export interface ReviewPage extends ReviewModel {
  /** Who the summary goes to when the review is closed. */
  attendees: { id: string; name: string; email: string; side: string }[];
  lastReviewedOn: string | null;
  partners: { id: string; name: string }[];
  escalations: EscalationRecord[];
  /** The closed reviews the plan keeps, newest first (id, day, who). */
  history: { id: string; closedOn: string; closedBy: string }[];
}

export interface CloseResult {
  snapshot: ReviewSnapshot;
  planVersion: number;
  /** False when this review had been closed before (a retried close). */
  closed: boolean;
  mail: { sent: boolean; duplicate: boolean; to: string[]; error?: string; via?: 'outbox' | 'graph' };
}

const MAX_WRITE_ATTEMPTS = 16;

export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  private async stored(planId: string): Promise<Plan> {
    const plan = await this.deps.store.get(planId);
    if (!plan) throw new AppError('NOT_FOUND', 'There is no such plan.');
    return plan;
  }

  private attendeesOf(plan: Plan) {
    return invitedPeople(plan, plan.cadence?.attendeeIds ?? defaultAttendeeIds(plan));
  }

  async review(planId: string, caller: Caller): Promise<ReviewPage> {
    await this.deps.access.get(planId, caller); // 404 unless the caller reads it; the review holds no economics
    const plan = await this.stored(planId);
    const today = toIsoDate(this.deps.clock.now());
    return this.page(plan, today);
  }

  private page(plan: Plan, today: string, since?: ReviewSnapshot): ReviewPage {
    const model = buildReview(plan, today, since ?? lastReviewOf(plan));
    return {
      ...model,
      attendees: this.attendeesOf(plan).map((p) => ({
        id: p.id,
        name: `${p.firstName} ${p.lastName}`,
        email: p.email,
        side: p.side,
      })),
      lastReviewedOn: plan.lastReviewedOn ?? null,
      // Who was told the plan stalled (issue 8): names and chains, no economics.
      partners: plan.partners.map((p) => ({ id: p.id, name: p.name })),
      escalations: plan.escalations ?? [],
      history: [...(plan.reviews ?? [])]
        .reverse()
        .map((r) => ({ id: r.id, closedOn: r.closedOn, closedBy: r.closedBy.displayName })),
    };
  }

  async close(planId: string, reviewId: string, caller: Caller): Promise<CloseResult> {
    await this.deps.access.get(planId, caller);
    let result: { plan: Plan; snapshot: ReviewSnapshot; review: ReviewModel; closed: boolean } | undefined;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && !result; attempt++) {
      const plan = await this.stored(planId);
      const now = this.deps.clock.now();
      const today = toIsoDate(now);
      const earlier = (plan.reviews ?? []).find((r) => r.id === reviewId);
      if (earlier) {
        const before = (plan.reviews ?? []).filter((r) => r.closedAt < earlier.closedAt).pop();
        result = {
          plan,
          snapshot: earlier,
          review: buildReview(plan, earlier.closedOn, before),
          closed: false,
        };
        break;
      }
      if (plan.status === 'draft') {
        throw new AppError('VALIDATION_FAILED', 'A draft plan is not reviewed yet: make it active first.', {
          errors: [{ path: 'status', pointer: '/status', message: 'the plan is a draft' }],
        });
      }
      const review = buildReview(plan, today, lastReviewOf(plan));
      const attendees = this.attendeesOf(plan).map((p) => p.email);
      const { plan: content, changes } = applyOperations(contentOf(plan), [{ op: 'record-review' }], {
        today,
      });
      const next = nextVersion(plan, content, { now, today, actor: caller.actor });
      // The snapshot is of the plan as reviewed (this version's content), numbered with the version it makes.
      const snapshot = snapshotOf(
        { ...plan, version: next.version },
        { id: reviewId, now, today, actor: caller.actor, mailedTo: attendees },
      );
      next.reviews = withReviewSnapshot(plan.reviews, snapshot);
      try {
        const stored = await this.deps.store.replace(next, plan.version, {
          planId,
          version: next.version,
          kind: 'operations',
          at: next.updatedAt,
          actor: caller.actor,
          changes: [
            ...(changes.length > 0 ? changes : []),
            `Weekly review closed by ${caller.actor.displayName}: ${review.totals.blockers} blocker(s), ${review.totals.changes} change(s) since the last review`,
          ],
        });
        result = { plan: stored, snapshot, review, closed: true };
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    if (!result) {
      throw new AppError(
        'CONTENTION',
        'Too many people are saving this plan at once. Close the review again.',
        {
          headers: { 'retry-after': '1' },
        },
      );
    }
    const to = result.snapshot.mailedTo;
    const mail: CloseResult['mail'] = {
      sent: false,
      duplicate: false,
      to: [...to],
      ...(this.deps.mail ? { via: this.deps.mail.kind } : {}),
    };
    if (this.deps.mail && to.length > 0) {
      const summary = reviewSummary(result.review, {
        tabUrl: `${this.deps.planUrl(planId)}`,
        closedBy: result.snapshot.closedBy.displayName,
      });
      const people = new Map(result.plan.people.map((p) => [p.email, `${p.firstName} ${p.lastName}`]));
      try {
        const sent = await this.deps.mail.send({
          idempotencyKey: `review-summary:${planId}:${reviewId}`,
          category: 'review-summary',
          planId,
          to: to.map((address) => ({
            address,
            ...(people.get(address) ? { name: people.get(address) as string } : {}),
          })),
          subject: summary.subject,
          text: summary.text,
          html: summary.html,
        });
        mail.sent = true;
        mail.duplicate = sent.duplicate;
      } catch (error) {
        // The review is closed and stored; closing it again sends the summary (same key, never twice).
        mail.error = error instanceof Error ? error.message : String(error);
      }
    }
    return { snapshot: result.snapshot, planVersion: result.plan.version, closed: result.closed, mail };
  }
}
