import {
  addDays,
  demoPlan,
  neutralizeCell,
  newPlan,
  PlanContent,
  type PlanSummary,
  PORTFOLIO_CSV_HEADER,
  parseCsv,
  portfolioCsv,
  redactSummaryFor,
  summarizePlan,
  toCsv,
} from '@cosell/shared';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const TODAY = '2026-11-27';
const d = (days: number) => addDays(TODAY, days);

/** The demo seeded 40 days ago, looked at today (as in demo-plan.test.ts). */
function demoSummary(): PlanSummary {
  const content = PlanContent.parse(demoPlan(TODAY));
  const plan = newPlan('demo', content, {
    now: new Date(`${d(-40)}T09:00:00Z`),
    today: d(-40),
    actor: { id: 'seed', displayName: 'Seed' },
  });
  return summarizePlan(plan, TODAY);
}

/** Both parsers read `csv` into the same cells; returns them. */
function parseBoth(csv: string): string[][] {
  const own = parseCsv(csv);
  if (!own.ok) throw new Error(own.message);
  const ownCells = own.records.map((r) => r.fields);
  const theirs: string[][] = parse(csv, { relax_column_count: true });
  expect(theirs).toEqual(ownCells);
  return ownCells;
}

const col = (name: (typeof PORTFOLIO_CSV_HEADER)[number]) => PORTFOLIO_CSV_HEADER.indexOf(name);

describe('neutralizeCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    // Decision: text that looks like a negative number is neutralised too.
    ['-5%', "'-5%"],
    // Decision: a trigger after leading spaces / line breaks is neutralised (importers may trim).
    ['  =1+1', "'  =1+1"],
    ['\n@x', "'\n@x"],
    ['\u00a0+1', "'\u00a0+1"],
    // Not formulas.
    ['Northwind Logistics', 'Northwind Logistics'],
    ['', ''],
    ['   ', '   '],
    ['a=b', 'a=b'],
    ['5-3', '5-3'],
    ["'=already", "'=already"],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeCell(input)).toBe(expected);
  });
});

describe('toCsv', () => {
  it.each([
    [[['a', 'b']], 'a,b\r\n'],
    [[['a,b', 'c']], '"a,b",c\r\n'],
    [[['say "hi"']], '"say ""hi"""\r\n'],
    [[['line1\nline2', 'x']], '"line1\nline2",x\r\n'],
    [[['cr\rhere']], '"cr\rhere"\r\n'],
    [[['crlf\r\nhere']], '"crlf\r\nhere"\r\n'],
    [[['', '', '']], ',,\r\n'],
    [[['']], '""\r\n'],
    [[['a'], ['b', 'c']], 'a\r\nb,c\r\n'],
    [[], ''],
  ])('%j → %j', (rows, expected) => {
    expect(toCsv(rows)).toBe(expected);
  });

  it('adds a UTF-8 byte-order mark only when asked', () => {
    expect(toCsv([['é']])).toBe('é\r\n');
    expect(toCsv([['é']], { bom: true })).toBe('\uFEFFé\r\n');
    expect(toCsv([['é']], { bom: false }).charCodeAt(0)).not.toBe(0xfeff);
  });

  it('round-trips awkward cells through both RFC 4180 parsers', () => {
    const rows = [
      ['plain', 'with,comma', 'with "quotes"', '"', '""'],
      ['multi\nline', 'crlf\r\ninside', 'lone\rcr', ' spaced ', ''],
      ['', 'ünïcödé ✓', 'tab\tin', "'quote", 'end'],
    ];
    expect(parseBoth(toCsv(rows))).toEqual(rows);
    expect(parseBoth(toCsv(rows, { bom: true }).slice(1))).toEqual(rows);
  });
});

describe('portfolioCsv', () => {
  it('writes the header and the demo plan as the health summary says', () => {
    const csv = portfolioCsv([demoSummary()], { today: TODAY });
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const [header, row, ...rest] = parseBoth(csv);
    expect(rest).toEqual([]);
    expect(header).toEqual([
      'Title',
      'Status',
      'Motion',
      'Accounts',
      'Partners',
      'Stalled',
      'Decaying',
      'Complete',
      'Gaps',
      'Late by side',
      'Next milestone',
      'Next milestone due',
      'Last review',
      'Days since last review',
      'Cadence weekday',
      'Cadence time',
      'Cadence time zone',
    ]);
    const summary = demoSummary();
    const cadence = summary.cadence;
    expect(cadence).toBeDefined();
    expect(row).toEqual([
      summary.title,
      'active',
      'co-sell',
      'Northwind Logistics; Fabrikam Freight',
      'Contoso Consulting; A. Datum Cloud Services',
      'yes',
      'no',
      'no',
      summary.missing.map((g) => g.message).join('; '),
      'A. Datum Cloud Services: 2 actions; Buyer: 1 milestone',
      'Fabrikam security questionnaire returned',
      d(-4),
      d(-6),
      '6',
      cadence?.weekday,
      cadence?.time,
      cadence?.timeZone,
    ]);
    expect(row?.[col('Gaps')]).toContain('economics with A. Datum Cloud Services not agreed yet');
    expect(row?.[col('Title')]).not.toBe('');
  });

  it('exports what it is given: a partner reader’s redacted summary hides the other partner’s economics gap', () => {
    const summary = demoSummary();
    const contoso = summary.partners.find((p) => p.name === 'Contoso Consulting');
    expect(contoso).toBeDefined();
    const redacted = redactSummaryFor(summary, { kind: 'partner', partnerId: contoso?.id ?? '' });
    const [, vendorRow] = parseBoth(portfolioCsv([summary], { today: TODAY }));
    const [, partnerRow] = parseBoth(portfolioCsv([redacted], { today: TODAY }));
    expect(vendorRow?.[col('Gaps')]).toContain('A. Datum Cloud Services');
    expect(partnerRow?.[col('Gaps')]).not.toContain('A. Datum Cloud Services');
  });

  it('neutralises formula-like titles, account and partner names in every cell', () => {
    const evil = ['=HYPERLINK("http://evil")', '+1+1', '@SUM(A1)', '-2+3', '\tx', '\rx'];
    const base = demoSummary();
    const summaries: PlanSummary[] = evil.map((name, i) => ({
      ...base,
      id: `p${i}`,
      title: name,
      accounts: [{ id: 'a', name }],
      partners: [{ id: 'pa', name }],
      late: [{ label: name, actions: 1, milestones: 0 }],
      nextMilestone: { id: 'm', title: name, due: d(3) },
      lastReviewedOn: d(-1),
    }));
    const csv = portfolioCsv(summaries, { today: TODAY, bom: true });
    expect(csv.startsWith('\uFEFFTitle,')).toBe(true);
    const [, ...rows] = parseBoth(csv.slice(1));
    expect(rows).toHaveLength(evil.length);
    rows.forEach((row, i) => {
      const name = evil[i];
      for (const c of ['Title', 'Accounts', 'Partners', 'Next milestone'] as const) {
        expect(row[col(c)]).toBe(`'${name}`);
      }
      expect(row[col('Late by side')]).toBe(`'${name}: 1 action`);
      // No cell of the row starts with a trigger (numbers written by the export aside, which are ≥ 0 here).
      for (const cell of row) expect(cell).not.toMatch(/^[\s]*[=+\-@\t\r]/);
      expect(row[col('Days since last review')]).toBe('1');
    });
  });

  it('writes a day count as a number, not neutralised, and leaves empty cells for absent values', () => {
    const base = demoSummary();
    const { nextMilestone: _m, lastReviewedOn: _l, cadence: _c, ...bare } = base;
    const future: PlanSummary = { ...base, lastReviewedOn: d(2) };
    const [, bareRow, futureRow] = parseBoth(portfolioCsv([bare, future], { today: TODAY }));
    for (const c of [
      'Next milestone',
      'Next milestone due',
      'Last review',
      'Days since last review',
      'Cadence weekday',
      'Cadence time',
      'Cadence time zone',
    ] as const) {
      expect(bareRow?.[col(c)]).toBe('');
    }
    expect(futureRow?.[col('Days since last review')]).toBe('-2');
  });

  it('rejects a today that is not a date', () => {
    expect(() => portfolioCsv([], { today: '27/11/2026' })).toThrow(RangeError);
    expect(portfolioCsv([], { today: TODAY })).toBe(`${PORTFOLIO_CSV_HEADER.join(',')}\r\n`);
  });
});
