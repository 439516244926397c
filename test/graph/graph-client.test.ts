import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BatchStep,
  createGraphClient,
  type GraphClient,
  type GraphClientOptions,
  outcomeError,
  parseRetryAfter,
  type RetryEvent,
} from '../../functions/src/graph/graph-client';
import { GraphRequestError } from '../../functions/src/graph/graph-error';
import { StaticTokenProvider, TokenAcquisitionError } from '../../functions/src/graph/token-providers';
import { type GraphEmulator, startGraphEmulator } from '../graph-emulator/emulator';

/*
 * The Graph client's retry, paging and batch paths, against the emulator over HTTP. Waits are recorded by
 * an injected sleep instead of slept, so the tests assert what the client waited without timing anything.
 */

const TOKEN = 'client-test-token';
let emulator: GraphEmulator;
let items: string;

beforeAll(async () => {
  emulator = await startGraphEmulator({ acceptedToken: TOKEN });
});

afterAll(async () => {
  await emulator.close();
});

interface Harness {
  graph: GraphClient;
  sleeps: number[];
  retries: RetryEvent[];
}

function client(options: Partial<GraphClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  const graph = createGraphClient({
    tokenProvider: new StaticTokenProvider(TOKEN),
    emulatorUrl: emulator.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    onRetry: (event) => retries.push(event),
    ...options,
  });
  return { graph, sleeps, retries };
}

async function rejection(promise: Promise<unknown>): Promise<GraphRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphRequestError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  emulator.resetSite();
  emulator.setFaults({});
  const { graph } = client();
  const list = await graph.post<{ id: string }>(`/sites/${emulator.siteId}/lists`, {
    displayName: 'Things',
    list: { template: 'genericList' },
  });
  await graph.post(`/sites/${emulator.siteId}/lists/${list.id}/columns`, {
    name: 'Key',
    text: { maxLength: 100 },
    indexed: true,
    enforceUniqueValues: true,
  });
  items = `/sites/${emulator.siteId}/lists/${list.id}/items`;
  emulator.resetStats();
});

describe('authentication and routing', () => {
  it('keeps the https Graph base and rewrites it to the emulator in the last middleware, with the bearer token', async () => {
    const { graph } = client();
    const site = await graph.get<{ id: string; webUrl: string }>(`/sites/${emulator.siteId}`);
    expect(site.id).toBe(emulator.siteId);
    expect(emulator.stats.requests).toBe(1);
  });

  it('a wrong token is a 401 GraphRequestError with the request-id', async () => {
    const { graph } = client({ tokenProvider: new StaticTokenProvider('not-the-token') });
    const error = await rejection(graph.get(`/sites/${emulator.siteId}`));
    expect(error.status).toBe(401);
    expect(error.code).toBe('unauthenticated');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.isTransient).toBe(false);
  });

  it('refuses a plain-http Graph base URL (the SDK would send no token)', () => {
    expect(() => client({ baseUrl: 'http://graph.example' })).toThrow(/must be https/);
  });

  it('routes a sovereign-cloud base URL to the emulator too', async () => {
    const sovereign = await startGraphEmulator({ publicBaseUrl: 'https://graph.microsoft.us' });
    try {
      const graph = createGraphClient({
        tokenProvider: new StaticTokenProvider('t'),
        baseUrl: 'https://graph.microsoft.us',
        emulatorUrl: sovereign.url,
      });
      expect((await graph.get<{ id: string }>(`/sites/${sovereign.siteId}`)).id).toBe(sovereign.siteId);
    } finally {
      await sovereign.close();
    }
  });
});

describe('retries', () => {
  it('sends a throttled request again after the Retry-After it was given, and succeeds', async () => {
    const { graph, sleeps, retries } = client();
    emulator.queueFault({ kind: 'throttle', retryAfterSeconds: 7 }, 2);
    const site = await graph.get<{ id: string }>(`/sites/${emulator.siteId}`);
    expect(site.id).toBe(emulator.siteId);
    expect(sleeps).toEqual([7000, 7000]);
    expect(retries.map((r) => r.reason)).toEqual(['429', '429']);
    expect(emulator.stats.requests).toBe(3);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-10-18T09:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Sun, 18 Oct 2026 09:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('backs off exponentially when the answer gives no Retry-After', async () => {
    const { graph, sleeps } = client({ retry: { baseDelayMs: 100 } });
    emulator.queueFault({ kind: 'unavailable', retryAfterSeconds: null }, 3);
    await graph.get(`/sites/${emulator.siteId}`);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('a POST that may not run twice is sent again after a 429 (not applied) but not after a 503', async () => {
    const { graph } = client();
    emulator.queueFault({ kind: 'throttle' });
    await graph.post(items, { fields: { Key: 'after-429' } });
    emulator.queueFault({ kind: 'unavailable' });
    const error = await rejection(graph.post(items, { fields: { Key: 'after-503' } }));
    expect(error.status).toBe(503);
    expect(error.isTransient).toBe(true);
    expect(error.attempts).toBe(1);
    const keys = emulator.inspectList('Things')?.items.map((i) => i.fields.Key);
    expect(keys).toEqual(['after-429']);
  });

  it('a lost answer: a guarded write is sent again (and answered 409 by its unique key), an unguarded one is not', async () => {
    const { graph } = client();
    emulator.queueFault({ kind: 'lost' });
    const lost = await rejection(graph.post(items, { fields: { Key: 'unguarded' } }));
    expect(lost.status).toBe(0);
    expect(lost.code).toBe('networkError');
    expect(lost.isTransient).toBe(true);
    // The write was applied although its answer never came.
    expect(emulator.inspectList('Things')?.items.map((i) => i.fields.Key)).toEqual(['unguarded']);

    emulator.queueFault({ kind: 'lost' });
    const again = await rejection(graph.post(items, { fields: { Key: 'guarded' } }, { idempotent: true }));
    expect(again.status).toBe(409);
    expect(again.attempts).toBe(2);
    expect(emulator.inspectList('Things')?.items.map((i) => i.fields.Key)).toEqual(['unguarded', 'guarded']);
  });

  it('gives up after maxRetries with the last status, the attempts and the request-id', async () => {
    const { graph, sleeps } = client({ retry: { maxRetries: 3 } });
    emulator.queueFault({ kind: 'throttle', retryAfterSeconds: 2 }, 10);
    const error = await rejection(graph.get(`/sites/${emulator.siteId}`));
    expect(error.status).toBe(429);
    expect(error.code).toBe('TooManyRequests');
    expect(error.attempts).toBe(4);
    expect(error.retryAfterSeconds).toBe(2);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sleeps).toEqual([2000, 2000, 2000]);
  });

  it('does not wait out a Retry-After longer than its cap: the caller gets the error with it', async () => {
    const { graph, sleeps } = client({ retry: { maxRetryAfterSeconds: 60 } });
    emulator.queueFault({ kind: 'throttle', retryAfterSeconds: 120 });
    const error = await rejection(graph.get(`/sites/${emulator.siteId}`));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(120);
    expect(sleeps).toEqual([]);
  });

  it('an answer slower than the timeout is a timeout, and a read is sent again', async () => {
    const { graph, retries } = client({ timeoutMs: 100 });
    emulator.setFaults({ slowMs: 1000 });
    emulator.queueFault({ kind: 'slow' });
    const site = await graph.get<{ id: string }>(`/sites/${emulator.siteId}`);
    expect(site.id).toBe(emulator.siteId);
    expect(retries.map((r) => r.reason)).toEqual(['timeout']);
  });
});

describe('paging and concurrency', () => {
  it('getAll follows @odata.nextLink (an https Graph link) to the last page', async () => {
    const { graph } = client();
    for (let i = 0; i < 7; i++) await graph.post(items, { fields: { Key: `k${i}` } });
    emulator.resetStats();
    const all = await graph.getAll<{ fields: { Key: string } }>(
      `${items}?$expand=fields($select=Key)&$top=2`,
    );
    expect(all.map((i) => i.fields.Key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    expect(emulator.stats.byEndpoint['GET items']).toBe(4);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const { graph } = client({ maxConcurrency: 3, fetch: counting });
    emulator.setFaults({ rate: 1, kinds: ['slow'], slowMs: 20 });
    await Promise.all(Array.from({ length: 12 }, () => graph.get(`/sites/${emulator.siteId}`)));
    expect(most).toBe(3);
    expect(emulator.stats.requests).toBe(12);
  });
});

describe('$batch', () => {
  const get = (id: string): BatchStep => ({ id, method: 'GET', url: `/sites/${emulator.siteId}` });

  it('cuts 45 steps into $batch requests of 20, 20 and 5, every step answered', async () => {
    const { graph } = client();
    const steps = Array.from({ length: 45 }, (_, i) => get(`s${i}`));
    const results = await graph.batch(steps);
    expect([...results.values()].map((r) => r.status)).toEqual(Array(45).fill(200));
    expect(emulator.stats.byEndpoint['POST $batch']).toBe(3);
  });

  it('sends again only the steps answered 429 inside the batch, after the longest Retry-After', async () => {
    const { graph, sleeps, retries } = client();
    emulator.queueFault({ kind: 'batchStepThrottle', retryAfterSeconds: 3 });
    emulator.queueFault({ kind: 'batchStepThrottle', retryAfterSeconds: 5 });
    const steps = Array.from({ length: 10 }, (_, i) => get(`s${i}`));
    const results = await graph.batch(steps);
    expect([...results.values()].every((r) => r.status === 200)).toBe(true);
    expect(sleeps).toEqual([5000]);
    expect(retries[0]?.stepIds).toHaveLength(2);
    expect(emulator.stats.byEndpoint['POST $batch']).toBe(2);
    expect(emulator.stats.batchSteps['GET site']).toBe(12);
  });

  it('a step whose dependency was throttled goes again with it; one whose dependency failed gets 424', async () => {
    const { graph } = client();
    const post = (id: string, key: string, dependsOn?: string[]): BatchStep => ({
      id,
      method: 'POST',
      url: items,
      body: { fields: { Key: key } },
      ...(dependsOn ? { dependsOn } : {}),
    });
    emulator.queueFault({ kind: 'batchStepThrottle', match: (_m, url) => url === items }, 1);
    const first = await graph.batch([post('a', 'one'), post('b', 'two', ['a'])]);
    expect(first.get('a')?.status).toBe(201);
    expect(first.get('b')?.status).toBe(201);

    const second = await graph.batch([post('a', 'one'), post('b', 'three', ['a']), post('c', 'four', ['b'])]);
    expect(second.get('a')?.status).toBe(409);
    expect(second.get('b')?.status).toBe(424);
    expect(second.get('c')?.status).toBe(424);
    expect(emulator.inspectList('Things')?.items.map((i) => i.fields.Key)).toEqual(['one', 'two']);
  });

  it('resolves a dependency on a step of an earlier chunk: sent without it when it succeeded, 424 unsent when it failed', async () => {
    const { graph } = client();
    const steps: BatchStep[] = [
      { id: 'first', method: 'POST', url: items, body: { fields: { Key: 'first' } } },
      ...Array.from({ length: 19 }, (_, i) => get(`g${i}`)),
      { id: 'last', method: 'POST', url: items, body: { fields: { Key: 'last' } }, dependsOn: ['first'] },
    ];
    const ok = await graph.batch(steps);
    expect(ok.get('last')?.status).toBe(201);
    emulator.resetStats();
    const failed = await graph.batch(steps);
    expect(failed.get('first')?.status).toBe(409);
    expect(failed.get('last')?.status).toBe(424);
    expect(emulator.stats.byEndpoint['POST $batch']).toBe(1);
  });

  it('turns a failed step into the one error type, with its request-id', async () => {
    const { graph } = client();
    const step: BatchStep = { id: 'missing', method: 'GET', url: `${items}/999` };
    const outcome = (await graph.batch([step])).get('missing');
    if (!outcome) throw new Error('no outcome');
    const error = outcomeError(step, outcome);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('itemNotFound');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses duplicate step ids and dependencies on later steps before sending anything', async () => {
    const { graph } = client();
    await expect(graph.batch([get('a'), get('a')])).rejects.toThrow(/used twice/);
    await expect(graph.batch([{ ...get('a'), dependsOn: ['b'] }, get('b')])).rejects.toThrow(
      /not an earlier step/,
    );
    expect(emulator.stats.requests).toBe(0);
  });
});

describe('token failures', () => {
  it('no token: an authenticationFailed GraphRequestError, not transient, and nothing sent', async () => {
    const failing = {
      async getAccessToken(): Promise<string> {
        throw new TokenAcquisitionError('AADSTS7000215: Invalid client secret provided.');
      },
    };
    const { graph } = client({ tokenProvider: failing });
    const error = await rejection(graph.get(`/sites/${emulator.siteId}`));
    expect(error.code).toBe('authenticationFailed');
    expect(error.isTransient).toBe(false);
    expect(error.message).toContain('Invalid client secret');
    expect(emulator.stats.requests).toBe(0);
  });
});
