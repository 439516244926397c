import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  Title1,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { ApiError } from '../api/client';
import { toApiError, useLoad } from '../api/use-load';
import { ProblemBar } from '../components/problem-bar';
import { useDocumentTitle } from '../components/use-document-title';
import { EscalationLog } from '../escalation/escalation-log';
import { formatDate } from '../format';
import { ReviewAccountView } from '../review/review-account';
import { type CloseReviewAnswer, closeReview, getReview, newReviewId } from '../review/review-api';
import { cadenceHref, OUTBOX_HREF, planHref, quickHref } from '../routing';

/*
 * `#/plans/:id/review`: the weekly review (SPEC §5, issue 7), also the meeting side panel — account by
 * account, blockers, actions due, milestones at risk, what changed since the last closed review, owners and
 * the next move. "Close review" stores a snapshot, records the review and mails the attendees a summary.
 */

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  title: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  links: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  totals: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalL,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
});

type Closing =
  | { state: 'idle' }
  | { state: 'busy' }
  | { state: 'closed'; answer: CloseReviewAnswer }
  | { state: 'failed'; error: ApiError };

export function ReviewPage({ planId }: { planId: string }) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad(`review:${planId}`, (signal) => getReview(api, planId, { signal }));
  const [closing, setClosing] = useState<Closing>({ state: 'idle' });
  // One id per close: pressing again after a failure retries the same close (one snapshot, one mail).
  const reviewId = useRef(newReviewId());
  const feedbackRef = useRef<HTMLDivElement>(null);
  useDocumentTitle(load.state === 'ready' ? `Weekly review: ${load.data.title}` : 'Weekly review');

  const close = async () => {
    setClosing({ state: 'busy' });
    try {
      const answer = await closeReview(api, planId, reviewId.current);
      reviewId.current = newReviewId();
      setClosing({ state: 'closed', answer });
      reload();
    } catch (error) {
      setClosing({ state: 'failed', error: toApiError(error) });
    }
    requestAnimationFrame(() => feedbackRef.current?.focus());
  };

  return (
    <div className={styles.page}>
      <nav aria-label="Plan pages" className={styles.links}>
        <Link href={planHref(planId)}>Back to the plan</Link>
        <Link href={quickHref(planId)}>Update actions, blockers and milestones</Link>
        <Link href={cadenceHref(planId)}>Weekly meeting settings</Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        Weekly review{load.state === 'ready' ? `: ${load.data.title}` : ''}
      </Title1>
      <div ref={feedbackRef} tabIndex={-1}>
        {closing.state === 'closed' && (
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Review closed</MessageBarTitle>
              {closing.answer.mail.sent
                ? `The summary went to ${closing.answer.mail.to.length} attendee${closing.answer.mail.to.length === 1 ? '' : 's'}.`
                : closing.answer.mail.error
                  ? `The summary was not sent (${closing.answer.mail.error}); close the review again to send it.`
                  : 'No one to send the summary to.'}{' '}
              The next review shows what changes from now on.
              {closing.answer.mail.sent && closing.answer.mail.via === 'outbox' && (
                <>
                  {' '}
                  In this local mode mail is kept in the <Link href={OUTBOX_HREF}>outbox</Link>.
                </>
              )}
            </MessageBarBody>
          </MessageBar>
        )}
        {closing.state === 'failed' && <ProblemBar error={closing.error} title="The review was not closed" />}
      </div>
      {load.state === 'loading' && <Spinner label="Loading the review…" />}
      {load.state === 'failed' && (
        <>
          <ProblemBar error={load.error} title="The review could not be loaded" />
          <div>
            <Button onClick={reload}>Try again</Button>
          </div>
        </>
      )}
      {load.state === 'ready' && (
        <>
          <Text className={styles.muted}>
            {load.data.since
              ? `What changed since the review of ${formatDate(load.data.since.closedOn)} (closed by ${load.data.since.closedBy}).`
              : 'The first review of this plan: nothing to compare with yet.'}
          </Text>
          <ul className={styles.totals} aria-label="This week at a glance">
            <li>
              <Text weight="semibold">{load.data.totals.blockers}</Text> blocker
              {load.data.totals.blockers === 1 ? '' : 's'}
            </li>
            <li>
              <Text weight="semibold">{load.data.totals.actionsDue}</Text> action
              {load.data.totals.actionsDue === 1 ? '' : 's'} due this week
            </li>
            <li>
              <Text weight="semibold">{load.data.totals.milestonesAtRisk}</Text> milestone
              {load.data.totals.milestonesAtRisk === 1 ? '' : 's'} at risk
            </li>
            <li>
              <Text weight="semibold">{load.data.totals.changes}</Text> change
              {load.data.totals.changes === 1 ? '' : 's'} since the last review
            </li>
          </ul>
          {load.data.accounts.map((account) => (
            <ReviewAccountView key={account.accountId ?? '(plan)'} account={account} />
          ))}
          {load.data.planChanges.length > 0 && (
            <section aria-labelledby="review-plan-changes">
              <Text as="h2" id="review-plan-changes" weight="semibold" size={400}>
                Changes to the plan
              </Text>
              <ul>
                {load.data.planChanges.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </section>
          )}
          {load.data.escalations.length > 0 && (
            <section aria-labelledby="review-escalations">
              <Text as="h2" id="review-escalations" weight="semibold" size={400}>
                Escalations sent
              </Text>
              <EscalationLog plan={load.data} />
            </section>
          )}
          <div className={styles.actions}>
            <Button appearance="primary" onClick={close} disabled={closing.state === 'busy'}>
              {closing.state === 'busy' ? 'Closing…' : 'Close review'}
            </Button>
            <Text className={styles.muted}>
              Stores what this review saw, marks the plan reviewed today and mails{' '}
              {load.data.attendees.length === 0
                ? 'no one (no attendees)'
                : `a summary to ${load.data.attendees.map((a) => a.name).join(', ')}`}
              .
            </Text>
          </div>
          {load.data.history.length > 0 && (
            <Text className={styles.muted}>
              Earlier reviews:{' '}
              {load.data.history.map((h) => `${formatDate(h.closedOn)} (${h.closedBy})`).join(', ')}.
            </Text>
          )}
        </>
      )}
    </div>
  );
}
