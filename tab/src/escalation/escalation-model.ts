import { chainLabel, type EscalationRecord, type Plan } from '@cosell/shared';
import { formatDate } from '../format';

/*
 * What the escalation log says, in words, without React: the plan page (escalation-log.tsx) and the first
 * view (first-view/render-plan.ts) draw the same lines from it. Names and subjects are data.
 */

export const NO_ESCALATION_TEXT = 'No stall has been escalated.';

export interface EscalationLine {
  key: string;
  date: string;
  personName: string;
  /** "(Contoso chain, level 2)" */
  where: string;
  state: 'sending' | 'sent';
}

export interface EscalationStall {
  startedOn: string;
  heading: string;
  label: string;
  lines: EscalationLine[];
}

/** What the log is drawn from: the plan, or the review's answer (partners by id and name). */
export interface EscalationSource {
  partners: readonly Pick<Plan['partners'][number], 'id' | 'name'>[];
  escalations?: readonly EscalationRecord[] | undefined;
}

/** The stalls newest first, each with its escalations newest (and highest level) first. */
export function escalationStalls(plan: EscalationSource): EscalationStall[] {
  const records = plan.escalations ?? [];
  const starts = [...new Set(records.map((r) => r.stallStartedOn))].sort().reverse();
  return starts.map((start) => {
    const ofStall = records
      .filter((r) => r.stallStartedOn === start)
      .sort((a, b) =>
        a.escalatedOn === b.escalatedOn ? b.level - a.level : a.escalatedOn < b.escalatedOn ? 1 : -1,
      );
    const subjects = [...new Set(ofStall.flatMap((r) => r.subjects))];
    return {
      startedOn: start,
      heading: `Stalled since ${formatDate(start)}${subjects.length > 0 ? `: ${subjects.join(', ')}` : ''}`,
      label: `Stall since ${formatDate(start)}`,
      lines: ofStall.map((r) => ({
        key: r.key,
        date: formatDate(r.escalatedOn),
        personName: r.personName,
        where: `(${chainLabel(plan, r)}, level ${r.level})`,
        state: r.state === 'pending' ? 'sending' : 'sent',
      })),
    };
  });
}
