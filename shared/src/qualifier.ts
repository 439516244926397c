import type { QualificationAnswers } from './plan-schema';

/*
 * "Do you need a co-sell plan?" (SPEC §4). The answer is advice with its reasons; the user still chooses
 * the plan's motion.
 */

export type Recommendation = 'co-sell-plan' | 'mutual-action-plan' | 'no-formal-plan';

export interface Qualification {
  recommendation: Recommendation;
  /** Why, one sentence per answer that decided it. */
  reasons: string[];
  /** The answers that point the other way, so the user sees what would change the advice. */
  against: string[];
}

const ROLE_WORDS: Record<QualificationAnswers['partnerEvaluationRoles'][number], string> = {
  'technical-credibility': 'technical credibility',
  'customer-reference': 'a customer reference',
  'integration-validation': 'integration validation',
  'services-delivery': 'services delivery',
};

export function qualify(answers: QualificationAnswers): Qualification {
  const forCoSell: string[] = [];
  const forMap: string[] = [];

  if (answers.partnerInvolvement === 'sourced') forCoSell.push('the deal is partner-sourced');
  else if (answers.partnerInvolvement === 'influenced') forCoSell.push('the deal is partner-influenced');
  else if (answers.partnerInvolvement === 'referral-only') {
    forMap.push('the partner only handed over a referral at lead stage');
  } else forMap.push('the deal is vendor-only');

  if (answers.partnerEvaluationRoles.length > 0) {
    const roles = answers.partnerEvaluationRoles.map((r) => ROLE_WORDS[r]);
    forCoSell.push(`the partner has a meaningful role in the buyer's evaluation (${roles.join(', ')})`);
  } else {
    forMap.push("the partner has no role in the buyer's evaluation");
  }

  if (answers.cycleDays >= 60) forCoSell.push(`the sales cycle is ${answers.cycleDays} days (60 or longer)`);
  else if (answers.cycleDays < 30) forMap.push(`the sales cycle is ${answers.cycleDays} days (under 30)`);
  else forMap.push(`the sales cycle is ${answers.cycleDays} days (under 60)`);

  if (answers.sharedEconomics) forCoSell.push('the economic outcome is shared');
  else forMap.push('there are no shared economics');

  if (forCoSell.length > 0) {
    return { recommendation: 'co-sell-plan', reasons: forCoSell, against: forMap };
  }
  const shortVendorOnly = answers.cycleDays < 30 && answers.partnerInvolvement === 'none';
  return {
    recommendation: shortVendorOnly ? 'no-formal-plan' : 'mutual-action-plan',
    reasons: forMap,
    against: [],
  };
}
