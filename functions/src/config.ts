import path from 'node:path';

/*
 * Configuration is read once, here, from the environment (Core Tools load local.settings.json `Values`
 * into the environment the same way). Nothing else reads process.env.
 */

export type Stage = 'local' | 'development' | 'production';

export interface Config {
  stage: Stage;
  store: { kind: 'sqlite'; file: string };
  identity: 'local';
  host: string;
  port: number;
  /** Where the built tab is served from by the local host. */
  tabDir: string;
  seedDemo: boolean;
  /** Set by Azure App Service on every instance: the code is running in Azure. */
  runningOnAzure: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function readConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Config {
  const stage = (env.COSELL_STAGE ?? 'local') as Stage;
  if (!['local', 'development', 'production'].includes(stage)) {
    throw new ConfigError(`COSELL_STAGE must be local, development or production (got "${stage}")`);
  }
  const storeKind = env.COSELL_STORE ?? 'sqlite';
  if (storeKind !== 'sqlite') throw new ConfigError(`COSELL_STORE must be sqlite (got "${storeKind}")`);
  const identity = env.COSELL_IDENTITY ?? 'local';
  if (identity !== 'local') throw new ConfigError(`COSELL_IDENTITY must be local (got "${identity}")`);
  const dataDir = path.resolve(cwd, env.COSELL_DATA_DIR ?? '.data');
  const port = Number(env.COSELL_PORT ?? env.PORT ?? '7071');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`COSELL_PORT must be a port number (got "${env.COSELL_PORT}")`);
  return {
    stage,
    store: { kind: 'sqlite', file: path.join(dataDir, 'co-sell-plans.sqlite') },
    identity: 'local',
    host: env.COSELL_HOST ?? '127.0.0.1',
    port,
    tabDir: path.resolve(cwd, env.COSELL_TAB_DIR ?? 'tab/dist'),
    seedDemo: (env.COSELL_SEED_DEMO ?? 'true') !== 'false',
    runningOnAzure: Boolean(env.WEBSITE_INSTANCE_ID),
  };
}
