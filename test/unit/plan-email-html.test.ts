import {
  assessHealth,
  escapeHtml,
  type Plan,
  type PlanContent,
  renderPlanEmailHtml,
  renderPlanEmailText,
} from '@cosell/shared';
import { type DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { demo, stored, TODAY } from './plan-fixtures';

const TAB_URL =
  'https://teams.microsoft.com/l/entity/app-id/plan?context={"subEntityId":"plan-1"}&label=Plan';
const options = { today: TODAY, tabUrl: TAB_URL };

function demoStored(change: (p: PlanContent) => void = () => {}): Plan {
  const content = demo();
  change(content);
  return stored(content, { activatedOn: '2026-05-01' });
}

type ChildNode = ReturnType<typeof parseDocument>['children'][number];
type Element = Parameters<typeof DomUtils.getAttributeValue>[0];
/** An element node: htmlparser2 types script and style elements apart from other tags. */
const isTag = (node: ChildNode): node is Element => 'attribs' in node && 'name' in node;
const isText = (node: ChildNode): node is Extract<ChildNode, { type: 'text' }> => node.type === 'text';

interface Parsed {
  roots: ChildNode[];
  elements: Element[];
  text: string;
}

function parse(html: string): Parsed {
  const doc = parseDocument(html);
  const elements: Element[] = [];
  const texts: string[] = [];
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (isTag(node)) {
        elements.push(node);
        walk(node.children);
      } else if (isText(node)) {
        texts.push(node.data);
      } else {
        // comments, CDATA, processing instructions: the renderer makes none
        throw new Error(`unexpected node type ${node.type}`);
      }
    }
  };
  walk(doc.children);
  return { roots: doc.children, elements, text: texts.join('') };
}

const tagNames = (p: Parsed) => [...new Set(p.elements.map((e) => e.name))].sort();
const hrefs = (p: Parsed) =>
  p.elements.flatMap((e) => (e.attribs.href === undefined ? [] : [e.attribs.href]));

describe('renderPlanEmailHtml: the demo plan', () => {
  const plan = demoStored();
  const html = renderPlanEmailHtml(plan, options);
  const parsed = parse(html);

  it('is one outer presentation table, at most 640px wide', () => {
    expect(parsed.roots).toHaveLength(1);
    const [root] = parsed.roots;
    expect(root && isTag(root) ? root.name : undefined).toBe('table');
    if (!root || !isTag(root)) return;
    expect(root.attribs.role).toBe('presentation');
    expect(root.attribs.width).toBe('100%');
    expect(root.attribs.style).toContain('max-width:640px');
    expect(root.attribs.style).toContain('width:100%');
    for (const table of parsed.elements.filter((e) => e.name === 'table')) {
      expect(table.attribs.role).toBe('presentation');
    }
  });

  it('has every section heading and the key values as text', () => {
    for (const heading of [
      'Shared accounts',
      'Named owners',
      "Milestones on the buyer's calendar",
      'Joint actions',
      'Economic split',
      'Escalation path',
      'Open the plan in Teams',
    ]) {
      expect(parsed.text).toContain(heading);
    }
    for (const value of [
      'Northwind Logistics — supply-chain analytics rollout',
      'Status: Active',
      'Co-sell plan',
      // the next open milestone and the last review, dates as "Nov 27, 2026"
      'Next milestone: Fabrikam security questionnaire returned, Jun 11, 2026',
      'Last review: Jun 9, 2026',
      'Fabrikam Freight',
      'northwindlogistics.com',
      'CRM account 0015g00000NWL01',
      'Contoso Consulting',
      'A. Datum Cloud Services',
      'Maya Okafor · Account executive',
      'Sofia Marino · Partner counterpart',
      'Helen Costa · Economic buyer, CFO',
      'Pilot sign-off by VP Operations',
      'Due Jun 27, 2026',
      'In progress',
      'Slipped, overdue',
      'Scope the services SOW for rollout to 14 depots',
      'Owner: James Whitfield (Contoso Consulting)',
      'Blocker: Waiting for depot list from Northwind operations',
      'Services revenue share 100% · Agreed',
      'MDF participation $15,000 · Not agreed yet',
      '1. Priya Raman',
      '2. Amara Nwosu',
      'Escalate when nothing moves for 14 days',
      '$480,000',
    ]) {
      expect(parsed.text).toContain(value);
    }
  });

  it('says the health in words: the stalled account and the gaps', () => {
    expect(parsed.text).toContain('Health: ');
    expect(parsed.text).toContain(
      'Fabrikam Freight stalled: nothing moved forward for 40 days (threshold 14); milestone "Fabrikam security questionnaire returned" was due Jun 11, 2026 and is not done',
    );
    expect(parsed.text).toContain(
      'Gap in Economic split: economics with A. Datum Cloud Services not agreed yet',
    );
    expect(parsed.text).not.toContain('Northwind Logistics stalled');
  });

  it('uses the health it is given instead of working it out', () => {
    const health = assessHealth(plan, TODAY);
    const calm = {
      ...health,
      stalls: {
        ...health.stalls,
        stalled: false,
        plan: { ...health.stalls.plan, stalled: false },
        accounts: [],
      },
      completeness: { complete: true, done: health.completeness.done, missing: [] },
    };
    const text = parse(renderPlanEmailHtml(plan, { ...options, health: calm })).text;
    expect(text).toContain('Healthy: all six fields are filled and nothing is stalled.');
    expect(text).not.toContain('Fabrikam Freight stalled');
  });

  it('has no script, style, image, link or frame, no class and no on* attribute', () => {
    const names = tagNames(parsed);
    for (const banned of ['script', 'style', 'img', 'link', 'iframe', 'object', 'embed', 'form', 'svg']) {
      expect(names).not.toContain(banned);
    }
    expect(names).toEqual(['a', 'span', 'table', 'td', 'tr']);
    for (const element of parsed.elements) {
      for (const attribute of Object.keys(element.attribs)) {
        expect(attribute).not.toMatch(/^on/i);
        expect(attribute).not.toBe('class');
        expect(attribute).not.toBe('src');
      }
    }
    expect(html).not.toMatch(/<style|<link|<script|url\(/i);
  });

  it('styles inline: every visible element carries a style attribute with a system font on text cells', () => {
    for (const element of parsed.elements.filter((e) => e.name !== 'tr')) {
      expect(element.attribs.style, `<${element.name}> has an inline style`).toMatch(/\S/);
    }
    const textCells = parsed.elements.filter(
      (e) => e.name === 'td' && e.children.some((c) => isText(c) && c.data.trim() !== ''),
    );
    expect(textCells.length).toBeGreaterThan(10);
    for (const cell of textCells) expect(cell.attribs.style).toContain('Segoe UI');
  });

  it('links only to https: the tab (exactly as given), the CRM deal and the partner records', () => {
    const links = hrefs(parsed);
    expect([...new Set(links)].sort()).toEqual(
      [
        TAB_URL,
        'https://vendor.my.salesforce.com/0065g00000NWL4Q',
        'https://contoso.my.salesforce.com/a0B5g000001',
        'https://app.hubspot.com/contacts/5581/deal/2231',
      ].sort(),
    );
    for (const link of links) expect(new URL(link).protocol).toBe('https:');
    const teams = parsed.elements.filter((e) => e.name === 'a' && e.attribs.href === TAB_URL);
    expect(teams.length).toBeGreaterThan(0);
    for (const a of teams) {
      expect(a.children.map((c) => (isText(c) ? c.data : '')).join('')).toBe('Open the plan in Teams');
    }
  });

  it('is deterministic: the same input gives the same string', () => {
    expect(renderPlanEmailHtml(demoStored(), options)).toBe(html);
    expect(renderPlanEmailText(demoStored(), options)).toBe(renderPlanEmailText(plan, options));
  });
});

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '</table><script>alert(1)</script>',
  '"><a href="javascript:alert(1)">x</a>',
  '&amp; literal',
  "' onmouseover='alert(1)",
];
const PAYLOAD = PAYLOADS.join(' ');

/** The demo plan with every text field holding the payloads, each marked with its field so each can be found. */
function hostilePlan(): { plan: Plan; marks: string[] } {
  const marks: string[] = [];
  const t = (field: string) => {
    const value = `${field}: ${PAYLOAD}`;
    marks.push(value);
    return value;
  };
  const plan = demoStored((p) => {
    p.title = t('title');
    p.accounts.forEach((a, i) => {
      a.name = t(`account ${i}`);
      a.domain = t(`domain ${i}`);
      a.crmAccountId = t(`crm account ${i}`);
      if (a.overlapSource) {
        a.overlapSource.population = t(`population ${i}`);
        a.overlapSource.partnerPopulation = t(`partner population ${i}`);
        a.overlapSource.recordId = t(`overlap record ${i}`);
      }
    });
    p.partners.forEach((partner, i) => {
      partner.name = t(`partner ${i}`);
      partner.record = {
        system: t(`partner system ${i}`),
        id: t(`partner record ${i}`),
        url: i === 0 ? 'javascript:alert(1)' : 'https://partner.example/"><script>alert(1)</script>',
      };
    });
    p.people.forEach((person, i) => {
      person.firstName = t(`first ${i}`);
      person.lastName = t(`last ${i}`);
      person.email = t(`email ${i}`);
      person.title = t(`title ${i}`);
    });
    p.milestones.forEach((m, i) => {
      m.title = t(`milestone ${i}`);
      if (m.lastMove) m.lastMove.reason = t(`move reason ${i}`);
    });
    p.actions.forEach((a, i) => {
      a.description = t(`action ${i}`);
      if (a.blocker !== undefined) a.blocker = t(`blocker ${i}`);
    });
    p.economics = p.economics.map((e, i) =>
      i === 0 && e.kind === 'terms'
        ? { ...e, terms: e.terms.map((term, j) => ({ ...term, terms: t(`terms ${j}`) })) }
        : { partnerId: e.partnerId, kind: 'none', statement: t(`no economics ${i}`) },
    );
    if (p.crmDeal) {
      p.crmDeal.id = t('crm deal');
      p.crmDeal.url = 'data:text/html,<script>alert(1)</script>';
    }
  });
  return { plan, marks };
}

describe('renderPlanEmailHtml: plan text is data, never markup', () => {
  const { plan, marks } = hostilePlan();
  const html = renderPlanEmailHtml(plan, options);
  const parsed = parse(html);
  const demoParsed = parse(renderPlanEmailHtml(demoStored(), options));

  it('renders every payload as literal text, field by field', () => {
    expect(marks.length).toBeGreaterThan(40);
    for (const mark of marks) expect(parsed.text).toContain(mark);
  });

  it('creates no element and no attribute of its own', () => {
    expect(tagNames(parsed)).toEqual(tagNames(demoParsed));
    expect(parsed.elements.some((e) => ['script', 'img'].includes(e.name))).toBe(false);
    for (const element of parsed.elements) {
      for (const attribute of Object.keys(element.attribs)) {
        expect(['role', 'width', 'cellpadding', 'cellspacing', 'border', 'style', 'href']).toContain(
          attribute,
        );
      }
    }
  });

  it('links only the tab and the https partner record, never a javascript: or data: value', () => {
    expect([...new Set(hrefs(parsed))].sort()).toEqual(
      [TAB_URL, 'https://partner.example/"><script>alert(1)</script>'].sort(),
    );
    expect(html).not.toMatch(/href="(javascript|data):/i);
  });

  it('escapes the five characters and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a> é —`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; é —',
    );
  });

  it('keeps the payloads literal in the text part too', () => {
    const text = renderPlanEmailText(plan, options);
    for (const mark of marks) expect(text).toContain(mark);
    expect(text).not.toContain('javascript:alert(1)>');
    expect(text).not.toContain('data:text/html');
  });
});

describe('renderPlanEmailHtml: the tab link', () => {
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'http://teams.microsoft.com/l/x',
    'data:text/html,hi',
    '/relative/path',
    '',
  ])('refuses %j', (tabUrl) => {
    expect(() => renderPlanEmailHtml(demoStored(), { today: TODAY, tabUrl })).toThrow(/https/);
    expect(() => renderPlanEmailText(demoStored(), { today: TODAY, tabUrl })).toThrow(/https/);
  });
});

describe('renderPlanEmailHtml: a mutual action plan', () => {
  const plan = demoStored((p) => {
    p.motion = 'map';
  });
  const text = parse(renderPlanEmailHtml(plan, options)).text;
  const plain = renderPlanEmailText(plan, options);

  it('hides the partner parts', () => {
    for (const out of [text, plain]) {
      expect(out).toContain('Mutual action plan');
      expect(out).not.toContain('Contoso');
      expect(out).not.toContain('A. Datum');
      expect(out).not.toContain('Sofia Marino');
      expect(out).not.toContain('Kenji Watanabe');
      expect(out).not.toContain('Economic split');
      expect(out).not.toContain('Validate the SAP TM integration');
      expect(out).not.toContain('salesforce.com/a0B5g');
    }
  });

  it('keeps the vendor and buyer parts', () => {
    for (const value of [
      'Named owners',
      'Maya Okafor',
      'Helen Costa',
      'Send the multi-year pricing proposal to the CFO',
      '1. Priya Raman',
      'Escalation path',
    ]) {
      expect(text).toContain(value);
    }
    expect([...new Set(hrefs(parse(renderPlanEmailHtml(plan, options))))].sort()).toEqual(
      [TAB_URL, 'https://vendor.my.salesforce.com/0065g00000NWL4Q'].sort(),
    );
  });
});

describe('renderPlanEmailText', () => {
  const text = renderPlanEmailText(demoStored(), options);

  it('says the same things as the HTML', () => {
    const html = parse(renderPlanEmailHtml(demoStored(), options)).text;
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      // Each text line, without list markers, headings in capitals and link targets, is in the HTML.
      const words = line
        .trim()
        .replace(/^- /, '')
        .replace(/ <https:[^>]*>/g, '')
        .replace(/:$/, '')
        .replace(/^Open the plan in Teams: .*$/, 'Open the plan in Teams');
      const inHtml = html.includes(words) || html.toUpperCase().includes(words);
      expect(inHtml, `"${words}" is in the HTML`).toBe(true);
    }
  });

  it('has the link, the headings and dates as "Nov 27, 2026", and no markup', () => {
    expect(text).toContain(`Open the plan in Teams: ${TAB_URL}`);
    expect(text).toContain('SHARED ACCOUNTS');
    expect(text).toContain('ESCALATION PATH');
    expect(text).toContain('Due Jun 27, 2026');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text.replace(/ <https:\/\/[^ >]+>/g, '')).not.toMatch(/<\/?[a-z]/i);
  });
});
