import { describe, expect, it } from 'vitest';
import { startTimerScheduler } from '../../functions/src/host/timer-scheduler';
import type { TimerDefinition } from '../../functions/src/timers';

/* The local host's timer trigger: runs on the NCRONTAB schedule, one run of a timer at a time, or on demand. */

function timer(name: string, schedule: string, run: TimerDefinition['run']): TimerDefinition {
  return { name, schedule, run };
}

describe('the local timer scheduler', () => {
  it('runs a timer on demand and answers what it returned; an unknown timer is refused', async () => {
    const scheduler = startTimerScheduler([timer('job', '0 0 6 * * *', async () => ({ done: 1 }))], {
      schedule: false,
      log: () => {},
    });
    await expect(scheduler.run('job')).resolves.toEqual({ done: 1 });
    await expect(scheduler.run('nope')).rejects.toThrow(/no timer "nope"/);
    expect(scheduler.next()).toEqual({ job: undefined });
    scheduler.stop();
  });

  it('never runs one timer twice at once: a second call while it runs gets the same run', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const scheduler = startTimerScheduler(
      [
        timer('job', '0 0 6 * * *', async () => {
          runs++;
          await gate;
          return runs;
        }),
      ],
      { schedule: false, log: () => {} },
    );
    const first = scheduler.run('job');
    const second = scheduler.run('job');
    release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(runs).toBe(1);
    // Once done, the next call is a new run.
    expect(await scheduler.run('job')).toBe(2);
    scheduler.stop();
  });

  it('fires at the next instant of the schedule, then plans the one after', async () => {
    let now = new Date('2026-11-27T05:59:59.990Z');
    const fired: string[] = [];
    let done: () => void = () => {};
    const firedOnce = new Promise<void>((resolve) => {
      done = resolve;
    });
    const scheduler = startTimerScheduler(
      [
        timer('daily', '0 0 6 * * *', async (context) => {
          fired.push(now.toISOString());
          context.log('ran');
          done();
        }),
      ],
      { schedule: true, log: () => {}, now: () => now },
    );
    expect(scheduler.next()).toEqual({ daily: '2026-11-27T06:00:00.000Z' });
    now = new Date('2026-11-27T06:00:00.000Z');
    await firedOnce;
    expect(fired).toEqual(['2026-11-27T06:00:00.000Z']);
    await expect.poll(() => scheduler.next().daily).toBe('2026-11-28T06:00:00.000Z');
    scheduler.stop();
  });

  it('a failing run is logged and the timer stays scheduled', async () => {
    const lines: string[] = [];
    let now = new Date('2026-11-27T05:59:59.995Z');
    const scheduler = startTimerScheduler(
      [
        timer('broken', '0 0 6 * * *', async () => {
          throw new Error('store unavailable');
        }),
      ],
      { schedule: true, log: (line) => lines.push(line), now: () => now },
    );
    now = new Date('2026-11-27T06:00:00.000Z');
    await expect.poll(() => lines.join('\n')).toMatch(/\[timer broken\] failed: Error: store unavailable/);
    await expect.poll(() => scheduler.next().broken).toBe('2026-11-28T06:00:00.000Z');
    scheduler.stop();
  });
});
