import type { PlanSummary } from './health';
import type { PartnerEconomics, PlanContent } from './plan-schema';
import type { HistoryEntry } from './ports';

/*
 * Sides and rights (SPEC §7, issue 6): who reads a plan, who changes what, and what each side is shown.
 * Pure: no I/O, no clock. The API and the tab decide *whether* to call these; the rules live here.
 *
 * The rules, in one place:
 * 1. Side. A viewer's side follows from their tenant first (the vendor tenant → vendor; the tenant of a
 *    partner on the plan → that partner), else from the plan's named people by email (case-insensitive).
 *    A tenant never gets overruled by an email: someone signing in from partner A's tenant is partner A
 *    even when an email on the plan says otherwise. An email alone never lifts a viewer whose token names
 *    another tenant onto the vendor side or onto a partner whose tenant is known and different: then the
 *    side is `none` (they may still read as a named person, without any economics).
 * 2. Read. Named people (any side, including the buyer) and members of a channel that shows the plan
 *    read it. Being in the vendor tenant alone does not: plans hold pipeline and money, SPEC §7 grants
 *    access to "every named person and channel member", and issue 6 wants 403/404 for everybody else.
 * 3. Work. Whoever reads a plan works on it (milestones, actions and the rest of the plan), except:
 *    only the vendor side and partner X see or change partner X's economic terms; only the vendor side
 *    sets a partner's tenant; and only the vendor side (or partner X, for partner X's people) adds,
 *    removes or changes people on the vendor side and on partner X's side — those fields decide sides,
 *    so changing them would otherwise be a way to read another partner's economics.
 * 4. Shown. Every plan, summary and history entry leaves the API through `redactPlanFor`,
 *    `redactSummaryFor` and `redactHistoryFor`: a partner sees its own economics and nothing of another
 *    partner's (terms, values, agreed or not, whether they changed); the buyer and a viewer of no side
 *    see no economics at all.
 */

/** Who is looking, as the host and the token tell it. */
export interface Viewer {
  /** Lower-case email or user principal name. Compared case-insensitively all the same. */
  id: string;
  /** The Entra tenant of the viewer's token (their home tenant, also in a shared channel). */
  tenantId?: string;
  /** The channels the viewer is a member of, as told by the host. */
  channelIds?: readonly string[];
}

export interface AccessContext {
  /** The vendor's Entra tenant: everyone signing in from it is on the vendor side. */
  vendorTenantId: string;
}

export type ViewerSide =
  | { kind: 'vendor' }
  | { kind: 'partner'; partnerId: string }
  | { kind: 'buyer' }
  | { kind: 'none' };

type AccessPlan = Pick<PlanContent, 'partners' | 'people' | 'channelIds'>;

const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase();

/** Two tenant ids are the same tenant (GUIDs, compared case-insensitively; an empty id matches nothing). */
function sameTenant(a: string | undefined, b: string | undefined): boolean {
  const x = norm(a);
  return x !== '' && x === norm(b);
}

/** The person named on the plan with the viewer's email, if any. */
function namedPerson(plan: Pick<PlanContent, 'people'>, viewer: Viewer) {
  const id = norm(viewer.id);
  if (id === '') return undefined;
  return plan.people.find((p) => norm(p.email) === id);
}

/** The viewer's side on this plan (rule 1). Says nothing about membership: check `canRead` first. */
export function resolveSide(plan: AccessPlan, viewer: Viewer, ctx: AccessContext): ViewerSide {
  if (sameTenant(viewer.tenantId, ctx.vendorTenantId)) return { kind: 'vendor' };
  const byTenant = plan.partners.filter((p) => sameTenant(viewer.tenantId, p.tenantId));
  // Two partners claiming one tenant is a misconfiguration: the tenant then decides nothing.
  const [onlyPartner] = byTenant;
  if (byTenant.length === 1 && onlyPartner) return { kind: 'partner', partnerId: onlyPartner.id };

  const person = namedPerson(plan, viewer);
  if (!person) return { kind: 'none' };
  const tenant = norm(viewer.tenantId);
  switch (person.side) {
    case 'buyer':
      return { kind: 'buyer' };
    case 'vendor':
      // A vendor-side person signs in from the vendor tenant; any other tenant is not the vendor.
      return tenant === '' ? { kind: 'vendor' } : { kind: 'none' };
    case 'partner': {
      const partner = plan.partners.find((p) => p.id === person.partnerId);
      if (!partner) return { kind: 'none' };
      const known = norm(partner.tenantId);
      if (tenant !== '' && known !== '' && tenant !== known) return { kind: 'none' };
      return { kind: 'partner', partnerId: partner.id };
    }
  }
}

/** Rule 2: named people (by email, case-insensitive) and members of a channel showing the plan read it. */
export function canRead(plan: AccessPlan, viewer: Viewer, _ctx: AccessContext): boolean {
  if (namedPerson(plan, viewer)) return true;
  const shown = new Set(plan.channelIds);
  return (viewer.channelIds ?? []).some((c) => shown.has(c));
}

/** Rule 3: whoever reads a plan works on it; the economics and side-deciding fields have their own checks. */
export function canEditPlan(plan: AccessPlan, viewer: Viewer, ctx: AccessContext): boolean {
  return canRead(plan, viewer, ctx);
}

/** Only the vendor side and partner X see and change partner X's economic terms. */
export function sideSeesEconomicsOf(side: ViewerSide, partnerId: string): boolean {
  return side.kind === 'vendor' || (side.kind === 'partner' && side.partnerId === partnerId);
}

/** A member of the plan on the vendor side or on partner `partnerId`'s side. */
export function canEditEconomicsOf(
  plan: AccessPlan,
  viewer: Viewer,
  ctx: AccessContext,
  partnerId: string,
): boolean {
  return canRead(plan, viewer, ctx) && sideSeesEconomicsOf(resolveSide(plan, viewer, ctx), partnerId);
}

/**
 * The plan as `side` may see it: only the economics entries the side sees (rule 4) — a deep copy when
 * something is hidden, `plan` itself when nothing is (treat the result as read-only). Never mutates `plan`. Note for callers: health computed on the result would report the removed
 * entries as "not written down" — compute health on the stored plan and pass it through `redactSummaryFor`.
 */
export function redactPlanFor<T extends Pick<PlanContent, 'economics'>>(plan: T, side: ViewerSide): T {
  // A side that sees every entry (the vendor, or a partner alone on the plan) is shown the plan as it is:
  // no copy on the hot read path, and a frozen stored plan keeps its cached JSON (http/plan-json.ts).
  if (plan.economics.every((e) => sideSeesEconomicsOf(side, e.partnerId))) return plan;
  const copy = structuredClone(plan);
  copy.economics = copy.economics.filter((e) => sideSeesEconomicsOf(side, e.partnerId));
  return copy;
}

/**
 * Puts back the economics entries of a write that `side` was never shown: a partner saving the plan it
 * was given (without another partner's entry) does not delete that entry. Only entries *absent* from
 * `incoming` are restored; an entry the side sent for a partner it may not change stays, so that
 * `checkEconomicsEdit` refuses it. Returns a new object.
 */
export function restoreHiddenEconomics<T extends Pick<PlanContent, 'economics'>>(
  stored: Pick<PlanContent, 'economics'>,
  incoming: T,
  side: ViewerSide,
): T {
  const copy = structuredClone(incoming);
  const sent = new Set(copy.economics.map((e) => e.partnerId));
  for (const e of stored.economics) {
    if (!sideSeesEconomicsOf(side, e.partnerId) && !sent.has(e.partnerId))
      copy.economics.push(structuredClone(e));
  }
  return copy;
}

/** JSON with object keys sorted, so that two equal entries compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The partners whose economics differ between `before` and `after` (added, removed or changed) and
 * that `side` may not change, in order of first appearance: the API answers 403 naming them.
 * Call it on the write after `restoreHiddenEconomics`.
 */
export function checkEconomicsEdit(
  before: Pick<PlanContent, 'economics'>,
  after: Pick<PlanContent, 'economics'>,
  side: ViewerSide,
): string[] {
  const byPartner = (list: readonly PartnerEconomics[]) =>
    new Map(list.map((e) => [e.partnerId, canonical(e)] as const));
  const b = byPartner(before.economics);
  const a = byPartner(after.economics);
  const refused: string[] = [];
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    if (b.get(id) !== a.get(id) && !sideSeesEconomicsOf(side, id)) refused.push(id);
  }
  return refused;
}

/**
 * What `side` changed between `before` and `after` that decides sides and is not theirs to change
 * (rule 3), as sentences for a 403: a partner's tenant (vendor only); people on the vendor side (vendor
 * only) and on partner X's side (vendor or partner X), added, removed, or changed in email, side or partner.
 */
export function checkSideEdit(
  before: Pick<PlanContent, 'partners' | 'people'>,
  after: Pick<PlanContent, 'partners' | 'people'>,
  side: ViewerSide,
): string[] {
  if (side.kind === 'vendor') return [];
  const out: string[] = [];
  const partnerName = (id: string | undefined) =>
    after.partners.find((p) => p.id === id)?.name ??
    before.partners.find((p) => p.id === id)?.name ??
    id ??
    'their partner';

  const tenants = new Map(before.partners.map((p) => [p.id, norm(p.tenantId)]));
  for (const p of after.partners) {
    if (norm(p.tenantId) !== (tenants.get(p.id) ?? '')) {
      out.push(`only the vendor side sets the tenant of ${p.name}`);
    }
  }

  type P = PlanContent['people'][number];
  const mayTouch = (p: P) =>
    p.side === 'buyer' || (p.side === 'partner' && side.kind === 'partner' && p.partnerId === side.partnerId);
  const who = (p: P) =>
    p.side === 'vendor' ? 'the vendor side' : `the vendor side or ${partnerName(p.partnerId)}`;
  const identity = (p: P) => canonical([norm(p.email), p.side, p.partnerId ?? null]);
  const old = new Map(before.people.map((p) => [p.id, p]));
  const now = new Map(after.people.map((p) => [p.id, p]));
  for (const p of after.people) {
    const prev = old.get(p.id);
    const name = `${p.firstName} ${p.lastName}`;
    if (!prev) {
      if (!mayTouch(p)) out.push(`only ${who(p)} adds ${name}`);
    } else if (identity(prev) !== identity(p)) {
      if (!mayTouch(prev)) out.push(`only ${who(prev)} changes ${name}`);
      else if (!mayTouch(p)) out.push(`only ${who(p)} moves ${name} to that side`);
    }
  }
  for (const p of before.people) {
    if (!now.has(p.id) && !mayTouch(p)) out.push(`only ${who(p)} removes ${p.firstName} ${p.lastName}`);
  }
  return out;
}

/*
 * The gap messages of `assessCompleteness` (health.ts) that speak of one partner's economics. A partner
 * keeps an economics gap only when it is exactly one of these for its own partner; every other economics
 * gap is dropped. Should health.ts reword them, a partner loses its own gap (a test fails) — never
 * learns another partner's.
 */
const ownEconomicsGaps = (partnerName: string) => [
  `economics not written down for ${partnerName}`,
  `economics with ${partnerName} not agreed yet`,
];

/**
 * The portfolio row as `side` may see it (rule 4). The vendor sees it all. A partner keeps the economics
 * gaps of its own partner only; the buyer and a viewer of no side keep none. `complete` then says
 * whether anything the side can see is missing — a partner never learns, from `complete` either, that
 * another partner's economics are not agreed. Returns a new object.
 */
export function redactSummaryFor(summary: PlanSummary, side: ViewerSide): PlanSummary {
  const copy = structuredClone(summary);
  if (side.kind === 'vendor') return copy;
  const own = side.kind === 'partner' ? copy.partners.find((p) => p.id === side.partnerId)?.name : undefined;
  const allowed = new Set(own === undefined ? [] : ownEconomicsGaps(own));
  copy.missing = copy.missing.filter((g) => g.field !== 'economics' || allowed.has(g.message));
  copy.complete = copy.missing.length === 0;
  return copy;
}

/** The start of the sentence `describeChanges` (plan-changes.ts) writes when a partner's economics change. */
const ECONOMICS_SENTENCE = /^Economics with /;

/** Shown in place of an entry whose every sentence the side may not see. Names no partner. */
export const HIDDEN_CHANGES_SENTENCE = 'Changes your side does not see';

/**
 * History entries as `side` may see them (rule 4). The vendor sees them all. Every other side loses the
 * "Economics with <partner> changed" sentences, except a partner's own (`Economics with <its name>` or
 * `<its id>`, as the plan names it now — a sentence written under a former name is dropped, never
 * guessed). An entry left with no sentence keeps one neutral sentence, so versions stay continuous.
 *
 * Entries carry sentences only. Should history ever store plan snapshots (or a diff of values), they must
 * never be served as stored: pass each one through `redactPlanFor` for the same side first.
 * Returns new objects; never mutates `entries`.
 */
export function redactHistoryFor(
  entries: readonly HistoryEntry[],
  side: ViewerSide,
  plan: Pick<PlanContent, 'partners'>,
): HistoryEntry[] {
  const copies = structuredClone([...entries]);
  if (side.kind === 'vendor') return copies;
  const own = side.kind === 'partner' ? plan.partners.find((p) => p.id === side.partnerId) : undefined;
  const allowed = new Set(
    own ? [`Economics with ${own.name} changed`, `Economics with ${own.id} changed`] : [],
  );
  return copies.map((entry) => {
    const changes = entry.changes.filter((c) => !ECONOMICS_SENTENCE.test(c) || allowed.has(c));
    const hidden = changes.length === 0 && entry.changes.length > 0;
    return { ...entry, changes: hidden ? [HIDDEN_CHANGES_SENTENCE] : changes };
  });
}
