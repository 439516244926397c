// Bundles the Functions app (dist/main.js, for Azure Functions Core Tools and Azure) and the local host
// (dist/local-host.js, for `npm start`, tests and benchmarks). The shared domain is bundled in; the
// Functions library and the native SQLite driver stay external.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: { main: path.join(here, 'src/main.ts'), 'local-host': path.join(here, 'src/host/cli.ts') },
  outdir: path.join(here, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['@azure/functions', 'better-sqlite3'],
  logLevel: 'warning',
});
console.log('functions: built dist/main.js and dist/local-host.js');
