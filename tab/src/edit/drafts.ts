import {
  type CadenceSettings,
  type EconomicTerm,
  type JointAction,
  type Milestone,
  type Motion,
  type Partner,
  type PartnerEconomics,
  type Person,
  type Plan,
  type PlanStatus,
  type QualificationAnswers,
  ROLE_SIDES,
  type Role,
  type SharedAccount,
  type Side,
  type WEEKDAYS,
} from '@cosell/shared';
import type { SectionKey } from '../plan/section-keys';

/*
 * What a person types in each editor (a draft: text as typed, numbers as text) and how a draft becomes
 * the plan again. `apply(plan, draft)` puts the draft's part into any version of the plan: the version
 * the editor opened, or the one someone else saved meanwhile (the "Keep mine" of a conflict).
 * Numbers that are not numbers are reported here, in words, before the shared schema sees them.
 */

export type FieldErrors = Map<string, string>;

export interface Applied {
  plan: Plan;
  /** Problems the schema cannot word well (a number that is not a number), by field path. */
  errors: [path: string, message: string][];
}

export interface SectionSpec<D> {
  /** The plan fields this editor writes: someone else changing them since the editor opened is a conflict. */
  owns: readonly (keyof Plan)[];
  fromPlan(plan: Plan): D;
  apply(plan: Plan, draft: D): Applied;
}

/** '' is "not given". */
function optional(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

function numberOf(
  text: string,
  path: string,
  errors: Applied['errors'],
  { required }: { required: boolean },
): number | undefined {
  const trimmed = text.trim().replace(/,/g, '');
  if (trimmed === '') {
    if (required) errors.push([path, 'is required']);
    return required ? Number.NaN : undefined;
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    errors.push([path, 'write a number, like 12 or 12.5']);
    return Number.NaN;
  }
  return value;
}

/** A short id for a new row: unique within a plan, and valid as a plan id. */
export function newId(prefix: string): string {
  const random =
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID().replace(/-/g, '')
      : Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join(
          '',
        );
  return `${prefix}-${random.slice(0, 10)}`;
}

/** The client's own calendar date, the default for a new date field. */
export function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Drops references to items that are gone: optional links follow a removal instead of blocking it. */
function dropDanglingLinks(plan: Plan): Plan {
  const accounts = new Set(plan.accounts.map((a) => a.id));
  const milestones = new Set(plan.milestones.map((m) => m.id));
  const people = new Set(plan.people.map((p) => p.id));
  const partners = new Set(plan.partners.map((p) => p.id));
  const withoutAccount = <T extends { accountId?: string | undefined }>(item: T): T => {
    if (item.accountId === undefined || accounts.has(item.accountId)) return item;
    const { accountId: _gone, ...rest } = item;
    return rest as T;
  };
  return {
    ...plan,
    milestones: plan.milestones.map(withoutAccount),
    actions: plan.actions.map((action) => {
      const linked = withoutAccount(action);
      if (linked.milestoneId === undefined || milestones.has(linked.milestoneId)) return linked;
      const { milestoneId: _gone, ...rest } = linked;
      return rest;
    }),
    economics: plan.economics.filter((e) => partners.has(e.partnerId)),
    escalation: {
      ...plan.escalation,
      vendorChain: plan.escalation.vendorChain.filter((id) => people.has(id)),
      partnerChains: plan.escalation.partnerChains
        .filter((c) => partners.has(c.partnerId))
        .map((c) => ({ ...c, chain: c.chain.filter((id) => people.has(id)) })),
    },
    ...(plan.cadence
      ? { cadence: { ...plan.cadence, attendeeIds: plan.cadence.attendeeIds.filter((id) => people.has(id)) } }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------- header

export interface HeaderDraft {
  title: string;
  status: PlanStatus;
  motion: Motion;
  deal: {
    enabled: boolean;
    system: NonNullable<Plan['crmDeal']>['system'];
    id: string;
    url: string;
    amount: string;
    currency: string;
    closeDate: string;
  };
  qualification: {
    enabled: boolean;
    partnerInvolvement: QualificationAnswers['partnerInvolvement'];
    partnerEvaluationRoles: QualificationAnswers['partnerEvaluationRoles'];
    cycleDays: string;
    sharedEconomics: boolean;
  };
  cadence: {
    enabled: boolean;
    weekday: (typeof WEEKDAYS)[number];
    time: string;
    timeZone: string;
    startsOn: string;
    endsOn: string;
    attendeeIds: string[];
  };
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export const headerSpec: SectionSpec<HeaderDraft> = {
  owns: ['title', 'status', 'motion', 'crmDeal', 'qualification', 'cadence'],
  fromPlan(plan) {
    const deal = plan.crmDeal;
    const q = plan.qualification;
    const c = plan.cadence;
    return {
      title: plan.title,
      status: plan.status,
      motion: plan.motion,
      deal: {
        enabled: deal !== undefined,
        system: deal?.system ?? 'salesforce',
        id: deal?.id ?? '',
        url: deal?.url ?? '',
        amount: deal?.amount === undefined ? '' : String(deal.amount),
        currency: deal?.currency ?? '',
        closeDate: deal?.closeDate ?? '',
      },
      qualification: {
        enabled: q !== undefined,
        partnerInvolvement: q?.partnerInvolvement ?? 'influenced',
        partnerEvaluationRoles: q?.partnerEvaluationRoles ?? [],
        cycleDays: q ? String(q.cycleDays) : '',
        sharedEconomics: q?.sharedEconomics ?? false,
      },
      cadence: {
        enabled: c !== undefined,
        weekday: c?.weekday ?? 'tuesday',
        time: c?.time ?? '16:00',
        timeZone: c?.timeZone ?? browserTimeZone(),
        startsOn: c?.startsOn ?? localToday(),
        endsOn: c?.endsOn ?? '',
        attendeeIds: c?.attendeeIds ?? [],
      },
    };
  },
  apply(plan, draft) {
    const errors: Applied['errors'] = [];
    const { deal, qualification: q, cadence: c } = draft;
    const { crmDeal: _d, qualification: _q, cadence: _c, ...rest } = plan;
    const next: Plan = { ...rest, title: draft.title, status: draft.status, motion: draft.motion };
    if (deal.enabled) {
      const amount = numberOf(deal.amount, 'crmDeal.amount', errors, { required: false });
      const url = optional(deal.url);
      const currency = optional(deal.currency)?.toUpperCase();
      const closeDate = optional(deal.closeDate);
      next.crmDeal = {
        system: deal.system,
        id: deal.id,
        ...(url ? { url } : {}),
        ...(amount !== undefined ? { amount } : {}),
        ...(currency ? { currency } : {}),
        ...(closeDate ? { closeDate } : {}),
      };
    }
    if (q.enabled) {
      next.qualification = {
        partnerInvolvement: q.partnerInvolvement,
        partnerEvaluationRoles: q.partnerEvaluationRoles,
        cycleDays: numberOf(q.cycleDays, 'qualification.cycleDays', errors, { required: true }) ?? Number.NaN,
        sharedEconomics: q.sharedEconomics,
      };
    }
    if (c.enabled) {
      const endsOn = optional(c.endsOn);
      const present = new Set(plan.people.map((p) => p.id));
      const cadence: CadenceSettings = {
        weekday: c.weekday,
        time: c.time,
        timeZone: c.timeZone.trim(),
        startsOn: c.startsOn,
        ...(endsOn ? { endsOn } : {}),
        durationMinutes: 30,
        attendeeIds: c.attendeeIds.filter((id) => present.has(id)),
      };
      next.cadence = cadence;
    }
    return { plan: next, errors };
  },
};

// -------------------------------------------------------------------------------------------- accounts

export interface AccountDraft {
  id: string;
  name: string;
  domain: string;
  crmAccountId: string;
  /** Kept as it is: overlaps come from Crossbeam, not from typing. */
  overlapSource?: SharedAccount['overlapSource'];
  addedOn?: string;
}

export function newAccount(): AccountDraft {
  return { id: newId('acc'), name: '', domain: '', crmAccountId: '' };
}

export const accountsSpec: SectionSpec<AccountDraft[]> = {
  owns: ['accounts'],
  fromPlan: (plan) =>
    plan.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      domain: a.domain,
      crmAccountId: a.crmAccountId ?? '',
      ...(a.overlapSource ? { overlapSource: a.overlapSource } : {}),
      ...(a.addedOn ? { addedOn: a.addedOn } : {}),
    })),
  apply(plan, draft) {
    const accounts: SharedAccount[] = draft.map((a) => {
      const crmAccountId = optional(a.crmAccountId);
      return {
        id: a.id,
        name: a.name,
        domain: a.domain,
        ...(crmAccountId ? { crmAccountId } : {}),
        ...(a.overlapSource ? { overlapSource: a.overlapSource } : {}),
        ...(a.addedOn ? { addedOn: a.addedOn } : {}),
      };
    });
    return { plan: dropDanglingLinks({ ...plan, accounts }), errors: [] };
  },
};

// ---------------------------------------------------------------------------------------------- owners

export interface PartnerDraft {
  id: string;
  name: string;
  tenantId?: string;
  recordSystem: string;
  recordId: string;
  recordUrl: string;
}

export interface PersonDraft {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: Role;
  title: string;
  side: Side;
  partnerId?: string;
}

export interface OwnersDraft {
  partners: PartnerDraft[];
  people: PersonDraft[];
}

export const ROLES_BY_SIDE: Record<Side, Role[]> = {
  vendor: [],
  partner: [],
  buyer: [],
};
for (const [role, side] of Object.entries(ROLE_SIDES) as [Role, Side][]) ROLES_BY_SIDE[side].push(role);

/** The role a new person on a side most likely has: the one the plan is incomplete without. */
const FIRST_ROLE: Record<Side, Role> = {
  vendor: 'account-executive',
  partner: 'partner-counterpart',
  buyer: 'economic-buyer',
};

export function newPerson(side: Side, partnerId?: string): PersonDraft {
  return {
    id: newId('pe'),
    firstName: '',
    lastName: '',
    email: '',
    role: FIRST_ROLE[side],
    title: '',
    side,
    ...(side === 'partner' && partnerId ? { partnerId } : {}),
  };
}

export function newPartner(): PartnerDraft {
  return { id: newId('pa'), name: '', recordSystem: '', recordId: '', recordUrl: '' };
}

export const ownersSpec: SectionSpec<OwnersDraft> = {
  owns: ['partners', 'people'],
  fromPlan: (plan) => ({
    partners: plan.partners.map((p) => ({
      id: p.id,
      name: p.name,
      ...(p.tenantId ? { tenantId: p.tenantId } : {}),
      recordSystem: p.record?.system ?? '',
      recordId: p.record?.id ?? '',
      recordUrl: p.record?.url ?? '',
    })),
    people: plan.people.map((p) => ({
      id: p.id,
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email,
      role: p.role,
      title: p.title ?? '',
      side: p.side,
      ...(p.partnerId ? { partnerId: p.partnerId } : {}),
    })),
  }),
  apply(plan, draft) {
    const partners: Partner[] = draft.partners.map((p) => {
      const system = optional(p.recordSystem);
      const url = optional(p.recordUrl);
      const hasRecord = system !== undefined || url !== undefined || optional(p.recordId) !== undefined;
      return {
        id: p.id,
        name: p.name,
        ...(p.tenantId ? { tenantId: p.tenantId } : {}),
        ...(hasRecord
          ? { record: { ...(system ? { system } : {}), id: p.recordId, ...(url ? { url } : {}) } }
          : {}),
      };
    });
    const people: Person[] = draft.people.map((p) => {
      const title = optional(p.title);
      return {
        id: p.id,
        firstName: p.firstName,
        lastName: p.lastName,
        email: p.email,
        role: p.role,
        ...(title ? { title } : {}),
        side: p.side,
        ...(p.side === 'partner' && p.partnerId ? { partnerId: p.partnerId } : {}),
      };
    });
    return { plan: dropDanglingLinks({ ...plan, partners, people }), errors: [] };
  },
};

/** What a person owns or stands in, so removing them can say what to change first. */
export function ownedBy(plan: Plan, personId: string): string[] {
  return [
    ...plan.milestones.filter((m) => m.ownerId === personId).map((m) => `milestone "${m.title}"`),
    ...plan.actions.filter((a) => a.ownerId === personId).map((a) => `action "${a.description}"`),
  ];
}

// ------------------------------------------------------------------------------------------ milestones

export interface MilestoneDraft {
  id: string;
  title: string;
  due: string;
  ownerId: string;
  status: Milestone['status'];
  accountId: string;
  doneOn?: string;
  lastMove?: Milestone['lastMove'];
}

export function newMilestone(ownerId: string): MilestoneDraft {
  return { id: newId('m'), title: '', due: '', ownerId, status: 'planned', accountId: '' };
}

export const milestonesSpec: SectionSpec<MilestoneDraft[]> = {
  owns: ['milestones'],
  fromPlan: (plan) =>
    plan.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      due: m.due,
      ownerId: m.ownerId,
      status: m.status,
      accountId: m.accountId ?? '',
      ...(m.doneOn ? { doneOn: m.doneOn } : {}),
      ...(m.lastMove ? { lastMove: m.lastMove } : {}),
    })),
  apply(plan, draft) {
    const errors: Applied['errors'] = [];
    const milestones: Milestone[] = draft.map((m, i) => {
      const accountId = optional(m.accountId);
      if (m.ownerId === '') errors.push([`milestones[${i}].ownerId`, 'choose who owns it']);
      if (m.due === '') errors.push([`milestones[${i}].due`, "is required: the day on the buyer's calendar"]);
      return {
        id: m.id,
        title: m.title,
        due: m.due,
        ownerId: m.ownerId,
        status: m.status,
        // The server dates a milestone done today; a done date stays only while it is done.
        ...(m.status === 'done' && m.doneOn ? { doneOn: m.doneOn } : {}),
        ...(accountId ? { accountId } : {}),
        ...(m.lastMove ? { lastMove: m.lastMove } : {}),
      };
    });
    return { plan: dropDanglingLinks({ ...plan, milestones }), errors };
  },
};

// --------------------------------------------------------------------------------------------- actions

export interface ActionDraft {
  id: string;
  description: string;
  ownerId: string;
  due: string;
  status: JointAction['status'];
  /** Kept while typing even when the status is not blocked, so switching back loses nothing. */
  blocker: string;
  milestoneId: string;
  accountId: string;
  doneOn?: string;
}

export function newAction(ownerId: string): ActionDraft {
  return {
    id: newId('act'),
    description: '',
    ownerId,
    due: '',
    status: 'open',
    blocker: '',
    milestoneId: '',
    accountId: '',
  };
}

export const actionsSpec: SectionSpec<ActionDraft[]> = {
  owns: ['actions'],
  fromPlan: (plan) =>
    plan.actions.map((a) => ({
      id: a.id,
      description: a.description,
      ownerId: a.ownerId,
      due: a.due,
      status: a.status,
      blocker: a.blocker ?? '',
      milestoneId: a.milestoneId ?? '',
      accountId: a.accountId ?? '',
      ...(a.doneOn ? { doneOn: a.doneOn } : {}),
    })),
  apply(plan, draft) {
    const errors: Applied['errors'] = [];
    const actions: JointAction[] = draft.map((a, i) => {
      const milestoneId = optional(a.milestoneId);
      const accountId = optional(a.accountId);
      const blocker = optional(a.blocker);
      if (a.ownerId === '') errors.push([`actions[${i}].ownerId`, 'choose who does it']);
      if (a.due === '') errors.push([`actions[${i}].due`, 'is required']);
      if (a.status === 'blocked' && blocker === undefined) {
        errors.push([`actions[${i}].blocker`, 'say what blocks it']);
      }
      return {
        id: a.id,
        description: a.description,
        ownerId: a.ownerId,
        due: a.due,
        status: a.status,
        ...(a.status === 'blocked' && blocker ? { blocker } : {}),
        ...(a.status === 'done' && a.doneOn ? { doneOn: a.doneOn } : {}),
        ...(milestoneId ? { milestoneId } : {}),
        ...(accountId ? { accountId } : {}),
      };
    });
    return { plan: { ...plan, actions }, errors };
  },
};

// ------------------------------------------------------------------------------------------- economics

export type EconomicsMode = 'unwritten' | 'terms' | 'none';

export interface TermDraft {
  key: string;
  kind: EconomicTerm['kind'];
  valueType: 'percent' | 'amount';
  percent: string;
  amount: string;
  currency: string;
  terms: string;
  agreed: boolean;
}

export interface PartnerEconomicsDraft {
  partnerId: string;
  mode: EconomicsMode;
  statement: string;
  terms: TermDraft[];
}

export function newTerm(): TermDraft {
  return {
    key: newId('t'),
    kind: 'referral-fee',
    valueType: 'percent',
    percent: '',
    amount: '',
    currency: 'USD',
    terms: '',
    agreed: false,
  };
}

/** Where each partner's economics land in `plan.economics` (unwritten ones are left out). */
export function economicsIndexes(draft: readonly PartnerEconomicsDraft[]): (number | undefined)[] {
  let next = 0;
  return draft.map((d) => (d.mode === 'unwritten' ? undefined : next++));
}

export const economicsSpec: SectionSpec<PartnerEconomicsDraft[]> = {
  owns: ['economics'],
  fromPlan: (plan) =>
    plan.partners.map((partner) => {
      const e = plan.economics.find((x) => x.partnerId === partner.id);
      return {
        partnerId: partner.id,
        mode: e === undefined ? 'unwritten' : e.kind,
        statement: e?.kind === 'none' ? e.statement : '',
        terms:
          e?.kind === 'terms'
            ? e.terms.map((t) => ({
                key: newId('t'),
                kind: t.kind,
                valueType: t.value.type,
                percent: t.value.type === 'percent' ? String(t.value.percent) : '',
                amount: t.value.type === 'amount' ? String(t.value.amount) : '',
                currency: t.value.type === 'amount' ? t.value.currency : 'USD',
                terms: t.terms ?? '',
                agreed: t.agreed,
              }))
            : [],
      };
    }),
  apply(plan, draft) {
    const errors: Applied['errors'] = [];
    const indexes = economicsIndexes(draft);
    const written: PartnerEconomics[] = [];
    draft.forEach((d, j) => {
      const i = indexes[j];
      if (i === undefined) return;
      if (d.mode === 'none') {
        written.push({ partnerId: d.partnerId, kind: 'none', statement: d.statement });
        return;
      }
      written.push({
        partnerId: d.partnerId,
        kind: 'terms',
        terms: d.terms.map((t, k): EconomicTerm => {
          const at = `economics[${i}].terms[${k}].value`;
          const terms = optional(t.terms);
          return {
            kind: t.kind,
            value:
              t.valueType === 'percent'
                ? {
                    type: 'percent',
                    percent: numberOf(t.percent, `${at}.percent`, errors, { required: true }) ?? Number.NaN,
                  }
                : {
                    type: 'amount',
                    amount: numberOf(t.amount, `${at}.amount`, errors, { required: true }) ?? Number.NaN,
                    currency: t.currency.trim().toUpperCase(),
                  },
            ...(terms ? { terms } : {}),
            agreed: t.agreed,
          };
        }),
      });
    });
    // Economics of partners this editor did not show (added meanwhile by someone else) are kept.
    const shown = new Set(draft.map((d) => d.partnerId));
    const kept = plan.economics.filter((e) => !shown.has(e.partnerId));
    return { plan: { ...plan, economics: [...written, ...kept] }, errors };
  },
};

// ------------------------------------------------------------------------------------------ escalation

export interface EscalationDraft {
  thresholdDays: string;
  vendorChain: string[];
  /** One per partner of the plan, in the plan's partner order. */
  partnerChains: { partnerId: string; chain: string[] }[];
}

/** Where each partner's chain lands in `plan.escalation.partnerChains` (empty ones are left out). */
export function chainIndexes(draft: EscalationDraft): (number | undefined)[] {
  let next = 0;
  return draft.partnerChains.map((c) => (c.chain.length === 0 ? undefined : next++));
}

export const escalationSpec: SectionSpec<EscalationDraft> = {
  owns: ['escalation'],
  fromPlan: (plan) => ({
    thresholdDays: String(plan.escalation.thresholdDays),
    vendorChain: [...plan.escalation.vendorChain],
    partnerChains: plan.partners.map((partner) => ({
      partnerId: partner.id,
      chain: [...(plan.escalation.partnerChains.find((c) => c.partnerId === partner.id)?.chain ?? [])],
    })),
  }),
  apply(plan, draft) {
    const errors: Applied['errors'] = [];
    const thresholdDays =
      numberOf(draft.thresholdDays, 'escalation.thresholdDays', errors, { required: true }) ?? Number.NaN;
    const shown = new Set(draft.partnerChains.map((c) => c.partnerId));
    const partnerChains = [
      ...draft.partnerChains.filter((c) => c.chain.length > 0),
      ...plan.escalation.partnerChains.filter((c) => !shown.has(c.partnerId)),
    ];
    return {
      plan: { ...plan, escalation: { thresholdDays, vendorChain: draft.vendorChain, partnerChains } },
      errors,
    };
  },
};

// -------------------------------------------------------------------------------------------- sections

export type Drafts = {
  header: HeaderDraft;
  accounts: AccountDraft[];
  owners: OwnersDraft;
  milestones: MilestoneDraft[];
  actions: ActionDraft[];
  economics: PartnerEconomicsDraft[];
  escalation: EscalationDraft;
};

export const SPECS: { [K in SectionKey]: SectionSpec<Drafts[K]> } = {
  header: headerSpec,
  accounts: accountsSpec,
  owners: ownersSpec,
  milestones: milestonesSpec,
  actions: actionsSpec,
  economics: economicsSpec,
  escalation: escalationSpec,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameJson(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** Items of a list are matched by `id` (people, milestones…) or `partnerId` (economics, partner chains). */
function itemKey(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  if (typeof item.id === 'string') return `id:${item.id}`;
  if (typeof item.partnerId === 'string') return `partner:${item.partnerId}`;
  return undefined;
}

function mergeLists(base: unknown[], mine: unknown[], theirs: unknown[]): unknown[] {
  const keyed = (list: unknown[]) => new Map(list.map((item) => [itemKey(item), item]));
  const [b, m, t] = [keyed(base), keyed(mine), keyed(theirs)];
  const out: unknown[] = [];
  for (const item of mine) {
    const key = itemKey(item);
    const before = b.get(key);
    const now = t.get(key);
    if (before === undefined) out.push(item);
    else if (now === undefined) {
      // They removed it: it stays only if this person changed it meanwhile.
      if (!sameJson(item, before)) out.push(item);
    } else out.push(mergeThreeWay(before, item, now));
  }
  for (const item of theirs) {
    const key = itemKey(item);
    if (!m.has(key) && !b.has(key)) out.push(item);
  }
  return out;
}

/**
 * "Keep mine" of a conflict: this person's changes (base → mine) applied over theirs (base → theirs).
 * Where both changed the same value, mine wins; everything they changed that this person did not stays.
 * Lists of items with ids merge item by item; other lists (an ordered escalation chain) are one value.
 */
export function mergeThreeWay(base: unknown, mine: unknown, theirs: unknown): unknown {
  if (sameJson(mine, base)) return theirs;
  if (sameJson(theirs, base) || sameJson(theirs, mine)) return mine;
  if (Array.isArray(base) && Array.isArray(mine) && Array.isArray(theirs)) {
    const all = [...base, ...mine, ...theirs];
    return all.every((item) => itemKey(item) !== undefined) ? mergeLists(base, mine, theirs) : mine;
  }
  if (isRecord(base) && isRecord(mine) && isRecord(theirs)) {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(base)])) {
      const value = mergeThreeWay(base[key], mine[key], theirs[key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  return mine;
}

/** The draft saved over `current` when the person keeps theirs: only what they changed since `base` wins. */
export function applyKeepingMine<D>(spec: SectionSpec<D>, base: Plan, current: Plan, draft: D): Applied {
  const applied = spec.apply(current, draft);
  const mine = spec.apply(base, draft).plan;
  const merged: Record<string, unknown> = { ...applied.plan };
  for (const field of spec.owns) merged[field] = mergeThreeWay(base[field], mine[field], current[field]);
  return { plan: merged as unknown as Plan, errors: applied.errors };
}

/** Whether someone else changed what this editor writes between `base` and `current`. */
export function touchesSameFields(spec: SectionSpec<unknown>, base: Plan, current: Plan): boolean {
  return spec.owns.some((field) => !sameJson(base[field], current[field]));
}
