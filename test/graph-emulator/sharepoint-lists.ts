import { randomUUID } from 'node:crypto';
import {
  conjuncts,
  evaluate,
  type FieldRef,
  type FilterNode,
  FilterSyntaxError,
  fieldsOf,
  parseFilter,
} from './odata-filter';

/*
 * SharePoint lists as Graph shows them (reference/graph-contract.md §2): lists and columns, items with
 * `fields`, eTags `"guid,version"` with If-Match → 412, item versions, `$filter` that refuses a
 * non-indexed column unless the documented Prefer header is sent, `$top` and `@odata.nextLink` paging,
 * and the 5,000-row list view threshold counted as rows *scanned*. Every handler answers a GraphAnswer;
 * the HTTP layer (emulator.ts) adds authentication, faults, `$batch` and counting.
 */

export interface GraphAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface IncomingGraphRequest {
  method: string;
  /** Path segments after /v1.0, decoded. */
  segments: string[];
  query: URLSearchParams;
  header(name: string): string | undefined;
  body: unknown;
}

export interface ThresholdError {
  status: number;
  code: string;
  message: string;
}

export interface ListSettings {
  /** The public origin used in nextLinks and @odata.context (the SDK follows only https links). */
  publicBaseUrl: string;
  /** Rows a query may scan on a list holding more than this many items. */
  threshold: number;
  /** [UNCONFIRMED] what Graph answers past the threshold; SharePoint REST says SPQueryThrottledException. */
  thresholdError: ThresholdError;
  defaultPageSize: number;
  maxPageSize: number;
  /** [UNCONFIRMED] whether `indexed: true` in a create-list body takes effect (graph-contract §2.2). */
  indexedOnListCreate: boolean;
  /** [OBS] multi-line text holds up to 63,999 characters. */
  maxMultilineLength: number;
  /** [OBS] at most 20 indexed columns per list. */
  maxIndexedColumns: number;
}

export interface QueryObservation {
  list: string;
  listSize: number;
  rowsScanned: number;
  overThreshold: boolean;
}

type ColumnType = 'text' | 'number' | 'dateTime' | 'choice' | 'boolean' | 'builtin';

interface Column {
  id: string;
  name: string;
  displayName: string;
  description: string;
  indexed: boolean;
  enforceUniqueValues: boolean;
  hidden: boolean;
  readOnly: boolean;
  required: boolean;
  type: ColumnType;
  /** The type facet as given (`text`, `number`, `choice`…), echoed back. */
  facet: Record<string, unknown>;
}

interface ItemVersion {
  label: number;
  fields: Record<string, unknown>;
  modified: string;
}

interface Item {
  id: number;
  guid: string;
  version: number;
  fields: Record<string, unknown>;
  created: string;
  modified: string;
  versions: ItemVersion[];
}

interface List {
  id: string;
  name: string;
  displayName: string;
  description: string;
  template: string;
  created: string;
  modified: string;
  columns: Column[];
  items: Map<number, Item>;
  nextId: number;
  /** Unique columns: lower-cased value → item id (SharePoint compares text without case). */
  unique: Map<string, Map<string, number>>;
}

export interface SiteIdentity {
  hostname: string;
  path: string;
  siteGuid: string;
  webGuid: string;
}

const APP_IDENTITY = {
  user: { displayName: 'Co-Sell Plan (app)', id: '00000000-0000-0000-0000-00000000c05e' },
};
const NON_INDEXED_PREFER = 'honornonindexedquerieswarningmayfailrandomly';

export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphAnswer {
  return { status, headers, body: { error: { code, message } } };
}

type Checked = { fields: Record<string, unknown> } | { error: GraphAnswer };

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function etagOf(item: Item): string {
  return `"${item.guid},${item.version}"`;
}

/** If-Match as sent: with or without the quotes, `W/` ignored, `*` for any. */
function etagMatches(ifMatch: string, item: Item): boolean {
  const bare = (value: string) =>
    value
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
  const wanted = ifMatch.trim();
  return wanted === '*' || bare(wanted) === bare(etagOf(item));
}

function columnTypeOf(definition: Record<string, unknown>): {
  type: ColumnType;
  facet: Record<string, unknown>;
} {
  const facets = ['text', 'number', 'dateTime', 'choice', 'boolean'] as const;
  const present = facets.filter((f) => definition[f] !== undefined);
  if (present.length > 1) throw new Error('a column carries exactly one type facet');
  const type = present[0] ?? 'text';
  const given = (definition[type] ?? {}) as Record<string, unknown>;
  const defaults: Record<string, Record<string, unknown>> = {
    text: {
      allowMultipleLines: false,
      appendChangesToExistingText: false,
      linesForEditing: 0,
      maxLength: 255,
    },
    number: {
      decimalPlaces: 'automatic',
      displayAs: 'number',
      maximum: 1.7976931348623157e308,
      minimum: -1.7976931348623157e308,
    },
    dateTime: { displayAs: 'default', format: 'dateTime' },
    choice: { allowTextEntry: true, choices: [], displayAs: 'dropDownMenu' },
    boolean: {},
  };
  return { type, facet: { ...defaults[type], ...given } };
}

function builtinColumns(): Column[] {
  const base = { description: '', hidden: false, required: false, enforceUniqueValues: false };
  return [
    {
      ...base,
      id: 'fa564e0f-0c70-4ab9-b863-0177e6ddd247',
      name: 'Title',
      displayName: 'Title',
      indexed: false,
      readOnly: false,
      required: true,
      type: 'text',
      facet: {
        allowMultipleLines: false,
        appendChangesToExistingText: false,
        linesForEditing: 0,
        maxLength: 255,
      },
    },
    {
      ...base,
      id: '1d22ea11-1e32-424e-89ab-9fedbadb6ce1',
      name: 'ID',
      displayName: 'ID',
      indexed: true,
      readOnly: true,
      type: 'builtin',
      facet: {},
    },
    {
      ...base,
      id: '8c06beca-0777-48f7-91c7-6da68bc07b69',
      name: 'Created',
      displayName: 'Created',
      indexed: false,
      readOnly: true,
      type: 'builtin',
      facet: {},
    },
    {
      ...base,
      id: '28cf69c5-fa48-462a-b5cd-27b6f9d2bd5f',
      name: 'Modified',
      displayName: 'Modified',
      indexed: false,
      readOnly: true,
      type: 'builtin',
      facet: {},
    },
  ];
}

function columnJson(column: Column): Record<string, unknown> {
  return {
    columnGroup: 'Custom Columns',
    description: column.description,
    displayName: column.displayName,
    enforceUniqueValues: column.enforceUniqueValues,
    hidden: column.hidden,
    id: column.id,
    indexed: column.indexed,
    name: column.name,
    readOnly: column.readOnly,
    required: column.required,
    ...(column.type === 'builtin' ? {} : { [column.type]: column.facet }),
  };
}

/** `$expand` / `expand` values: `fields($select=A,B)`, `columns(select=name)`, `items(expand=fields(select=X))`. */
export function parseExpand(value: string | null): Map<string, URLSearchParams> {
  const result = new Map<string, URLSearchParams>();
  if (!value) return result;
  for (const part of splitTopLevel(value, ',')) {
    const open = part.indexOf('(');
    const name = (open === -1 ? part : part.slice(0, open)).trim();
    const inner = open === -1 ? '' : part.slice(open + 1, part.lastIndexOf(')'));
    const options = new URLSearchParams();
    for (const option of splitTopLevel(inner, ';')) {
      const eq = option.indexOf('=');
      if (eq > 0) options.set(option.slice(0, eq).trim().replace(/^\$/, ''), option.slice(eq + 1).trim());
    }
    result.set(name, options);
  }
  return result;
}

function splitTopLevel(value: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of value) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === separator && depth === 0) {
      if (current.trim()) parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

/** A query option with or without its `$` (the list-item docs write `expand=fields`). */
function option(query: URLSearchParams, name: string): string | null {
  return query.get(`$${name}`) ?? query.get(name);
}

function selectList(value: string | null | undefined): string[] | undefined {
  if (!value) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function encodeSkipToken(lastId: number): string {
  return Buffer.from(`Paged=TRUE&p_ID=${lastId}`, 'utf8').toString('base64url');
}

function decodeSkipToken(token: string): number | undefined {
  const m = /^Paged=TRUE&p_ID=(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export class SharePointSite {
  readonly id: string;
  readonly identity: SiteIdentity;
  private readonly lists = new Map<string, List>();
  private readonly observers: ((observation: QueryObservation) => void)[] = [];

  constructor(
    identity: SiteIdentity,
    private readonly settings: ListSettings,
  ) {
    this.identity = identity;
    this.id = `${identity.hostname},${identity.siteGuid},${identity.webGuid}`;
    this.reset();
  }

  /** A fresh site: only the Documents library every team site has. */
  reset(): void {
    this.lists.clear();
    const created = now();
    const documents: List = {
      id: randomUUID(),
      name: 'Shared Documents',
      displayName: 'Documents',
      description: '',
      template: 'documentLibrary',
      created,
      modified: created,
      columns: builtinColumns(),
      items: new Map(),
      nextId: 1,
      unique: new Map(),
    };
    this.lists.set(documents.id, documents);
  }

  onQuery(observer: (observation: QueryObservation) => void): void {
    this.observers.push(observer);
  }

  get webUrl(): string {
    return `https://${this.identity.hostname}${this.identity.path}`;
  }

  /** Whether `reference` (the part after /sites/) names this site, in any documented form. */
  matches(reference: string): boolean {
    const { hostname, siteGuid } = this.identity;
    return (
      reference === this.id ||
      reference === `${hostname},${siteGuid}` ||
      reference === siteGuid ||
      reference.toLowerCase() === `${hostname}:${this.identity.path}`.toLowerCase()
    );
  }

  siteJson(): Record<string, unknown> {
    return {
      '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#sites/$entity`,
      id: this.id,
      name: this.identity.path.split('/').pop() ?? '',
      displayName: this.identity.path.split('/').pop() ?? '',
      webUrl: this.webUrl,
      createdDateTime: '2024-01-01T00:00:00Z',
      lastModifiedDateTime: now(),
      siteCollection: { hostname: this.identity.hostname },
    };
  }

  /** Handles everything under /sites/{site}/…; `rest` is what follows the site reference. */
  handle(request: IncomingGraphRequest, rest: string[]): GraphAnswer {
    const [head, listRef, sub, itemRef, leaf, ...extra] = rest;
    const method = request.method;
    if (head === undefined) return method === 'GET' ? { status: 200, body: this.siteJson() } : notAllowed();
    if (head !== 'lists') return notFound(`Resource not found for the segment '${head}'.`);
    if (listRef === undefined) {
      if (method === 'GET') return this.enumerateLists(request.query);
      if (method === 'POST') return this.createList(request.body);
      return notAllowed();
    }
    const list = this.findList(listRef);
    if (!list)
      return graphError(
        404,
        'itemNotFound',
        `List '${listRef}' does not exist at site with URL '${this.webUrl}'.`,
      );
    if (sub === undefined) {
      if (method === 'GET') return { status: 200, body: this.listJson(list, request.query) };
      if (method === 'DELETE') {
        this.lists.delete(list.id);
        return { status: 204 };
      }
      return notAllowed();
    }
    if (sub === 'columns' && itemRef === undefined) {
      if (method === 'GET') return { status: 200, body: { value: list.columns.map(columnJson) } };
      if (method === 'POST') return this.addColumn(list, request.body);
      return notAllowed();
    }
    if (sub !== 'items') return notFound(`Resource not found for the segment '${sub}'.`);
    if (itemRef === undefined) {
      if (method === 'GET') return this.queryItems(list, request);
      if (method === 'POST') return this.createItem(list, request.body);
      return notAllowed();
    }
    if (extra.length > 0) return notFound(`Resource not found for the segment '${extra[0]}'.`);
    const item = /^\d+$/.test(itemRef) ? list.items.get(Number(itemRef)) : undefined;
    if (!item) return graphError(404, 'itemNotFound', 'Item not found');
    if (leaf === undefined) {
      if (method === 'GET') return { status: 200, body: this.itemJson(list, item, request.query, true) };
      if (method === 'PATCH') return this.updateItem(list, item, request, 'item');
      if (method === 'DELETE') return this.deleteItem(list, item, request);
      return notAllowed();
    }
    if (leaf === 'fields') {
      if (method === 'GET') return { status: 200, body: this.fieldsJson(item, undefined) };
      if (method === 'PATCH') return this.updateItem(list, item, request, 'fields');
      return notAllowed();
    }
    if (leaf === 'versions' && method === 'GET') return this.listVersions(list, item, request.query);
    return notFound(`Resource not found for the segment '${leaf}'.`);
  }

  // ---- lists and columns -------------------------------------------------------------------------

  private findList(reference: string): List | undefined {
    const wanted = reference.toLowerCase();
    for (const list of this.lists.values()) {
      if (
        list.id === reference ||
        list.displayName.toLowerCase() === wanted ||
        list.name.toLowerCase() === wanted
      ) {
        return list;
      }
    }
    return undefined;
  }

  private listJson(list: List, query: URLSearchParams): Record<string, unknown> {
    const full: Record<string, unknown> = {
      '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#sites('${this.id}')/lists/$entity`,
      '@odata.etag': `"${list.id},${list.columns.length}"`,
      createdDateTime: list.created,
      description: list.description,
      eTag: `"${list.id},${list.columns.length}"`,
      id: list.id,
      lastModifiedDateTime: list.modified,
      name: list.name,
      webUrl: `${this.webUrl}/Lists/${list.name}`,
      displayName: list.displayName,
      createdBy: APP_IDENTITY,
      lastModifiedBy: APP_IDENTITY,
      parentReference: { siteId: this.id },
      list: { contentTypesEnabled: false, hidden: false, template: list.template },
    };
    const select = selectList(option(query, 'select'));
    const shown = select
      ? Object.fromEntries(Object.entries(full).filter(([k]) => select.includes(k) || k.startsWith('@')))
      : full;
    const expand = parseExpand(option(query, 'expand'));
    const columns = expand.get('columns');
    if (columns) {
      const columnSelect = selectList(columns.get('select'));
      shown.columns = list.columns.map((c) => {
        const json = columnJson(c);
        return columnSelect
          ? Object.fromEntries(Object.entries(json).filter(([k]) => columnSelect.includes(k)))
          : json;
      });
    }
    const items = expand.get('items');
    if (items) shown.items = [...list.items.values()].map((item) => this.itemJson(list, item, items, false));
    return shown;
  }

  private enumerateLists(query: URLSearchParams): GraphAnswer {
    const value = [...this.lists.values()].map((list) => {
      const { '@odata.context': _context, ...json } = this.listJson(list, query);
      return json;
    });
    return {
      status: 200,
      body: {
        '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#sites('${this.id}')/lists`,
        value,
      },
    };
  }

  private createList(body: unknown): GraphAnswer {
    const definition = (body ?? {}) as {
      displayName?: unknown;
      description?: unknown;
      columns?: unknown;
      list?: { template?: unknown };
    };
    if (typeof definition.displayName !== 'string' || definition.displayName.trim() === '') {
      return graphError(400, 'invalidRequest', 'A list needs a displayName.');
    }
    if (this.findList(definition.displayName)) {
      return graphError(
        409,
        'nameAlreadyExists',
        `A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.`,
      );
    }
    const created = now();
    const list: List = {
      id: randomUUID(),
      name: definition.displayName.replace(/[^A-Za-z0-9]/g, ''),
      displayName: definition.displayName,
      description: typeof definition.description === 'string' ? definition.description : '',
      template: typeof definition.list?.template === 'string' ? definition.list.template : 'genericList',
      created,
      modified: created,
      columns: builtinColumns(),
      items: new Map(),
      nextId: 1,
      unique: new Map(),
    };
    for (const column of Array.isArray(definition.columns) ? definition.columns : []) {
      const given = column as Record<string, unknown>;
      const added = this.makeColumn(
        list,
        this.settings.indexedOnListCreate ? given : { ...given, indexed: false, enforceUniqueValues: false },
      );
      if ('error' in added) return added.error;
      list.columns.push(added.column);
      if (added.column.enforceUniqueValues) list.unique.set(added.column.name, new Map());
    }
    this.lists.set(list.id, list);
    return { status: 201, body: this.listJson(list, new URLSearchParams()) };
  }

  private makeColumn(
    list: List,
    given: Record<string, unknown>,
  ): { column: Column } | { error: GraphAnswer } {
    const fail = (status: number, code: string, message: string) => ({
      error: graphError(status, code, message),
    });
    if (typeof given.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(given.name)) {
      return fail(400, 'invalidRequest', 'A column needs a name of letters, digits and underscores.');
    }
    if (list.columns.some((c) => c.name.toLowerCase() === String(given.name).toLowerCase())) {
      return fail(409, 'nameAlreadyExists', `A duplicate field name "${given.name}" was found.`);
    }
    let typed: { type: ColumnType; facet: Record<string, unknown> };
    try {
      typed = columnTypeOf(given);
    } catch (error) {
      return fail(400, 'invalidRequest', (error as Error).message);
    }
    const indexed = given.indexed === true;
    const unique = given.enforceUniqueValues === true;
    if (indexed && typed.type === 'text' && typed.facet.allowMultipleLines === true) {
      return fail(
        400,
        'invalidRequest',
        `Column '${given.name}': a multiple lines of text column cannot be indexed.`,
      );
    }
    if (unique && !indexed) {
      return fail(
        400,
        'invalidRequest',
        `Column '${given.name}': a column that enforces unique values must be indexed.`,
      );
    }
    if (
      indexed &&
      list.columns.filter((c) => c.indexed && c.type !== 'builtin').length >= this.settings.maxIndexedColumns
    ) {
      return fail(
        400,
        'invalidRequest',
        `A list can have at most ${this.settings.maxIndexedColumns} indexed columns.`,
      );
    }
    const column: Column = {
      id: randomUUID(),
      name: given.name,
      displayName: typeof given.displayName === 'string' ? given.displayName : given.name,
      description: typeof given.description === 'string' ? given.description : '',
      indexed,
      enforceUniqueValues: unique,
      hidden: given.hidden === true,
      readOnly: given.readOnly === true,
      required: given.required === true,
      ...typed,
    };
    return { column };
  }

  private addColumn(list: List, body: unknown): GraphAnswer {
    const made = this.makeColumn(list, (body ?? {}) as Record<string, unknown>);
    if ('error' in made) return made.error;
    const column = made.column;
    list.columns.push(column);
    if (column.enforceUniqueValues) list.unique.set(column.name, new Map());
    list.modified = now();
    return { status: 201, body: columnJson(column) };
  }

  // ---- items -------------------------------------------------------------------------------------

  private column(list: List, name: string): Column | undefined {
    return list.columns.find((c) => c.name === name);
  }

  /** The stored value after checking it against its column, or an error answer. */
  private checkValue(list: List, name: string, value: unknown): { value: unknown } | GraphAnswer {
    const column = this.column(list, name);
    if (!column) return graphError(400, 'invalidRequest', `Field '${name}' is not recognized`);
    if (column.readOnly || column.type === 'builtin') {
      return graphError(400, 'invalidRequest', `Field '${name}' is read-only`);
    }
    if (value === null || value === undefined) return { value: null };
    switch (column.type) {
      case 'text': {
        if (typeof value !== 'string') return graphError(400, 'invalidRequest', `Field '${name}' takes text`);
        const multi = column.facet.allowMultipleLines === true;
        const max = multi ? this.settings.maxMultilineLength : Number(column.facet.maxLength ?? 255);
        if (value.length > max) {
          return graphError(
            400,
            'invalidRequest',
            `The value of field '${name}' is ${value.length} characters long; it holds at most ${max}.`,
          );
        }
        return { value };
      }
      case 'number': {
        const n = typeof value === 'number' ? value : Number.NaN;
        if (!Number.isFinite(n)) return graphError(400, 'invalidRequest', `Field '${name}' takes a number`);
        return { value: n };
      }
      case 'boolean':
        if (typeof value !== 'boolean')
          return graphError(400, 'invalidRequest', `Field '${name}' takes true or false`);
        return { value };
      case 'choice': {
        if (typeof value !== 'string')
          return graphError(400, 'invalidRequest', `Field '${name}' takes a choice`);
        const choices = (column.facet.choices ?? []) as string[];
        if (column.facet.allowTextEntry !== true && !choices.includes(value)) {
          return graphError(400, 'invalidRequest', `'${value}' is not a choice of field '${name}'`);
        }
        return { value };
      }
      case 'dateTime':
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
          return graphError(400, 'invalidRequest', `Field '${name}' takes a date and time`);
        }
        return { value: new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z') };
      default:
        return { value };
    }
  }

  private checkFields(list: List, given: unknown, itemId: number | undefined): Checked {
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      return { error: graphError(400, 'invalidRequest', 'fields must be an object of column values') };
    }
    const checked: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(given)) {
      if (name.startsWith('@odata.')) continue;
      const result = this.checkValue(list, name, value);
      if ('status' in result) return { error: result };
      checked[name] = result.value;
    }
    for (const [name, index] of list.unique) {
      const value = checked[name];
      if (value === null || value === undefined) continue;
      const owner = index.get(String(value).toLowerCase());
      if (owner !== undefined && owner !== itemId) {
        // [UNCONFIRMED] status and code of a unique-value violation through Graph.
        return {
          error: graphError(
            409,
            'nameAlreadyExists',
            `The list item could not be added or updated because duplicate values were found in the following field(s) in the list: [${name}].`,
          ),
        };
      }
    }
    return { fields: checked };
  }

  private indexUnique(list: List, item: Item, before: Record<string, unknown> | undefined): void {
    for (const [name, index] of list.unique) {
      const old = before?.[name];
      if (old !== null && old !== undefined) index.delete(String(old).toLowerCase());
      const value = item.fields[name];
      if (value !== null && value !== undefined) index.set(String(value).toLowerCase(), item.id);
    }
  }

  private createItem(list: List, body: unknown): GraphAnswer {
    const checked = this.checkFields(
      list,
      (body as { fields?: unknown } | undefined)?.fields ?? {},
      undefined,
    );
    if ('error' in checked) return checked.error;
    const fields = checked.fields;
    const created = now();
    const item: Item = {
      id: list.nextId++,
      guid: randomUUID(),
      version: 1,
      fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)),
      created,
      modified: created,
      versions: [],
    };
    item.versions.push({ label: 1, fields: { ...item.fields }, modified: created });
    list.items.set(item.id, item);
    this.indexUnique(list, item, undefined);
    return {
      status: 201,
      headers: { ETag: etagOf(item).slice(1, -1) },
      body: this.itemJson(list, item, new URLSearchParams('expand=fields'), true),
    };
  }

  private updateItem(
    list: List,
    item: Item,
    request: IncomingGraphRequest,
    form: 'fields' | 'item',
  ): GraphAnswer {
    const ifMatch = request.header('if-match');
    if (ifMatch !== undefined && !etagMatches(ifMatch, item)) {
      return graphError(
        412,
        'resourceModified',
        'The resource has changed since the caller last read it; usually an eTag mismatch',
      );
    }
    // [OBS] both forms are in use: PATCH …/fields with a flat body (documented), PATCH …/items/{id} with {fields}.
    const given =
      form === 'fields' ? request.body : ((request.body as { fields?: unknown } | undefined)?.fields ?? {});
    const checked = this.checkFields(list, given, item.id);
    if ('error' in checked) return checked.error;
    const fields = checked.fields;
    const before = { ...item.fields };
    for (const [name, value] of Object.entries(fields)) {
      if (value === null) delete item.fields[name];
      else item.fields[name] = value;
    }
    item.version++;
    item.modified = now();
    item.versions.push({ label: item.version, fields: { ...item.fields }, modified: item.modified });
    this.indexUnique(list, item, before);
    const headers = { ETag: etagOf(item).slice(1, -1) };
    if (form === 'fields') return { status: 200, headers, body: this.fieldsJson(item, undefined) };
    return {
      status: 200,
      headers,
      body: this.itemJson(list, item, new URLSearchParams('expand=fields'), true),
    };
  }

  private deleteItem(list: List, item: Item, request: IncomingGraphRequest): GraphAnswer {
    const ifMatch = request.header('if-match');
    if (ifMatch !== undefined && !etagMatches(ifMatch, item)) {
      return graphError(
        412,
        'resourceModified',
        'The resource has changed since the caller last read it; usually an eTag mismatch',
      );
    }
    list.items.delete(item.id);
    for (const [name, index] of list.unique) {
      const value = item.fields[name];
      if (value !== null && value !== undefined) index.delete(String(value).toLowerCase());
    }
    return { status: 204 };
  }

  private fieldsJson(
    item: Item,
    select: string[] | undefined,
    source: Record<string, unknown> = item.fields,
    version = item.version,
  ): Record<string, unknown> {
    const all: Record<string, unknown> = {
      '@odata.etag': `"${item.guid},${version}"`,
      ...source,
      id: String(item.id),
      ContentType: 'Item',
      Modified: item.modified,
      Created: item.created,
      _UIVersionString: `${version}.0`,
    };
    if (!select) return all;
    const shown: Record<string, unknown> = { '@odata.etag': all['@odata.etag'] };
    for (const name of select) {
      const key = name === 'ID' ? 'id' : name;
      if (all[key] !== undefined) shown[key] = all[key];
    }
    return shown;
  }

  private itemJson(
    list: List,
    item: Item,
    query: URLSearchParams,
    withContext: boolean,
  ): Record<string, unknown> {
    const full: Record<string, unknown> = {
      ...(withContext
        ? {
            '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#sites('${this.id}')/lists('${list.id}')/items/$entity`,
          }
        : {}),
      '@odata.etag': etagOf(item),
      createdDateTime: item.created,
      eTag: etagOf(item),
      id: String(item.id),
      lastModifiedDateTime: item.modified,
      webUrl: `${this.webUrl}/Lists/${list.name}/${item.id}_.000`,
      createdBy: APP_IDENTITY,
      lastModifiedBy: APP_IDENTITY,
      parentReference: { id: list.id, siteId: this.id },
      contentType: { id: '0x0100', name: 'Item' },
    };
    const select = selectList(option(query, 'select'));
    const shown = select
      ? Object.fromEntries(Object.entries(full).filter(([k]) => select.includes(k) || k.startsWith('@')))
      : full;
    const fields = parseExpand(option(query, 'expand')).get('fields');
    if (fields) {
      shown['fields@odata.context'] =
        `${this.settings.publicBaseUrl}/v1.0/$metadata#sites('${this.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`;
      shown.fields = this.fieldsJson(item, selectList(fields.get('select')));
    }
    return shown;
  }

  private listVersions(list: List, item: Item, query: URLSearchParams): GraphAnswer {
    const fields = parseExpand(option(query, 'expand')).get('fields');
    const select = fields ? selectList(fields.get('select')) : undefined;
    const value = [...item.versions].reverse().map((version) => ({
      '@odata.etag': `"${item.guid},${version.label}"`,
      id: `${version.label}.0`,
      lastModifiedBy: APP_IDENTITY,
      lastModifiedDateTime: version.modified,
      published: { level: 'published', versionId: `${version.label}.0` },
      ...(fields ? { fields: this.fieldsJson(item, select, version.fields, version.label) } : {}),
    }));
    return {
      status: 200,
      body: {
        '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#sites('${this.id}')/lists('${list.id}')/items('${item.id}')/versions`,
        value,
      },
    };
  }

  // ---- queries -----------------------------------------------------------------------------------

  private fieldValue(item: Item, field: FieldRef): unknown {
    if (!field.column) {
      if (field.name === 'id') return item.id;
      if (field.name === 'createdDateTime') return item.created;
      if (field.name === 'lastModifiedDateTime') return item.modified;
      return undefined;
    }
    if (field.name === 'ID' || field.name === 'id') return item.id;
    if (field.name === 'Created') return item.created;
    if (field.name === 'Modified') return item.modified;
    const value = item.fields[field.name];
    // SharePoint compares text without regard to case.
    return typeof value === 'string' ? value.toLowerCase() : value;
  }

  private isIndexed(list: List, field: FieldRef): boolean {
    if (!field.column) return field.name === 'id';
    return field.name === 'ID' || field.name === 'id' || this.column(list, field.name)?.indexed === true;
  }

  private queryItems(list: List, request: IncomingGraphRequest): GraphAnswer {
    const query = request.query;
    const filterText = option(query, 'filter');
    let filter: FilterNode | undefined;
    if (filterText) {
      try {
        filter = lowerCaseLiterals(parseFilter(filterText));
      } catch (error) {
        if (error instanceof FilterSyntaxError)
          return graphError(400, 'invalidRequest', `Invalid filter clause: ${error.message}`);
        throw error;
      }
    }
    const prefer = (request.header('prefer') ?? '').toLowerCase();
    const honourNonIndexed = prefer.split(',').some((p) => p.trim() === NON_INDEXED_PREFER);
    const orderBy = option(query, 'orderby');
    const referenced: FieldRef[] = [
      ...(filter ? fieldsOf(filter) : []),
      ...(orderBy
        ? orderBy.split(',').map((o) => {
            const name = o.trim().split(/\s+/)[0] ?? '';
            return name.startsWith('fields/')
              ? { column: true, name: name.slice(7) }
              : { column: false, name };
          })
        : []),
    ];
    for (const field of referenced) {
      if (
        field.column &&
        !['ID', 'id', 'Created', 'Modified'].includes(field.name) &&
        !this.column(list, field.name)
      ) {
        return graphError(400, 'invalidRequest', `Field '${field.name}' is not recognized`);
      }
      if (!this.isIndexed(list, field) && !honourNonIndexed) {
        return graphError(
          400,
          'invalidRequest',
          `Field '${field.name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`,
        );
      }
    }
    const topText = option(query, 'top');
    let top = this.settings.defaultPageSize;
    if (topText !== null) {
      top = Number(topText);
      if (!Number.isInteger(top) || top < 1)
        return graphError(400, 'invalidRequest', `Invalid $top value '${topText}'`);
      top = Math.min(top, this.settings.maxPageSize);
    }
    const skipToken = option(query, 'skiptoken');
    let after = 0;
    if (skipToken !== null) {
      const decoded = decodeSkipToken(skipToken);
      if (decoded === undefined) return graphError(400, 'invalidRequest', 'The skip token is not valid.');
      after = decoded;
    }

    const matched: Item[] = [];
    for (const item of list.items.values()) {
      if (item.id <= after) continue;
      if (!filter || evaluate(filter, (f) => this.fieldValue(item, f))) {
        matched.push(item);
        if (matched.length > top) break;
      }
    }

    const size = list.items.size;
    if (size > this.settings.threshold) {
      // Walking the ID index reads only the rows it returns (plus the one that tells there are more).
      const scanned = this.rowsScanned(list, filter, after, matched.length);
      const overThreshold = scanned > this.settings.threshold;
      for (const observe of this.observers)
        observe({ list: list.displayName, listSize: size, rowsScanned: scanned, overThreshold });
      if (overThreshold) {
        const { status, code, message } = this.settings.thresholdError;
        return graphError(status, code, message);
      }
    }

    const page = matched.slice(0, top);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.settings.publicBaseUrl}/v1.0/$metadata#sites('${this.id}')/lists('${list.id}')/items`,
      value: page.map((item) => this.itemJson(list, item, query, false)),
    };
    const last = page.at(-1);
    if (matched.length > top && last) {
      const next = new URLSearchParams(query);
      next.delete('$skiptoken');
      next.delete('skiptoken');
      const parts = [...next.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
      parts.push(`$skiptoken=${encodeSkipToken(last.id)}`);
      const path = request.segments.map((s) => encodeURIComponent(s)).join('/');
      body['@odata.nextLink'] = `${this.settings.publicBaseUrl}/v1.0/${path}?${parts.join('&')}`;
    }
    return { status: 200, body };
  }

  /**
   * Rows SharePoint reads to answer: with no predicate but an ID range, it walks the ID index and stops at
   * $top; otherwise it seeks the most selective indexed term (bounds on one column combine, an OR of
   * indexed terms is a union) and reads every row it finds; with no indexed term, the whole list.
   */
  private rowsScanned(list: List, filter: FilterNode | undefined, after: number, walked: number): number {
    if (!filter) return walked;
    const terms = conjuncts(filter);
    const groups = new Map<string, FilterNode[]>();
    let onlyId = true;
    for (const term of terms) {
      const fields = fieldsOf(term);
      const names = new Set(fields.map((f) => (f.name === 'ID' || f.name === 'id' ? 'ID' : f.name)));
      if (!names.has('ID') || names.size > 1) onlyId = false;
      if (!this.isSeekable(list, term)) continue;
      const key = names.size === 1 ? ([...names][0] ?? '') : `union:${groups.size}`;
      groups.set(key, [...(groups.get(key) ?? []), term]);
    }
    if (onlyId) return walked;
    if (groups.size === 0) return list.items.size;
    let best = Number.POSITIVE_INFINITY;
    for (const group of groups.values()) {
      let count = 0;
      for (const item of list.items.values()) {
        if (item.id <= after) continue;
        if (group.every((term) => evaluate(term, (f) => this.fieldValue(item, f)))) count++;
      }
      best = Math.min(best, count);
    }
    return best;
  }

  private isSeekable(list: List, term: FilterNode): boolean {
    switch (term.kind) {
      case 'compare':
        return term.op !== 'ne' && this.isIndexed(list, term.field);
      case 'startswith':
        return this.isIndexed(list, term.field);
      case 'or':
        return this.isSeekable(list, term.left) && this.isSeekable(list, term.right);
      case 'and':
        return this.isSeekable(list, term.left) || this.isSeekable(list, term.right);
      default:
        return false;
    }
  }

  /** For tests: the stored rows of a list, by display name. */
  inspect(displayName: string):
    | {
        columns: Record<string, unknown>[];
        items: { id: number; version: number; fields: Record<string, unknown> }[];
      }
    | undefined {
    const list = this.findList(displayName);
    if (!list) return undefined;
    return {
      columns: list.columns.map(columnJson),
      items: [...list.items.values()].map((i) => ({ id: i.id, version: i.version, fields: { ...i.fields } })),
    };
  }
}

/** Text literals compared without case, as SharePoint does. */
function lowerCaseLiterals(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { ...node, left: lowerCaseLiterals(node.left), right: lowerCaseLiterals(node.right) };
    case 'not':
      return { ...node, operand: lowerCaseLiterals(node.operand) };
    case 'compare':
      return typeof node.value === 'string' ? { ...node, value: node.value.toLowerCase() } : node;
    case 'startswith':
      return { ...node, value: node.value.toLowerCase() };
  }
}

function notFound(message: string): GraphAnswer {
  return graphError(404, 'itemNotFound', message);
}

function notAllowed(): GraphAnswer {
  return graphError(405, 'notSupported', 'The HTTP method is not allowed for the request target.');
}
