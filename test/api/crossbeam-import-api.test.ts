import http from 'node:http';
import type { CrossbeamPreview, OverlapAccount, Plan } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSSBEAM_MAX_UPLOAD_BYTES } from '../../functions/src/use-cases/crossbeam-import-service';
import { call, startTestApi, type TestApi } from '../support/api-host';

/*
 * The Crossbeam import over real HTTP (issue 10): exports built with the known Crossbeam headers — own-side
 * columns and `<Partner Population>: <field>` columns — several partners, repeated rows, wrapped and empty
 * dates, odd encodings, missing columns, oversize bodies, the 100-row free-plan flag, the API JSON shape,
 * and the same selection imported twice making one plan.
 */

const csvLine = (cells: readonly string[]) =>
  cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
const csv = (rows: readonly (readonly string[])[]) => `${rows.map(csvLine).join('\r\n')}\r\n`;

const HEADERS = [
  'Record',
  'Website',
  'Partner',
  'Our Populations',
  'Partner Populations',
  'Account Owner Name',
  'Account Owner Email',
  'Overlap Time',
  'Is a Customer of',
  'Opportunities Amount',
  'Contoso Customers: Company Name',
  'Contoso Customers: Account Owner Name',
  'Contoso Customers: Account Owner Email',
  'Fabrikam Pipeline: Company Name',
  'Fabrikam Pipeline: Account Owner Name',
];

type Cells = Partial<Record<(typeof HEADERS)[number], string>>;
const row = (cells: Cells) => HEADERS.map((h) => cells[h] ?? '');

const NORTHWIND_CONTOSO: Cells = {
  Record: 'Northwind Logistics',
  Website: 'https://www.northwindlogistics.com/',
  Partner: 'Contoso Consulting',
  'Our Populations': '("Open Opportunities")',
  'Partner Populations': 'Contoso Customers',
  'Account Owner Name': 'Maya Okafor',
  'Account Owner Email': 'maya.okafor@vendor.example',
  'Overlap Time': '("2023-09-01T00:00:00.000+00:00" "2023-08-08T00:00:00.000+00:00")',
  'Is a Customer of': '()',
  'Opportunities Amount': '125000',
  'Contoso Customers: Company Name': 'Northwind Logistics Inc.',
  'Contoso Customers: Account Owner Name': 'Sofia Marino',
  'Contoso Customers: Account Owner Email': 'sofia.marino@contoso.example',
};

const EXPORT = csv([
  HEADERS,
  row(NORTHWIND_CONTOSO),
  // The same account again, another population of ours: one row per overlap.
  row({ ...NORTHWIND_CONTOSO, 'Our Populations': 'Customers', 'Overlap Time': '()' }),
  row({
    Record: 'Tailspin Toys',
    Website: 'tailspintoys.com',
    Partner: 'Fabrikam Services',
    'Our Populations': 'Prospects',
    'Partner Populations': 'Fabrikam Pipeline',
    'Account Owner Name': 'Ken Adams',
    'Overlap Time': '("2024-01-15T00:00:00.000+00:00")',
    'Fabrikam Pipeline: Company Name': 'Tailspin',
    'Fabrikam Pipeline: Account Owner Name': 'Lee Chen',
  }),
  // A record with a comma in its name and no website: grouped by name.
  row({ Record: 'Wingtip, Inc.', Partner: 'Contoso Consulting', 'Our Populations': 'Prospects' }),
  row({ Record: 'Wingtip, Inc.', Partner: 'Fabrikam Services', 'Our Populations': 'Customers' }),
]);

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const preview = (body: string | Uint8Array, contentType = 'text/csv') =>
  call<CrossbeamPreview & Record<string, unknown>>(api.url, 'POST', '/api/imports/crossbeam/preview', {
    raw: body,
    headers: { 'content-type': contentType },
  });

function problemOf(response: { status: number; headers: Headers; body: unknown }) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return response.body as { code: string; detail: string; importError?: string; errors?: { path: string }[] };
}

function accountOf(p: CrossbeamPreview, key: string): OverlapAccount {
  const account = p.accounts.find((a) => a.key === key);
  if (!account) throw new Error(`no account ${key} in ${p.accounts.map((a) => a.key).join(', ')}`);
  return account;
}

describe('POST /api/imports/crossbeam/preview', () => {
  it('groups a CSV export by domain, else by name, with partners, populations and wrapped dates', async () => {
    const response = await preview(EXPORT);
    expect(response.status).toBe(200);
    const p = response.body;
    expect(p.format).toBe('csv');
    expect(p.rowCount).toBe(5);
    expect(p.truncated).toBe(false);
    expect(p.accounts.map((a) => [a.key, a.rowCount])).toEqual([
      ['domain:northwindlogistics.com', 2],
      ['domain:tailspintoys.com', 1],
      ['name:wingtip inc', 2],
    ]);
    expect(p.partners).toEqual(['Contoso Consulting', 'Fabrikam Services']);
    expect(p.ourPopulations).toEqual(['Open Opportunities', 'Customers', 'Prospects']);
    expect(p.partnerPopulations).toEqual(['Contoso Customers', 'Fabrikam Pipeline']);
    const northwind = accountOf(p, 'domain:northwindlogistics.com');
    expect(northwind).toMatchObject({
      name: 'Northwind Logistics',
      domain: 'northwindlogistics.com',
      ourPopulations: ['Open Opportunities', 'Customers'],
      partnerNames: ['Contoso Consulting'],
      ownerName: 'Maya Okafor',
      partnerOwnerName: 'Sofia Marino',
      // The earliest of the wrapped list; the empty `()` of the second row adds nothing.
      overlapSince: '2023-08-08',
      customerOf: [],
    });
    expect(accountOf(p, 'name:wingtip inc')).toMatchObject({
      name: 'Wingtip, Inc.',
      partnerNames: ['Contoso Consulting', 'Fabrikam Services'],
    });
    expect(accountOf(p, 'name:wingtip inc').domain).toBeUndefined();
  });

  it('finds columns by name wherever they are, and takes LF line ends', async () => {
    const order = [...HEADERS].reverse();
    const text = [order, ...[NORTHWIND_CONTOSO].map((c) => order.map((h) => c[h] ?? ''))]
      .map(csvLine)
      .join('\n');
    const response = await preview(text, 'text/csv; charset=utf-8');
    expect(response.status).toBe(200);
    expect(response.body.accounts).toMatchObject([
      { key: 'domain:northwindlogistics.com', ownerName: 'Maya Okafor', partnerOwnerName: 'Sofia Marino' },
    ]);
  });

  it('flags an export of exactly 100 rows as a truncated free-plan export', async () => {
    const rows = Array.from({ length: 100 }, (_, i) =>
      row({
        Record: `Account ${i % 40}`,
        Website: `account${i % 40}.example.com`,
        Partner: 'Contoso Consulting',
      }),
    );
    const response = await preview(csv([HEADERS, ...rows]));
    expect(response.status).toBe(200);
    expect(response.body.truncated).toBe(true);
    expect(response.body.accounts).toHaveLength(40);
    expect(response.body.warnings.map((w) => w.code)).toContain('free-plan-truncated');
    const ninetyNine = await preview(csv([HEADERS, ...rows.slice(1)]));
    expect(ninetyNine.body.truncated).toBe(false);
  });

  it('reads the JSON of GET /v1/overlaps/accounts, keyed by the two record ids', async () => {
    const item = (id: string, partnerId: string, extra: Record<string, unknown> = {}) => ({
      crossbeam_record_id: id,
      partner_crossbeam_record_id: partnerId,
      name: 'Northwind Logistics',
      domain: 'northwindlogistics.com',
      partner_name: 'Contoso Consulting',
      populations: [{ name: 'Open Opportunities' }],
      partner_populations: ['Contoso Customers'],
      overlap_time: '2023-08-08T00:00:00.000+00:00',
      ...extra,
    });
    const body = JSON.stringify({
      data: [
        item('r1', 'p1'),
        item('r1', 'p1'),
        item('r1', 'p2', { partner_name: 'Fabrikam Services' }),
        item('r2', 'p3', { name: 'Tailspin Toys', domain: 'tailspintoys.com' }),
      ],
    });
    const response = await preview(body, 'application/json');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      format: 'json',
      rowCount: 3,
      partners: ['Contoso Consulting', 'Fabrikam Services'],
      accounts: [
        { key: 'domain:northwindlogistics.com', rowCount: 2, recordIds: ['r1'], overlapSince: '2023-08-08' },
        { key: 'domain:tailspintoys.com', rowCount: 1 },
      ],
    });
    expect(response.body.warnings.map((w) => w.code)).toEqual(['duplicate-overlap']);
    // `items` works too.
    const items = await preview(JSON.stringify({ items: [item('r9', 'p9')] }), 'application/json');
    expect(items.status).toBe(200);
  });

  const utf16le = (s: string) => {
    const out = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      out[i * 2] = s.charCodeAt(i) & 0xff;
      out[i * 2 + 1] = s.charCodeAt(i) >> 8;
    }
    return out;
  };
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it.each([
    [
      'a UTF-8 byte-order mark',
      new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(EXPORT)]),
      'byte-order-mark',
      /byte-order mark/,
    ],
    [
      'UTF-16 with a BOM (Excel "Unicode text")',
      new Uint8Array([0xff, 0xfe, ...utf16le(EXPORT)]),
      'utf-16',
      /UTF-16/,
    ],
    ['UTF-16 without a BOM', utf16le(EXPORT), 'utf-16', /UTF-16/],
    [
      'Windows-1252 bytes',
      new Uint8Array([...utf8('Record,Website\r\nCaf'), 0xe9, ...utf8(',cafe.com\r\n')]),
      'not-utf-8',
      /not UTF-8/,
    ],
    [
      'a PNG',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      'not-utf-8',
      /not UTF-8/,
    ],
    [
      'prose, not CSV',
      utf8('Dear partner team,\nplease find the accounts below.\nThanks\n'),
      'not-csv',
      /does not look like a CSV/,
    ],
    ['an unclosed quote', utf8('Record,Website\r\n"Northwind,northwind.com\r\n'), 'not-csv', /never closed/],
    ['headers only', utf8(`${HEADERS.join(',')}\r\n`), 'no-rows', /no rows/],
    ['an empty body', new Uint8Array(0), 'empty', /empty/],
  ])('refuses %s with a clear problem', async (_name, body, code, detail) => {
    const response = await preview(body);
    expect(response.status).toBe(422);
    const p = problemOf(response);
    expect(p.code).toBe('IMPORT_REJECTED');
    expect(p.importError).toBe(code);
    expect(p.detail).toMatch(detail);
  });

  it('names the headers it found when no column is the account', async () => {
    const response = await preview(
      csv([
        ['Domain Name', 'Owner', 'Population'],
        ['contoso.com', 'Maya', 'X'],
      ]),
    );
    expect(response.status).toBe(422);
    const p = problemOf(response);
    expect(p.importError).toBe('no-account-column');
    expect(p.detail).toContain('The headers found: "Domain Name", "Owner", "Population"');
    expect(p.detail).toContain('"Record"');
    expect(p.errors?.[0]?.path).toBe('file.headers');
  });

  it('refuses an export of more than 10,000 rows, naming the limit', async () => {
    const line = csvLine(row({ Record: 'Acme', Website: 'acme.com' }));
    const body = `${csvLine(HEADERS)}\r\n${`${line}\r\n`.repeat(10_001)}`;
    const response = await preview(body);
    expect(response.status).toBe(422);
    const p = problemOf(response);
    expect(p.importError).toBe('too-many-rows');
    expect(p.detail).toContain('at most 10,000 rows');
  });

  it('refuses a declared body over the limit with 413 before reading it', async () => {
    // A raw request that declares 9 MB and sends 10 bytes: the answer comes without waiting for the rest.
    const { hostname, port } = new URL(api.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: hostname,
          port,
          method: 'POST',
          path: '/api/imports/crossbeam/preview',
          headers: { 'content-type': 'text/csv', 'content-length': String(CROSSBEAM_MAX_UPLOAD_BYTES + 1) },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('Record\r\nX\r\n');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a streamed body that passes the limit with 413', async () => {
    const big = new Uint8Array(CROSSBEAM_MAX_UPLOAD_BYTES + 1024).fill(0x41);
    const response = await preview(big);
    expect(response.status).toBe(413);
    expect(problemOf(response).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('takes text/csv or application/json only (415 naming both), and a UTF-16 charset is refused by name', async () => {
    const xml = await preview('<x/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.headers.get('accept-post')).toBe('text/csv, application/json');
    const utf16 = await preview(EXPORT, 'text/csv; charset=utf-16');
    expect(utf16.status).toBe(422);
    expect(problemOf(utf16).importError).toBe('utf-16');
  });

  it('says what is wrong with JSON that is not the overlaps shape', async () => {
    const response = await preview(JSON.stringify({ results: [] }), 'application/json');
    expect(response.status).toBe(422);
    expect(problemOf(response).detail).toContain('found the keys "results"');
  });
});

describe('POST /api/imports/crossbeam/plans', () => {
  async function accounts(keys: string[]): Promise<OverlapAccount[]> {
    const response = await preview(EXPORT);
    return keys.map((k) => accountOf(response.body, k));
  }

  const create = (body: unknown) =>
    call<{ plan: Plan; created: boolean; needsOwners: unknown[] }>(
      api.url,
      'POST',
      '/api/imports/crossbeam/plans',
      { json: body },
    );

  it('creates a co-sell plan with both owners and the overlap source on each account; the same selection again is the same plan', async () => {
    const picked = await accounts(['domain:northwindlogistics.com']);
    const first = await create({ partnerName: 'Contoso Consulting', accounts: picked });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/api/plans/${first.body.plan.id}`);
    const plan = first.body.plan;
    expect(plan.id).toMatch(/^xb-[0-9a-f]{32}$/);
    expect(plan).toMatchObject({
      status: 'draft',
      motion: 'co-sell',
      partners: [{ id: 'p-contoso-consulting', name: 'Contoso Consulting' }],
      accounts: [
        {
          id: 'acc-northwindlogistics_com',
          name: 'Northwind Logistics',
          domain: 'northwindlogistics.com',
          overlapSource: {
            system: 'crossbeam',
            population: 'Open Opportunities',
            partnerPopulation: 'Contoso Customers',
          },
        },
      ],
    });
    expect(plan.people.map((p) => [p.firstName, p.lastName, p.email, p.side, p.role])).toEqual([
      ['Maya', 'Okafor', 'maya.okafor@vendor.example', 'vendor', 'account-executive'],
      ['Sofia', 'Marino', 'sofia.marino@contoso.example', 'partner', 'partner-counterpart'],
    ]);
    expect(first.body.needsOwners).toEqual([]);

    // Again, the next day (the draft's dates differ): the plan of the first import, not a second one.
    api.clock.set('2026-11-28T10:00:00Z');
    const again = await create({ partnerName: 'contoso consulting', accounts: [...picked].reverse() });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.plan.id).toBe(plan.id);
    const list = await call<{ items: { id: string }[] }>(api.url, 'GET', '/api/plans?limit=100');
    expect(list.body.items.filter((p) => p.id === plan.id)).toHaveLength(1);
    expect(list.body.items.filter((p) => p.id.startsWith('xb-'))).toHaveLength(1);
  });

  it('lists owners without an email as still needed, and takes the emails the person adds', async () => {
    const picked = await accounts(['domain:tailspintoys.com']);
    const without = await create({ partnerName: 'Fabrikam Services', accounts: picked });
    expect(without.status).toBe(201);
    expect(without.body.plan.people).toEqual([]);
    expect(without.body.needsOwners).toMatchObject([
      { side: 'vendor', name: 'Ken Adams', reason: 'the email is not in the export: add it' },
      { side: 'partner', name: 'Lee Chen' },
    ]);

    const withEmails = await create({
      partnerName: 'Fabrikam Services',
      title: 'Tailspin with Fabrikam',
      accounts: [...picked, ...(await accounts(['domain:northwindlogistics.com']))],
      owners: [
        { side: 'vendor', name: 'Ken Adams', email: 'ken.adams@vendor.example' },
        { side: 'partner', name: 'Lee Chen', email: 'lee.chen@fabrikam.example' },
      ],
    });
    expect(withEmails.status).toBe(201);
    expect(withEmails.body.plan.title).toBe('Tailspin with Fabrikam');
    expect(withEmails.body.plan.people.map((p) => p.email)).toEqual([
      'ken.adams@vendor.example',
      'lee.chen@fabrikam.example',
      'maya.okafor@vendor.example',
    ]);
    // Sofia owns Northwind on Contoso's side, not Fabrikam's: she is not made a Fabrikam counterpart.
    expect(withEmails.body.plan.people.some((p) => p.lastName === 'Marino')).toBe(false);
  });

  it.each([
    ['no account', { partnerName: 'Contoso', accounts: [] }, 'accounts', /at least 1 account/],
    ['six accounts', 'six', 'accounts', /Pick 1 to 5 accounts/],
    ['an account without a domain', 'wingtip', 'accounts', /"Wingtip, Inc." has no web domain/],
    [
      'a partner name over the limit',
      'long-partner',
      '(body)',
      /the partner name .* is 33 characters \(limit 32\)/,
    ],
    ['an owner email that is not one', 'bad-email', 'owners', /is not an email address/],
  ])('refuses %s (422 naming it)', async (_name, kind, path, detail) => {
    const northwind = await accounts(['domain:northwindlogistics.com']);
    const body =
      typeof kind !== 'string'
        ? kind
        : kind === 'six'
          ? {
              partnerName: 'Contoso',
              accounts: Array.from({ length: 6 }, (_, i) => ({
                ...northwind[0],
                key: `domain:a${i}.com`,
                domain: `a${i}.com`,
              })),
            }
          : kind === 'wingtip'
            ? { partnerName: 'Contoso', accounts: await accounts(['name:wingtip inc']) }
            : kind === 'long-partner'
              ? { partnerName: 'P'.repeat(33), accounts: northwind }
              : {
                  partnerName: 'Contoso',
                  accounts: northwind,
                  owners: [{ side: 'vendor', name: 'Maya Okafor', email: 'maya-at-vendor' }],
                };
    const response = await create(body);
    expect(response.status).toBe(422);
    const p = problemOf(response);
    expect(p.code).toBe('VALIDATION_FAILED');
    expect(p.errors?.[0]?.path).toBe(path);
    expect(p.detail).toMatch(detail);
  });
});
