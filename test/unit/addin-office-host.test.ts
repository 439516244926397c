import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectToOffice,
  OfficeCallError,
  type OfficeHost,
  type OrganizerMeeting,
} from '../../tab/src/addin/office-host';
import {
  createSimulatedOffice,
  OUTLOOK_MAX_BASE64_CHARS,
  type SimulatedOfficeOptions,
} from '../support/simulated-office';

/*
 * tab/src/addin/office-host.ts, the add-in's only door to Office.js, against the simulated Outlook
 * (test/support/simulated-office.ts): each call it wraps, the modes it tells apart, and Outlook's
 * failures turned into OfficeCallError. Also: no other file of the tab touches the `Office` global.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const globals = globalThis as { Office?: unknown };

afterEach(() => {
  delete globals.Office;
});

async function connect(options: SimulatedOfficeOptions) {
  const simulated = createSimulatedOffice(options);
  globals.Office = simulated.Office;
  const host = await connectToOffice(1000);
  if (!host) throw new Error('no Office host');
  return { host, state: simulated.state };
}

function organizer(host: OfficeHost): OrganizerMeeting {
  const item = host.currentItem();
  if (item.kind !== 'meeting' || item.meeting.mode !== 'organizer') throw new Error(`not an organiser item`);
  return item.meeting;
}

describe('connecting', () => {
  it('answers undefined without Office.js on the page, and for a host that is not Outlook', async () => {
    expect(await connectToOffice(50)).toBeUndefined();
    const { Office } = createSimulatedOffice({ item: 'organizer' });
    globals.Office = { ...Office, onReady: () => Promise.resolve({ host: 'Word', platform: 'PC' }) };
    expect(await connectToOffice(50)).toBeUndefined();
    globals.Office = { ...Office, onReady: () => new Promise(() => {}) };
    expect(await connectToOffice(50)).toBeUndefined();
  });

  it('reports the platform, the requirement sets by version, and the mailbox user', async () => {
    const { host } = await connect({
      item: 'organizer',
      requirementSets: { Mailbox: '1.8', NestedAppAuth: '1.1' },
      platform: 'PC',
      userEmail: 'ae@vendor.example',
    });
    expect(host.platform).toBe('PC');
    expect(host.supports('Mailbox', '1.3')).toBe(true);
    expect(host.supports('Mailbox', '1.8')).toBe(true);
    expect(host.supports('Mailbox', '1.9')).toBe(false);
    expect(host.supports('Mailbox', '1.10')).toBe(false);
    expect(host.supports('NestedAppAuth', '1.1')).toBe(true);
    expect(host.supports('DialogApi', '1.1')).toBe(false);
    expect(host.userEmail()).toBe('ae@vendor.example');
  });

  it('tells an organiser meeting, an attendee meeting, an email and no item apart', async () => {
    expect((await connect({ item: 'organizer' })).host.currentItem()).toMatchObject({
      kind: 'meeting',
      meeting: { mode: 'organizer' },
    });
    expect((await connect({ item: 'attendee' })).host.currentItem()).toMatchObject({
      kind: 'meeting',
      meeting: { mode: 'attendee' },
    });
    expect((await connect({ item: 'message' })).host.currentItem()).toEqual({
      kind: 'not-a-meeting',
      itemType: 'message',
    });
    expect((await connect({ item: 'none' })).host.currentItem()).toEqual({ kind: 'no-item' });
  });
});

describe('the organiser meeting', () => {
  it('inserts at the cursor, replacing nothing around it', async () => {
    const { host, state } = await connect({
      item: 'organizer',
      body: '<p>Agenda</p><p>Notes</p>',
      cursor: 13,
    });
    const meeting = organizer(host);
    expect(await meeting.bodyType()).toBe('html');
    await meeting.insertAtCursor('<table><tr><td>Plan</td></tr></table>', 'html');
    expect(state.body).toBe('<p>Agenda</p><table><tr><td>Plan</td></tr></table><p>Notes</p>');
    expect(state.calls).toEqual(['body.getTypeAsync', 'body.setSelectedDataAsync']);
  });

  it('reads a plain-text body type, and Outlook refusing HTML there is an OfficeCallError', async () => {
    const { host } = await connect({ item: 'organizer', bodyType: 'text' });
    const meeting = organizer(host);
    expect(await meeting.bodyType()).toBe('text');
    const refused = await meeting.insertAtCursor('<b>x</b>', 'html').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OfficeCallError);
    expect(refused).toMatchObject({ operation: 'body.setSelectedDataAsync', code: 'InvalidDataFormat' });
  });

  it("attaches Base64 and answers Outlook's id; over Outlook's limit is AttachmentSizeExceeded", async () => {
    const { host, state } = await connect({ item: 'organizer' });
    const meeting = organizer(host);
    expect(await meeting.attachBase64('JVBERi0xLjcK', 'Plan.pdf')).toBe('attachment-1');
    expect(state.attachments).toEqual([
      { id: 'attachment-1', name: 'Plan.pdf', base64: 'JVBERi0xLjcK', isInline: false },
    ]);
    const tooLong = 'A'.repeat(OUTLOOK_MAX_BASE64_CHARS + 4);
    await expect(meeting.attachBase64(tooLong, 'Big.pdf')).rejects.toMatchObject({
      code: 'AttachmentSizeExceeded',
    });
    expect(state.attachments).toHaveLength(1);
  });

  it('reads and adds required attendees', async () => {
    const { host, state } = await connect({
      item: 'organizer',
      requiredAttendees: [{ displayName: 'Lukas', emailAddress: 'lukas@vendor.example' }],
    });
    const meeting = organizer(host);
    expect(await meeting.requiredAttendees()).toEqual([
      { displayName: 'Lukas', emailAddress: 'lukas@vendor.example' },
    ]);
    await meeting.addRequiredAttendees([{ displayName: 'Sofia', emailAddress: 'sofia@contoso.example' }]);
    expect(state.requiredAttendees.map((a) => a.emailAddress)).toEqual([
      'lukas@vendor.example',
      'sofia@contoso.example',
    ]);
  });

  it('keeps custom properties only once saved', async () => {
    const { host, state } = await connect({ item: 'organizer', customProperties: { other: 'x' } });
    const tags = await organizer(host).loadTags();
    expect(tags.get('other')).toBe('x');
    expect(tags.get('cosellPlanId')).toBeUndefined();
    tags.set('cosellPlanId', 'demo-northwind');
    expect(state.savedCustomProperties).toEqual({ other: 'x' });
    await tags.save();
    expect(state.savedCustomProperties).toEqual({ other: 'x', cosellPlanId: 'demo-northwind' });
  });

  it("turns Outlook's failure into an OfficeCallError naming the call and Outlook's error", async () => {
    const { host } = await connect({
      item: 'organizer',
      failures: { 'requiredAttendees.addAsync': { name: 'NumberOfRecipientsExceeded', message: 'Too many' } },
    });
    const error = await organizer(host)
      .addRequiredAttendees([{ displayName: 'A', emailAddress: 'a@x.example' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfficeCallError);
    expect(error).toMatchObject({
      operation: 'requiredAttendees.addAsync',
      code: 'NumberOfRecipientsExceeded',
      message: 'requiredAttendees.addAsync failed: Too many',
    });
  });
});

describe('the attendee meeting', () => {
  it('reads the body as HTML and the custom properties', async () => {
    const { host } = await connect({
      item: 'attendee',
      body: '<a href="https://cosell.contoso.com/#/plans/p1">Open</a>',
    });
    const item = host.currentItem();
    if (item.kind !== 'meeting' || item.meeting.mode !== 'attendee') throw new Error('not attendee');
    expect(await item.meeting.bodyHtml()).toContain('#/plans/p1');
    expect((await item.meeting.loadTags()).get('cosellPlanId')).toBeUndefined();
  });
});

describe('Office.js stays behind office-host.ts', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
    });
  }

  /** `Office.context…`, `typeof Office`, the office-js types or a window/globalThis lookup (not "Office.js" in prose). */
  const OFFICE_USE =
    /\bOffice\.(?!js\b)\w|typeof Office\b|types="office-js"|from '[^']*office-js'|(?:globalThis|window)\)?\.Office\b|\{ Office\?: /;

  it('no other file of the tab names the Office global or office-js', () => {
    const offenders = files(path.join(ROOT, 'tab/src'))
      .filter((file) => !file.endsWith(path.join('addin', 'office-host.ts')))
      .filter((file) => OFFICE_USE.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(offenders).toEqual([]);
    // The check does see a use: office-host.ts itself is caught by it.
    expect(OFFICE_USE.test(readFileSync(path.join(ROOT, 'tab/src/addin/office-host.ts'), 'utf8'))).toBe(true);
  });

  it('addin.html loads Office.js from Microsoft in the head, before the app script', () => {
    const html = readFileSync(path.join(ROOT, 'tab/addin.html'), 'utf8');
    const head = html.slice(0, html.indexOf('</head>'));
    const office = head.indexOf('src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"');
    expect(office).toBeGreaterThan(0);
    expect(html.indexOf('type="module"')).toBeGreaterThan(office);
  });
});
