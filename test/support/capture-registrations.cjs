// Loads the Azure Functions entry point (functions/dist/main.js) the way the Functions Node worker does:
// the worker injects the '@azure/functions-core' module at run time (it is not on npm). This stands in
// for the worker's injection only, records each registered function, then calls one registered handler
// with a real HttpRequest. Prints JSON on stdout.
const Module = require('node:module');
const path = require('node:path');

const registry = [];
const core = {
  version: '4.0.0',
  hostVersion: '4.1000.0',
  setProgrammingModel() {},
  getProgrammingModel() {},
  registerHook: () => ({ dispose() {} }),
  registerFunction: (metadata, callback) => {
    registry.push({ metadata, callback });
    return { dispose() {} };
  },
  Disposable: class {
    dispose() {}
  },
};
const originalRequire = Module.prototype.require;
Module.prototype.require = function (id, ...rest) {
  if (id === '@azure/functions-core') return core;
  return originalRequire.call(this, id, ...rest);
};

(async () => {
  await import(path.resolve(__dirname, '../../functions/dist/main.js'));
  const { HttpRequest, InvocationContext } = require('@azure/functions');
  const health = registry.find((r) => r.metadata.name === 'health');
  const result = await health.callback(
    new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/health', headers: {} }),
    new InvocationContext({ functionName: 'health', invocationId: 'test' }),
  );
  process.stdout.write(
    JSON.stringify({
      functions: registry.map((r) => ({ name: r.metadata.name, bindings: r.metadata.bindings })),
      health: { status: result.status, body: JSON.parse(result.body) },
    }),
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
