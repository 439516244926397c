import type { GraphClient } from '../graph/graph-client';
import { GraphRequestError } from '../graph/graph-error';
import { type ColumnSpec, columnDefinition, type ListDesign, type ListSpec } from './sharepoint-list-design';

/*
 * Creates or completes the lists of the design, idempotently: a list that exists is kept, a missing column
 * is added (with its index), a column that exists but differs is reported, never changed. Each column is
 * added on its own (POST …/columns, where `indexed` is documented) rather than in the create-list body,
 * where whether `indexed: true` takes effect is not documented (reference/graph-contract.md §2.2).
 */

export interface ProvisionedLists {
  siteId: string;
  plansListId: string;
  membersListId: string;
}

export class ProvisioningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

interface GraphColumn {
  name?: string;
  indexed?: boolean;
  enforceUniqueValues?: boolean;
  text?: { allowMultipleLines?: boolean };
  number?: unknown;
  choice?: { choices?: string[] };
}

interface GraphList {
  id: string;
  displayName?: string;
  columns?: GraphColumn[];
}

/** The canonical site id (`hostname,site-guid,web-guid`) from an id in any form or a site URL. */
export async function resolveSiteId(graph: GraphClient, site: string): Promise<string> {
  let path: string;
  if (/^https:\/\//i.test(site)) {
    const url = new URL(site);
    const serverRelative = url.pathname.replace(/\/+$/, '');
    path = serverRelative === '' ? `/sites/${url.hostname}` : `/sites/${url.hostname}:${serverRelative}`;
  } else {
    path = `/sites/${site}`;
  }
  try {
    const found = await graph.get<{ id?: string }>(path);
    if (!found.id) throw new ProvisioningError(`Graph returned no id for the site ${site}`);
    return found.id;
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 404) {
      throw new ProvisioningError(`SharePoint site ${site} was not found (or the app may not read it).`);
    }
    throw error;
  }
}

function describeColumn(column: ColumnSpec): string {
  const traits = [column.indexed ? 'indexed' : '', column.unique ? 'unique' : ''].filter(Boolean);
  return traits.length > 0 ? `${column.name} (${traits.join(', ')})` : column.name;
}

/** What is wrong with an existing column, if anything. */
function mismatch(wanted: ColumnSpec, found: GraphColumn): string | undefined {
  const kind = found.text
    ? found.text.allowMultipleLines
      ? 'multiline'
      : 'text'
    : found.number
      ? 'number'
      : found.choice
        ? 'choice'
        : 'other';
  if (kind !== wanted.kind) return `is ${kind}, not ${wanted.kind}`;
  if (wanted.indexed && found.indexed !== true) return 'is not indexed';
  if (wanted.unique && found.enforceUniqueValues !== true) return 'does not enforce unique values';
  if (wanted.kind === 'choice') {
    const missing = (wanted.choices ?? []).filter((c) => !(found.choice?.choices ?? []).includes(c));
    if (missing.length > 0) return `lacks the choices ${missing.join(', ')}`;
  }
  return undefined;
}

async function findList(
  graph: GraphClient,
  siteId: string,
  displayName: string,
): Promise<GraphList | undefined> {
  try {
    return await graph.get<GraphList>(
      `/sites/${siteId}/lists/${encodeURIComponent(displayName)}?$expand=columns`,
    );
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 404) return undefined;
    throw error;
  }
}

async function ensureList(
  graph: GraphClient,
  siteId: string,
  spec: ListSpec,
  create: boolean,
  log: (line: string) => void,
): Promise<string> {
  let list = await findList(graph, siteId, spec.displayName);
  if (!list) {
    if (!create)
      throw new ProvisioningError(`The list "${spec.displayName}" does not exist: run npm run provision.`);
    try {
      await graph.post(`/sites/${siteId}/lists`, {
        displayName: spec.displayName,
        description: spec.description,
        list: { template: 'genericList' },
      });
      log(`SharePoint: list "${spec.displayName}" created`);
    } catch (error) {
      // Another instance created it first.
      if (!(error instanceof GraphRequestError && error.status === 409)) throw error;
    }
    list = await findList(graph, siteId, spec.displayName);
    if (!list) throw new ProvisioningError(`The list "${spec.displayName}" could not be created.`);
  }
  const problems: string[] = [];
  let added = 0;
  for (const column of spec.columns) {
    const found = list.columns?.find((c) => c.name === column.name);
    if (found) {
      const wrong = mismatch(column, found);
      if (wrong) problems.push(`column ${column.name} ${wrong}`);
      continue;
    }
    if (!create) {
      problems.push(`column ${column.name} is missing`);
      continue;
    }
    try {
      await graph.post(`/sites/${siteId}/lists/${list.id}/columns`, columnDefinition(column));
      added++;
      log(`SharePoint:   column ${describeColumn(column)} added to "${spec.displayName}"`);
    } catch (error) {
      if (!(error instanceof GraphRequestError && error.status === 409)) throw error;
    }
  }
  if (problems.length > 0) {
    throw new ProvisioningError(
      `The list "${spec.displayName}" does not match what the app needs: ${problems.join('; ')}. ` +
        'Fix these columns in the list settings (Indexed columns; column settings), or remove the list and run npm run provision.',
    );
  }
  log(
    `SharePoint: list "${spec.displayName}" ready (${spec.columns.length} columns, ${spec.columns.filter((c) => c.indexed).length} indexed${added > 0 ? `, ${added} added now` : ''})`,
  );
  return list.id;
}

/**
 * Resolves the site and makes sure both lists and all their columns exist. With `create: false` it only
 * checks, and says what is missing.
 */
export async function provisionLists(options: {
  graph: GraphClient;
  site: string;
  design: ListDesign;
  create?: boolean;
  log?: (line: string) => void;
}): Promise<ProvisionedLists> {
  const log = options.log ?? (() => {});
  const create = options.create ?? true;
  const siteId = await resolveSiteId(options.graph, options.site);
  log(`SharePoint: site ${siteId}`);
  const plansListId = await ensureList(options.graph, siteId, options.design.plans, create, log);
  const membersListId = await ensureList(options.graph, siteId, options.design.members, create, log);
  return { siteId, plansListId, membersListId };
}
