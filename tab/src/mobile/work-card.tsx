import {
  ACTION_STATUS_LABELS,
  LIMITS,
  MILESTONE_STATUS_LABELS,
  type MyWorkPerson,
  type Operation,
} from '@cosell/shared';
import {
  Badge,
  Button,
  Field,
  Input,
  Link,
  makeStyles,
  Select,
  Text,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useId, useState } from 'react';
import { formatDate } from '../format';
import { ownersFor, type WorkCard } from '../my/work-model';
import type { OutboxEntry } from '../offline/outbox';

/*
 * One action or milestone on a phone: what it is, when it is due, and the quick updates as buttons of at
 * least 44×44 px. "Done" is one tap. Moving a milestone asks for the new date and a reason (required: the
 * plan history shows why a date moved); a blocker asks for its text; reassigning picks a person of the plan.
 */

const useStyles = makeStyles({
  card: {
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    padding: '12px',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  done: { backgroundColor: tokens.colorNeutralBackground3 },
  context: { color: tokens.colorNeutralForeground2 },
  planLink: { display: 'inline-flex', alignItems: 'center', minHeight: '44px', alignSelf: 'flex-start' },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  titleDone: { textDecorationLine: 'line-through' },
  meta: { display: 'flex', flexWrap: 'wrap', gap: '6px', alignItems: 'center' },
  blocker: { color: tokens.colorPaletteRedForeground1 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: '8px', marginTop: '4px' },
  touch: { minHeight: '44px', minWidth: '44px' },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    padding: '8px 0 0',
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  control: { width: '100%', maxWidth: '100%' },
  /** The element a finger lands on: 44 px high whatever Fluent's size. */
  field: { minHeight: '44px', height: '44px', boxSizing: 'border-box' },
  error: { color: tokens.colorPaletteRedForeground1 },
  pending: { color: tokens.colorNeutralForeground2 },
});

type Panel = 'blocker' | 'reassign' | 'move' | undefined;

export interface WorkCardProps {
  card: WorkCard;
  today: string;
  /** People of the card's plan, for reassigning; without them no reassign button. */
  people?: readonly MyWorkPerson[];
  /** Show the plan's title (lists across plans), as a link to `planLink` when given. */
  showPlan?: boolean;
  planLink?: string;
  /** The outbox entries about this card, oldest first. */
  pending: readonly OutboxEntry[];
  sendingId: string | undefined;
  onUpdate(operation: Operation, label: string): void;
}

function statusLabels(card: WorkCard): Record<string, string> {
  return card.kind === 'action' ? ACTION_STATUS_LABELS : MILESTONE_STATUS_LABELS;
}

export function WorkCardView({
  card,
  today,
  people,
  showPlan,
  planLink,
  pending,
  sendingId,
  onUpdate,
}: WorkCardProps) {
  const styles = useStyles();
  const [panel, setPanel] = useState<Panel>();
  const done = card.status === 'done';
  const overdue = !done && card.due < today;
  const owner = people?.find((p) => p.id === card.ownerId)?.name;
  const toggle = (next: Panel) => setPanel((current) => (current === next ? undefined : next));
  const headingId = useId();

  const waiting = pending.find((e) => e.attempts > 0);
  const sending = pending.some((e) => e.id === sendingId);

  return (
    <li className={`${styles.card} ${done ? styles.done : ''}`} aria-labelledby={headingId}>
      {showPlan && planLink && (
        <Link href={planLink} className={styles.planLink}>
          {card.planTitle}
        </Link>
      )}
      {(card.accountName || (showPlan && !planLink)) && (
        <Text size={200} className={styles.context}>
          {[showPlan && !planLink ? card.planTitle : undefined, card.accountName].filter(Boolean).join(' · ')}
        </Text>
      )}
      <Text id={headingId} className={`${styles.title} ${done ? styles.titleDone : ''}`}>
        {card.title}
      </Text>
      <div className={styles.meta}>
        <Text size={300}>
          {card.kind === 'action' ? 'Action' : 'Milestone'} · due {formatDate(card.due)}
        </Text>
        <Badge appearance="tint" color={done ? 'success' : overdue ? 'danger' : 'informative'}>
          {overdue ? 'Overdue' : (statusLabels(card)[card.status] ?? card.status)}
        </Badge>
        {owner && <Text size={300}>Owner: {owner}</Text>}
      </div>
      {card.blocker && (
        <Text size={300} className={styles.blocker}>
          Blocker: {card.blocker}
        </Text>
      )}
      {pending.length > 0 && (
        <Text size={200} role="status" className={styles.pending}>
          {sending
            ? 'Sending…'
            : waiting
              ? 'Pending: kept on this device and sent when the connection is back.'
              : 'Saving…'}
        </Text>
      )}
      {!done && (
        <div className={styles.buttons}>
          <Button
            appearance="primary"
            className={styles.touch}
            aria-label={`Done: ${card.title}`}
            onClick={() =>
              onUpdate(
                card.kind === 'action'
                  ? { op: 'complete-action', actionId: card.itemId }
                  : { op: 'complete-milestone', milestoneId: card.itemId },
                `mark “${card.title}” done`,
              )
            }
          >
            Done
          </Button>
          {card.kind === 'milestone' && (
            <Button
              className={styles.touch}
              aria-label={`Move date: ${card.title}`}
              aria-expanded={panel === 'move'}
              onClick={() => toggle('move')}
            >
              Move date
            </Button>
          )}
          {card.kind === 'action' &&
            (card.status === 'blocked' ? (
              <Button
                className={styles.touch}
                aria-label={`Clear blocker: ${card.title}`}
                onClick={() =>
                  onUpdate(
                    { op: 'clear-blocker', actionId: card.itemId },
                    `clear the blocker on “${card.title}”`,
                  )
                }
              >
                Clear blocker
              </Button>
            ) : (
              <Button
                className={styles.touch}
                aria-label={`Blocker: ${card.title}`}
                aria-expanded={panel === 'blocker'}
                onClick={() => toggle('blocker')}
              >
                Blocker
              </Button>
            ))}
          {people && people.length > 0 && (
            <Button
              className={styles.touch}
              aria-label={`Reassign: ${card.title}`}
              aria-expanded={panel === 'reassign'}
              onClick={() => toggle('reassign')}
            >
              Reassign
            </Button>
          )}
        </div>
      )}
      {!done && panel === 'move' && (
        <MoveForm
          card={card}
          today={today}
          onCancel={() => setPanel(undefined)}
          onMove={(due, reason) => {
            setPanel(undefined);
            onUpdate(
              { op: 'move-milestone', milestoneId: card.itemId, due, reason },
              `move “${card.title}” to ${formatDate(due)}`,
            );
          }}
        />
      )}
      {!done && panel === 'blocker' && (
        <BlockerForm
          card={card}
          onCancel={() => setPanel(undefined)}
          onRaise={(blocker) => {
            setPanel(undefined);
            onUpdate(
              { op: 'raise-blocker', actionId: card.itemId, blocker },
              `raise a blocker on “${card.title}”`,
            );
          }}
        />
      )}
      {!done && panel === 'reassign' && people && (
        <ReassignForm
          card={card}
          people={ownersFor(card, people)}
          onCancel={() => setPanel(undefined)}
          onReassign={(person) => {
            setPanel(undefined);
            onUpdate(
              { op: 'set-owner', item: card.kind, itemId: card.itemId, ownerId: person.id },
              `reassign “${card.title}” to ${person.name}`,
            );
          }}
        />
      )}
    </li>
  );
}

function FormButtons({ submit, onCancel }: { submit: string; onCancel(): void }) {
  const styles = useStyles();
  return (
    <div className={styles.buttons}>
      <Button type="submit" appearance="primary" className={styles.touch}>
        {submit}
      </Button>
      <Button type="button" className={styles.touch} onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}

/** The limits the server checks. */
const MAX_REASON = LIMITS.moveReason;
const MAX_BLOCKER = LIMITS.blocker;

function MoveForm({
  card,
  today,
  onMove,
  onCancel,
}: {
  card: WorkCard;
  today: string;
  onMove(due: string, reason: string): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const [due, setDue] = useState(card.due < today ? today : card.due);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ field: 'due' | 'reason'; message: string }>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) {
      setProblem({ field: 'due', message: 'Pick the new date.' });
      return;
    }
    if (due === card.due) {
      setProblem({ field: 'due', message: 'The new date is the date it has now: pick another one.' });
      return;
    }
    if (reason.trim() === '') {
      setProblem({
        field: 'reason',
        message:
          'A reason is required to move a milestone: say why the date moves (the plan history keeps it).',
      });
      return;
    }
    setProblem(undefined);
    onMove(due, reason.trim());
  };

  return (
    <form className={styles.panel} onSubmit={submit} noValidate aria-label={`Move ${card.title}`}>
      <Field
        label="New date"
        required
        validationState={problem?.field === 'due' ? 'error' : 'none'}
        validationMessage={problem?.field === 'due' ? problem.message : undefined}
      >
        <Input
          type="date"
          value={due}
          className={styles.control}
          input={{ className: styles.field }}
          onChange={(_, data) => setDue(data.value)}
        />
      </Field>
      <Field
        label="Reason"
        required
        hint="Why the date moves — for example “Buyer's security lead on leave”."
        validationState={problem?.field === 'reason' ? 'error' : 'none'}
        validationMessage={problem?.field === 'reason' ? problem.message : undefined}
      >
        <Input
          value={reason}
          maxLength={MAX_REASON}
          className={styles.control}
          input={{ className: styles.field }}
          onChange={(_, data) => setReason(data.value)}
        />
      </Field>
      <FormButtons submit="Save new date" onCancel={onCancel} />
    </form>
  );
}

function BlockerForm({
  card,
  onRaise,
  onCancel,
}: {
  card: WorkCard;
  onRaise(blocker: string): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setProblem('Say what blocks it, so the owner and the review can act on it.');
      return;
    }
    onRaise(text.trim());
  };
  return (
    <form className={styles.panel} onSubmit={submit} noValidate aria-label={`Blocker on ${card.title}`}>
      <Field
        label="What blocks it"
        required
        validationState={problem ? 'error' : 'none'}
        validationMessage={problem}
      >
        <Input
          value={text}
          maxLength={MAX_BLOCKER}
          className={styles.control}
          input={{ className: styles.field }}
          onChange={(_, data) => setText(data.value)}
        />
      </Field>
      <FormButtons submit="Raise blocker" onCancel={onCancel} />
    </form>
  );
}

function ReassignForm({
  card,
  people,
  onReassign,
  onCancel,
}: {
  card: WorkCard;
  people: readonly MyWorkPerson[];
  onReassign(person: MyWorkPerson): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const others = people.filter((p) => p.id !== card.ownerId);
  const [personId, setPersonId] = useState(others[0]?.id ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const person = others.find((p) => p.id === personId);
    if (person) onReassign(person);
  };
  return (
    <form className={styles.panel} onSubmit={submit} noValidate aria-label={`Reassign ${card.title}`}>
      <Field label="New owner">
        <Select value={personId} className={styles.control} onChange={(_, data) => setPersonId(data.value)}>
          {others.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.side})
            </option>
          ))}
        </Select>
      </Field>
      <FormButtons submit="Reassign" onCancel={onCancel} />
    </form>
  );
}

/** The outbox entries that touch this card. */
export function entriesFor(card: WorkCard, entries: readonly OutboxEntry[]): OutboxEntry[] {
  return entries.filter((e) => e.planId === card.planId && e.operations.some((op) => concerns(card, op)));
}

function concerns(card: WorkCard, op: Operation): boolean {
  switch (op.op) {
    case 'complete-action':
    case 'reopen-action':
    case 'raise-blocker':
    case 'clear-blocker':
    case 'reschedule-action':
      return card.kind === 'action' && op.actionId === card.itemId;
    case 'complete-milestone':
    case 'move-milestone':
      return card.kind === 'milestone' && op.milestoneId === card.itemId;
    case 'set-owner':
      return op.item === card.kind && op.itemId === card.itemId;
    default:
      return false;
  }
}
