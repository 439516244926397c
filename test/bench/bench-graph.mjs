// `npm run bench:graph`: Graph round trips per operation of the SharePoint store, and the store at
// 10,000 plans, counted at the Graph emulator (test/graph-emulator/). The emulator runs in this process
// on loopback; the store talks to it over HTTP through the real Graph SDK and client.
// Options: BENCH_GRAPH_PLANS (default 10000), BENCH_GRAPH_CONCURRENCY (default 8).

import { loadKit } from '../graph-emulator/build-kit.mjs';

const plans = Number(process.env.BENCH_GRAPH_PLANS ?? 10_000);
const concurrency = Number(process.env.BENCH_GRAPH_CONCURRENCY ?? 8);
const kit = await loadKit('bench');
const emulator = await kit.startGraphEmulator();
const pad = (text, width) => String(text).padEnd(width);

try {
  console.log('Graph round trips per operation (HTTP requests received by the emulator; a $batch is one)\n');
  for (const r of await kit.measureRoundTrips(emulator)) {
    console.log(`  ${pad(r.operation, 62)} ${pad(r.requests, 3)} ${r.detail}`);
  }

  console.log(`\n${plans} plans, created through the store (${concurrency} at a time) against the emulator…`);
  const figures = await kit.provisionAtScale(emulator, {
    count: plans,
    concurrency,
    log: (l) => console.log(l),
  });
  const seconds = figures.provisionMs / 1000;
  console.log(
    `  created ${figures.plans} plans in ${seconds.toFixed(1)} s, ${figures.provisionRequests} requests ` +
      `(${(figures.provisionRequests / figures.plans).toFixed(2)} per plan, ${(figures.plans / seconds).toFixed(0)} plans/s)\n`,
  );
  console.log(`Portfolio queries on ${figures.plans} plans (view threshold ${figures.threshold} rows)\n`);
  console.log(`  ${pad('query', 52)} ${pad('requests', 9)} ${pad('plans', 7)} ms`);
  for (const q of figures.queries) {
    console.log(`  ${pad(q.query, 52)} ${pad(q.requests, 9)} ${pad(q.items, 7)} ${q.ms.toFixed(0)}`);
  }
  console.log(
    `\n  queries on lists above the threshold: ${figures.largeListQueries}; most rows one scanned: ${figures.maxRowsScanned}; ` +
      `over the threshold: ${figures.thresholdViolations}`,
  );
  if (figures.thresholdViolations > 0) process.exitCode = 1;
} finally {
  await emulator.close();
}
