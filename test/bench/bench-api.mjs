// npm run bench:api — reading one plan at 32 concurrent connections through the whole API (local host,
// Functions handler, local identity, SQLite store), side by side in the same run with a bare Node `http`
// server that answers the same JSON bytes. Prints requests/s, p50 and p99 for both, and the ratio.
// Target: the API serves at least 0.5 of the bare server's requests/s.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGET = 0.5;

function startProcess(args, env) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

const BARE_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const body = fs.readFileSync(process.env.BODY_FILE);
const etag = process.env.ETAG;
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag, 'cache-control': 'no-cache' });
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log('bare server running at http://127.0.0.1:' + server.address().port + '/'));
`;

function run(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, pipelining: 1 }, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-bench-'));
const api = await startProcess(['functions/dist/local-host.js'], {
  COSELL_PORT: '0',
  COSELL_DATA_DIR: dataDir,
  COSELL_SEED_DEMO: 'true',
});
const planUrl = `${api.url}/api/plans/demo-northwind`;
const sample = await fetch(planUrl);
if (sample.status !== 200) throw new Error(`the API answered ${sample.status} for the demo plan`);
const bodyFile = path.join(dataDir, 'plan.json');
fs.writeFileSync(bodyFile, Buffer.from(await sample.arrayBuffer()));
const bare = await startProcess(['-e', BARE_SERVER], {
  BODY_FILE: bodyFile,
  ETAG: sample.headers.get('etag') ?? '"1"',
});

console.log(
  `Reading one plan (${fs.statSync(bodyFile).size} bytes of JSON), ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s each, alternating.`,
);
// Warm both up (JIT, SQLite page cache), then alternate so drift on a shared machine hits both alike.
await run(planUrl);
await run(bare.url);
const results = { api: [], bare: [] };
for (let round = 0; round < ROUNDS; round++) {
  results.api.push(await run(planUrl));
  results.bare.push(await run(bare.url));
}
api.child.kill('SIGTERM');
bare.child.kill('SIGTERM');
fs.rmSync(dataDir, { recursive: true, force: true });

function summarize(list) {
  const rps = list.reduce((s, r) => s + r.requests.average, 0) / list.length;
  const p50 = list.reduce((s, r) => s + r.latency.p50, 0) / list.length;
  const p99 = list.reduce((s, r) => s + r.latency.p99, 0) / list.length;
  const errors = list.reduce((s, r) => s + r.errors + r.non2xx, 0);
  return { rps, p50, p99, errors };
}
const a = summarize(results.api);
const b = summarize(results.bare);
const ratio = a.rps / b.rps;
const row = (name, s) =>
  `${name.padEnd(34)} ${s.rps.toFixed(0).padStart(8)} req/s   p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   errors ${s.errors}`;
console.log(row('API (local host + handler + SQLite)', a));
console.log(row('bare node:http, same JSON', b));
console.log(
  `ratio API / bare: ${ratio.toFixed(2)} (target >= ${TARGET}) ${ratio >= TARGET && a.errors === 0 ? 'PASS' : 'FAIL'}`,
);
process.exit(ratio >= TARGET && a.errors === 0 ? 0 : 1);
