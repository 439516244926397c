// npm run bench:tab — what the plan page costs a person opening it: the built tab and the API on the local
// host (fresh data dir, demo plan seeded), `#/plans/demo-northwind` opened in Debian's Chromium with the
// CPU slowed down 4× (CDP Emulation.setCPUThrottlingRate), a fresh browser context per run (cold cache).
// For each run it prints:
//   - the gzip size (zlib level 9, computed here: the local host does not compress) of every JavaScript
//     file the page requested before the plan was visible, summed;
//   - the time from navigation start until the plan's title (h1) and its first section are in the page
//     and a frame has been rendered with them (performance.now() in the page, whose origin is the
//     navigation start).
// Then the median of 5 runs, the files of one run, and PASS/FAIL against <= 110 kB gz and <= 1.0 s.
// `npm run bench:tab` builds first (npm run build); `node test/bench/bench-tab.mjs` measures the tab/dist
// and functions/dist already built. BENCH_RUNS changes the number of runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.COSELL_CHROMIUM ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CPU_SLOWDOWN = 4;
const PLAN_ID = 'demo-northwind';
/** 1 kB = 1000 bytes, as Vite reports sizes. */
const TARGET_JS_KB = 110;
const TARGET_VISIBLE_MS = 1000;

for (const file of ['tab/dist/index.html', 'functions/dist/local-host.js']) {
  if (!fs.existsSync(path.join(ROOT, file))) {
    console.error(`${file} is missing: run \`npm run build\` first (npm run bench:tab does).`);
    process.exit(2);
  }
}

function startLocalHost(dataDir) {
  const child = spawn(process.execPath, ['functions/dist/local-host.js'], {
    cwd: ROOT,
    env: { ...process.env, COSELL_PORT: '0', COSELL_DATA_DIR: dataDir, COSELL_SEED_DEMO: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the local host did not start in 30 s: ${out}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local host exited with ${code}: ${out}`));
    });
  });
}

/*
 * Runs in the page before any of its scripts: watches the DOM for the plan's title and its first section
 * and records, in the frame after both are there, performance.now() (milliseconds since navigation start).
 */
function watchForPlan(title) {
  const isShown = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const check = () => {
    const heading = [...document.querySelectorAll('h1')].find((h) => h.textContent?.trim() === title);
    const section = document.querySelector('main section h2');
    if (!heading || !section || !isShown(heading) || !isShown(section)) return false;
    observer.disconnect();
    requestAnimationFrame(() => {
      window.__planVisibleAt = performance.now();
    });
    return true;
  };
  const observer = new MutationObserver(check);
  const start = () => {
    if (!check()) observer.observe(document, { childList: true, subtree: true, characterData: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

const gzipCache = new Map();
async function gzipSizeOf(url) {
  if (!gzipCache.has(url)) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    gzipCache.set(url, { raw: bytes.length, gz: zlib.gzipSync(bytes, { level: 9 }).length });
  }
  return gzipCache.get(url);
}

async function measureOnce(browser, baseUrl, title) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(watchForPlan, title);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(`${baseUrl}/#/plans/${PLAN_ID}`);
    await page.waitForFunction(() => typeof window.__planVisibleAt === 'number', undefined, {
      timeout: 30_000,
    });
    if (errors.length > 0) throw new Error(`the page raised: ${errors.join('; ')}`);
    const { visibleAt, scripts } = await page.evaluate(() => ({
      visibleAt: window.__planVisibleAt,
      // Every JavaScript file the page asked for before the plan was visible (module scripts,
      // modulepreload links and dynamic imports alike).
      scripts: performance
        .getEntriesByType('resource')
        .filter(
          (entry) =>
            new URL(entry.name).pathname.endsWith('.js') && entry.startTime <= window.__planVisibleAt,
        )
        .map((entry) => entry.name),
    }));
    const files = [];
    for (const url of [...new Set(scripts)]) files.push({ url, ...(await gzipSizeOf(url)) });
    return { visibleMs: visibleAt, files, gzBytes: files.reduce((sum, f) => sum + f.gz, 0) };
  } finally {
    await context.close();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const kb = (bytes) => (bytes / 1000).toFixed(1);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-bench-tab-'));
const host = await startLocalHost(dataDir);
let browser;
let passed = false;
try {
  const plan = await (await fetch(`${host.url}/api/plans/${PLAN_ID}`)).json();
  if (typeof plan.title !== 'string')
    throw new Error(`the API did not return the demo plan: ${JSON.stringify(plan)}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  console.log(
    `Opening #/plans/${PLAN_ID} in Chromium with ${CPU_SLOWDOWN}x CPU slowdown, cold cache, ${RUNS} runs.`,
  );
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await measureOnce(browser, host.url, plan.title);
    runs.push(run);
    console.log(
      `run ${i + 1}: initial JS ${kb(run.gzBytes)} kB gz in ${run.files.length} files, plan visible at ${run.visibleMs.toFixed(0)} ms`,
    );
  }
  const last = runs[runs.length - 1];
  console.log('JavaScript loaded before the plan was visible (last run):');
  for (const file of [...last.files].sort((a, b) => b.gz - a.gz)) {
    console.log(
      `  ${kb(file.gz).padStart(6)} kB gz  ${kb(file.raw).padStart(7)} kB  ${new URL(file.url).pathname}`,
    );
  }
  const jsKb = median(runs.map((r) => r.gzBytes)) / 1000;
  const visibleMs = median(runs.map((r) => r.visibleMs));
  const jsOk = jsKb <= TARGET_JS_KB;
  const timeOk = visibleMs <= TARGET_VISIBLE_MS;
  console.log(
    `median initial JS: ${jsKb.toFixed(1)} kB gz (target <= ${TARGET_JS_KB} kB) ${jsOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `median plan visible: ${visibleMs.toFixed(0)} ms at ${CPU_SLOWDOWN}x CPU slowdown (target <= ${TARGET_VISIBLE_MS} ms) ${timeOk ? 'PASS' : 'FAIL'}`,
  );
  passed = jsOk && timeOk;
} finally {
  await browser?.close();
  host.child.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
