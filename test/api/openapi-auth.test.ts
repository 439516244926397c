import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/src/openapi';
import { BEARER_SCHEME } from '../../functions/src/openapi-auth';

/* Sign-in and access in the OpenAPI document (issue 6), checked on the document the API serves. */

type Json = Record<string, unknown>;
const document = buildOpenApiDocument('test') as Json & { paths: Record<string, Json> };
const operations = Object.entries(document.paths).flatMap(([route, item]) =>
  (['get', 'put', 'post', 'delete', 'patch'] as const)
    .filter((m) => item[m])
    .map((method) => ({ route, method, op: item[method] as Json & { responses: Record<string, Json> } })),
);

describe('sign-in and access in the OpenAPI document', () => {
  it('is still valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
  });

  it('declares the bearer scheme and requires it by default', () => {
    const schemes = (document.components as Json).securitySchemes as Json;
    expect(schemes[BEARER_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(document.security).toEqual([{ [BEARER_SCHEME]: [] }]);
  });

  it('every route that needs sign-in answers 401 with a WWW-Authenticate challenge', () => {
    const guarded = operations.filter(({ op }) => !Array.isArray(op.security) || op.security.length > 0);
    expect(guarded.length).toBeGreaterThan(5);
    for (const { route, method, op } of guarded) {
      const r401 = op.responses['401'] as Json | undefined;
      expect(r401, `${method} ${route}`).toBeDefined();
      expect(Object.keys((r401?.headers as Json) ?? {}), `${method} ${route}`).toContain('WWW-Authenticate');
    }
  });

  it('the routes of one plan answer 404 alike for a missing plan and one you may not see', () => {
    const ofOnePlan = operations.filter(({ route }) => route.startsWith('/plans/{id}'));
    expect(ofOnePlan.length).toBeGreaterThan(4);
    for (const { route, method, op } of ofOnePlan) {
      expect(String(op.responses['404']?.description), `${method} ${route}`).toMatch(/not one you may see/);
    }
  });

  it('403 where a side may be refused', () => {
    const refusals = operations.filter(({ op }) => op.responses['403']).map((o) => `${o.method} ${o.route}`);
    expect(refusals).toEqual(
      expect.arrayContaining([
        'post /plans',
        'put /plans/{id}',
        'delete /plans/{id}',
        'post /plans/{id}/operations',
      ]),
    );
  });

  it('health and the sign-in configuration need no sign-in', () => {
    expect(document.paths['/auth/config']?.get).toMatchObject({ security: [] });
    expect(document.paths['/health']?.get).toMatchObject({ security: [] });
  });

  it('the plan routes document the channel headers of the tab', () => {
    const get = document.paths['/plans/{id}']?.get as Json;
    const names = (get.parameters as Json[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['x-cosell-channel-id', 'x-cosell-team-id']));
  });
});
