import type { IsoDate } from './dates';
import { assessHealth, PLAN_FIELD_LABELS, type PlanHealth, type StallState } from './health';
import type { EconomicTerm, Person, Plan } from './plan-schema';
import {
  ACTION_STATUS_LABELS,
  CRM_SYSTEM_LABELS,
  ECONOMIC_KIND_LABELS,
  MILESTONE_STATUS_LABELS,
  MOTION_LABELS,
  ROLE_LABELS,
  STATUS_LABELS,
} from './vocabulary';

/*
 * The one-page plan as an email body (SPEC §5; issues 7 and 9): the cadence invites and the Outlook add-in
 * put it into a meeting body. Email-safe HTML: nested presentation tables, inline styles only, system fonts,
 * no classes, scripts or images, readable in Outlook on a phone (one column, stacked rows). Plan text is
 * data, never markup: every plan string goes through `escapeHtml`, and no plan value lands in an attribute
 * except https links (the tab link, the CRM deal and partner records), escaped.
 *
 * Both renderers read one model (`buildModel`), so the HTML and the text/plain part say the same things.
 */

export interface PlanEmailOptions {
  today: IsoDate;
  /** The link back to the plan in Teams. Only https is accepted. */
  tabUrl: string;
  /** The plan's health; worked out with `assessHealth(plan, today)` when not given. */
  health?: PlanHealth;
}

/** Escapes the five HTML-significant characters; the result is text in element content or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** An absolute https:// URL with a host: the only links the invites, the PDF and the tab make. */
export function isHttpsUrl(value: string | undefined): value is string {
  if (value === undefined) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** http://127.0.0.1:7071/… or http://localhost/…: the local host's own address. */
function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 27, 2026": a calendar day, the same for every reader (no Intl, no time zone). */
export function formatEmailDate(date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) return date;
  return `${month} ${Number(m[3])}, ${m[1]}`;
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹' };

/** "$120,000", "9,000 CHF": an amount the same for every reader (no Intl). */
export function formatEmailMoney(amount: number, currency: string): string {
  const units = Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = CURRENCY_SYMBOLS[currency];
  return symbol ? `${symbol}${units}` : `${units} ${currency}`;
}

export const OPEN_IN_TEAMS = 'Open the plan in Teams';

/* ---------- The model both renderers read ---------- */

type Tone = 'normal' | 'muted' | 'bad' | 'good';
/** A piece of a line: text, or text linked to a validated https URL. */
type Part = { text: string; tone?: Tone; strong?: boolean; href?: string };
/** One stacked row: a first line and detail lines under it. */
interface Item {
  lines: Part[][];
}
interface Group {
  label?: string;
  items: Item[];
  /** Said when there are no items. */
  empty?: string;
}
interface Section {
  heading: string;
  intro?: string;
  groups: Group[];
}
interface Model {
  title: string;
  meta: Part[][];
  health: { tone: Tone; lines: string[] };
  sections: Section[];
  tabUrl: string;
}

const fullName = (p: Pick<Person, 'firstName' | 'lastName'>) => `${p.firstName} ${p.lastName}`;
const roleOf = (p: Pick<Person, 'role' | 'title'>) =>
  p.title ? `${ROLE_LABELS[p.role]}, ${p.title}` : ROLE_LABELS[p.role];
const byDue = <T extends { due: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "18%" or "$15,000": the value of an economic term. */
export function economicTermValue(term: EconomicTerm): string {
  return term.value.type === 'percent'
    ? `${term.value.percent}%`
    : formatEmailMoney(term.value.amount, term.value.currency);
}

/** The plan's health in sentences (stalls with why, decay, gaps), or the one line saying it is healthy. */
export function planHealthLines(plan: Plan, health: PlanHealth): { tone: 'good' | 'bad'; lines: string[] } {
  const lines: string[] = [];
  const milestones = new Map(plan.milestones.map((m) => [m.id, m]));
  const threshold = plan.escalation.thresholdDays;
  const why = (state: StallState) => [
    ...(state.daysSinceMove > threshold
      ? [`nothing moved forward for ${state.daysSinceMove} days (threshold ${threshold})`]
      : []),
    ...state.overdueMilestoneIds.flatMap((id) => {
      const m = milestones.get(id);
      return m ? [`milestone "${m.title}" was due ${formatEmailDate(m.due)} and is not done`] : [];
    }),
  ];
  if (health.stalls.applies) {
    if (health.stalls.plan.stalled) lines.push(`Plan stalled: ${why(health.stalls.plan).join('; ')}`);
    for (const a of health.stalls.accounts) {
      if (a.stalled) lines.push(`${a.accountName} stalled: ${why(a).join('; ')}`);
    }
  }
  if (health.decay.decaying && health.decay.message) lines.push(`Review overdue: ${health.decay.message}`);
  for (const gap of health.completeness.missing) {
    lines.push(`Gap in ${PLAN_FIELD_LABELS[gap.field]}: ${gap.message}`);
  }
  if (lines.length === 0) {
    return {
      tone: 'good',
      lines: [
        health.stalls.applies
          ? 'Healthy: all six fields are filled and nothing is stalled.'
          : 'All six fields are filled.',
      ],
    };
  }
  return { tone: 'bad', lines };
}

function buildModel(plan: Plan, options: PlanEmailOptions): Model {
  // A local trial (`npm start`) serves the tab from a loopback http address; anything else must be https.
  if (!isHttpsUrl(options.tabUrl) && !isLoopbackHttpUrl(options.tabUrl)) {
    throw new Error('the link back to the plan must be an https:// URL');
  }
  const today = options.today;
  const health = options.health ?? assessHealth(plan, today);
  const coSell = plan.motion === 'co-sell';
  const partners = coSell ? plan.partners : [];
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const partnerNames = new Map(plan.partners.map((p) => [p.id, p.name]));
  const accountNames = new Map(plan.accounts.map((a) => [a.id, a.name]));
  const milestoneTitles = new Map(plan.milestones.map((m) => [m.id, m.title]));
  const visible = (person: Person | undefined) => coSell || person?.side !== 'partner';
  const sideLabel = (p: Person) =>
    p.side === 'vendor'
      ? 'Vendor'
      : p.side === 'buyer'
        ? 'Buyer'
        : (partnerNames.get(p.partnerId ?? '') ?? 'Partner');
  const ownerText = (id: string) => {
    const p = people.get(id);
    return p ? `${fullName(p)} (${sideLabel(p)})` : 'Owner not named';
  };
  const muted = (text: string): Part => ({ text, tone: 'muted' });

  // Header
  const meta: Part[][] = [
    [
      { text: 'Status: ', tone: 'muted' },
      { text: STATUS_LABELS[plan.status], strong: true },
      { text: ' · ', tone: 'muted' },
      { text: MOTION_LABELS[plan.motion] },
    ],
    [
      { text: 'Next milestone: ', tone: 'muted' },
      health.nextMilestone
        ? { text: `${health.nextMilestone.title}, ${formatEmailDate(health.nextMilestone.due)}` }
        : { text: 'none open' },
    ],
    [
      { text: 'Last review: ', tone: 'muted' },
      { text: plan.lastReviewedOn ? formatEmailDate(plan.lastReviewedOn) : 'not reviewed yet' },
    ],
  ];
  const deal = plan.crmDeal;
  if (deal) {
    const label = `${CRM_SYSTEM_LABELS[deal.system]} deal ${deal.id}`;
    const facts = [
      ...(deal.amount !== undefined ? [formatEmailMoney(deal.amount, deal.currency ?? 'USD')] : []),
      ...(deal.closeDate ? [`closes ${formatEmailDate(deal.closeDate)}`] : []),
    ];
    meta.push([
      { text: 'Deal: ', tone: 'muted' },
      isHttpsUrl(deal.url) ? { text: label, href: deal.url } : { text: label },
      ...(facts.length > 0 ? [{ text: ` · ${facts.join(' · ')}` }] : []),
    ]);
  }
  for (const partner of partners) {
    const record = partner.record;
    const recordLabel = record ? [record.system, record.id].filter(Boolean).join(' ') : undefined;
    meta.push([
      { text: 'Partner: ', tone: 'muted' },
      { text: partner.name, strong: true },
      ...(recordLabel
        ? [
            muted(' · '),
            isHttpsUrl(record?.url) ? { text: recordLabel, href: record.url } : { text: recordLabel },
          ]
        : []),
    ]);
  }

  const sections: Section[] = [];

  // 1. Shared accounts
  const stalls = new Map(health.stalls.accounts.map((a) => [a.accountId, a]));
  sections.push({
    heading: PLAN_FIELD_LABELS.accounts,
    groups: [
      {
        empty: 'No shared account named yet.',
        items: plan.accounts.map((account) => {
          const stalled = health.stalls.applies && stalls.get(account.id)?.stalled === true;
          const source = account.overlapSource;
          const overlap = source
            ? [
                `${source.system === 'crossbeam' ? 'Crossbeam' : 'Overlap'}: ${[
                  source.population,
                  source.partnerPopulation,
                ]
                  .filter(Boolean)
                  .join(' / ')}`.replace(/: $/, ''),
                ...(source.recordId ? [`record ${source.recordId}`] : []),
              ].join(', ')
            : undefined;
          const details = [
            ...(account.crmAccountId ? [`CRM account ${account.crmAccountId}`] : []),
            ...(overlap ? [overlap] : []),
          ];
          return {
            lines: [
              [
                { text: account.name, strong: true },
                muted(` · ${account.domain}`),
                ...(stalled ? [{ text: ' · Stalled', tone: 'bad' as const, strong: true }] : []),
              ],
              ...(details.length > 0 ? [[muted(details.join(' · '))]] : []),
            ],
          };
        }),
      },
    ],
  });

  // 2. Named owners, by side: vendor, each partner, buyer
  const sides: Group[] = [
    { label: 'Vendor', items: [], empty: 'No one named yet.' },
    ...partners.map((p) => ({ label: p.name, items: [], empty: 'No one named yet.' })),
    { label: 'Buyer', items: [], empty: 'No one named yet.' },
  ];
  const personItem = (p: Person): Item => ({
    lines: [[{ text: fullName(p), strong: true }, muted(` · ${roleOf(p)}`)], [muted(p.email)]],
  });
  for (const p of plan.people) {
    const index =
      p.side === 'vendor'
        ? 0
        : p.side === 'buyer'
          ? sides.length - 1
          : 1 + partners.findIndex((partner) => partner.id === p.partnerId);
    // A partner-side person of no partner shown (or of a MAP) has index 0 from findIndex's -1: skipped.
    if (p.side === 'vendor' || index > 0) sides[index]?.items.push(personItem(p));
  }
  sections.push({ heading: 'Named owners', groups: sides });

  // 3. Milestones
  sections.push({
    heading: PLAN_FIELD_LABELS.milestones,
    groups: [
      {
        empty: "No milestone on the buyer's calendar yet.",
        items: byDue(plan.milestones).map((m) => {
          const late = m.status !== 'done' && m.due < today;
          const account = m.accountId ? accountNames.get(m.accountId) : undefined;
          const owner = people.get(m.ownerId);
          return {
            lines: [
              [{ text: m.title, strong: true }],
              [
                { text: `Due ${formatEmailDate(m.due)}`, tone: late ? 'bad' : 'normal' },
                muted(' · '),
                {
                  text: MILESTONE_STATUS_LABELS[m.status] + (late ? ', overdue' : ''),
                  tone: late || m.status === 'slipped' ? 'bad' : m.status === 'done' ? 'good' : 'normal',
                  strong: true,
                },
                ...(m.doneOn ? [muted(` on ${formatEmailDate(m.doneOn)}`)] : []),
              ],
              [
                muted(
                  [
                    `Owner: ${visible(owner) ? ownerText(m.ownerId) : 'Partner'}`,
                    ...(account ? [account] : []),
                  ].join(' · '),
                ),
              ],
              ...(m.lastMove
                ? [[muted(`Moved from ${formatEmailDate(m.lastMove.from)}: ${m.lastMove.reason}`)]]
                : []),
            ],
          };
        }),
      },
    ],
  });

  // 4. Joint actions
  sections.push({
    heading: PLAN_FIELD_LABELS.actions,
    groups: [
      {
        empty: 'No joint action yet.',
        items: byDue(plan.actions.filter((a) => visible(people.get(a.ownerId)))).map((a) => {
          const late = a.status !== 'done' && a.due < today;
          const milestone = a.milestoneId ? milestoneTitles.get(a.milestoneId) : undefined;
          return {
            lines: [
              [{ text: a.description, strong: true }],
              [
                muted(`Owner: ${ownerText(a.ownerId)} · `),
                { text: `Due ${formatEmailDate(a.due)}`, tone: late ? 'bad' : 'normal' },
                muted(' · '),
                {
                  text: ACTION_STATUS_LABELS[a.status] + (late ? ', late' : ''),
                  tone: late || a.status === 'blocked' ? 'bad' : a.status === 'done' ? 'good' : 'normal',
                  strong: true,
                },
                ...(a.doneOn ? [muted(` on ${formatEmailDate(a.doneOn)}`)] : []),
              ],
              ...(a.blocker ? [[{ text: `Blocker: ${a.blocker}`, tone: 'bad' as const }]] : []),
              ...(milestone ? [[muted(`For: ${milestone}`)]] : []),
            ],
          };
        }),
      },
    ],
  });

  // 5. Economic split, per partner (a mutual action plan has none)
  if (coSell) {
    sections.push({
      heading: PLAN_FIELD_LABELS.economics,
      groups:
        partners.length === 0
          ? [{ items: [], empty: 'No partner on the plan yet.' }]
          : partners.map((partner) => {
              const economics = plan.economics.find((e) => e.partnerId === partner.id);
              const items: Item[] =
                economics?.kind === 'terms'
                  ? economics.terms.map((term) => ({
                      lines: [
                        [
                          { text: ECONOMIC_KIND_LABELS[term.kind], strong: true },
                          { text: ` ${economicTermValue(term)} · ` },
                          term.agreed
                            ? { text: 'Agreed', tone: 'good', strong: true }
                            : { text: 'Not agreed yet', tone: 'bad', strong: true },
                        ],
                        ...(term.terms ? [[muted(term.terms)]] : []),
                      ],
                    }))
                  : economics?.kind === 'none'
                    ? [{ lines: [[{ text: `No shared economics: ${economics.statement}` }]] }]
                    : [];
              return { label: partner.name, items, empty: 'Not written down yet.' };
            }),
    });
  }

  // 6. Escalation path, per side
  const chainGroup = (label: string, chain: readonly string[]): Group => ({
    label,
    empty: 'No escalation path yet.',
    items: chain.map((id, i) => {
      const p = people.get(id);
      return {
        lines: [
          p
            ? [{ text: `${i + 1}. ${fullName(p)}`, strong: true }, muted(` · ${roleOf(p)}`)]
            : [{ text: `${i + 1}. Person not on the plan`, tone: 'bad' }],
        ],
      };
    }),
  });
  sections.push({
    heading: PLAN_FIELD_LABELS.escalation,
    intro: `Escalate when nothing moves for ${plural(plan.escalation.thresholdDays, 'day')}: the first person of each chain, then the next one a threshold later.`,
    groups: [
      chainGroup('Vendor', plan.escalation.vendorChain),
      ...partners.map((partner) =>
        chainGroup(
          partner.name,
          plan.escalation.partnerChains.find((c) => c.partnerId === partner.id)?.chain ?? [],
        ),
      ),
    ],
  });

  return { title: plan.title, meta, health: planHealthLines(plan, health), sections, tabUrl: options.tabUrl };
}

/* ---------- HTML ---------- */

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const COLORS: Record<Tone, string> = {
  normal: '#242424',
  muted: '#616161',
  bad: '#b10e1c',
  good: '#0e700e',
};
const TABLE_ATTRS = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';

function partHtml(part: Part): string {
  const style = `color:${COLORS[part.tone ?? 'normal']};${part.strong ? 'font-weight:600;' : ''}`;
  const text = escapeHtml(part.text);
  if (part.href !== undefined && isHttpsUrl(part.href)) {
    return `<a href="${escapeHtml(part.href)}" style="${style}text-decoration:underline">${text}</a>`;
  }
  return `<span style="${style}">${text}</span>`;
}

function lineHtml(parts: Part[], first: boolean): string {
  const size = first ? 'font-size:15px;line-height:21px' : 'font-size:13px;line-height:19px';
  return `<tr><td style="${FONT};${size};padding:0;mso-line-height-rule:exactly">${parts.map(partHtml).join('')}</td></tr>`;
}

function itemHtml(item: Item): string {
  const lines = item.lines.map((line, i) => lineHtml(line, i === 0)).join('');
  return `<tr><td style="padding:8px 0;border-bottom:1px solid #e0e0e0"><table ${TABLE_ATTRS} style="width:100%;border-collapse:collapse">${lines}</table></td></tr>`;
}

function groupHtml(group: Group): string {
  const label = group.label
    ? `<tr><td style="${FONT};font-size:13px;line-height:19px;font-weight:600;color:#424242;padding:10px 0 2px 0;text-transform:uppercase;letter-spacing:0.5px">${escapeHtml(group.label)}</td></tr>`
    : '';
  const items =
    group.items.length > 0
      ? group.items.map(itemHtml).join('')
      : `<tr><td style="${FONT};font-size:13px;line-height:19px;color:${COLORS.bad};padding:6px 0">${escapeHtml(group.empty ?? '')}</td></tr>`;
  return label + items;
}

function sectionHtml(section: Section): string {
  const heading = `<tr><td style="${FONT};font-size:17px;line-height:23px;font-weight:700;color:#242424;padding:20px 0 4px 0;border-bottom:2px solid #5b5fc7">${escapeHtml(section.heading)}</td></tr>`;
  const intro = section.intro
    ? `<tr><td style="${FONT};font-size:13px;line-height:19px;color:${COLORS.muted};padding:6px 0 0 0">${escapeHtml(section.intro)}</td></tr>`
    : '';
  return heading + intro + section.groups.map(groupHtml).join('');
}

/** The one-page plan as an email-safe HTML fragment: one outer presentation table, inline styles only. */
export function renderPlanEmailHtml(plan: Plan, options: PlanEmailOptions): string {
  const model = buildModel(plan, options);
  const title = `<tr><td style="${FONT};font-size:22px;line-height:28px;font-weight:700;color:#242424;padding:0 0 8px 0">${escapeHtml(model.title)}</td></tr>`;
  const meta = model.meta.map((line) => lineHtml(line, false)).join('');
  const health = `<tr><td style="padding:12px 0 0 0"><table ${TABLE_ATTRS} style="width:100%;border-collapse:collapse;background-color:${model.health.tone === 'good' ? '#f1faf1' : '#fdf3f4'};border-left:4px solid ${COLORS[model.health.tone]}">${model.health.lines
    .map(
      (line, i) =>
        `<tr><td style="${FONT};font-size:13px;line-height:19px;color:${COLORS[model.health.tone]};padding:${i === 0 ? '8px' : '2px'} 12px ${i === model.health.lines.length - 1 ? '8px' : '2px'} 12px">${i === 0 ? '<span style="font-weight:700">Health: </span>' : ''}${escapeHtml(line)}</td></tr>`,
    )
    .join('')}</table></td></tr>`;
  const link = `<tr><td style="padding:16px 0 0 0"><table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr><td style="background-color:#5b5fc7;border-radius:4px;padding:10px 18px"><a href="${escapeHtml(model.tabUrl)}" style="${FONT};font-size:15px;line-height:21px;font-weight:600;color:#ffffff;text-decoration:none">${escapeHtml(OPEN_IN_TEAMS)}</a></td></tr></table></td></tr>`;
  const body = title + meta + health + link + model.sections.map(sectionHtml).join('') + link;
  return `<table ${TABLE_ATTRS} style="width:100%;max-width:640px;border-collapse:collapse;background-color:#ffffff;${FONT};color:#242424"><tr><td style="padding:16px"><table ${TABLE_ATTRS} style="width:100%;border-collapse:collapse">${body}</table></td></tr></table>`;
}

/* ---------- Plain text ---------- */

/** Plan text is one line by schema; a stray line break never splits a line of the text part. */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ');

function partText(part: Part): string {
  const text = oneLine(part.text);
  return part.href !== undefined && isHttpsUrl(part.href) ? `${text} <${oneLine(part.href)}>` : text;
}

/** The same plan as plain text, for the text/plain part of the message. */
export function renderPlanEmailText(plan: Plan, options: PlanEmailOptions): string {
  const model = buildModel(plan, options);
  const out: string[] = [oneLine(model.title), ...model.meta.map((line) => line.map(partText).join(''))];
  out.push(
    '',
    `Health: ${oneLine(model.health.lines[0] ?? '')}`,
    ...model.health.lines.slice(1).map(oneLine),
  );
  out.push('', `${OPEN_IN_TEAMS}: ${oneLine(model.tabUrl)}`);
  for (const section of model.sections) {
    out.push('', section.heading.toUpperCase());
    if (section.intro) out.push(section.intro);
    for (const group of section.groups) {
      if (group.label) out.push(`${oneLine(group.label)}:`);
      const indent = group.label ? '  ' : '';
      if (group.items.length === 0) out.push(`${indent}${group.empty ?? ''}`);
      for (const item of group.items) {
        item.lines.forEach((line, i) => {
          out.push(`${indent}${i === 0 ? '- ' : '  '}${line.map(partText).join('')}`);
        });
      }
    }
  }
  return `${out.join('\n')}\n`;
}
