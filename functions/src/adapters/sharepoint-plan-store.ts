import {
  type HistoryEntry,
  InvalidCursorError,
  type Plan,
  PlanExistsError,
  PlanNotFoundError,
  type PlanPage,
  type PlanQuery,
  type PlanStore,
  planIndex,
  VersionConflictError,
} from '@cosell/shared';
import { type BatchStep, type GraphClient, isSuccess, outcomeError } from '../graph/graph-client';
import { GraphRequestError } from '../graph/graph-error';
import {
  CHANGE_FIELDS,
  DELETED,
  DOC_FIELDS,
  gather,
  type ListDesign,
  listDesign,
  memberRows,
  planFields,
  tombstoneFields,
} from './sharepoint-list-design';
import { type ProvisionedLists, provisionLists } from './sharepoint-provisioning';

/*
 * The plan store on SharePoint lists through Microsoft Graph (the list design is in
 * sharepoint-list-design.ts). Round trips:
 *
 * - get: 1 (the plan item found by its unique, indexed id).
 * - create: 1 (`$batch`: the plan item, then its member rows depending on it).
 * - replace: 1 (PATCH of the item's fields with If-Match on the eTag known from the last read); when
 *   someone joins, the plan's member rows ride in the same `$batch` (2 when more than 19), and rows of
 *   people who left are deleted after (2 more). A replace with no known eTag looks the item up first.
 * - list, no filter: 1 (`ID gt <cursor>` walks the ID index: SharePoint reads only the rows it returns).
 *   With a status or stall filter: 1 per window of 4,500 item ids (the ID range bounds the rows scanned,
 *   whatever the filter matches), each window asked with a probe beyond it in the same `$batch`.
 *   By person or channel: 1 to the members list + 1 for the plans.
 * - history: 1 when the item is known from a read, else 2 (the item, then its versions).
 * - delete: 1 (the tombstone PATCH) + 2 to delete the plan's member rows.
 *
 * A lost answer is survivable: writes are sent again by the Graph client (they are guarded: a unique id, an
 * eTag), and a 409 or 412 after that is checked against what is stored: if it is exactly our write, it
 * landed.
 */

export const MAX_PAGE_SIZE = 100;
/** SharePoint's list view threshold: the most rows one query may scan on a large list. */
export const VIEW_THRESHOLD = 5000;
/** Plan ids per `PlanId eq … or …` filter (keeps the URL short). */
const IDS_PER_FILTER = 15;
const KNOWN_ITEMS = 2000;
const PLAN_FIELDS = ['PlanId', 'PlanVersion', 'PlanStatus', ...DOC_FIELDS].join(',');
const PLAN_FIELDS_WITH_CHANGE = [PLAN_FIELDS, ...CHANGE_FIELDS].join(',');

export interface SharePointPlanStoreOptions {
  graph: GraphClient;
  /** The site: its id (`hostname,site-guid,web-guid`) or its URL (`https://contoso.sharepoint.com/sites/cosell`). */
  site: string;
  /** List names are `<prefix> Plans` and `<prefix> Plan Members` (default "Co-Sell"). */
  listPrefix?: string;
  /** Create or complete the lists on first use (default); false only checks that they are there. */
  provision?: boolean;
  /** SharePoint's list view threshold (5,000); a window of a filtered query covers 90 % of it. */
  viewThreshold?: number;
  log?: (line: string) => void;
}

interface ListItem {
  id: string;
  eTag?: string;
  '@odata.etag'?: string;
  fields?: Record<string, unknown>;
}

/** What the store last saw of a plan's item: enough to write it without reading it again. */
interface Known {
  itemId: string;
  eTag: string;
  version: number;
  memberKeys: string[];
}

type StoredItem =
  | { kind: 'live'; plan: Plan; doc: string; known: Known; change: string }
  | { kind: 'deleted'; itemId: string; eTag: string; version: number; change: string };

function clampLimit(limit: number): number {
  if (Number.isNaN(limit)) return 1;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

/** An OData text literal. */
function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function queryString(params: Record<string, string | number>): string {
  return `?${Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')}`;
}

type Cursor = { k: 'i'; a: number } | { k: 'm'; t: string; p: string } | { k: 'h'; v: number; d: 0 | 1 };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor<K extends Cursor['k']>(kind: K, cursor: string): Extract<Cursor, { k: K }> {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const v = value as Record<string, unknown> | null;
  const valid =
    typeof v === 'object' &&
    v !== null &&
    v.k === kind &&
    (kind === 'i'
      ? Number.isSafeInteger(v.a) && (v.a as number) >= 0
      : kind === 'm'
        ? typeof v.t === 'string' && typeof v.p === 'string'
        : Number.isSafeInteger(v.v) && (v.d === 0 || v.d === 1));
  if (!valid || encodeCursor(v as Cursor) !== cursor) throw new InvalidCursorError();
  return v as Extract<Cursor, { k: K }>;
}

function checkEntry(entry: HistoryEntry, planId: string, version: number, kinds: HistoryEntry['kind'][]) {
  if (entry.planId !== planId || entry.version !== version || !kinds.includes(entry.kind)) {
    throw new Error(
      `history entry (${entry.planId} v${entry.version} ${entry.kind}) does not describe this write ` +
        `(${planId} v${version} ${kinds.join('|')})`,
    );
  }
}

function etagOf(item: ListItem): string {
  const etag = item.eTag ?? item['@odata.etag'] ?? item.fields?.['@odata.etag'];
  if (typeof etag !== 'string') throw new Error(`list item ${item.id} came without an eTag`);
  return etag;
}

function matches(plan: Plan, query: PlanQuery, person: string | undefined): boolean {
  const index = planIndex(plan);
  if (query.status !== undefined && !query.status.includes(index.status)) return false;
  if (query.stalled !== undefined) {
    const stalled = index.stallsOn !== null && index.stallsOn <= query.today;
    if (stalled !== query.stalled) return false;
  }
  if (person !== undefined && !index.emails.includes(person)) return false;
  if (query.channelId !== undefined && !index.channelIds.includes(query.channelId)) return false;
  return true;
}

export class SharePointPlanStore implements PlanStore {
  private readonly graph: GraphClient;
  private readonly design: ListDesign;
  private readonly window: number;
  private readonly log: (line: string) => void;
  private readonly known = new Map<string, Known>();
  private ready: Promise<ProvisionedLists> | undefined;

  constructor(private readonly options: SharePointPlanStoreOptions) {
    this.graph = options.graph;
    this.design = listDesign(options.listPrefix);
    // A margin below the threshold: a window of item ids may hold fewer rows (never more) than its width.
    this.window = Math.max(1, Math.floor((options.viewThreshold ?? VIEW_THRESHOLD) * 0.9));
    this.log = options.log ?? (() => {});
  }

  /** Resolves the site and provisions (or checks) the lists, once; a failure is tried again on the next call. */
  ensureReady(): Promise<ProvisionedLists> {
    if (!this.ready) {
      this.ready = provisionLists({
        graph: this.graph,
        site: this.options.site,
        design: this.design,
        create: this.options.provision ?? true,
        log: this.log,
      });
      this.ready.catch(() => {
        this.ready = undefined;
      });
    }
    return this.ready;
  }

  async create(plan: Plan, entry: HistoryEntry): Promise<Plan> {
    if (plan.version !== 1) throw new Error(`a new plan is at version 1, not ${plan.version}`);
    checkEntry(entry, plan.id, 1, ['create']);
    const lists = await this.ensureReady();
    const doc = JSON.stringify(plan);
    const rows = memberRows(plan);
    const planStep: BatchStep = {
      id: 'plan',
      method: 'POST',
      url: this.itemsPath(lists, 'plans'),
      body: { fields: planFields(plan, entry) },
      idempotent: true,
    };
    const results = await this.graph.batch([
      planStep,
      ...rows.map(
        (row, i): BatchStep => ({
          id: `m${i}`,
          method: 'POST',
          url: this.itemsPath(lists, 'members'),
          body: { fields: row.fields },
          dependsOn: ['plan'],
          idempotent: true,
        }),
      ),
    ]);
    const outcome = results.get('plan');
    if (!outcome) throw new Error('the $batch answer had no outcome for the plan');
    if (isSuccess(outcome)) {
      const item = outcome.body as ListItem;
      const eTag = item.eTag ?? item['@odata.etag'];
      // Without the new eTag the next write looks the item up first; the create stands either way.
      if (typeof eTag === 'string') {
        this.remember(plan.id, { itemId: item.id, eTag, version: 1, memberKeys: rows.map((r) => r.key) });
      }
      this.reportIndexFailures(plan.id, results, rows.length);
      return JSON.parse(doc) as Plan;
    }
    if (outcome.status !== 409) throw outcomeError(planStep, outcome);
    // The id is taken. By this very create, whose first answer was lost? Then the stored plan is ours.
    const stored = await this.read(plan.id, true);
    if (stored?.kind === 'live' && stored.doc === doc) {
      this.remember(plan.id, stored.known);
      await this.addMembers(
        lists,
        rows.map((r) => r.fields),
      );
      return JSON.parse(doc) as Plan;
    }
    throw new PlanExistsError(plan.id);
  }

  async get(id: string): Promise<Plan | undefined> {
    await this.ensureReady();
    const stored = await this.read(id, false);
    if (stored?.kind !== 'live') {
      this.known.delete(id);
      return undefined;
    }
    this.remember(id, stored.known);
    return stored.plan;
  }

  async replace(plan: Plan, expectedVersion: number, entry: HistoryEntry): Promise<Plan> {
    if (plan.version !== expectedVersion + 1) {
      throw new Error(
        `replacing version ${expectedVersion} needs a plan at version ${expectedVersion + 1}, not ${plan.version}`,
      );
    }
    checkEntry(entry, plan.id, plan.version, ['replace', 'operations']);
    const lists = await this.ensureReady();
    const doc = JSON.stringify(plan);
    const rows = memberRows(plan);
    const fields = planFields(plan, entry);
    let known = await this.knownAt(plan.id, expectedVersion);
    for (let attempt = 0; attempt < 4; attempt++) {
      const had = new Set(known.memberKeys);
      const kept = new Set(rows.map((r) => r.key));
      const removed = known.memberKeys.filter((key) => !kept.has(key));
      // When someone joins, every row of the plan is sent (a row that exists answers 409): this also
      // repairs rows an earlier write failed to add. Writes that name nobody new send none.
      const added = rows.some((r) => !had.has(r.key)) ? rows : [];
      const written = await this.writeItem(
        lists,
        plan.id,
        known,
        fields,
        added.map((r) => r.fields),
      );
      if (written.ok) {
        this.remember(plan.id, {
          ...known,
          eTag: written.eTag ?? known.eTag,
          version: plan.version,
          memberKeys: rows.map((r) => r.key),
        });
        if (written.eTag === undefined) this.known.delete(plan.id);
        if (removed.length > 0) await this.removeMembers(lists, plan.id, new Set(removed));
        return JSON.parse(doc) as Plan;
      }
      // 412: the item moved on since we knew it. Perhaps by this very write, whose answer was lost.
      const stored = await this.read(plan.id, false);
      if (stored?.kind !== 'live') throw new PlanNotFoundError(plan.id);
      if (stored.doc === doc) {
        this.remember(plan.id, stored.known);
        await this.addMembers(
          lists,
          added.map((r) => r.fields),
        );
        if (removed.length > 0) await this.removeMembers(lists, plan.id, new Set(removed));
        return JSON.parse(doc) as Plan;
      }
      if (stored.plan.version !== expectedVersion) {
        this.remember(plan.id, stored.known);
        throw new VersionConflictError(stored.plan);
      }
      // Same plan version, new eTag: someone edited the item outside the app. Write over it.
      known = stored.known;
    }
    throw new Error(`the SharePoint item of plan ${plan.id} keeps changing under the app; try again`);
  }

  async delete(id: string, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    checkEntry(entry, id, expectedVersion, ['delete']);
    const lists = await this.ensureReady();
    const change = JSON.stringify(entry);
    let known = await this.knownAt(id, expectedVersion);
    for (let attempt = 0; attempt < 4; attempt++) {
      const written = await this.writeItem(lists, id, known, tombstoneFields(entry), []);
      if (written.ok) {
        this.known.delete(id);
        await this.removeMembers(lists, id, 'all');
        return;
      }
      const stored = await this.read(id, true);
      if (stored?.kind === 'deleted') {
        // Deleted by this very call (the answer was lost), or by someone else before us.
        if (stored.change === change) {
          this.known.delete(id);
          await this.removeMembers(lists, id, 'all');
          return;
        }
        throw new PlanNotFoundError(id);
      }
      if (!stored) throw new PlanNotFoundError(id);
      if (stored.plan.version !== expectedVersion) throw new VersionConflictError(stored.plan);
      known = stored.known;
    }
    throw new Error(`the SharePoint item of plan ${id} keeps changing under the app; try again`);
  }

  async list(query: PlanQuery): Promise<PlanPage> {
    const lists = await this.ensureReady();
    const limit = clampLimit(query.limit);
    const person = query.person === undefined ? undefined : query.person.trim().toLowerCase();
    if (person !== undefined || query.channelId !== undefined) {
      return this.listByMembers(lists, query, limit, person);
    }
    let position = query.cursor === undefined ? 0 : decodeCursor('i', query.cursor).a;
    const predicate = this.serverPredicate(query);
    const found: { plan: Plan; itemId: number }[] = [];
    const take = (items: ListItem[]): void => {
      for (const item of items) {
        position = Number(item.id);
        if (found.length > limit) return;
        const stored = this.parse(item, false);
        if (stored.kind === 'live' && matches(stored.plan, query, undefined)) {
          found.push({ plan: stored.plan, itemId: Number(item.id) });
        }
      }
    };
    for (let round = 0; found.length <= limit; round++) {
      if (round > 10_000) throw new Error('list did not end');
      // Never ask for more rows than one window: a long $top walks (scans) as many.
      const need = Math.min(limit + 1 - found.length, this.window);
      if (predicate === undefined) {
        // Walking the ID index from the cursor: SharePoint reads only the rows it returns. A few extra rows
        // make up for deleted plans (tombstones) on the way.
        const top = Math.min(need + Math.min(10, need), this.window);
        const page = await this.graph.get<{ value: ListItem[] }>(
          this.itemsPath(lists, 'plans') + this.select(PLAN_FIELDS, `fields/ID gt ${position}`, top),
        );
        take(page.value);
        if (page.value.length < top) break;
      } else {
        // A window of item ids bounds the rows SharePoint scans, however many plans match the filter.
        const end = position + this.window;
        const steps: BatchStep[] = [
          {
            id: 'window',
            method: 'GET',
            url:
              this.itemsPath(lists, 'plans') +
              this.select(
                PLAN_FIELDS,
                `fields/ID gt ${position} and fields/ID le ${end} and (${predicate})`,
                need,
              ),
          },
          {
            id: 'beyond',
            method: 'GET',
            url: `${this.itemsPath(lists, 'plans')}${queryString({ $filter: `fields/ID gt ${end}`, $select: 'id', $top: 1 })}`,
          },
        ];
        const results = await this.graph.batch(steps);
        const [window, beyond] = steps.map((step) => {
          const outcome = results.get(step.id);
          if (!outcome || !isSuccess(outcome))
            throw outcome ? outcomeError(step, outcome) : new Error('no outcome');
          return outcome.body as { value: ListItem[] };
        });
        take(window?.value ?? []);
        if ((window?.value.length ?? 0) >= need) continue;
        if ((beyond?.value.length ?? 0) === 0) break;
        position = end;
      }
    }
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((f) => f.plan),
      ...(found.length > limit && last ? { nextCursor: encodeCursor({ k: 'i', a: last.itemId }) } : {}),
    };
  }

  async history(
    id: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: HistoryEntry[]; nextCursor?: string }> {
    const lists = await this.ensureReady();
    const limit = clampLimit(options.limit);
    const after = options.cursor === undefined ? undefined : decodeCursor('h', options.cursor);
    let itemId = this.known.get(id)?.itemId;
    if (itemId === undefined) {
      const found = await this.graph.get<{ value: ListItem[] }>(
        this.itemsPath(lists, 'plans') + this.select('PlanId', `fields/PlanId eq ${quote(id)}`, 2),
      );
      itemId = found.value.find((item) => item.fields?.PlanId === id)?.id;
    }
    if (itemId === undefined) return { items: [] };
    const versions = await this.graph.getAll<{ fields?: Record<string, unknown> }>(
      `${this.itemsPath(lists, 'plans')}/${itemId}/versions${queryString({ $expand: `fields($select=${CHANGE_FIELDS.join(',')})` })}`,
    );
    const entries: HistoryEntry[] = [];
    const seen = new Set<string>();
    for (const version of versions) {
      const text = gather(version.fields ?? {}, CHANGE_FIELDS);
      if (text === '') continue;
      const entry = JSON.parse(text) as HistoryEntry;
      const key = `${entry.version}:${entry.kind === 'delete' ? 'd' : 'w'}`;
      // An edit made outside the app makes a version that repeats the entry before it.
      if (entry.planId !== id || seen.has(key)) continue;
      seen.add(key);
      entries.push(entry);
    }
    const older = (entry: HistoryEntry): boolean =>
      after === undefined ||
      entry.version < after.v ||
      (entry.version === after.v && after.d === 1 && entry.kind !== 'delete');
    const remaining = entries.filter(older);
    const page = remaining.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page,
      ...(remaining.length > limit && last
        ? { nextCursor: encodeCursor({ k: 'h', v: last.version, d: last.kind === 'delete' ? 1 : 0 }) }
        : {}),
    };
  }

  // ---- reading -----------------------------------------------------------------------------------

  private itemsPath(lists: ProvisionedLists, list: 'plans' | 'members'): string {
    return `/sites/${lists.siteId}/lists/${list === 'plans' ? lists.plansListId : lists.membersListId}/items`;
  }

  private select(fields: string, filter: string, top: number): string {
    return queryString({
      $filter: filter,
      $select: 'id,eTag',
      $expand: `fields($select=${fields})`,
      $top: top,
    });
  }

  /** The filter SharePoint applies besides the id range: one indexed column (the rest is checked here). */
  private serverPredicate(query: PlanQuery): string | undefined {
    if (query.stalled === true) return `fields/StallsOn le ${quote(query.today)}`;
    if (query.status !== undefined) {
      if (query.status.length === 0) return 'fields/PlanStatus eq null';
      return query.status.map((s) => `fields/PlanStatus eq ${quote(s)}`).join(' or ');
    }
    if (query.stalled === false) return `fields/StallsOn gt ${quote(query.today)}`;
    return undefined;
  }

  private parse(item: ListItem, withChange: boolean): StoredItem {
    const fields = item.fields ?? {};
    const doc = gather(fields, DOC_FIELDS);
    const change = withChange ? gather(fields, CHANGE_FIELDS) : '';
    const version = Number(fields.PlanVersion);
    if (fields.PlanStatus === DELETED || doc === '') {
      return { kind: 'deleted', itemId: item.id, eTag: etagOf(item), version, change };
    }
    const plan = JSON.parse(doc) as Plan;
    if (plan.id !== fields.PlanId || plan.version !== version) {
      throw new Error(
        `the SharePoint item ${item.id} of plan ${String(fields.PlanId)} is damaged: its document says ${plan.id} v${plan.version}`,
      );
    }
    return {
      kind: 'live',
      plan,
      doc,
      change,
      known: { itemId: item.id, eTag: etagOf(item), version, memberKeys: memberRows(plan).map((r) => r.key) },
    };
  }

  /** The plan item by plan id (one request); undefined when there never was one. */
  private async read(id: string, withChange: boolean): Promise<StoredItem | undefined> {
    const lists = await this.ensureReady();
    const found = await this.graph.get<{ value: ListItem[] }>(
      this.itemsPath(lists, 'plans') +
        this.select(withChange ? PLAN_FIELDS_WITH_CHANGE : PLAN_FIELDS, `fields/PlanId eq ${quote(id)}`, 2),
    );
    // SharePoint compares text without case; plan ids are exact.
    const item = found.value.find((i) => i.fields?.PlanId === id);
    return item ? this.parse(item, withChange) : undefined;
  }

  /** The item of the plan at `version`, from memory when the last read saw that version. */
  private async knownAt(id: string, version: number): Promise<Known> {
    const known = this.known.get(id);
    if (known?.version === version) return known;
    const stored = await this.read(id, false);
    if (stored?.kind !== 'live') throw new PlanNotFoundError(id);
    this.remember(id, stored.known);
    if (stored.plan.version !== version) throw new VersionConflictError(stored.plan);
    return stored.known;
  }

  private remember(id: string, known: Known): void {
    this.known.delete(id);
    this.known.set(id, known);
    if (this.known.size > KNOWN_ITEMS) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  // ---- writing -----------------------------------------------------------------------------------

  /**
   * PATCHes the plan item if it still has the known eTag (with new member rows in the same `$batch`,
   * running only if the PATCH did). `ok: false` means 412; other failures are thrown.
   */
  private async writeItem(
    lists: ProvisionedLists,
    planId: string,
    known: Known,
    fields: Record<string, unknown>,
    newMembers: Record<string, unknown>[],
  ): Promise<{ ok: true; eTag: string | undefined } | { ok: false }> {
    const path = `${this.itemsPath(lists, 'plans')}/${known.itemId}/fields`;
    const etagFrom = (body: unknown) => {
      const etag = (body as Record<string, unknown> | undefined)?.['@odata.etag'];
      return typeof etag === 'string' ? etag : undefined;
    };
    if (newMembers.length === 0) {
      try {
        const answer = await this.graph.patch(path, fields, {
          headers: { 'If-Match': known.eTag },
          idempotent: true,
        });
        return { ok: true, eTag: etagFrom(answer) };
      } catch (error) {
        if (error instanceof GraphRequestError && error.status === 412) return { ok: false };
        throw error;
      }
    }
    const planStep: BatchStep = {
      id: 'plan',
      method: 'PATCH',
      url: path,
      body: fields,
      headers: { 'If-Match': known.eTag },
      idempotent: true,
    };
    const results = await this.graph.batch([
      planStep,
      ...newMembers.map(
        (member, i): BatchStep => ({
          id: `m${i}`,
          method: 'POST',
          url: this.itemsPath(lists, 'members'),
          body: { fields: member },
          dependsOn: ['plan'],
          idempotent: true,
        }),
      ),
    ]);
    const outcome = results.get('plan');
    if (!outcome) throw new Error('the $batch answer had no outcome for the plan');
    if (outcome.status === 412) return { ok: false };
    if (!isSuccess(outcome)) throw outcomeError(planStep, outcome);
    this.reportIndexFailures(planId, results, newMembers.length);
    return { ok: true, eTag: etagFrom(outcome.body) };
  }

  /** Member rows, sent again safely: a row that exists already (409, its key is unique) is fine. */
  private async addMembers(lists: ProvisionedLists, members: Record<string, unknown>[]): Promise<void> {
    if (members.length === 0) return;
    const results = await this.graph.batch(
      members.map((member, i) => ({
        id: `m${i}`,
        method: 'POST' as const,
        url: this.itemsPath(lists, 'members'),
        body: { fields: member },
        idempotent: true,
      })),
    );
    this.reportIndexFailures('(re-sent)', results, members.length);
  }

  private async removeMembers(
    lists: ProvisionedLists,
    planId: string,
    keys: Set<string> | 'all',
  ): Promise<void> {
    try {
      const rows = await this.graph.getAll<ListItem>(
        this.itemsPath(lists, 'members') +
          queryString({
            $filter: `fields/PlanId eq ${quote(planId)}`,
            $select: 'id',
            $expand: 'fields($select=PlanId,MemberKey)',
            $top: 500,
          }),
      );
      const doomed = rows.filter(
        (row) => row.fields?.PlanId === planId && (keys === 'all' || keys.has(String(row.fields?.MemberKey))),
      );
      if (doomed.length === 0) return;
      const results = await this.graph.batch(
        doomed.map((row, i) => ({
          id: `d${i}`,
          method: 'DELETE' as const,
          url: `${this.itemsPath(lists, 'members')}/${row.id}`,
          idempotent: true,
        })),
      );
      // A row already gone (404: an earlier, lost answer) is what we wanted.
      const failed = [...results.values()].filter((o) => !isSuccess(o) && o.status !== 404);
      if (failed.length > 0)
        this.log(
          `SharePoint: ${failed.length} stale member rows of plan ${planId} stay (harmless: lists check the plan)`,
        );
    } catch (error) {
      this.log(
        `SharePoint: could not remove member rows of plan ${planId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Member rows that failed after the plan was written: the plan stands; say what the index misses. */
  private reportIndexFailures(planId: string, results: Map<string, { status: number }>, count: number): void {
    let failed = 0;
    for (let i = 0; i < count; i++) {
      const outcome = results.get(`m${i}`);
      if (outcome && outcome.status >= 300 && outcome.status !== 409) failed++;
    }
    if (failed > 0) {
      this.log(
        `SharePoint: ${failed} member rows of plan ${planId} were not written; "my plans" may miss it until its next save`,
      );
    }
  }

  // ---- listing by person or channel --------------------------------------------------------------

  private async listByMembers(
    lists: ProvisionedLists,
    query: PlanQuery,
    limit: number,
    person: string | undefined,
  ): Promise<PlanPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor('m', query.cursor);
    const filter =
      person !== undefined
        ? `fields/Person eq ${quote(person)}`
        : `fields/ChannelId eq ${quote(query.channelId ?? '')}`;
    const rows = await this.graph.getAll<ListItem>(
      this.itemsPath(lists, 'members') +
        queryString({
          $filter: filter,
          $select: 'id',
          $expand: 'fields($select=PlanId,PlanCreated,Person,ChannelId)',
          $top: 5000,
        }),
    );
    // Creation order: (created, id), known from the rows without reading the plans.
    const candidates = new Map<string, { t: string; p: string }>();
    for (const row of rows) {
      const f = row.fields ?? {};
      const exact = person !== undefined ? f.Person === person : f.ChannelId === query.channelId;
      if (!exact || typeof f.PlanId !== 'string') continue;
      candidates.set(f.PlanId, { t: String(f.PlanCreated ?? ''), p: f.PlanId });
    }
    const ordered = [...candidates.values()]
      .filter((c) => after === undefined || c.t > after.t || (c.t === after.t && c.p > after.p))
      .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
    const found: { plan: Plan; key: { t: string; p: string } }[] = [];
    let next = 0;
    while (found.length <= limit && next < ordered.length) {
      const wanted = ordered.slice(next, next + limit + 1 - found.length);
      next += wanted.length;
      const byId = await this.readMany(
        lists,
        wanted.map((c) => c.p),
      );
      for (const candidate of wanted) {
        const stored = byId.get(candidate.p);
        if (stored?.kind === 'live' && matches(stored.plan, query, person))
          found.push({ plan: stored.plan, key: candidate });
      }
    }
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((f) => f.plan),
      ...(found.length > limit && last
        ? { nextCursor: encodeCursor({ k: 'm', t: last.key.t, p: last.key.p }) }
        : {}),
    };
  }

  /** Plans by id: one request for up to 15, one `$batch` for more. */
  private async readMany(lists: ProvisionedLists, ids: string[]): Promise<Map<string, StoredItem>> {
    const groups: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_FILTER) groups.push(ids.slice(i, i + IDS_PER_FILTER));
    const path = (group: string[]) =>
      this.itemsPath(lists, 'plans') +
      this.select(PLAN_FIELDS, group.map((id) => `fields/PlanId eq ${quote(id)}`).join(' or '), group.length);
    let pages: ListItem[][];
    if (groups.length <= 1) {
      pages =
        groups.length === 0
          ? []
          : [(await this.graph.get<{ value: ListItem[] }>(path(groups[0] ?? []))).value];
    } else {
      const steps: BatchStep[] = groups.map((group, i) => ({ id: `g${i}`, method: 'GET', url: path(group) }));
      const results = await this.graph.batch(steps);
      pages = steps.map((step) => {
        const outcome = results.get(step.id);
        if (!outcome || !isSuccess(outcome))
          throw outcome ? outcomeError(step, outcome) : new Error('no outcome');
        return (outcome.body as { value: ListItem[] }).value;
      });
    }
    const byId = new Map<string, StoredItem>();
    for (const item of pages.flat()) {
      const planId = item.fields?.PlanId;
      if (typeof planId === 'string' && ids.includes(planId)) byId.set(planId, this.parse(item, false));
    }
    return byId;
  }
}
