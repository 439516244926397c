import type { Operation, Plan } from '@cosell/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient, ApiError } from '../api/client';
import type { PendingOp } from '../my/work-model';
import type { Outbox, OutboxEntry } from '../offline/outbox';
import { newOperationId } from '../offline/outbox';
import { outboxFor, useOutboxEntries, useSending } from '../offline/use-outbox';

/*
 * The quick updates of one page: each tap becomes an operation with its own id, goes into the outbox
 * (kept, sent, retried), and shows at once. When the server answers, the page takes the plan it answered
 * (`plans`); when it refuses, the update leaves the outbox — the view returns to what the server has — and
 * a message says what was not saved and why.
 */

export interface Notice {
  id: string;
  intent: 'error' | 'success';
  title: string;
  detail: string;
  fields: string[];
}

export interface QuickUpdates {
  outbox: Outbox;
  entries: readonly OutboxEntry[];
  sendingId: string | undefined;
  /** The updates not yet answered, in order, to lay over what the server said. */
  pending: PendingOp[];
  /** The plans as the server answered the updates of this page, by id (newer than what the page loaded). */
  plans: ReadonlyMap<string, Plan>;
  /** Keys of cards this page changed (done ones stay in view, marked done). */
  touched: ReadonlySet<string>;
  notices: Notice[];
  dismiss(id: string): void;
  update(planId: string, operation: Operation, label: string, cardKey: string): void;
}

function refusalNotice(entry: OutboxEntry, error: ApiError): Notice {
  return {
    id: `refused-${entry.id}`,
    intent: 'error',
    title: `Not saved: ${entry.label}`,
    detail: `${error.detail} The change was undone here.`,
    fields: error.errors.filter((e) => e.message !== error.detail).map((e) => e.message),
  };
}

export function useQuickUpdates(api: ApiClient, person: string): QuickUpdates {
  const outbox = useMemo(() => outboxFor(api, person), [api, person]);
  const entries = useOutboxEntries(outbox);
  const sendingId = useSending(outbox);
  const [plans, setPlans] = useState<ReadonlyMap<string, Plan>>(new Map());
  const [notices, setNotices] = useState<Notice[]>([]);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());

  useEffect(
    () =>
      outbox.onEvent((event) => {
        if (event.kind === 'sent') {
          const plan = event.result.plan;
          setPlans((current) => {
            const known = current.get(plan.id);
            if (known && known.version > plan.version) return current;
            return new Map(current).set(plan.id, plan);
          });
        } else if (event.kind === 'refused') {
          setNotices((current) => [...current, refusalNotice(event.entry, event.error)]);
        }
      }),
    [outbox],
  );

  const update = useCallback(
    (planId: string, operation: Operation, label: string, cardKey: string) => {
      const id = newOperationId();
      setTouched((current) => new Set(current).add(cardKey));
      void outbox.add({ id, planId, label, operations: [{ ...operation, opId: id }] });
    },
    [outbox],
  );

  const dismiss = useCallback((id: string) => setNotices((n) => n.filter((x) => x.id !== id)), []);

  const pending = useMemo(
    () => entries.flatMap((e) => e.operations.map((operation) => ({ planId: e.planId, operation }))),
    [entries],
  );

  return { outbox, entries, sendingId, pending, plans, touched, notices, dismiss, update };
}
