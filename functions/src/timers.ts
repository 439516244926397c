import { parseNcrontab } from '@cosell/shared';
import type { ApiServices } from './routes';

/*
 * The timer table: like the route table, one list registered with Azure Functions by main.ts (`app.timer`)
 * and run on the same schedules by the local host. Schedules are NCRONTAB, six fields, UTC
 * (reference/teams-platform.md §4.4). Azure runs a timer on one instance at a time (a storage lock), but
 * several instances and hosts may still overlap (a slow run, a local host beside Azure, a manual run): every
 * job here is idempotent.
 */

export interface TimerContext {
  invocationId: string;
  log(line: string): void;
  /** Azure says the run is late (the host was down at the scheduled time). */
  isPastDue?: boolean;
}

export interface TimerDefinition {
  /** The Azure Function name. */
  name: string;
  /** NCRONTAB: `{second} {minute} {hour} {day} {month} {day-of-week}`, UTC. */
  schedule: string;
  run(context: TimerContext): Promise<unknown>;
}

/** 06:00 UTC every day: before the working day in Europe, the night before in the Americas. */
export const ESCALATION_SCHEDULE = '0 0 6 * * *';

/** Every 15 minutes: the invites of the meetings of the next 24 hours carry the plan as it is (issue 7). */
export const CADENCE_REFRESH_SCHEDULE = '0 */15 * * * *';

/**
 * The timers. Built from the services lazily, like the routes: names and schedules can be read with no
 * services at all (the registration test does).
 */
export function createTimers(services: ApiServices): TimerDefinition[] {
  const timers: TimerDefinition[] = [
    {
      name: 'escalate-stalled-plans',
      schedule: ESCALATION_SCHEDULE,
      run: async (context) => {
        const job = services.notifications?.escalation;
        if (!job) {
          context.log('escalate-stalled-plans: notifications are not configured; nothing to do');
          return undefined;
        }
        const result = await job.run();
        context.log(
          `escalate-stalled-plans: ${result.plansChecked} stalled plan(s) checked, ${result.sent} sent, ${result.duplicates} already sent, ${result.failures.length} failure(s)`,
        );
        return result;
      },
    },
    {
      name: 'refresh-cadence-invites',
      schedule: CADENCE_REFRESH_SCHEDULE,
      run: async (context) => {
        const cadence = services.cadence?.cadence;
        if (!cadence) {
          context.log('refresh-cadence-invites: the weekly cadence is not configured; nothing to do');
          return undefined;
        }
        const result = await cadence.refreshDue();
        context.log(
          `refresh-cadence-invites: ${result.seriesChecked} series checked, ${result.occurrencesDue} occurrence(s) due, ${result.updated} updated, ${result.claimedElsewhere} taken by another run, ${result.cancelled} cancelled, ${result.failures.length} failure(s)`,
        );
        return result;
      },
    },
  ];
  // A schedule that does not parse is a programming error: fail at start-up, not at 06:00.
  for (const timer of timers) parseNcrontab(timer.schedule);
  return timers;
}
