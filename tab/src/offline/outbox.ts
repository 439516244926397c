import type { Operation } from '@cosell/shared';
import { ApiError, type OperationsResult } from '../api/client';

/*
 * The outbox of quick updates (issue 8): every update is put here first, kept in localStorage, and sent
 * through the operations endpoint in the order it was made. An update that cannot be sent — no network,
 * or the service busy or unavailable — stays, is shown as pending, and is sent again when the browser says
 * it is back online and on a timer that backs off (2 s, 4 s, … up to a minute). Only an answer from the
 * server ends an update: applied (`sent`), or refused as a client mistake (`refused`, a 4xx: the view
 * rolls back and says why). Nothing is dropped silently. Each operation carries an `opId`, and the server
 * ignores an id it has applied, so sending again after a lost answer is harmless.
 */

export interface OutboxEntry {
  /** Unique; also the `opId` of the entry's operation. */
  id: string;
  planId: string;
  /** What the person did, in words ("Mark “Send the pricing” done"). */
  label: string;
  operations: Operation[];
  /** Epoch milliseconds. */
  createdAt: number;
  attempts: number;
  /** Not sent again by the timer before this (epoch ms); `online` and `retryNow()` send at once. */
  nextAttemptAt: number;
  /** Why the last attempt did not go through. */
  lastError?: string;
}

export type OutboxEvent =
  | { kind: 'sent'; entry: OutboxEntry; result: OperationsResult }
  | { kind: 'refused'; entry: OutboxEntry; error: ApiError }
  | { kind: 'waiting'; entry: OutboxEntry; error: ApiError };

export type SendOperations = (planId: string, operations: Operation[]) => Promise<OperationsResult>;

export interface OutboxOptions {
  send: SendOperations;
  /** Where entries survive a reload (window.localStorage); without one they live as long as the page. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The storage key: one outbox per signed-in person, so one person's updates are never sent as another's. */
  key: string;
  now?: () => number;
  /** Timer functions (a test may pass its own). */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const FIRST_RETRY_MS = 2_000;
export const MAX_RETRY_MS = 60_000;

/** The wait before the `attempts`-th retry: 2 s doubling, at most a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * A refusal is final only when the server looked at the update and said no: a 4xx other than 401 (signed
 * out), 408 (timeout) and 429 (too many requests). No answer (status 0), a busy or unavailable service (5xx, 503 CONTENTION
 * included: "your update was not lost, send it again") and an unreadable answer are tried again.
 */
export function isFinalRefusal(error: ApiError): boolean {
  // 401: the sign-in ran out, not the update's fault; it is sent again once signed in.
  return error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status);
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    status: 0,
    code: 'UNEXPECTED',
    detail: error instanceof Error ? error.message : String(error),
  });
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.planId === 'string' &&
    typeof v.label === 'string' &&
    Array.isArray(v.operations) &&
    typeof v.createdAt === 'number' &&
    typeof v.attempts === 'number' &&
    typeof v.nextAttemptAt === 'number'
  );
}

export class Outbox {
  private list: readonly OutboxEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: OutboxEvent) => void>();
  private flushing: Promise<void> | undefined;
  private again = false;
  private timer: unknown;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  /** The entry being sent right now, if any. */
  private inFlight: string | undefined;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.list = this.load();
  }

  /** The entries not yet answered, oldest first (a new array after every change, for React). */
  entries(): readonly OutboxEntry[] {
    return this.list;
  }

  sending(): string | undefined {
    return this.inFlight;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEvent(listener: (event: OutboxEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Keeps the update, then tries to send it (and anything older) at once. */
  add(entry: Omit<OutboxEntry, 'createdAt' | 'attempts' | 'nextAttemptAt'>): Promise<void> {
    const now = this.now();
    this.set([...this.list, { ...entry, createdAt: now, attempts: 0, nextAttemptAt: now }]);
    return this.flush();
  }

  /** Sends what is waiting now, whatever the backoff says (the connection came back; the person asked). */
  retryNow(): Promise<void> {
    const now = this.now();
    this.set(this.list.map((e) => (e.nextAttemptAt > now ? { ...e, nextAttemptAt: now } : e)));
    return this.flush();
  }

  /**
   * Sends waiting entries in order. It stops at the first one that gets no answer (the rest would fail
   * the same way, and order matters: a reassign after a done must not overtake it) and sets the timer.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.again = false;
          await this.sendDue();
        } while (this.again);
      } finally {
        this.flushing = undefined;
        this.schedule();
      }
    })();
    return this.flushing;
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      const entry = this.list[0];
      if (!entry || entry.nextAttemptAt > this.now()) return;
      this.inFlight = entry.id;
      this.notify();
      let outcome: OutboxEvent;
      try {
        const result = await this.options.send(entry.planId, entry.operations);
        outcome = { kind: 'sent', entry, result };
      } catch (error) {
        const apiError = toApiError(error);
        outcome = isFinalRefusal(apiError)
          ? { kind: 'refused', entry, error: apiError }
          : { kind: 'waiting', entry, error: apiError };
      }
      this.inFlight = undefined;
      if (outcome.kind === 'waiting') {
        const attempts = entry.attempts + 1;
        const updated: OutboxEntry = {
          ...entry,
          attempts,
          nextAttemptAt: this.now() + backoffMs(attempts),
          lastError: outcome.error.detail,
        };
        this.set(this.list.map((e) => (e.id === entry.id ? updated : e)));
        this.emit({ ...outcome, entry: updated });
        return;
      }
      this.set(this.list.filter((e) => e.id !== entry.id));
      this.emit(outcome);
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    const first = this.list[0];
    if (!first) return;
    const wait = Math.max(0, first.nextAttemptAt - this.now());
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
  }

  /** Starts listening for the connection to come back; returns the function that stops it. */
  watch(win: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
    const online = () => void this.retryNow();
    win.addEventListener('online', online);
    void this.flush();
    return () => {
      win.removeEventListener('online', online);
      if (this.timer !== undefined) this.clearTimer(this.timer);
      this.timer = undefined;
    };
  }

  private set(list: readonly OutboxEntry[]): void {
    this.list = list;
    this.save();
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private emit(event: OutboxEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  private load(): OutboxEntry[] {
    const storage = this.options.storage;
    if (!storage) return [];
    try {
      const raw = storage.getItem(this.options.key);
      if (!raw) return [];
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    const storage = this.options.storage;
    if (!storage) return;
    try {
      if (this.list.length === 0) storage.removeItem(this.options.key);
      else storage.setItem(this.options.key, JSON.stringify(this.list));
    } catch {
      // Storage full or blocked (private mode): the entries still live in this page until sent.
    }
  }
}

/** A new id for an update: the `opId` the server remembers. */
export function newOperationId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
