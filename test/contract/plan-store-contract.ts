import {
  type Actor,
  addDays,
  contentOf,
  demoPlan,
  type HistoryEntry,
  type IsoDate,
  newPlan,
  nextVersion,
  type Plan,
  type PlanContent,
  PlanExistsError,
  PlanNotFoundError,
  type PlanQuery,
  type PlanStore,
  planIndex,
  stallsOn,
  VersionConflictError,
} from '@cosell/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/*
 * What every PlanStore adapter guarantees (SQLite today, SharePoint later). Nothing here knows how a store
 * keeps its data: plans go in and come out through the port only, and orders are compared only where the
 * port promises one (history newest first).
 */

export interface OpenedStore {
  store: PlanStore;
  cleanup: () => Promise<void>;
}

const TODAY: IsoDate = '2026-10-18';
const NOW = new Date(`${TODAY}T09:00:00.000Z`);
const ALICE: Actor = { id: 'alice@vendor.example', displayName: 'Alice Example' };
const BOB: Actor = { id: 'bob@vendor.example', displayName: 'Bob Example' };
const CHANNEL_X = '19:channel-x@thread.tacv2';
const CHANNEL_Y = '19:channel-y@thread.tacv2';
/** The email of the vendor account executive in `demoPlan`, which every fixture replaces unless told. */
const PERSON = 'maya.okafor@vendor.example';

interface Fixture {
  status?: PlanContent['status'];
  channelIds?: string[];
  /** The vendor account executive's email (default: one unique to the plan). */
  aeEmail?: string;
  /** The day the demo content is centred on; moves the plan's stall day. */
  contentDay?: IsoDate;
  title?: string;
}

function content(id: string, fixture: Fixture = {}): PlanContent {
  const base = demoPlan(fixture.contentDay ?? TODAY);
  const aeEmail = fixture.aeEmail ?? `ae.${id}@vendor.example`;
  return {
    ...base,
    title: fixture.title ?? `${base.title} (${id})`,
    status: fixture.status ?? base.status,
    channelIds: fixture.channelIds ?? [],
    people: base.people.map((p) => (p.id === 'v-ae' ? { ...p, email: aeEmail } : p)),
  };
}

function makePlan(id: string, fixture: Fixture = {}): Plan {
  return newPlan(id, content(id, fixture), { now: NOW, today: TODAY, actor: ALICE });
}

function entryFor(plan: Plan, kind: HistoryEntry['kind'], actor: Actor = ALICE, note = ''): HistoryEntry {
  return {
    planId: plan.id,
    version: plan.version,
    kind,
    at: plan.updatedAt,
    actor,
    changes: [`${kind} of ${plan.id} at version ${plan.version}${note}`],
  };
}

/** The next version of `current`, `minutes` later, with `change` applied to its content. */
function edited(current: Plan, change: (c: PlanContent) => PlanContent, minutes = 1, actor = ALICE): Plan {
  const now = new Date(Date.parse(current.updatedAt) + minutes * 60_000);
  return nextVersion(current, change(contentOf(current)), { now, today: TODAY, actor });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function ids(plans: readonly Plan[]): string[] {
  return plans.map((p) => p.id).sort();
}

function stallDay(plan: Plan): IsoDate {
  const day = planIndex(plan).stallsOn;
  if (day === null) throw new Error(`fixture ${plan.id} should be able to stall`);
  return day;
}

export function describePlanStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`PlanStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    let store: PlanStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    async function seed(plan: Plan): Promise<Plan> {
      return store.create(plan, entryFor(plan, 'create'));
    }

    async function listAll(query: Omit<PlanQuery, 'limit' | 'cursor'>): Promise<Plan[]> {
      const items: Plan[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const result = await store.list({ ...query, limit: 100, ...(cursor ? { cursor } : {}) });
        items.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) return items;
      }
      throw new Error('list did not end after 50 pages');
    }

    async function listAllFrom(cursor: string | undefined, limit: number): Promise<Plan[]> {
      const items: Plan[] = [];
      let next = cursor;
      for (let page = 0; next && page < 50; page++) {
        const result = await store.list({ today: TODAY, limit, cursor: next });
        items.push(...result.items);
        next = result.nextCursor;
      }
      return items;
    }

    describe('create and get', () => {
      it('get returns a deep-equal copy of the created plan, and create returns it too', async () => {
        const plan = makePlan('round-trip', { channelIds: [CHANNEL_X] });
        const created = await seed(plan);
        expect(created).toEqual(plan);
        expect(await store.get('round-trip')).toEqual(plan);
      });

      it('get of an id never created is undefined', async () => {
        await seed(makePlan('present'));
        expect(await store.get('absent')).toBeUndefined();
      });

      it('a second create with the same id throws PlanExistsError and keeps the first plan', async () => {
        const first = await seed(makePlan('twice', { title: 'The first plan' }));
        const second = makePlan('twice', { title: 'The second plan' });
        const error = await rejection(store.create(second, entryFor(second, 'create')));
        expect(error).toBeInstanceOf(PlanExistsError);
        expect((error as PlanExistsError).planId).toBe('twice');
        expect(await store.get('twice')).toEqual(first);
        const history = await store.history('twice', { limit: 10 });
        expect(history.items).toHaveLength(1);
      });

      it('a plan read with get cannot be changed by mutating the object the caller holds', async () => {
        const plan = makePlan('isolated');
        await seed(plan);
        const read = await store.get('isolated');
        if (!read) throw new Error('plan missing');
        // Plans from get are read-only: an adapter may freeze them (then the write throws) or copy them.
        try {
          read.title = 'mutated by the caller';
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
        plan.title = 'mutated by the creator';
        expect((await store.get('isolated'))?.title).toBe(makePlan('isolated').title);
      });
    });

    describe('replace', () => {
      it('stores the next version: get returns the new plan at version 2', async () => {
        const v1 = await seed(makePlan('replaced'));
        const v2 = edited(v1, (c) => ({ ...c, title: 'Renamed plan' }));
        const returned = await store.replace(v2, 1, entryFor(v2, 'replace'));
        expect(returned).toEqual(v2);
        const read = await store.get('replaced');
        expect(read?.version).toBe(2);
        expect(read).toEqual(v2);
      });

      it('with a stale expected version throws VersionConflictError carrying the stored plan, and writes nothing', async () => {
        const v1 = await seed(makePlan('stale'));
        const v2 = edited(v1, (c) => ({ ...c, title: 'Second' }));
        await store.replace(v2, 1, entryFor(v2, 'replace'));
        const late = edited(v1, (c) => ({ ...c, title: 'Written from version 1' }), 2, BOB);
        const error = await rejection(store.replace(late, 1, entryFor(late, 'replace', BOB)));
        expect(error).toBeInstanceOf(VersionConflictError);
        expect((error as VersionConflictError).current).toEqual(v2);
        expect(await store.get('stale')).toEqual(v2);
        const history = await store.history('stale', { limit: 10 });
        expect(history.items.map((e) => e.version)).toEqual([2, 1]);
      });

      it('of an id never created throws PlanNotFoundError', async () => {
        const ghost = edited(makePlan('ghost'), (c) => c);
        const error = await rejection(store.replace(ghost, 1, entryFor(ghost, 'replace')));
        expect(error).toBeInstanceOf(PlanNotFoundError);
        expect((error as PlanNotFoundError).planId).toBe('ghost');
        expect(await store.get('ghost')).toBeUndefined();
      });

      it('of a deleted plan throws PlanNotFoundError and does not bring it back', async () => {
        const v1 = await seed(makePlan('gone'));
        await store.delete('gone', 1, entryFor(v1, 'delete'));
        const v2 = edited(v1, (c) => c);
        const error = await rejection(store.replace(v2, 1, entryFor(v2, 'replace')));
        expect(error).toBeInstanceOf(PlanNotFoundError);
        expect(await store.get('gone')).toBeUndefined();
      });

      it('two replaces from the same expected version: exactly one succeeds, the other conflicts', async () => {
        const v1 = await seed(makePlan('race'));
        const byAlice = edited(v1, (c) => ({ ...c, title: 'Alice wins?' }), 1, ALICE);
        const byBob = edited(v1, (c) => ({ ...c, title: 'Bob wins?' }), 1, BOB);
        const results = await Promise.allSettled([
          store.replace(byAlice, 1, entryFor(byAlice, 'replace', ALICE)),
          store.replace(byBob, 1, entryFor(byBob, 'replace', BOB)),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const reason: unknown = lost[0]?.status === 'rejected' ? lost[0].reason : undefined;
        expect(reason).toBeInstanceOf(VersionConflictError);
        const stored = await store.get('race');
        expect(stored?.version).toBe(2);
        expect([byAlice, byBob]).toContainEqual(stored);
        expect((reason as VersionConflictError).current).toEqual(stored);
        const history = await store.history('race', { limit: 10 });
        expect(history.items).toHaveLength(2);
        expect(history.items[0]?.actor.id).toBe(stored?.updatedBy);
      });
    });

    describe('delete', () => {
      it('hides the plan from get, keeps the id taken, and keeps history ending with a delete entry', async () => {
        const v1 = await seed(makePlan('deleted'));
        const v2 = edited(v1, (c) => ({ ...c, status: 'paused' }));
        await store.replace(v2, 1, entryFor(v2, 'replace'));
        const deletion = entryFor(v2, 'delete', BOB);
        await store.delete('deleted', 2, deletion);

        expect(await store.get('deleted')).toBeUndefined();

        const again = makePlan('deleted');
        const error = await rejection(store.create(again, entryFor(again, 'create')));
        expect(error).toBeInstanceOf(PlanExistsError);
        expect(await store.get('deleted')).toBeUndefined();

        const history = await store.history('deleted', { limit: 10 });
        expect(history.items.map((e) => e.kind)).toEqual(['delete', 'replace', 'create']);
        expect(history.items[0]).toEqual(deletion);
      });

      it('of an id never created throws PlanNotFoundError', async () => {
        const error = await rejection(store.delete('nobody', 1, entryFor(makePlan('nobody'), 'delete')));
        expect(error).toBeInstanceOf(PlanNotFoundError);
      });

      it('twice throws PlanNotFoundError the second time', async () => {
        const v1 = await seed(makePlan('twice-deleted'));
        await store.delete('twice-deleted', 1, entryFor(v1, 'delete'));
        const error = await rejection(store.delete('twice-deleted', 1, entryFor(v1, 'delete')));
        expect(error).toBeInstanceOf(PlanNotFoundError);
        const history = await store.history('twice-deleted', { limit: 10 });
        expect(history.items.map((e) => e.kind)).toEqual(['delete', 'create']);
      });

      it('with a stale expected version throws VersionConflictError and keeps the plan', async () => {
        const v1 = await seed(makePlan('kept'));
        const v2 = edited(v1, (c) => ({ ...c, title: 'Moved on' }));
        await store.replace(v2, 1, entryFor(v2, 'replace'));
        const error = await rejection(store.delete('kept', 1, entryFor(v1, 'delete')));
        expect(error).toBeInstanceOf(VersionConflictError);
        expect((error as VersionConflictError).current).toEqual(v2);
        expect(await store.get('kept')).toEqual(v2);
      });

      it('removes the plan from every list', async () => {
        const v1 = await seed(makePlan('listed', { channelIds: [CHANNEL_X], aeEmail: PERSON }));
        await seed(makePlan('stays', { channelIds: [CHANNEL_X], aeEmail: PERSON }));
        await store.delete('listed', 1, entryFor(v1, 'delete'));
        expect(ids(await listAll({ today: TODAY }))).toEqual(['stays']);
        expect(ids(await listAll({ today: TODAY, channelId: CHANNEL_X }))).toEqual(['stays']);
        expect(ids(await listAll({ today: TODAY, person: PERSON }))).toEqual(['stays']);
        expect(ids(await listAll({ today: TODAY, status: ['active'] }))).toEqual(['stays']);
        expect(ids(await listAll({ today: addDays(TODAY, 365), stalled: true }))).toEqual(['stays']);
      });
    });

    describe('list filters', () => {
      /*
       * Six plans; the combined query matches only `match`, and each other plan fails exactly one of its
       * filters, so dropping any one filter lets a decoy through.
       */
      async function seedFilterFixtures() {
        const notStalledDay = addDays(TODAY, 60);
        const plans = {
          match: makePlan('match', { channelIds: [CHANNEL_X, CHANNEL_Y], aeEmail: PERSON }),
          draft: makePlan('draft', { status: 'draft', channelIds: [CHANNEL_X], aeEmail: PERSON }),
          otherChannel: makePlan('other-channel', { channelIds: [CHANNEL_Y], aeEmail: PERSON }),
          otherPerson: makePlan('other-person', { channelIds: [CHANNEL_X] }),
          notStalled: makePlan('not-stalled', {
            channelIds: [CHANNEL_X],
            aeEmail: PERSON,
            contentDay: notStalledDay,
          }),
          won: makePlan('won', { status: 'won' }),
        };
        for (const plan of Object.values(plans)) await seed(plan);
        // The fixtures mean what the test says they mean.
        expect(stallDay(plans.match) <= TODAY).toBe(true);
        expect(stallDay(plans.notStalled) > TODAY).toBe(true);
        expect(planIndex(plans.draft).stallsOn).toBeNull();
        return plans;
      }

      it('without filters returns every plan', async () => {
        await seedFilterFixtures();
        expect(ids(await listAll({ today: TODAY }))).toEqual(
          ['draft', 'match', 'not-stalled', 'other-channel', 'other-person', 'won'].sort(),
        );
      });

      it('status keeps only plans whose status is in the list', async () => {
        await seedFilterFixtures();
        expect(ids(await listAll({ today: TODAY, status: ['draft', 'won'] }))).toEqual(['draft', 'won']);
        expect(ids(await listAll({ today: TODAY, status: ['active'] }))).toEqual(
          ['match', 'not-stalled', 'other-channel', 'other-person'].sort(),
        );
        expect(ids(await listAll({ today: TODAY, status: ['paused'] }))).toEqual([]);
      });

      it('stalled true keeps plans stalled today; false keeps the rest (including plans that never stall)', async () => {
        await seedFilterFixtures();
        expect(ids(await listAll({ today: TODAY, stalled: true }))).toEqual(
          ['match', 'other-channel', 'other-person'].sort(),
        );
        expect(ids(await listAll({ today: TODAY, stalled: false }))).toEqual(
          ['draft', 'not-stalled', 'won'].sort(),
        );
      });

      it('stalled uses the plan stall day D inclusively: stalled on D, not stalled on D-1', async () => {
        const active = makePlan('stalls-on-d');
        const draft = makePlan('never-stalls', { status: 'draft' });
        const d = stallDay(active);
        expect(stallsOn(active)).toBe(d);
        await seed(active);
        await seed(draft);

        expect(ids(await listAll({ today: d, stalled: true }))).toEqual(['stalls-on-d']);
        expect(ids(await listAll({ today: d, stalled: false }))).toEqual(['never-stalls']);
        const dayBefore = addDays(d, -1);
        expect(ids(await listAll({ today: dayBefore, stalled: true }))).toEqual([]);
        expect(ids(await listAll({ today: dayBefore, stalled: false }))).toEqual(
          ['never-stalls', 'stalls-on-d'].sort(),
        );
      });

      it('person matches any person on the plan, ignoring case', async () => {
        await seedFilterFixtures();
        const expected = ['draft', 'match', 'not-stalled', 'other-channel'].sort();
        expect(ids(await listAll({ today: TODAY, person: PERSON }))).toEqual(expected);
        expect(ids(await listAll({ today: TODAY, person: 'Maya.OKAFOR@Vendor.Example' }))).toEqual(expected);
        // A buyer named on every demo plan: person is not limited to the vendor side.
        expect(
          ids(await listAll({ today: TODAY, person: 'HELEN.COSTA@northwindlogistics.com' })),
        ).toHaveLength(6);
        expect(await listAll({ today: TODAY, person: 'nobody@vendor.example' })).toEqual([]);
      });

      it('person matches a plan whose stored email has upper-case letters', async () => {
        await seed(makePlan('mixed-case', { aeEmail: 'Zoe.Mixed@Vendor.Example' }));
        await seed(makePlan('other'));
        expect(ids(await listAll({ today: TODAY, person: 'zoe.mixed@vendor.example' }))).toEqual([
          'mixed-case',
        ]);
      });

      it('channelId keeps only plans shown in that channel', async () => {
        await seedFilterFixtures();
        expect(ids(await listAll({ today: TODAY, channelId: CHANNEL_X }))).toEqual(
          ['draft', 'match', 'not-stalled', 'other-person'].sort(),
        );
        expect(ids(await listAll({ today: TODAY, channelId: CHANNEL_Y }))).toEqual(
          ['match', 'other-channel'].sort(),
        );
        expect(await listAll({ today: TODAY, channelId: '19:unknown@thread.tacv2' })).toEqual([]);
      });

      it('status, stalled, person and channelId combine with AND', async () => {
        const plans = await seedFilterFixtures();
        const result = await listAll({
          today: TODAY,
          status: ['active'],
          stalled: true,
          person: PERSON,
          channelId: CHANNEL_X,
        });
        expect(result).toEqual([plans.match]);
      });

      it('lists the current version: a replace moves the plan between filters', async () => {
        const v1 = await seed(makePlan('moving', { channelIds: [CHANNEL_X], aeEmail: PERSON }));
        const v2 = edited(v1, (c) => ({
          ...c,
          status: 'paused',
          channelIds: [CHANNEL_Y],
          people: c.people.map((p) => (p.id === 'v-ae' ? { ...p, email: 'new.ae@vendor.example' } : p)),
        }));
        await store.replace(v2, 1, entryFor(v2, 'replace'));
        expect(await listAll({ today: TODAY, channelId: CHANNEL_X })).toEqual([]);
        expect(await listAll({ today: TODAY, channelId: CHANNEL_Y })).toEqual([v2]);
        expect(await listAll({ today: TODAY, person: PERSON })).toEqual([]);
        expect(await listAll({ today: TODAY, person: 'new.ae@vendor.example' })).toEqual([v2]);
        expect(await listAll({ today: TODAY, status: ['active'] })).toEqual([]);
        expect(await listAll({ today: TODAY, status: ['paused'] })).toEqual([v2]);
        // Paused plans never stall.
        expect(await listAll({ today: addDays(TODAY, 365), stalled: true })).toEqual([]);
      });
    });

    describe('list paging', () => {
      async function seedMany(count: number, fixture: (i: number) => Fixture = () => ({})) {
        const created: Plan[] = [];
        for (let i = 0; i < count; i++) {
          created.push(await seed(makePlan(`plan-${String(i).padStart(3, '0')}`, fixture(i))));
        }
        return created;
      }

      it('55 plans with limit 20: three pages of 20, 20 and 15, every plan exactly once, no cursor on the last', async () => {
        const created = await seedMany(55);
        const first = await store.list({ today: TODAY, limit: 20 });
        expect(first.items).toHaveLength(20);
        expect(first.nextCursor).toEqual(expect.any(String));
        const second = await store.list({ today: TODAY, limit: 20, cursor: first.nextCursor });
        expect(second.items).toHaveLength(20);
        expect(second.nextCursor).toEqual(expect.any(String));
        const third = await store.list({ today: TODAY, limit: 20, cursor: second.nextCursor });
        expect(third.items).toHaveLength(15);
        expect(third.nextCursor).toBeUndefined();
        const seen = [...first.items, ...second.items, ...third.items].map((p) => p.id);
        expect(new Set(seen).size).toBe(55);
        expect([...seen].sort()).toEqual(ids(created));
      });

      it('no cursor when the last page is exactly full', async () => {
        await seedMany(40);
        const first = await store.list({ today: TODAY, limit: 20 });
        expect(first.nextCursor).toEqual(expect.any(String));
        const second = await store.list({ today: TODAY, limit: 20, cursor: first.nextCursor });
        expect(second.items).toHaveLength(20);
        expect(second.nextCursor).toBeUndefined();
      });

      it('paging with a filter returns every matching plan exactly once and nothing else', async () => {
        const created = await seedMany(30, (i) => (i % 3 === 0 ? { status: 'draft' } : {}));
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.list({
            today: TODAY,
            status: ['draft'],
            limit: 4,
            ...(cursor ? { cursor } : {}),
          });
          seen.push(...page.items.map((p) => p.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(pages).toBe(3);
        expect(seen.sort()).toEqual(ids(created.filter((p) => p.status === 'draft')));
      });

      it('plans created or deleted between pages make no plan repeat and no remaining plan go missing', async () => {
        const created = await seedMany(6);
        const first = await store.list({ today: TODAY, limit: 3 });
        expect(first.items).toHaveLength(3);
        const firstOnPage = first.items[0];
        if (!firstOnPage) throw new Error('empty first page');
        await seed(makePlan('late-comer'));
        await store.delete(firstOnPage.id, 1, entryFor(firstOnPage, 'delete'));
        const rest = await listAllFrom(first.nextCursor, 3);
        const seen = [...first.items, ...rest].map((p) => p.id);
        expect(new Set(seen).size).toBe(seen.length);
        for (const plan of created) expect(seen).toContain(plan.id);
        expect(rest.map((p) => p.id)).not.toContain(firstOnPage.id);
      });
    });

    describe('history', () => {
      it('returns the entries exactly as given, newest first', async () => {
        const v1 = makePlan('story');
        const created = entryFor(v1, 'create');
        await store.create(v1, created);
        const v2 = edited(v1, (c) => ({ ...c, title: 'Second title' }), 5, BOB);
        const replaced: HistoryEntry = {
          ...entryFor(v2, 'replace', BOB),
          changes: ['Title changed to "Second title"', 'Milestone "Pilot sign-off" moved: a reason'],
        };
        await store.replace(v2, 1, replaced);
        const v3 = edited(v2, (c) => ({ ...c, status: 'paused' }), 5, ALICE);
        const operations: HistoryEntry = { ...entryFor(v3, 'operations'), changes: [] };
        await store.replace(v3, 2, operations);

        const history = await store.history('story', { limit: 10 });
        expect(history.items).toEqual([operations, replaced, created]);
        expect(history.nextCursor).toBeUndefined();
      });

      it('pages 26 entries with limit 10 newest first: 10, 10, 6, each exactly once', async () => {
        let current = makePlan('long-story');
        const creation = entryFor(current, 'create');
        const written: HistoryEntry[] = [creation];
        await store.create(current, creation);
        for (let i = 0; i < 25; i++) {
          const next = edited(current, (c) => ({ ...c, title: `Title ${i}` }));
          const entry = entryFor(next, 'replace', i % 2 ? ALICE : BOB, ` (edit ${i})`);
          await store.replace(next, current.version, entry);
          written.push(entry);
          current = next;
        }
        const first = await store.history('long-story', { limit: 10 });
        expect(first.items).toHaveLength(10);
        expect(first.nextCursor).toEqual(expect.any(String));
        const second = await store.history('long-story', { limit: 10, cursor: first.nextCursor });
        expect(second.items).toHaveLength(10);
        expect(second.nextCursor).toEqual(expect.any(String));
        const third = await store.history('long-story', { limit: 10, cursor: second.nextCursor });
        expect(third.items).toHaveLength(6);
        expect(third.nextCursor).toBeUndefined();
        expect([...first.items, ...second.items, ...third.items]).toEqual([...written].reverse());
      });

      it('keeps each plan history separate', async () => {
        const a = makePlan('history-a');
        const b = makePlan('history-b');
        await seed(a);
        await seed(b);
        const a2 = edited(a, (c) => ({ ...c, title: 'A again' }));
        await store.replace(a2, 1, entryFor(a2, 'replace'));
        expect((await store.history('history-a', { limit: 10 })).items.map((e) => e.planId)).toEqual([
          'history-a',
          'history-a',
        ]);
        expect((await store.history('history-b', { limit: 10 })).items).toEqual([entryFor(b, 'create')]);
      });
    });
  });
}
