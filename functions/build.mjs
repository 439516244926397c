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

// The PDF's fonts (functions/src/pdf/pdf-fonts.ts) beside the bundles, in dist/fonts: found there by
// `npm start` and by Azure Functions, whatever node_modules holds at run time.
{
  const { copyFileSync, mkdirSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const fontDir = path.join(
    path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
    'ttf',
  );
  mkdirSync(path.join(here, 'dist/fonts'), { recursive: true });
  for (const file of ['DejaVuSansCondensed.ttf', 'DejaVuSansCondensed-Bold.ttf', 'LICENSE']) {
    const from = file === 'LICENSE' ? path.join(fontDir, '../LICENSE') : path.join(fontDir, file);
    copyFileSync(from, path.join(here, 'dist/fonts', file === 'LICENSE' ? 'DejaVu-LICENSE' : file));
  }
}
