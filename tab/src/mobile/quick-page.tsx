import { type Plan, peopleOf } from '@cosell/shared';
import { Button, Text } from '@fluentui/react-components';
import { useApi } from '../api/api-context';
import type { MyWorkAnswer } from '../api/client';
import { useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { myCards, myIdsOn, peopleByPlan } from '../my/my-page';
import { actionCards, byDue, isOpen, milestoneCards, overlay, type WorkCard } from '../my/work-model';
import { MY_WORK_HREF, planHref, quickHref } from '../routing';
import { QuickStatus, TouchLink, useQuickStyles } from './quick-parts';
import { useQuickUpdates } from './use-quick-updates';
import { entriesFor, WorkCardView } from './work-card';

/*
 * The quick-update view of a plan (#/plans/:id/quick), the one the tab opens on phones: my open actions
 * across plans, then the next milestones of this plan and its other open actions — each updated in a tap
 * or two, through the quick-update operations (never a whole-plan save, so a desk edit made at the same
 * time is never erased).
 */

/** How many of the plan's next milestones the view shows. */
export const NEXT_MILESTONES = 5;

export function QuickPage({ planId }: { planId: string }) {
  const api = useApi();
  const styles = useQuickStyles();
  const [plan, reloadPlan] = useLoad(`quick-plan:${planId}`, (signal) => api.getPlan(planId, { signal }));
  const [work, reloadWork] = useLoad('my-work', (signal) => api.getMyWork({ signal }));
  useDocumentTitle(plan.state === 'ready' ? `Quick update — ${plan.data.title}` : 'Quick update');
  const failed = plan.state === 'failed' ? plan.error : work.state === 'failed' ? work.error : undefined;
  return (
    <div className={styles.page}>
      {plan.state === 'ready' ? (
        <h1 className={styles.heading}>{plan.data.title}</h1>
      ) : (
        <h1 className={styles.heading}>Quick update</h1>
      )}
      <div className={styles.links}>
        <TouchLink href={planHref(planId)}>Full plan</TouchLink>
        <TouchLink href={MY_WORK_HREF}>My co-sell</TouchLink>
      </div>
      {failed && (
        <>
          <ProblemBar error={failed} title="The plan could not be loaded" />
          <Button
            className={styles.touch}
            onClick={() => {
              reloadPlan();
              reloadWork();
            }}
          >
            Try again
          </Button>
        </>
      )}
      {!failed && (plan.state === 'loading' || work.state === 'loading') && (
        <Text role="status">Loading the plan…</Text>
      )}
      {plan.state === 'ready' && work.state === 'ready' && <QuickView loaded={plan.data} work={work.data} />}
    </div>
  );
}

function QuickView({ loaded, work }: { loaded: Plan; work: MyWorkAnswer }) {
  const api = useApi();
  const styles = useQuickStyles();
  const quick = useQuickUpdates(api, work.person);
  const plan = newer(quick.plans.get(loaded.id), loaded);
  const mine = myIdsOn(plan, work.person);
  const shown = (c: WorkCard) =>
    isOpen(c) || quick.touched.has(c.key) || entriesFor(c, quick.entries).length > 0;

  // This plan: every action and milestone, with the updates not yet answered laid over them.
  const base = [...actionCards(plan), ...milestoneCards(plan)];
  const here = overlay(base, quick.pending);
  const mineAtServer = new Set(base.filter((c) => mine.has(c.ownerId)).map((c) => c.key));
  const isMine = (c: WorkCard) => mine.has(c.ownerId) || mineAtServer.has(c.key);

  const myHere = here.filter((c) => c.kind === 'action' && isMine(c) && shown(c));
  const myElsewhere = overlay(
    myCards(work, quick).filter((c) => c.planId !== plan.id && c.kind === 'action'),
    quick.pending,
  ).filter(shown);
  const myActions = [...myHere, ...myElsewhere].sort(byDue);
  const milestones = here
    .filter((c) => c.kind === 'milestone' && shown(c))
    .sort(byDue)
    .slice(0, NEXT_MILESTONES);
  const others = here.filter((c) => c.kind === 'action' && !isMine(c) && shown(c)).sort(byDue);

  const people = peopleByPlan(work, quick.plans);
  people.set(plan.id, peopleOf(plan));

  const list = (cards: WorkCard[], label: string, empty: string, across = false) =>
    cards.length === 0 ? (
      <p className={styles.empty}>{empty}</p>
    ) : (
      <ul className={styles.list} aria-label={label}>
        {cards.map((card) => (
          <WorkCardView
            key={card.key}
            card={card}
            today={work.today}
            showPlan={across && card.planId !== plan.id}
            planLink={quickHref(card.planId)}
            people={people.get(card.planId) ?? []}
            pending={entriesFor(card, quick.entries)}
            sendingId={quick.sendingId}
            onUpdate={(operation, label) => quick.update(card.planId, operation, label, card.key)}
          />
        ))}
      </ul>
    );

  return (
    <>
      <QuickStatus quick={quick} />
      <section className={styles.section} aria-labelledby="quick-mine">
        <h2 id="quick-mine" className={styles.subheading}>
          My open actions
        </h2>
        {list(myActions, 'My open actions', 'No open actions of yours, on this plan or any other.', true)}
      </section>
      <section className={styles.section} aria-labelledby="quick-milestones">
        <h2 id="quick-milestones" className={styles.subheading}>
          Next milestones
        </h2>
        {list(milestones, 'Next milestones of this plan', 'No milestone is still to do on this plan.')}
      </section>
      <section className={styles.section} aria-labelledby="quick-others">
        <h2 id="quick-others" className={styles.subheading}>
          Other open actions on this plan
        </h2>
        {list(others, 'Other open actions on this plan', 'No other open actions.')}
      </section>
    </>
  );
}

function newer(answered: Plan | undefined, loaded: Plan): Plan {
  return answered && answered.version >= loaded.version ? answered : loaded;
}
