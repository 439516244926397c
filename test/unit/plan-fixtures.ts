import {
  addDays,
  demoPlan,
  type IsoDate,
  type JointAction,
  type Milestone,
  OperationRejectedError,
  type Person,
  type Plan,
  type PlanContent,
} from '@cosell/shared';

/*
 * Builders shared by the unit tests. Every builder returns a fresh object, so a test may mutate what it gets.
 */

/** The fixed "today" of the tests: a date with nothing special about it. */
export const TODAY: IsoDate = '2026-06-15';

export const day = (offset: number): IsoDate => addDays(TODAY, offset);

/** The element at `index`, failing the test when there is none (no non-null assertions). */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no element at index ${index} (length ${items.length})`);
  return item;
}

/** The item with `id`, failing the test when there is none. */
export function byId<T extends { id: string }>(items: readonly T[], id: string): T {
  const item = items.find((x) => x.id === id);
  if (item === undefined) throw new Error(`no item with id "${id}"`);
  return item;
}

/** The demo plan (two partners, every field filled) as of `TODAY`. */
export function demo(): PlanContent {
  return demoPlan(TODAY);
}

export function vendorAe(): Person {
  return {
    id: 'v-ae',
    firstName: 'Maya',
    lastName: 'Okafor',
    email: 'maya@vendor.example',
    role: 'account-executive',
    side: 'vendor',
  };
}

export function partnerCounterpart(partnerId = 'p-1'): Person {
  return {
    id: `${partnerId}-pc`,
    firstName: 'Sofia',
    lastName: 'Marino',
    email: `sofia@${partnerId}.example`,
    role: 'partner-counterpart',
    side: 'partner',
    partnerId,
  };
}

export function economicBuyer(): Person {
  return {
    id: 'b-eb',
    firstName: 'Helen',
    lastName: 'Costa',
    email: 'helen@buyer.example',
    role: 'economic-buyer',
    side: 'buyer',
  };
}

/**
 * A small, complete, active co-sell plan with one account and one partner, and nothing moved yet:
 * no milestones or actions beyond one open action per side. Tests add what they need.
 */
export function smallPlan(): PlanContent {
  return {
    title: 'Small plan',
    status: 'active',
    motion: 'co-sell',
    channelIds: [],
    accounts: [{ id: 'acc-1', name: 'Account One', domain: 'one.example' }],
    partners: [{ id: 'p-1', name: 'Partner One' }],
    people: [vendorAe(), partnerCounterpart('p-1'), economicBuyer()],
    milestones: [],
    actions: [],
    economics: [{ partnerId: 'p-1', kind: 'none', statement: 'No shared economics on this deal' }],
    escalation: {
      thresholdDays: 14,
      vendorChain: ['v-ae'],
      partnerChains: [{ partnerId: 'p-1', chain: ['p-1-pc'] }],
    },
  };
}

export function milestone(id: string, fields: Partial<Milestone> = {}): Milestone {
  return { id, title: `Milestone ${id}`, due: day(30), ownerId: 'b-eb', status: 'planned', ...fields };
}

export function action(id: string, fields: Partial<JointAction> = {}): JointAction {
  return { id, description: `Action ${id}`, ownerId: 'v-ae', due: day(30), status: 'open', ...fields };
}

/** The content as a stored plan; `activatedOn` is set only when given. */
export function stored(content: PlanContent, meta: { createdAt?: string; activatedOn?: IsoDate } = {}): Plan {
  const createdAt = meta.createdAt ?? '2026-01-05T10:00:00.000Z';
  return {
    id: 'plan-1',
    version: 1,
    createdAt,
    createdBy: 'tester',
    updatedAt: createdAt,
    updatedBy: 'tester',
    ...(meta.activatedOn === undefined ? {} : { activatedOn: meta.activatedOn }),
    ...content,
  };
}

/** The path and message of the OperationRejectedError that `fn` throws; fails when it throws nothing else. */
export function rejection(fn: () => unknown): { path: (string | number)[]; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof OperationRejectedError) return { path: error.path, message: error.message };
    throw error;
  }
  throw new Error('expected an OperationRejectedError, nothing was thrown');
}

export type Path = readonly (string | number)[];

/** The value at `path` inside a plan (or any JSON-like value). */
export function getAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) throw new Error(`nothing at ${JSON.stringify(path)}`);
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Replaces the value at `path`. */
export function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (typeof parent !== 'object' || parent === null || key === undefined)
    throw new Error(`cannot set ${JSON.stringify(path)}`);
  (parent as Record<string | number, unknown>)[key] = value;
}
