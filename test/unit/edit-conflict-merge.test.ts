import { demoPlan, type Plan } from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { actionsSpec, applyKeepingMine, mergeThreeWay, ownersSpec } from '../../tab/src/edit/drafts';

/*
 * "Keep mine" of an edit conflict, without a browser: only what this person changed since the version
 * they loaded is written over the version someone else saved. (The browser test edit-conflict.test.ts
 * drives the same through the UI.)
 */

describe('mergeThreeWay', () => {
  it('takes theirs where I changed nothing, and mine where they changed nothing', () => {
    expect(mergeThreeWay('a', 'a', 'b')).toBe('b');
    expect(mergeThreeWay('a', 'c', 'a')).toBe('c');
  });

  it('lets mine win where both changed the same value', () => {
    expect(mergeThreeWay('a', 'mine', 'theirs')).toBe('mine');
  });

  it('merges objects key by key, whatever the key order', () => {
    const base = { title: 'T', due: '2031-01-01', status: 'open' };
    const mine = { status: 'open', title: 'T mine', due: '2031-01-01' };
    const theirs = { title: 'T', due: '2031-02-01', status: 'open' };
    expect(mergeThreeWay(base, mine, theirs)).toEqual({ title: 'T mine', due: '2031-02-01', status: 'open' });
  });

  it('merges lists of items by id: their additions stay, my removals stay removed', () => {
    const base = [
      { id: 'a', t: 1 },
      { id: 'b', t: 1 },
    ];
    const mine = [{ id: 'a', t: 2 }];
    const theirs = [
      { id: 'a', t: 1 },
      { id: 'b', t: 5 },
      { id: 'c', t: 1 },
    ];
    expect(mergeThreeWay(base, mine, theirs)).toEqual([
      { id: 'a', t: 2 },
      { id: 'c', t: 1 },
    ]);
  });

  it('keeps an item they removed only when I changed it', () => {
    const base = [
      { id: 'a', t: 1 },
      { id: 'b', t: 1 },
    ];
    expect(
      mergeThreeWay(
        base,
        [
          { id: 'a', t: 1 },
          { id: 'b', t: 2 },
        ],
        [],
      ),
    ).toEqual([{ id: 'b', t: 2 }]);
    expect(
      mergeThreeWay(
        base,
        [
          { id: 'a', t: 9 },
          { id: 'b', t: 1 },
        ],
        [{ id: 'b', t: 1 }],
      ),
    ).toEqual([
      { id: 'a', t: 9 },
      { id: 'b', t: 1 },
    ]);
  });

  it('treats an ordered list of ids (an escalation chain) as one value', () => {
    expect(mergeThreeWay(['x', 'y'], ['y', 'x'], ['x', 'y', 'z'])).toEqual(['y', 'x']);
  });
});

describe('applyKeepingMine', () => {
  const plan: Plan = {
    ...demoPlan('2026-11-27'),
    id: 'p',
    version: 1,
    createdAt: '2026-10-01T00:00:00.000Z',
    createdBy: 'demo',
    updatedAt: '2026-10-01T00:00:00.000Z',
    updatedBy: 'demo',
  };

  it('writes my new description over their version and keeps the due date they moved', () => {
    const draft = actionsSpec.fromPlan(plan);
    const first = draft[0];
    if (!first) throw new Error('the demo plan has actions');
    first.description = 'Mine';
    const theirs = {
      ...plan,
      version: 2,
      actions: plan.actions.map((a, i) => (i === 0 ? { ...a, due: '2031-06-30' } : a)),
    };
    const merged = applyKeepingMine(actionsSpec, plan, theirs, draft).plan;
    expect(merged.actions[0]).toMatchObject({ description: 'Mine', due: '2031-06-30' });
    expect(merged.actions.slice(1)).toEqual(theirs.actions.slice(1));
  });

  it('keeps a person they added while I renamed another', () => {
    const draft = ownersSpec.fromPlan(plan);
    const first = draft.people[0];
    if (!first) throw new Error('the demo plan names people');
    first.title = 'Mine';
    const added = {
      id: 'new-person',
      firstName: 'Nia',
      lastName: 'Long',
      email: 'nia@vendor.example',
      role: 'vendor-executive' as const,
      side: 'vendor' as const,
    };
    const theirs = { ...plan, version: 2, people: [...plan.people, added] };
    const merged = applyKeepingMine(ownersSpec, plan, theirs, draft).plan;
    expect(merged.people[0]?.title).toBe('Mine');
    expect(merged.people.at(-1)).toEqual(added);
    expect(merged.people).toHaveLength(plan.people.length + 1);
  });
});
