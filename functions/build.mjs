// Bundles the Functions app (dist/main.js, for Azure Functions Core Tools and Azure), the local host
// (dist/local-host.js, for `npm start`, tests and benchmarks) and the SharePoint provisioning command
// (dist/provision.js, for `npm run provision`). The shared domain is bundled in; the Functions library,
// the native SQLite driver and MSAL stay external.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: {
    main: path.join(here, 'src/main.ts'),
    'local-host': path.join(here, 'src/host/cli.ts'),
    provision: path.join(here, 'src/host/provision-cli.ts'),
  },
  outdir: path.join(here, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // MSAL (an ES module with CommonJS dependencies that require Node built-ins) is loaded from node_modules.
  external: ['@azure/functions', 'better-sqlite3', '@azure/msal-node'],
  logLevel: 'warning',
});
console.log('functions: built dist/main.js, dist/local-host.js and dist/provision.js');
