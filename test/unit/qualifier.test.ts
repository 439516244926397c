import {
  EVALUATION_ROLES,
  type QualificationAnswers,
  QualificationAnswers as QualificationSchema,
  qualify,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';

/** Answers with no co-sell signal at all: vendor-only, no evaluation role, 45-day cycle, no shared economics. */
const NO_SIGNAL: QualificationAnswers = {
  partnerInvolvement: 'none',
  partnerEvaluationRoles: [],
  cycleDays: 45,
  sharedEconomics: false,
};

const VENDOR_ONLY = 'the deal is vendor-only';
const NO_ROLE = "the partner has no role in the buyer's evaluation";
const NO_ECONOMICS = 'there are no shared economics';
const CYCLE_45 = 'the sales cycle is 45 days (under 60)';

describe('qualify: each co-sell signal of SPEC §4 alone recommends a co-sell plan', () => {
  it.each<[string, Partial<QualificationAnswers>, string, string[]]>([
    [
      'partner-sourced',
      { partnerInvolvement: 'sourced' },
      'the deal is partner-sourced',
      [NO_ROLE, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'partner-influenced',
      { partnerInvolvement: 'influenced' },
      'the deal is partner-influenced',
      [NO_ROLE, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'technical credibility in the evaluation',
      { partnerEvaluationRoles: ['technical-credibility'] },
      "the partner has a meaningful role in the buyer's evaluation (technical credibility)",
      [VENDOR_ONLY, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'a customer reference in the evaluation',
      { partnerEvaluationRoles: ['customer-reference'] },
      "the partner has a meaningful role in the buyer's evaluation (a customer reference)",
      [VENDOR_ONLY, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'integration validation in the evaluation',
      { partnerEvaluationRoles: ['integration-validation'] },
      "the partner has a meaningful role in the buyer's evaluation (integration validation)",
      [VENDOR_ONLY, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'services delivery in the evaluation',
      { partnerEvaluationRoles: ['services-delivery'] },
      "the partner has a meaningful role in the buyer's evaluation (services delivery)",
      [VENDOR_ONLY, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'a 60-day cycle',
      { cycleDays: 60 },
      'the sales cycle is 60 days (60 or longer)',
      [VENDOR_ONLY, NO_ROLE, NO_ECONOMICS],
    ],
    [
      'a 365-day cycle',
      { cycleDays: 365 },
      'the sales cycle is 365 days (60 or longer)',
      [VENDOR_ONLY, NO_ROLE, NO_ECONOMICS],
    ],
    [
      'shared economics',
      { sharedEconomics: true },
      'the economic outcome is shared',
      [VENDOR_ONLY, NO_ROLE, CYCLE_45],
    ],
  ])(
    '%s → co-sell plan, with that one reason and the other answers against',
    (_name, change, reason, against) => {
      expect(qualify({ ...NO_SIGNAL, ...change })).toEqual({
        recommendation: 'co-sell-plan',
        reasons: [reason],
        against,
      });
    },
  );

  it('names every evaluation role in one reason, in the order given', () => {
    const result = qualify({ ...NO_SIGNAL, partnerEvaluationRoles: [...EVALUATION_ROLES] });
    expect(result.reasons).toEqual([
      "the partner has a meaningful role in the buyer's evaluation (technical credibility, a customer reference, integration validation, services delivery)",
    ]);
  });

  it('gives every co-sell reason and nothing against when all signals hold', () => {
    expect(
      qualify({
        partnerInvolvement: 'sourced',
        partnerEvaluationRoles: ['services-delivery'],
        cycleDays: 90,
        sharedEconomics: true,
      }),
    ).toEqual({
      recommendation: 'co-sell-plan',
      reasons: [
        'the deal is partner-sourced',
        "the partner has a meaningful role in the buyer's evaluation (services delivery)",
        'the sales cycle is 90 days (60 or longer)',
        'the economic outcome is shared',
      ],
      against: [],
    });
  });
});

describe('qualify: without a co-sell signal', () => {
  it.each<[string, Partial<QualificationAnswers>, string, string[]]>([
    ['vendor-only, 45-day cycle', {}, 'mutual-action-plan', [VENDOR_ONLY, NO_ROLE, CYCLE_45, NO_ECONOMICS]],
    [
      'referral at lead stage only, 45-day cycle',
      { partnerInvolvement: 'referral-only' },
      'mutual-action-plan',
      ['the partner only handed over a referral at lead stage', NO_ROLE, CYCLE_45, NO_ECONOMICS],
    ],
    [
      'referral at lead stage only, 10-day cycle (a MAP: the partner is involved)',
      { partnerInvolvement: 'referral-only', cycleDays: 10 },
      'mutual-action-plan',
      [
        'the partner only handed over a referral at lead stage',
        NO_ROLE,
        'the sales cycle is 10 days (under 30)',
        NO_ECONOMICS,
      ],
    ],
    [
      'vendor-only, 10-day cycle',
      { cycleDays: 10 },
      'no-formal-plan',
      [VENDOR_ONLY, NO_ROLE, 'the sales cycle is 10 days (under 30)', NO_ECONOMICS],
    ],
    [
      'vendor-only, 1-day cycle',
      { cycleDays: 1 },
      'no-formal-plan',
      [VENDOR_ONLY, NO_ROLE, 'the sales cycle is 1 days (under 30)', NO_ECONOMICS],
    ],
  ])('%s → %s, every answer a reason, nothing against', (_name, change, recommendation, reasons) => {
    expect(qualify({ ...NO_SIGNAL, ...change })).toEqual({ recommendation, reasons, against: [] });
  });
});

describe('qualify: cycle boundaries for a vendor-only deal with no other signal', () => {
  it.each<[number, string, string[], string[]]>([
    [29, 'no-formal-plan', [VENDOR_ONLY, NO_ROLE, 'the sales cycle is 29 days (under 30)', NO_ECONOMICS], []],
    [
      30,
      'mutual-action-plan',
      [VENDOR_ONLY, NO_ROLE, 'the sales cycle is 30 days (under 60)', NO_ECONOMICS],
      [],
    ],
    [
      59,
      'mutual-action-plan',
      [VENDOR_ONLY, NO_ROLE, 'the sales cycle is 59 days (under 60)', NO_ECONOMICS],
      [],
    ],
    [60, 'co-sell-plan', ['the sales cycle is 60 days (60 or longer)'], [VENDOR_ONLY, NO_ROLE, NO_ECONOMICS]],
  ])('%i days → %s', (cycleDays, recommendation, reasons, against) => {
    expect(qualify({ ...NO_SIGNAL, cycleDays })).toEqual({ recommendation, reasons, against });
  });
});

describe('the qualification answers schema', () => {
  it.each<[string, unknown, string]>([
    ['a cycle of 0 days', { ...NO_SIGNAL, cycleDays: 0 }, 'the sales cycle is at least 1 day'],
    ['a cycle of 1001 days', { ...NO_SIGNAL, cycleDays: 1001 }, 'the sales cycle is at most 1000 days'],
    ['a fractional cycle', { ...NO_SIGNAL, cycleDays: 45.5 }, 'the sales cycle is a whole number of days'],
  ])('rejects %s with "%s"', (_name, answers, message) => {
    const result = QualificationSchema.safeParse(answers);
    expect(result.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['cycleDays'], message },
    ]);
  });

  it('accepts a 1000-day cycle (the limit)', () => {
    expect(QualificationSchema.safeParse({ ...NO_SIGNAL, cycleDays: 1000 }).success).toBe(true);
  });

  it.each([
    ['an unknown involvement', { ...NO_SIGNAL, partnerInvolvement: 'maybe' }, ['partnerInvolvement']],
    [
      'an unknown evaluation role',
      { ...NO_SIGNAL, partnerEvaluationRoles: ['moral-support'] },
      ['partnerEvaluationRoles', 0],
    ],
    ['an unknown field', { ...NO_SIGNAL, budget: 100 }, []],
  ])('rejects %s at path %j', (_name, answers, path) => {
    const result = QualificationSchema.safeParse(answers);
    expect(result.error?.issues.map((i) => i.path)).toEqual([path]);
  });
});
