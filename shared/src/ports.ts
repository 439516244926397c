import type { IsoDate } from './dates';
import type { Plan, PlanStatus } from './plan-schema';

/** The clock is passed in; nothing in shared/ reads the time. */
export interface Clock {
  now(): Date;
}

/** Who did something: recorded on every change. */
export interface Actor {
  /** Stable id: the user principal name or email for people, a service name for timers. */
  id: string;
  displayName: string;
}

export type ChangeKind = 'create' | 'replace' | 'operations' | 'delete';

/** One entry of a plan's history: who changed what, when. */
export interface HistoryEntry {
  planId: string;
  /** The plan version this change produced (for a delete: the version deleted). */
  version: number;
  kind: ChangeKind;
  at: string;
  actor: Actor;
  /** What changed, in sentences a person reads ("Milestone "Pilot sign-off" moved from … to …: reason"). */
  changes: string[];
}

/** Columns a store may index for listing; derived from the plan by `planIndex` in shared/. */
export interface PlanIndex {
  status: PlanStatus;
  title: string;
  channelIds: string[];
  /** Lower-cased emails of everyone named on the plan. */
  emails: string[];
  /** The first day the plan (or one of its accounts) counts as stalled if nothing moves; none when not active. */
  stallsOn: IsoDate | null;
  nextMilestoneDue: IsoDate | null;
  lastReviewedOn: IsoDate | null;
  crmDealId: string | null;
}

export interface PlanQuery {
  status?: PlanStatus[];
  /** Only plans stalled (`true`) or not stalled (`false`) on `today`. */
  stalled?: boolean;
  today: IsoDate;
  /** Plans naming this email. */
  person?: string;
  channelId?: string;
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface PlanPage {
  items: Plan[];
  nextCursor?: string;
}

/**
 * Where plans live. Versions are the store's concurrency guard: every write names the version it
 * replaces and fails with `VersionConflictError` when the plan moved on.
 */
export interface PlanStore {
  /** Stores a new plan at version 1. Throws `PlanExistsError` when the id is taken (also by a deleted plan). */
  create(plan: Plan, entry: HistoryEntry): Promise<Plan>;
  /** The plan, or undefined when there is none (or it was deleted). Read-only: an adapter may freeze it. */
  get(id: string): Promise<Plan | undefined>;
  /**
   * Replaces the plan whose current version is `expectedVersion` with `plan` (whose `version` must be
   * `expectedVersion + 1`; anything else is a programming error, thrown as a plain Error). Throws `VersionConflictError` carrying the current plan when it moved on,
   * `PlanNotFoundError` when there is no such plan.
   */
  replace(plan: Plan, expectedVersion: number, entry: HistoryEntry): Promise<Plan>;
  /** Deletes the plan at `expectedVersion`; its history is kept. Same errors as `replace`. */
  delete(id: string, expectedVersion: number, entry: HistoryEntry): Promise<void>;
  /**
   * Plans in creation order, deleted ones left out; `limit` is clamped to 1..100. Paging is stable: plans
   * created or deleted between pages never make another plan repeat or go missing.
   * Throws `InvalidCursorError` for a cursor it did not hand out.
   */
  list(query: PlanQuery): Promise<PlanPage>;
  /** Newest first; an unknown id has an empty history. Same limit and cursor rules as `list`. */
  history(
    id: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: HistoryEntry[]; nextCursor?: string }>;
}

export class PlanExistsError extends Error {
  constructor(readonly planId: string) {
    super(`a plan with id ${planId} exists`);
    this.name = 'PlanExistsError';
  }
}

export class PlanNotFoundError extends Error {
  constructor(readonly planId: string) {
    super(`no plan with id ${planId}`);
    this.name = 'PlanNotFoundError';
  }
}

export class VersionConflictError extends Error {
  constructor(readonly current: Plan) {
    super(`plan ${current.id} is at version ${current.version}`);
    this.name = 'VersionConflictError';
  }
}

/** A paging cursor that the store did not hand out (or that was damaged): the API answers 400. */
export class InvalidCursorError extends Error {
  constructor(message = 'the cursor is not one this API handed out') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}
