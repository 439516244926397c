import { createHash } from 'node:crypto';
import type { HistoryEntry, Plan } from '@cosell/shared';
import { planIndex } from '@cosell/shared';

/*
 * The SharePoint lists that hold the plans, designed for SharePoint's real limits
 * (reference/graph-contract.md §2.4, §2.12):
 *
 * - "Plans": one item per plan. The whole plan document is in the item (read in one request, written in
 *   one request with If-Match on the item's eTag); the columns the app filters on are indexed (a filter on
 *   a non-indexed column is refused, and a list past 5,000 items refuses any query that would scan more).
 *   The plan id sits in a unique indexed column, so a create retried after a lost answer cannot make a
 *   second plan. Each item version carries the history entry of the write that made it: the history is
 *   the item's version history, written in the same request as the plan. A deleted plan stays as a
 *   tombstone (status "deleted", no document) so its id stays taken and its history stays readable.
 * - "Plan members": one item per person (email, side, role) and per channel of a plan, for "my plans",
 *   the channel tab and access checks; a derived index the plan documents are the truth for.
 *
 * Dates are ISO text (YYYY-MM-DD), which sorts as it reads: a date-only column is stored at midnight in
 * the site's time zone and read back as a UTC instant, which would shift days.
 */

export const NEVER = '9999-12-31';
export const DELETED = 'deleted';
/** [OBS] multi-line text holds up to 63,999 characters; a document longer than one column spans several. */
export const CHUNK_LENGTH = 60_000;
const DOC_COLUMNS = 4;
const CHANGE_COLUMNS = 2;

export type ColumnKind = 'text' | 'multiline' | 'number' | 'choice';

export interface ColumnSpec {
  name: string;
  description: string;
  kind: ColumnKind;
  indexed: boolean;
  unique?: boolean;
  maxLength?: number;
  choices?: readonly string[];
}

export interface ListSpec {
  displayName: string;
  description: string;
  columns: readonly ColumnSpec[];
}

export interface ListDesign {
  plans: ListSpec;
  members: ListSpec;
}

export const DEFAULT_LIST_PREFIX = 'Co-Sell';

function chunkColumns(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? prefix : `${prefix}${i + 1}`));
}

export const DOC_FIELDS = chunkColumns('PlanDoc', DOC_COLUMNS);
export const CHANGE_FIELDS = chunkColumns('ChangeEntry', CHANGE_COLUMNS);

/** The two lists, named `<prefix> Plans` and `<prefix> Plan Members`. */
export function listDesign(prefix: string = DEFAULT_LIST_PREFIX): ListDesign {
  const date = (name: string, description: string): ColumnSpec => ({
    name,
    description,
    kind: 'text',
    indexed: true,
    maxLength: 10,
  });
  return {
    plans: {
      displayName: `${prefix} Plans`,
      description: 'Co-Sell Plan: one item per plan. Written by the app; edit plans in the app, not here.',
      columns: [
        {
          name: 'PlanId',
          description: 'The plan id (unique).',
          kind: 'text',
          indexed: true,
          unique: true,
          maxLength: 64,
        },
        { name: 'PlanVersion', description: 'The plan version.', kind: 'number', indexed: false },
        {
          name: 'PlanStatus',
          description: 'draft, active, paused, won, lost; deleted for a deleted plan.',
          kind: 'choice',
          indexed: true,
          choices: ['draft', 'active', 'paused', 'won', 'lost', DELETED],
        },
        date(
          'StallsOn',
          `The first day the plan counts as stalled if nothing moves; ${NEVER} when it cannot stall.`,
        ),
        date('NextMilestoneDue', 'The due date of the next open milestone.'),
        date('LastReviewedOn', 'The day of the last weekly review.'),
        { name: 'CrmDealId', description: 'The CRM deal id.', kind: 'text', indexed: true, maxLength: 255 },
        ...DOC_FIELDS.map(
          (name): ColumnSpec => ({
            name,
            description: 'The plan document (JSON).',
            kind: 'multiline',
            indexed: false,
          }),
        ),
        ...CHANGE_FIELDS.map(
          (name): ColumnSpec => ({
            name,
            description: 'The history entry of the change that made this version (JSON).',
            kind: 'multiline',
            indexed: false,
          }),
        ),
      ],
    },
    members: {
      displayName: `${prefix} Plan Members`,
      description: 'Co-Sell Plan: who and which channels each plan names. Derived from the plans by the app.',
      columns: [
        { name: 'PlanId', description: 'The plan id.', kind: 'text', indexed: true, maxLength: 64 },
        {
          name: 'PlanCreated',
          description: 'When the plan was created (orders "my plans").',
          kind: 'text',
          indexed: false,
          maxLength: 40,
        },
        { name: 'Person', description: 'Email, lower case.', kind: 'text', indexed: true, maxLength: 255 },
        {
          name: 'Side',
          description: 'vendor, partner or buyer.',
          kind: 'choice',
          indexed: true,
          choices: ['vendor', 'partner', 'buyer'],
        },
        { name: 'Role', description: 'The role on the plan.', kind: 'text', indexed: true, maxLength: 64 },
        {
          name: 'ChannelId',
          description: 'A Teams channel the plan is shown in.',
          kind: 'text',
          indexed: true,
          maxLength: 255,
        },
        {
          name: 'MemberKey',
          description: 'One row per plan and member (unique).',
          kind: 'text',
          indexed: true,
          unique: true,
          maxLength: 64,
        },
      ],
    },
  };
}

/** The columnDefinition Graph takes for a column (POST …/lists/{id}/columns). */
export function columnDefinition(column: ColumnSpec): Record<string, unknown> {
  const common = {
    name: column.name,
    displayName: column.name,
    description: column.description,
    indexed: column.indexed,
    enforceUniqueValues: column.unique === true,
    hidden: false,
  };
  switch (column.kind) {
    case 'text':
      return {
        ...common,
        text: { allowMultipleLines: false, maxLength: column.maxLength ?? 255, textType: 'plain' },
      };
    case 'multiline':
      return {
        ...common,
        text: {
          allowMultipleLines: true,
          appendChangesToExistingText: false,
          linesForEditing: 6,
          textType: 'plain',
        },
      };
    case 'number':
      return { ...common, number: { decimalPlaces: 'none', displayAs: 'number' } };
    case 'choice':
      return {
        ...common,
        choice: { allowTextEntry: false, choices: [...(column.choices ?? [])], displayAs: 'dropDownMenu' },
      };
  }
}

/** `text` spread over `columns` in pieces of CHUNK_LENGTH; unused columns are cleared (null). */
export function spread(text: string, columns: readonly string[]): Record<string, string | null> {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + CHUNK_LENGTH);
    // Never split a surrogate pair.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(at, end));
    at = end;
  }
  if (pieces.length > columns.length) {
    throw new Error(`${text.length} characters do not fit in ${columns.length} columns of ${CHUNK_LENGTH}`);
  }
  return Object.fromEntries(columns.map((name, i) => [name, pieces[i] ?? null]));
}

export function gather(fields: Record<string, unknown>, columns: readonly string[]): string {
  return columns.map((name) => (typeof fields[name] === 'string' ? (fields[name] as string) : '')).join('');
}

/** The field values of a plan item: index columns, the document, and the history entry of this write. */
export function planFields(plan: Plan, entry: HistoryEntry): Record<string, unknown> {
  const index = planIndex(plan);
  return {
    Title: plan.title.slice(0, 255),
    PlanId: plan.id,
    PlanVersion: plan.version,
    PlanStatus: index.status,
    StallsOn: index.stallsOn ?? NEVER,
    NextMilestoneDue: index.nextMilestoneDue,
    LastReviewedOn: index.lastReviewedOn,
    CrmDealId: index.crmDealId,
    ...spread(JSON.stringify(plan), DOC_FIELDS),
    ...spread(JSON.stringify(entry), CHANGE_FIELDS),
  };
}

/** A deleted plan: no document, no index values, the delete entry as this version's history. */
export function tombstoneFields(entry: HistoryEntry): Record<string, unknown> {
  return {
    PlanStatus: DELETED,
    StallsOn: null,
    NextMilestoneDue: null,
    LastReviewedOn: null,
    CrmDealId: null,
    ...spread('', DOC_FIELDS),
    ...spread(JSON.stringify(entry), CHANGE_FIELDS),
  };
}

export interface MemberRow {
  key: string;
  fields: Record<string, unknown>;
}

function memberKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** The rows of the members list a plan should have: one per person (email, side, role) and per channel. */
export function memberRows(plan: Plan): MemberRow[] {
  const rows = new Map<string, MemberRow>();
  const base = { PlanId: plan.id, PlanCreated: plan.createdAt };
  for (const person of plan.people) {
    const email = person.email.toLowerCase();
    const key = memberKey(plan.id, 'person', email, person.side, person.role);
    rows.set(key, {
      key,
      fields: {
        ...base,
        Title: `${email} (${person.side}, ${person.role})`.slice(0, 255),
        Person: email,
        Side: person.side,
        Role: person.role,
        MemberKey: key,
      },
    });
  }
  for (const channelId of new Set(plan.channelIds)) {
    const key = memberKey(plan.id, 'channel', channelId);
    rows.set(key, {
      key,
      fields: { ...base, Title: `channel ${channelId}`.slice(0, 255), ChannelId: channelId, MemberKey: key },
    });
  }
  return [...rows.values()];
}
