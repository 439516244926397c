import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { HttpResponseInit } from '@azure/functions';
import azureFunctions from '@azure/functions';
import { AppError } from '../app-error';
import type { ApiContext, ApiRequest } from '../http/api-request';
import { problemResponse } from '../http/problem';
import { MAX_BODY_BYTES } from '../http/request';
import { dispatcher, type Handler, type RouteDefinition } from '../routes';
import type { TimerDefinition } from '../timers';
import { startTimerScheduler } from './timer-scheduler';

/*
 * A small stand-in for the Azure Functions host, for `npm start` and tests: it serves the same route table
 * that main.ts registers with Azure (routePrefix `api`), hands the handlers the request and context
 * members they use (`ApiRequest`, `ApiContext`), and serves the built tab from the same origin.
 */

const { HttpResponse } = azureFunctions;

/** Teams, Outlook and the Microsoft 365 app may frame the tab (reference/teams-platform.md §6). */
const FRAME_ANCESTORS =
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.microsoft365.com https://*.office.com https://outlook.office.com https://outlook.office365.com https://outlook.live.com";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface CompiledRoute {
  name: string;
  pattern: RegExp;
  params: string[];
  handler: Handler;
  /** The route's body limit (RouteDefinition.maxBodyBytes, else MAX_BODY_BYTES). */
  maxBodyBytes: number;
}

/** Azure Functions route templates: `{name}`, `{name?}`, `{*rest}`; constraints after `:` are ignored. */
export function compileRoute(template: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]*)?(\?)?\}$/.exec(segment);
      if (!m) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      const [, star, name, optional] = m;
      params.push(name ?? '');
      if (star) return '(?:/(.*))?';
      return optional ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}/?$`), params };
}

export interface LocalHostOptions {
  routes: RouteDefinition[];
  host: string;
  port: number;
  tabDir?: string;
  log?: (line: string) => void;
  /** The timer table (timers.ts), run on its schedules like the Functions host does. */
  timers?: TimerDefinition[];
  /** Run the timers on their schedules (default true); tests turn it off and call `runTimer`. */
  scheduleTimers?: boolean;
}

export interface RunningHost {
  url: string;
  server: http.Server;
  close(): Promise<void>;
  /** Runs one timer now (tests, a manual run); answers what the job returned. */
  runTimer(name: string): Promise<unknown>;
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.toLowerCase() !== 'x-forwarded-for') headers.append(name, raw[i + 1] ?? '');
  }
  // The caller's address as this host saw it; a client cannot choose it.
  headers.set('x-forwarded-for', req.socket.remoteAddress ?? '');
  return headers;
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

async function writeResult(res: ServerResponse, result: HttpResponseInit): Promise<void> {
  let body: string | Uint8Array | undefined;
  const headers: Record<string, string> = {};
  const init = result.headers;
  if (init instanceof Headers)
    init.forEach((v, k) => {
      headers[k] = v;
    });
  else if (Array.isArray(init)) for (const [k, v] of init) headers[k.toLowerCase()] = v;
  else if (init) for (const [k, v] of Object.entries(init)) headers[k.toLowerCase()] = String(v);

  if (result.jsonBody !== undefined) {
    body = JSON.stringify(result.jsonBody);
    headers['content-type'] ??= 'application/json';
  } else if (typeof result.body === 'string' || result.body instanceof Uint8Array) {
    body = result.body;
  } else if (result.body !== undefined && result.body !== null) {
    // Anything else a handler may return (streams, blobs…): let the library's own response class read it.
    body = new Uint8Array(await new HttpResponse(result).arrayBuffer());
  }
  const status = result.status ?? 200;
  if (status === 204 || status === 304) body = undefined;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(body);
}

function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  tabDir: string | undefined,
  /** Markup for the end of the app page's `<head>` (the sign-in settings), if any. */
  headOfIndex?: () => Promise<string | undefined>,
): void {
  const securityHeaders = {
    'content-security-policy': FRAME_ANCESTORS,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', ...securityHeaders });
    res.end();
    return;
  }
  const indexFile = tabDir ? path.join(tabDir, 'index.html') : undefined;
  if (!tabDir || !indexFile || !existsSync(indexFile)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders });
    res.end('The tab is not built yet. Run `npm run build:tab` (npm start does this for you).\n');
    return;
  }
  const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  const resolved = path.resolve(tabDir, `.${path.posix.normalize(urlPath)}`);
  let file =
    resolved.startsWith(path.resolve(tabDir) + path.sep) &&
    existsSync(resolved) &&
    statSync(resolved).isFile()
      ? resolved
      : undefined;
  // Client-side routes (no file extension) get the app; a missing asset is a plain 404.
  if (!file && path.extname(urlPath) === '') file = indexFile;
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders });
    res.end('Not found\n');
    return;
  }
  if (file === indexFile && headOfIndex) {
    void serveIndex(req, res, file, headOfIndex, securityHeaders);
    return;
  }
  const isAsset = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...securityHeaders,
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

/** The app page, with `head()` written before its `</head>` (the page as built when there is nothing to add). */
async function serveIndex(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  head: () => Promise<string | undefined>,
  securityHeaders: Record<string, string>,
): Promise<void> {
  try {
    const [html, extra] = await Promise.all([readFile(file, 'utf8'), head().catch(() => undefined)]);
    const at = html.indexOf('</head>');
    const body = extra && at !== -1 ? `${html.slice(0, at)}${extra}\n  ${html.slice(at)}` : html;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES['.html'] ?? 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-length': String(Buffer.byteLength(body)),
      ...securityHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    if (!res.headersSent) res.writeHead(500, securityHeaders);
    res.end();
  }
}

/**
 * The answer of `GET /api/auth/config` (the route named `auth-config`, asked through the same handler) as a
 * JSON data block for the app page: the tab reads it there (tab/src/host/auth.ts) instead of asking, so its
 * first API request waits for no other. Written for a script element: `<` becomes `\u003c`, so the text can
 * neither close the element nor open a comment. Undefined when the route does not answer 200 with JSON.
 */
async function authConfigElement(routes: CompiledRoute[], origin: string): Promise<string | undefined> {
  const route = routes.find((candidate) => candidate.name === 'auth-config');
  if (!route) return undefined;
  const request: ApiRequest = {
    method: 'GET',
    url: `${origin}/api/auth/config`,
    headers: new Headers({ accept: 'application/json' }),
    query: new URLSearchParams(),
    params: {},
    arrayBuffer: async () => new ArrayBuffer(0),
  };
  const context: ApiContext = { invocationId: randomUUID(), functionName: route.name, error: () => {} };
  const result = await route.handler(request, context);
  if ((result.status ?? 200) !== 200 || typeof result.body !== 'string') return undefined;
  const json = JSON.stringify(JSON.parse(result.body))
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="cosell-auth-config">${json}</script>`;
}

export function startLocalHost(options: LocalHostOptions): Promise<RunningHost> {
  const log = options.log ?? (() => {});
  const compiled: CompiledRoute[] = options.routes.map((definition) => ({
    name: definition.name,
    ...compileRoute(definition.route),
    handler: dispatcher(definition),
    maxBodyBytes: definition.maxBodyBytes ?? MAX_BODY_BYTES,
  }));
  const apiPrefix = '/api/';
  const timers = startTimerScheduler(options.timers ?? [], {
    schedule: options.scheduleTimers ?? true,
    log,
  });

  const server = http.createServer(async (req, res) => {
    try {
      const rawUrl = req.url ?? '/';
      const pathname = rawUrl.split('?')[0] ?? '/';
      if (!pathname.startsWith(apiPrefix)) {
        serveStatic(req, res, options.tabDir, () =>
          authConfigElement(compiled, `http://${req.headers.host ?? 'localhost'}`),
        );
        return;
      }
      const routePath = pathname.slice(apiPrefix.length - 1);
      let route: CompiledRoute | undefined;
      let match: RegExpExecArray | null = null;
      for (const candidate of compiled) {
        match = candidate.pattern.exec(routePath);
        if (match) {
          route = candidate;
          break;
        }
      }
      if (!route || !match) {
        await writeResult(
          res,
          problemResponse(new AppError('NOT_FOUND', `There is no API at ${pathname}.`), pathname),
        );
        return;
      }
      const params: Record<string, string> = {};
      route.params.forEach((name, i) => {
        const value = match?.[i + 1];
        if (value !== undefined) {
          try {
            params[name] = decodeURIComponent(value);
          } catch {
            params[name] = value;
          }
        }
      });
      const method = (req.method ?? 'GET').toUpperCase();
      let bytes: Uint8Array | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const limit = route.maxBodyBytes;
        // A declared length over the limit is refused before a byte is read.
        const declared = Number(req.headers['content-length'] ?? '0');
        const body = declared > limit ? 'too-large' : await readBody(req, limit);
        if (body === 'too-large') {
          res.setHeader('connection', 'close');
          await writeResult(
            res,
            problemResponse(
              new AppError(
                'PAYLOAD_TOO_LARGE',
                limit === MAX_BODY_BYTES
                  ? `The body is larger than ${MAX_BODY_BYTES} bytes; a plan fits one page, far below this.`
                  : `The body is larger than ${limit} bytes, the most this route reads.`,
              ),
              pathname,
            ),
          );
          req.destroy();
          return;
        }
        bytes = body;
      }
      const url = `http://${req.headers.host ?? 'localhost'}${rawUrl}`;
      const queryIndex = rawUrl.indexOf('?');
      const body = bytes ?? new Uint8Array(0);
      const request: ApiRequest = {
        method,
        url,
        headers: headersOf(req),
        query: new URLSearchParams(queryIndex === -1 ? '' : rawUrl.slice(queryIndex + 1)),
        params,
        arrayBuffer: async () =>
          body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
      };
      const functionName = route.name;
      const context: ApiContext = {
        invocationId: randomUUID(),
        functionName,
        error: (...args: unknown[]) => log(`[error] ${functionName}: ${args.map(String).join(' ')}`),
      };
      await writeResult(res, await route.handler(request, context));
    } catch (error) {
      log(`[error] local host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent)
        await writeResult(
          res,
          problemResponse(new AppError('INTERNAL', 'The request could not be completed.')),
        );
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        server,
        runTimer: (name) => timers.run(name),
        close: () =>
          new Promise<void>((done) => {
            timers.stop();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
