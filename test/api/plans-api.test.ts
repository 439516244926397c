import { demoPlan, LIMITS, type Plan, type PlanContent } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApi, type TestApi } from '../support/api-host';

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
  current?: Plan;
};

let api: TestApi;
const TODAY = '2026-11-27';

beforeAll(async () => {
  api = await startTestApi({ now: `${TODAY}T10:00:00Z` });
});
afterAll(async () => {
  await api.close();
});

function content(overrides: Partial<PlanContent> = {}): PlanContent {
  return { ...demoPlan(TODAY), ...overrides };
}

async function createPlan(overrides: Partial<PlanContent> = {}, id?: string): Promise<Plan> {
  const res = await call<Plan>(api.url, 'POST', '/api/plans', {
    json: { ...content(overrides), ...(id ? { id } : {}) },
  });
  expect(res.status).toBe(201);
  return res.body;
}

function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
  code: string,
): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const problem = res.body as Problem;
  expect(problem.status).toBe(status);
  expect(problem.code).toBe(code);
  expect(problem.detail.length).toBeGreaterThan(10);
  return problem;
}

describe('health and documents', () => {
  it('answers health with the store in use', async () => {
    const res = await call(api.url, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: 'sqlite', identity: 'local', today: TODAY });
  });

  it('serves an OpenAPI 3.1 document whose Plan schema comes from the shared zod schema', async () => {
    const res = await call<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, { maxLength?: number }> }> };
    }>(api.url, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/plans',
        '/plans/{id}',
        '/plans/{id}/operations',
        '/plans/{id}/health',
        '/qualify',
      ]),
    );
    expect(res.body.components.schemas.PlanWrite?.properties?.title?.maxLength).toBe(LIMITS.title);
  });

  it('answers an unknown API path with a 404 problem and a wrong method with 405 and Allow', async () => {
    expectProblem(await call(api.url, 'GET', '/api/nope'), 404, 'NOT_FOUND');
    const res = await call(api.url, 'PATCH', '/api/plans');
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  it('tells who the local identity is, taking the named local user', async () => {
    const res = await call(api.url, 'GET', '/api/me', {
      headers: { 'x-cosell-local-user': 'sofia.marino@contoso.example' },
    });
    expect(res.body).toMatchObject({
      id: 'sofia.marino@contoso.example',
      displayName: 'Sofia Marino',
      identity: 'local',
    });
  });
});

describe('create and read', () => {
  it('creates a plan at version 1 with ETag and Location, and reads it back', async () => {
    const res = await call<Plan>(api.url, 'POST', '/api/plans', { json: content() });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/api/plans/${res.body.id}`);
    expect(res.body.version).toBe(1);
    expect(res.body.createdBy).toBe('maya.okafor@vendor.example');
    expect(res.body.activatedOn).toBe(TODAY);
    const read = await call<Plan>(api.url, 'GET', `/api/plans/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('answers 304 when the caller has the current version', async () => {
    const plan = await createPlan();
    const res = await call(api.url, 'GET', `/api/plans/${plan.id}`, { headers: { 'if-none-match': '"1"' } });
    expect(res.status).toBe(304);
    expect(res.body).toBe('');
  });

  it('makes one plan when a create with a caller-chosen id is retried, and refuses a different plan under that id', async () => {
    const id = 'retry-safe-create-1';
    const body = { ...content(), id };
    const first = await call<Plan>(api.url, 'POST', '/api/plans', { json: body });
    const again = await call<Plan>(api.url, 'POST', '/api/plans', { json: body });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await call(api.url, 'POST', '/api/plans', {
      json: { ...body, title: 'Something else entirely' },
    });
    expectProblem(other, 409, 'PLAN_EXISTS');
    const stored = await call<Plan>(api.url, 'GET', `/api/plans/${id}`);
    expect(stored.body.title).toBe(first.body.title);
  });

  it('answers 404 for a plan that does not exist, and for an id that cannot exist', async () => {
    expectProblem(await call(api.url, 'GET', '/api/plans/does-not-exist'), 404, 'NOT_FOUND');
    expectProblem(await call(api.url, 'GET', '/api/plans/%2e%2e%2fetc'), 404, 'NOT_FOUND');
  });
});

describe('replace with If-Match', () => {
  it('replaces at the loaded version and records what changed', async () => {
    const plan = await createPlan();
    const res = await call<Plan>(api.url, 'PUT', `/api/plans/${plan.id}`, {
      json: { ...plan, title: 'Northwind — phase two' },
      headers: { 'if-match': '"1"', 'x-cosell-local-user': 'priya.raman@vendor.example' },
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body.updatedBy).toBe('priya.raman@vendor.example');
    const history = await call<{
      items: { version: number; kind: string; changes: string[]; actor: { id: string } }[];
    }>(api.url, 'GET', `/api/plans/${plan.id}/history`);
    expect(history.body.items[0]).toMatchObject({
      version: 2,
      kind: 'replace',
      changes: ['Title changed to "Northwind — phase two"'],
      actor: { id: 'priya.raman@vendor.example' },
    });
    expect(history.body.items[1]).toMatchObject({ version: 1, kind: 'create' });
  });

  it('answers 412 with the current plan when someone saved first, and keeps what they saved', async () => {
    const plan = await createPlan();
    const desk = await call<Plan>(api.url, 'PUT', `/api/plans/${plan.id}`, {
      json: { ...plan, title: 'Saved from the desk' },
      headers: { 'if-match': '"1"' },
    });
    expect(desk.status).toBe(200);
    const late = await call(api.url, 'PUT', `/api/plans/${plan.id}`, {
      json: { ...plan, title: 'Saved late from a phone' },
      headers: { 'if-match': '"1"' },
    });
    const problem = expectProblem(late, 412, 'VERSION_MISMATCH');
    expect(late.headers.get('etag')).toBe('"2"');
    expect(problem.current?.title).toBe('Saved from the desk');
    expect(problem.current?.version).toBe(2);
    const stored = await call<Plan>(api.url, 'GET', `/api/plans/${plan.id}`);
    expect(stored.body.title).toBe('Saved from the desk');
  });

  it('requires If-Match (428) and refuses one that is not an ETag of this API', async () => {
    const plan = await createPlan();
    expectProblem(
      await call(api.url, 'PUT', `/api/plans/${plan.id}`, { json: plan }),
      428,
      'PRECONDITION_REQUIRED',
    );
    expectProblem(
      await call(api.url, 'PUT', `/api/plans/${plan.id}`, { json: plan, headers: { 'if-match': '*' } }),
      428,
      'PRECONDITION_REQUIRED',
    );
  });

  it('refuses a body whose id differs from the URL', async () => {
    const plan = await createPlan();
    const res = await call(api.url, 'PUT', `/api/plans/${plan.id}`, {
      json: { ...plan, id: 'another-plan' },
      headers: { 'if-match': '"1"' },
    });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.[0]?.path).toBe('id');
  });
});

describe('bad input is a 4xx that names the field and the rule, and loses nothing', () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await createPlan({ title: 'The plan bad input must not touch' });
  });

  const put = (init: Parameters<typeof call>[3]) =>
    call(api.url, 'PUT', `/api/plans/${plan.id}`, {
      ...init,
      headers: { 'if-match': '"1"', ...init?.headers },
    });

  it.each([
    [
      'malformed JSON',
      { raw: '{"title": "x",', headers: { 'content-type': 'application/json' } },
      400,
      'MALFORMED_JSON',
    ],
    [
      'a body that is not UTF-8',
      { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' } },
      400,
      'MALFORMED_JSON',
    ],
    [
      'a text/plain body',
      { raw: '{}', headers: { 'content-type': 'text/plain' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no content type', { raw: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a form body',
      { raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ] as const)('%s', async (_name, init, status, code) => {
    expectProblem(await put(init), status, code);
  });

  it('an oversize body (413), without reading it all', async () => {
    const huge = JSON.stringify({ ...content(), title: 'x'.repeat(400 * 1024) });
    expectProblem(
      await put({ raw: huge, headers: { 'content-type': 'application/json' } }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it.each([
    ['a wrong type', { title: 42 }, 'title', 'must be text'],
    ['a missing field', { escalation: undefined }, 'escalation', 'is required'],
    ['an unknown field', { titel: 'typo' }, 'titel', 'unknown field'],
    [
      'a title over its limit',
      { title: 'x'.repeat(LIMITS.title + 1) },
      'title',
      `${LIMITS.title} characters`,
    ],
    [
      'a sixth account',
      {
        accounts: Array.from({ length: 6 }, (_, i) => ({
          id: `a${i}`,
          name: `Account ${i}`,
          domain: `a${i}.example.com`,
        })),
      },
      'accounts',
      'at most 5 shared accounts',
    ],
    [
      'a javascript: link',
      { crmDeal: { system: 'salesforce', id: 'x', url: 'javascript:alert(1)' } },
      'crmDeal.url',
      'https://',
    ],
    ['an impossible date', { lastReviewedOn: '2026-02-30' }, 'lastReviewedOn', 'YYYY-MM-DD'],
    [
      'an owner who is not on the plan',
      { milestones: [{ id: 'm1', title: 'Pilot', due: '2026-12-01', ownerId: 'ghost', status: 'planned' }] },
      'milestones[0].ownerId',
      'no person',
    ],
    ['an unknown status', { status: 'maybe' }, 'status', 'must be one of'],
  ] as const)('%s → 422 naming the field', async (_name, patch, path, words) => {
    const res = await put({ json: { ...plan, ...patch } });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    const error = problem.errors?.find((e) => e.path === path);
    expect(error, JSON.stringify(problem.errors)).toBeDefined();
    expect(error?.message).toContain(words);
  });

  it('an unknown quick-update operation → 422 at operations[0].op', async () => {
    const res = await call(api.url, 'POST', `/api/plans/${plan.id}/operations`, {
      json: { operations: [{ op: 'teleport' }] },
    });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.[0]).toMatchObject({ path: 'operations[0].op' });
    expect(problem.errors?.[0]?.message).toContain('complete-action');
  });

  it('an operation on an action that is not on the plan → 422 at its field', async () => {
    const res = await call(api.url, 'POST', `/api/plans/${plan.id}/operations`, {
      json: { operations: [{ op: 'record-review' }, { op: 'complete-action', actionId: 'nope' }] },
    });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.[0]).toMatchObject({ path: 'operations[1].actionId' });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['status=maybe', 'status'],
    ['stalled=perhaps', 'stalled'],
    ['colour=blue', 'colour'],
  ])('a bad query %s → 400 naming %s', async (query, field) => {
    const problem = expectProblem(await call(api.url, 'GET', `/api/plans?${query}`), 400, 'INVALID_QUERY');
    expect(problem.errors?.map((e) => e.path)).toContain(field);
  });

  it('a cursor this API did not give out → 400', async () => {
    expectProblem(await call(api.url, 'GET', '/api/plans?cursor=not-a-cursor'), 400, 'INVALID_QUERY');
  });

  it('after all of that the plan is exactly as it was stored', async () => {
    const stored = await call<Plan>(api.url, 'GET', `/api/plans/${plan.id}`);
    expect(stored.body).toEqual(plan);
  });
});

describe('quick-update operations', () => {
  it('applies operations, answers the new plan, the sentences and the health', async () => {
    const plan = await createPlan();
    const res = await call<{
      plan: Plan;
      changes: string[];
      health: { completeness: { complete: boolean } };
      retries: number;
    }>(api.url, 'POST', `/api/plans/${plan.id}/operations`, {
      json: {
        operations: [
          { op: 'complete-action', actionId: 'act-integration' },
          {
            op: 'move-milestone',
            milestoneId: 'm-pilot',
            due: '2026-12-16',
            reason: 'VP Operations out until the 14th',
          },
        ],
      },
      headers: { 'x-cosell-local-user': 'sofia.marino@contoso.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body.plan.version).toBe(2);
    expect(res.body.plan.actions.find((a) => a.id === 'act-integration')).toMatchObject({
      status: 'done',
      doneOn: TODAY,
    });
    expect(res.body.plan.milestones.find((m) => m.id === 'm-pilot')).toMatchObject({
      due: '2026-12-16',
      status: 'slipped',
      lastMove: { reason: 'VP Operations out until the 14th' },
    });
    expect(res.body.changes).toEqual([
      'Action "Validate the SAP TM integration in the pilot" done',
      'Milestone "Pilot sign-off by VP Operations" moved from 2026-12-09 to 2026-12-16: VP Operations out until the 14th',
    ]);
  });

  it('merges a quick update into a plan someone else saved in between (no If-Match needed)', async () => {
    const plan = await createPlan();
    const desk = await call<Plan>(api.url, 'PUT', `/api/plans/${plan.id}`, {
      json: { ...plan, title: 'Desk edit' },
      headers: { 'if-match': '"1"' },
    });
    expect(desk.status).toBe(200);
    const phone = await call<{ plan: Plan }>(api.url, 'POST', `/api/plans/${plan.id}/operations`, {
      json: {
        operations: [{ op: 'raise-blocker', actionId: 'act-pricing', blocker: 'CFO wants a 3-year ramp' }],
      },
    });
    expect(phone.status).toBe(200);
    expect(phone.body.plan.title).toBe('Desk edit');
    expect(phone.body.plan.actions.find((a) => a.id === 'act-pricing')).toMatchObject({
      status: 'blocked',
      blocker: 'CFO wants a 3-year ramp',
    });
  });

  it('adds an action with a server-chosen id', async () => {
    const plan = await createPlan();
    const res = await call<{ plan: Plan }>(api.url, 'POST', `/api/plans/${plan.id}/operations`, {
      json: {
        operations: [
          {
            op: 'add-action',
            action: { description: 'Book the exec sponsor call', ownerId: 'v-pm', due: '2026-12-04' },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const added = res.body.plan.actions.at(-1);
    expect(added).toMatchObject({ description: 'Book the exec sponsor call', status: 'open' });
    expect(added?.id).toMatch(/^act-[0-9a-f-]{36}$/);
  });
});

describe('list, health, qualify, delete', () => {
  it('filters by status, stalled, person and channel, and pages with a cursor', async () => {
    const channel = `19:list-test-${Date.now()}@thread.tacv2`;
    const demo = content({ channelIds: [channel] });
    const calm = {
      ...demo,
      // Nothing overdue: Fabrikam's slipped milestone done, so only the idle clock counts (and it just started).
      milestones: demo.milestones.map((m) =>
        m.id === 'm-fabrikam-sec' ? { ...m, status: 'done' as const, doneOn: TODAY } : m,
      ),
    };
    const stalled = await createPlan({ ...demo, title: 'Stalled one' });
    const healthy = await createPlan({ ...calm, title: 'Healthy one' });
    const paused = await createPlan({ ...calm, title: 'Paused one', status: 'paused' });
    for (let i = 0; i < 3; i++) await createPlan({ ...calm, title: `Page filler ${i}` });

    type Page = { items: { id: string; title: string; stalled: boolean }[]; nextCursor?: string };
    const inChannel = await call<Page>(
      api.url,
      'GET',
      `/api/plans?channel=${encodeURIComponent(channel)}&limit=100`,
    );
    expect(inChannel.body.items).toHaveLength(6);

    const stalledOnly = await call<Page>(
      api.url,
      'GET',
      `/api/plans?channel=${encodeURIComponent(channel)}&stalled=true`,
    );
    expect(stalledOnly.body.items.map((p) => p.id)).toEqual([stalled.id]);
    expect(stalledOnly.body.items[0]?.stalled).toBe(true);

    const pausedOnly = await call<Page>(
      api.url,
      'GET',
      `/api/plans?channel=${encodeURIComponent(channel)}&status=paused`,
    );
    expect(pausedOnly.body.items.map((p) => p.id)).toEqual([paused.id]);

    const notStalledActive = await call<Page>(
      api.url,
      'GET',
      `/api/plans?channel=${encodeURIComponent(channel)}&status=active&stalled=false&limit=100`,
    );
    expect(notStalledActive.body.items.map((p) => p.id)).toContain(healthy.id);
    expect(notStalledActive.body.items.map((p) => p.id)).not.toContain(stalled.id);

    const person = await call<Page>(
      api.url,
      'GET',
      `/api/plans?person=${encodeURIComponent('MAYA.OKAFOR@vendor.example')}&channel=${encodeURIComponent(channel)}&limit=100`,
    );
    expect(person.body.items).toHaveLength(6);
    const nobody = await call<Page>(
      api.url,
      'GET',
      `/api/plans?person=nobody@example.com&channel=${encodeURIComponent(channel)}`,
    );
    expect(nobody.body.items).toHaveLength(0);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: { body: Page } = await call<Page>(
        api.url,
        'GET',
        `/api/plans?channel=${encodeURIComponent(channel)}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it('reports health: completeness gaps in words, the stalled account and why', async () => {
    const plan = await createPlan();
    type Health = {
      completeness: { missing: { message: string }[] };
      stalls: { accounts: { accountName: string; stalled: boolean; reasons: string[] }[] };
      qualification: { recommendation: string };
    };
    const res = await call<Health>(api.url, 'GET', `/api/plans/${plan.id}/health`);
    expect(res.status).toBe(200);
    expect(res.body.completeness.missing.map((g) => g.message)).toEqual([
      'economics with A. Datum Cloud Services not agreed yet',
    ]);
    const fabrikam = res.body.stalls.accounts.find((a) => a.accountName === 'Fabrikam Freight');
    expect(fabrikam?.stalled).toBe(true);
    expect(fabrikam?.reasons).toEqual([
      'milestone "Fabrikam security questionnaire returned" was due 2026-11-23 and is not done',
    ]);
    expect(res.body.qualification.recommendation).toBe('co-sell-plan');
  });

  it('qualifies answers with reasons', async () => {
    const res = await call<{ recommendation: string; reasons: string[] }>(api.url, 'POST', '/api/qualify', {
      json: {
        partnerInvolvement: 'referral-only',
        partnerEvaluationRoles: [],
        cycleDays: 45,
        sharedEconomics: false,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.recommendation).toBe('mutual-action-plan');
    expect(res.body.reasons).toContain('the partner only handed over a referral at lead stage');
    const bad = await call(api.url, 'POST', '/api/qualify', { json: { partnerInvolvement: 'maybe' } });
    expectProblem(bad, 422, 'VALIDATION_FAILED');
  });

  it('deletes with If-Match; afterwards the plan and its history answer 404', async () => {
    const plan = await createPlan();
    expectProblem(await call(api.url, 'DELETE', `/api/plans/${plan.id}`), 428, 'PRECONDITION_REQUIRED');
    expectProblem(
      await call(api.url, 'DELETE', `/api/plans/${plan.id}`, { headers: { 'if-match': '"7"' } }),
      412,
      'VERSION_MISMATCH',
    );
    const res = await call(api.url, 'DELETE', `/api/plans/${plan.id}`, { headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(204);
    expectProblem(await call(api.url, 'GET', `/api/plans/${plan.id}`), 404, 'NOT_FOUND');
    expectProblem(await call(api.url, 'GET', `/api/plans/${plan.id}/history`), 404, 'NOT_FOUND');
  });
});
