import { type IsoDate, isIsoDate } from './dates';
import { LIMITS } from './limits';
import { PlanContent, type Role, type SharedAccount } from './plan-schema';

/*
 * Crossbeam account overlaps → shared accounts of a new plan (SPEC §6 "Data in", issue 10).
 * Pure: the caller reads the file (as text, decoded as UTF-8) and passes `today`; nothing here does I/O
 * or reads the clock.
 *
 *   parseCrossbeamCsv / parseCrossbeamJson → rows (one per overlap)
 *   groupOverlapAccounts(rows)             → accounts (one per web domain, else per record name)
 *   draftPlanFromOverlaps(picked, …)       → a draft PlanContent, and the owners still missing an email
 *
 * Crossbeam exports are configured by the user, so columns are found by name and known aliases, never
 * by position.
 */

export const CROSSBEAM_IMPORT_LIMITS = {
  /** Data rows (or API items) one import takes. */
  maxRows: 10_000,
  /** A free Crossbeam plan exports at most this many rows: an export of exactly this many is likely cut. */
  freePlanRows: 100,
} as const;

export type CrossbeamErrorCode =
  | 'empty'
  | 'byte-order-mark'
  | 'utf-16'
  | 'not-csv'
  | 'no-account-column'
  | 'no-rows'
  | 'too-many-rows'
  | 'not-json'
  | 'unexpected-json';

export type CrossbeamWarningCode =
  | 'free-plan-truncated'
  | 'rows-without-account'
  | 'ambiguous-column'
  | 'duplicate-overlap'
  | 'more-pages';

export interface CrossbeamProblem<C extends string> {
  code: C;
  message: string;
}

/** One overlap: one of our records matched with one partner record. */
export interface CrossbeamRow {
  /** 1-based line of the CSV record (or 1-based item number of the API JSON). */
  line: number;
  /** Our record's name. */
  name: string;
  /** Our record's web domain, normalised (see normaliseDomain); undefined when absent or not a domain. */
  domain?: string;
  ourPopulations: string[];
  partnerPopulations: string[];
  /** The partner organisation, when the export or API names it. */
  partnerName?: string;
  /** Our account owner. */
  ownerName?: string;
  ownerEmail?: string;
  partnerOwnerName?: string;
  partnerOwnerEmail?: string;
  partnerCompanyName?: string;
  partnerDomain?: string;
  overlapSince?: IsoDate;
  customerOf: string[];
  opportunitiesAmount?: number;
  recordId?: string;
  partnerRecordId?: string;
}

export type CrossbeamParseResult =
  | { ok: true; rows: CrossbeamRow[]; headers: string[]; warnings: CrossbeamProblem<CrossbeamWarningCode>[] }
  | { ok: false; error: CrossbeamProblem<CrossbeamErrorCode> };

export interface CrossbeamParseOptions {
  /** Default CROSSBEAM_IMPORT_LIMITS.maxRows. */
  maxRows?: number;
}

const fail = (code: CrossbeamErrorCode, message: string): CrossbeamParseResult => ({
  ok: false,
  error: { code, message },
});

const fmt = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------------------
// RFC 4180 CSV, incremental

export type CsvParseResult =
  | { ok: true; records: { line: number; fields: string[] }[] }
  | { ok: false; message: string };

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * RFC 4180, fed chunk by chunk (a chunk may end anywhere, also inside a quoted field or between CR and LF):
 * fields separated by commas, records by CRLF (LF and a lone CR accepted too); a field in double quotes may
 * hold commas, line breaks and doubled quotes (""). Lenient where the RFC is silent: a quote inside an
 * unquoted field is kept as text. Blank lines are skipped. Each record goes to `onRecord` as soon as it
 * is complete, so a caller keeps no more of the file than it wants to; `onRecord` answers false to stop.
 */
export class CsvTokenizer {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** A quote was the last character of a chunk inside a quoted field: the next character decides. */
  private quotePending = false;
  /** The last character was a CR (ending a record, or inside quotes): an LF right after it is the same break. */
  private afterCR = false;
  private line = 1;
  private recordLine = 1;
  private quotedFieldLine = 0;
  private stopped = false;
  /** Records handed to `onRecord`. */
  records = 0;

  constructor(private readonly onRecord: (fields: string[], line: number) => boolean) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  private endRecord(): void {
    this.fields.push(this.field);
    const fields = this.fields;
    this.fields = [];
    this.field = '';
    if (fields.length === 1 && fields[0] === '') return;
    this.records++;
    if (!this.onRecord(fields, this.recordLine)) this.stopped = true;
  }

  push(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n && !this.stopped) {
      if (this.quotePending) {
        this.quotePending = false;
        if (text.charCodeAt(i) === QUOTE) {
          this.field += '"';
          i++;
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        // Up to the next quote, counting line breaks.
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === QUOTE) break;
          if (c === LF) {
            if (!this.afterCR) this.line++;
            this.afterCR = false;
          } else if (c === CR) {
            this.line++;
            this.afterCR = true;
          } else this.afterCR = false;
          j++;
        }
        this.field += text.slice(i, j);
        if (j >= n) return;
        this.afterCR = false;
        // A quote: doubled (a quote in the text), or the end of the quoted field.
        if (j + 1 >= n) {
          this.quotePending = true;
          return;
        }
        if (text.charCodeAt(j + 1) === QUOTE) {
          this.field += '"';
          i = j + 2;
        } else {
          this.inQuotes = false;
          i = j + 1;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (c === QUOTE && this.field === '') {
        this.inQuotes = true;
        this.quotedFieldLine = this.line;
        i++;
        continue;
      }
      if (c === COMMA) {
        this.fields.push(this.field);
        this.field = '';
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
        this.afterCR = c === CR;
        i++;
        continue;
      }
      // An unquoted run up to the next comma or line break.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === COMMA || d === CR || d === LF) break;
        j++;
      }
      this.field += text.slice(i, j);
      i = j;
    }
  }

  /** The end of the text: the last record (without a final line break) is handed on. */
  end(): { ok: true } | { ok: false; message: string } {
    if (this.stopped) return { ok: true };
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) {
      return { ok: false, message: `a quoted field opened on line ${this.quotedFieldLine} is never closed` };
    }
    if (this.field !== '' || this.fields.length > 0) this.endRecord();
    return { ok: true };
  }
}

/**
 * The whole of `text` as CSV records (see CsvTokenizer). Stops after `maxRecords` records (the caller then
 * knows the file is over its limit without reading the rest).
 */
export function parseCsv(text: string, maxRecords = Number.POSITIVE_INFINITY): CsvParseResult {
  const records: { line: number; fields: string[] }[] = [];
  const tokenizer = new CsvTokenizer((fields, line) => {
    records.push({ line, fields });
    return records.length < maxRecords;
  });
  tokenizer.push(text);
  const end = tokenizer.end();
  return end.ok ? { ok: true, records } : end;
}
// ---------------------------------------------------------------------------------------------------------
// Normalisation

/** Header key: case-, space-, "_" and "-"-insensitive. */
const headerKey = (h: string) => h.toLowerCase().replace(/[\s_-]+/g, '');

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A web address or domain → its domain: no scheme, user, port, path, query or `www.`, lower-case.
 * `https://www.Contoso.com/about` → `contoso.com`. Undefined when what is left is not a domain.
 */
export function normaliseDomain(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const first = listCell(raw)[0];
  if (first === undefined) return undefined;
  let s = first.trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  s = s.replace(/^[^@/?#]*@/, '');
  s = s.split(/[/?#\s]/)[0] ?? '';
  s = s.replace(/:\d*$/, '').replace(/\.$/, '');
  while (s.startsWith('www.')) s = s.slice(4);
  return DOMAIN_RE.test(s) ? s : undefined;
}

/** An account name as a grouping key: case, punctuation and spacing do not matter. */
export function normaliseRecordName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A list cell: `("a" "b")` (Crossbeam's wrapped form), `()` (empty), or plain text split on `,`, `;` or
 * line breaks. Values are trimmed, empty ones dropped.
 */
export function listCell(raw: string): string[] {
  const s = raw.trim();
  if (s.startsWith('(') && s.endsWith(')')) {
    const inner = s.slice(1, -1).trim();
    if (inner === '') return [];
    const quoted = [...inner.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').trim());
    if (quoted.length > 0) return quoted.filter((v) => v !== '');
    return inner.split(/\s+/).filter((v) => v !== '');
  }
  return s
    .split(/[;,\r\n]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * A date cell → ISO date: `2023-08-08`, `2023-08-08T00:00:00.000+00:00`, `("2023-08-08T00:00:00.000+00:00" …)`
 * (the earliest date of the list), `()` or blank → undefined. The calendar date is the one written.
 */
export function normaliseCrossbeamDate(raw: string | undefined): IsoDate | undefined {
  if (raw === undefined) return undefined;
  let best: IsoDate | undefined;
  for (const v of listCell(raw)) {
    const d = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(v)?.[1];
    if (d !== undefined && isIsoDate(d) && (best === undefined || d < best)) best = d;
  }
  return best;
}

function parseAmount(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const values = listCell(raw.replace(/,(?=\d{3}\b)/g, ''))
    .map((v) => Number(v.replace(/[^0-9.-]/g, '')))
    .filter((v) => Number.isFinite(v) && v !== 0);
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

// ---------------------------------------------------------------------------------------------------------
// CSV → rows

type OwnField =
  | 'name'
  | 'website'
  | 'ourPopulations'
  | 'partnerPopulations'
  | 'ownerName'
  | 'ownerEmail'
  | 'overlapTime'
  | 'customerOf'
  | 'opportunitiesAmount'
  | 'partnerName';

/** Own-side columns and their aliases, most specific first. */
export const CROSSBEAM_OWN_COLUMNS: Record<OwnField, readonly string[]> = {
  name: ['Record', 'Record Name', 'Account Name', 'Account', 'Company Name', 'Company'],
  website: ['Website', 'Company Website', 'Domain', 'Company Domain', 'Account Website', 'Record Website'],
  ourPopulations: ['Our Populations', 'Our Population'],
  partnerPopulations: ['Partner Populations', 'Partner Population'],
  ownerName: ['Account Owner Name', 'Account Owner', 'Owner Name', 'Record Owner Name'],
  ownerEmail: ['Account Owner Email', 'Owner Email', 'Record Owner Email'],
  overlapTime: ['Overlap Time', 'Overlap Date'],
  customerOf: ['Is a Customer of'],
  opportunitiesAmount: ['Opportunities Amount', 'Opportunity Amount'],
  partnerName: ['Partner', 'Partner Name', 'Partner Organization', 'Partner Organisation'],
};

type PartnerField = 'companyName' | 'website' | 'ownerName' | 'ownerEmail';

/** Partner-side columns are `<Partner Population>: <field>`; the fields and their aliases. */
export const CROSSBEAM_PARTNER_FIELDS: Record<PartnerField, readonly string[]> = {
  companyName: ['Company Name', 'Account Name', 'Record Name', 'Record', 'Name'],
  website: ['Company Website', 'Website', 'Domain', 'Company Domain'],
  ownerName: ['Account Owner Name', 'Account Owner', 'Owner Name'],
  ownerEmail: ['Account Owner Email', 'Owner Email'],
};

interface ColumnMap {
  own: Partial<Record<OwnField, number>>;
  /** Per partner population (as written in the header): the column of each field. */
  partner: Map<string, Partial<Record<PartnerField, number>>>;
  warnings: CrossbeamProblem<CrossbeamWarningCode>[];
}

function mapColumns(headers: readonly string[]): ColumnMap {
  const keys = headers.map(headerKey);
  const own: Partial<Record<OwnField, number>> = {};
  const warnings: CrossbeamProblem<CrossbeamWarningCode>[] = [];
  for (const [field, aliases] of Object.entries(CROSSBEAM_OWN_COLUMNS) as [OwnField, readonly string[]][]) {
    const found = aliases.flatMap((a) => {
      const k = headerKey(a);
      return keys.flatMap((hk, i) => (hk === k ? [i] : []));
    });
    const firstFound = found[0];
    if (firstFound === undefined) continue;
    own[field] = firstFound;
    if (found.length > 1 && field === 'name') {
      warnings.push({
        code: 'ambiguous-column',
        message: `several columns could be the account: ${found.map((i) => `"${headers[i]}"`).join(', ')}; "${headers[firstFound]}" is used`,
      });
    }
  }
  const partner = new Map<string, Partial<Record<PartnerField, number>>>();
  headers.forEach((h, i) => {
    const colon = h.lastIndexOf(':');
    if (colon <= 0) return;
    const population = h.slice(0, colon).trim();
    const fieldKey = headerKey(h.slice(colon + 1));
    if (population === '') return;
    for (const [field, aliases] of Object.entries(CROSSBEAM_PARTNER_FIELDS) as [
      PartnerField,
      readonly string[],
    ][]) {
      if (!aliases.some((a) => headerKey(a) === fieldKey)) continue;
      const cols = partner.get(population) ?? {};
      if (cols[field] === undefined) cols[field] = i;
      partner.set(population, cols);
    }
  });
  return { own, partner, warnings };
}

/** A UTF-16 byte-order mark, or NUL characters on most of every other position (ASCII text in UTF-16). */
function looksLikeUtf16(text: string): boolean {
  if (text.startsWith('\uFFFE')) return true;
  // FF FE or FE FF read as UTF-8: two replacement characters, then a NUL in the first character pair.
  if (text.startsWith('\uFFFD\uFFFD') && text.slice(2, 4).includes('\u0000')) return true;
  const sample = text.slice(0, 2000);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample.charCodeAt(i) === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  const half = sample.length / 2;
  return half > 0 && Math.max(even, odd) >= half * 0.6;
}

const describeHeaders = (headers: readonly string[]) =>
  headers.length === 0 ? 'none' : headers.map((h) => `"${h}"`).join(', ');

/** The characters read before the encoding checks run (and the CSV starts). */
const SNIFF_CHARS = 2000;

/**
 * A Crossbeam CSV export read chunk by chunk (text already decoded as UTF-8): each row goes to `onRow` as
 * soon as its record is complete, nothing of the file is kept. `push` answers false once reading on is
 * pointless (an error is known, or the row limit is passed); `end` gives the outcome.
 */
export class CrossbeamCsvReader {
  private readonly maxRows: number;
  private head = '';
  private sniffed = false;
  private readonly tokenizer: CsvTokenizer;
  private headers: string[] | undefined;
  private columns: ColumnMap | undefined;
  private error: CrossbeamProblem<CrossbeamErrorCode> | undefined;
  private dataRecords = 0;
  private rectangular = 0;
  private rows = 0;
  private readonly skipped: number[] = [];
  private skippedCount = 0;
  private readonly read: CellReaders;

  constructor(
    private readonly onRow: (row: CrossbeamRow) => void,
    options: CrossbeamParseOptions = {},
  ) {
    this.maxRows = options.maxRows ?? CROSSBEAM_IMPORT_LIMITS.maxRows;
    this.tokenizer = new CsvTokenizer((fields, line) => this.record(fields, line));
    this.read = cellReaders();
  }

  private fail(code: CrossbeamErrorCode, message: string): false {
    this.error ??= { code, message };
    return false;
  }

  /** Data rows read so far (with or without an account). */
  get rowsRead(): number {
    return this.dataRecords;
  }

  push(text: string): boolean {
    if (this.error || this.tokenizer.isStopped) return false;
    if (!this.sniffed) {
      this.head += text;
      if (this.head.length < SNIFF_CHARS) return true;
      return this.startWith(this.head);
    }
    if (text.includes('\u0000')) {
      return this.fail(
        'not-csv',
        'The file is not CSV text (it holds binary data): export the report as CSV.',
      );
    }
    this.tokenizer.push(text);
    return !this.error && !this.tokenizer.isStopped;
  }

  private startWith(head: string): boolean {
    this.sniffed = true;
    this.head = '';
    if (head.trim() === '') return true;
    if (head.startsWith('\uFEFF')) {
      return this.fail(
        'byte-order-mark',
        'The file starts with a byte-order mark (BOM): export as UTF-8 without BOM and import it again.',
      );
    }
    if (looksLikeUtf16(head)) {
      return this.fail(
        'utf-16',
        'The file is encoded as UTF-16: export as UTF-8 without BOM (in Excel: "CSV UTF-8") and import it again.',
      );
    }
    const sample = head.slice(0, SNIFF_CHARS);
    if (head.includes('\u0000') || (sample.match(/\uFFFD/g) ?? []).length * 10 > sample.length) {
      return this.fail(
        'not-csv',
        'The file is not CSV text (it holds binary data): export the report as CSV.',
      );
    }
    this.tokenizer.push(head);
    return !this.error && !this.tokenizer.isStopped;
  }

  private record(fields: string[], line: number): boolean {
    if (this.headers === undefined) {
      this.headers = fields.map((h) => h.trim());
      this.columns = mapColumns(this.headers);
      return true;
    }
    const headers = this.headers;
    const columns = this.columns;
    this.dataRecords++;
    if (fields.length === headers.length) this.rectangular++;
    // Over the limit: stop here, without reading the rest.
    if (this.dataRecords > this.maxRows) return false;
    const nameCol = columns?.own.name;
    if (columns === undefined || nameCol === undefined) return true;
    const row = rowOf(fields, line, nameCol, columns, this.read);
    if (row === undefined) {
      this.skippedCount++;
      if (this.skipped.length < 10) this.skipped.push(line);
      return true;
    }
    this.rows++;
    this.onRow(row);
    return true;
  }

  end():
    | { ok: true; headers: string[]; rowCount: number; warnings: CrossbeamProblem<CrossbeamWarningCode>[] }
    | { ok: false; error: CrossbeamProblem<CrossbeamErrorCode> } {
    if (!this.error && !this.sniffed) this.startWith(this.head);
    if (!this.error) {
      const end = this.tokenizer.end();
      if (!end.ok) this.fail('not-csv', `The file is not valid CSV: ${end.message}.`);
    }
    if (this.error) return { ok: false, error: this.error };
    const headers = this.headers;
    const columns = this.columns;
    if (headers === undefined || columns === undefined) {
      return {
        ok: false,
        error: { code: 'empty', message: 'The file is empty: export the Crossbeam report again.' },
      };
    }
    if (columns.own.name === undefined) {
      if (headers.length === 1 || this.rectangular * 2 < this.dataRecords) {
        return {
          ok: false,
          error: {
            code: 'not-csv',
            message: `The file does not look like a CSV export: ${headers.length === 1 ? 'it has a single column' : 'its lines do not have the same number of columns'} and no account column. Export the Crossbeam report as CSV.`,
          },
        };
      }
      return {
        ok: false,
        error: {
          code: 'no-account-column',
          message: `No account column found: expected one of ${CROSSBEAM_OWN_COLUMNS.name.map((a) => `"${a}"`).join(', ')}. The headers found: ${describeHeaders(headers)}.`,
        },
      };
    }
    if (this.dataRecords > this.maxRows) {
      return {
        ok: false,
        error: {
          code: 'too-many-rows',
          message: `The export has more than ${fmt(this.maxRows)} rows; the import takes at most ${fmt(this.maxRows)} rows. Filter the report (a partner, a population) and export again.`,
        },
      };
    }
    if (this.dataRecords === 0) {
      return { ok: false, error: { code: 'no-rows', message: 'The export has headers but no rows.' } };
    }
    const warnings = [...columns.warnings];
    if (this.dataRecords === CROSSBEAM_IMPORT_LIMITS.freePlanRows) {
      warnings.push({
        code: 'free-plan-truncated',
        message: `The export has exactly ${CROSSBEAM_IMPORT_LIMITS.freePlanRows} rows, the most a free Crossbeam plan exports: it is probably cut short, and accounts may be missing.`,
      });
    }
    const n = this.skippedCount;
    if (n > 0) {
      warnings.push({
        code: 'rows-without-account',
        message: `${n} row${n === 1 ? ' has' : 's have'} no account name and ${n === 1 ? 'was' : 'were'} left out (line${n === 1 ? '' : 's'} ${this.skipped.join(', ')}${n > this.skipped.length ? ', …' : ''}).`,
      });
    }
    if (this.rows === 0) {
      return { ok: false, error: { code: 'no-rows', message: 'No row of the export names an account.' } };
    }
    return { ok: true, headers, rowCount: this.dataRecords, warnings };
  }
}

/**
 * `fn` remembering its last answers: the same cells (a domain, a wrapped date, a population list) repeat on
 * every overlap of an account. At most `max` entries: the memory stays bounded whatever the file.
 */
function memo<T>(fn: (s: string) => T, max = 4096): (s: string | undefined) => T | undefined {
  const cache = new Map<string, T>();
  return (s) => {
    if (s === undefined) return undefined;
    const hit = cache.get(s);
    if (hit !== undefined || cache.has(s)) return hit;
    if (cache.size >= max) cache.clear();
    const value = fn(s);
    cache.set(s, value);
    return value;
  };
}

interface CellReaders {
  domain: (s: string | undefined) => string | undefined;
  date: (s: string | undefined) => IsoDate | undefined;
  list: (s: string | undefined) => readonly string[] | undefined;
}

const cellReaders = (): CellReaders => ({
  domain: memo((s) => normaliseDomain(s)),
  date: memo((s) => normaliseCrossbeamDate(s)),
  list: memo((s) => listCell(s)),
});

/** One CSV record → one overlap row, or undefined when it names no account. */
function rowOf(
  fields: readonly string[],
  line: number,
  nameCol: number,
  columns: ColumnMap,
  read: CellReaders = cellReaders(),
): CrossbeamRow | undefined {
  const cell = (col: number | undefined) => {
    if (col === undefined) return undefined;
    const v = fields[col]?.trim();
    return v === undefined || v === '' || v === '()' ? undefined : v;
  };
  const name = cell(nameCol);
  if (name === undefined) return undefined;
  const own = columns.own;
  const listOf = (col: number | undefined) => {
    const v = cell(col);
    return v === undefined ? [] : (read.list(v) ?? []);
  };
  const row: CrossbeamRow = {
    line,
    name: firstOf(name) ?? name,
    ourPopulations: unique(listOf(own.ourPopulations)),
    partnerPopulations: unique(listOf(own.partnerPopulations)),
    customerOf: unique(listOf(own.customerOf)),
  };
  setIf(row, 'domain', read.domain(cell(own.website)));
  setIf(row, 'partnerName', firstOf(cell(own.partnerName)));
  setIf(row, 'ownerName', firstOf(cell(own.ownerName)));
  setIf(row, 'ownerEmail', firstOf(cell(own.ownerEmail)));
  setIf(row, 'overlapSince', read.date(cell(own.overlapTime)));
  setIf(row, 'opportunitiesAmount', parseAmount(cell(own.opportunitiesAmount)));
  // Partner side: the populations whose columns hold something on this row.
  for (const [population, cols] of columns.partner) {
    const companyName = firstOf(cell(cols.companyName));
    const website = cell(cols.website);
    const ownerName = firstOf(cell(cols.ownerName));
    const ownerEmail = firstOf(cell(cols.ownerEmail));
    if (companyName === undefined && website === undefined && ownerName === undefined) continue;
    if (!row.partnerPopulations.includes(population)) row.partnerPopulations.push(population);
    if (row.partnerCompanyName === undefined) setIf(row, 'partnerCompanyName', companyName);
    if (row.partnerDomain === undefined) setIf(row, 'partnerDomain', read.domain(website));
    if (row.partnerOwnerName === undefined) setIf(row, 'partnerOwnerName', ownerName);
    if (row.partnerOwnerEmail === undefined) setIf(row, 'partnerOwnerEmail', ownerEmail);
  }
  if (row.domain === undefined && row.partnerDomain !== undefined) row.domain = row.partnerDomain;
  return row;
}

/** A Crossbeam CSV export ("Export to CSV" of a report or list), decoded as UTF-8 text, as rows. */
export function parseCrossbeamCsv(text: string, options: CrossbeamParseOptions = {}): CrossbeamParseResult {
  const rows: CrossbeamRow[] = [];
  const reader = new CrossbeamCsvReader((row) => rows.push(row), options);
  reader.push(text);
  const end = reader.end();
  if (!end.ok) return end;
  return { ok: true, rows, headers: end.headers, warnings: end.warnings };
}

/**
 * A single-valued cell: the first value of Crossbeam's wrapped list form `("a" "b")`, else the text as it is
 * (a name such as "Contoso, Inc." keeps its comma).
 */
function firstOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s.startsWith('(') && s.endsWith(')')) return listCell(s)[0];
  return s === '' ? undefined : s;
}

function setIf<K extends keyof CrossbeamRow>(row: CrossbeamRow, key: K, value: CrossbeamRow[K] | undefined) {
  if (value !== undefined) row[key] = value;
}

// ---------------------------------------------------------------------------------------------------------
// API JSON → rows

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The first string among `paths` (dotted) of `item`. */
function pick(item: Json, ...paths: string[]): string | undefined {
  for (const path of paths) {
    let v: unknown = item;
    for (const part of path.split('.')) v = isObject(v) ? v[part] : undefined;
    const s = str(v);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** Population names from a string, an array of strings, or an array of `{ name }`. */
function names(item: Json, ...keys: string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const v = item[key];
    const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
    for (const x of values) {
      const s = isObject(x) ? pick(x, 'name', 'population_name', 'display_name') : str(x);
      if (s !== undefined) out.push(s);
    }
  }
  return unique(out);
}

/** The JSON of Crossbeam's API `GET /v1/overlaps/accounts` (parsed, or as text). */
export function parseCrossbeamJson(json: unknown, options: CrossbeamParseOptions = {}): CrossbeamParseResult {
  const maxRows = options.maxRows ?? CROSSBEAM_IMPORT_LIMITS.maxRows;
  let body = json;
  if (typeof json === 'string') {
    if (json.startsWith('\uFEFF')) {
      return fail(
        'byte-order-mark',
        'The file starts with a byte-order mark (BOM): save it as UTF-8 without BOM.',
      );
    }
    try {
      body = JSON.parse(json);
    } catch {
      return fail('not-json', 'The file is not JSON: expected the response of GET /v1/overlaps/accounts.');
    }
  }
  const items = Array.isArray(body) ? body : isObject(body) ? (body.data ?? body.items) : undefined;
  if (!Array.isArray(items)) {
    const found = isObject(body) ? Object.keys(body) : [];
    return fail(
      'unexpected-json',
      `Expected the overlaps of GET /v1/overlaps/accounts as a list under "data" or "items"; found ${found.length === 0 ? (Array.isArray(body) ? 'a list' : `a ${body === null ? 'null' : typeof body}`) : `the keys ${found.map((k) => `"${k}"`).join(', ')}`}.`,
    );
  }
  if (items.length > maxRows) {
    return fail(
      'too-many-rows',
      `The response has ${fmt(items.length)} overlaps; the import takes at most ${fmt(maxRows)}.`,
    );
  }
  if (items.length === 0) return fail('no-rows', 'The response holds no overlaps.');
  const warnings: CrossbeamProblem<CrossbeamWarningCode>[] = [];
  const rows: CrossbeamRow[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    const at = `item ${i + 1}`;
    if (!isObject(item)) return fail('unexpected-json', `${at} is not an object.`);
    const recordId = str(item.crossbeam_record_id);
    const partnerRecordId = str(item.partner_crossbeam_record_id);
    if (recordId === undefined || partnerRecordId === undefined) {
      return fail(
        'unexpected-json',
        `${at} has no ${recordId === undefined ? 'crossbeam_record_id' : 'partner_crossbeam_record_id'}; its keys: ${Object.keys(
          item,
        )
          .map((k) => `"${k}"`)
          .join(', ')}.`,
      );
    }
    const key = JSON.stringify([recordId, partnerRecordId]);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const name = pick(item, 'name', 'record_name', 'company_name', 'account_name', 'record.name');
    if (name === undefined) return fail('unexpected-json', `${at} has no account name ("name").`);
    const row: CrossbeamRow = {
      line: i + 1,
      name,
      recordId,
      partnerRecordId,
      ourPopulations: names(item, 'populations', 'population', 'our_populations'),
      partnerPopulations: names(item, 'partner_populations', 'partner_population'),
      customerOf: names(item, 'is_a_customer_of', 'customer_of'),
    };
    setIf(
      row,
      'domain',
      normaliseDomain(pick(item, 'domain', 'website', 'company_website', 'record.domain', 'record.website')),
    );
    setIf(row, 'partnerName', pick(item, 'partner_name', 'partner.name', 'partner_organization.name'));
    setIf(
      row,
      'ownerName',
      pick(item, 'account_owner_name', 'owner_name', 'owner.name', 'account_owner.name'),
    );
    setIf(
      row,
      'ownerEmail',
      pick(item, 'account_owner_email', 'owner_email', 'owner.email', 'account_owner.email'),
    );
    setIf(
      row,
      'partnerOwnerName',
      pick(
        item,
        'partner_account_owner_name',
        'partner_owner_name',
        'partner_owner.name',
        'partner_record.owner_name',
      ),
    );
    setIf(
      row,
      'partnerOwnerEmail',
      pick(
        item,
        'partner_account_owner_email',
        'partner_owner_email',
        'partner_owner.email',
        'partner_record.owner_email',
      ),
    );
    setIf(
      row,
      'partnerCompanyName',
      pick(item, 'partner_record_name', 'partner_company_name', 'partner_record.name'),
    );
    setIf(
      row,
      'partnerDomain',
      normaliseDomain(
        pick(item, 'partner_domain', 'partner_website', 'partner_record.domain', 'partner_record.website'),
      ),
    );
    setIf(
      row,
      'overlapSince',
      normaliseCrossbeamDate(pick(item, 'overlap_time', 'overlap_since', 'created_at')),
    );
    if (row.domain === undefined && row.partnerDomain !== undefined) row.domain = row.partnerDomain;
    rows.push(row);
  }
  if (duplicates > 0) {
    warnings.push({
      code: 'duplicate-overlap',
      message: `${duplicates} overlap${duplicates === 1 ? ' was' : 's were'} listed twice (same crossbeam_record_id and partner_crossbeam_record_id) and counted once.`,
    });
  }
  const pagination = isObject(body) ? body.pagination : undefined;
  if (isObject(pagination) && pick(pagination, 'next_href', 'next', 'next_cursor', 'cursor') !== undefined) {
    warnings.push({
      code: 'more-pages',
      message: 'The response is one page of several: the overlaps of the next pages are not in it.',
    });
  }
  const headers = unique(items.filter(isObject).flatMap((it) => Object.keys(it)));
  return { ok: true, rows, headers, warnings };
}

// ---------------------------------------------------------------------------------------------------------
// Grouping

/** One account of ours, with every overlap of it. */
export interface OverlapAccount {
  /** `domain:contoso.com` or `name:contoso consulting`: stable across imports of the same export. */
  key: string;
  name: string;
  domain?: string;
  ourPopulations: string[];
  partnerPopulations: string[];
  /** Partner organisations, when the export names them. */
  partnerNames: string[];
  ownerName?: string;
  ownerEmail?: string;
  partnerOwnerName?: string;
  partnerOwnerEmail?: string;
  partnerCompanyName?: string;
  overlapSince?: IsoDate;
  customerOf: string[];
  recordIds: string[];
  rowCount: number;
}

/** What the rows of one account add up to, from rows with a domain or from rows with only its name. */
interface Tally {
  ourPopulations: Set<string>;
  partnerPopulations: Set<string>;
  partnerNames: Set<string>;
  customerOf: Set<string>;
  recordIds: Set<string>;
  name?: string;
  domain?: string;
  ownerName?: string;
  ownerEmail?: string;
  partnerOwnerName?: string;
  partnerOwnerEmail?: string;
  partnerCompanyName?: string;
  overlapSince?: IsoDate;
  rows: number;
}

const newTally = (): Tally => ({
  ourPopulations: new Set(),
  partnerPopulations: new Set(),
  partnerNames: new Set(),
  customerOf: new Set(),
  recordIds: new Set(),
  rows: 0,
});

function tallyRow(t: Tally, row: CrossbeamRow): void {
  t.rows++;
  for (const v of row.ourPopulations) t.ourPopulations.add(v);
  for (const v of row.partnerPopulations) t.partnerPopulations.add(v);
  for (const v of row.customerOf) t.customerOf.add(v);
  if (row.partnerName !== undefined) t.partnerNames.add(row.partnerName);
  if (row.recordId !== undefined) t.recordIds.add(row.recordId);
  t.name ??= row.name;
  t.domain ??= row.domain;
  t.ownerName ??= row.ownerName;
  t.ownerEmail ??= row.ownerEmail;
  t.partnerOwnerName ??= row.partnerOwnerName;
  t.partnerOwnerEmail ??= row.partnerOwnerEmail;
  t.partnerCompanyName ??= row.partnerCompanyName;
  if (row.overlapSince !== undefined && (t.overlapSince === undefined || row.overlapSince < t.overlapSince))
    t.overlapSince = row.overlapSince;
}

/** `b` after `a`: sets in order, the first value of each field. */
function mergeTally(a: Tally, b: Tally): Tally {
  const union = (x: Set<string>, y: Set<string>) => new Set([...x, ...y]);
  const m: Tally = {
    ourPopulations: union(a.ourPopulations, b.ourPopulations),
    partnerPopulations: union(a.partnerPopulations, b.partnerPopulations),
    partnerNames: union(a.partnerNames, b.partnerNames),
    customerOf: union(a.customerOf, b.customerOf),
    recordIds: union(a.recordIds, b.recordIds),
    rows: a.rows + b.rows,
  };
  const keys = [
    'name',
    'domain',
    'ownerName',
    'ownerEmail',
    'partnerOwnerName',
    'partnerOwnerEmail',
    'partnerCompanyName',
  ] as const;
  for (const k of keys) {
    const v = a[k] ?? b[k];
    if (v !== undefined) m[k] = v;
  }
  const since = [a.overlapSince, b.overlapSince].filter((d): d is IsoDate => d !== undefined).sort()[0];
  if (since !== undefined) m.overlapSince = since;
  return m;
}

interface Group {
  key: string;
  first: number;
  /** Rows with a web domain. */
  byDomain: Tally;
  /** Rows with only the account's name. */
  byName: Tally;
}

/**
 * Rows → accounts as they stream past, by normalised web domain, else by normalised record name (a row
 * without a domain joins the account of the same name that has one, wherever in the file that one is).
 * Keeps one tally per account, never the rows: memory follows the accounts, not the file.
 */
export class OverlapGrouper {
  private readonly groups = new Map<string, Group>();
  /** Normalised name → the key of the first account with a domain of that name. */
  private readonly domainByName = new Map<string, string>();
  private index = 0;
  private readonly nameKey = memo(normaliseRecordName);

  add(row: CrossbeamRow): void {
    const index = this.index++;
    const nameKey = this.nameKey(row.name) ?? '';
    if (row.domain !== undefined) {
      const key = `domain:${row.domain}`;
      let group = this.groups.get(key);
      if (!group) {
        group = { key, first: index, byDomain: newTally(), byName: newTally() };
        this.groups.set(key, group);
      }
      tallyRow(group.byDomain, row);
      if (!this.domainByName.has(nameKey)) {
        this.domainByName.set(nameKey, key);
        // Rows of that name read before: they belong to this account.
        const named = this.groups.get(`name:${nameKey}`);
        if (named) {
          this.groups.delete(named.key);
          group.byName = mergeTally(named.byName, group.byName);
        }
      }
      return;
    }
    const key = this.domainByName.get(nameKey) ?? `name:${nameKey}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, first: index, byDomain: newTally(), byName: newTally() };
      this.groups.set(key, group);
    }
    tallyRow(group.byName, row);
  }

  /** The accounts so far, in the order they first appear. */
  accounts(): OverlapAccount[] {
    return [...this.groups.values()]
      .sort((a, b) => a.first - b.first)
      .map((g) => {
        const t = mergeTally(g.byDomain, g.byName);
        const account: OverlapAccount = {
          key: g.key,
          name: t.name ?? '',
          ourPopulations: [...t.ourPopulations],
          partnerPopulations: [...t.partnerPopulations],
          partnerNames: [...t.partnerNames],
          customerOf: [...t.customerOf],
          recordIds: [...t.recordIds],
          rowCount: t.rows,
        };
        const keys = [
          'domain',
          'ownerName',
          'ownerEmail',
          'partnerOwnerName',
          'partnerOwnerEmail',
          'partnerCompanyName',
          'overlapSince',
        ] as const;
        for (const k of keys) {
          const v = t[k];
          if (v !== undefined) account[k] = v;
        }
        return account;
      });
  }
}

/**
 * Rows → accounts, by normalised web domain, else by normalised record name (a row without a domain joins
 * the account of the same name that has one). In the order accounts first appear.
 */
export function groupOverlapAccounts(rows: readonly CrossbeamRow[]): OverlapAccount[] {
  const grouper = new OverlapGrouper();
  for (const row of rows) grouper.add(row);
  return grouper.accounts();
}

// ---------------------------------------------------------------------------------------------------------
// A whole import, from bytes: the one code path of the API, the tab and the benchmark

export type CrossbeamFormat = 'csv' | 'json';

/** What an import shows before a plan is made of it. */
export interface CrossbeamPreview {
  format: CrossbeamFormat;
  headers: string[];
  /** Data rows (CSV) or items (API JSON) read. */
  rowCount: number;
  accounts: OverlapAccount[];
  /** Partner organisations named by the export, in order of first appearance. */
  partners: string[];
  ourPopulations: string[];
  partnerPopulations: string[];
  /** The export has exactly as many rows as a free Crossbeam plan exports: probably cut short. */
  truncated: boolean;
  warnings: CrossbeamProblem<CrossbeamWarningCode>[];
}

export type CrossbeamImportErrorCode = CrossbeamErrorCode | 'not-utf-8';

export type CrossbeamImportResult =
  | { ok: true; preview: CrossbeamPreview }
  | { ok: false; error: CrossbeamProblem<CrossbeamImportErrorCode> };

export interface CrossbeamImportOptions extends CrossbeamParseOptions {
  /** `auto` (default): JSON when the first character that is not white space is `{` or `[`, else CSV. */
  format?: CrossbeamFormat | 'auto';
}

/**
 * An import fed with the file's bytes chunk by chunk, in order. CSV is decoded, parsed and grouped as it
 * arrives (only the account tallies are kept); API JSON (one page of overlaps) is kept as text and parsed at
 * the end. `push` answers false once reading on is pointless (the outcome is known: an error, or more rows
 * than the limit); `finish` gives the preview or the error.
 *
 * Encoding: UTF-8 only. A UTF-8 byte-order mark, a UTF-16 one (or UTF-16 text without one) and bytes that
 * are not UTF-8 are refused with a sentence saying how to export again.
 */
export class CrossbeamImport {
  private readonly options: CrossbeamImportOptions;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private firstBytes = new Uint8Array(0);
  private started = false;
  private format: CrossbeamFormat | undefined;
  private pendingText = '';
  private jsonText = '';
  private csv: CrossbeamCsvReader | undefined;
  private readonly grouper = new OverlapGrouper();
  private error: CrossbeamProblem<CrossbeamImportErrorCode> | undefined;
  private done = false;
  /** Bytes taken so far. */
  bytesRead = 0;

  constructor(options: CrossbeamImportOptions = {}) {
    this.options = options;
  }

  private fail(code: CrossbeamImportErrorCode, message: string): false {
    this.error ??= { code, message };
    return false;
  }

  push(bytes: Uint8Array): boolean {
    if (this.error || this.done) return false;
    this.bytesRead += bytes.byteLength;
    if (!this.started) {
      // The first bytes say the encoding: wait for three of them.
      const joined = new Uint8Array(this.firstBytes.byteLength + bytes.byteLength);
      joined.set(this.firstBytes);
      joined.set(bytes, this.firstBytes.byteLength);
      if (joined.byteLength < 3) {
        this.firstBytes = joined;
        return true;
      }
      this.started = true;
      this.firstBytes = new Uint8Array(0);
      if (!this.checkByteOrderMark(joined)) return false;
      return this.text(this.decode(joined, true));
    }
    return this.text(this.decode(bytes, true));
  }

  private checkByteOrderMark(b: Uint8Array): boolean {
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      return this.fail(
        'byte-order-mark',
        'The file starts with a byte-order mark (BOM): export as UTF-8 without BOM and import it again.',
      );
    }
    if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
      return this.fail(
        'utf-16',
        'The file is encoded as UTF-16: export as UTF-8 without BOM (in Excel: "CSV UTF-8") and import it again.',
      );
    }
    return true;
  }

  private decode(bytes: Uint8Array, stream: boolean): string | undefined {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      this.fail(
        'not-utf-8',
        'The file is not UTF-8 text: export the report as CSV (in Excel: "CSV UTF-8") and import it again.',
      );
      return undefined;
    }
  }

  private text(text: string | undefined): boolean {
    if (text === undefined || this.error) return false;
    if (this.format === undefined) {
      this.pendingText += text;
      const wanted = this.options.format ?? 'auto';
      if (wanted !== 'auto') this.format = wanted;
      else {
        const first = /\S/.exec(this.pendingText)?.[0];
        if (first === undefined) return true;
        this.format = first === '{' || first === '[' ? 'json' : 'csv';
      }
      text = this.pendingText;
      this.pendingText = '';
    }
    if (this.format === 'json') {
      this.jsonText += text;
      return true;
    }
    this.csv ??= new CrossbeamCsvReader((row) => this.grouper.add(row), this.options);
    const more = this.csv.push(text);
    if (!more) this.done = true;
    return more;
  }

  finish(): CrossbeamImportResult {
    if (!this.error && !this.started && this.firstBytes.byteLength > 0) {
      this.started = true;
      const bytes = this.firstBytes;
      this.firstBytes = new Uint8Array(0);
      if (this.checkByteOrderMark(bytes)) this.text(this.decode(bytes, true));
    }
    if (!this.error && !this.done) this.text(this.decode(new Uint8Array(0), false));
    if (this.error) return { ok: false, error: this.error };
    if (this.format === undefined) this.format = this.options.format === 'json' ? 'json' : 'csv';
    if (this.format === 'json') {
      if (this.jsonText.trim() === '')
        return { ok: false, error: { code: 'empty', message: 'The file is empty.' } };
      const parsed = parseCrossbeamJson(this.jsonText, this.options);
      this.jsonText = '';
      if (!parsed.ok) return parsed;
      for (const row of parsed.rows) this.grouper.add(row);
      return { ok: true, preview: this.preview('json', parsed.headers, parsed.rows.length, parsed.warnings) };
    }
    this.csv ??= new CrossbeamCsvReader((row) => this.grouper.add(row), this.options);
    const end = this.csv.end();
    if (!end.ok) return end;
    return { ok: true, preview: this.preview('csv', end.headers, end.rowCount, end.warnings) };
  }

  private preview(
    format: CrossbeamFormat,
    headers: string[],
    rowCount: number,
    warnings: CrossbeamProblem<CrossbeamWarningCode>[],
  ): CrossbeamPreview {
    const accounts = this.grouper.accounts();
    return {
      format,
      headers,
      rowCount,
      accounts,
      partners: unique(accounts.flatMap((a) => a.partnerNames)),
      ourPopulations: unique(accounts.flatMap((a) => a.ourPopulations)),
      partnerPopulations: unique(accounts.flatMap((a) => a.partnerPopulations)),
      truncated: warnings.some((w) => w.code === 'free-plan-truncated'),
      warnings,
    };
  }
}

/** A whole file at once (a string is taken as its UTF-8 bytes). */
export function importCrossbeam(
  file: Uint8Array | string,
  options: CrossbeamImportOptions = {},
): CrossbeamImportResult {
  const bytes = typeof file === 'string' ? new TextEncoder().encode(file) : file;
  const run = new CrossbeamImport(options);
  run.push(bytes);
  return run.finish();
}

// ---------------------------------------------------------------------------------------------------------
// Draft plan

/** An owner the person names or completes in the import: matched to the export's owner of that side and name. */
export interface OwnerInput {
  side: 'vendor' | 'partner';
  /** The name as the export writes it (or a new owner's full name). */
  name: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

export interface DraftPlanOptions {
  today: IsoDate;
  partnerName: string;
  title?: string;
  /**
   * Emails (and names) for the owners: an owner of the export with the same side and name gets them; one
   * the export does not name is added as the owner of that side for every picked account.
   */
  owners?: readonly OwnerInput[];
}

/** An owner named by the export whose email is unknown (or whose name is one word): the user adds them. */
export interface NeededOwner {
  side: 'vendor' | 'partner';
  role: Role;
  name: string;
  firstName?: string;
  lastName?: string;
  partnerId?: string;
  accountIds: string[];
  reason: string;
}

export type DraftPlanResult =
  | { ok: true; plan: PlanContent; needsOwners: NeededOwner[] }
  | { ok: false; error: { code: 'pick-count' | 'no-domain' | 'over-limit' | 'invalid'; message: string } };

/** `contoso.com` → `acc-contoso_com`: a domain has no "_", so distinct domains give distinct ids. */
export function accountIdForDomain(domain: string): string {
  return `acc-${domain.replace(/\./g, '_')}`;
}

/** FNV-1a, 32-bit, as 8 hex digits: a stable short id part for text that has no ASCII slug. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function slug(s: string, max: number): string {
  const out = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return out === '' ? hash(s) : out;
}

/** "Maya Okafor" → Maya / Okafor; "Jean Paul Sartre" → Jean / Paul Sartre; one word → no split. */
export function splitPersonName(name: string): { firstName: string; lastName: string } | undefined {
  const parts = name
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  const [first, ...rest] = parts;
  if (first === undefined || rest.length === 0) return undefined;
  return { firstName: first, lastName: rest.join(' ') };
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A draft co-sell plan from 1 to 5 picked accounts: the shared accounts with their overlap source, one
 * partner, and the owners as people when their email is known. Owners without an email are returned in
 * `needsOwners` (an email is never invented). Nothing is truncated: text over a limit is an error naming it.
 * Ids derive from domains and names, so the same export gives the same plan.
 */
export function draftPlanFromOverlaps(
  accounts: readonly OverlapAccount[],
  options: DraftPlanOptions,
): DraftPlanResult {
  const { min, max } = LIMITS.accounts;
  if (accounts.length < min || accounts.length > max) {
    return {
      ok: false,
      error: {
        code: 'pick-count',
        message: `Pick ${min} to ${max} accounts: a plan has at most ${max} shared accounts so it fits one printed page (${accounts.length} picked).`,
      },
    };
  }
  if (!isIsoDate(options.today)) {
    return { ok: false, error: { code: 'invalid', message: `"${options.today}" is not a YYYY-MM-DD date.` } };
  }
  const noDomain = accounts.filter((a) => a.domain === undefined).map((a) => `"${a.name}"`);
  if (noDomain.length > 0) {
    return {
      ok: false,
      error: {
        code: 'no-domain',
        message: `${noDomain.join(', ')} ${noDomain.length === 1 ? 'has' : 'have'} no web domain: add a website column to the export or pick another account.`,
      },
    };
  }
  const partnerName = options.partnerName.trim();
  const tooLong: string[] = [];
  const check = (value: string, limit: number, what: string) => {
    if (value.length > limit)
      tooLong.push(`${what} "${value}" is ${value.length} characters (limit ${limit})`);
  };
  check(partnerName, LIMITS.partnerName, 'the partner name');
  if (partnerName === '') tooLong.push('the partner name is required');
  if (options.title !== undefined) check(options.title.trim(), LIMITS.title, 'the plan title');

  const partnerId = `p-${slug(partnerName, 24)}`;
  const shared: SharedAccount[] = [];
  const seenIds = new Set<string>();
  for (const a of accounts) {
    const domain = a.domain ?? '';
    const id = accountIdForDomain(domain);
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    check(a.name, LIMITS.accountName, 'the account name');
    check(domain, LIMITS.domain, 'the web domain');
    const population = a.ourPopulations[0];
    const partnerPopulation = a.partnerPopulations[0];
    const recordId = a.recordIds[0];
    if (population !== undefined) check(population, LIMITS.overlapSourceText, 'the population');
    if (partnerPopulation !== undefined)
      check(partnerPopulation, LIMITS.overlapSourceText, 'the partner population');
    if (recordId !== undefined) check(recordId, LIMITS.externalId, 'the Crossbeam record id');
    shared.push({
      id,
      name: a.name,
      domain,
      overlapSource: {
        system: 'crossbeam',
        ...(population === undefined ? {} : { population }),
        ...(partnerPopulation === undefined ? {} : { partnerPopulation }),
        ...(recordId === undefined ? {} : { recordId }),
      },
      addedOn: options.today,
    });
  }

  const people: PlanContent['people'] = [];
  const needsOwners: NeededOwner[] = [];
  const owners = new Map<string, NeededOwner & { email?: string }>();
  const collect = (
    side: 'vendor' | 'partner',
    name: string | undefined,
    email: string | undefined,
    accountId: string,
  ) => {
    if (name === undefined) return;
    const key = `${side}:${normaliseRecordName(name)}`;
    const known = owners.get(key);
    if (known) {
      if (!known.accountIds.includes(accountId)) known.accountIds.push(accountId);
      if (known.email === undefined && email !== undefined && EMAIL_RE.test(email)) known.email = email;
      return;
    }
    const split = splitPersonName(name);
    owners.set(key, {
      side,
      role: side === 'vendor' ? 'account-executive' : 'partner-counterpart',
      name,
      ...(split ?? {}),
      ...(side === 'partner' ? { partnerId } : {}),
      accountIds: [accountId],
      reason: '',
      ...(email !== undefined && EMAIL_RE.test(email) ? { email } : {}),
    });
  };
  for (const a of accounts) {
    const id = accountIdForDomain(a.domain ?? '');
    collect('vendor', a.ownerName, a.ownerEmail, id);
    // The partner-side owner is this partner's only when the account's overlaps are with this partner (or
    // the export does not say with whom): another partner's account owner is not made this partner's.
    const partners = a.partnerNames.map(normaliseRecordName);
    if (partners.length === 0 || partners.includes(normaliseRecordName(partnerName))) {
      collect('partner', a.partnerOwnerName, a.partnerOwnerEmail, id);
    }
  }
  const badEmails: string[] = [];
  for (const given of options.owners ?? []) {
    const name = given.name.trim();
    if (name === '') continue;
    const key = `${given.side}:${normaliseRecordName(name)}`;
    if (!owners.has(key)) {
      for (const a of shared) collect(given.side, name, undefined, a.id);
    }
    const owner = owners.get(key);
    if (!owner) continue;
    const email = given.email.trim();
    if (email !== '') {
      if (EMAIL_RE.test(email)) owner.email = email;
      else badEmails.push(`"${email}" given for ${name} is not an email address`);
    }
    const first = given.firstName?.trim();
    const last = given.lastName?.trim();
    if (first) owner.firstName = first;
    if (last) {
      owner.lastName = last;
      // A one-word name from the export is the first name once the last name is given.
      owner.firstName ??= name;
    }
  }
  const emails = new Set<string>();
  const personIds = new Set<string>();
  for (const owner of owners.values()) {
    const { email, ...needed } = owner;
    if (owner.firstName === undefined || owner.lastName === undefined) {
      needsOwners.push({
        ...needed,
        reason: 'only one name is known: add the first and last name and the email',
      });
      continue;
    }
    if (email === undefined) {
      needsOwners.push({ ...needed, reason: 'the email is not in the export: add it' });
      continue;
    }
    if (emails.has(email.toLowerCase())) {
      needsOwners.push({ ...needed, reason: `${email} is given for another owner too: add their own email` });
      continue;
    }
    emails.add(email.toLowerCase());
    check(owner.firstName, LIMITS.personName, 'the first name');
    check(owner.lastName, LIMITS.personName, 'the last name');
    check(email, LIMITS.email, 'the email address');
    let personId = `${owner.side === 'vendor' ? 'v' : partnerId}-${slug(owner.name, 30)}`;
    if (personIds.has(personId)) personId = `${personId}-${hash(owner.name)}`;
    personIds.add(personId);
    people.push({
      id: personId,
      firstName: owner.firstName,
      lastName: owner.lastName,
      email,
      role: owner.role,
      side: owner.side,
      ...(owner.side === 'partner' ? { partnerId } : {}),
    });
  }
  if (badEmails.length > 0) {
    return { ok: false, error: { code: 'invalid', message: `${badEmails.join('; ')}.` } };
  }
  if (tooLong.length > 0) {
    return {
      ok: false,
      error: {
        code: 'over-limit',
        message: `Too long for the one-page plan: ${tooLong.join('; ')}. Shorten it in Crossbeam or edit it after the import.`,
      },
    };
  }

  const plan = {
    title: options.title?.trim() ?? defaultTitle(shared, partnerName),
    status: 'draft' as const,
    motion: 'co-sell' as const,
    channelIds: [],
    accounts: shared,
    partners: [{ id: partnerId, name: partnerName }],
    people,
    milestones: [],
    actions: [],
    economics: [],
    escalation: { thresholdDays: LIMITS.stallThresholdDays.default, vendorChain: [], partnerChains: [] },
  };
  const parsed = PlanContent.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid',
        message: `The draft plan is not valid: ${issue === undefined ? 'unknown' : `${issue.path.join('.')}: ${issue.message}`}.`,
      },
    };
  }
  return { ok: true, plan: parsed.data, needsOwners };
}

function defaultTitle(accounts: readonly SharedAccount[], partnerName: string): string {
  const first = accounts[0]?.name ?? '';
  const more = accounts.length > 1 ? ` +${accounts.length - 1}` : '';
  const long = `Co-sell with ${partnerName}: ${first}${more}`;
  // Account names (40) and partner names (32) are limited, so the short form always fits the title (80).
  return long.length <= LIMITS.title ? long : `${first}${more} — ${partnerName}`;
}
