import { demoPlan } from '@cosell/shared';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/src/openapi';

/*
 * The OpenAPI document is checked by a real OpenAPI 3.1 validator, and its PlanWrite schema (generated
 * from the shared zod schema) accepts the demo plan and refuses what the API refuses at the schema level.
 */

describe('the OpenAPI 3.1 document', () => {
  const document = buildOpenApiDocument('test');

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes a plan the way the API checks it', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'doc', components: document.components });
    const validate = ajv.compile({ $ref: 'doc#/components/schemas/PlanWrite' });
    expect(validate(demoPlan('2026-11-27')), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...demoPlan('2026-11-27'), title: 'x'.repeat(101) })).toBe(false);
    expect(validate({ ...demoPlan('2026-11-27'), titel: 'typo' })).toBe(false);
    expect(
      validate({
        ...demoPlan('2026-11-27'),
        crmDeal: { system: 'salesforce', id: 'x', url: 'javascript:alert(1)' },
      }),
    ).toBe(false);
  });
});
