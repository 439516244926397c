// `npm run start:emulated`: the whole app on the SharePoint store, against the Graph emulator.
// Starts the emulator on loopback, then the built local host (functions/dist/local-host.js) with
// COSELL_STORE=sharepoint, its site on the emulator, and GRAPH_EMULATOR_URL, so every Graph request the
// app makes goes through the real Graph SDK and client to the emulator. On its first request the store
// provisions its lists (printed), then the demo plan is seeded. The emulator keeps its data in memory:
// each start is a fresh site. Stop with Ctrl+C.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKit } from './build-kit.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kit = await loadKit('start-emulated');
const emulator = await kit.startGraphEmulator({ port: Number(process.env.GRAPH_EMULATOR_PORT ?? 0) });
console.log(`Graph emulator on ${emulator.url} (site ${emulator.siteUrl})`);

const child = spawn(process.execPath, [path.join(root, 'functions/dist/local-host.js')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    COSELL_STORE: 'sharepoint',
    SHAREPOINT_SITE: emulator.siteUrl,
    GRAPH_EMULATOR_URL: emulator.url,
  },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null) child.kill('SIGTERM');
  const s = emulator.stats;
  console.log(
    `Graph emulator: ${s.requests} requests (${Object.entries(s.byEndpoint)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  await emulator.close();
  process.exit(code);
}
child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
