import { z } from 'zod';
import type { IsoDate } from './dates';
import { LIMITS } from './limits';
import {
  checkPlanReferences,
  Id,
  IsoDateSchema,
  JointAction,
  OperationId,
  type PlanContent,
  text,
} from './plan-schema';

/*
 * Quick updates as data (SPEC §6: "mark an action done, move a milestone with a reason, raise a blocker").
 * Each operation names the item it touches, so operations from different people commute: the server
 * re-reads the plan and re-applies them when someone else saved first, and nobody's edit is erased.
 */

export const CompleteAction = z.strictObject({ op: z.literal('complete-action'), actionId: Id });
export const ReopenAction = z.strictObject({ op: z.literal('reopen-action'), actionId: Id });
export const AddAction = z.strictObject({
  op: z.literal('add-action'),
  action: JointAction.omit({ status: true, doneOn: true, blocker: true }).extend({
    /** Optional: the server assigns one when absent, before any retry, so a retry never adds it twice. */
    id: Id.optional(),
  }),
});
export const MoveMilestone = z.strictObject({
  op: z.literal('move-milestone'),
  milestoneId: Id,
  due: IsoDateSchema,
  reason: text(LIMITS.moveReason, 'the reason for moving the milestone'),
});
export const CompleteMilestone = z.strictObject({ op: z.literal('complete-milestone'), milestoneId: Id });
export const RaiseBlocker = z.strictObject({
  op: z.literal('raise-blocker'),
  actionId: Id,
  blocker: text(LIMITS.blocker, 'the blocker'),
});
export const ClearBlocker = z.strictObject({ op: z.literal('clear-blocker'), actionId: Id });
export const SetOwner = z.strictObject({
  op: z.literal('set-owner'),
  item: z.enum(['action', 'milestone']),
  itemId: Id,
  ownerId: Id,
});
export const RescheduleAction = z.strictObject({
  op: z.literal('reschedule-action'),
  actionId: Id,
  due: IsoDateSchema,
});
export const RecordReview = z.strictObject({ op: z.literal('record-review') });

/** A Teams channel id as plans store it (see `channelIds` in the plan schema). */
const ChannelId = z.string().min(1).max(200);
const ChannelName = z
  .string()
  .trim()
  .min(1, { error: 'the channel name is required when given' })
  .max(120, { error: 'the channel name is limited to 120 characters' })
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), {
    error: 'the channel name is one line of plain text',
  });
/** Shows the plan in a channel's tab: what the channel tab's configuration page does on save. */
export const LinkChannel = z.strictObject({
  op: z.literal('link-channel'),
  channelId: ChannelId,
  /** Only for the history line: channel ids are opaque ("19:…@thread.tacv2"). */
  channelName: ChannelName.optional(),
});
export const UnlinkChannel = z.strictObject({
  op: z.literal('unlink-channel'),
  channelId: ChannelId,
  channelName: ChannelName.optional(),
});

/**
 * Every operation may carry the client's id for it (`opId`, e.g. a UUID made when the person tapped):
 * the server remembers the ids it applied (`recentOperationIds` on the plan) and ignores an operation
 * whose id it has seen, so a retry after a lost answer or an offline outbox sending twice applies it once.
 */
const withOpId = { opId: OperationId.optional() };

export const Operation = z.discriminatedUnion('op', [
  CompleteAction.extend(withOpId),
  ReopenAction.extend(withOpId),
  AddAction.extend(withOpId),
  MoveMilestone.extend(withOpId),
  CompleteMilestone.extend(withOpId),
  RaiseBlocker.extend(withOpId),
  ClearBlocker.extend(withOpId),
  SetOwner.extend(withOpId),
  RescheduleAction.extend(withOpId),
  RecordReview.extend(withOpId),
  LinkChannel.extend(withOpId),
  UnlinkChannel.extend(withOpId),
]);
export type Operation = z.infer<typeof Operation>;
export const OPERATION_NAMES = Operation.options.map((o) => o.shape.op.value);

export const OperationsRequest = z.strictObject({
  operations: z
    .array(Operation)
    .min(1, { error: 'send at least one operation' })
    .max(LIMITS.operationsPerRequest, {
      error: `at most ${LIMITS.operationsPerRequest} operations per request`,
    }),
});
export type OperationsRequest = z.infer<typeof OperationsRequest>;

/** An operation that does not fit the plan it is applied to; `path` is relative to the request body. */
export class OperationRejectedError extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
    this.name = 'OperationRejectedError';
  }
}

export interface ApplyResult {
  plan: PlanContent;
  /** One sentence per operation that changed something; an operation that changes nothing says nothing. */
  changes: string[];
  /** The `opId`s of the operations applied (whether or not they changed something), in order. */
  appliedIds?: string[];
  /** The `opId`s left out because they were applied before (in `context.seenIds`) or earlier in the list. */
  repeatedIds?: string[];
}

/**
 * Applies operations in order to a copy of `plan`. Each is checked against the plan as it is at that
 * point; the first that does not fit throws `OperationRejectedError` and nothing is applied.
 * Operations are idempotent where that is meaningful (completing a done action changes nothing).
 */
export function applyOperations(
  plan: PlanContent,
  operations: readonly Operation[],
  context: { today: IsoDate; seenIds?: Iterable<string> },
): ApplyResult {
  const next: PlanContent = structuredClone(plan);
  const changes: string[] = [];
  const seen = new Set(context.seenIds ?? []);
  const appliedIds: string[] = [];
  const repeatedIds: string[] = [];
  operations.forEach((operation, index) => {
    if (operation.opId !== undefined) {
      if (seen.has(operation.opId)) {
        repeatedIds.push(operation.opId);
        return;
      }
      seen.add(operation.opId);
      appliedIds.push(operation.opId);
    }
    const at = (...rest: (string | number)[]) => ['operations', index, ...rest];
    const change = applyOne(next, operation, context.today, at);
    if (change) changes.push(change);
  });
  const issues = checkPlanReferences(next);
  const first = issues[0];
  if (first)
    throw new OperationRejectedError(
      ['operations'],
      `the operations leave the plan inconsistent: ${first.message}`,
    );
  return {
    plan: next,
    changes,
    ...(appliedIds.length > 0 ? { appliedIds } : {}),
    ...(repeatedIds.length > 0 ? { repeatedIds } : {}),
  };
}

function applyOne(
  plan: PlanContent,
  operation: Operation,
  today: IsoDate,
  at: (...rest: (string | number)[]) => (string | number)[],
): string | undefined {
  const findAction = (id: string) => {
    const action = plan.actions.find((a) => a.id === id);
    if (!action) throw new OperationRejectedError(at('actionId'), `no action with id "${id}" on this plan`);
    return action;
  };
  const findMilestone = (id: string) => {
    const milestone = plan.milestones.find((m) => m.id === id);
    if (!milestone)
      throw new OperationRejectedError(at('milestoneId'), `no milestone with id "${id}" on this plan`);
    return milestone;
  };
  const personName = (id: string) => {
    const p = plan.people.find((x) => x.id === id);
    return p ? `${p.firstName} ${p.lastName}` : id;
  };

  switch (operation.op) {
    case 'complete-action': {
      const action = findAction(operation.actionId);
      if (action.status === 'done') return undefined;
      action.status = 'done';
      action.doneOn = today;
      delete action.blocker;
      return `Action "${action.description}" done`;
    }
    case 'reopen-action': {
      const action = findAction(operation.actionId);
      if (action.status !== 'done') return undefined;
      action.status = 'open';
      delete action.doneOn;
      return `Action "${action.description}" reopened`;
    }
    case 'add-action': {
      const { id, ...rest } = operation.action;
      if (id === undefined)
        throw new OperationRejectedError(at('action', 'id'), 'the new action needs an id');
      const existing = plan.actions.find((a) => a.id === id);
      if (existing) {
        // The same add applied twice (a retried request) is a no-op; a different action with that id is not.
        if (existing.description === rest.description && existing.ownerId === rest.ownerId) return undefined;
        throw new OperationRejectedError(at('action', 'id'), `an action with id "${id}" exists`);
      }
      if (plan.actions.length >= LIMITS.actions) {
        throw new OperationRejectedError(
          at('action'),
          `a plan has at most ${LIMITS.actions} joint actions so the plan fits one printed page`,
        );
      }
      const owner = plan.people.find((p) => p.id === rest.ownerId);
      if (!owner)
        throw new OperationRejectedError(
          at('action', 'ownerId'),
          `no person with id "${rest.ownerId}" is named on the plan`,
        );
      if (owner.side === 'buyer') {
        throw new OperationRejectedError(
          at('action', 'ownerId'),
          'a joint action is owned by someone on the vendor or a partner side',
        );
      }
      if (rest.milestoneId !== undefined && !plan.milestones.some((m) => m.id === rest.milestoneId)) {
        throw new OperationRejectedError(
          at('action', 'milestoneId'),
          `no milestone with id "${rest.milestoneId}" on this plan`,
        );
      }
      if (rest.accountId !== undefined && !plan.accounts.some((a) => a.id === rest.accountId)) {
        throw new OperationRejectedError(
          at('action', 'accountId'),
          `no shared account with id "${rest.accountId}"`,
        );
      }
      plan.actions.push({ id, ...rest, status: 'open' });
      return `Action "${rest.description}" added for ${personName(rest.ownerId)}, due ${rest.due}`;
    }
    case 'move-milestone': {
      const milestone = findMilestone(operation.milestoneId);
      if (milestone.status === 'done') {
        throw new OperationRejectedError(
          at('milestoneId'),
          `milestone "${milestone.title}" is done; a done milestone does not move`,
        );
      }
      if (milestone.due === operation.due) return undefined;
      const from = milestone.due;
      milestone.lastMove = { from, to: operation.due, reason: operation.reason, on: today };
      milestone.due = operation.due;
      // Later than planned is a slip; pulled in earlier, the milestone keeps its status.
      if (operation.due > from) milestone.status = 'slipped';
      return `Milestone "${milestone.title}" moved from ${from} to ${operation.due}: ${operation.reason}`;
    }
    case 'complete-milestone': {
      const milestone = findMilestone(operation.milestoneId);
      if (milestone.status === 'done') return undefined;
      milestone.status = 'done';
      milestone.doneOn = today;
      return `Milestone "${milestone.title}" done`;
    }
    case 'raise-blocker': {
      const action = findAction(operation.actionId);
      if (action.status === 'done') {
        throw new OperationRejectedError(
          at('actionId'),
          `action "${action.description}" is done; reopen it before raising a blocker`,
        );
      }
      if (action.status === 'blocked' && action.blocker === operation.blocker) return undefined;
      action.status = 'blocked';
      action.blocker = operation.blocker;
      return `Blocker raised on "${action.description}": ${operation.blocker}`;
    }
    case 'clear-blocker': {
      const action = findAction(operation.actionId);
      if (action.status !== 'blocked') return undefined;
      action.status = 'open';
      delete action.blocker;
      return `Blocker cleared on "${action.description}"`;
    }
    case 'set-owner': {
      const owner = plan.people.find((p) => p.id === operation.ownerId);
      if (!owner)
        throw new OperationRejectedError(
          at('ownerId'),
          `no person with id "${operation.ownerId}" is named on the plan`,
        );
      const item =
        operation.item === 'action'
          ? plan.actions.find((a) => a.id === operation.itemId)
          : plan.milestones.find((m) => m.id === operation.itemId);
      if (!item)
        throw new OperationRejectedError(
          at('itemId'),
          `no ${operation.item} with id "${operation.itemId}" on this plan`,
        );
      if (operation.item === 'action' && owner.side === 'buyer') {
        throw new OperationRejectedError(
          at('ownerId'),
          'a joint action is owned by someone on the vendor or a partner side',
        );
      }
      if (item.ownerId === operation.ownerId) return undefined;
      const previous = personName(item.ownerId);
      item.ownerId = operation.ownerId;
      const label = 'description' in item ? item.description : item.title;
      return `Owner of ${operation.item} "${label}" changed from ${previous} to ${personName(operation.ownerId)}`;
    }
    case 'reschedule-action': {
      const action = findAction(operation.actionId);
      if (action.status === 'done') {
        throw new OperationRejectedError(
          at('actionId'),
          `action "${action.description}" is done; a done action keeps its date`,
        );
      }
      if (action.due === operation.due) return undefined;
      const from = action.due;
      action.due = operation.due;
      return `Action "${action.description}" due date moved from ${from} to ${operation.due}`;
    }
    case 'record-review': {
      if (plan.lastReviewedOn === today) return undefined;
      plan.lastReviewedOn = today;
      return `Weekly review recorded on ${today}`;
    }
    case 'link-channel': {
      if (plan.channelIds.includes(operation.channelId)) return undefined;
      if (plan.channelIds.length >= LIMITS.channels) {
        throw new OperationRejectedError(
          at('channelId'),
          `a plan is shown in at most ${LIMITS.channels} channels; remove it from one first`,
        );
      }
      plan.channelIds.push(operation.channelId);
      return `Shown in ${channelLabel(operation)}`;
    }
    case 'unlink-channel': {
      if (!plan.channelIds.includes(operation.channelId)) return undefined;
      plan.channelIds = plan.channelIds.filter((id) => id !== operation.channelId);
      return `No longer shown in ${channelLabel(operation)}`;
    }
  }
}

function channelLabel({
  channelId,
  channelName,
}: {
  channelId: string;
  channelName?: string | undefined;
}): string {
  return channelName ? `the Teams channel "${channelName}"` : `the Teams channel ${channelId}`;
}
