import type { MailGateway, StoredMail } from '@cosell/shared';
import { z } from 'zod';
import { AppError } from './app-error';
import type { ApiRequest } from './http/api-request';
import { toJson } from './http/plan-json';
import type { AccessViewer } from './identity/authenticator';
import type { ApiServices, RouteDefinition } from './routes';
import { createTimers } from './timers';
import type { EscalationJob } from './use-cases/escalation';

/*
 * Notifications (issue 8): the embedded outbox the tab shows, `GET /api/outbox`. It answers only in the
 * embedded mail mode (404 when mail goes through Graph, which keeps no list). The local development
 * identity sees every message; a signed-in person sees the messages addressed to them.
 */

export interface NotificationServices {
  mail: MailGateway;
  escalation: EscalationJob;
}

const OutboxQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit is a number' })
    .int({ error: 'limit is a whole number' })
    .min(1, { error: 'limit is at least 1' })
    .max(100, { error: 'limit is at most 100' })
    .default(25),
  cursor: z.string().min(1).max(200).optional(),
  plan: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'plan is a plan id' })
    .optional(),
});

function parseOutboxQuery(request: ApiRequest): z.infer<typeof OutboxQuery> {
  const raw: Record<string, string> = {};
  for (const [key, value] of request.query) raw[key] = value;
  const parsed = OutboxQuery.safeParse(raw);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.flatMap((issue) =>
    (issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '(query)')]).map((name) => ({
      path: name,
      pointer: `/query/${name}`,
      message: issue.code === 'unrecognized_keys' ? 'not a parameter of this API' : issue.message,
    })),
  );
  const first = errors[0];
  throw new AppError('INVALID_QUERY', `The query is not valid: ${first?.path} — ${first?.message}.`, {
    errors,
  });
}

function addressedTo(mail: StoredMail, viewer: AccessViewer): boolean {
  if (viewer === 'local-vendor') return true;
  const me = viewer.id.trim().toLowerCase();
  return [...mail.to, ...(mail.cc ?? [])].some((r) => r.address.toLowerCase() === me);
}

export function notificationRoutes(services: ApiServices): RouteDefinition[] {
  return [
    {
      // LOCAL DEVELOPMENT ONLY: run a timer now, so the escalation flow can be seen on one machine without
      // waiting for 06:00 UTC. It answers only with the local identity (loopback callers, never production
      // nor Azure: the composition refuses that identity there); with Entra sign-in it does not exist (404).
      name: 'admin-run-timer',
      route: 'admin/timers/{name}',
      methods: {
        POST: async (request) => {
          const notFound = () =>
            new AppError('NOT_FOUND', `There is no API at ${new URL(request.url).pathname}.`);
          if (services.info.identityKind !== 'local') throw notFound();
          const caller = await services.auth.caller(request);
          if (caller.viewer !== 'local-vendor') throw notFound();
          const timer = createTimers(services).find((t) => t.name === request.params.name);
          if (!timer) throw new AppError('NOT_FOUND', `There is no timer "${request.params.name ?? ''}".`);
          const lines: string[] = [];
          const result = await timer.run({
            invocationId: `manual-${Date.now()}`,
            log: (line) => lines.push(line),
          });
          return {
            status: 200,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'cache-control': 'no-store',
              'x-content-type-options': 'nosniff',
            },
            body: toJson({ timer: timer.name, result: result ?? null, log: lines }),
          };
        },
      },
    },
    {
      name: 'outbox',
      route: 'outbox',
      methods: {
        GET: async (request) => {
          const caller = await services.auth.caller(request);
          const mail = services.notifications?.mail;
          if (!mail?.list) {
            throw new AppError(
              'NOT_FOUND',
              'There is no outbox here: mail is sent through Microsoft Graph (the outbox exists only in the embedded mode).',
            );
          }
          const q = parseOutboxQuery(request);
          const page = await mail.list({
            limit: q.limit,
            ...(q.cursor ? { cursor: q.cursor } : {}),
            ...(q.plan ? { planId: q.plan } : {}),
          });
          const items = page.items.filter((m) => addressedTo(m, caller.viewer));
          return {
            status: 200,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'cache-control': 'no-store',
              'x-content-type-options': 'nosniff',
            },
            body: toJson({ items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }),
          };
        },
      },
    },
  ];
}
