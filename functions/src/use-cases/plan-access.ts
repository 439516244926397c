import {
  type AccessContext,
  type ChannelDirectory,
  canRead,
  checkEconomicsEdit,
  checkSideEdit,
  type HistoryEntry,
  type Operation,
  type Plan,
  type PlanContent,
  type PlanQuery,
  type PlanSummary,
  redactHistoryFor,
  redactPlanFor,
  redactSummaryFor,
  resolveSide,
  restoreHiddenEconomics,
  summarizePlan,
  VersionConflictError,
  type ViewerSide,
} from '@cosell/shared';
import { AppError } from '../app-error';
import type { AccessViewer, Caller } from '../identity/authenticator';
import type { ChannelCaller } from '../identity/channel-caller';
import type { OperationsResult, PlanHealthResult, PlanService } from './plan-service';

/*
 * Sides and rights (SPEC §7, issue 6) enforced at the API: every use case goes through here with the
 * caller, and the pure rules of shared/src/access.ts decide. What is enforced, exactly:
 *
 * - The local development identity ('local-vendor') is the vendor side with access to every plan, and
 *   passes straight to PlanService: local development (never a deployment) behaves as before.
 * - An Entra caller is a `Viewer` { id: lower-cased UPN/email, tenantId: the token's verified tid }.
 *   `canRead` is true where the caller is a named person on the plan (by email), or a member of a Teams
 *   channel the plan lists: no channel list is taken from the client — the viewer's `channelIds` are
 *   only the plan's channels the ChannelDirectory confirms for the verified tid/oid (Graph allMembers,
 *   which includes a shared channel's external members from partner tenants). The channel the tab says
 *   it is in (with its host team's id, which Graph needs) only chooses what to ask. Their side then
 *   follows from `resolveSide` (tenant first, then the named person): a partner tenant's channel member
 *   is that partner, and sees that partner's economics only.
 * - Reads by id (plan, health, history) and every write on a plan the caller cannot read answer 404
 *   "There is no such plan.", exactly as for a missing plan. The list holds only readable plans.
 * - Everything shown is redacted for the caller's side: plans (`redactPlanFor`, also in the operations
 *   result, create/replace responses and the 412 `current`), summaries and health gaps
 *   (`redactSummaryFor`), history (`redactHistoryFor`).
 * - Replace: economics the side was never shown are put back (`restoreHiddenEconomics`), then changes
 *   to another partner's economics (`checkEconomicsEdit`) or to side-deciding fields (`checkSideEdit`)
 *   answer 403 naming the partners and fields. Quick updates get the same checks on every attempt.
 * - Delete: vendor side only (403 otherwise). Create: an Entra caller from the vendor tenant only (403
 *   for partner tenants) — a partner cannot open plans on the vendor's pipeline. The creator is not made
 *   a reader: a plan is read by the people named on it.
 */

export interface PlanAccessDeps {
  plans: PlanService;
  /** The vendor's Entra tenant (ENTRA_TENANT_ID). Without it no tenant is the vendor side. */
  vendorTenantId?: string;
  /** Who is a member of a Teams channel; without it only named people read a plan. */
  channels?: ChannelDirectory;
}

const VENDOR: ViewerSide = { kind: 'vendor' };
const notFound = () => new AppError('NOT_FOUND', 'There is no such plan.');

export class PlanAccess {
  private readonly ctx: AccessContext;

  constructor(private readonly deps: PlanAccessDeps) {
    this.ctx = { vendorTenantId: deps.vendorTenantId ?? '' };
  }

  /** The caller's side on `plan`, or 404 when they may not read it. */
  private sideOn(
    plan: Pick<PlanContent, 'partners' | 'people' | 'channelIds'>,
    viewer: AccessViewer,
  ): ViewerSide {
    if (viewer === 'local-vendor') return VENDOR;
    if (!canRead(plan, viewer, this.ctx)) throw notFound();
    return resolveSide(plan, viewer, this.ctx);
  }

  /**
   * The viewer, with the channels of `plan` the directory confirms they are a member of as `channelIds`
   * (none when they are named on the plan, or nothing confirms them). Only the plan's own channels are
   * asked, the one the tab is shown in with its team id.
   */
  private async viewerOn(
    plan: Pick<PlanContent, 'partners' | 'people' | 'channelIds'>,
    caller: Caller,
  ): Promise<AccessViewer> {
    const { viewer } = caller;
    if (viewer === 'local-vendor' || canRead(plan, viewer, this.ctx)) return viewer;
    const channelIds = await this.memberChannels(plan.channelIds, caller);
    return channelIds.length === 0 ? viewer : { ...viewer, channelIds };
  }

  /** Those of `candidates` whose members include the caller, as the channel directory says. */
  private async memberChannels(candidates: readonly string[], caller: Caller): Promise<string[]> {
    const { member, channelHint } = caller as ChannelCaller;
    const directory = this.deps.channels;
    if (!directory || !member) return [];
    const found: string[] = [];
    for (const channelId of new Set(candidates)) {
      const teamId = channelHint?.channelId === channelId ? channelHint.teamId : undefined;
      if (await directory.isMember({ channelId, ...(teamId ? { teamId } : {}) }, member)) {
        found.push(channelId);
      }
    }
    return found;
  }

  private shown(plan: Plan, viewer: AccessViewer): Plan {
    return redactPlanFor(plan, this.sideOn(plan, viewer));
  }

  /** A 412 whose `current` is redacted for the caller (404 if they can no longer read it). */
  private async redactConflicts<T>(viewer: AccessViewer, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof VersionConflictError && viewer !== 'local-vendor') {
        throw new VersionConflictError(this.shown(error.current, viewer));
      }
      throw error;
    }
  }

  /** 403 when `side` changes what is not theirs (another partner's economics, side-deciding fields). */
  private checkEdit(current: Plan, next: PlanContent, side: ViewerSide): void {
    const partners = checkEconomicsEdit(current, next, side);
    const fields = checkSideEdit(current, next, side);
    if (partners.length === 0 && fields.length === 0) return;
    const name = (id: string) => current.partners.find((p) => p.id === id)?.name ?? id;
    const reasons = [
      ...partners.map((id) => `only the vendor side and ${name(id)} change the economics with ${name(id)}`),
      ...fields,
    ];
    throw new AppError('FORBIDDEN', `Your changes were not saved: ${reasons.join('; ')}.`, {
      errors: [
        ...partners.map((id) => ({
          path: 'economics',
          pointer: '/economics',
          message: `the economics with ${name(id)} (${id}) are not yours to change`,
        })),
        ...fields.map((message) =>
          /tenant of/.test(message)
            ? { path: 'partners', pointer: '/partners', message }
            : { path: 'people', pointer: '/people', message },
        ),
      ],
    });
  }

  async create(content: PlanContent, caller: Caller, id?: string): Promise<{ plan: Plan; created: boolean }> {
    const { viewer } = caller;
    if (viewer !== 'local-vendor' && !sameTenant(viewer.tenantId, this.ctx.vendorTenantId)) {
      throw new AppError('FORBIDDEN', 'Only the vendor side creates plans.');
    }
    return this.deps.plans.create(content, caller.actor, id);
  }

  async get(id: string, caller: Caller): Promise<Plan> {
    const plan = await this.deps.plans.get(id);
    return this.shown(plan, await this.viewerOn(plan, caller));
  }

  async replace(id: string, content: PlanContent, expectedVersion: number, caller: Caller): Promise<Plan> {
    const { actor } = caller;
    if (caller.viewer === 'local-vendor') return this.deps.plans.replace(id, content, expectedVersion, actor);
    const current = await this.deps.plans.get(id);
    const viewer = await this.viewerOn(current, caller);
    return this.redactConflicts(viewer, async () => {
      const side = this.sideOn(current, viewer);
      if (current.version !== expectedVersion) throw new VersionConflictError(current);
      const incoming = restoreHiddenEconomics(current, content, side);
      this.checkEdit(current, incoming, side);
      // PlanService writes only over `expectedVersion`: the plan checked above is the one replaced.
      return this.shown(await this.deps.plans.replace(id, incoming, expectedVersion, actor), viewer);
    });
  }

  async applyOperations(id: string, operations: Operation[], caller: Caller): Promise<OperationsResult> {
    const { actor } = caller;
    if (caller.viewer === 'local-vendor') return this.deps.plans.applyOperations(id, operations, actor);
    const plan = await this.deps.plans.get(id);
    const viewer = await this.viewerOn(plan, caller);
    this.sideOn(plan, viewer);
    const result = await this.deps.plans.applyOperations(id, operations, actor, (current, next) =>
      this.checkEdit(current, next, this.sideOn(current, viewer)),
    );
    const side = this.sideOn(result.plan, viewer);
    const health = this.redactHealth(result.plan, result.health, side);
    return { ...result, plan: redactPlanFor(result.plan, side), health };
  }

  async delete(id: string, expectedVersion: number, caller: Caller): Promise<void> {
    const { viewer, actor } = caller;
    if (viewer !== 'local-vendor') {
      const plan = await this.deps.plans.get(id);
      const side = this.sideOn(plan, await this.viewerOn(plan, caller));
      if (side.kind !== 'vendor') throw new AppError('FORBIDDEN', 'Only the vendor side deletes a plan.');
    }
    await this.deps.plans.delete(id, expectedVersion, actor);
  }

  async list(
    query: Omit<PlanQuery, 'today'>,
    caller: Caller,
  ): Promise<{ items: PlanSummary[]; nextCursor?: string }> {
    if (caller.viewer === 'local-vendor') return this.deps.plans.list(query);
    // Plans of a channel the caller is confirmed in: the channel asked for, and the one the tab is in.
    const asked = [query.channelId, (caller as ChannelCaller).channelHint?.channelId];
    const channelIds = await this.memberChannels(
      asked.filter((c): c is string => c !== undefined),
      caller,
    );
    const viewer = channelIds.length === 0 ? caller.viewer : { ...caller.viewer, channelIds };
    return this.deps.plans.list(query, (plan, summary) =>
      canRead(plan, viewer, this.ctx)
        ? redactSummaryFor(summary, resolveSide(plan, viewer, this.ctx))
        : undefined,
    );
  }

  async health(id: string, caller: Caller): Promise<PlanHealthResult> {
    const plan = await this.deps.plans.get(id);
    const side = this.sideOn(plan, await this.viewerOn(plan, caller));
    const health = this.deps.plans.healthOf(plan);
    return this.redactHealth(plan, health, side);
  }

  async history(
    id: string,
    options: { limit: number; cursor?: string },
    caller: Caller,
  ): Promise<{ items: HistoryEntry[]; nextCursor?: string }> {
    const plan = await this.deps.plans.get(id);
    const side = this.sideOn(plan, await this.viewerOn(plan, caller));
    const page = await this.deps.plans.history(id, options);
    return { ...page, items: redactHistoryFor(page.items, side, plan) };
  }

  /**
   * Health gaps as the side may see them: the same rule as the portfolio row (`redactSummaryFor`), applied
   * to the summary of the same stored plan on the same day. `done` never lists `economics` for a
   * non-vendor side: it would say whether another partner's economics are in.
   */
  private redactHealth<H extends Omit<PlanHealthResult, 'planId' | 'version'>>(
    plan: Plan,
    health: H,
    side: ViewerSide,
  ): H {
    if (side.kind === 'vendor') return health;
    const summary = redactSummaryFor(summarizePlan(plan, health.today), side);
    return {
      ...health,
      completeness: {
        complete: summary.complete,
        missing: summary.missing,
        done: health.completeness.done.filter((f) => f !== 'economics'),
      },
    };
  }
}

function sameTenant(a: string | undefined, b: string): boolean {
  const x = (a ?? '').trim().toLowerCase();
  return x !== '' && x === b.trim().toLowerCase();
}
