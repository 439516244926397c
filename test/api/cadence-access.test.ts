import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoPlan } from '@cosell/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedCalendarGateway,
  openEmbeddedCalendar,
} from '../../functions/src/adapters/embedded-calendar';
import { openSqlitePlanStore, type SqlitePlanStore } from '../../functions/src/adapters/sqlite-plan-store';
import { AppError } from '../../functions/src/app-error';
import type { Caller } from '../../functions/src/identity/authenticator';
import { renderPlanPdf } from '../../functions/src/pdf/plan-pdf';
import { CadenceService } from '../../functions/src/use-cases/cadence-service';
import { PlanAccess } from '../../functions/src/use-cases/plan-access';
import { PlanService } from '../../functions/src/use-cases/plan-service';
import { ReviewService } from '../../functions/src/use-cases/review-service';
import { TestClock } from '../support/api-host';

/*
 * Sides and rights (issue 6) on the cadence and the review: the .ics of a series whose invite shows a
 * partner's economics is refused to a caller whose side does not see them; callers who may not read the
 * plan get 404 from every cadence and review use case. Real SQLite store, real embedded calendar, real PDF.
 */

const VENDOR_TENANT = '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f';
const clock = new TestClock(new Date('2026-11-23T09:00:00Z'));
const SETTINGS = {
  weekday: 'tuesday' as const,
  time: '16:00',
  timeZone: 'Europe/Berlin',
  startsOn: '2026-11-24',
  durationMinutes: 30 as const,
};

const as = (email: string, tenantId?: string): Caller => ({
  actor: { id: email, displayName: email },
  viewer: { id: email, ...(tenantId ? { tenantId } : {}) },
});
const vendor = as('maya.okafor@vendor.example', VENDOR_TENANT);
const contoso = as('sofia.marino@contoso.example');
const adatum = as('kenji.watanabe@adatum.example');
const buyer = as('helen.costa@northwindlogistics.com');
const stranger = as('someone@elsewhere.example');

async function status(work: Promise<unknown>): Promise<number> {
  try {
    await work;
    return 200;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
}

describe('the cadence and the review through the access rules', () => {
  let dir: string;
  let store: SqlitePlanStore;
  let calendar: EmbeddedCalendarGateway;
  let cadence: CadenceService;
  let review: ReviewService;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-cadence-access-'));
    store = openSqlitePlanStore({ file: path.join(dir, 'plans.sqlite') });
    calendar = openEmbeddedCalendar({ file: ':memory:', clock });
    let n = 0;
    const plans = new PlanService({ store, clock, newId: () => `id${++n}` });
    const access = new PlanAccess({ plans, vendorTenantId: VENDOR_TENANT });
    const planUrl = (id: string) => `https://cosell.example.com/#/plans/${id}`;
    cadence = new CadenceService({
      store,
      access,
      calendar,
      clock,
      planUrl,
      renderPdf: (plan, options) => renderPlanPdf(plan, { paper: 'letter', ...options }),
    });
    review = new ReviewService({ store, access, clock, planUrl });
    await plans.create(demoPlan('2026-11-01'), vendor.actor, 'acc-1');
  });

  afterAll(() => {
    calendar.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hands the .ics only to callers who see every economics entry the invite shows', async () => {
    // Vendor and Contoso invited: the invite shows Contoso's economics.
    await cadence.configure('acc-1', { ...SETTINGS, attendeeIds: ['v-ae', 'v-csas', 'c-pc'] }, vendor);
    expect(await status(cadence.ics('acc-1', vendor))).toBe(200);
    expect(await status(cadence.ics('acc-1', contoso))).toBe(200);
    expect(await status(cadence.ics('acc-1', adatum))).toBe(403);
    expect(await status(cadence.ics('acc-1', buyer))).toBe(403);
    expect(await status(cadence.ics('acc-1', stranger))).toBe(404);

    // Both partners invited: no economics in the invite; every reader of the plan may download it.
    await cadence.configure('acc-1', { ...SETTINGS, attendeeIds: ['v-ae', 'c-pc', 'a-pc'] }, contoso);
    for (const caller of [vendor, contoso, adatum, buyer])
      expect(await status(cadence.ics('acc-1', caller))).toBe(200);
    expect(calendar.seriesOfPlan('acc-1')).toHaveLength(1);
  });

  it('answers 404 to a caller who may not read the plan, everywhere', async () => {
    expect(await status(cadence.state('acc-1', stranger))).toBe(404);
    expect(await status(cadence.configure('acc-1', { ...SETTINGS, attendeeIds: ['v-ae'] }, stranger))).toBe(
      404,
    );
    expect(await status(cadence.cancel('acc-1', stranger))).toBe(404);
    expect(await status(cadence.suggestSlot('acc-1', stranger, { timeZone: 'UTC' }))).toBe(404);
    expect(await status(review.review('acc-1', stranger))).toBe(404);
    expect(await status(review.close('acc-1', 'r1', stranger))).toBe(404);
    // Nothing changed for it.
    expect(calendar.seriesOfPlan('acc-1').filter((s) => !s.cancelled)).toHaveLength(1);
    expect((await store.get('acc-1'))?.reviews).toBeUndefined();
  });
});
