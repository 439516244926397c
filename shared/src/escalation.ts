import { redactPlanFor, redactSummaryFor, type ViewerSide } from './access';
import { addDays, type IsoDate, maxDate, minDate } from './dates';
import { assessHealth, assessStalls, summarizePlan } from './health';
import type { MailAddress, OutgoingMail } from './mail';
import { escapeHtml, formatEmailDate, renderPlanEmailHtml, renderPlanEmailText } from './plan-email-html';
import type { EscalationRecord, Person, Plan } from './plan-schema';
import { ROLE_LABELS } from './vocabulary';

/*
 * Escalation of stalls up both chains (SPEC §3, §6; issue 8). Pure: the plan and `today` in, decisions out.
 *
 * - A stall: the plan or one of its accounts is stalled (`assessStalls`, active plans only). The stall
 *   starts on the earliest `stallsOn` of the parts stalled now; while the plan stays stalled that day stays
 *   the same, and when the plan moves again (an action or milestone done) the stall ends. A later stall
 *   has a later start: a new sequence, from level 1 again.
 * - Chains: the vendor chain and each partner's chain, independently. Level 1 (the first person of the
 *   chain) is due on the first day of the stall; level n+1 is due `thresholdDays` after level n was
 *   escalated, if the plan is still stalled then. A chain ends with its last person.
 * - Each escalation has a key — plan, stall start, chain, level — that is both its record on the plan and
 *   the mail's idempotency key: it is sent once, whatever reruns or instances do.
 * - The message says what stalled, since when, who owns it and links to the plan; the plan attached to
 *   partner X's message is redacted for partner X (no other partner's economics), the vendor's is whole.
 */

/** The job's actor in plan history. */
export const ESCALATION_ACTOR = { id: 'cosell-escalation', displayName: 'Co-Sell escalation' } as const;

/** How many escalation records a plan keeps (older sequences are dropped first). */
export const MAX_ESCALATION_RECORDS = 40;

/** A `pending` record older than this was left by an instance that stopped; the send is tried again. */
export const ESCALATION_LEASE_MS = 15 * 60 * 1000;

export type ChainRef = { chain: 'vendor' } | { chain: 'partner'; partnerId: string };

export interface StallSubject {
  /** `plan`, or the account's id. */
  id: string;
  /** "the plan" or "account Contoso Pharma". */
  label: string;
  /** Since when this part is stalled. */
  since: IsoDate;
  /** Why, in sentences (`assessStalls` reasons). */
  reasons: string[];
}

export interface CurrentStall {
  startedOn: IsoDate;
  subjects: StallSubject[];
}

export interface DueEscalation {
  key: string;
  planId: string;
  stallStartedOn: IsoDate;
  chain: ChainRef;
  level: number;
  person: Person;
}

export interface EscalationDecision {
  planId: string;
  /** Undefined when the plan is not stalled (or stall rules do not apply to it). */
  stall?: CurrentStall;
  /** Escalations to send now, one per chain at most. */
  due: DueEscalation[];
}

/** What stalled now, and since when; undefined when nothing is stalled. */
export function currentStall(plan: Plan, today: IsoDate): CurrentStall | undefined {
  const report = assessStalls(plan, today);
  if (!report.applies || !report.stalled) return undefined;
  const subjects: StallSubject[] = [];
  if (report.plan.stalled) {
    subjects.push({
      id: 'plan',
      label: 'the plan',
      since: report.plan.stallsOn,
      reasons: report.plan.reasons,
    });
  }
  for (const account of report.accounts) {
    if (account.stalled) {
      subjects.push({
        id: account.accountId,
        label: `account ${account.accountName}`,
        since: account.stallsOn,
        reasons: account.reasons,
      });
    }
  }
  const startedOn = minDate(subjects.map((s) => s.since));
  if (startedOn === undefined) return undefined;
  return { startedOn, subjects };
}

export function chainId(ref: ChainRef): string {
  return ref.chain === 'vendor' ? 'vendor' : `partner-${ref.partnerId}`;
}

/** The idempotency key of one escalation: plan, stall start, chain, level. */
export function escalationKey(planId: string, stallStartedOn: IsoDate, ref: ChainRef, level: number): string {
  return `escalation:${planId}:${stallStartedOn}:${chainId(ref)}:${level}`;
}

function chainsOf(plan: Plan): { ref: ChainRef; people: string[] }[] {
  const partners = plan.motion === 'co-sell' ? plan.partners : [];
  return [
    { ref: { chain: 'vendor' }, people: plan.escalation.vendorChain },
    ...partners.map((partner) => ({
      ref: { chain: 'partner' as const, partnerId: partner.id },
      people: plan.escalation.partnerChains.find((c) => c.partnerId === partner.id)?.chain ?? [],
    })),
  ];
}

const sameChain = (record: EscalationRecord, ref: ChainRef) =>
  record.chain === ref.chain && (ref.chain === 'vendor' || record.partnerId === ref.partnerId);

/** Which escalations are due on `today`, given the ones already recorded on the plan. */
export function decideEscalations(plan: Plan, today: IsoDate): EscalationDecision {
  const stall = currentStall(plan, today);
  if (!stall) return { planId: plan.id, due: [] };
  const records = (plan.escalations ?? []).filter((r) => r.stallStartedOn === stall.startedOn);
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const due: DueEscalation[] = [];
  for (const { ref, people: chain } of chainsOf(plan)) {
    const done = records.filter((r) => sameChain(r, ref));
    const last = done.reduce<EscalationRecord | undefined>(
      (best, r) => (best === undefined || r.level > best.level ? r : best),
      undefined,
    );
    const level = (last?.level ?? 0) + 1;
    if (level > chain.length) continue;
    if (last && today < addDays(last.escalatedOn, plan.escalation.thresholdDays)) continue;
    const person = people.get(chain[level - 1] ?? '');
    if (!person) continue;
    due.push({
      key: escalationKey(plan.id, stall.startedOn, ref, level),
      planId: plan.id,
      stallStartedOn: stall.startedOn,
      chain: ref,
      level,
      person,
    });
  }
  return { planId: plan.id, stall, due };
}

export const personName = (p: Pick<Person, 'firstName' | 'lastName'>) => `${p.firstName} ${p.lastName}`;

/** The record of an escalation on the plan (`pending` until the gateway has it). */
export function escalationRecord(
  due: DueEscalation,
  stall: CurrentStall,
  context: { today: IsoDate; now: Date; claimId?: string },
): EscalationRecord {
  return {
    key: due.key,
    stallStartedOn: due.stallStartedOn,
    chain: due.chain.chain,
    ...(due.chain.chain === 'partner' ? { partnerId: due.chain.partnerId } : {}),
    level: due.level,
    personId: due.person.id,
    personName: personName(due.person).slice(0, 60),
    email: due.person.email,
    subjects: stall.subjects.slice(0, 10).map((s) => s.label.slice(0, 120)),
    escalatedOn: context.today,
    at: context.now.toISOString(),
    state: 'pending',
    ...(context.claimId ? { claimId: context.claimId } : {}),
  };
}

/**
 * The plan's escalation records with `added` appended (or, for a key already there, `state` updated), at
 * most MAX_ESCALATION_RECORDS: records of older stalls go first.
 */
export function withEscalationRecords(
  existing: readonly EscalationRecord[],
  added: readonly EscalationRecord[],
): EscalationRecord[] {
  const byKey = new Map(existing.map((r) => [r.key, r]));
  for (const record of added) {
    const known = byKey.get(record.key);
    byKey.set(record.key, known ? { ...known, state: record.state } : record);
  }
  const all = [...byKey.values()];
  while (all.length > MAX_ESCALATION_RECORDS) {
    const newest = maxDate(all.map((r) => r.stallStartedOn));
    const old = all.findIndex((r) => r.stallStartedOn !== newest);
    all.splice(old === -1 ? 0 : old, 1);
  }
  return all;
}

/** Records left `pending` longer than the lease by an instance that stopped: their send is tried again. */
export function stalePendingEscalations(plan: Plan, now: Date): EscalationRecord[] {
  return (plan.escalations ?? []).filter(
    (r) => r.state === 'pending' && now.getTime() - Date.parse(r.at) >= ESCALATION_LEASE_MS,
  );
}

/** The history line of an escalation. */
export function escalationChange(plan: Plan, record: EscalationRecord): string {
  return `Stall since ${record.stallStartedOn} escalated to ${record.personName} (${chainLabel(plan, record)}, level ${record.level})`;
}

export function chainLabel(
  plan: { partners: readonly Pick<Plan['partners'][number], 'id' | 'name'>[] },
  record: Pick<EscalationRecord, 'chain' | 'partnerId'>,
) {
  if (record.chain === 'vendor') return 'vendor chain';
  const partner = plan.partners.find((p) => p.id === record.partnerId);
  return `${partner?.name ?? record.partnerId ?? 'partner'} chain`;
}

function sideOf(ref: ChainRef): ViewerSide {
  return ref.chain === 'vendor' ? { kind: 'vendor' } : { kind: 'partner', partnerId: ref.partnerId };
}

/** Who owns what stalled: the owners of overdue milestones and open actions there, then the plan's leads. */
export function stallOwners(plan: Plan, stall: CurrentStall, today: IsoDate): Person[] {
  const ids = new Set(stall.subjects.map((s) => s.id));
  const inScope = (accountId: string | undefined) =>
    ids.has('plan') || (accountId !== undefined && ids.has(accountId));
  const ownerIds: string[] = [];
  for (const m of plan.milestones) {
    if (m.status !== 'done' && m.due < today && inScope(m.accountId)) ownerIds.push(m.ownerId);
  }
  for (const a of plan.actions) if (a.status !== 'done' && inScope(a.accountId)) ownerIds.push(a.ownerId);
  for (const p of plan.people) {
    if (p.role === 'account-executive' || p.role === 'partner-counterpart') ownerIds.push(p.id);
  }
  const people = new Map(plan.people.map((p) => [p.id, p]));
  return [...new Set(ownerIds)].flatMap((id) => people.get(id) ?? []);
}

export interface EscalationMessageOptions {
  today: IsoDate;
  /** The link to the plan in the tab. */
  planUrl: string;
}

/**
 * The mail of one escalation, for the chain's side: the plan in it is redacted for that side, so partner
 * X's chain never reads another partner's economics. Plan text is escaped in the HTML.
 */
export function escalationMessage(
  plan: Plan,
  due: DueEscalation,
  stall: CurrentStall,
  options: EscalationMessageOptions,
): OutgoingMail {
  const side = sideOf(due.chain);
  const shown = redactPlanFor(plan, side);
  const owners = stallOwners(plan, stall, options.today);
  const ownerLines = owners.map(
    (p) => `${personName(p)} (${ROLE_LABELS[p.role]}${p.title ? `, ${p.title}` : ''})`,
  );
  const since = formatEmailDate(stall.startedOn);
  const recipient = personName(due.person);
  const level =
    due.level === 1
      ? 'You are the first person on the escalation path.'
      : `It is still stalled after another ${plan.escalation.thresholdDays} days, so it comes to you, level ${due.level} of the escalation path.`;
  const chainText = chainLabel(plan, {
    chain: due.chain.chain,
    ...(due.chain.chain === 'partner' ? { partnerId: due.chain.partnerId } : {}),
  });
  const subject = `Stalled co-sell plan: ${plan.title} (since ${since})`
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 255);
  const whatLines = stall.subjects.map(
    (s) => `${capitalize(s.label)}, since ${formatEmailDate(s.since)}: ${s.reasons.join('; ')}`,
  );
  const textIntro = [
    `Hello ${recipient},`,
    '',
    `The co-sell plan "${plan.title}" has stalled since ${since}. ${level}`,
    '',
    'What stalled:',
    ...whatLines.map((l) => `- ${l}`),
    '',
    'Who owns it:',
    ...(ownerLines.length > 0 ? ownerLines.map((l) => `- ${l}`) : ['- nobody is named yet']),
    '',
    `Open the plan: ${options.planUrl}`,
    `(${chainText}, level ${due.level})`,
  ].join('\n');
  const httpsLink = /^https:\/\//.test(options.planUrl);
  let planText = '';
  let planHtml = '';
  if (httpsLink) {
    const health = assessHealth(plan, options.today);
    // Health gaps as the side may see them (the rule of the API's redacted health).
    const summary = redactSummaryFor(summarizePlan(plan, options.today), side);
    const sideHealth = {
      ...health,
      completeness: {
        complete: summary.complete,
        missing: summary.missing,
        done:
          side.kind === 'vendor'
            ? health.completeness.done
            : health.completeness.done.filter((f) => f !== 'economics'),
      },
    };
    const renderOptions = { today: options.today, tabUrl: options.planUrl, health: sideHealth };
    planText = `\n\n---\n${renderPlanEmailText(shown, renderOptions)}`;
    planHtml = renderPlanEmailHtml(shown, renderOptions);
  }
  const li = (items: string[]) => items.map((i) => `<li>${escapeHtml(i)}</li>`).join('');
  const link = httpsLink
    ? `<a href="${escapeHtml(options.planUrl)}">Open the plan</a>`
    : `Open the plan: ${escapeHtml(options.planUrl)}`;
  const html = [
    `<p>Hello ${escapeHtml(recipient)},</p>`,
    `<p>The co-sell plan <strong>${escapeHtml(plan.title)}</strong> has stalled since ${escapeHtml(since)}. ${escapeHtml(level)}</p>`,
    `<p><strong>What stalled</strong></p><ul>${li(whatLines)}</ul>`,
    `<p><strong>Who owns it</strong></p><ul>${li(ownerLines.length > 0 ? ownerLines : ['nobody is named yet'])}</ul>`,
    `<p>${link} <span style="color:#616161">(${escapeHtml(chainText)}, level ${due.level})</span></p>`,
    planHtml,
  ].join('');
  const to: MailAddress = { address: due.person.email, name: recipient };
  return {
    idempotencyKey: due.key,
    category: 'escalation',
    planId: plan.id,
    to: [to],
    subject,
    text: textIntro + planText,
    html,
    ...(due.chain.chain === 'vendor'
      ? {
          activity: [
            {
              userId: due.person.email,
              previewText: `${plan.title}: stalled since ${since}`.slice(0, 150),
              webUrl: options.planUrl,
            },
          ],
        }
      : {}),
  };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
