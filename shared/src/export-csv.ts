import { daysBetween, type IsoDate, isIsoDate } from './dates';
import type { PlanSummary } from './health';

/**
 * CSV exports (issue 10, "Exports"): the portfolio as CSV, written per RFC 4180 and safe to open in a
 * spreadsheet.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
 * as a formula, and a leading tab or CR can hide such a start. `neutralizeCell` prefixes such a cell with a
 * single quote `'` so the spreadsheet shows it as text.
 *
 * Decisions:
 * - A cell is neutralised when its FIRST character is a trigger, and also when its first character after
 *   leading white space (spaces, LF, no-break spaces and other Unicode white space) is one: some importers
 *   trim leading spaces ("Trim spaces" in LibreOffice), after which ` =1+1` is a formula again.
 * - Text that happens to look like a negative number ("-5%", "-2") is neutralised too: a text cell is never
 *   guessed to be harmless. Numbers this module writes itself (counts, day spans) are written as numbers
 *   and are not passed through `neutralizeCell`.
 * - `toCsv` only quotes (it does not neutralise): callers neutralise the text cells they take from users,
 *   as `portfolioCsv` does, so that numbers they emit stay numbers.
 */

/** The characters that make a spreadsheet read a cell as a formula when they start it. */
export const CSV_FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

const LEADING_WHITESPACE = /^[\s\uFEFF]*/u;

/** `value` with a leading `'` when a spreadsheet would otherwise run it as a formula; else unchanged. */
export function neutralizeCell(value: string): string {
  if (value === '') return value;
  if (CSV_FORMULA_TRIGGERS.includes(value.charAt(0))) return `'${value}`;
  const rest = value.replace(LEADING_WHITESPACE, '');
  if (rest !== '' && CSV_FORMULA_TRIGGERS.includes(rest.charAt(0))) return `'${value}`;
  return value;
}

export interface CsvOptions {
  /** Start the text with a UTF-8 byte-order mark (U+FEFF), which older Excel needs to read UTF-8. Off by default. */
  bom?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/**
 * Rows → RFC 4180 text: fields separated by commas, every record (the last one too) ended by CRLF; a field
 * holding `"`, `,`, CR or LF is wrapped in double quotes with inner quotes doubled. A row of one empty field
 * (or no field) is written as `""` so that it is not read back as a blank line and dropped.
 * Does not neutralise formulas: see `neutralizeCell`.
 */
export function toCsv(rows: readonly (readonly string[])[], options: CsvOptions = {}): string {
  const body = rows
    .map((row) =>
      row.length === 0 || (row.length === 1 && row[0] === '') ? '""' : row.map(csvField).join(','),
    )
    .map((line) => `${line}\r\n`)
    .join('');
  return options.bom ? `\uFEFF${body}` : body;
}

export const PORTFOLIO_CSV_HEADER = [
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
] as const;

export interface PortfolioCsvOptions extends CsvOptions {
  /** The day of the export, for "Days since last review". */
  today: IsoDate;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function lateCell(late: PlanSummary['late']): string {
  return late
    .map((s) => {
      const parts = [
        ...(s.actions > 0 ? [plural(s.actions, 'action')] : []),
        ...(s.milestones > 0 ? [plural(s.milestones, 'milestone')] : []),
      ];
      return `${s.label}: ${parts.join(', ')}`;
    })
    .join('; ');
}

/** One portfolio row: text cells neutralised, the day count written as a number. */
export function portfolioRow(summary: PlanSummary, today: IsoDate): string[] {
  const text = [
    summary.title,
    summary.status,
    summary.motion,
    summary.accounts.map((a) => a.name).join('; '),
    summary.partners.map((p) => p.name).join('; '),
    yesNo(summary.stalled),
    yesNo(summary.decaying),
    yesNo(summary.complete),
    summary.missing.map((g) => g.message).join('; '),
    lateCell(summary.late),
    summary.nextMilestone?.title ?? '',
    summary.nextMilestone?.due ?? '',
    summary.lastReviewedOn ?? '',
  ].map(neutralizeCell);
  const days = summary.lastReviewedOn === undefined ? '' : String(daysBetween(summary.lastReviewedOn, today));
  const cadence = [
    summary.cadence?.weekday ?? '',
    summary.cadence?.time ?? '',
    summary.cadence?.timeZone ?? '',
  ].map(neutralizeCell);
  return [...text, days, ...cadence];
}

/**
 * The portfolio as CSV: a header row (`PORTFOLIO_CSV_HEADER`), then one row per plan in the order given.
 *
 * The export shows exactly what it is given. It MUST be given the reader's redacted summaries — each one
 * passed through `redactSummaryFor(summary, side)` (access.ts) for the reader's side — never the stored
 * ones, or a partner would read another partner's economics gaps.
 */
export function portfolioCsv(summaries: readonly PlanSummary[], options: PortfolioCsvOptions): string {
  if (!isIsoDate(options.today))
    throw new RangeError(`today must be a date YYYY-MM-DD, got "${options.today}"`);
  const rows = [[...PORTFOLIO_CSV_HEADER], ...summaries.map((s) => portfolioRow(s, options.today))];
  return toCsv(rows, options.bom === undefined ? {} : { bom: options.bom });
}
