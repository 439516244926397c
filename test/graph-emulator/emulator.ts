import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CalendarEmulator,
  type CalendarSettings,
  calendarEndpointOf,
  defaultCalendarSettings,
} from './calendar';
import { TeamsChannels } from './channels';
import { GraphMail } from './mail';
import {
  type GraphAnswer,
  graphError,
  type IncomingGraphRequest,
  type ListSettings,
  type QueryObservation,
  SharePointSite,
  type ThresholdError,
} from './sharepoint-lists';

/*
 * A loopback Microsoft Graph for exactly the endpoints the app uses (reference/graph-contract.md §10):
 * sites, lists, columns, list items with fields, versions and `$batch`, answering with the documented
 * bodies (reference/graph-examples/ are its fixtures: test/graph/emulator-fixtures.test.ts checks the
 * shapes). It requires a bearer token, answers errors in Graph's error body with `request-id`, injects
 * faults on demand (429 and 503 with Retry-After, slow answers, an answer lost after the write was
 * applied, 429 inside `$batch`) and counts the requests it receives per endpoint.
 *
 * Graph clients keep `https://graph.microsoft.com` as their base and rewrite the origin to this server in
 * their last middleware; the links it hands out (nextLink) use that public origin too.
 */

export type FaultKind = 'throttle' | 'unavailable' | 'lost' | 'slow';

export interface FaultSettings {
  /** Chance that a request (a whole `$batch` counts as one) meets a fault, 0..1. */
  rate: number;
  /** Which faults, drawn with equal chance. */
  kinds: FaultKind[];
  /** Chance that one step inside a `$batch` is answered 429, 0..1. */
  batchStepThrottleRate: number;
  /** Sent as Retry-After with 429 and 503; null sends none. */
  retryAfterSeconds: number | null;
  /** How long a slow answer waits. */
  slowMs: number;
}

export interface QueuedFault {
  kind: FaultKind | 'batchStepThrottle';
  /** Only requests (or `$batch` steps) this accepts; default every one. */
  match?: (method: string, path: string) => boolean;
  retryAfterSeconds?: number | null;
}

export interface EmulatorStats {
  /** HTTP requests received: the round trips. */
  requests: number;
  /** By `METHOD endpoint`, e.g. `GET items`, `PATCH fields`, `POST $batch`. */
  byEndpoint: Record<string, number>;
  /** Steps inside `$batch` requests, by endpoint. */
  batchSteps: Record<string, number>;
  faults: Record<FaultKind | 'batchStepThrottle', number>;
  /** Item queries on lists above the threshold, and the most rows one of them scanned. */
  largeListQueries: number;
  maxRowsScanned: number;
  thresholdViolations: number;
  /** Filters refused for naming a non-indexed column. */
  nonIndexedRefusals: number;
}

export interface GraphEmulatorOptions {
  host?: string;
  port?: number;
  /** The site the emulator holds. */
  hostname?: string;
  sitePath?: string;
  publicBaseUrl?: string;
  /** When set, only this bearer token is accepted; otherwise any non-empty one. */
  acceptedToken?: string;
  threshold?: number;
  thresholdError?: ThresholdError;
  defaultPageSize?: number;
  indexedOnListCreate?: boolean;
  faults?: Partial<FaultSettings>;
  /** Seed of the fault dice and of the `$batch` execution order. */
  seed?: number;
  /** Outlook calendars (calendar.ts): transactionId dedupe, readable free/busy domains, event page size. */
  calendar?: Partial<Omit<CalendarSettings, 'publicBaseUrl'>>;
}

export interface GraphEmulator {
  /** Where it listens: http://127.0.0.1:<port>. */
  url: string;
  siteId: string;
  /** The site's web URL, for configuration by URL: https://<hostname><sitePath>. */
  siteUrl: string;
  stats: EmulatorStats;
  resetStats(): void;
  /** Replaces the random fault settings (missing ones keep their defaults: no faults). */
  setFaults(settings: Partial<FaultSettings>): void;
  /** Faults for the next matching requests, before any random one. */
  queueFault(fault: QueuedFault, count?: number): void;
  /** Empties the site (a fresh one with only its Documents library); stats and faults stay. */
  resetSite(): void;
  /** The stored rows of a list, for assertions that look under the API. */
  inspectList: SharePointSite['inspect'];
  /** Teams channels and their members (`…/channels/{id}/allMembers`, channels.ts). */
  channels: TeamsChannels;
  /** sendMail and the activity feed (`/users/{id}/sendMail`, `…/teamwork/sendActivityNotification`, mail.ts). */
  mail: GraphMail;
  /** Outlook calendars: events, instances, attachments, cancel, getSchedule (`/users/{id}/…`, `/me/…`, calendar.ts). */
  calendars: CalendarEmulator;
  close(): Promise<void>;
}

const NO_FAULTS: FaultSettings = {
  rate: 0,
  kinds: ['throttle', 'unavailable', 'lost'],
  batchStepThrottleRate: 0,
  retryAfterSeconds: 0,
  slowMs: 200,
};

/** mulberry32: small, seeded, good enough for fault dice. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    byEndpoint: {},
    batchSteps: {},
    faults: { throttle: 0, unavailable: 0, lost: 0, slow: 0, batchStepThrottle: 0 },
    largeListQueries: 0,
    maxRowsScanned: 0,
    thresholdViolations: 0,
    nonIndexedRefusals: 0,
  };
}

/** `GET items`, `PATCH fields`, `POST $batch`… from the path segments after /v1.0. */
export function endpointOf(method: string, segments: string[]): string {
  const [first] = segments;
  if (first === '$batch') return `${method} $batch`;
  if (
    (first === 'users' || first === 'me') &&
    /^(events|calendar)$/.test(segments[first === 'me' ? 1 : 2] ?? '')
  )
    return calendarEndpointOf(method, segments);
  if (first !== 'sites') return `${method} ${segments.join('/')}`;
  const listAt = segments.indexOf('lists');
  if (listAt === -1) return `${method} site`;
  const rest = segments.slice(listAt);
  const names = ['lists', 'list', 'items', 'item', 'fields'];
  if (rest[2] === 'columns') return `${method} columns`;
  if (rest[4] === 'versions') return `${method} versions`;
  return `${method} ${names[Math.min(rest.length - 1, names.length - 1)] ?? 'lists'}`;
}

function throttled(retryAfter: number | null): GraphAnswer {
  const date = new Date().toISOString().slice(0, 19);
  const requestId = randomUUID();
  return {
    status: 429,
    headers: retryAfter === null ? {} : { 'Retry-After': String(retryAfter) },
    body: {
      error: {
        code: 'TooManyRequests',
        innerError: {
          code: '429',
          date,
          message: 'Please retry after',
          'request-id': requestId,
          status: '429',
        },
        message: 'Please retry again later.',
      },
    },
  };
}

function unavailable(retryAfter: number | null): GraphAnswer {
  return graphError(
    503,
    'serviceNotAvailable',
    'The service is temporarily unavailable. Please retry later.',
    retryAfter === null ? {} : { 'Retry-After': String(retryAfter) },
  );
}

interface ParsedPath {
  segments: string[];
  query: URLSearchParams;
}

function parsePath(rawPath: string): ParsedPath | undefined {
  const queryAt = rawPath.indexOf('?');
  const pathPart = queryAt === -1 ? rawPath : rawPath.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : rawPath.slice(queryAt + 1));
  let segments = pathPart
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  if (segments[0] === 'v1.0') segments = segments.slice(1);
  else return undefined;
  return { segments, query };
}

class Emulator implements GraphEmulator {
  url = '';
  readonly siteId: string;
  readonly siteUrl: string;
  stats: EmulatorStats = emptyStats();
  readonly channels: TeamsChannels;
  readonly mail = new GraphMail();
  readonly calendars: CalendarEmulator;
  private readonly site: SharePointSite;
  private readonly server: http.Server;
  private faults: FaultSettings = NO_FAULTS;
  private readonly queued: QueuedFault[] = [];
  private readonly random: () => number;

  constructor(private readonly options: GraphEmulatorOptions) {
    const settings: ListSettings = {
      publicBaseUrl: (options.publicBaseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, ''),
      threshold: options.threshold ?? 5000,
      thresholdError: options.thresholdError ?? {
        status: 500,
        code: 'generalException',
        message:
          'The attempted operation is prohibited because it exceeds the list view threshold enforced by the administrator.',
      },
      defaultPageSize: options.defaultPageSize ?? 200,
      maxPageSize: 5000,
      indexedOnListCreate: options.indexedOnListCreate ?? false,
      maxMultilineLength: 63_999,
      maxIndexedColumns: 20,
    };
    this.site = new SharePointSite(
      {
        hostname: options.hostname ?? 'contoso.sharepoint.com',
        path: options.sitePath ?? '/sites/cosell',
        siteGuid: '2c3a7f6e-1d4b-4f5a-9e8d-7c6b5a4f3e2d',
        webGuid: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
      },
      settings,
    );
    this.channels = new TeamsChannels(settings.publicBaseUrl);
    this.calendars = new CalendarEmulator({
      ...defaultCalendarSettings(settings.publicBaseUrl),
      ...options.calendar,
    });
    this.site.onQuery((o) => this.observe(o));
    this.siteId = this.site.id;
    this.siteUrl = this.site.webUrl;
    this.random = seededRandom(options.seed ?? 20_261_018);
    this.setFaults(options.faults ?? {});
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.send(res, graphError(500, 'generalException', String(error)), undefined);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve),
    );
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${host}:${address.port}`;
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  setFaults(settings: Partial<FaultSettings>): void {
    this.faults = { ...NO_FAULTS, ...settings };
  }

  queueFault(fault: QueuedFault, count = 1): void {
    for (let i = 0; i < count; i++) this.queued.push(fault);
  }

  resetSite(): void {
    this.site.reset();
  }

  inspectList: SharePointSite['inspect'] = (name) => this.site.inspect(name);

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private observe(observation: QueryObservation): void {
    this.stats.largeListQueries++;
    this.stats.maxRowsScanned = Math.max(this.stats.maxRowsScanned, observation.rowsScanned);
    if (observation.overThreshold) this.stats.thresholdViolations++;
  }

  /** A queued fault for this request, else the dice. */
  private drawFault(
    kinds: readonly (FaultKind | 'batchStepThrottle')[],
    method: string,
    path: string,
    rate: number,
  ) {
    const at = this.queued.findIndex((f) => kinds.includes(f.kind) && (f.match?.(method, path) ?? true));
    if (at !== -1) {
      const [fault] = this.queued.splice(at, 1);
      if (fault) {
        // null means "send no Retry-After"; only a missing value takes the default.
        const retryAfter =
          fault.retryAfterSeconds !== undefined ? fault.retryAfterSeconds : this.faults.retryAfterSeconds;
        return { kind: fault.kind, retryAfter };
      }
    }
    if (rate > 0 && this.random() < rate) {
      const pool = kinds.filter((k) => k === 'batchStepThrottle' || this.faults.kinds.includes(k));
      const kind = pool[Math.floor(this.random() * pool.length)];
      if (kind) return { kind, retryAfter: this.faults.retryAfterSeconds };
    }
    return undefined;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = req.url ?? '/';
    const parsed = parsePath(rawPath);
    const endpoint = parsed ? endpointOf(method, parsed.segments) : `${method} ?`;
    this.stats.byEndpoint[endpoint] = (this.stats.byEndpoint[endpoint] ?? 0) + 1;
    const bodyText = await readBody(req);
    const clientRequestId = header(req, 'client-request-id');

    const authorization = header(req, 'authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token || (this.options.acceptedToken !== undefined && token !== this.options.acceptedToken)) {
      this.send(res, graphError(401, 'unauthenticated', 'The caller is not authenticated.'), clientRequestId);
      return;
    }

    const fault = this.drawFault(
      ['throttle', 'unavailable', 'lost', 'slow'],
      method,
      rawPath,
      this.faults.rate,
    );
    if (fault) this.stats.faults[fault.kind]++;
    if (fault?.kind === 'throttle') return this.send(res, throttled(fault.retryAfter), clientRequestId);
    if (fault?.kind === 'unavailable') return this.send(res, unavailable(fault.retryAfter), clientRequestId);
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, this.faults.slowMs));

    let answer: GraphAnswer;
    if (!parsed) {
      answer = graphError(400, 'invalidRequest', `Invalid version in ${rawPath}: the emulator serves /v1.0`);
    } else {
      let body: unknown;
      try {
        body = bodyText === '' ? undefined : JSON.parse(bodyText);
      } catch {
        answer = graphError(400, 'invalidRequest', 'The request body is not valid JSON.');
        return this.send(res, answer, clientRequestId);
      }
      const request: IncomingGraphRequest = {
        method,
        segments: parsed.segments,
        query: parsed.query,
        header: (name) => header(req, name),
        body,
      };
      answer =
        parsed.segments[0] === '$batch' && parsed.segments.length === 1
          ? this.batch(request)
          : this.route(request);
    }
    if (fault?.kind === 'lost') {
      // The write is applied; the answer never arrives.
      res.socket?.destroy();
      return;
    }
    this.send(res, answer, clientRequestId);
  }

  private route(request: IncomingGraphRequest): GraphAnswer {
    const [first, second, ...rest] = request.segments;
    if (first === 'teams' && request.segments[4] === 'allMembers') return this.channels.handle(request);
    if (this.mail.matches(request)) return this.mail.handle(request);
    if (first === 'users' || first === 'me') return this.calendars.handle(request);
    if (first !== 'sites' || second === undefined) {
      return graphError(400, 'invalidRequest', `Resource not found for the segment '${first ?? ''}'.`);
    }
    let reference = second;
    let remaining = rest;
    if (second.endsWith(':')) {
      // Path addressing: /sites/{hostname}:/{server-relative-path}[:/lists/…]
      const pathSegments: string[] = [];
      remaining = [];
      for (let i = 0; i < rest.length; i++) {
        const segment = rest[i] ?? '';
        if (segment.endsWith(':')) {
          pathSegments.push(segment.slice(0, -1));
          remaining = rest.slice(i + 1);
          break;
        }
        pathSegments.push(segment);
      }
      reference = `${second}/${pathSegments.join('/')}`;
    }
    if (!this.site.matches(reference))
      return graphError(404, 'itemNotFound', 'Requested site could not be found');
    const answer = this.site.handle(request, remaining);
    if (answer.status === 400 && JSON.stringify(answer.body).includes('as it is not indexed')) {
      this.stats.nonIndexedRefusals++;
    }
    return answer;
  }

  private batch(request: IncomingGraphRequest): GraphAnswer {
    if (request.method !== 'POST') return graphError(405, 'notSupported', 'Use POST for $batch.');
    const requests = (request.body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(requests))
      return graphError(400, 'invalidRequest', 'The batch body needs a requests array.');
    // [UNCONFIRMED] the status for more than 20 steps; 400 as for any malformed batch.
    if (requests.length > 20) {
      return graphError(400, 'invalidRequest', 'Batch request exceeds the maximum number of 20 requests.');
    }
    interface Step {
      id: string;
      method: string;
      url: string;
      headers: Record<string, string>;
      body: unknown;
      dependsOn: string[];
    }
    const steps: Step[] = [];
    const ids = new Set<string>();
    for (const raw of requests) {
      const step = raw as Partial<Step> & { headers?: unknown; dependsOn?: unknown };
      if (typeof step.id !== 'string' || typeof step.method !== 'string' || typeof step.url !== 'string') {
        return graphError(400, 'invalidRequest', 'Each batch request needs an id, a method and a url.');
      }
      const id = step.id.toLowerCase();
      if (ids.has(id))
        return graphError(400, 'invalidRequest', `The batch request id '${step.id}' is used twice.`);
      ids.add(id);
      const headers = (step.headers ?? {}) as Record<string, string>;
      const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
      if (step.body !== undefined && !hasContentType) {
        return graphError(
          400,
          'invalidRequest',
          `Batch request '${step.id}' has a body but no Content-Type header.`,
        );
      }
      const dependsOn = Array.isArray(step.dependsOn) ? step.dependsOn.map((d) => String(d)) : [];
      steps.push({
        id: step.id,
        method: step.method.toUpperCase(),
        url: step.url,
        headers,
        body: step.body,
        dependsOn,
      });
    }
    for (const step of steps) {
      for (const dependency of step.dependsOn) {
        if (!ids.has(dependency.toLowerCase())) {
          return graphError(
            400,
            'invalidRequest',
            `Batch request '${step.id}' depends on unknown request '${dependency}'.`,
          );
        }
      }
    }

    // Steps run in any order the dependencies allow; the answer lists them in that order.
    const done = new Map<
      string,
      { id: string; status: number; headers: Record<string, string>; body?: unknown }
    >();
    let waiting = [...steps];
    while (waiting.length > 0) {
      const ready = waiting.filter((s) => s.dependsOn.every((d) => done.has(d.toLowerCase())));
      if (ready.length === 0)
        return graphError(400, 'invalidRequest', 'The batch dependencies form a cycle.');
      for (let i = ready.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        const a = ready[i];
        const b = ready[j];
        if (a && b) {
          ready[i] = b;
          ready[j] = a;
        }
      }
      for (const step of ready) {
        const failed = step.dependsOn.some((d) => (done.get(d.toLowerCase())?.status ?? 0) >= 400);
        let answer: GraphAnswer;
        const stepPath = step.url.replace(/^\/?(v1\.0\/)?/, '/v1.0/');
        const parsed = parsePath(stepPath);
        const endpoint = parsed ? endpointOf(step.method, parsed.segments) : `${step.method} ?`;
        this.stats.batchSteps[endpoint] = (this.stats.batchSteps[endpoint] ?? 0) + 1;
        if (failed) {
          answer = graphError(424, 'failedDependency', 'A request this request depends on failed.');
        } else {
          const fault = this.drawFault(
            ['batchStepThrottle'],
            step.method,
            step.url,
            this.faults.batchStepThrottleRate,
          );
          if (fault) {
            this.stats.faults.batchStepThrottle++;
            answer = throttled(fault.retryAfter);
          } else if (!parsed || /^https?:/i.test(step.url) || parsed.segments[0] === '$batch') {
            answer = graphError(400, 'invalidRequest', `Invalid batch request url '${step.url}'.`);
          } else {
            const lower = Object.fromEntries(
              Object.entries(step.headers).map(([k, v]) => [k.toLowerCase(), v]),
            );
            answer = this.route({
              method: step.method,
              segments: parsed.segments,
              query: parsed.query,
              header: (name) => lower[name.toLowerCase()] ?? request.header(name),
              body: step.body,
            });
          }
        }
        const headers: Record<string, string> = { ...answer.headers };
        if (answer.body !== undefined) headers['Content-Type'] = 'application/json';
        done.set(step.id.toLowerCase(), {
          id: step.id,
          status: answer.status,
          headers,
          ...(answer.body !== undefined
            ? { body: withInnerError(answer.body, randomUUID(), undefined) }
            : {}),
        });
      }
      const finished = new Set(ready);
      waiting = waiting.filter((s) => !finished.has(s));
    }
    return { status: 200, body: { responses: [...done.values()] } };
  }

  private send(res: ServerResponse, answer: GraphAnswer, clientRequestId: string | undefined): void {
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      'request-id': requestId,
      'client-request-id': clientRequestId ?? requestId,
      ...answer.headers,
    };
    if (answer.body === undefined || answer.status === 204) {
      res.writeHead(answer.status, headers);
      res.end();
      return;
    }
    const body = JSON.stringify(withInnerError(answer.body, requestId, clientRequestId));
    res.writeHead(answer.status, {
      ...headers,
      'Content-Type':
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  }
}

/** Error bodies carry innerError with the date and the ids, as Graph's do. */
function withInnerError(body: unknown, requestId: string, clientRequestId: string | undefined): unknown {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== 'object') return body;
  const inner = (error.innerError ?? {}) as Record<string, unknown>;
  return {
    error: {
      ...error,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
        ...inner,
      },
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const emulator = new Emulator(options);
  await emulator.listen();
  return emulator;
}
