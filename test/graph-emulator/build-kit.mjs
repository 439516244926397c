// Bundles the emulator kit (test/graph-emulator/kit.ts: the emulator, the Graph client, the SharePoint
// store and the bench measurements, all TypeScript) into one ES module under .tmp/, so plain Node scripts
// (`npm run start:emulated`, `npm run bench:graph`) can run it. Returns the module, imported.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** @param {string} label a name for the bundle, so two scripts running at once do not share a file */
export async function loadKit(label) {
  const outfile = path.join(root, '.tmp', `graph-kit-${label}.mjs`);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'test/graph-emulator/kit.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@azure/functions', 'better-sqlite3'],
    // The Graph SDK and MSAL are CommonJS; give the bundle a require for them.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}
