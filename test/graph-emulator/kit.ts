/*
 * What the plain Node scripts (start-emulated.mjs, test/bench/bench-graph.mjs) need, in one module that
 * build-kit.mjs bundles.
 */
export { startGraphEmulator } from './emulator';
export { measureRoundTrips, provisionAtScale } from './graph-bench';
