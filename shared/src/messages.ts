import type { z } from 'zod';

/**
 * Plain-language messages for zod's generic issues (a field missing, a wrong type, an unknown field),
 * used wherever plan input is checked: `schema.safeParse(input, { error: explainIssue })`.
 * Messages written on the schemas themselves (limits, rules) take precedence.
 */
export const explainIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.input === null) return `must be ${article(issue.expected)}, not null`;
      return `must be ${article(issue.expected)} (got ${describe(issue.input)})`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      if (issue.note === 'No matching discriminator' && issue.discriminator) {
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
        return `unknown ${issue.discriminator}${options.length ? `: use one of ${options.join(', ')}` : ''}`;
      }
      return undefined;
    default:
      return undefined;
  }
};

function article(type: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
  };
  return words[type] ?? type;
}

function describe(input: unknown): string {
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return 'text';
  if (typeof input === 'object') return 'an object';
  return typeof input;
}
