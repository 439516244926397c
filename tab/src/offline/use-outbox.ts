import { useSyncExternalStore } from 'react';
import type { ApiClient } from '../api/client';
import { Outbox, type OutboxEntry } from './outbox';

/*
 * One outbox per signed-in person in this page, kept in localStorage under a key naming them, watching for
 * the connection to come back from the moment it is made.
 */

const outboxes = new Map<string, Outbox>();
const KEY_PREFIX = 'cosell.outbox.v1:';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function outboxFor(api: ApiClient, person: string): Outbox {
  const key = `${KEY_PREFIX}${person.toLowerCase()}`;
  let outbox = outboxes.get(key);
  if (!outbox) {
    const store = storage();
    outbox = new Outbox({
      key,
      send: (planId, operations) => api.applyOperations(planId, operations),
      ...(store ? { storage: store } : {}),
    });
    outboxes.set(key, outbox);
    outbox.watch(window);
  }
  return outbox;
}

/** The entries waiting, re-rendering on every change. */
export function useOutboxEntries(outbox: Outbox): readonly OutboxEntry[] {
  return useSyncExternalStore(
    (listener) => outbox.subscribe(listener),
    () => outbox.entries(),
  );
}

/** The id of the entry being sent right now. */
export function useSending(outbox: Outbox): string | undefined {
  return useSyncExternalStore(
    (listener) => outbox.subscribe(listener),
    () => outbox.sending(),
  );
}
