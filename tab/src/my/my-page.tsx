import { type MyWorkPerson, type Plan, peopleOf } from '@cosell/shared';
import { Button, Text } from '@fluentui/react-components';
import { useMemo } from 'react';
import { useApi } from '../api/api-context';
import type { MyWorkAnswer } from '../api/client';
import { useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { QuickStatus, TouchLink, useQuickStyles } from '../mobile/quick-parts';
import { type QuickUpdates, useQuickUpdates } from '../mobile/use-quick-updates';
import { entriesFor, WorkCardView } from '../mobile/work-card';
import { PORTFOLIO_HREF, quickHref } from '../routing';
import {
  actionCards,
  byDue,
  cardFromItem,
  isOpen,
  milestoneCards,
  overlay,
  type WorkCard,
} from './work-model';

/*
 * "My co-sell" (#/my, the personal tab): my open actions and milestones across every plan I can see, due
 * soonest first, each with its quick updates.
 */

export function MyPage() {
  const api = useApi();
  const styles = useQuickStyles();
  useDocumentTitle('My co-sell');
  const [work, reload] = useLoad('my-work', (signal) => api.getMyWork({ signal }));
  return (
    <div className={styles.page}>
      <h1 className={styles.heading}>My co-sell</h1>
      {work.state === 'loading' && <Text role="status">Loading your actions and milestones…</Text>}
      {work.state === 'failed' && (
        <>
          <ProblemBar error={work.error} title="Your work could not be loaded" />
          <Button className={styles.touch} onClick={reload}>
            Try again
          </Button>
        </>
      )}
      {work.state === 'ready' && <MyWorkList work={work.data} />}
    </div>
  );
}

/** The cards of plans as the server last answered them: a plan a quick update came back with replaces its items. */
export function myCards(work: MyWorkAnswer, quick: Pick<QuickUpdates, 'plans' | 'touched'>): WorkCard[] {
  const cards: WorkCard[] = [];
  for (const summary of work.plans) {
    const answered = quick.plans.get(summary.id);
    if (answered) {
      const mine = myIdsOn(answered, work.person);
      cards.push(
        ...[...actionCards(answered), ...milestoneCards(answered)].filter(
          (c) => (mine.has(c.ownerId) && isOpen(c)) || quick.touched.has(c.key),
        ),
      );
    } else {
      cards.push(...work.items.filter((i) => i.planId === summary.id).map(cardFromItem));
    }
  }
  return cards;
}

export function myIdsOn(plan: Plan, person: string): Set<string> {
  return new Set(plan.people.filter((p) => p.email.toLowerCase() === person).map((p) => p.id));
}

export function peopleByPlan(
  work: MyWorkAnswer,
  plans: ReadonlyMap<string, Plan>,
): Map<string, readonly MyWorkPerson[]> {
  const map = new Map<string, readonly MyWorkPerson[]>();
  for (const p of work.plans) map.set(p.id, p.people);
  for (const [id, plan] of plans) map.set(id, peopleOf(plan));
  return map;
}

function MyWorkList({ work }: { work: MyWorkAnswer }) {
  const api = useApi();
  const styles = useQuickStyles();
  const quick = useQuickUpdates(api, work.person);
  const people = useMemo(() => peopleByPlan(work, quick.plans), [work, quick.plans]);
  // What the server said, with the updates not yet answered laid over it; done ones stay while in view.
  const cards = overlay(myCards(work, quick), quick.pending)
    .filter((c) => isOpen(c) || quick.touched.has(c.key) || entriesFor(c, quick.entries).length > 0)
    .sort(byDue);

  return (
    <>
      <p className={styles.lead}>
        Your open actions and milestones across{' '}
        {work.plans.length === 1 ? '1 plan' : `${work.plans.length} plans`}, soonest due first.
      </p>
      <QuickStatus quick={quick} />
      {cards.length === 0 ? (
        <p className={styles.empty}>
          Nothing is waiting on you. Actions and milestones you own on a plan show here.
        </p>
      ) : (
        <ul className={styles.list} aria-label="My actions and milestones">
          {cards.map((card) => (
            <WorkCardView
              key={card.key}
              card={card}
              today={work.today}
              showPlan
              planLink={quickHref(card.planId)}
              people={people.get(card.planId) ?? []}
              pending={entriesFor(card, quick.entries)}
              sendingId={quick.sendingId}
              onUpdate={(operation, label) => quick.update(card.planId, operation, label, card.key)}
            />
          ))}
        </ul>
      )}
      {work.truncated && (
        <Text>You are named on more plans than one page reads; the soonest of the first 500 are shown.</Text>
      )}
      <div className={styles.links}>
        <TouchLink href={PORTFOLIO_HREF}>All plans</TouchLink>
      </div>
    </>
  );
}
