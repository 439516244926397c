import {
  ACTION_STATUS_LABELS,
  assessHealth,
  CRM_SYSTEM_LABELS,
  ECONOMIC_KIND_LABELS,
  type EconomicTerm,
  economicTermValue,
  formatEmailDate,
  formatEmailMoney,
  type IsoDate,
  isHttpsUrl,
  MILESTONE_STATUS_LABELS,
  MOTION_LABELS,
  type Person,
  PLAN_FIELD_LABELS,
  type Plan,
  type PlanHealth,
  planHealthLines,
  ROLE_LABELS,
  STATUS_LABELS,
} from '@cosell/shared';
import { type Color, PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import { type FontStyle, PdfText } from './pdf-fonts';

export { FONT_FILES, fontSearchDirs, PdfFontMissingError } from './pdf-fonts';

/*
 * The one-page plan as a PDF made on the server (issues 7, 9, 10): attached to the weekly invites, the
 * Outlook add-in's meetings and the exports. The content and its order follow the tab's print sheet
 * (tab/src/print/print-sheet.tsx) and the email summary (shared/src/plan-email-html.ts): header (title,
 * motion, status, deal and close date, cadence, last review, health), shared accounts, the sides grid
 * (named owners, economics per partner, escalation chains; one column per side, partners side by side),
 * milestones, joint actions.
 *
 * One page is a product rule (SPEC §2): the layout is tried from the largest font size down to the
 * smallest (MIN_SIZE) until everything fits the paper. Only when even the smallest size would overflow are
 * paragraphs cut to fewer lines, each cut ending in "…", and the footer says so. Nothing is clipped
 * silently. Plan text is data: it is drawn as text, never interpreted; links are https only and printed as
 * text (no link annotations).
 */

export type Paper = 'letter' | 'a4';

/** Page sizes in PDF points (1/72 in). */
export const PAPER_SIZES: Record<Paper, { width: number; height: number }> = {
  letter: { width: 612, height: 792 },
  a4: { width: 595.28, height: 841.89 },
};

export interface PlanPdfOptions {
  paper: Paper;
  /** The day the plan is printed for (health, overdue marks, "Printed …"). */
  today: IsoDate;
  /** The link back to the plan in Teams; printed as text when it is https. */
  tabUrl?: string;
  /** The PDF's creation date; `today` at 00:00 UTC when not given. */
  now?: Date;
  /** The plan's health as the reader may see it; `assessHealth(plan, today)` when not given. */
  health?: PlanHealth;
  /** A directory holding the font files, looked in first. */
  fontDir?: string;
}

export const MAX_SIZE = 9;
export const MIN_SIZE = 5;
const MARGIN = 28;
const LINE = 1.2;
const ELLIPSIS = '…';

const COLORS = {
  normal: rgb(0x24 / 255, 0x24 / 255, 0x24 / 255),
  muted: rgb(0x5c / 255, 0x5c / 255, 0x5c / 255),
  bad: rgb(0xb1 / 255, 0x0e / 255, 0x1c / 255),
  good: rgb(0x0e / 255, 0x70 / 255, 0x0e / 255),
  accent: rgb(0x5b / 255, 0x5f / 255, 0xc7 / 255),
  rule: rgb(0xd1 / 255, 0xd1 / 255, 0xd1 / 255),
  badBg: rgb(0xfd / 255, 0xf3 / 255, 0xf4 / 255),
  goodBg: rgb(0xf1 / 255, 0xfa / 255, 0xf1 / 255),
} satisfies Record<string, Color>;

type Tone = 'normal' | 'muted' | 'bad' | 'good' | 'accent';

/* ---------- The content model ---------- */

interface Run {
  text: string;
  bold?: boolean;
  tone?: Tone;
}
type Para = Run[];

interface Column {
  /** A fixed width in em of the font size, or a share of what the fixed columns leave. */
  em?: number;
  weight?: number;
}

type Block =
  | { kind: 'title'; text: string }
  | { kind: 'text'; paras: Para[] }
  | { kind: 'health'; tone: 'good' | 'bad'; paras: Para[] }
  | { kind: 'heading'; text: string; note?: string }
  | { kind: 'table'; columns: Column[]; header: Para[]; rows: Para[][][]; labelColumn?: boolean };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const fullName = (p: Pick<Person, 'firstName' | 'lastName'>) => `${p.firstName} ${p.lastName}`;
const roleOf = (p: Pick<Person, 'role' | 'title'>) =>
  p.title ? `${ROLE_LABELS[p.role]}, ${p.title}` : ROLE_LABELS[p.role];
const byDue = <T extends { due: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
const t = (text: string, tone?: Tone, bold?: boolean): Run => ({
  text,
  ...(tone ? { tone } : {}),
  ...(bold ? { bold } : {}),
});

function termText(term: EconomicTerm): Para {
  const value = economicTermValue(term);
  return [
    t(`${ECONOMIC_KIND_LABELS[term.kind]} ${value} `, 'normal', true),
    term.agreed ? t('(agreed)', 'good') : t('(not agreed yet)', 'bad'),
    ...(term.terms ? [t(` ${term.terms}`)] : []),
  ];
}

function healthParas(plan: Plan, health: PlanHealth): { tone: 'good' | 'bad'; paras: Para[] } {
  const { tone, lines } = planHealthLines(plan, health);
  return {
    tone,
    paras: lines.map((line, i) => [...(i === 0 ? [t('Health: ', tone, true)] : []), t(line, tone)]),
  };
}

function buildBlocks(plan: Plan, options: PlanPdfOptions): Block[] {
  const today = options.today;
  const health = options.health ?? assessHealth(plan, today);
  const coSell = plan.motion === 'co-sell';
  const partners = coSell ? plan.partners : [];
  const people = new Map(plan.people.map((p) => [p.id, p]));
  const visible = (id: string) => coSell || people.get(id)?.side !== 'partner';
  const accountCode = new Map(plan.accounts.map((a, i) => [a.id, `A${i + 1}`]));
  const milestones = byDue(plan.milestones);
  const milestoneCode = new Map(milestones.map((m, i) => [m.id, `M${i + 1}`]));
  const partnerCode = new Map(partners.map((p, i) => [p.id, `P${i + 1}`]));
  const short = (p: Person) => `${p.firstName} ${p.lastName.slice(0, 1)}.`;
  const counts = new Map<string, number>();
  for (const p of plan.people) counts.set(short(p), (counts.get(short(p)) ?? 0) + 1);
  const shortName = (id: string) => {
    const p = people.get(id);
    if (!p) return 'Person not on the plan';
    return (counts.get(short(p)) ?? 0) > 1 ? fullName(p) : short(p);
  };
  const sideCode = (p: Person) =>
    p.side === 'vendor'
      ? 'Vendor'
      : p.side === 'buyer'
        ? 'Buyer'
        : (partnerCode.get(p.partnerId ?? '') ?? 'Partner');

  const blocks: Block[] = [{ kind: 'title', text: plan.title }];

  // Header facts
  const deal = plan.crmDeal;
  const facts: Para = [t(`${MOTION_LABELS[plan.motion]} · `), t(STATUS_LABELS[plan.status], 'normal', true)];
  if (deal) {
    const dealFacts = [
      `${CRM_SYSTEM_LABELS[deal.system]} deal ${deal.id}`,
      ...(deal.amount !== undefined ? [formatEmailMoney(deal.amount, deal.currency ?? 'USD')] : []),
    ];
    facts.push(t(` · ${dealFacts.join(', ')}`));
    if (deal.closeDate) facts.push(t(' · closes '), t(formatEmailDate(deal.closeDate), 'normal', true));
  }
  const next = health.nextMilestone;
  facts.push(
    t(' · Next milestone: ', 'muted'),
    t(next ? `${next.title}, ${formatEmailDate(next.due)}` : 'none open'),
  );
  if (plan.cadence) {
    const c = plan.cadence;
    const day = `${c.weekday.slice(0, 1).toUpperCase()}${c.weekday.slice(1)}s`;
    facts.push(t(` · Weekly review ${day} ${c.time} (${c.timeZone})`, 'muted'));
  }
  facts.push(
    t(
      ` · ${plan.lastReviewedOn ? `Last reviewed ${formatEmailDate(plan.lastReviewedOn)}` : 'Not reviewed yet'}`,
      'muted',
    ),
    t(` · Printed ${formatEmailDate(today)}`, 'muted'),
  );
  const paras: Para[] = [facts];
  if (isHttpsUrl(options.tabUrl))
    paras.push([t('Open the plan in Teams: ', 'muted'), t(options.tabUrl, 'accent')]);
  blocks.push({ kind: 'text', paras });
  blocks.push({ kind: 'health', ...healthParas(plan, health) });

  // 1. Shared accounts
  blocks.push({ kind: 'heading', text: PLAN_FIELD_LABELS.accounts });
  const stalls = new Map(health.stalls.accounts.map((a) => [a.accountId, a]));
  blocks.push({
    kind: 'table',
    columns: [{ em: 2.4 }, { weight: 3 }, { weight: 2.6 }, { weight: 2.6 }, { weight: 4.4 }],
    header: [[t('#')], [t('Account')], [t('Web domain')], [t('CRM account')], [t('Overlap')]],
    rows:
      plan.accounts.length === 0
        ? [[[[t('—')]], [[t('No shared account named yet.', 'bad')]], [], [], []]]
        : plan.accounts.map((account, i) => {
            const source = account.overlapSource;
            const populations = source
              ? [source.population, source.partnerPopulation && `partner ${source.partnerPopulation}`]
                  .filter(Boolean)
                  .join(' × ')
              : '';
            const stalled = health.stalls.applies && stalls.get(account.id)?.stalled === true;
            return [
              [[t(`A${i + 1}`, 'muted', true)]],
              [[t(account.name, 'normal', true), ...(stalled ? [t(' · Stalled', 'bad', true)] : [])]],
              [[t(account.domain)]],
              [[t(account.crmAccountId ?? '—')]],
              [
                source
                  ? [
                      ...(source.recordId ? [t(`#${source.recordId} `, 'muted')] : []),
                      t(
                        `${source.system === 'crossbeam' ? 'Crossbeam' : 'Other'}${populations ? `: ${populations}` : ''}`,
                      ),
                    ]
                  : [t('—')],
              ],
            ];
          }),
  });

  // 2, 5, 6. The sides grid: named owners, economics per partner, escalation chains
  interface Side {
    label: string;
    partner?: Plan['partners'][number];
    people: Person[];
    chain?: string[];
  }
  const sides: Side[] = [
    {
      label: 'Vendor',
      people: plan.people.filter((p) => p.side === 'vendor'),
      chain: plan.escalation.vendorChain,
    },
    ...partners.map((partner, i) => ({
      label: `P${i + 1}: ${partner.name}`,
      partner,
      people: plan.people.filter((p) => p.side === 'partner' && p.partnerId === partner.id),
      chain: plan.escalation.partnerChains.find((c) => c.partnerId === partner.id)?.chain ?? [],
    })),
    { label: 'Buyer', people: plan.people.filter((p) => p.side === 'buyer') },
  ];
  const ownersCell = (side: Side): Para[] => [
    ...(side.partner?.record
      ? [
          [
            t(
              `Partner record ${[side.partner.record.system, side.partner.record.id].filter(Boolean).join(' ')}`,
              'muted',
            ),
          ],
        ]
      : []),
    ...(side.people.length === 0
      ? [[t('No one named yet', 'bad')]]
      : side.people.map((p) => [t(fullName(p), 'normal', true), t(`, ${roleOf(p)}, `), t(p.email, 'muted')])),
  ];
  const economicsCell = (side: Side): Para[] => {
    if (!side.partner) return [];
    const partnerId = side.partner.id;
    const economics = plan.economics.find((e) => e.partnerId === partnerId);
    if (!economics) return [[t('Not written down yet', 'bad')]];
    if (economics.kind === 'none')
      return [[t('No shared economics: ', 'normal', true), t(economics.statement)]];
    return economics.terms.map(termText);
  };
  const chainCell = (side: Side): Para[] => {
    if (!side.chain) return [];
    if (side.chain.length === 0) return [[t('No escalation path yet', 'bad')]];
    return side.chain.map((id, i) => [t(`${i + 1}. `, 'muted'), t(shortName(id))]);
  };
  const volume = (paras: Para[]) =>
    paras.reduce((sum, p) => sum + p.reduce((s, r) => s + r.text.length, 0) + 8, 0);
  const volumes = sides.map((side) =>
    Math.max(
      volume(ownersCell(side)),
      volume(economicsCell(side)) + volume(chainCell(side)),
      side.label.length,
    ),
  );
  const average = volumes.reduce((a, b) => a + b, 0) / Math.max(1, volumes.length);
  blocks.push({
    kind: 'heading',
    text: 'Sides',
    note: 'owners, economics and escalation, one column per side',
  });
  blocks.push({
    kind: 'table',
    labelColumn: true,
    columns: [{ em: 6.2 }, ...volumes.map((v) => ({ weight: Math.max(v, average * 0.7) }))],
    header: [[], ...sides.map((s) => [t(s.label, 'normal', true)])],
    rows: [
      [[[t(PLAN_FIELD_LABELS.owners, 'normal', true)]], ...sides.map(ownersCell)],
      ...(coSell ? [[[[t(PLAN_FIELD_LABELS.economics, 'normal', true)]], ...sides.map(economicsCell)]] : []),
      [
        [
          [t(PLAN_FIELD_LABELS.escalation, 'normal', true)],
          [t(`after ${plural(plan.escalation.thresholdDays, 'day')} stalled`, 'muted')],
        ],
        ...sides.map(chainCell),
      ],
    ],
  });

  // 3. Milestones
  blocks.push({ kind: 'heading', text: PLAN_FIELD_LABELS.milestones });
  blocks.push({
    kind: 'table',
    columns: [{ em: 2.4 }, { em: 8.4 }, { em: 5.6 }, { weight: 1 }],
    header: [[t('#')], [t('Due')], [t('Status')], [t('Milestone, account, owner')]],
    rows:
      milestones.length === 0
        ? [[[], [], [], [[t("No milestone on the buyer's calendar yet.", 'bad')]]]]
        : milestones.map((m) => {
            const late = m.status !== 'done' && m.due < today;
            const account = m.accountId ? accountCode.get(m.accountId) : undefined;
            return [
              [[t(milestoneCode.get(m.id) ?? '', 'muted', true)]],
              [
                [
                  t(formatEmailDate(m.due), late ? 'bad' : 'normal'),
                  ...(late ? [t(' overdue', 'bad', true)] : []),
                ],
              ],
              [
                [
                  t(
                    MILESTONE_STATUS_LABELS[m.status],
                    m.status === 'slipped' ? 'bad' : m.status === 'done' ? 'good' : 'normal',
                  ),
                  ...(m.doneOn ? [t(` ${formatEmailDate(m.doneOn)}`, 'muted')] : []),
                ],
              ],
              [
                [
                  t(m.title, 'normal', true),
                  ...(account ? [t(` · ${account}`, 'muted')] : []),
                  t(` · ${visible(m.ownerId) ? shortName(m.ownerId) : 'Partner'}`),
                  ...(m.lastMove
                    ? [t(` · moved from ${formatEmailDate(m.lastMove.from)}: ${m.lastMove.reason}`, 'muted')]
                    : []),
                ],
              ],
            ];
          }),
  });

  // 4. Joint actions
  const actions = byDue(plan.actions.filter((a) => visible(a.ownerId)));
  blocks.push({ kind: 'heading', text: PLAN_FIELD_LABELS.actions });
  blocks.push({
    kind: 'table',
    columns: [{ em: 2.4 }, { em: 8.4 }, { em: 5.6 }, { weight: 1 }],
    header: [[t('#')], [t('Due')], [t('Status')], [t('Action, owner, for')]],
    rows:
      actions.length === 0
        ? [[[], [], [], [[t('No joint action yet.', 'bad')]]]]
        : actions.map((a, i) => {
            const late = a.status !== 'done' && a.due < today;
            const owner = people.get(a.ownerId);
            const refs = [
              a.milestoneId && milestoneCode.get(a.milestoneId),
              a.accountId && accountCode.get(a.accountId),
            ].filter(Boolean);
            return [
              [[t(String(i + 1), 'muted', true)]],
              [
                [
                  t(formatEmailDate(a.due), late ? 'bad' : 'normal'),
                  ...(late ? [t(' late', 'bad', true)] : []),
                ],
              ],
              [
                [
                  t(
                    ACTION_STATUS_LABELS[a.status],
                    a.status === 'blocked' ? 'bad' : a.status === 'done' ? 'good' : 'normal',
                  ),
                  ...(a.doneOn ? [t(` ${formatEmailDate(a.doneOn)}`, 'muted')] : []),
                ],
              ],
              [
                [
                  t(a.description),
                  t(' · '),
                  t(shortName(a.ownerId), 'normal', true),
                  ...(owner ? [t(` (${sideCode(owner)})`)] : []),
                  ...(refs.length > 0 ? [t(` · for ${refs.join(', ')}`, 'muted')] : []),
                  ...(a.blocker ? [t(` · Blocked: ${a.blocker}`, 'bad')] : []),
                ],
              ],
            ];
          }),
  });
  return blocks;
}

/* ---------- Wrapping ---------- */

interface Piece {
  text: string;
  style: FontStyle;
  tone: Tone;
  width: number;
}
interface Line {
  pieces: Piece[];
  width: number;
}

interface Layout {
  text: PdfText;
  size: number;
  maxLines: number;
  truncated: number;
}

function styleOf(run: Run): FontStyle {
  return run.bold ? 'bold' : 'regular';
}

/** Wraps a paragraph into lines no wider than `width`; at most `layout.maxLines`, the last cut with "…". */
function wrap(para: Para, width: number, layout: Layout): Line[] {
  const { text, size } = layout;
  const measure = (s: string, style: FontStyle) => text.widthOf(s, style) * size * 1.005;
  const lines: Line[] = [];
  let current: Line = { pieces: [], width: 0 };
  const pushPiece = (s: string, style: FontStyle, tone: Tone, w: number) => {
    const last = current.pieces[current.pieces.length - 1];
    if (last && last.style === style && last.tone === tone) {
      last.text += s;
      last.width += w;
    } else current.pieces.push({ text: s, style, tone, width: w });
    current.width += w;
  };
  const trimEnd = (line: Line) => {
    const last = line.pieces[line.pieces.length - 1];
    if (last && / +$/.test(last.text)) {
      const trimmed = last.text.replace(/ +$/, '');
      const w = last.width - measure(last.text.slice(trimmed.length), last.style);
      line.width -= last.width - w;
      last.text = trimmed;
      last.width = w;
    }
  };
  const newLine = () => {
    trimEnd(current);
    lines.push(current);
    current = { pieces: [], width: 0 };
  };
  for (const run of para) {
    const style = styleOf(run);
    const tone = run.tone ?? 'normal';
    const tokens = run.text.replace(/[\s\p{Cc}]+/gu, ' ').split(/( )/);
    for (const token of tokens) {
      if (token === '') continue;
      if (token === ' ') {
        if (current.pieces.length === 0) continue;
        const w = measure(' ', style);
        if (current.width + w <= width) pushPiece(' ', style, tone, w);
        else newLine();
        continue;
      }
      const w = measure(token, style);
      if (current.width + w <= width) {
        pushPiece(token, style, tone, w);
        continue;
      }
      if (current.pieces.length > 0 && (w <= width || width - current.width < width * 0.3)) newLine();
      if (w <= width) {
        pushPiece(token, style, tone, w);
        continue;
      }
      // A word wider than the column: break it between characters.
      let chunk = '';
      for (const ch of token) {
        const candidate = chunk + ch;
        if (
          current.width + measure(candidate, style) > width &&
          (chunk !== '' || current.pieces.length > 0)
        ) {
          if (chunk !== '') pushPiece(chunk, style, tone, measure(chunk, style));
          newLine();
          chunk = ch;
        } else chunk = candidate;
      }
      if (chunk !== '') pushPiece(chunk, style, tone, measure(chunk, style));
    }
  }
  if (current.pieces.length > 0) {
    trimEnd(current);
    lines.push(current);
  }
  if (lines.length <= layout.maxLines) return lines;

  // Too long for the lines it may take: keep the first lines, end the last with "…".
  layout.truncated += 1;
  const kept = lines.slice(0, layout.maxLines);
  const last = kept[kept.length - 1];
  if (!last) return kept;
  const lastPiece = last.pieces[last.pieces.length - 1];
  const style = lastPiece?.style ?? 'regular';
  const ellipsis = measure(ELLIPSIS, style);
  while (last.width + ellipsis > width && last.pieces.length > 0) {
    const piece = last.pieces[last.pieces.length - 1];
    if (!piece) break;
    const chars = [...piece.text];
    chars.pop();
    const shorter = chars.join('');
    const w = measure(shorter, piece.style);
    last.width -= piece.width - w;
    piece.text = shorter;
    piece.width = w;
    if (piece.text === '') last.pieces.pop();
  }
  const end = last.pieces[last.pieces.length - 1];
  if (end) {
    end.text = `${end.text.replace(/ +$/, '')}${ELLIPSIS}`;
    end.width = measure(end.text, end.style);
  } else last.pieces.push({ text: ELLIPSIS, style, tone: 'normal', width: ellipsis });
  last.width = last.pieces.reduce((s, p) => s + p.width, 0);
  return kept;
}

/* ---------- Layout into drawing commands ---------- */

type Command =
  | { kind: 'line'; x: number; top: number; size: number; line: Line }
  | { kind: 'rule'; x1: number; x2: number; top: number; thickness: number; color: Color }
  | { kind: 'box'; x: number; top: number; width: number; height: number; color: Color };

interface Placed {
  commands: Command[];
  height: number;
  truncated: number;
}

function paraHeight(lines: Line[], size: number): number {
  return lines.length * size * LINE;
}

function layoutBlocks(blocks: Block[], width: number, layout: Layout): Placed {
  const { size } = layout;
  const commands: Command[] = [];
  let y = 0;
  const placeLines = (lines: Line[], x: number, top: number, lineSize: number) => {
    lines.forEach((line, i) => {
      commands.push({ kind: 'line', x, top: top + i * lineSize * LINE, size: lineSize, line });
    });
    return lines.length * lineSize * LINE;
  };
  for (const block of blocks) {
    switch (block.kind) {
      case 'title': {
        const titleSize = size * 1.7;
        const lines = wrap([t(block.text, 'normal', true)], width, {
          ...layout,
          size: titleSize,
          maxLines: Math.max(2, layout.maxLines),
        });
        y += placeLines(lines, 0, y, titleSize) + size * 0.2;
        break;
      }
      case 'text': {
        for (const para of block.paras) y += placeLines(wrap(para, width, layout), 0, y, size);
        y += size * 0.3;
        break;
      }
      case 'health': {
        const pad = size * 0.4;
        const inner = width - pad * 2 - 3;
        const wrapped = block.paras.map((p) => wrap(p, inner, layout));
        const height = wrapped.reduce((s, l) => s + paraHeight(l, size), 0) + pad * 2;
        commands.push({
          kind: 'box',
          x: 0,
          top: y,
          width,
          height,
          color: block.tone === 'good' ? COLORS.goodBg : COLORS.badBg,
        });
        commands.push({ kind: 'box', x: 0, top: y, width: 3, height, color: COLORS[block.tone] });
        let top = y + pad;
        for (const lines of wrapped) top += placeLines(lines, pad + 3, top, size);
        y += height + size * 0.2;
        break;
      }
      case 'heading': {
        const headingSize = size * 1.15;
        y += size * 0.45;
        const lines = wrap(
          [t(block.text, 'normal', true), ...(block.note ? [t(` · ${block.note}`, 'muted')] : [])],
          width,
          { ...layout, size: headingSize },
        );
        y += placeLines(lines, 0, y, headingSize);
        commands.push({
          kind: 'rule',
          x1: 0,
          x2: width,
          top: y + size * 0.05,
          thickness: 0.9,
          color: COLORS.accent,
        });
        y += size * 0.2;
        break;
      }
      case 'table': {
        const pad = size * 0.35;
        const vpad = size * 0.22;
        const fixed = block.columns.reduce((s, c) => s + (c.em ?? 0) * size, 0);
        const weights = block.columns.reduce((s, c) => s + (c.em === undefined ? (c.weight ?? 1) : 0), 0);
        const widths = block.columns.map((c) =>
          c.em !== undefined ? c.em * size : ((width - fixed) * (c.weight ?? 1)) / Math.max(weights, 1e-9),
        );
        const xs = widths.map((_, i) => widths.slice(0, i).reduce((s, w) => s + w, 0));
        const placeRow = (cells: Para[][], tone: 'header' | 'body') => {
          const wrapped = cells.map((paras, i) =>
            paras.map((p) =>
              wrap(
                tone === 'header' ? p.map((r) => ({ ...r, tone: r.tone ?? 'muted' })) : p,
                Math.max(size, (widths[i] ?? 0) - pad * 2),
                // Headers, codes, dates and row labels are short: only the body text is ever cut.
                tone === 'header' || block.columns[i]?.em !== undefined
                  ? { ...layout, maxLines: Number.POSITIVE_INFINITY }
                  : layout,
              ),
            ),
          );
          const heights = wrapped.map(
            (paras) =>
              paras.reduce((s, l) => s + paraHeight(l, size), 0) +
              Math.max(0, paras.length - 1) * size * 0.25,
          );
          const rowHeight = Math.max(size * LINE, ...heights) + vpad * 2;
          wrapped.forEach((paras, i) => {
            let top = y + vpad;
            for (const lines of paras) top += placeLines(lines, (xs[i] ?? 0) + pad, top, size) + size * 0.25;
          });
          y += rowHeight;
          commands.push({
            kind: 'rule',
            x1: 0,
            x2: width,
            top: y,
            thickness: tone === 'header' ? 0.6 : 0.35,
            color: tone === 'header' ? COLORS.muted : COLORS.rule,
          });
        };
        if (block.header.some((h) => h.length > 0))
          placeRow(
            block.header.map((h) => (h.length > 0 ? [h] : [])),
            'header',
          );
        for (const row of block.rows) placeRow(row, 'body');
        break;
      }
    }
  }
  return { commands, height: y, truncated: layout.truncated };
}

/* ---------- Rendering ---------- */

function footerLines(
  text: PdfText,
  placed: Placed,
  plan: Plan,
  options: PlanPdfOptions,
  width: number,
  size: number,
): Line[] {
  const notes: Para[] = [];
  if (placed.truncated > 0) {
    notes.push([
      t(
        `${plural(placed.truncated, 'text')} shortened with "…" to keep the plan on one page; the full plan is in Teams.`,
        'bad',
        true,
      ),
    ]);
  }
  if (text.missingCharacters.size > 0) {
    notes.push([
      t(
        `Some characters have no font in this PDF and are shown as \uFFFD (${plural(text.missingCharacters.size, 'character')}); the plan in Teams shows them.`,
        'bad',
      ),
    ]);
  }
  notes.push([
    t(
      `Co-Sell Plan · ${plan.title} · version ${plan.version} · printed ${formatEmailDate(options.today)} · page 1 of 1`,
      'muted',
    ),
  ]);
  return notes.flatMap((p) => wrap(p, width, { text, size, maxLines: 2, truncated: 0 }));
}

function drawCommands(page: PDFPage, text: PdfText, commands: Command[], originTop: number): void {
  for (const c of commands) {
    if (c.kind === 'line') {
      let x = MARGIN + c.x;
      const baseline = originTop - c.top - c.size * 0.93;
      for (const piece of c.line.pieces) {
        text.draw(page, piece.text, {
          x,
          y: baseline,
          size: c.size,
          style: piece.style,
          color: COLORS[piece.tone],
        });
        x += piece.width;
      }
    } else if (c.kind === 'rule') {
      page.drawLine({
        start: { x: MARGIN + c.x1, y: originTop - c.top },
        end: { x: MARGIN + c.x2, y: originTop - c.top },
        thickness: c.thickness,
        color: c.color,
      });
    } else {
      page.drawRectangle({
        x: MARGIN + c.x,
        y: originTop - c.top - c.height,
        width: c.width,
        height: c.height,
        color: c.color,
      });
    }
  }
}

/** What the renderer decided, for tests and logs. */
export interface PlanPdfLayoutInfo {
  size: number;
  maxLines: number;
  truncated: number;
  missingCharacters: string[];
}

/**
 * The plan on exactly one page of `paper`, as PDF bytes. The plan passed is what the reader may see
 * (redacted by the caller through the access rules); nothing else is read.
 */
export async function renderPlanPdf(plan: Plan, options: PlanPdfOptions): Promise<Uint8Array> {
  return (await renderPlanPdfWithInfo(plan, options)).bytes;
}

export async function renderPlanPdfWithInfo(
  plan: Plan,
  options: PlanPdfOptions,
): Promise<{ bytes: Uint8Array; info: PlanPdfLayoutInfo }> {
  const paper = PAPER_SIZES[options.paper];
  if (!paper) throw new Error(`paper is letter or a4, not ${String(options.paper)}`);
  const created = options.now ?? new Date(`${options.today}T00:00:00Z`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(plan.title, { showInWindowTitleBar: true });
  doc.setSubject(`The one-page co-sell plan, printed ${formatEmailDate(options.today)}`);
  doc.setCreator('Co-Sell Plan');
  doc.setProducer('Co-Sell Plan (pdf-lib)');
  doc.setLanguage('en');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const text = await PdfText.embed(doc, options.fontDir);
  const page = doc.addPage([paper.width, paper.height]);

  const width = paper.width - MARGIN * 2;
  const blocks = buildBlocks(plan, options);
  const footerSize = MIN_SIZE + 0.5;
  const tryLayout = (size: number, maxLines: number) => {
    const placed = layoutBlocks(blocks, width, { text, size, maxLines, truncated: 0 });
    const footer = footerLines(text, placed, plan, options, width, footerSize);
    const available = paper.height - MARGIN * 2 - footer.length * footerSize * LINE - footerSize;
    return { placed, footer, fits: placed.height <= available };
  };

  // The largest size (in quarter points) at which everything fits, by bisection.
  let chosen: ReturnType<typeof tryLayout> | undefined;
  let chosenSize = MIN_SIZE;
  let maxLines = Number.POSITIVE_INFINITY;
  let lo = MIN_SIZE * 4;
  let hi = MAX_SIZE * 4;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const attempt = tryLayout(mid / 4, maxLines);
    if (attempt.fits) {
      chosen = attempt;
      chosenSize = mid / 4;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Not even at the smallest size: cut paragraphs to fewer lines, one line less at a time.
  for (const lines of [6, 5, 4, 3, 2, 1]) {
    if (chosen) break;
    maxLines = lines;
    const attempt = tryLayout(MIN_SIZE, maxLines);
    if (attempt.fits || lines === 1) chosen = attempt;
  }
  if (!chosen) throw new Error('no layout');
  if (!chosen.fits) {
    // Beyond every limit the API accepts: draw what fits and say that the rest is not on the page.
    const available = paper.height - MARGIN * 2 - (chosen.footer.length + 1) * footerSize * LINE - footerSize;
    chosen.placed.commands = chosen.placed.commands.filter(
      (c) =>
        (c.kind === 'box' ? c.top + c.height : c.top + (c.kind === 'line' ? c.size * LINE : 0)) <= available,
    );
    chosen.footer.unshift(
      ...wrap(
        [t('The plan is longer than one page: the rest is not shown; see the plan in Teams.', 'bad', true)],
        width,
        {
          text,
          size: footerSize,
          maxLines: 2,
          truncated: 0,
        },
      ),
    );
    chosen.placed.truncated += 1;
  }

  const top = paper.height - MARGIN;
  drawCommands(page, text, chosen.placed.commands, top);
  const footerTop =
    paper.height - MARGIN - (paper.height - MARGIN * 2) + chosen.footer.length * footerSize * LINE;
  page.drawLine({
    start: { x: MARGIN, y: footerTop + footerSize * 0.4 },
    end: { x: MARGIN + width, y: footerTop + footerSize * 0.4 },
    thickness: 0.35,
    color: COLORS.rule,
  });
  drawCommands(
    page,
    text,
    chosen.footer.map((line, i) => ({
      kind: 'line' as const,
      x: 0,
      top: i * footerSize * LINE,
      size: footerSize,
      line,
    })),
    footerTop,
  );
  text.finish();
  const bytes = await doc.save({ useObjectStreams: true });
  return {
    bytes,
    info: {
      size: chosenSize,
      maxLines,
      truncated: chosen.placed.truncated,
      missingCharacters: [...text.missingCharacters],
    },
  };
}
