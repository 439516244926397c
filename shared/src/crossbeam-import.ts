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
// RFC 4180 CSV

export type CsvParseResult =
  | { ok: true; records: { line: number; fields: string[] }[] }
  | { ok: false; message: string };

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF and a lone CR accepted too); a field in double
 * quotes may hold commas, line breaks and doubled quotes (""). Lenient where the RFC is silent: a quote inside
 * an unquoted field is kept as text. Blank lines are skipped. Stops after `maxRecords` records (the caller
 * then knows the file is over its limit without reading the rest).
 */
export function parseCsv(text: string, maxRecords = Number.POSITIVE_INFINITY): CsvParseResult {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  let quotedFieldLine = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < n && records.length < maxRecords) {
    const c = text[i];
    if (c === '"' && field === '') {
      // A quoted field.
      quotedFieldLine = line;
      i++;
      let closed = false;
      while (i < n) {
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      if (!closed) {
        return { ok: false, message: `a quoted field opened on line ${quotedFieldLine} is never closed` };
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (records.length < maxRecords && (field !== '' || fields.length > 0)) endRecord();
  return { ok: true, records };
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

/** A Crossbeam CSV export ("Export to CSV" of a report or list), decoded as UTF-8 text. */
export function parseCrossbeamCsv(text: string, options: CrossbeamParseOptions = {}): CrossbeamParseResult {
  const maxRows = options.maxRows ?? CROSSBEAM_IMPORT_LIMITS.maxRows;
  if (text.trim() === '') return fail('empty', 'The file is empty: export the Crossbeam report again.');
  if (text.startsWith('\uFEFF')) {
    return fail(
      'byte-order-mark',
      'The file starts with a byte-order mark (BOM): export as UTF-8 without BOM and import it again.',
    );
  }
  if (looksLikeUtf16(text)) {
    return fail(
      'utf-16',
      'The file is encoded as UTF-16: export as UTF-8 without BOM (in Excel: "CSV UTF-8") and import it again.',
    );
  }
  const sample = text.slice(0, 2000);
  if (text.includes('\u0000') || (sample.match(/\uFFFD/g) ?? []).length * 10 > sample.length) {
    return fail('not-csv', 'The file is not CSV text (it holds binary data): export the report as CSV.');
  }
  const csv = parseCsv(text, maxRows + 2);
  if (!csv.ok) return fail('not-csv', `The file is not valid CSV: ${csv.message}.`);
  const [head, ...records] = csv.records;
  if (head === undefined) return fail('empty', 'The file is empty: export the Crossbeam report again.');
  const headers = head.fields.map((h) => h.trim());
  const columns = mapColumns(headers);
  const nameCol = columns.own.name;
  if (nameCol === undefined) {
    const rectangular = records.filter((r) => r.fields.length === headers.length).length;
    if (headers.length === 1 || rectangular * 2 < records.length) {
      return fail(
        'not-csv',
        `The file does not look like a CSV export: ${headers.length === 1 ? 'it has a single column' : 'its lines do not have the same number of columns'} and no account column. Export the Crossbeam report as CSV.`,
      );
    }
    return fail(
      'no-account-column',
      `No account column found: expected one of ${CROSSBEAM_OWN_COLUMNS.name.map((a) => `"${a}"`).join(', ')}. The headers found: ${describeHeaders(headers)}.`,
    );
  }
  if (records.length > maxRows) {
    return fail(
      'too-many-rows',
      `The export has more than ${fmt(maxRows)} rows; the import takes at most ${fmt(maxRows)} rows. Filter the report (a partner, a population) and export again.`,
    );
  }
  if (records.length === 0) return fail('no-rows', 'The export has headers but no rows.');

  const warnings = [...columns.warnings];
  if (records.length === CROSSBEAM_IMPORT_LIMITS.freePlanRows) {
    warnings.push({
      code: 'free-plan-truncated',
      message: `The export has exactly ${CROSSBEAM_IMPORT_LIMITS.freePlanRows} rows, the most a free Crossbeam plan exports: it is probably cut short, and accounts may be missing.`,
    });
  }
  const rows: CrossbeamRow[] = [];
  const skipped: number[] = [];
  for (const record of records) {
    const cell = (col: number | undefined) => {
      if (col === undefined) return undefined;
      const v = record.fields[col]?.trim();
      return v === undefined || v === '' || v === '()' ? undefined : v;
    };
    const name = cell(nameCol);
    if (name === undefined) {
      skipped.push(record.line);
      continue;
    }
    const own = columns.own;
    const listOf = (col: number | undefined) => {
      const v = cell(col);
      return v === undefined ? [] : listCell(v);
    };
    const row: CrossbeamRow = {
      line: record.line,
      name: listCell(name)[0] ?? name,
      ourPopulations: unique(listOf(own.ourPopulations)),
      partnerPopulations: unique(listOf(own.partnerPopulations)),
      customerOf: unique(listOf(own.customerOf)),
    };
    setIf(row, 'domain', normaliseDomain(cell(own.website)));
    setIf(row, 'partnerName', firstOf(cell(own.partnerName)));
    setIf(row, 'ownerName', firstOf(cell(own.ownerName)));
    setIf(row, 'ownerEmail', firstOf(cell(own.ownerEmail)));
    setIf(row, 'overlapSince', normaliseCrossbeamDate(cell(own.overlapTime)));
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
      if (row.partnerDomain === undefined) setIf(row, 'partnerDomain', normaliseDomain(website));
      if (row.partnerOwnerName === undefined) setIf(row, 'partnerOwnerName', ownerName);
      if (row.partnerOwnerEmail === undefined) setIf(row, 'partnerOwnerEmail', ownerEmail);
    }
    if (row.domain === undefined && row.partnerDomain !== undefined) row.domain = row.partnerDomain;
    rows.push(row);
  }
  if (skipped.length > 0) {
    warnings.push({
      code: 'rows-without-account',
      message: `${skipped.length} row${skipped.length === 1 ? ' has' : 's have'} no account name and ${skipped.length === 1 ? 'was' : 'were'} left out (line${skipped.length === 1 ? '' : 's'} ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ', …' : ''}).`,
    });
  }
  if (rows.length === 0) return fail('no-rows', 'No row of the export names an account.');
  return { ok: true, rows, headers, warnings };
}

function firstOf(v: string | undefined): string | undefined {
  return v === undefined ? undefined : listCell(v)[0];
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

/**
 * Rows → accounts, by normalised web domain, else by normalised record name (a row without a domain joins
 * the account of the same name that has one). In the order accounts first appear.
 */
export function groupOverlapAccounts(rows: readonly CrossbeamRow[]): OverlapAccount[] {
  const groups = new Map<string, { first: number; rows: CrossbeamRow[] }>();
  const domainByName = new Map<string, string>();
  const add = (key: string, row: CrossbeamRow, index: number) => {
    const g = groups.get(key);
    if (g) g.rows.push(row);
    else groups.set(key, { first: index, rows: [row] });
  };
  rows.forEach((row, index) => {
    if (row.domain === undefined) return;
    const key = `domain:${row.domain}`;
    add(key, row, index);
    const nameKey = normaliseRecordName(row.name);
    if (!domainByName.has(nameKey)) domainByName.set(nameKey, key);
  });
  rows.forEach((row, index) => {
    if (row.domain !== undefined) return;
    const nameKey = normaliseRecordName(row.name);
    add(domainByName.get(nameKey) ?? `name:${nameKey}`, row, index);
  });
  return [...groups.entries()]
    .sort(([, a], [, b]) => a.first - b.first)
    .map(([key, g]) => {
      const firstDefined = <T>(f: (r: CrossbeamRow) => T | undefined): T | undefined => {
        for (const r of g.rows) {
          const v = f(r);
          if (v !== undefined) return v;
        }
        return undefined;
      };
      const withDomain = g.rows.find((r) => r.domain !== undefined);
      const account: OverlapAccount = {
        key,
        name: (withDomain ?? g.rows[0] ?? { name: '' }).name,
        ourPopulations: unique(g.rows.flatMap((r) => r.ourPopulations)),
        partnerPopulations: unique(g.rows.flatMap((r) => r.partnerPopulations)),
        partnerNames: unique(g.rows.flatMap((r) => (r.partnerName === undefined ? [] : [r.partnerName]))),
        customerOf: unique(g.rows.flatMap((r) => r.customerOf)),
        recordIds: unique(g.rows.flatMap((r) => (r.recordId === undefined ? [] : [r.recordId]))),
        rowCount: g.rows.length,
      };
      const set = <K extends keyof OverlapAccount>(k: K, v: OverlapAccount[K] | undefined) => {
        if (v !== undefined) account[k] = v;
      };
      set('domain', withDomain?.domain);
      set(
        'ownerName',
        firstDefined((r) => r.ownerName),
      );
      set(
        'ownerEmail',
        firstDefined((r) => r.ownerEmail),
      );
      set(
        'partnerOwnerName',
        firstDefined((r) => r.partnerOwnerName),
      );
      set(
        'partnerOwnerEmail',
        firstDefined((r) => r.partnerOwnerEmail),
      );
      set(
        'partnerCompanyName',
        firstDefined((r) => r.partnerCompanyName),
      );
      const dates = g.rows.flatMap((r) => (r.overlapSince === undefined ? [] : [r.overlapSince])).sort();
      set('overlapSince', dates[0]);
      return account;
    });
}

// ---------------------------------------------------------------------------------------------------------
// Draft plan

export interface DraftPlanOptions {
  today: IsoDate;
  partnerName: string;
  title?: string;
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
    collect('partner', a.partnerOwnerName, a.partnerOwnerEmail, id);
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
