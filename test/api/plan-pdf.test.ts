import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoPlan, LIMITS, type Plan, type PlanContent, type PlanWrite } from '@cosell/shared';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SIZE, renderPlanPdfWithInfo } from '../../functions/src/pdf/plan-pdf';
import { asciiFileName } from '../../functions/src/routes-documents';
import { startTestApi, type TestApi } from '../support/api-host';
import { type ChildHost, startChildHost } from '../support/child-host';
import { type Limits, maximalPlan } from '../support/maximal-plan';
import {
  CLIENT_ID,
  PARTNER_A_USER,
  PARTNER_B_USER,
  STRANGER,
  startEntraTestApi,
  startTestTenant,
  type TenantUser,
  type TestTenant,
  twoPartnerDemoPlan,
  VENDOR_USER,
} from '../support/test-tenant';

/*
 * The one-page plan as a PDF made on the server (GET /api/plans/{id}/pdf), over real HTTP, read back with
 * a real PDF parser (pdfjs): exactly one page of the paper asked for, everything the reader may see is in
 * its text (nothing cut off), plan text stays text, names in any script come out as written, and the
 * access rules hold (a partner's PDF has no other partner's economics; 404 for non-members).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CMAPS = `${path.join(ROOT, 'node_modules/pdfjs-dist/cmaps')}/`;
const FONTS = `${path.join(ROOT, 'node_modules/pdfjs-dist/standard_fonts')}/`;
const TODAY = '2026-11-27';

interface ReadPdf {
  pages: number;
  /** [x, y, width, height] of each page's media box. */
  sizes: number[][];
  /** All text, whitespace removed (a wrapped line is the same text). */
  text: string;
  /** All text as drawn, items joined with spaces. */
  raw: string;
  info: Record<string, unknown>;
}

async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    cMapUrl: CMAPS,
    cMapPacked: true,
    standardFontDataUrl: FONTS,
  }).promise;
  const texts: string[] = [];
  const sizes: number[][] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    sizes.push([...page.view]);
    const content = await page.getTextContent();
    for (const item of content.items) if ('str' in item) texts.push(item.str);
  }
  const meta = await pdf.getMetadata();
  const pages = pdf.numPages;
  await pdf.destroy();
  const raw = texts.join(' ');
  return { pages, sizes, text: squeeze(texts.join('')), raw, info: meta.info as Record<string, unknown> };
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/**
 * The same PDF through poppler, the renderer most Linux viewers use (issue 7: `pdftoppm`, `pdftotext`):
 * how many page images it draws, and the text it extracts (whitespace removed).
 */
function readWithPoppler(bytes: Uint8Array): { pagesDrawn: number; text: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cosell-poppler-'));
  try {
    const file = path.join(dir, 'plan.pdf');
    writeFileSync(file, bytes);
    execFileSync('pdftoppm', ['-r', '30', '-png', file, path.join(dir, 'page')]);
    const pagesDrawn = readdirSync(dir).filter((name) => /^page-\d+\.png$/.test(name)).length;
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return { pagesDrawn, text: squeeze(text) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function getPdf(base: string, pathname: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${pathname}`, { headers });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes };
}

async function createPlan(base: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`create answered ${response.status}: ${await response.text()}`);
}

describe('the one-page PDF (local identity: the vendor side)', () => {
  let api: TestApi;
  const maximal = maximalPlan(TODAY, { id: 'maximal' });
  const crowded = maximalPlan(TODAY, { id: 'crowded', crowd: 'vendor' });
  const MARKUP = '<img src=x onerror=alert(1)>';

  beforeAll(async () => {
    api = await startTestApi({ now: `${TODAY}T10:00:00Z` });
    await createPlan(api.url, maximal.plan);
    await createPlan(api.url, crowded.plan);
    const intl: PlanWrite = { ...demoPlan(TODAY), id: 'intl', title: `Plan ${MARKUP} & "quotes" 李雷` };
    const [first, second, third] = intl.people;
    if (!first || !second || !third) throw new Error('the demo names people');
    Object.assign(first, { firstName: 'Zoë', lastName: 'Ångström' });
    Object.assign(second, { firstName: '李雷', lastName: '韩梅梅' });
    Object.assign(third, { firstName: 'Ayşe', lastName: 'Öztürk' });
    const action = intl.actions[0];
    if (!action) throw new Error('the demo has actions');
    action.description = `Check ${MARKUP} and the 한국어 notes`;
    const milestone = intl.milestones[0];
    if (!milestone) throw new Error('the demo has milestones');
    milestone.title = '<script>alert("x")</script> sign-off';
    await createPlan(api.url, intl);
  });
  afterAll(async () => {
    await api?.close();
  });

  for (const [paper, width, height] of [
    ['letter', 612, 792],
    ['a4', 595.28, 841.89],
  ] as const) {
    it(`prints the maximal plan on exactly one ${paper} page with everything on it`, async () => {
      for (const { plan, lastAction, lastMilestone, lastEscalationPerson, lastEconomicTerms } of [
        maximal,
        crowded,
      ]) {
        const response = await getPdf(api.url, `/api/plans/${plan.id}/pdf?paper=${paper}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/pdf');
        const pdf = await readPdf(response.bytes);
        expect(pdf.pages).toBe(1);
        expect(pdf.sizes[0]?.[0]).toBe(0);
        expect(pdf.sizes[0]?.[1]).toBe(0);
        expect(pdf.sizes[0]?.[2]).toBeCloseTo(width, 2);
        expect(pdf.sizes[0]?.[3]).toBeCloseTo(height, 2);
        // Nothing had to be shortened at the limits.
        expect(pdf.text).not.toContain('…');
        expect(pdf.raw).not.toMatch(/shortened|not shown/);
        const missing = [
          plan.title,
          ...plan.people.map((p) => `${p.firstName} ${p.lastName}`),
          ...plan.people.map((p) => p.email),
          ...plan.accounts.flatMap((a) => [a.name, a.domain, a.crmAccountId ?? '']),
          ...plan.partners.map((p) => p.name),
          ...plan.milestones.flatMap((m) => [m.title, m.lastMove?.reason ?? '']),
          ...plan.actions.flatMap((a) => [a.description, a.blocker ?? '']),
          ...plan.economics.flatMap((e) => (e.kind === 'terms' ? e.terms.map((x) => x.terms ?? '') : [])),
          lastAction,
          lastMilestone,
          lastEscalationPerson.split(' ')[0] ?? '',
          lastEconomicTerms,
        ].filter((s) => s !== '' && !pdf.text.includes(squeeze(s)));
        expect(missing).toEqual([]);
        // Poppler draws exactly one page, and its text has the owners, milestones and economics too.
        const poppler = readWithPoppler(response.bytes);
        expect(poppler.pagesDrawn).toBe(1);
        const notInPoppler = [
          ...plan.people.map((p) => `${p.firstName} ${p.lastName}`),
          ...plan.milestones.map((m) => m.title),
          ...plan.economics.flatMap((e) => (e.kind === 'terms' ? e.terms.map((x) => x.terms ?? '') : [])),
        ].filter((s) => s !== '' && !poppler.text.includes(squeeze(s)));
        expect(notInPoppler).toEqual([]);
      }
    });
  }

  it('defaults to Letter and sends the PDF as a named attachment that is not cached', async () => {
    const response = await getPdf(api.url, '/api/plans/intl/pdf');
    expect(response.status).toBe(200);
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9-]+-letter\.pdf"; filename\*=UTF-8''/);
    // The ASCII name has no quote or markup; the UTF-8 name carries the title as written.
    expect(disposition).not.toMatch(/[<>]/);
    const star = /filename\*=UTF-8''(\S+)$/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(star)).toContain('李雷');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const pdf = await readPdf(response.bytes);
    expect(pdf.sizes[0]?.slice(2)).toEqual([612, 792]);
    expect(asciiFileName('Zoë’s plan: 李雷 <b>', 'a4')).toBe('Zoe-s-plan-b-a4.pdf');
    expect(asciiFileName('李雷', 'letter')).toBe('co-sell-plan-letter.pdf');
  });

  it('prints markup as text, and names in any script as written', async () => {
    const response = await getPdf(api.url, '/api/plans/intl/pdf?paper=a4');
    expect(response.status).toBe(200);
    const pdf = await readPdf(response.bytes);
    expect(pdf.pages).toBe(1);
    for (const text of [
      'Zoë Ångström',
      '李雷 韩梅梅',
      'Ayşe Öztürk',
      MARKUP,
      '<script>alert("x")</script>',
      '한국어',
      `Plan ${MARKUP} & "quotes" 李雷`,
    ]) {
      expect(pdf.text).toContain(squeeze(text));
    }
    // Every character had a font: nothing was drawn as U+FFFD.
    expect(pdf.text).not.toContain('\uFFFD');
    expect(pdf.raw).not.toMatch(/no font/);
    // The document's metadata: title, creator, creation date from the host's clock.
    expect(pdf.info.Title).toBe(`Plan ${MARKUP} & "quotes" 李雷`);
    expect(pdf.info.Creator).toBe('Co-Sell Plan');
    expect(String(pdf.info.CreationDate)).toMatch(/^D:20261127/);
  });

  it('answers 400 naming the parameter for a paper it does not print, and 404 for no plan', async () => {
    const legal = await fetch(`${api.url}/api/plans/intl/pdf?paper=legal`);
    expect(legal.status).toBe(400);
    expect(legal.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await legal.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      { path: 'paper', pointer: '/query/paper', message: 'paper is letter or a4' },
    ]);
    const unknown = await fetch(`${api.url}/api/plans/intl/pdf?size=a4`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('size');
    expect((await fetch(`${api.url}/api/plans/nope/pdf`)).status).toBe(404);
    expect((await fetch(`${api.url}/api/plans/${encodeURIComponent('../x')}/pdf`)).status).toBe(404);
    const post = await fetch(`${api.url}/api/plans/intl/pdf`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

/*
 * Sides and rights with Entra tokens of the loopback test tenant (test/support/test-tenant.ts), as in
 * access-api.test.ts: the two-partner demo plan, Contoso (partner A) and A. Datum (partner B), each with
 * its tenant.
 */
describe('the PDF through the access rules (Entra identity)', () => {
  const A_TERMS = 'Contoso delivers and bills the rollout services';
  const B_TERMS = ['Resale through A. Datum marketplace listing', 'Joint logistics webinar in Q1'];

  let tenant: TestTenant;
  let api: TestApi;

  async function pdfAs(user: TenantUser, pathname = '/api/plans/plan-northwind/pdf') {
    return getPdf(api.url, pathname, { authorization: `Bearer ${await tenant.tokenFor(user)}` });
  }

  beforeAll(async () => {
    tenant = await startTestTenant();
    // The audience is the client id only.
    api = await startEntraTestApi(tenant, { now: `${TODAY}T10:00:00Z`, audiences: [CLIENT_ID] });
    const plan: PlanContent = twoPartnerDemoPlan(TODAY);
    // Created by the vendor side (a partner cannot create plans).
    await createPlan(
      api.url,
      { ...plan, id: 'plan-northwind' },
      {
        authorization: `Bearer ${await tenant.tokenFor(VENDOR_USER)}`,
      },
    );
  });
  afterAll(async () => {
    await api?.close();
    await tenant?.close();
  });

  it("gives partner A a PDF without partner B's economics, and the vendor one with both", async () => {
    const vendor = await pdfAs(VENDOR_USER);
    expect(vendor.status).toBe(200);
    const vendorText = (await readPdf(vendor.bytes)).text;
    for (const terms of [A_TERMS, ...B_TERMS]) expect(vendorText).toContain(squeeze(terms));

    const partnerA = await pdfAs(PARTNER_A_USER);
    expect(partnerA.status).toBe(200);
    const a = await readPdf(partnerA.bytes);
    expect(a.pages).toBe(1);
    expect(a.text).toContain(squeeze(A_TERMS));
    for (const terms of B_TERMS) expect(a.text).not.toContain(squeeze(terms));
    const aByPoppler = readWithPoppler(partnerA.bytes);
    expect(aByPoppler.pagesDrawn).toBe(1);
    expect(aByPoppler.text).toContain(squeeze(A_TERMS));
    for (const terms of B_TERMS) expect(aByPoppler.text).not.toContain(squeeze(terms));
    // Nor B's values, nor a health line about B's economics.
    expect(a.text).not.toContain(squeeze('Resale margin 18%'));
    expect(a.text).not.toContain(squeeze('$15,000'));
    expect(a.text).not.toMatch(/economicswithA\.Datum/i);

    const partnerB = await pdfAs(PARTNER_B_USER);
    expect(partnerB.status).toBe(200);
    const b = await readPdf(partnerB.bytes);
    expect(b.text).not.toContain(squeeze(A_TERMS));
    for (const terms of B_TERMS) expect(b.text).toContain(squeeze(terms));
  });

  it('answers 404 to someone not on the plan, and 401 without a token', async () => {
    const stranger = await pdfAs(STRANGER);
    expect(stranger.status).toBe(404);
    expect(new TextDecoder().decode(stranger.bytes)).not.toContain('%PDF');
    const anonymous = await fetch(`${api.url}/api/plans/plan-northwind/pdf`);
    expect(anonymous.status).toBe(401);
  });
});

describe('beyond the limits (the renderer alone: the API refuses such plans)', () => {
  it('still prints one page: it cuts paragraphs with "…" and says so in the footer', async () => {
    const limits: Limits = structuredClone({ ...LIMITS }) as Limits;
    Object.assign(limits, {
      actions: 24,
      milestones: 18,
      people: 26,
      actionDescription: 160,
      milestoneTitle: 120,
    });
    const { plan } = maximalPlan(TODAY, { id: 'over', limits });
    const stored = {
      ...plan,
      id: 'over',
      version: 1,
      createdAt: `${TODAY}T00:00:00Z`,
      createdBy: 'test',
      updatedAt: `${TODAY}T00:00:00Z`,
      updatedBy: 'test',
    } as Plan;
    for (const paper of ['letter', 'a4'] as const) {
      const { bytes, info } = await renderPlanPdfWithInfo(stored, { paper, today: TODAY });
      expect(info.size).toBe(MIN_SIZE);
      expect(info.truncated).toBeGreaterThan(0);
      const pdf = await readPdf(bytes);
      expect(pdf.pages).toBe(1);
      expect(pdf.text).toContain('…');
      expect(pdf.raw).toMatch(/shortened with "…" to keep the plan on one page/);
    }
  });
});

describe('the PDF from the built host (functions/dist, as `npm start` runs it)', () => {
  let host: ChildHost;
  beforeAll(async () => {
    host = await startChildHost({ COSELL_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('finds its fonts and prints the demo plan on one A4 page', async () => {
    const response = await getPdf(host.url, '/api/plans/demo-northwind/pdf?paper=a4');
    expect(response.status, host.output()).toBe(200);
    const pdf = await readPdf(response.bytes);
    expect(pdf.pages).toBe(1);
    expect(pdf.sizes[0]?.[3]).toBeCloseTo(841.89, 2);
    expect(pdf.text).toContain(squeeze('Contoso delivers and bills the rollout services'));
  });
});
