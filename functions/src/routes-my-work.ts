import type { HttpResponseInit } from '@azure/functions';
import { AppError } from './app-error';
import { toJson } from './http/plan-json';
import type { ApiServices, RouteDefinition } from './routes';
import { myWork } from './use-cases/my-work';

/*
 * GET /api/me/work — "My co-sell" (issue 8): the caller's open actions and upcoming milestones across the
 * plans they can see, due soonest first. No parameters: the caller is who the sign-in says.
 */

export function myWorkRoutes(services: Pick<ApiServices, 'access' | 'auth' | 'plans'>): RouteDefinition[] {
  return [
    {
      name: 'my-work',
      route: 'me/work',
      methods: {
        GET: async (request) => {
          const caller = await services.auth.caller(request);
          const unknown = [...new Set([...request.query.keys()])];
          if (unknown.length > 0) {
            throw new AppError(
              'INVALID_QUERY',
              `The query is not valid: ${unknown[0]} — not a parameter of this API.`,
              {
                errors: unknown.map((name) => ({
                  path: name,
                  pointer: `/query/${name}`,
                  message: 'not a parameter of this API',
                })),
              },
            );
          }
          const work = await myWork({ access: services.access, plans: services.plans }, caller);
          return json(work);
        },
      },
    },
  ];
}

function json(body: unknown): HttpResponseInit {
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: toJson(body),
  };
}
