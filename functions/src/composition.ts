import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type {
  CalendarGateway,
  CalendarOrganiser,
  ChannelDirectory,
  Clock,
  MailGateway,
  PlanStore,
} from '@cosell/shared';
import { openEmbeddedCalendar } from './adapters/embedded-calendar';
import { EmbeddedOutbox, openNotificationsDb, SqliteMailLedger } from './adapters/embedded-outbox';
import { GraphCalendarGateway } from './adapters/graph-calendar';
import { GraphChannelDirectory } from './adapters/graph-channel-directory';
import { GraphMailGateway } from './adapters/graph-mail';
import { listDesign } from './adapters/sharepoint-list-design';
import { SharePointPlanStore } from './adapters/sharepoint-plan-store';
import { type ProvisionedLists, provisionLists } from './adapters/sharepoint-provisioning';
import { channelDirectoryFileFor, SqliteChannelDirectory } from './adapters/sqlite-channel-directory';
import { openSqlitePlanStore } from './adapters/sqlite-plan-store';
import {
  type CalendarConfig,
  type Config,
  ConfigError,
  type EntraSettings,
  type GraphSettings,
  type IdentityConfig,
  type MailConfig,
  type StoreConfig,
} from './config';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import {
  type AccessTokenProvider,
  createClientCredentialTokenProvider,
  StaticTokenProvider,
} from './graph/token-providers';
import type { ApiRequest } from './http/api-request';
import type { Authenticator, Caller } from './identity/authenticator';
import { ChannelAwareAuthenticator } from './identity/channel-caller';
import { LocalIdentity } from './identity/local-identity';
import { createOnBehalfOfTokenProvider, type OnBehalfOfTokenProvider } from './identity/on-behalf-of';
import { renderPlanPdf } from './pdf/plan-pdf';
import type { ApiServices } from './routes';
import { authClientConfigOf } from './routes-auth';
import type { CadenceServices } from './routes-cadence';
import type { NotificationServices } from './routes-notifications';
import { CadenceService, CadenceSyncHook } from './use-cases/cadence-service';
import { EscalationJob } from './use-cases/escalation';
import { PlanAccess } from './use-cases/plan-access';
import { PlanService } from './use-cases/plan-service';
import { ReviewService } from './use-cases/review-service';

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
  /** Where the weekly cadence is booked (issue 7). */
  calendar?: OpenedCalendar;
  close(): void;
}

export interface OpenedCalendar {
  gateway: CalendarGateway;
  /** The mailbox that organises every series (app-only), when configured; else the signed-in user does. */
  organiserMailbox?: string;
  close(): void;
}

/**
 * The calendar of the weekly cadence: Outlook through Graph (with the Graph settings of the SharePoint store)
 * or the embedded calendar beside the SQLite plans. Without a calendar configuration (a Config built by
 * hand) the embedded one lives beside the SQLite plans, or in memory.
 */
export function openCalendar(config: Config, clock: Clock): OpenedCalendar {
  const calendar: CalendarConfig = config.calendar ?? {
    kind: 'embedded',
    file:
      config.store.kind === 'sqlite'
        ? path.join(path.dirname(config.store.file), 'calendar.sqlite')
        : ':memory:',
  };
  if (calendar.kind === 'graph') {
    return {
      gateway: new GraphCalendarGateway({ graph: graphClientFor(calendar.graph), clock }),
      ...(calendar.organiserMailbox ? { organiserMailbox: calendar.organiserMailbox } : {}),
      close: () => {},
    };
  }
  const gateway = openEmbeddedCalendar({ file: calendar.file, clock });
  return { gateway, close: () => gateway.close() };
}

/** Clock difference accepted on a token's expiry and not-before. */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 120;

export function authenticatorFor(identity: IdentityConfig): Authenticator {
  if (identity.kind === 'local') return new LocalIdentity();
  // An EntraAuthenticator whose callers carry their tid/oid and the tab's channel (channel members, issue 6).
  return new ChannelAwareAuthenticator({
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

/**
 * Who is a member of a Teams channel: Graph `allMembers` where the store is on Graph (SharePoint, or the
 * emulator), else the embedded roster beside the SQLite plans (adapters/sqlite-channel-directory.ts).
 */
export function openChannelDirectory(config: StoreConfig): { directory: ChannelDirectory; close(): void } {
  if (config.kind === 'sharepoint') {
    return { directory: new GraphChannelDirectory({ graph: graphClientFor(config.graph) }), close: () => {} };
  }
  const directory = new SqliteChannelDirectory(channelDirectoryFileFor(config.file));
  return { directory, close: () => directory.close() };
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

/**
 * Notifications (issue 8): the embedded outbox by default, or Graph `sendMail` from the configured mailbox
 * with its key ledger; and the escalation job that uses them. Without a mail configuration (a Config built
 * by hand) the outbox lives beside the SQLite plans, or in memory.
 */
export function openNotifications(
  config: Config,
  store: PlanStore,
  clock: Clock,
  log: Log = toStderr,
): { services: NotificationServices; close(): void } {
  const mail: MailConfig = config.mail ?? {
    kind: 'outbox',
    file:
      config.store.kind === 'sqlite'
        ? path.join(path.dirname(config.store.file), 'co-sell-notifications.sqlite')
        : ':memory:',
    publicUrl: `http://${config.host}:${config.port}`,
  };
  const db = openNotificationsDb(mail.kind === 'outbox' ? mail.file : mail.ledgerFile);
  const newId = () => randomUUID();
  const gateway: MailGateway =
    mail.kind === 'outbox'
      ? new EmbeddedOutbox(db, { clock, newId })
      : new GraphMailGateway({
          graph: graphClientFor(mail.graph),
          mailbox: mail.from,
          ledger: new SqliteMailLedger(db),
          clock,
          newId,
          log,
          ...(mail.activityFeed ? { activityFeed: mail.activityFeed } : {}),
        });
  const escalation = new EscalationJob({
    store,
    mail: gateway,
    clock,
    planUrl: (planId) => `${mail.publicUrl}/#/plans/${encodeURIComponent(planId)}`,
    log,
  });
  return { services: { mail: gateway, escalation }, close: () => db.close() };
}

/** Calendar scopes asked on behalf of the signed-in user when they organise the weekly series. */
export const CALENDAR_SCOPES = ['https://graph.microsoft.com/Calendars.ReadWrite'];

/**
 * The weekly cadence and the review (issue 7): booking in the opened calendar (the organiser mailbox, or the
 * signed-in user on their behalf), the invite's PDF from the server renderer, summaries through the mail
 * gateway, links to the plan at the public URL.
 */
export function openCadence(
  config: Config,
  deps: {
    store: PlanStore;
    access: PlanAccess;
    clock: Clock;
    calendar: OpenedCalendar;
    mail: MailGateway;
    onBehalfOf: OnBehalfOfTokenProvider | undefined;
    log: Log | undefined;
  },
): CadenceServices {
  const publicUrl = (config.mail?.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
  const planUrl = (planId: string) => `${publicUrl}/#/plans/${encodeURIComponent(planId)}`;
  const cadence = new CadenceService({
    store: deps.store,
    access: deps.access,
    calendar: deps.calendar.gateway,
    ...(deps.calendar.organiserMailbox ? { organiserMailbox: deps.calendar.organiserMailbox } : {}),
    clock: deps.clock,
    planUrl,
    renderPdf: (plan, options) => renderPlanPdf(plan, { paper: 'letter', ...options }),
    log: deps.log ?? toStderr,
  });
  const review = new ReviewService({
    store: deps.store,
    access: deps.access,
    clock: deps.clock,
    mail: deps.mail,
    planUrl,
  });
  const obo = deps.onBehalfOf;
  return {
    cadence,
    review,
    // Outlook as the signed-in user: their verified token is exchanged on behalf of them, per call.
    ...(obo && !deps.calendar.organiserMailbox && deps.calendar.gateway.capabilities.sendsInvitations
      ? {
          organiserFor: (request: ApiRequest, caller: Caller): CalendarOrganiser | undefined => {
            const viewer = caller.viewer;
            const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
            if (viewer === 'local-vendor' || !token || !viewer.tenantId) return undefined;
            const tenantId = viewer.tenantId;
            return {
              kind: 'user',
              address: viewer.id,
              name: caller.actor.displayName,
              tokenFor: () => obo.acquireFor(token, tenantId, CALENDAR_SCOPES),
            };
          },
        }
      : {}),
  };
}

export function compose(config: Config, overrides: { clock?: Clock; log?: Log } = {}): Composition {
  if (config.identity.kind === 'local' && (config.stage === 'production' || config.runningOnAzure)) {
    throw new ConfigError(
      'The local development identity trusts every caller on this machine; it is refused in production and on Azure. Configure Entra sign-in.',
    );
  }
  const { store, close } = openPlanStore(config.store, overrides.log);
  const clock = overrides.clock ?? systemClock;
  // The weekly series follows a person's edits right away (won/lost/paused, owners); attached below.
  const cadenceSync = new CadenceSyncHook(overrides.log ?? toStderr);
  const plans = new PlanService({ store: cadenceSync.wrap(store), clock, newId: () => randomUUID() });
  const onBehalfOf = config.identity.kind === 'entra' ? onBehalfOfFor(config.identity) : undefined;
  // Channel members read plans (issue 6); the local identity reads every plan and needs no directory.
  const channels = config.identity.kind === 'entra' ? openChannelDirectory(config.store) : undefined;
  const auth = authenticatorFor(config.identity);
  const notifications = openNotifications(config, store, clock, overrides.log);
  const calendar = openCalendar(config, clock);
  const access = new PlanAccess({
    plans,
    ...(config.identity.kind === 'entra' ? { vendorTenantId: config.identity.tenantId } : {}),
    ...(channels ? { channels: channels.directory } : {}),
  });
  const cadence = openCadence(config, {
    store,
    access,
    clock,
    calendar,
    mail: notifications.services.mail,
    onBehalfOf,
    log: overrides.log,
  });
  cadenceSync.attach(cadence.cadence);
  return {
    store,
    clock,
    services: {
      plans,
      access,
      cadence,
      auth,
      info: { storeKind: config.store.kind, identityKind: config.identity.kind, version: API_VERSION },
      authConfig: authClientConfigOf(config.identity),
      notifications: notifications.services,
    },
    ...(onBehalfOf ? { onBehalfOf } : {}),
    calendar,
    close: () => {
      calendar.close();
      notifications.close();
      channels?.close();
      close();
    },
  };
}
