import { randomUUID } from 'node:crypto';
import type { Clock, PlanStore } from '@cosell/shared';
import { listDesign } from './adapters/sharepoint-list-design';
import { SharePointPlanStore } from './adapters/sharepoint-plan-store';
import { type ProvisionedLists, provisionLists } from './adapters/sharepoint-provisioning';
import { openSqlitePlanStore } from './adapters/sqlite-plan-store';
import {
  type Config,
  ConfigError,
  type EntraSettings,
  type GraphSettings,
  type IdentityConfig,
  type StoreConfig,
} from './config';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import {
  type AccessTokenProvider,
  createClientCredentialTokenProvider,
  StaticTokenProvider,
} from './graph/token-providers';
import type { Authenticator } from './identity/authenticator';
import { EntraAuthenticator } from './identity/entra-authenticator';
import { LocalIdentity } from './identity/local-identity';
import { createOnBehalfOfTokenProvider, type OnBehalfOfTokenProvider } from './identity/on-behalf-of';
import type { ApiServices } from './routes';
import { PlanAccess } from './use-cases/plan-access';
import { PlanService } from './use-cases/plan-service';

/*
 * The composition root: the only place that knows which adapter serves which port.
 */

export const API_VERSION = '0.1.0';

export const systemClock: Clock = { now: () => new Date() };

export interface Composition {
  services: ApiServices;
  store: PlanStore;
  clock: Clock;
  /** Tokens as the signed-in user, for Graph calls made on their behalf; only with Entra sign-in and a credential. */
  onBehalfOf?: OnBehalfOfTokenProvider;
  close(): void;
}

/** Clock difference accepted on a token's expiry and not-before. */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 120;

export function authenticatorFor(identity: IdentityConfig): Authenticator {
  if (identity.kind === 'local') return new LocalIdentity();
  return new EntraAuthenticator({
    clientId: identity.clientId,
    audiences: [identity.clientId, identity.appIdUri],
    allowedTenants: [identity.tenantId, ...identity.partnerTenantIds],
    authorityHost: identity.authorityHost,
    v1IssuerHost: identity.v1IssuerHost,
    clockToleranceSeconds: TOKEN_CLOCK_TOLERANCE_SECONDS,
  });
}

function onBehalfOfFor(entra: EntraSettings): OnBehalfOfTokenProvider | undefined {
  if (!entra.credential) return undefined;
  return createOnBehalfOfTokenProvider({
    authorityHost: entra.authorityHost,
    clientId: entra.clientId,
    credential: entra.credential,
  });
}

/** Where a line of operational progress goes (provisioning, index repairs). */
export type Log = (line: string) => void;

const toStderr: Log = (line) => console.error(line);

function tokenProviderFor(settings: GraphSettings): AccessTokenProvider {
  const credentials = settings.credentials;
  if (credentials.kind === 'emulator') return new StaticTokenProvider('graph-emulator');
  return createClientCredentialTokenProvider({
    authorityHost: settings.authorityHost,
    tenantId: credentials.tenantId,
    clientId: credentials.clientId,
    credential:
      credentials.kind === 'client-secret'
        ? { kind: 'secret', secret: credentials.secret }
        : { kind: 'certificate', pemFile: credentials.certificateFile },
    graphBaseUrl: settings.baseUrl,
  });
}

/** The one Graph client of this process, for every Graph adapter. */
export function graphClientFor(settings: GraphSettings): GraphClient {
  return createGraphClient({
    tokenProvider: tokenProviderFor(settings),
    baseUrl: settings.baseUrl,
    ...(settings.emulatorUrl ? { emulatorUrl: settings.emulatorUrl } : {}),
  });
}

export function openPlanStore(config: StoreConfig, log: Log = toStderr): { store: PlanStore; close(): void } {
  if (config.kind === 'sqlite') {
    const store = openSqlitePlanStore({ file: config.file });
    return { store, close: () => store.close() };
  }
  // The lists are created or completed on first use, with progress on the log.
  const store = new SharePointPlanStore({
    graph: graphClientFor(config.graph),
    site: config.site,
    listPrefix: config.listPrefix,
    log,
  });
  return { store, close: () => {} };
}

/** `npm run provision`: creates or completes the SharePoint lists and their indexed columns. */
export function provisionSharePoint(config: Config, log: Log): Promise<ProvisionedLists> {
  if (config.store.kind !== 'sharepoint') throw new ConfigError('provisioning needs COSELL_STORE=sharepoint');
  return provisionLists({
    graph: graphClientFor(config.store.graph),
    site: config.store.site,
    design: listDesign(config.store.listPrefix),
    log,
  });
}

export function compose(config: Config, overrides: { clock?: Clock; log?: Log } = {}): Composition {
  if (config.identity.kind === 'local' && (config.stage === 'production' || config.runningOnAzure)) {
    throw new ConfigError(
      'The local development identity trusts every caller on this machine; it is refused in production and on Azure. Configure Entra sign-in.',
    );
  }
  const { store, close } = openPlanStore(config.store, overrides.log);
  const clock = overrides.clock ?? systemClock;
  const plans = new PlanService({ store, clock, newId: () => randomUUID() });
  const onBehalfOf = config.identity.kind === 'entra' ? onBehalfOfFor(config.identity) : undefined;
  return {
    store,
    clock,
    services: {
      plans,
      access: new PlanAccess({
        plans,
        ...(config.identity.kind === 'entra' ? { vendorTenantId: config.identity.tenantId } : {}),
      }),
      auth: authenticatorFor(config.identity),
      info: { storeKind: config.store.kind, identityKind: config.identity.kind, version: API_VERSION },
    },
    ...(onBehalfOf ? { onBehalfOf } : {}),
    close,
  };
}
