import type { Operation } from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { ApiError, type OperationsResult } from '../../tab/src/api/client';
import {
  backoffMs,
  isFinalRefusal,
  MAX_RETRY_MS,
  Outbox,
  type OutboxEvent,
} from '../../tab/src/offline/outbox';

/*
 * The tab's outbox of quick updates (tab/src/offline/outbox.ts): kept in storage until the server answers,
 * retried on network errors and busy answers with a backoff, dropped only on a final refusal (a 4xx),
 * sent in order. A fake `send`, an in-memory storage and a manual clock and timer stand in for the
 * browser; the behaviour under test is the outbox's own.
 */

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const networkDown = () =>
  new ApiError({ status: 0, code: 'NETWORK', detail: 'The Co-Sell Plan service could not be reached.' });
const refused = () =>
  new ApiError({ status: 422, code: 'VALIDATION_FAILED', detail: 'no person with id "x"', errors: [] });
const busy = () => new ApiError({ status: 503, code: 'CONTENTION', detail: 'Too many people are saving.' });

function harness(answers: (() => Promise<OperationsResult>)[]) {
  let now = 1_000_000;
  const timers: { at: number; run: () => void }[] = [];
  const storage = new MemoryStorage();
  const sent: { planId: string; operations: Operation[] }[] = [];
  const events: OutboxEvent[] = [];
  const make = () => {
    const outbox = new Outbox({
      key: 'cosell.outbox.v1:maya@vendor.example',
      storage,
      now: () => now,
      setTimer: (run, ms) => {
        const timer = { at: now + ms, run };
        timers.push(timer);
        return timer;
      },
      clearTimer: (timer) => {
        const i = timers.indexOf(timer as { at: number; run: () => void });
        if (i >= 0) timers.splice(i, 1);
      },
      send: async (planId, operations) => {
        sent.push({ planId, operations });
        const answer = answers.shift();
        if (!answer) throw new Error('no more answers');
        return answer();
      },
    });
    outbox.onEvent((e) => events.push(e));
    return outbox;
  };
  return {
    storage,
    sent,
    events,
    timers,
    make,
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      for (const t of due) timers.splice(timers.indexOf(t), 1);
      for (const t of due) t.run();
    },
  };
}

const ok = (version: number) => async () =>
  ({ plan: { id: 'p1', version }, changes: ['x'], health: {}, retries: 0 }) as unknown as OperationsResult;
const fail = (error: () => ApiError) => async (): Promise<OperationsResult> => {
  throw error();
};

const entry = (id: string, op: Operation = { op: 'complete-action', actionId: 'a1' }) => ({
  id,
  planId: 'p1',
  label: `update ${id}`,
  operations: [{ ...op, opId: id }],
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the outbox of quick updates', () => {
  it('sends an update at once and forgets it when the server applied it', async () => {
    const t = harness([ok(2)]);
    const outbox = t.make();
    await outbox.add(entry('op-1'));
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]?.operations[0]).toMatchObject({ op: 'complete-action', opId: 'op-1' });
    expect(outbox.entries()).toEqual([]);
    expect(t.storage.map.size).toBe(0);
    expect(t.events.map((e) => e.kind)).toEqual(['sent']);
  });

  it('keeps an update the network lost, in storage, and sends it when the connection is back', async () => {
    const t = harness([fail(networkDown), ok(2)]);
    const outbox = t.make();
    await outbox.add(entry('op-1'));
    expect(outbox.entries()).toHaveLength(1);
    expect(outbox.entries()[0]).toMatchObject({
      attempts: 1,
      lastError: expect.stringMatching(/could not be reached/),
    });
    expect(JSON.parse(t.storage.map.get('cosell.outbox.v1:maya@vendor.example') ?? '[]')).toHaveLength(1);
    expect(t.events.map((e) => e.kind)).toEqual(['waiting']);

    // The browser says it is online again: sent at once, whatever the backoff.
    const listeners = new Map<string, () => void>();
    outbox.watch({
      addEventListener: (name: string, fn: () => void) => listeners.set(name, fn),
      removeEventListener: () => {},
    } as unknown as Window);
    await settle();
    listeners.get('online')?.();
    await settle();
    await settle();
    expect(t.sent).toHaveLength(2);
    expect(t.sent[1]?.operations[0]?.opId).toBe('op-1');
    expect(outbox.entries()).toEqual([]);
    expect(t.events.map((e) => e.kind)).toEqual(['waiting', 'sent']);
  });

  it('retries on a timer with a backoff (2 s, 4 s, 8 s … at most a minute) and never drops the update', async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(backoffMs)).toEqual([
      2000,
      4000,
      8000,
      16000,
      32000,
      60000,
      60000,
      MAX_RETRY_MS,
    ]);
    const t = harness([fail(networkDown), fail(busy), fail(networkDown), ok(2)]);
    const outbox = t.make();
    await outbox.add(entry('op-1'));
    expect(t.timers.map((x) => x.at - 1_000_000)).toEqual([2000]);
    t.advance(1999);
    await settle();
    expect(t.sent).toHaveLength(1);
    t.advance(1);
    await settle();
    await settle();
    expect(t.sent).toHaveLength(2); // 503: busy is not a refusal
    expect(outbox.entries()[0]?.attempts).toBe(2);
    t.advance(4000);
    await settle();
    await settle();
    expect(t.sent).toHaveLength(3);
    t.advance(8000);
    await settle();
    await settle();
    expect(t.sent).toHaveLength(4);
    expect(outbox.entries()).toEqual([]);
    expect(t.events.map((e) => e.kind)).toEqual(['waiting', 'waiting', 'waiting', 'sent']);
    expect(new Set(t.sent.map((s) => s.operations[0]?.opId))).toEqual(new Set(['op-1']));
  });

  it('drops an update the server refuses (4xx) and says so; 401, 408 and 429 are tried again', async () => {
    expect(isFinalRefusal(refused())).toBe(true);
    expect(isFinalRefusal(new ApiError({ status: 404, code: 'NOT_FOUND', detail: '' }))).toBe(true);
    for (const status of [0, 401, 408, 429, 500, 502, 503])
      expect(isFinalRefusal(new ApiError({ status, code: 'X', detail: '' })), String(status)).toBe(false);
    const t = harness([fail(refused), ok(3)]);
    const outbox = t.make();
    await outbox.add(entry('op-1'));
    expect(outbox.entries()).toEqual([]);
    const event = t.events[0];
    expect(event?.kind).toBe('refused');
    if (event?.kind === 'refused') expect(event.error.detail).toBe('no person with id "x"');
    await outbox.add(entry('op-2'));
    expect(t.events.map((e) => e.kind)).toEqual(['refused', 'sent']);
  });

  it('sends in the order the updates were made, and holds later ones behind one that is waiting', async () => {
    const t = harness([fail(networkDown), ok(2), ok(3)]);
    const outbox = t.make();
    await outbox.add(entry('op-1', { op: 'complete-action', actionId: 'a1' }));
    await outbox.add(entry('op-2', { op: 'set-owner', item: 'action', itemId: 'a1', ownerId: 'v-pm' }));
    // op-2 was not sent ahead of op-1 (op-1 waits for the connection).
    expect(t.sent.map((s) => s.operations[0]?.opId)).toEqual(['op-1']);
    expect(outbox.entries().map((e) => e.id)).toEqual(['op-1', 'op-2']);
    await outbox.retryNow();
    expect(t.sent.map((s) => s.operations[0]?.opId)).toEqual(['op-1', 'op-1', 'op-2']);
    expect(outbox.entries()).toEqual([]);
  });

  it('a page opened later finds the updates kept by an earlier one and sends them', async () => {
    const t = harness([fail(networkDown), ok(2)]);
    await t.make().add(entry('op-1'));
    const later = t.make();
    expect(later.entries().map((e) => e.id)).toEqual(['op-1']);
    await later.retryNow();
    expect(later.entries()).toEqual([]);
    expect(t.storage.map.size).toBe(0);
  });

  it('ignores damaged storage instead of failing', () => {
    const t = harness([]);
    t.storage.setItem('cosell.outbox.v1:maya@vendor.example', '{not json');
    expect(t.make().entries()).toEqual([]);
    const valid = { ...entry('x'), createdAt: 1, attempts: 0, nextAttemptAt: 1 };
    t.storage.setItem('cosell.outbox.v1:maya@vendor.example', JSON.stringify([{ id: 1 }, entry('y'), valid]));
    expect(
      t
        .make()
        .entries()
        .map((e) => e.id),
    ).toEqual(['x']);
  });
});
