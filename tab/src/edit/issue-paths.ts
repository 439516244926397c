import type { FieldErrors } from './drafts';

/* Field paths as the API writes them (`milestones[2].due`), and how a person reads one. */

/** Same format as the API's `errors[].path`, so a server 422 lands on the same field as a client check. */
export function formatPath(path: readonly PropertyKey[]): string {
  let dotted = '';
  for (const part of path) {
    if (typeof part === 'number') dotted += `[${part}]`;
    else dotted += dotted === '' ? String(part) : `.${String(part)}`;
  }
  return dotted === '' ? '(plan)' : dotted;
}

/** The first message per path wins: the client's own words before the schema's. */
export function errorsOf(problems: readonly (readonly [string, string])[]): FieldErrors {
  const errors: FieldErrors = new Map();
  for (const [path, message] of problems) if (!errors.has(path)) errors.set(path, message);
  return errors;
}

const NOUNS: Record<string, string> = {
  accounts: 'Account',
  partners: 'Partner',
  people: 'Person',
  milestones: 'Milestone',
  actions: 'Action',
  economics: 'Economics',
  terms: 'term',
  partnerChains: 'partner chain',
  vendorChain: 'vendor chain',
  chain: 'person',
  attendeeIds: 'attendee',
};

const WORDS: Record<string, string> = {
  crmDeal: 'CRM deal',
  crmAccountId: 'CRM account id',
  ownerId: 'owner',
  milestoneId: 'milestone',
  accountId: 'account',
  partnerId: 'partner',
  doneOn: 'done date',
  due: 'due date',
  thresholdDays: 'stall threshold',
  cycleDays: 'sales cycle',
  timeZone: 'time zone',
  startsOn: 'start date',
  endsOn: 'end date',
  url: 'link',
  id: 'id',
};

function words(key: string): string {
  return WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** `milestones[2].due` → "Milestone 3, due date". */
export function describePath(path: string): string {
  const parts: string[] = [];
  const tokens = path.match(/[^.[\]]+|\[\d+\]/g) ?? [path];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const next = tokens[i + 1];
    const index = next?.startsWith('[') ? Number(next.slice(1, -1)) + 1 : undefined;
    if (index !== undefined && NOUNS[token]) {
      parts.push(`${NOUNS[token]} ${index}`);
      i++;
    } else if (!token.startsWith('[')) {
      parts.push(words(token));
    }
  }
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
