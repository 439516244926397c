import { randomUUID } from 'node:crypto';
import type { Clock, PlanStore } from '@cosell/shared';
import { openSqlitePlanStore } from './adapters/sqlite-plan-store';
import { type Config, ConfigError } from './config';
import { LocalIdentity } from './identity/local-identity';
import type { ApiServices } from './routes';
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
  close(): void;
}

export function compose(config: Config, overrides: { clock?: Clock } = {}): Composition {
  if (config.identity === 'local' && (config.stage === 'production' || config.runningOnAzure)) {
    throw new ConfigError(
      'The local development identity trusts every caller on this machine; it is refused in production and on Azure. Configure Entra sign-in.',
    );
  }
  const store = openSqlitePlanStore({ file: config.store.file });
  const clock = overrides.clock ?? systemClock;
  const plans = new PlanService({ store, clock, newId: () => randomUUID() });
  return {
    store,
    clock,
    services: {
      plans,
      auth: new LocalIdentity(),
      info: { storeKind: config.store.kind, identityKind: config.identity, version: API_VERSION },
    },
    close: () => store.close(),
  };
}
