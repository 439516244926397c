import { randomUUID } from 'node:crypto';
import { nextOccurrence, parseNcrontab } from '@cosell/shared';
import type { TimerDefinition } from '../timers';

/*
 * The local host's stand-in for the Functions timer trigger: runs each timer of the table at the next
 * instant its NCRONTAB schedule names (UTC), one run of a timer at a time (as Azure's singleton lock does),
 * and lets a test run one now (`run(name)`) with no waiting.
 */

export interface TimerScheduler {
  /** Runs the timer now and answers what it returned; a run already going is awaited, not doubled. */
  run(name: string): Promise<unknown>;
  /** The next scheduled instant of each timer (undefined when not scheduling). */
  next(): Record<string, string | undefined>;
  stop(): void;
}

/** setTimeout takes at most 2^31-1 ms; longer waits are taken in steps. */
const MAX_WAIT_MS = 2_147_000_000;

export function startTimerScheduler(
  timers: readonly TimerDefinition[],
  options: { schedule: boolean; log: (line: string) => void; now?: () => Date },
): TimerScheduler {
  const now = options.now ?? (() => new Date());
  const running = new Map<string, Promise<unknown>>();
  const handles = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, Date | undefined>();
  let stopped = false;

  const byName = new Map(timers.map((t) => [t.name, t]));

  function run(name: string, isPastDue = false): Promise<unknown> {
    const timer = byName.get(name);
    if (!timer) return Promise.reject(new Error(`there is no timer "${name}"`));
    const going = running.get(name);
    if (going) return going;
    const invocationId = randomUUID();
    const promise = timer
      .run({ invocationId, isPastDue, log: (line) => options.log(`[timer ${name}] ${line}`) })
      .finally(() => running.delete(name));
    running.set(name, promise);
    return promise;
  }

  function plan(timer: TimerDefinition): void {
    if (stopped) return;
    const at = nextOccurrence(parseNcrontab(timer.schedule), now());
    upcoming.set(timer.name, at);
    if (!at) return;
    const wait = () => {
      const ms = at.getTime() - now().getTime();
      const handle = setTimeout(
        () => {
          if (at.getTime() > now().getTime()) return wait();
          run(timer.name).then(
            () => plan(timer),
            (error: unknown) => {
              options.log(
                `[timer ${timer.name}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
              );
              plan(timer);
            },
          );
        },
        Math.max(0, Math.min(ms, MAX_WAIT_MS)),
      );
      handle.unref();
      handles.set(timer.name, handle);
    };
    wait();
  }

  if (options.schedule) for (const timer of timers) plan(timer);

  return {
    run: (name) => run(name),
    next: () => Object.fromEntries(timers.map((t) => [t.name, upcoming.get(t.name)?.toISOString()])),
    stop: () => {
      stopped = true;
      for (const handle of handles.values()) clearTimeout(handle);
      handles.clear();
    },
  };
}
