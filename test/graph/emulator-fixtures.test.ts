import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';

/*
 * The emulator answers with the documented shapes: each request below is the documented request (or the
 * request the documented response answers), sent over plain HTTP, and its answer must have every member
 * the documented body has, with the same JSON type; where the test seeded the same data as the docs, the
 * same values. The documented bodies are the emulator's fixtures (test/graph-emulator/fixtures/, copies
 * of ../shared/reference/graph-examples/).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../graph-emulator/fixtures');
const REFERENCE = path.resolve(here, '../../../shared/reference/graph-examples');

function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every member of `documented` is in `actual` with the same JSON type; arrays by their first element. */
function shapeProblems(actual: unknown, documented: unknown, at = '$'): string[] {
  if (documented === null) return [];
  if (typeOf(actual) !== typeOf(documented))
    return [`${at}: ${typeOf(actual)}, documented ${typeOf(documented)}`];
  if (Array.isArray(documented)) {
    const [sample] = documented;
    const items = actual as unknown[];
    if (sample === undefined) return [];
    if (items.length === 0) return [`${at}: empty, documented with items`];
    return items.flatMap((item, i) => shapeProblems(item, sample, `${at}[${i}]`));
  }
  if (typeof documented === 'object') {
    return Object.entries(documented as Record<string, unknown>).flatMap(([key, value]) =>
      key in (actual as object)
        ? shapeProblems((actual as Record<string, unknown>)[key], value, `${at}.${key}`)
        : [`${at}.${key}: missing`],
    );
  }
  return [];
}

function expectShape(actual: unknown, fixtureName: string): void {
  expect(shapeProblems(actual, fixture(fixtureName)), fixtureName).toEqual([]);
}

/** Only the members the documented body has (to compare values where the test seeded the same data). */
function pick(actual: unknown, documented: unknown): unknown {
  if (Array.isArray(documented) && Array.isArray(actual)) {
    return actual.map((item, i) => pick(item, documented[Math.min(i, documented.length - 1)]));
  }
  if (documented && typeof documented === 'object' && actual && typeof actual === 'object') {
    return Object.fromEntries(
      Object.keys(documented).map((k) => [
        k,
        pick((actual as Record<string, unknown>)[k], (documented as Record<string, unknown>)[k]),
      ]),
    );
  }
  return actual;
}

let emulator: GraphEmulator;
let site: string;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${emulator.url}/v1.0${url}`, {
    method,
    headers: {
      authorization: 'Bearer fixture-test',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Json) : null,
  };
}

async function createList(displayName: string, columns: Record<string, unknown>[]): Promise<string> {
  const list = await call('POST', `/sites/${site}/lists`, { displayName, list: { template: 'genericList' } });
  const id = (list.body as { id: string }).id;
  for (const column of columns)
    expect((await call('POST', `/sites/${site}/lists/${id}/columns`, column)).status).toBe(201);
  return id;
}

/** The docs' Inventory list: items 2, 4 and 7 are Gadget, Widget and Gizmo (the others were deleted). */
async function inventory(): Promise<string> {
  const id = await createList('Inventory', [
    { name: 'Name', text: {}, description: 'Customer-facing name of the SKU' },
    { name: 'Color', text: {}, description: 'Color of the item in stock' },
    { name: 'Quantity', number: {}, indexed: true, description: 'Number of items in stock' },
  ]);
  const rows = [
    { Name: 'Spare' },
    { Name: 'Gadget', Color: 'Red', Quantity: 503 },
    { Name: 'Spare' },
    { Name: 'Widget', Color: 'Blue', Quantity: 2357 },
    { Name: 'Spare' },
    { Name: 'Spare' },
    { Name: 'Gizmo', Color: 'Green', Quantity: 92 },
  ];
  for (const fields of rows) await call('POST', `/sites/${site}/lists/${id}/items`, { fields });
  for (const gone of [1, 3, 5, 6])
    expect((await call('DELETE', `/sites/${site}/lists/${id}/items/${gone}`)).status).toBe(204);
  return id;
}

beforeAll(async () => {
  emulator = await startGraphEmulator();
  site = emulator.siteId;
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.resetSite();
});

describe('the fixtures', () => {
  it.skipIf(!fs.existsSync(REFERENCE))(
    'are the reference bodies (same JSON as ../shared/reference/graph-examples)',
    () => {
      for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
        const reference = JSON.parse(fs.readFileSync(path.join(REFERENCE, name), 'utf8'));
        expect(fixture(name), name).toEqual(reference);
      }
    },
  );

  it('shapeProblems finds a missing member and a wrong type (the check can fail)', () => {
    expect(shapeProblems({ a: 1 }, { a: 'x', b: 2 })).toEqual([
      '$.a: number, documented string',
      '$.b: missing',
    ]);
  });
});

describe('lists and columns', () => {
  it('create list (list-create.*): 201 with the documented members', async () => {
    const created = await call('POST', `/sites/${site}/lists`, fixture('list-create.request.json'));
    expect(created.status).toBe(201);
    expectShape(created.body, 'list-create.response.json');
    const id = (created.body as { id: string }).id;
    const columns = (await call('GET', `/sites/${site}/lists/${id}/columns`)).body as {
      value: { name: string }[];
    };
    // Columns given are added to the template's (genericList has Title).
    expect(columns.value.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Title', 'Author', 'PageCount']),
    );
  });

  it('get list by id and by title (list-get.*), enumerate lists (lists-enumerate.*)', async () => {
    const id = await createList('MicroFeed', []);
    const byId = await call('GET', `/sites/${site}/lists/${id}`);
    expect(byId.status).toBe(200);
    expectShape(byId.body, 'list-get.response.json');
    const byTitle = await call('GET', `/sites/${site}/lists/MicroFeed`);
    expect((byTitle.body as { id: string }).id).toBe(id);
    const all = await call('GET', `/sites/${site}/lists`);
    expectShape(all.body, 'lists-enumerate.response.json');
    expect(pick(all.body, { value: [{ name: '', list: { template: '' } }] })).toEqual({
      value: [
        { name: 'Shared Documents', list: { template: 'documentLibrary' } },
        { name: 'MicroFeed', list: { template: 'genericList' } },
      ],
    });
  });

  it('add a column (list-column-create.*): 201 echoing the definition', async () => {
    const id = await createList('Books', []);
    // The documented request adds "Title", which a generic list already has; same body, another name.
    const request = { ...(fixture('list-column-create.request.json') as object), name: 'Subtitle' };
    const created = await call('POST', `/sites/${site}/lists/${id}/columns`, request);
    expect(created.status).toBe(201);
    expectShape(created.body, 'list-column-create.response.json');
    const documented = fixture('list-column-create.response.json') as Record<string, unknown>;
    expect(pick(created.body, { ...documented, id: '', name: '', displayName: '' })).toEqual({
      ...documented,
      id: (created.body as { id: string }).id,
      name: 'Subtitle',
      displayName: 'Subtitle',
    });
  });

  it('get list with expanded columns and items (list-get-multi-expand.*)', async () => {
    const id = await inventory();
    const answer = await call(
      'GET',
      `/sites/${site}/lists/${id}?select=id,name,lastModifiedDateTime&expand=columns(select=name,description),items(expand=fields(select=Name,Color,Quantity))`,
    );
    expectShape(answer.body, 'list-get-multi-expand.response.json');
    const documented = fixture('list-get-multi-expand.response.json') as { items: unknown };
    expect(pick((answer.body as { items: unknown }).items, documented.items)).toEqual(documented.items);
  });
});

describe('list items', () => {
  it('list items with expand=fields(select=…) (listitems-list.*): the documented items', async () => {
    const id = await inventory();
    const answer = await call(
      'GET',
      `/sites/${site}/lists/${id}/items?expand=fields(select=Name,Color,Quantity)`,
    );
    expectShape(answer.body, 'listitems-list.response.json');
    const documented = fixture('listitems-list.response.json');
    expect(pick(answer.body, documented)).toEqual(documented);
  });

  it('list items with $filter on an indexed column (listitems-list-filtered.*)', async () => {
    const id = await inventory();
    const answer = await call(
      'GET',
      `/sites/${site}/lists/${id}/items?expand=fields(select=Name,Color,Quantity)&$filter=fields/Quantity lt 600`,
    );
    const documented = fixture('listitems-list-filtered.response.json');
    expect(pick(answer.body, documented)).toEqual(documented);
  });

  it('get item (listitem-get.*) and the eTag form "guid,version" (listitem-resource.sharepoint-overview)', async () => {
    const id = await inventory();
    const answer = await call('GET', `/sites/${site}/lists/${id}/items/4?expand=fields`);
    expectShape(answer.body, 'listitem-get.response.json');
    expect((answer.body as { fields: { Name: string } }).fields.Name).toBe('Widget');
    const overview = fixture('listitem-resource.sharepoint-overview.json') as Record<string, unknown>;
    const { fields: _fields, ...itemMembers } = overview;
    expect(shapeProblems(answer.body, itemMembers)).toEqual([]);
    const form = /^[0-9a-f-]{36},\d+$/;
    expect(String(overview.eTag)).toMatch(form);
    // [OBS] real answers carry the quotes inside the string.
    expect((answer.body as { eTag: string }).eTag).toMatch(/^"[0-9a-f-]{36},\d+"$/);
    expect((answer.body as { eTag: string }).eTag.slice(1, -1)).toMatch(form);
  });

  it('create item (listitem-create.*): 201 with the documented members', async () => {
    const id = await createList('Widgets', [
      { name: 'Color', text: {} },
      { name: 'Weight', number: {} },
    ]);
    const created = await call(
      'POST',
      `/sites/${site}/lists/${id}/items`,
      fixture('listitem-create.request.json'),
    );
    expect(created.status).toBe(201);
    expectShape(created.body, 'listitem-create.response.json');
    expect((created.body as { fields: Record<string, unknown> }).fields).toMatchObject({
      Title: 'Widget',
      Color: 'Purple',
      Weight: 32,
    });
  });

  it('update fields (listitem-update-fields.*): 200 with the fieldValueSet', async () => {
    const id = await inventory();
    const updated = await call(
      'PATCH',
      `/sites/${site}/lists/${id}/items/4/fields`,
      fixture('listitem-update-fields.request.json'),
    );
    expect(updated.status).toBe(200);
    const documented = fixture('listitem-update-fields.response.json');
    expect(pick(updated.body, documented)).toEqual(documented);
  });

  it('item versions (listitem-versions.*): newest first, ids "n.0"', async () => {
    const id = await inventory();
    await call('PATCH', `/sites/${site}/lists/${id}/items/4/fields`, { Color: 'Teal' });
    await call('PATCH', `/sites/${site}/lists/${id}/items/4/fields`, { Color: 'Navy' });
    const answer = await call('GET', `/sites/${site}/lists/${id}/items/4/versions`);
    expectShape(answer.body, 'listitem-versions.response.json');
    expect((answer.body as { value: { id: string }[] }).value.map((v) => v.id)).toEqual([
      '3.0',
      '2.0',
      '1.0',
    ]);
  });
});

describe('$batch', () => {
  it('answers the documented batch (batch.*) with the documented envelope, JSON sub-responses typed as such', async () => {
    const answer = await call('POST', '/$batch', fixture('batch.request.json'));
    expect(answer.status).toBe(200);
    const { responses } = answer.body as {
      responses: { id: string; status: number; headers: Record<string, string> }[];
    };
    expect(responses.map((r) => r.id).sort()).toEqual(['1', '2', '3', '4', '5']);
    // Outside the SharePoint endpoints the emulator serves, every step is an error in Graph's body.
    expect(
      shapeProblems(answer.body, { responses: [{ id: '', status: 0, headers: {}, body: { error: {} } }] }),
    ).toEqual([]);
    for (const response of responses) expect(response.headers['Content-Type']).toBe('application/json');
    const documented = fixture('batch.response.json') as { responses: { body: unknown }[] };
    const failed = documented.responses.find((r) => JSON.stringify(r.body).includes('"error"'));
    const sample = responses[0] as unknown as { body: unknown };
    expect(shapeProblems(sample.body, failed?.body)).toEqual([]);
  });

  it('a failed step fails the steps that depend on it with 424 (batch-dependson.request)', async () => {
    const answer = await call('POST', '/$batch', fixture('batch-dependson.request.json'));
    const statuses = Object.fromEntries(
      (answer.body as { responses: { id: string; status: number }[] }).responses.map((r) => [r.id, r.status]),
    );
    // The documented urls are placeholders ("..."): step 1 fails, and the chain behind it.
    expect(statuses).toEqual({ '1': 400, '2': 424, '4': 424, '3': 424 });
  });
});

describe('errors', () => {
  it('a missing item: the generic error body (error-generic) with request-id and date', async () => {
    const id = await createList('Empty', []);
    const answer = await call('GET', `/sites/${site}/lists/${id}/items/42`);
    expect(answer.status).toBe(404);
    expectShape(answer.body, 'error-generic.json');
    expect((answer.body as { error: { code: string } }).error.code).toBe('itemNotFound');
    expect(answer.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('429 (error-429): Retry-After and the documented body', async () => {
    emulator.queueFault({ kind: 'throttle', retryAfterSeconds: 10 });
    const answer = await call('GET', `/sites/${site}`);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('10');
    expectShape(answer.body, 'error-429.json');
    const documented = fixture('error-429.json') as { error: { code: string; message: string } };
    expect(pick(answer.body, { error: { code: '', message: '' } })).toEqual({
      error: { code: documented.error.code, message: documented.error.message },
    });
  });

  it('412 on an If-Match that does not match (error-412.observed), and nothing changes', async () => {
    const id = await inventory();
    const answer = await call(
      'PATCH',
      `/sites/${site}/lists/${id}/items/4/fields`,
      { Color: 'Pink' },
      { 'if-match': '"00000000-0000-0000-0000-000000000000,1"' },
    );
    expect(answer.status).toBe(412);
    const documented = fixture('error-412.observed.json');
    expect(pick(answer.body, documented)).toEqual(documented);
    const item = await call('GET', `/sites/${site}/lists/${id}/items/4?expand=fields`);
    expect((item.body as { fields: { Color: string } }).fields.Color).toBe('Blue');
  });

  it('400 on a filter over a non-indexed column (error-400-nonindexed-filter), allowed with the Prefer header', async () => {
    const id = await inventory();
    const refused = await call('GET', `/sites/${site}/lists/${id}/items?$filter=fields/Title eq 'x'`);
    expect(refused.status).toBe(400);
    const documented = fixture('error-400-nonindexed-filter.reconstructed.json');
    expect(pick(refused.body, documented)).toEqual(documented);
    const allowed = await call(
      'GET',
      `/sites/${site}/lists/${id}/items?$filter=fields/Title eq 'x'`,
      undefined,
      {
        prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly',
      },
    );
    expect(allowed.status).toBe(200);
  });
});
