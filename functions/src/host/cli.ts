import { compose } from '../composition';
import { ConfigError, readConfig } from '../config';
import { createRoutes } from '../routes';
import { createTimers } from '../timers';
import { DEMO_PLAN_ID, seedDemoPlan } from '../use-cases/seed-demo';
import { startLocalHost } from './local-host';

/*
 * `npm start`: the API and the tab on one loopback port, on the embedded store.
 * Prints "Co-Sell Plan is running at <url>" once it listens (tests wait for that line).
 */

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const composition = compose(config);
  const { services } = composition;
  if (config.seedDemo && (await seedDemoPlan(composition)) === 'created') {
    console.log(`Seeded the demo plan "${DEMO_PLAN_ID}".`);
  }
  const host = await startLocalHost({
    routes: createRoutes(services),
    timers: createTimers(services),
    host: config.host,
    port: config.port,
    tabDir: config.tabDir,
    log: (line) => console.error(line),
  });
  console.log(
    config.store.kind === 'sqlite'
      ? `Data: ${config.store.file}`
      : `Data: SharePoint site ${config.store.site}${config.store.graph.emulatorUrl ? ` through the Graph emulator at ${config.store.graph.emulatorUrl}` : ''}`,
  );
  console.log(
    config.identity.kind === 'local'
      ? 'Identity: LOCAL DEVELOPMENT ONLY — every request from this machine acts as a local user.'
      : 'Identity: Microsoft Entra ID — every request needs a valid bearer token.',
  );
  console.log(`Co-Sell Plan is running at ${host.url}/`);
  const stop = async () => {
    await host.close();
    composition.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
