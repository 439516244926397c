import os from 'node:os';
import path from 'node:path';

/*
 * Configuration is read once, here, from the environment (Core Tools load local.settings.json `Values`
 * into the environment the same way). Nothing else reads process.env.
 */

export type Stage = 'local' | 'development' | 'production';

/** How the store signs in to Graph: app-only (client credentials), or a fixed token for the loopback emulator. */
export type GraphCredentials =
  | { kind: 'client-secret'; tenantId: string; clientId: string; secret: string }
  /** A PEM file with the private key and the certificate registered on the app. */
  | { kind: 'client-certificate'; tenantId: string; clientId: string; certificateFile: string }
  | { kind: 'emulator' };

export interface GraphSettings {
  /** The Graph origin of the cloud: https://graph.microsoft.com, or a sovereign cloud's. */
  baseUrl: string;
  /** The Entra sign-in origin of the same cloud: https://login.microsoftonline.com by default. */
  authorityHost: string;
  /** A loopback Graph emulator that answers instead (`npm run start:emulated`, tests). */
  emulatorUrl?: string;
  credentials: GraphCredentials;
}

/** Entra sign-in (reference/teams-platform.md §3): who may call the API, and how it acts as them. */
export interface EntraSettings {
  /** The API's application (client) id. */
  clientId: string;
  /** The App ID URI, `api://<domain>/<client-id>`: the other accepted token audience. */
  appIdUri: string;
  /** The vendor's tenant. */
  tenantId: string;
  /** Tenants of the partners whose users (e.g. external users of a shared channel) may call. */
  partnerTenantIds: string[];
  /** The Entra sign-in origin: https://login.microsoftonline.com, or a sovereign cloud's. */
  authorityHost: string;
  /** The origin of v1 token issuers: https://sts.windows.net in the public cloud. */
  v1IssuerHost: string;
  /** For on-behalf-of calls to Graph as the user; absent when not configured. */
  credential?: { kind: 'secret'; secret: string } | { kind: 'certificate'; pemFile: string };
}

export type IdentityConfig = { kind: 'local' } | ({ kind: 'entra' } & EntraSettings);

export type StoreConfig =
  | { kind: 'sqlite'; file: string }
  /** `site`: the site id (`hostname,site-guid,web-guid`) or its URL. */
  | { kind: 'sharepoint'; site: string; listPrefix: string; graph: GraphSettings };

export interface Config {
  stage: Stage;
  store: StoreConfig;
  identity: IdentityConfig;
  host: string;
  port: number;
  /** Where the built tab is served from by the local host. */
  tabDir: string;
  seedDemo: boolean;
  /** Set by Azure App Service on every instance: the code is running in Azure. */
  runningOnAzure: boolean;
  /** Where notifications go (issue 8): the embedded outbox by default. */
  mail?: MailConfig;
  /** Where the weekly cadence is booked (issue 7): the embedded calendar by default. */
  calendar?: CalendarConfig;
}

/**
 * The weekly cadence's calendar: the embedded one beside the SQLite plans (`calendar.sqlite`, series handed
 * out as .ics) with COSELL_STORE=sqlite, or Outlook through Graph with the SharePoint store's Graph settings.
 * COSELL_ORGANISER_MAILBOX names a mailbox that organises every series with app-only access; without it
 * the signed-in user organises (on behalf of them), and app-only access to their mailbox refreshes it.
 */
export type CalendarConfig =
  | { kind: 'embedded'; file: string }
  | { kind: 'graph'; graph: GraphSettings; organiserMailbox?: string };

/**
 * Notifications: the embedded outbox (SQLite beside the plans, shown in the tab) or Graph `sendMail` from
 * COSELL_MAIL_FROM with the Graph settings of the SharePoint store. `publicUrl` is where links in mail
 * lead (COSELL_PUBLIC_URL, default the local host's address).
 */
export type MailConfig =
  | { kind: 'outbox'; file: string; publicUrl: string }
  | {
      kind: 'graph';
      from: string;
      graph: GraphSettings;
      /** The keys sent (adapters/embedded-outbox.ts SqliteMailLedger), in the data directory. */
      ledgerFile: string;
      publicUrl: string;
      /** Teams activity-feed notifications for vendor-tenant people (COSELL_ACTIVITY_FEED=true). */
      activityFeed?: { teamsAppId?: string };
    };

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
  if (storeKind !== 'sqlite' && storeKind !== 'sharepoint') {
    throw new ConfigError(`COSELL_STORE must be sqlite or sharepoint (got "${storeKind}")`);
  }
  const identityKind = env.COSELL_IDENTITY ?? 'local';
  if (identityKind !== 'local' && identityKind !== 'entra') {
    throw new ConfigError(`COSELL_IDENTITY must be local or entra (got "${identityKind}")`);
  }
  const identity: IdentityConfig = identityKind === 'local' ? { kind: 'local' } : readEntraConfig(env);
  const dataDir = path.resolve(cwd, env.COSELL_DATA_DIR ?? '.data');
  const port = Number(env.COSELL_PORT ?? env.PORT ?? '7071');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`COSELL_PORT must be a port number (got "${env.COSELL_PORT}")`);
  const runningOnAzure = Boolean(env.WEBSITE_INSTANCE_ID);
  return {
    stage,
    store:
      storeKind === 'sqlite'
        ? { kind: 'sqlite', file: path.join(dataDir, 'co-sell-plans.sqlite') }
        : readSharePointConfig(env, stage === 'production' || runningOnAzure),
    identity,
    host: env.COSELL_HOST ?? '127.0.0.1',
    port,
    tabDir: path.resolve(cwd, env.COSELL_TAB_DIR ?? 'tab/dist'),
    seedDemo: (env.COSELL_SEED_DEMO ?? 'true') !== 'false',
    runningOnAzure,
    mail: readMailConfig(env, dataDir, port, stage === 'production' || runningOnAzure),
    calendar: readCalendarConfig(env, dataDir, stage === 'production' || runningOnAzure),
  };
}

function readCalendarConfig(env: NodeJS.ProcessEnv, dataDir: string, deployed: boolean): CalendarConfig {
  const organiser = env.COSELL_ORGANISER_MAILBOX?.trim();
  if ((env.COSELL_STORE ?? 'sqlite') !== 'sharepoint') {
    if (organiser) {
      throw new ConfigError(
        'COSELL_ORGANISER_MAILBOX is for Outlook (COSELL_STORE=sharepoint); the embedded calendar has no mailbox',
      );
    }
    return { kind: 'embedded', file: path.join(dataDir, 'calendar.sqlite') };
  }
  if (organiser !== undefined && organiser !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(organiser)) {
    throw new ConfigError(
      `COSELL_ORGANISER_MAILBOX must be the address of the mailbox that organises the weekly meetings (got "${organiser}")`,
    );
  }
  const store = readSharePointConfig(env, deployed);
  if (store.kind !== 'sharepoint')
    throw new ConfigError('the Outlook calendar needs COSELL_STORE=sharepoint');
  return { kind: 'graph', graph: store.graph, ...(organiser ? { organiserMailbox: organiser } : {}) };
}

function readMailConfig(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  port: number,
  deployed: boolean,
): MailConfig {
  const kind = env.COSELL_MAIL ?? 'outbox';
  if (kind !== 'outbox' && kind !== 'graph') {
    throw new ConfigError(`COSELL_MAIL must be outbox or graph (got "${kind}")`);
  }
  const given = env.COSELL_PUBLIC_URL?.trim();
  let publicUrl = `http://${env.COSELL_HOST ?? '127.0.0.1'}:${port}`;
  if (given) {
    try {
      const url = new URL(given);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      publicUrl = given.replace(/\/+$/, '');
    } catch {
      throw new ConfigError(`COSELL_PUBLIC_URL must be the https address of the tab (got "${given}")`);
    }
  }
  const file = path.join(dataDir, 'co-sell-notifications.sqlite');
  if (kind === 'outbox') return { kind, file, publicUrl };
  // Deployed, the app folder may be read-only: the key ledger then lives in the instance's temp folder
  // (instances are kept from sending twice by the claim recorded on the plan; the ledger guards reruns).
  const ledgerFile = deployed ? path.join(os.tmpdir(), 'co-sell-mail-ledger.sqlite') : file;
  const from = env.COSELL_MAIL_FROM?.trim();
  if (!from || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(from)) {
    throw new ConfigError(
      `COSELL_MAIL=graph needs COSELL_MAIL_FROM: the mailbox that sends (e.g. co-sell@contoso.com; got "${from ?? ''}")`,
    );
  }
  if ((env.COSELL_STORE ?? 'sqlite') !== 'sharepoint') {
    throw new ConfigError(
      'COSELL_MAIL=graph uses the Graph settings of COSELL_STORE=sharepoint; set that up first',
    );
  }
  const store = readSharePointConfig(env, deployed);
  if (store.kind !== 'sharepoint') throw new ConfigError('COSELL_MAIL=graph needs COSELL_STORE=sharepoint');
  const teamsAppId = env.COSELL_TEAMS_APP_ID?.trim();
  return {
    kind,
    from,
    graph: store.graph,
    ledgerFile,
    publicUrl,
    ...(env.COSELL_ACTIVITY_FEED === 'true' ? { activityFeed: teamsAppId ? { teamsAppId } : {} } : {}),
  };
}

function httpsOrigin(
  name: string,
  value: string,
  why = 'the Graph SDK sends no token over http. For a local emulator set GRAPH_EMULATOR_URL.',
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL (got "${value}")`);
  }
  if (url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be https (got "${value}"): ${why}`);
  }
  return url.origin;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function readSharePointConfig(env: NodeJS.ProcessEnv, deployed: boolean): StoreConfig {
  const site = env.SHAREPOINT_SITE?.trim();
  if (!site) {
    throw new ConfigError(
      'COSELL_STORE=sharepoint needs SHAREPOINT_SITE: the site id (contoso.sharepoint.com,<guid>,<guid>) or its URL (https://contoso.sharepoint.com/sites/cosell)',
    );
  }
  if (/^http:/i.test(site))
    throw new ConfigError(`SHAREPOINT_SITE must be an https URL or a site id (got "${site}")`);
  const listPrefix = env.SHAREPOINT_LIST_PREFIX?.trim() || 'Co-Sell';
  if (!/^[A-Za-z0-9][A-Za-z0-9 _-]{0,40}$/.test(listPrefix)) {
    throw new ConfigError(
      `SHAREPOINT_LIST_PREFIX must be 1 to 41 letters, digits, spaces, "-" or "_" (got "${listPrefix}")`,
    );
  }
  const baseUrl = httpsOrigin('GRAPH_BASE_URL', env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com');
  const authorityHost = httpsOrigin(
    'GRAPH_AUTHORITY_HOST',
    env.GRAPH_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
  );
  const emulator = env.GRAPH_EMULATOR_URL?.trim();
  if (emulator) {
    let url: URL;
    try {
      url = new URL(emulator);
    } catch {
      throw new ConfigError(`GRAPH_EMULATOR_URL must be a URL (got "${emulator}")`);
    }
    if (!LOOPBACK.has(url.hostname)) {
      throw new ConfigError(`GRAPH_EMULATOR_URL must be a loopback address (got "${emulator}")`);
    }
    if (deployed)
      throw new ConfigError(
        'GRAPH_EMULATOR_URL is for local runs; it is refused in production and on Azure.',
      );
    return {
      kind: 'sharepoint',
      site,
      listPrefix,
      graph: { baseUrl, authorityHost, emulatorUrl: url.origin, credentials: { kind: 'emulator' } },
    };
  }
  const tenantId = env.GRAPH_TENANT_ID?.trim();
  const clientId = env.GRAPH_CLIENT_ID?.trim();
  const secret = env.GRAPH_CLIENT_SECRET;
  const certificateFile = env.GRAPH_CLIENT_CERTIFICATE_PATH?.trim();
  if (!tenantId || !clientId || (!secret && !certificateFile)) {
    throw new ConfigError(
      'COSELL_STORE=sharepoint needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET or GRAPH_CLIENT_CERTIFICATE_PATH (or GRAPH_EMULATOR_URL for a local emulator)',
    );
  }
  const credentials: GraphCredentials = certificateFile
    ? { kind: 'client-certificate', tenantId, clientId, certificateFile }
    : { kind: 'client-secret', tenantId, clientId, secret: secret ?? '' };
  return { kind: 'sharepoint', site, listPrefix, graph: { baseUrl, authorityHost, credentials } };
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tenantId(name: string, value: string): string {
  if (!TENANT_ID.test(value)) {
    throw new ConfigError(
      `${name} must be a tenant id (a GUID such as 6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f; got "${value}")`,
    );
  }
  return value.toLowerCase();
}

const SIGNING_KEYS_OVER_HTTPS = 'token issuers and their signing keys are only trusted over https.';

function readEntraConfig(env: NodeJS.ProcessEnv): { kind: 'entra' } & EntraSettings {
  const clientId = env.ENTRA_CLIENT_ID?.trim();
  if (!clientId)
    throw new ConfigError(
      "COSELL_IDENTITY=entra needs ENTRA_CLIENT_ID: the API app registration's client id",
    );
  if (!TENANT_ID.test(clientId)) throw new ConfigError(`ENTRA_CLIENT_ID must be a GUID (got "${clientId}")`);
  const appIdUri = env.ENTRA_APP_ID_URI?.trim();
  if (!appIdUri) {
    throw new ConfigError(`COSELL_IDENTITY=entra needs ENTRA_APP_ID_URI: api://<domain>/${clientId}`);
  }
  if (!/^api:\/\/\S+$/.test(appIdUri) || !appIdUri.toLowerCase().endsWith(`/${clientId.toLowerCase()}`)) {
    throw new ConfigError(`ENTRA_APP_ID_URI must be api://<domain>/${clientId} (got "${appIdUri}")`);
  }
  const vendor = env.ENTRA_TENANT_ID?.trim();
  if (!vendor) throw new ConfigError("COSELL_IDENTITY=entra needs ENTRA_TENANT_ID: the vendor's tenant id");
  const tenant = tenantId('ENTRA_TENANT_ID', vendor);
  const partners = (env.ENTRA_PARTNER_TENANT_IDS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => tenantId('ENTRA_PARTNER_TENANT_IDS', t));
  const authorityHost = httpsOrigin(
    'ENTRA_AUTHORITY_HOST',
    env.ENTRA_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
    SIGNING_KEYS_OVER_HTTPS,
  );
  const v1IssuerHost = httpsOrigin(
    'ENTRA_V1_ISSUER_HOST',
    env.ENTRA_V1_ISSUER_HOST ?? 'https://sts.windows.net',
    SIGNING_KEYS_OVER_HTTPS,
  );
  const secret = env.ENTRA_CLIENT_SECRET;
  const certificateFile = env.ENTRA_CLIENT_CERTIFICATE_PATH?.trim();
  return {
    kind: 'entra',
    clientId,
    appIdUri,
    tenantId: tenant,
    partnerTenantIds: [...new Set(partners)].filter((t) => t !== tenant),
    authorityHost,
    v1IssuerHost,
    ...(certificateFile
      ? { credential: { kind: 'certificate' as const, pemFile: certificateFile } }
      : secret
        ? { credential: { kind: 'secret' as const, secret } }
        : {}),
  };
}
