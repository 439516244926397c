// npm run package -- --env <stage>
// Builds manifest/build/appPackage.<stage>.zip (manifest.json, color.png, outline.png at the root) from
// manifest/manifest.template.json and manifest/env/.env.<stage>, and manifest/build/<stage>/entra-app.json
// (the Entra app registration body, see manifest/ENTRA.md). Exits 1 with every problem found.
import path from 'node:path';
import { buildAppPackage, listStages } from './app-package.mjs';

/** @param {string[]} args */
function readStage(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--env') return args[i + 1];
    if (arg.startsWith('--env=')) return arg.slice('--env='.length);
  }
  return undefined;
}

/** @param {string} file */
const shown = (file) => path.relative(process.cwd(), file);

async function main() {
  const stage = readStage(process.argv.slice(2));
  if (!stage) {
    console.error(`Usage: npm run package -- --env <stage>   (stages: ${listStages().join(', ')})`);
    return 1;
  }
  const result = await buildAppPackage({ stage });
  for (const warning of result.warnings) console.warn(`! ${warning}`);
  if (!result.ok) {
    const where = result.manifestPath ? shown(result.manifestPath) : `the "${stage}" package`;
    console.error(`✗ ${where}: ${result.problems.length} problem(s), no package written`);
    for (const problem of result.problems) console.error(`  - ${problem}`);
    return 1;
  }
  console.log(`✓ ${shown(result.manifestPath)} is valid (Teams manifest schema, URLs, validDomains, icons)`);
  console.log(`✓ ${shown(result.entraAppPath)} (Entra app registration body, see manifest/ENTRA.md)`);
  console.log(`✓ ${shown(result.zipPath)}: ${result.entries.join(', ')}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
