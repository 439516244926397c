import {
  type Actor,
  applyOperations,
  assessHealth,
  type Clock,
  contentOf,
  describeChanges,
  fillDates,
  type HistoryEntry,
  newPlan,
  nextVersion,
  type Operation,
  type Plan,
  type PlanContent,
  PlanExistsError,
  type PlanHealth,
  type PlanQuery,
  type PlanStore,
  type PlanSummary,
  type Qualification,
  qualify,
  REMEMBERED_OPERATION_IDS,
  summarizePlan,
  toIsoDate,
  VersionConflictError,
} from '@cosell/shared';
import { AppError } from '../app-error';

/*
 * The plan use cases. Dependencies come in one object, so a test builds the service from real adapters
 * or from simple fakes without mocking modules.
 */

export interface PlanServiceDeps {
  store: PlanStore;
  clock: Clock;
  /** Ids for new plans and new items; random in production, predictable in tests if wanted. */
  newId: () => string;
}

/** How often quick updates are re-applied when other writers keep saving first before giving up (503). */
export const MAX_OPERATION_ATTEMPTS = 64;

export interface OperationsResult {
  plan: Plan;
  changes: string[];
  health: PlanHealth;
  /** How many times the operations were re-applied because someone else saved first. */
  retries: number;
  /** The `opId`s not applied because the plan had applied them already (a repeated request). */
  repeatedIds?: string[];
}

export interface PlanHealthResult extends PlanHealth {
  planId: string;
  version: number;
  qualification?: Qualification;
}

export class PlanService {
  constructor(private readonly deps: PlanServiceDeps) {}

  private context(actor: Actor) {
    const now = this.deps.clock.now();
    return { now, today: toIsoDate(now), actor };
  }

  private entry(plan: Plan, kind: HistoryEntry['kind'], actor: Actor, changes: string[]): HistoryEntry {
    return { planId: plan.id, version: plan.version, kind, at: plan.updatedAt, actor, changes };
  }

  today(): string {
    return toIsoDate(this.deps.clock.now());
  }

  /**
   * Creates a plan. A caller may choose the id so that a create retried after a lost response cannot make
   * a second plan: the same content again answers the stored plan (`created: false`); different content 409.
   */
  async create(content: PlanContent, actor: Actor, id?: string): Promise<{ plan: Plan; created: boolean }> {
    const context = this.context(actor);
    const plan = newPlan(id ?? this.deps.newId(), content, context);
    try {
      const stored = await this.deps.store.create(
        plan,
        this.entry(plan, 'create', actor, [`Plan "${plan.title}" created`]),
      );
      return { plan: stored, created: true };
    } catch (error) {
      if (!(error instanceof PlanExistsError)) throw error;
      const existing = await this.deps.store.get(plan.id);
      if (existing && existing.createdBy === actor.id) {
        const replayed = fillDates(content, existing, context.today);
        if (JSON.stringify(replayed) === JSON.stringify(contentOf(existing)))
          return { plan: existing, created: false };
      }
      throw error;
    }
  }

  async get(id: string): Promise<Plan> {
    const plan = await this.deps.store.get(id);
    if (!plan) throw new AppError('NOT_FOUND', 'There is no such plan.');
    return plan;
  }

  /** Replaces the whole plan if it is still at `expectedVersion`; otherwise 412 with the current plan. */
  async replace(id: string, content: PlanContent, expectedVersion: number, actor: Actor): Promise<Plan> {
    const current = await this.get(id);
    if (current.version !== expectedVersion) throw new VersionConflictError(current);
    const next = nextVersion(current, content, this.context(actor));
    const changes = describeChanges(contentOf(current), contentOf(next));
    return this.deps.store.replace(next, expectedVersion, this.entry(next, 'replace', actor, changes));
  }

  /**
   * Applies quick updates. When someone else saved first, the operations are applied again to the plan as
   * it is now, so concurrent quick updates and desk edits never erase each other.
   */
  async applyOperations(
    id: string,
    operations: Operation[],
    actor: Actor,
    /** Called on every attempt before writing (the access layer's checks); throws to refuse. */
    guard?: (current: Plan, next: PlanContent) => void,
  ): Promise<OperationsResult> {
    // Ids for added actions are fixed once, before any retry, so a re-application adds each action once.
    const ops = operations.map((op) =>
      op.op === 'add-action' && op.action.id === undefined
        ? { ...op, action: { ...op.action, id: `act-${this.deps.newId()}` } }
        : op,
    );
    let current = await this.get(id);
    for (let attempt = 0; attempt < MAX_OPERATION_ATTEMPTS; attempt++) {
      const context = this.context(actor);
      const {
        plan: content,
        changes,
        appliedIds,
        repeatedIds,
      } = applyOperations(contentOf(current), ops, {
        ...context,
        seenIds: current.recentOperationIds ?? [],
      });
      const repeated = repeatedIds ? { repeatedIds } : {};
      if (changes.length === 0) {
        return {
          plan: current,
          changes,
          health: assessHealth(current, context.today),
          retries: attempt,
          ...repeated,
        };
      }
      guard?.(current, content);
      const next = nextVersion(current, content, context);
      // Remember the ids applied, so the same operation sent again (a retry, an outbox) is applied once.
      if (appliedIds) {
        next.recentOperationIds = [...(current.recentOperationIds ?? []), ...appliedIds].slice(
          -REMEMBERED_OPERATION_IDS,
        );
      }
      try {
        const stored = await this.deps.store.replace(
          next,
          current.version,
          this.entry(next, 'operations', actor, changes),
        );
        return {
          plan: stored,
          changes,
          health: assessHealth(stored, context.today),
          retries: attempt,
          ...repeated,
        };
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        current = error.current;
        // Other writers in other instances: back off a little, with jitter, after the first few tries.
        if (attempt >= 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
    throw new AppError(
      'CONTENTION',
      'Too many people are saving this plan at once. Your update was not lost: send it again.',
      {
        headers: { 'retry-after': '1' },
      },
    );
  }

  async delete(id: string, expectedVersion: number, actor: Actor): Promise<void> {
    const current = await this.get(id);
    if (current.version !== expectedVersion) throw new VersionConflictError(current);
    const at = this.deps.clock.now().toISOString();
    await this.deps.store.delete(id, expectedVersion, {
      planId: id,
      version: current.version,
      kind: 'delete',
      at,
      actor,
      changes: [`Plan "${current.title}" deleted`],
    });
  }

  /**
   * One page of plan summaries. `present` (the access layer) may drop a plan or reshape its summary; a page
   * may then hold fewer than `limit` items while `nextCursor` still leads on.
   */
  async list(
    query: Omit<PlanQuery, 'today'>,
    present: (plan: Plan, summary: PlanSummary) => PlanSummary | undefined = (_plan, summary) => summary,
  ): Promise<{ items: PlanSummary[]; nextCursor?: string }> {
    const today = this.today();
    const page = await this.deps.store.list({ ...query, today });
    return {
      items: page.items.flatMap((plan) => present(plan, summarizePlan(plan, today)) ?? []),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async health(id: string): Promise<PlanHealthResult> {
    return this.healthOf(await this.get(id));
  }

  /** The health of a plan already read (computed on the stored plan, never on a redacted copy). */
  healthOf(plan: Plan): PlanHealthResult {
    return {
      planId: plan.id,
      version: plan.version,
      ...assessHealth(plan, this.today()),
      ...(plan.qualification ? { qualification: qualify(plan.qualification) } : {}),
    };
  }

  async history(id: string, options: { limit: number; cursor?: string }) {
    await this.get(id);
    return this.deps.store.history(id, options);
  }
}
