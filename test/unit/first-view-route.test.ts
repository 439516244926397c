import { describe, expect, it } from 'vitest';
import { planIdInHash } from '../../tab/src/first-view/plan-route';
import { parseRoute } from '../../tab/src/routing';

/*
 * The first view (tab/src/first-view) recognises the plan page without routing.ts, which brings React.
 * Both must agree: where it draws a plan, the app's router sees that plan's page, and it draws nothing
 * where the app's router sees a plan page.
 */

const HASHES = [
  '',
  '#',
  '#/',
  '#/plans/demo-northwind',
  '#/plans/demo-northwind/',
  '#/plans/demo-northwind?edit=owners',
  '#/plans/demo-northwind?edit=owners&created=1',
  '#/plans/demo%20plan',
  '#/plans/%E2%80%94dash',
  '#/plans/%E0%A4%A', // not decodable
  '#/plans/demo-northwind/history',
  '#/plans/demo-northwind/print',
  '#/plans/demo-northwind/quick',
  '#/plans/',
  '#/plans',
  '#/plans//history',
  '#/new',
  '#/new?channel=19%3Aabc',
  '#/config',
  '#/my',
  '#/import',
  '#/outbox',
  '#/nowhere',
  '#plans/demo-northwind',
  '#/Plans/demo-northwind',
];

describe('planIdInHash (the first view) agrees with parseRoute (the app)', () => {
  it.each(HASHES)('%s', (hash) => {
    const id = planIdInHash(hash);
    const route = parseRoute(hash);
    if (id !== undefined) expect(route).toEqual({ page: 'plan', planId: id });
    else expect(route.page).not.toBe('plan');
  });

  it('recognises the plan page, with or without a query, and decodes the id', () => {
    expect(planIdInHash('#/plans/demo-northwind')).toBe('demo-northwind');
    expect(planIdInHash('#/plans/demo-northwind?edit=owners')).toBe('demo-northwind');
    expect(planIdInHash('#/plans/demo%20plan')).toBe('demo plan');
    expect(planIdInHash('#/plans/demo-northwind/history')).toBeUndefined();
    expect(planIdInHash('#/plans/%E0%A4%A')).toBeUndefined();
  });
});
