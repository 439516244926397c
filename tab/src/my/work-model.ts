import type { MyWorkItem, MyWorkPerson, Operation, Plan } from '@cosell/shared';

/*
 * What the quick-update views show, as data: one card per action or milestone, and the effect of a quick
 * update on a card, so the view changes the moment a person taps (optimistic) and changes back by itself
 * when the server refuses (the update is simply no longer pending). Light on purpose: no schemas, no zod
 * in the phone's download.
 */

export interface WorkCard {
  /** `planId/kind/itemId`. */
  key: string;
  kind: 'action' | 'milestone';
  planId: string;
  planTitle: string;
  itemId: string;
  title: string;
  due: string;
  status: string;
  blocker?: string;
  ownerId: string;
  accountName?: string;
  milestoneTitle?: string;
}

export const cardKey = (planId: string, kind: 'action' | 'milestone', itemId: string) =>
  `${planId}/${kind}/${itemId}`;

export function cardFromItem(item: MyWorkItem): WorkCard {
  return {
    key: cardKey(item.planId, item.kind, item.itemId),
    kind: item.kind,
    planId: item.planId,
    planTitle: item.planTitle,
    itemId: item.itemId,
    title: item.title,
    due: item.due,
    status: item.status,
    ...(item.blocker ? { blocker: item.blocker } : {}),
    ownerId: item.ownerId,
    ...(item.accountName ? { accountName: item.accountName } : {}),
    ...(item.milestoneTitle ? { milestoneTitle: item.milestoneTitle } : {}),
  };
}

export function actionCards(plan: Plan): WorkCard[] {
  return plan.actions.map((a) => {
    const account = plan.accounts.find((x) => x.id === a.accountId)?.name;
    const milestone = plan.milestones.find((m) => m.id === a.milestoneId)?.title;
    return {
      key: cardKey(plan.id, 'action', a.id),
      kind: 'action' as const,
      planId: plan.id,
      planTitle: plan.title,
      itemId: a.id,
      title: a.description,
      due: a.due,
      status: a.status,
      ...(a.status === 'blocked' && a.blocker ? { blocker: a.blocker } : {}),
      ownerId: a.ownerId,
      ...(account ? { accountName: account } : {}),
      ...(milestone ? { milestoneTitle: milestone } : {}),
    };
  });
}

export function milestoneCards(plan: Plan): WorkCard[] {
  return plan.milestones.map((m) => {
    const account = plan.accounts.find((x) => x.id === m.accountId)?.name;
    return {
      key: cardKey(plan.id, 'milestone', m.id),
      kind: 'milestone' as const,
      planId: plan.id,
      planTitle: plan.title,
      itemId: m.id,
      title: m.title,
      due: m.due,
      status: m.status,
      ownerId: m.ownerId,
      ...(account ? { accountName: account } : {}),
    };
  });
}

/** The card as it is once `op` (an update of the card's plan) is applied; unchanged when it is not about it. */
export function applyToCard(card: WorkCard, op: Operation): WorkCard {
  const isAction = card.kind === 'action';
  switch (op.op) {
    case 'complete-action':
      if (!isAction || op.actionId !== card.itemId) return card;
      return withoutBlocker({ ...card, status: 'done' });
    case 'reopen-action':
      if (!isAction || op.actionId !== card.itemId || card.status !== 'done') return card;
      return { ...card, status: 'open' };
    case 'raise-blocker':
      if (!isAction || op.actionId !== card.itemId || card.status === 'done') return card;
      return { ...card, status: 'blocked', blocker: op.blocker };
    case 'clear-blocker':
      if (!isAction || op.actionId !== card.itemId || card.status !== 'blocked') return card;
      return withoutBlocker({ ...card, status: 'open' });
    case 'reschedule-action':
      if (!isAction || op.actionId !== card.itemId || card.status === 'done') return card;
      return { ...card, due: op.due };
    case 'complete-milestone':
      if (isAction || op.milestoneId !== card.itemId) return card;
      return { ...card, status: 'done' };
    case 'move-milestone':
      if (isAction || op.milestoneId !== card.itemId || card.status === 'done') return card;
      return { ...card, due: op.due, status: op.due > card.due ? 'slipped' : card.status };
    case 'set-owner':
      if (op.item !== card.kind || op.itemId !== card.itemId) return card;
      return { ...card, ownerId: op.ownerId };
    default:
      return card;
  }
}

function withoutBlocker(card: WorkCard): WorkCard {
  const { blocker: _b, ...rest } = card;
  return rest;
}

export interface PendingOp {
  planId: string;
  operation: Operation;
}

/** The cards with every pending update applied in order. */
export function overlay(cards: readonly WorkCard[], pending: readonly PendingOp[]): WorkCard[] {
  return cards.map((card) =>
    pending.reduce((c, p) => (p.planId === c.planId ? applyToCard(c, p.operation) : c), card),
  );
}

export function isOpen(card: WorkCard): boolean {
  return card.status !== 'done';
}

export const byDue = (a: WorkCard, b: WorkCard) =>
  a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** Who may own a card: an action is never the buyer's (the server refuses it, so the picker does not offer it). */
export function ownersFor(card: WorkCard, people: readonly MyWorkPerson[]): MyWorkPerson[] {
  return card.kind === 'action' ? people.filter((p) => p.side !== 'buyer') : [...people];
}
