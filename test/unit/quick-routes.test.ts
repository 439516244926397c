import { describe, expect, it } from 'vitest';
import { isPhoneHost, PHONE_CLIENT_TYPES } from '../../tab/src/mobile/phone';
import { MY_WORK_HREF, parseRoute, planHref, quickHref } from '../../tab/src/routing';

/* The routes of issue 8 (#/my, #/plans/:id/quick) and which Teams clients count as phones. */

describe('quick-update routes', () => {
  it('parses "My co-sell" and the quick view of a plan, and builds their links', () => {
    expect(parseRoute(MY_WORK_HREF)).toEqual({ page: 'my' });
    expect(parseRoute('#/my/')).toEqual({ page: 'my' });
    expect(parseRoute(quickHref('demo-northwind'))).toEqual({ page: 'quick', planId: 'demo-northwind' });
    expect(quickHref('a b')).toBe('#/plans/a%20b/quick');
    expect(parseRoute(quickHref('a b'))).toEqual({ page: 'quick', planId: 'a b' });
    expect(parseRoute('#/plans/%E0%A4%A/quick')).toEqual({ page: 'not-found' });
    // The plan's other routes are unchanged.
    expect(parseRoute(planHref('p1'))).toEqual({ page: 'plan', planId: 'p1' });
    expect(parseRoute('#/plans/p1/quick/more')).toEqual({ page: 'not-found' });
  });
});

describe('phones', () => {
  const teams = (hostClientType: string) =>
    ({
      kind: 'teams',
      theme: 'default',
      frameContext: 'content',
      hostClientType,
      hostName: 'Teams',
      onThemeChange: () => () => {},
      notifySuccess: () => {},
    }) as const;

  it('are the Teams clients android, ios and ipados; not desktop, web or a browser', () => {
    expect(PHONE_CLIENT_TYPES).toEqual(['android', 'ios', 'ipados']);
    for (const type of ['android', 'ios', 'ipados', 'IOS']) expect(isPhoneHost(teams(type)), type).toBe(true);
    for (const type of ['desktop', 'web', 'macos', 'surfaceHub', 'teamsPhones'])
      expect(isPhoneHost(teams(type)), type).toBe(false);
    expect(isPhoneHost({ kind: 'browser' })).toBe(false);
  });
});
