import { execFile } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listDesign } from '../../functions/src/adapters/sharepoint-list-design';
import {
  ProvisioningError,
  provisionLists,
  resolveSiteId,
} from '../../functions/src/adapters/sharepoint-provisioning';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';
import { benchGraphClient } from '../graph-emulator/graph-bench';

/*
 * Provisioning creates or completes the lists and their indexed columns, idempotently, with progress, given
 * a site id or URL; `npm run provision` is the same, from the command line.
 */

let emulator: GraphEmulator;
const design = listDesign();

beforeAll(async () => {
  emulator = await startGraphEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.resetSite();
  emulator.resetStats();
});

async function provision(options: { create?: boolean; site?: string } = {}) {
  const lines: string[] = [];
  const lists = await provisionLists({
    graph: benchGraphClient(emulator),
    site: options.site ?? emulator.siteUrl,
    design,
    log: (line) => lines.push(line),
    ...(options.create === undefined ? {} : { create: options.create }),
  });
  return { lists, lines };
}

describe('the list design', () => {
  it('indexes the filtered columns, keeps within 20 indexed columns per list, never indexes multi-line text', () => {
    for (const spec of [design.plans, design.members]) {
      expect(spec.columns.filter((c) => c.indexed).length).toBeLessThanOrEqual(20);
      expect(spec.columns.filter((c) => c.kind === 'multiline' && c.indexed)).toEqual([]);
      expect(spec.columns.filter((c) => c.unique && !c.indexed)).toEqual([]);
    }
    const indexed = (names: string[], spec = design.plans) =>
      names.every((n) => spec.columns.find((c) => c.name === n)?.indexed === true);
    expect(
      indexed(['PlanId', 'PlanStatus', 'StallsOn', 'NextMilestoneDue', 'LastReviewedOn', 'CrmDealId']),
    ).toBe(true);
    expect(indexed(['PlanId', 'Person', 'Side', 'Role', 'ChannelId', 'MemberKey'], design.members)).toBe(
      true,
    );
  });
});

describe('provisioning', () => {
  it('creates both lists with every column and index on an empty site, saying so', async () => {
    const { lists, lines } = await provision();
    expect(lists.siteId).toBe(emulator.siteId);
    expect(lines.filter((l) => l.includes('created'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('added to'))).toHaveLength(
      design.plans.columns.length + design.members.columns.length,
    );
    const columns = emulator.inspectList('Co-Sell Plans')?.columns ?? [];
    for (const spec of design.plans.columns) {
      const column = columns.find((c) => c.name === spec.name);
      expect(column?.indexed, spec.name).toBe(spec.indexed);
      expect(column?.enforceUniqueValues, spec.name).toBe(spec.unique === true);
    }
  });

  it('run again: changes nothing, only reads', async () => {
    const first = await provision();
    emulator.resetStats();
    const second = await provision();
    expect(second.lists).toEqual(first.lists);
    expect(second.lines.some((l) => l.includes('created') || l.includes('added'))).toBe(false);
    expect(Object.keys(emulator.stats.byEndpoint).every((k) => k.startsWith('GET'))).toBe(true);
  });

  it('completes a list someone made by hand with only some of the columns', async () => {
    const graph = benchGraphClient(emulator);
    const list = await graph.post<{ id: string }>(`/sites/${emulator.siteId}/lists`, {
      displayName: 'Co-Sell Plans',
    });
    await graph.post(`/sites/${emulator.siteId}/lists/${list.id}/columns`, {
      name: 'PlanId',
      text: { maxLength: 64 },
      indexed: true,
      enforceUniqueValues: true,
    });
    const { lists, lines } = await provision();
    expect(lists.plansListId).toBe(list.id);
    expect(lines.filter((l) => l.includes('added to "Co-Sell Plans"'))).toHaveLength(
      design.plans.columns.length - 1,
    );
  });

  it('reports a column that exists but is not indexed, and changes nothing', async () => {
    const graph = benchGraphClient(emulator);
    const list = await graph.post<{ id: string }>(`/sites/${emulator.siteId}/lists`, {
      displayName: 'Co-Sell Plans',
    });
    await graph.post(`/sites/${emulator.siteId}/lists/${list.id}/columns`, {
      name: 'PlanStatus',
      choice: { choices: ['draft'] },
    });
    await expect(provision()).rejects.toThrow(/column PlanStatus is not indexed/);
    await expect(provision()).rejects.toBeInstanceOf(ProvisioningError);
  });

  it('checking only (create: false) says what is missing instead of creating it', async () => {
    await expect(provision({ create: false })).rejects.toThrow(/does not exist: run npm run provision/);
    expect(emulator.inspectList('Co-Sell Plans')).toBeUndefined();
  });

  it('takes the site by URL or by id, and says when there is no such site', async () => {
    const graph = benchGraphClient(emulator);
    expect(await resolveSiteId(graph, emulator.siteUrl)).toBe(emulator.siteId);
    expect(await resolveSiteId(graph, emulator.siteId)).toBe(emulator.siteId);
    await expect(resolveSiteId(graph, 'https://contoso.sharepoint.com/sites/nowhere')).rejects.toThrow(
      /was not found/,
    );
  });
});

/** Runs the built command; asynchronously, since the emulator answers from this very process. */
function provisionCommand(
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['functions/dist/provision.js'],
      { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run provision', () => {
  it('provisions from the command line against the emulator, then finds everything in place', async () => {
    const env = { SHAREPOINT_SITE: emulator.siteUrl, GRAPH_EMULATOR_URL: emulator.url };
    const first = await provisionCommand(env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('list "Co-Sell Plans" created');
    expect(first.stdout).toContain('column PlanId (indexed, unique) added');
    const second = await provisionCommand(env);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('created');
    expect(second.stdout).toContain('list "Co-Sell Plan Members" ready');
  });

  it('exits 1 with the configuration problem when the site is missing', async () => {
    const run = await provisionCommand({ SHAREPOINT_SITE: '', GRAPH_EMULATOR_URL: emulator.url });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Configuration: .*SHAREPOINT_SITE/);
  });
});
