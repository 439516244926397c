import {
  accountIdForDomain,
  CROSSBEAM_IMPORT_LIMITS,
  CrossbeamImport,
  type CrossbeamParseResult,
  type CrossbeamRow,
  CsvTokenizer,
  draftPlanFromOverlaps,
  groupOverlapAccounts,
  importCrossbeam,
  LIMITS,
  listCell,
  normaliseCrossbeamDate,
  normaliseDomain,
  type OverlapAccount,
  PlanContent,
  parseCrossbeamCsv,
  parseCrossbeamJson,
  parseCsv,
  splitPersonName,
} from '@cosell/shared';
import { describe, expect, it } from 'vitest';
import { at, TODAY } from './plan-fixtures';

/* Crossbeam overlaps → rows → accounts → a draft plan (issue 10, pure part). */

/** A CSV line from cells, quoted the RFC 4180 way. */
const csvLine = (cells: readonly string[]) =>
  cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
const csv = (rows: readonly (readonly string[])[], eol = '\r\n') => rows.map(csvLine).join(eol) + eol;

function rowsOf(result: CrossbeamParseResult): CrossbeamRow[] {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.rows;
}

function errorOf(result: CrossbeamParseResult) {
  if (result.ok) throw new Error('expected an error, got rows');
  return result.error;
}

const HEADERS = [
  'Record',
  'Website',
  'Our Populations',
  'Partner Populations',
  'Account Owner Name',
  'Overlap Time',
  'Is a Customer of',
  'Opportunities Amount',
  'Customers: Company Name',
  'Customers: Company Website',
  'Customers: Account Owner Name',
];

const NORTHWIND = [
  'Northwind Logistics',
  'https://www.northwindlogistics.com/about',
  'Open Opportunities',
  'Customers',
  'Maya Okafor',
  '("2023-08-08T00:00:00.000+00:00" "2023-09-01T00:00:00.000+00:00")',
  '()',
  '125000',
  'Northwind Logistics Inc.',
  'northwindlogistics.com',
  'Sofia Marino',
];

describe('parseCsv (RFC 4180)', () => {
  it.each([
    [
      'plain LF',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'lone CR',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no final newline',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['quoted comma', 'a\n"x, y"\n', [['a'], ['x, y']]],
    ['doubled quotes', 'a\n"say ""hi"""\n', [['a'], ['say "hi"']]],
    [
      'embedded CRLF',
      'a,b\r\n"line 1\r\nline 2",z\r\n',
      [
        ['a', 'b'],
        ['line 1\r\nline 2', 'z'],
      ],
    ],
    [
      'empty fields',
      'a,b,c\n,,\n',
      [
        ['a', 'b', 'c'],
        ['', '', ''],
      ],
    ],
    ['blank lines skipped', 'a\n\n1\n\n', [['a'], ['1']]],
    ['quote inside unquoted field kept', 'a\n5" disk\n', [['a'], ['5" disk']]],
  ])('%s', (_name, text, expected) => {
    const result = parseCsv(text);
    if (!result.ok) throw new Error(result.message);
    expect(result.records.map((r) => r.fields)).toEqual(expected);
  });

  it('counts lines across embedded line breaks', () => {
    const result = parseCsv('h\n"a\nb"\nc\n');
    if (!result.ok) throw new Error(result.message);
    expect(result.records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('refuses a quoted field that never closes, naming its line', () => {
    const result = parseCsv('a\n1\n"open\n');
    expect(result).toEqual({ ok: false, message: 'a quoted field opened on line 3 is never closed' });
  });
});

describe('cells', () => {
  it.each([
    ['https://www.Contoso.com/about?x=1', 'contoso.com'],
    ['http://contoso.com:8080', 'contoso.com'],
    ['WWW.Fabrikam.co.uk', 'fabrikam.co.uk'],
    ['fabrikam.com.', 'fabrikam.com'],
    ['  adatum.com  ', 'adatum.com'],
    ['//cdn.adatum.com/x', 'cdn.adatum.com'],
    ['("https://www.tailspin.com" "tailspin.io")', 'tailspin.com'],
    ['not a domain', undefined],
    ['localhost', undefined],
    ['', undefined],
  ])('normaliseDomain(%j) = %j', (raw, expected) => {
    expect(normaliseDomain(raw)).toBe(expected);
  });

  it.each([
    ['("2023-08-08T00:00:00.000+00:00")', '2023-08-08'],
    ['("2023-09-01T00:00:00.000+00:00" "2023-08-08T00:00:00.000+00:00")', '2023-08-08'],
    ['2024-02-29T10:00:00Z', '2024-02-29'],
    ['2024-02-29', '2024-02-29'],
    ['()', undefined],
    ['', undefined],
    ['2023-02-30', undefined],
    ['yesterday', undefined],
  ])('normaliseCrossbeamDate(%j) = %j', (raw, expected) => {
    expect(normaliseCrossbeamDate(raw)).toBe(expected);
  });

  it.each([
    ['("Customers" "Open Opportunities")', ['Customers', 'Open Opportunities']],
    ['()', []],
    ['Customers, Prospects', ['Customers', 'Prospects']],
    ['Customers;Prospects', ['Customers', 'Prospects']],
    ['Customers', ['Customers']],
  ])('listCell(%j)', (raw, expected) => {
    expect(listCell(raw)).toEqual(expected);
  });

  it.each([
    ['Maya Okafor', { firstName: 'Maya', lastName: 'Okafor' }],
    ['  Jean  Paul Sartre ', { firstName: 'Jean', lastName: 'Paul Sartre' }],
    ['Cher', undefined],
    ['', undefined],
  ])('splitPersonName(%j)', (name, expected) => {
    expect(splitPersonName(name)).toEqual(expected);
  });
});

describe('parseCrossbeamCsv: headers by name, never by position', () => {
  const expected = {
    name: 'Northwind Logistics',
    domain: 'northwindlogistics.com',
    ourPopulations: ['Open Opportunities'],
    partnerPopulations: ['Customers'],
    ownerName: 'Maya Okafor',
    partnerOwnerName: 'Sofia Marino',
    partnerCompanyName: 'Northwind Logistics Inc.',
    overlapSince: '2023-08-08',
    customerOf: [],
    opportunitiesAmount: 125000,
  };
  const reversed = [...HEADERS.keys()].reverse();
  it.each([
    ['as exported', HEADERS, NORTHWIND],
    ['columns reversed', reversed.map((i) => at(HEADERS, i)), reversed.map((i) => at(NORTHWIND, i))],
    [
      'aliases, odd case and spacing',
      HEADERS.map((h) =>
        h === 'Record'
          ? 'account name'
          : h === 'Website'
            ? 'COMPANY  WEBSITE'
            : h === 'Account Owner Name'
              ? ' account_owner_name '
              : h,
      ),
      NORTHWIND,
    ],
    ['alias "Account"', HEADERS.map((h) => (h === 'Record' ? 'Account' : h)), NORTHWIND],
    ['alias "Company"', HEADERS.map((h) => (h === 'Record' ? 'Company' : h)), NORTHWIND],
    ['alias "Record Name"', HEADERS.map((h) => (h === 'Record' ? 'Record Name' : h)), NORTHWIND],
    ['alias "Domain"', HEADERS.map((h) => (h === 'Website' ? 'Domain' : h)), NORTHWIND],
    ['LF line ends', HEADERS, NORTHWIND, '\n'],
  ])('%s', (_name, headers, cells, eol = '\r\n') => {
    const rows = rowsOf(parseCrossbeamCsv(csv([headers, cells], eol)));
    expect(rows).toHaveLength(1);
    expect(at(rows, 0)).toMatchObject(expected);
  });

  it('returns the headers as found', () => {
    const result = parseCrossbeamCsv(csv([HEADERS, NORTHWIND]));
    expect(result.ok && result.headers).toEqual(HEADERS);
  });

  it('reads several partner populations from their "<population>: <field>" columns', () => {
    const headers = [
      'Record',
      'Website',
      'Customers: Account Owner Name',
      'Open Opportunities: Account Owner Name',
      'Open Opportunities: Company Website',
    ];
    const rows = rowsOf(
      parseCrossbeamCsv(
        csv([
          headers,
          ['Contoso', 'contoso.com', '', 'Kenji Watanabe', 'contoso.com'],
          ['Adatum', '', 'Amara Nwosu', '', ''],
        ]),
      ),
    );
    expect(rows.map((r) => [r.partnerPopulations, r.partnerOwnerName])).toEqual([
      [['Open Opportunities'], 'Kenji Watanabe'],
      [['Customers'], 'Amara Nwosu'],
    ]);
  });

  it('takes the domain from the partner side when our side has none', () => {
    const rows = rowsOf(
      parseCrossbeamCsv(
        csv([
          ['Record', 'Customers: Company Website'],
          ['Tailspin', 'https://tailspin.io/'],
        ]),
      ),
    );
    expect(at(rows, 0).domain).toBe('tailspin.io');
  });

  it('keeps embedded line breaks and quotes in cells', () => {
    const rows = rowsOf(
      parseCrossbeamCsv(
        csv([
          ['Record', 'Our Populations'],
          ['Say "Hi" Corp', 'Customers\nProspects'],
        ]),
      ),
    );
    expect(at(rows, 0)).toMatchObject({ name: 'Say "Hi" Corp', ourPopulations: ['Customers', 'Prospects'] });
  });

  it('leaves out rows without an account name, with a warning naming the lines', () => {
    const result = parseCrossbeamCsv(
      csv([
        ['Record', 'Website'],
        ['', 'a.com'],
        ['B', 'b.com'],
        ['()', 'c.com'],
      ]),
    );
    expect(rowsOf(result).map((r) => r.name)).toEqual(['B']);
    expect(result.ok && result.warnings.map((w) => [w.code, w.message])).toEqual([
      ['rows-without-account', '2 rows have no account name and were left out (lines 2, 4).'],
    ]);
  });

  it('warns when two columns could be the account', () => {
    const result = parseCrossbeamCsv(
      csv([
        ['Company', 'Record'],
        ['Contoso Ltd', 'Contoso'],
      ]),
    );
    expect(at(rowsOf(result), 0).name).toBe('Contoso');
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['ambiguous-column']);
  });
});

describe('parseCrossbeamCsv: bad files get clear errors', () => {
  const manyRows = (n: number) => csv([['Record'], ...Array.from({ length: n }, (_, i) => [`Account ${i}`])]);
  const utf16 = (s: string) => [...s].map((c) => `${c}\u0000`).join('');
  it.each([
    ['empty', '', 'empty', /empty/],
    ['blank', ' \r\n \r\n', 'empty', /empty/],
    ['UTF-8 BOM', `\uFEFF${csv([HEADERS, NORTHWIND])}`, 'byte-order-mark', /export as UTF-8 without BOM/],
    [
      'UTF-16 LE without BOM',
      utf16(csv([HEADERS, NORTHWIND])),
      'utf-16',
      /UTF-16.*export as UTF-8 without BOM/,
    ],
    ['UTF-16 LE with BOM read as UTF-8', `\uFFFD\uFFFD${utf16('Record\r\nA\r\n')}`, 'utf-16', /UTF-16/],
    ['binary', `PK\u0003\u0004\u0000\u0000\u0008\u0000Record`, 'not-csv', /binary/],
    ['replacement characters', `${'\uFFFD'.repeat(50)}abc`, 'not-csv', /binary/],
    [
      'a single column of prose',
      'Dear partner team\nplease find the overlaps below\nthanks\n',
      'not-csv',
      /single column/,
    ],
    [
      'prose with commas',
      'Hello, team\nhere is the list you asked for, with notes, and more, and more\nBest\nMaya\n',
      'not-csv',
      /same number of columns/,
    ],
    ['unclosed quote', 'Record\n"Contoso\n', 'not-csv', /never closed/],
    [
      'no account column',
      csv([
        ['Website', 'Partner Populations', 'Notes'],
        ['contoso.com', 'Customers', ''],
      ]),
      'no-account-column',
      /The headers found: "Website", "Partner Populations", "Notes"\./,
    ],
    ['headers only', csv([['Record', 'Website']]), 'no-rows', /no rows/],
    [
      'over the row limit',
      manyRows(CROSSBEAM_IMPORT_LIMITS.maxRows + 1),
      'too-many-rows',
      /at most 10,000 rows/,
    ],
  ])('%s', (_name, text, code, message) => {
    const error = errorOf(parseCrossbeamCsv(text));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('lists the accepted account headers when none is found', () => {
    const error = errorOf(
      parseCrossbeamCsv(
        csv([
          ['Foo', 'Bar'],
          ['1', '2'],
        ]),
      ),
    );
    expect(error.message).toContain('expected one of "Record", "Record Name", "Account Name", "Account"');
  });

  it('takes exactly the limit, and a lower limit from options', () => {
    expect(rowsOf(parseCrossbeamCsv(manyRows(CROSSBEAM_IMPORT_LIMITS.maxRows)))).toHaveLength(10_000);
    const error = errorOf(parseCrossbeamCsv(manyRows(6), { maxRows: 5 }));
    expect(error).toEqual({
      code: 'too-many-rows',
      message:
        'The export has more than 5 rows; the import takes at most 5 rows. Filter the report (a partner, a population) and export again.',
    });
  });

  it.each([
    [99, false],
    [100, true],
    [101, false],
  ])('%i rows: free-plan truncation flagged = %s', (n, flagged) => {
    const result = parseCrossbeamCsv(manyRows(n));
    expect(rowsOf(result)).toHaveLength(n);
    const codes = result.ok ? result.warnings.map((w) => w.code) : [];
    expect(codes.includes('free-plan-truncated')).toBe(flagged);
  });
});

describe('groupOverlapAccounts', () => {
  const headers = [
    'Record',
    'Website',
    'Our Populations',
    'Partner Populations',
    'Account Owner Name',
    'Partner',
  ];
  const text = csv([
    headers,
    ['Contoso', 'https://www.contoso.com', 'Customers', 'Open Opportunities', 'Maya Okafor', 'Fabrikam IT'],
    ['Contoso Ltd', 'contoso.com/en-us', 'Prospects', 'Customers', '', 'Adatum Cloud'],
    ['Adatum', '', 'Customers', 'Customers', 'Lukas Brandt', 'Fabrikam IT'],
    ['Contoso', 'http://CONTOSO.com', 'Customers', 'Open Opportunities', 'Maya Okafor', 'Fabrikam IT'],
    ['ADATUM ', '', 'Prospects', 'Customers', '', 'Fabrikam IT'],
    ['Tailspin', '', '', 'Customers', '', 'Fabrikam IT'],
    ['Tailspin', 'tailspin.io', '', 'Customers', '', 'Fabrikam IT'],
  ]);
  const accounts = groupOverlapAccounts(rowsOf(parseCrossbeamCsv(text)));

  it('groups repeated accounts by domain, else by name, in order of first appearance', () => {
    expect(accounts.map((a) => [a.key, a.name, a.domain, a.rowCount])).toEqual([
      ['domain:contoso.com', 'Contoso', 'contoso.com', 3],
      ['name:adatum', 'Adatum', undefined, 2],
      ['domain:tailspin.io', 'Tailspin', 'tailspin.io', 2],
    ]);
  });

  it('merges populations, partners and owners of an account', () => {
    expect(at(accounts, 0)).toMatchObject({
      ourPopulations: ['Customers', 'Prospects'],
      partnerPopulations: ['Open Opportunities', 'Customers'],
      partnerNames: ['Fabrikam IT', 'Adatum Cloud'],
      ownerName: 'Maya Okafor',
    });
    expect(at(accounts, 1)).toMatchObject({
      ourPopulations: ['Customers', 'Prospects'],
      ownerName: 'Lukas Brandt',
    });
  });

  it('is the same for the same rows', () => {
    expect(groupOverlapAccounts(rowsOf(parseCrossbeamCsv(text)))).toEqual(accounts);
  });
});

describe('parseCrossbeamJson (GET /v1/overlaps/accounts)', () => {
  const item = (recordId: string | number, partnerRecordId: string | number, extra: object = {}) => ({
    crossbeam_record_id: recordId,
    partner_crossbeam_record_id: partnerRecordId,
    name: 'Contoso',
    domain: 'https://www.contoso.com/',
    populations: [{ name: 'Customers' }],
    partner_populations: ['Open Opportunities'],
    partner: { name: 'Fabrikam IT' },
    account_owner_name: 'Maya Okafor',
    account_owner_email: 'maya@vendor.example',
    partner_owner_name: 'Sofia Marino',
    ...extra,
  });
  const expectedRow = {
    name: 'Contoso',
    domain: 'contoso.com',
    recordId: 'r-1',
    partnerRecordId: 'pr-1',
    ourPopulations: ['Customers'],
    partnerPopulations: ['Open Opportunities'],
    partnerName: 'Fabrikam IT',
    ownerName: 'Maya Okafor',
    ownerEmail: 'maya@vendor.example',
    partnerOwnerName: 'Sofia Marino',
  };
  it.each([
    ['under "data"', { data: [item('r-1', 'pr-1')] }],
    ['under "items"', { items: [item('r-1', 'pr-1')] }],
    ['a bare list', [item('r-1', 'pr-1')]],
    ['as text', JSON.stringify({ items: [item('r-1', 'pr-1')] })],
  ])('%s', (_name, json) => {
    const rows = rowsOf(parseCrossbeamJson(json));
    expect(rows).toHaveLength(1);
    expect(at(rows, 0)).toMatchObject(expectedRow);
  });

  it('dedupes on crossbeam_record_id + partner_crossbeam_record_id, with a warning', () => {
    const result = parseCrossbeamJson({
      data: [item('r-1', 'pr-1'), item('r-1', 'pr-2'), item('r-1', 'pr-1'), item(7, 8), item('7', '8')],
    });
    expect(rowsOf(result).map((r) => [r.recordId, r.partnerRecordId])).toEqual([
      ['r-1', 'pr-1'],
      ['r-1', 'pr-2'],
      ['7', '8'],
    ]);
    expect(result.ok && result.warnings.map((w) => w.message)).toEqual([
      '2 overlaps were listed twice (same crossbeam_record_id and partner_crossbeam_record_id) and counted once.',
    ]);
    expect(groupOverlapAccounts(rowsOf(result))).toMatchObject([{ rowCount: 3, recordIds: ['r-1', '7'] }]);
  });

  it('flags a response that has more pages', () => {
    const result = parseCrossbeamJson({
      items: [item(1, 2)],
      pagination: { next_href: '/v1/overlaps/accounts?c=x' },
    });
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['more-pages']);
  });

  it.each([
    ['not JSON text', '{"data": [', 'not-json', /not JSON/],
    ['JSON text with a BOM', '\uFEFF{"data": []}', 'byte-order-mark', /UTF-8 without BOM/],
    ['no list', { results: [], total: 0 }, 'unexpected-json', /found the keys "results", "total"/],
    ['null', null, 'unexpected-json', /found a null/],
    ['a number', 42, 'unexpected-json', /found a number/],
    ['empty', { data: [] }, 'no-rows', /no overlaps/],
    ['an item not an object', { data: ['x'] }, 'unexpected-json', /item 1 is not an object/],
    [
      'no record id',
      { data: [item('r-1', 'pr-1'), { partner_crossbeam_record_id: 'p', name: 'X' }] },
      'unexpected-json',
      /item 2 has no crossbeam_record_id; its keys: "partner_crossbeam_record_id", "name"/,
    ],
    [
      'no partner record id',
      { data: [{ crossbeam_record_id: 'r', name: 'X' }] },
      'unexpected-json',
      /item 1 has no partner_crossbeam_record_id/,
    ],
    [
      'no name',
      { data: [{ crossbeam_record_id: 'r', partner_crossbeam_record_id: 'p' }] },
      'unexpected-json',
      /no account name/,
    ],
  ])('%s', (_name, json, code, message) => {
    const error = errorOf(parseCrossbeamJson(json));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses more items than the limit, naming it', () => {
    const error = errorOf(parseCrossbeamJson({ data: [item(1, 1), item(2, 2), item(3, 3)] }, { maxRows: 2 }));
    expect(error).toEqual({
      code: 'too-many-rows',
      message: 'The response has 3 overlaps; the import takes at most 2.',
    });
  });
});

describe('draftPlanFromOverlaps', () => {
  const account = (n: number, extra: Partial<OverlapAccount> = {}): OverlapAccount => ({
    key: `domain:account${n}.com`,
    name: `Account ${n}`,
    domain: `account${n}.com`,
    ourPopulations: ['Customers'],
    partnerPopulations: ['Open Opportunities'],
    partnerNames: [],
    customerOf: [],
    recordIds: [],
    rowCount: 1,
    ...extra,
  });
  const options = { today: TODAY, partnerName: 'Fabrikam IT' };

  function planOf(result: ReturnType<typeof draftPlanFromOverlaps>) {
    if (!result.ok) throw new Error(`expected a plan, got ${result.error.code}: ${result.error.message}`);
    return result;
  }

  it('drafts a valid co-sell plan from a real export', () => {
    const text = csv([
      [...HEADERS, 'Account Owner Email', 'Customers: Account Owner Email'],
      [...NORTHWIND, 'maya.okafor@vendor.example', ''],
      [...NORTHWIND, 'maya.okafor@vendor.example', ''],
    ]);
    const accounts = groupOverlapAccounts(rowsOf(parseCrossbeamCsv(text)));
    const { plan, needsOwners } = planOf(draftPlanFromOverlaps(accounts, options));
    expect(PlanContent.safeParse(plan).success).toBe(true);
    expect(plan).toMatchObject({
      status: 'draft',
      motion: 'co-sell',
      title: 'Co-sell with Fabrikam IT: Northwind Logistics',
      accounts: [
        {
          id: 'acc-northwindlogistics_com',
          name: 'Northwind Logistics',
          domain: 'northwindlogistics.com',
          overlapSource: {
            system: 'crossbeam',
            population: 'Open Opportunities',
            partnerPopulation: 'Customers',
          },
          addedOn: TODAY,
        },
      ],
      partners: [{ id: 'p-fabrikam-it', name: 'Fabrikam IT' }],
      people: [
        {
          id: 'v-maya-okafor',
          firstName: 'Maya',
          lastName: 'Okafor',
          email: 'maya.okafor@vendor.example',
          role: 'account-executive',
          side: 'vendor',
        },
      ],
    });
    expect(needsOwners).toEqual([
      {
        side: 'partner',
        role: 'partner-counterpart',
        name: 'Sofia Marino',
        firstName: 'Sofia',
        lastName: 'Marino',
        partnerId: 'p-fabrikam-it',
        accountIds: ['acc-northwindlogistics_com'],
        reason: 'the email is not in the export: add it',
      },
    ]);
  });

  it('never invents an email: owners without one are returned as needed, not put on the plan', () => {
    const picked = [
      account(1, { ownerName: 'Maya Okafor', partnerOwnerName: 'Sofia Marino' }),
      account(2, { ownerName: 'Maya Okafor', partnerOwnerName: 'Cher' }),
    ];
    const { plan, needsOwners } = planOf(draftPlanFromOverlaps(picked, options));
    expect(plan.people).toEqual([]);
    expect(needsOwners.map((o) => [o.side, o.name, o.accountIds, o.reason])).toEqual([
      [
        'vendor',
        'Maya Okafor',
        ['acc-account1_com', 'acc-account2_com'],
        'the email is not in the export: add it',
      ],
      ['partner', 'Sofia Marino', ['acc-account1_com'], 'the email is not in the export: add it'],
      [
        'partner',
        'Cher',
        ['acc-account2_com'],
        'only one name is known: add the first and last name and the email',
      ],
    ]);
  });

  it('puts partner-side owners with an email on the partner side', () => {
    const picked = [
      account(1, { partnerOwnerName: 'Sofia Marino', partnerOwnerEmail: 'sofia@fabrikam.example' }),
    ];
    const { plan } = planOf(draftPlanFromOverlaps(picked, options));
    expect(plan.people).toEqual([
      {
        id: 'p-fabrikam-it-sofia-marino',
        firstName: 'Sofia',
        lastName: 'Marino',
        email: 'sofia@fabrikam.example',
        role: 'partner-counterpart',
        side: 'partner',
        partnerId: 'p-fabrikam-it',
      },
    ]);
  });

  it('gives the same ids for the same export imported twice', () => {
    const picked = [1, 2, 3].map((n) =>
      account(n, { ownerName: 'Maya Okafor', ownerEmail: 'maya@vendor.example' }),
    );
    const first = planOf(draftPlanFromOverlaps(picked, options)).plan;
    const again = planOf(
      draftPlanFromOverlaps(
        picked.map((a) => ({ ...a })),
        options,
      ),
    ).plan;
    expect(again).toEqual(first);
    expect(first.accounts.map((a) => a.id)).toEqual([
      'acc-account1_com',
      'acc-account2_com',
      'acc-account3_com',
    ]);
    expect(accountIdForDomain('a-b.com')).not.toBe(accountIdForDomain('a.b.com'));
  });

  it('keeps one account per domain when the same account is picked twice', () => {
    const { plan } = planOf(draftPlanFromOverlaps([account(1), account(1)], options));
    expect(plan.accounts).toHaveLength(1);
  });

  it.each([1, 2, 3, 4, 5])('%i picked accounts make a valid plan', (n) => {
    const picked = Array.from({ length: n }, (_, i) => account(i + 1));
    const { plan } = planOf(draftPlanFromOverlaps(picked, { ...options, title: 'Q3 logistics push' }));
    expect(plan.accounts).toHaveLength(n);
    expect(plan.title).toBe('Q3 logistics push');
    expect(PlanContent.safeParse(plan).success).toBe(true);
  });

  it('makes a default title that fits at the longest names', () => {
    const picked = Array.from({ length: 5 }, (_, i) =>
      account(i, { name: 'W'.repeat(LIMITS.accountName - 1) + String(i) }),
    );
    const { plan } = planOf(
      draftPlanFromOverlaps(picked, { ...options, partnerName: 'M'.repeat(LIMITS.partnerName) }),
    );
    expect(plan.title).toBe(`${'W'.repeat(39)}0 +4 — ${'M'.repeat(32)}`);
    expect(plan.title.length).toBeLessThanOrEqual(LIMITS.title);
  });

  it.each([
    [
      '0 picked',
      [],
      options,
      'pick-count',
      'Pick 1 to 5 accounts: a plan has at most 5 shared accounts so it fits one printed page (0 picked).',
    ],
    [
      '6 picked',
      [1, 2, 3, 4, 5, 6].map((n) => account(n)),
      options,
      'pick-count',
      'Pick 1 to 5 accounts: a plan has at most 5 shared accounts so it fits one printed page (6 picked).',
    ],
    [
      'no domain',
      [account(1, { domain: undefined, name: 'Adatum' })],
      options,
      'no-domain',
      '"Adatum" has no web domain: add a website column to the export or pick another account.',
    ],
    [
      'account name too long',
      [account(1, { name: 'N'.repeat(41) })],
      options,
      'over-limit',
      `Too long for the one-page plan: the account name "${'N'.repeat(41)}" is 41 characters (limit 40). Shorten it in Crossbeam or edit it after the import.`,
    ],
    [
      'population too long',
      [account(1, { partnerPopulations: ['Open Opportunities > 50k'] })],
      options,
      'over-limit',
      'Too long for the one-page plan: the partner population "Open Opportunities > 50k" is 24 characters (limit 20). Shorten it in Crossbeam or edit it after the import.',
    ],
    [
      'partner name too long',
      [account(1)],
      { ...options, partnerName: 'P'.repeat(33) },
      'over-limit',
      `Too long for the one-page plan: the partner name "${'P'.repeat(33)}" is 33 characters (limit 32). Shorten it in Crossbeam or edit it after the import.`,
    ],
    [
      'title too long',
      [account(1)],
      { ...options, title: 'T'.repeat(81) },
      'over-limit',
      `Too long for the one-page plan: the plan title "${'T'.repeat(81)}" is 81 characters (limit 80). Shorten it in Crossbeam or edit it after the import.`,
    ],
    [
      'owner first name too long',
      [account(1, { ownerName: `${'F'.repeat(21)} Okafor`, ownerEmail: 'f@vendor.example' })],
      options,
      'over-limit',
      `Too long for the one-page plan: the first name "${'F'.repeat(21)}" is 21 characters (limit 20). Shorten it in Crossbeam or edit it after the import.`,
    ],
    [
      'bad today',
      [account(1)],
      { ...options, today: '2026-13-01' },
      'invalid',
      '"2026-13-01" is not a YYYY-MM-DD date.',
    ],
  ])('%s → error', (_name, picked, opts, code, message) => {
    expect(draftPlanFromOverlaps(picked, opts)).toEqual({ ok: false, error: { code, message } });
  });
});

describe('streaming: chunk boundaries change nothing', () => {
  const text = csv(
    [
      HEADERS,
      NORTHWIND,
      ['Fabrikam', 'fabrikam.com', 'Customers', '', 'Ann Lee', '()', '', '', '', '', ''],
      ['"Quoted" name, with comma', '', 'Prospects', '', '', '', '', '', 'Line 1\r\nLine 2', '', 'X Y'],
      [...NORTHWIND.slice(0, 2), 'Prospects', ...NORTHWIND.slice(3)],
    ],
    '\r\n',
  );

  it('gives the same records for every split of the text into two chunks', () => {
    const whole = parseCsv(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const records: { line: number; fields: string[] }[] = [];
      const tokenizer = new CsvTokenizer((fields, line) => {
        records.push({ line, fields });
        return true;
      });
      tokenizer.push(text.slice(0, cut));
      tokenizer.push(text.slice(cut));
      expect(tokenizer.end()).toEqual({ ok: true });
      expect({ ok: true, records }, `cut at ${cut}`).toEqual(whole);
    }
  });

  it('gives the same preview when the bytes come one at a time', () => {
    const bytes = new TextEncoder().encode(text);
    const run = new CrossbeamImport();
    for (let i = 0; i < bytes.length; i++) run.push(bytes.subarray(i, i + 1));
    const oneByOne = run.finish();
    expect(oneByOne).toEqual(importCrossbeam(text));
    if (!oneByOne.ok) throw new Error(oneByOne.error.message);
    expect(oneByOne.preview.accounts.map((a) => [a.key, a.rowCount])).toEqual([
      ['domain:northwindlogistics.com', 2],
      ['domain:fabrikam.com', 1],
      ['name:quoted name with comma', 1],
    ]);
    expect(oneByOne.preview.accounts[0]?.ourPopulations).toEqual(['Open Opportunities', 'Prospects']);
  });

  it('groups a nameless-domain row read before its account the same as the whole-file grouping', () => {
    const rows: CrossbeamRow[] = [
      { line: 2, name: 'Contoso Ltd', ourPopulations: ['A'], partnerPopulations: [], customerOf: [] },
      {
        line: 3,
        name: 'contoso ltd.',
        domain: 'contoso.com',
        ourPopulations: ['B'],
        partnerPopulations: [],
        customerOf: [],
        ownerName: 'Maya Okafor',
      },
      { line: 4, name: 'Other', ourPopulations: [], partnerPopulations: [], customerOf: [] },
      { line: 5, name: 'CONTOSO LTD', ourPopulations: ['C'], partnerPopulations: [], customerOf: [] },
    ];
    expect(groupOverlapAccounts(rows)).toEqual([
      {
        key: 'domain:contoso.com',
        name: 'contoso ltd.',
        domain: 'contoso.com',
        ownerName: 'Maya Okafor',
        ourPopulations: ['B', 'A', 'C'],
        partnerPopulations: [],
        partnerNames: [],
        customerOf: [],
        recordIds: [],
        rowCount: 3,
      },
      {
        key: 'name:other',
        name: 'Other',
        ourPopulations: [],
        partnerPopulations: [],
        partnerNames: [],
        customerOf: [],
        recordIds: [],
        rowCount: 1,
      },
    ]);
  });
});

describe('CrossbeamImport: bytes in, preview out', () => {
  const utf16le = (s: string) => {
    const out = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) out[i * 2] = s.charCodeAt(i);
    return out;
  };
  const body = csv([HEADERS, NORTHWIND]);
  it.each([
    ['a UTF-8 BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body)]), 'byte-order-mark'],
    ['UTF-16 LE with its BOM', new Uint8Array([0xff, 0xfe, ...utf16le(body)]), 'utf-16'],
    ['UTF-16 BE with its BOM', new Uint8Array([0xfe, 0xff, 0, 0x52]), 'utf-16'],
    ['UTF-16 LE without a BOM', utf16le(body), 'utf-16'],
    ['Latin-1 bytes', new Uint8Array([0x52, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x0a, 0xe9, 0x0a]), 'not-utf-8'],
    ['nothing', new Uint8Array(0), 'empty'],
    ['two bytes', new Uint8Array([0x0a, 0x0a]), 'empty'],
  ])('refuses %s', (_name, bytes, code) => {
    const result = importCrossbeam(bytes);
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
  });

  it('reads API JSON by its first character, with the partners and populations of the preview', () => {
    const json = JSON.stringify({
      data: [
        {
          crossbeam_record_id: 'r1',
          partner_crossbeam_record_id: 'p1',
          name: 'A',
          domain: 'a.com',
          partner_name: 'P1',
          populations: ['Customers'],
        },
        {
          crossbeam_record_id: 'r1',
          partner_crossbeam_record_id: 'p2',
          name: 'A',
          domain: 'a.com',
          partner_name: 'P2',
          partner_populations: ['Open Opps'],
        },
      ],
    });
    const result = importCrossbeam(`  \n${json}`);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.preview).toMatchObject({
      format: 'json',
      rowCount: 2,
      partners: ['P1', 'P2'],
      ourPopulations: ['Customers'],
      partnerPopulations: ['Open Opps'],
      truncated: false,
    });
    expect(result.preview.accounts).toHaveLength(1);
  });

  it('flags exactly 100 rows as a truncated free-plan export, and not 99', () => {
    const rows = (n: number) =>
      csv([['Record', 'Website'], ...Array.from({ length: n }, (_, i) => [`Acc ${i}`, `acc${i}.com`])]);
    const hundred = importCrossbeam(rows(100));
    const ninetyNine = importCrossbeam(rows(99));
    expect(hundred.ok && hundred.preview.truncated).toBe(true);
    expect(ninetyNine.ok && ninetyNine.preview.truncated).toBe(false);
  });

  it('stops reading once past the row limit', () => {
    const run = new CrossbeamImport({ maxRows: 3 });
    const line = (i: number) => new TextEncoder().encode(`Acc ${i},acc${i}.com\n`);
    expect(run.push(new TextEncoder().encode('Record,Website\n'))).toBe(true);
    let pushed = 0;
    for (let i = 0; i < 10_000 && run.push(line(i)); i++) pushed++;
    // The first 2,000 characters are read before the rows start; then it stops at the 4th row.
    expect(pushed).toBeLessThan(200);
    const result = run.finish();
    expect(result.ok ? 'ok' : result.error.code).toBe('too-many-rows');
  });
});

describe('draftPlanFromOverlaps: owners named in the import', () => {
  const picked: OverlapAccount = {
    key: 'domain:northwind.com',
    name: 'Northwind',
    domain: 'northwind.com',
    ourPopulations: ['Customers'],
    partnerPopulations: ['Prospects'],
    partnerNames: [],
    customerOf: [],
    recordIds: [],
    rowCount: 1,
    ownerName: 'Maya Okafor',
    partnerOwnerName: 'Sofia',
  };
  it('completes owners of the export and adds the ones it does not name', () => {
    const result = draftPlanFromOverlaps([picked], {
      today: TODAY,
      partnerName: 'Contoso',
      owners: [
        { side: 'vendor', name: 'maya okafor', email: 'Maya@Vendor.example' },
        { side: 'partner', name: 'Sofia', email: 'sofia@contoso.example', lastName: 'Marino' },
        { side: 'partner', name: 'Ravi Shah', email: 'ravi@contoso.example' },
      ],
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.needsOwners).toEqual([]);
    expect(result.plan.people.map((p) => [p.firstName, p.lastName, p.email, p.side, p.role])).toEqual([
      ['Maya', 'Okafor', 'maya@vendor.example', 'vendor', 'account-executive'],
      ['Sofia', 'Marino', 'sofia@contoso.example', 'partner', 'partner-counterpart'],
      ['Ravi', 'Shah', 'ravi@contoso.example', 'partner', 'partner-counterpart'],
    ]);
  });

  it('refuses an owner email that is not one, naming it', () => {
    expect(
      draftPlanFromOverlaps([picked], {
        today: TODAY,
        partnerName: 'Contoso',
        owners: [{ side: 'vendor', name: 'Maya Okafor', email: 'maya-at-vendor' }],
      }),
    ).toEqual({
      ok: false,
      error: { code: 'invalid', message: '"maya-at-vendor" given for Maya Okafor is not an email address.' },
    });
  });
});
