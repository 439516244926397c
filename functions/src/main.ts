import azureFunctions from '@azure/functions';
import { compose } from './composition';
import { readConfig } from './config';
import { createRoutes, dispatcher } from './routes';
import { createTimers } from './timers';

/*
 * The Azure Functions entry point (package.json `main`): registers every route of the route table as an
 * HTTP function. The local host serves the very same table, so there is no second copy of any handler.
 * (@azure/functions is a CommonJS bundle: its named exports are reached through the default import.)
 */

const { app } = azureFunctions;
const { services } = compose(readConfig(process.env));

for (const definition of createRoutes(services)) {
  app.http(definition.name, {
    route: definition.route,
    methods: Object.keys(definition.methods) as ('GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH')[],
    authLevel: 'anonymous',
    handler: dispatcher(definition),
  });
}

// The timer table (timers.ts): the same jobs the local host runs on the same schedules.
for (const timer of createTimers(services)) {
  app.timer(timer.name, {
    schedule: timer.schedule,
    handler: async (myTimer, context) => {
      await timer.run({
        invocationId: context.invocationId,
        log: (line) => context.log(line),
        isPastDue: myTimer.isPastDue,
      });
    },
  });
}
