import {
  daysBetween,
  ECONOMIC_KIND_LABELS,
  type HistoryEntry,
  type JointAction,
  type Milestone,
  PLAN_FIELD_LABELS,
  PLAN_FIELDS,
  type Plan,
} from '@cosell/shared';
import { healthFlagsOf } from '../components/health-flags';
import { escalationStalls, NO_ESCALATION_TEXT } from '../escalation/escalation-model';
import {
  describeDaysAgo,
  describeDue,
  formatDate,
  formatDateTime,
  formatMoney,
  fullName,
  httpsUrl,
  roleOf,
} from '../format';
import {
  ACTION_STATUS_LABELS,
  CRM_SYSTEM_LABELS,
  MILESTONE_STATUS_LABELS,
  MOTION_LABELS,
  RECOMMENDATION_LABELS,
  STATUS_LABELS,
  WEEKDAY_LABELS,
} from '../labels';
import type { PlanData } from '../plan/plan-data';
import { byDue, lookupOf, sidesOf } from '../plan/plan-model';
import {
  accountDetails,
  actionStatusColor,
  economicValue,
  escalationChains,
  escalationRule,
  lateBySide,
  lateSides,
  milestoneStatusColor,
  partnerRecordLabel,
  stallAdvice,
} from '../plan/plan-text';

/*
 * The plan page, read-only, drawn with the DOM alone while React and Fluent are still loading: the same
 * landmarks, headings, regions, lists and tables as the React page (pages/plan-page.tsx), in the same
 * words (plan/plan-text.ts, format.ts, labels.ts), styled by first-view.css to look like it. What it
 * lacks are the buttons (edit, mark done, record the review), which arrive with the React page that
 * replaces it. Plan text is data: every piece of it goes into the page as a Text node or an attribute
 * value, never as markup, and links out are https only.
 */

type Child = Node | string | false | null | undefined;

/** What the page above its history is drawn from. */
type Shown = Pick<PlanData, 'plan' | 'health'>;

function h(tag: string, attributes: Record<string, string> | null, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (attributes) for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    // `append` makes a string a Text node: it is never parsed as HTML.
    if (child !== false && child !== null && child !== undefined) element.append(child);
  }
  return element;
}

const text = (className: string | null, ...children: Child[]) =>
  h('span', className ? { class: className } : null, ...children);
const div = (className: string | null, ...children: Child[]) =>
  h('div', className ? { class: className } : null, ...children);

/** The hash routes of routing.ts (not imported: it brings React with it). */
const planHref = (planId: string) => `#/plans/${encodeURIComponent(planId)}`;

function externalLink(href: string | undefined, label: string): Child {
  const url = httpsUrl(href);
  if (!url) return label;
  return h(
    'a',
    { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'fv-link fv-link-inline' },
    label,
    text('fv-visually-hidden', ' (opens in a new tab)'),
  );
}

function badge(label: string, color: string, appearance: 'tint' | 'outline' = 'tint'): HTMLElement {
  return div(`fv-badge fv-badge-${appearance}-${color}`, label);
}

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h(
    'section',
    { 'aria-labelledby': headingId, class: 'fv-section' },
    div('fv-heading-row', h('h2', { id: headingId, class: 'fv-h2' }, title)),
    ...children,
  );
}

const columns = (...children: Child[]) => div('fv-columns', ...children);
const column = (title: string, ...children: Child[]) =>
  div('fv-column', h('h3', { class: 'fv-h3' }, title), ...children);
const list = (items: Child[]) => h('ul', { class: 'fv-list' }, ...items.map((item) => h('li', null, item)));
const plainList = (items: Child[][]) =>
  h('ul', { class: 'fv-plain-list' }, ...items.map((item) => h('li', null, ...item)));

function header(plan: Plan): HTMLElement {
  const deal = plan.crmDeal;
  return div(
    'fv-header',
    h('a', { href: '#/', class: 'fv-link' }, 'All plans'),
    h('h1', { class: 'fv-h1' }, plan.title),
    div(
      'fv-facts',
      badge(STATUS_LABELS[plan.status], plan.status === 'active' ? 'brand' : 'informative', 'outline'),
      text(null, MOTION_LABELS[plan.motion]),
      deal &&
        text(
          null,
          `${CRM_SYSTEM_LABELS[deal.system]} deal `,
          externalLink(deal.url, deal.id),
          deal.amount !== undefined && deal.currency && ` · ${formatMoney(deal.amount, deal.currency)}`,
          deal.closeDate && ` · closes ${formatDate(deal.closeDate)}`,
        ),
      plan.cadence &&
        text(
          null,
          `Weekly review on ${WEEKDAY_LABELS[plan.cadence.weekday]}s at ${plan.cadence.time} (${plan.cadence.timeZone})`,
        ),
    ),
    div(
      'fv-toolbar',
      h('a', { href: `${planHref(plan.id)}/history`, class: 'fv-link fv-toolbar-link' }, 'History'),
      h('a', { href: `${planHref(plan.id)}/print`, class: 'fv-link fv-toolbar-link' }, 'Print'),
      h('a', { href: `${planHref(plan.id)}/review`, class: 'fv-link fv-toolbar-link' }, 'Weekly review'),
    ),
  );
}

function healthSection({ plan, health }: Shown): HTMLElement {
  const { completeness, stalls, decay } = health;
  const stalledAccounts = stalls.accounts.filter((a) => a.stalled);
  const late = lateSides(health.accountability);
  const qualification = health.qualification;
  return section(
    'health',
    'Health',
    text(
      'fv-badges',
      ...healthFlagsOf({
        stalled: stalls.stalled,
        decaying: decay.decaying,
        gaps: completeness.missing.length,
      }).map((flag) => badge(flag.label, flag.color)),
    ),
    columns(
      column(
        'Completeness',
        text(null, `${completeness.done.length} of ${PLAN_FIELDS.length} fields complete`),
        completeness.missing.length > 0 &&
          list(completeness.missing.map((gap) => `${PLAN_FIELD_LABELS[gap.field]}: ${gap.message}`)),
      ),
      column(
        'Stalls',
        !stalls.applies
          ? text(null, 'Stall rules apply to active plans only.')
          : !stalls.stalled
            ? text(null, 'Nothing is stalled.')
            : h(
                'ul',
                { class: 'fv-list' },
                ...(stalledAccounts.length > 0
                  ? stalledAccounts.map((account) =>
                      h(
                        'li',
                        null,
                        text('fv-name', account.accountName),
                        ` is stalled: ${account.reasons.join('; ')}`,
                      ),
                    )
                  : [
                      h(
                        'li',
                        null,
                        text('fv-name', 'The plan'),
                        ` is stalled: ${stalls.plan.reasons.join('; ')}`,
                      ),
                    ]),
              ),
        stalls.applies && stalls.stalled && text(null, stallAdvice(plan)),
      ),
      column(
        'Weekly review',
        decay.decaying && decay.message
          ? text('fv-late', `Decaying: ${decay.message}.`)
          : plan.lastReviewedOn
            ? text(
                null,
                `Last reviewed ${formatDate(plan.lastReviewedOn)} (${describeDaysAgo(
                  daysBetween(plan.lastReviewedOn, health.today),
                )}).`,
              )
            : text(null, 'Not reviewed in a weekly meeting yet.'),
      ),
      column('Late by side', late.length === 0 ? text(null, 'Nothing is late.') : list(late.map(lateBySide))),
      column(
        'Do you need a co-sell plan?',
        ...(qualification
          ? [
              text(
                null,
                text('fv-name', RECOMMENDATION_LABELS[qualification.recommendation]),
                ' is recommended because:',
              ),
              list(qualification.reasons),
              ...(qualification.against.length > 0
                ? [text(null, 'What points the other way:'), list(qualification.against)]
                : []),
            ]
          : [text('fv-muted', 'The qualification questions are not answered yet.')]),
      ),
    ),
  );
}

function accountsSection({ plan, health }: Shown): HTMLElement {
  const stalls = new Map(health.stalls.accounts.map((a) => [a.accountId, a]));
  return section(
    'accounts',
    PLAN_FIELD_LABELS.accounts,
    plan.accounts.length === 0
      ? text('fv-muted', 'No shared account yet.')
      : plainList(
          plan.accounts.map((account) => [
            text('fv-name', account.name),
            ' ',
            stalls.get(account.id)?.stalled && badge('Stalled', 'danger'),
            div('fv-muted', accountDetails(account)),
          ]),
        ),
  );
}

function ownersSection(plan: Plan): HTMLElement {
  return section(
    'owners',
    PLAN_FIELD_LABELS.owners,
    columns(
      ...sidesOf(plan).map((side) =>
        column(
          side.label,
          side.partner?.record &&
            text(
              'fv-muted fv-small',
              'Partner record: ',
              externalLink(side.partner.record.url, partnerRecordLabel(side.partner.record)),
            ),
          side.people.length === 0
            ? text('fv-muted', 'No one named yet')
            : plainList(
                side.people.map((person) => [
                  div('fv-name', fullName(person)),
                  div(null, roleOf(person)),
                  div('fv-muted', person.email),
                ]),
              ),
        ),
      ),
    ),
  );
}

function table(labelledBy: string, headings: string[], rows: HTMLElement[]): HTMLElement {
  return div(
    'fv-table-scroll',
    h(
      'table',
      { class: 'fv-table', 'aria-labelledby': labelledBy },
      h('thead', { class: 'fv-thead' }, h('tr', null, ...headings.map((label) => h('th', null, label)))),
      h('tbody', { class: 'fv-tbody' }, ...rows),
    ),
  );
}

const cell = (label: string, ...children: Child[]) => h('td', { 'data-label': label }, ...children);

function due(item: Milestone | JointAction, today: string): Child[] {
  const isLate = item.status !== 'done' && item.due < today;
  return [
    formatDate(item.due),
    item.status !== 'done' && div(isLate ? 'fv-late' : 'fv-muted', describeDue(item.due, today)),
  ];
}

function milestonesSection({ plan, health }: Shown): HTMLElement {
  const lookup = lookupOf(plan);
  return section(
    'milestones',
    PLAN_FIELD_LABELS.milestones,
    plan.milestones.length === 0
      ? text('fv-muted', 'No milestone yet.')
      : table(
          'milestones-heading',
          ['Milestone', 'Due', 'Owner', 'Status'],
          byDue(plan.milestones).map((milestone) => {
            const owner = lookup.person(milestone.ownerId);
            const account = lookup.accountName(milestone.accountId);
            return h(
              'tr',
              null,
              cell('Milestone', milestone.title, account && div('fv-muted', account)),
              cell('Due', ...due(milestone, health.today)),
              cell('Owner', owner ? fullName(owner) : milestone.ownerId),
              cell(
                'Status',
                badge(MILESTONE_STATUS_LABELS[milestone.status], milestoneStatusColor(milestone.status)),
                milestone.doneOn && div('fv-muted', `on ${formatDate(milestone.doneOn)}`),
                milestone.lastMove &&
                  div(
                    'fv-muted',
                    `Moved from ${formatDate(milestone.lastMove.from)}: ${milestone.lastMove.reason}`,
                  ),
              ),
            );
          }),
        ),
  );
}

function actionsSection({ plan, health }: Shown): HTMLElement {
  const lookup = lookupOf(plan);
  return section(
    'actions',
    PLAN_FIELD_LABELS.actions,
    plan.actions.length === 0
      ? text('fv-muted', 'No joint action yet.')
      : table(
          'actions-heading',
          ['Action', 'Owner', 'Due', 'Status', 'Update'],
          byDue(plan.actions).map((action) => {
            const owner = lookup.person(action.ownerId);
            const milestone = lookup.milestoneTitle(action.milestoneId);
            return h(
              'tr',
              null,
              cell('Action', action.description, milestone && div('fv-muted', `For: ${milestone}`)),
              cell(
                'Owner',
                owner ? fullName(owner) : action.ownerId,
                owner && div('fv-muted', lookup.sideLabel(owner)),
              ),
              cell('Due', ...due(action, health.today)),
              cell(
                'Status',
                badge(ACTION_STATUS_LABELS[action.status], actionStatusColor(action.status)),
                action.doneOn && div('fv-muted', `on ${formatDate(action.doneOn)}`),
                action.blocker && div(null, `Blocker: ${action.blocker}`),
              ),
              // "Mark done" comes with the React page.
              cell('Update'),
            );
          }),
        ),
  );
}

function economicsSection(plan: Plan): HTMLElement {
  return section(
    'economics',
    PLAN_FIELD_LABELS.economics,
    plan.partners.length === 0
      ? text('fv-muted', 'No partner on the plan yet.')
      : columns(
          ...plan.partners.map((partner) => {
            const economics = plan.economics.find((e) => e.partnerId === partner.id);
            return column(
              partner.name,
              !economics
                ? text('fv-late', 'Not written down yet')
                : economics.kind === 'none'
                  ? text(null, `No shared economics: ${economics.statement}`)
                  : plainList(
                      economics.terms.map((term) => [
                        div(
                          null,
                          text('fv-name', ECONOMIC_KIND_LABELS[term.kind]),
                          ` ${economicValue(term)} `,
                          badge(
                            term.agreed ? 'Agreed' : 'Not agreed yet',
                            term.agreed ? 'success' : 'warning',
                          ),
                        ),
                        term.terms && div('fv-muted', term.terms),
                      ]),
                    ),
            );
          }),
        ),
  );
}

function escalationSection(plan: Plan): HTMLElement {
  const lookup = lookupOf(plan);
  return section(
    'escalation',
    PLAN_FIELD_LABELS.escalation,
    text(null, escalationRule(plan.escalation.thresholdDays)),
    columns(
      ...escalationChains(plan).map(({ label, chain }) =>
        column(
          label,
          chain.length === 0
            ? text('fv-late', 'No escalation path yet')
            : h(
                'ol',
                { class: 'fv-list' },
                ...chain.map((personId) => {
                  const person = lookup.person(personId);
                  return h(
                    'li',
                    null,
                    ...(person
                      ? [fullName(person), ' ', text('fv-muted', `(${roleOf(person)})`)]
                      : [personId]),
                  );
                }),
              ),
        ),
      ),
    ),
    h('h3', { class: 'fv-h3' }, 'Escalations sent'),
    escalationLog(plan),
  );
}

/** Who was told the plan stalled: the words of the React page's escalation log (escalation-model.ts). */
function escalationLog(plan: Plan): HTMLElement {
  const stalls = escalationStalls(plan);
  if (stalls.length === 0) return text('fv-muted', NO_ESCALATION_TEXT);
  return div(
    'fv-escalations',
    ...stalls.map((stall) =>
      h(
        'section',
        { 'aria-label': stall.label, class: 'fv-escalation-stall' },
        text('fv-name', stall.heading),
        h(
          'ul',
          { class: 'fv-list fv-escalation-list' },
          ...stall.lines.map((line) =>
            h(
              'li',
              { class: 'fv-escalation-line' },
              text(null, line.date),
              text(null, line.personName, ' ', text('fv-muted', line.where)),
              badge(line.state, line.state === 'sending' ? 'warning' : 'success'),
            ),
          ),
        ),
      ),
    ),
  );
}

function historyEntry(entry: HistoryEntry): Child[] {
  return [
    div(
      null,
      text('fv-name', entry.actor.displayName),
      ' ',
      h('time', { datetime: entry.at, class: 'fv-muted' }, formatDateTime(entry.at)),
    ),
    entry.changes.length === 0
      ? div('fv-muted', 'Saved without a change this page describes.')
      : entry.changes.length === 1
        ? div(null, entry.changes[0])
        : list(entry.changes),
  ];
}

function historySection(plan: Plan, entries: HistoryEntry[] | undefined): HTMLElement {
  return section(
    'history',
    'History',
    entries === undefined
      ? text('fv-muted', 'The history could not be loaded.')
      : entries.length === 0
        ? text('fv-muted', 'No changes yet.')
        : plainList(entries.map(historyEntry)),
    div(null, h('a', { href: `${planHref(plan.id)}/history`, class: 'fv-link' }, 'See the whole history')),
  );
}

export interface FirstView {
  /** The page as the React app draws it around the plan: the banner and the main landmark. */
  view: HTMLElement;
  /**
   * Adds the last section, the recent history, below the first screen. Apart because its times are
   * formatted with Intl, whose first formatter costs more than the rest of the page (format.ts), and
   * because it comes in its own answer: the entry calls it after the first frame.
   */
  finish(history: HistoryEntry[] | undefined): void;
}

export function renderPlanFirstView(data: Shown): FirstView {
  const { plan } = data;
  const page = div(
    'fv-page',
    header(plan),
    // Where the React page says what a save did: empty at first, but a place in the column all the same.
    div(null),
    healthSection(data),
    accountsSection(data),
    ownersSection(plan),
    milestonesSection(data),
    actionsSection(data),
    plan.motion === 'co-sell' && economicsSection(plan),
    escalationSection(plan),
  );
  const view = div(
    'fv-app',
    h('header', { class: 'fv-banner' }, h('a', { href: '#/', class: 'fv-link fv-app-name' }, 'Co-Sell Plan')),
    h('main', { class: 'fv-main' }, page),
  );
  let finished = false;
  return {
    view,
    finish(history) {
      if (finished) return;
      finished = true;
      page.append(historySection(plan, history));
    },
  };
}
