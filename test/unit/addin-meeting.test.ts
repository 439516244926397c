import { demoPlan, type Plan } from '@cosell/shared';
import { parseDocument } from 'htmlparser2';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AddinApi, createAddinApi, PdfTooLargeError } from '../../tab/src/addin/addin-api';
import {
  AddinProblem,
  addPlanToMeeting,
  attachmentName,
  base64Length,
  findMeetingPlan,
  MAX_ATTACHMENT_BYTES,
  MAX_BASE64_CHARS,
  NO_ACCESS_MESSAGE,
  NOT_TAGGED_MESSAGE,
  PLAN_ID_TAG,
  PLAN_VERSION_TAG,
  planAttendees,
  planIdFromBody,
} from '../../tab/src/addin/meeting-plan';
import {
  type AttendeeMeeting,
  connectToOffice,
  type OfficeHost,
  type OrganizerMeeting,
} from '../../tab/src/addin/office-host';
import { call, startTestApi, type TestApi } from '../support/api-host';
import { createSimulatedOffice, type SimulatedOfficeOptions } from '../support/simulated-office';

/*
 * The add-in's work on a meeting (tab/src/addin/meeting-plan.ts) end to end below the UI: the real API
 * (local host, embedded store, the real PDF route) and the simulated Outlook through office-host.ts.
 * Insert at the cursor, the PDF attached byte for byte, the tag, attendees without the buyer, and each
 * error path with the message a person reads.
 */

const TODAY = '2026-11-27';
const TAB_ORIGIN = 'https://cosell.contoso.com';
const ORGANIZER = 'maya.okafor@vendor.example';
const BUYERS = ['helen.costa@northwindlogistics.com', 'omar.haddad@northwindlogistics.com'];

let api: TestApi;
let addinApi: AddinApi;
let plan: Plan;
const globals = globalThis as { Office?: unknown };

beforeAll(async () => {
  api = await startTestApi({ now: `${TODAY}T10:00:00Z` });
  addinApi = createAddinApi({ baseUrl: `${api.url}/api` });
  const created = await call<Plan>(api.url, 'POST', '/api/plans', { json: demoPlan(TODAY) });
  expect(created.status).toBe(201);
  plan = created.body;
});

afterAll(async () => {
  await api.close();
});

afterEach(() => {
  delete globals.Office;
});

async function outlook(options: SimulatedOfficeOptions) {
  const simulated = createSimulatedOffice({ userEmail: ORGANIZER, ...options });
  globals.Office = simulated.Office;
  const host = await connectToOffice(1000);
  if (!host) throw new Error('no Office host');
  const item = host.currentItem();
  return { host, item, state: simulated.state };
}

async function organizerMeeting(options: Omit<SimulatedOfficeOptions, 'item'> = {}) {
  const o = await outlook({ item: 'organizer', ...options });
  if (o.item.kind !== 'meeting' || o.item.meeting.mode !== 'organizer') throw new Error('not organiser');
  return { host: o.host, meeting: o.item.meeting as OrganizerMeeting, state: o.state };
}

function add(
  host: OfficeHost,
  meeting: OrganizerMeeting,
  overrides: Partial<Parameters<typeof addPlanToMeeting>[0]> = {},
) {
  return addPlanToMeeting({
    api: addinApi,
    host,
    meeting,
    planId: plan.id,
    addAttendees: false,
    today: TODAY,
    tabOrigin: TAB_ORIGIN,
    ...overrides,
  });
}

async function problemOf(promise: Promise<unknown>): Promise<AddinProblem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AddinProblem)) throw new Error(`expected an AddinProblem, got ${String(error)}`);
  return error;
}

function textOf(html: string): string {
  const out: string[] = [];
  const walk = (node: { type: string; data?: string; children?: unknown[] }) => {
    if (node.type === 'text') out.push(node.data ?? '');
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(parseDocument(html) as unknown as { type: string; children: unknown[] });
  return out.join('');
}

describe('the organiser adds a plan to the meeting', () => {
  it('inserts the summary at the cursor, attaches the PDF of the API, and tags the meeting', async () => {
    const before = '<p>Agenda: pricing</p>';
    const after = '<p>Dial-in below</p>';
    const { host, meeting, state } = await organizerMeeting({ body: before + after, cursor: before.length });
    const result = await add(host, meeting);

    // The summary sits between what was before and after the cursor, and links back to the plan.
    expect(state.body.startsWith(before)).toBe(true);
    expect(state.body.endsWith(after)).toBe(true);
    const inserted = state.body.slice(before.length, state.body.length - after.length);
    expect(inserted).toMatch(/^<table role="presentation"/);
    expect(textOf(inserted)).toContain(plan.title);
    expect(inserted).toContain(`href="${TAB_ORIGIN}/#/plans/${plan.id}"`);

    // The attachment is the API's one-page PDF, byte for byte, under the server's file name.
    const direct = await fetch(`${api.url}/api/plans/${plan.id}/pdf?paper=letter`);
    const pdfBytes = new Uint8Array(await direct.arrayBuffer());
    expect(state.attachments).toHaveLength(1);
    const [attachment] = state.attachments;
    expect(Buffer.from(attachment?.base64 ?? '', 'base64').equals(Buffer.from(pdfBytes))).toBe(true);
    expect((await PDFDocument.load(pdfBytes)).getPageCount()).toBe(1);
    expect(attachment?.name).toBe(`${plan.title} (Letter).pdf`);
    expect(attachment?.isInline).toBe(false);
    expect(result.attachment).toEqual({ id: 'attachment-1', name: attachment?.name, bytes: pdfBytes.length });

    expect(state.savedCustomProperties).toEqual({
      [PLAN_ID_TAG]: plan.id,
      [PLAN_VERSION_TAG]: String(plan.version),
    });
    expect(result.tag).toEqual({ planId: plan.id, version: plan.version });
    // Not asked to invite: the attendees are left alone.
    expect(state.calls).not.toContain('requiredAttendees.addAsync');
    expect(state.requiredAttendees).toEqual([]);
  });

  it('invites the vendor and partner people, never the buyer, the organiser or anyone twice', async () => {
    const { host, meeting, state } = await organizerMeeting({
      requiredAttendees: [{ displayName: 'Sofia', emailAddress: 'SOFIA.MARINO@contoso.example' }],
    });
    const result = await add(host, meeting, { addAttendees: true });
    const emails = state.requiredAttendees.map((a) => a.emailAddress.toLowerCase());
    const expected = plan.people
      .filter((p) => p.side !== 'buyer')
      .map((p) => p.email.toLowerCase())
      .filter((email) => email !== ORGANIZER);
    expect(new Set(emails)).toEqual(new Set(expected));
    expect(emails).toHaveLength(expected.length);
    for (const buyer of BUYERS) expect(emails).not.toContain(buyer);
    expect(emails).not.toContain(ORGANIZER);
    expect(result.attendeesAdded).toHaveLength(expected.length - 1);
    expect(result.attendeesAlreadyThere).toBe(2);
  });

  it('the plan attendees of a mutual action plan are the vendor side only', () => {
    const map = { ...plan, motion: 'map' as const };
    expect(planAttendees(map).map((a) => a.emailAddress)).toEqual(
      plan.people.filter((p) => p.side === 'vendor').map((p) => p.email),
    );
  });

  it('inserts plain text when the meeting body is plain text', async () => {
    const { host, meeting, state } = await organizerMeeting({ bodyType: 'text', body: 'Agenda\n' });
    const result = await add(host, meeting);
    expect(result.bodyType).toBe('text');
    expect(state.body).toContain(`Agenda\n${plan.title}\n`);
    expect(state.body).toContain(`${TAB_ORIGIN}/#/plans/${plan.id}`);
    expect(state.body).not.toContain('<table');
  });

  it('puts plan text in as data: markup in a title stays text', async () => {
    const title = 'Q4 <img src=x onerror=alert(1)> & "friends"';
    const created = await call<Plan>(api.url, 'POST', '/api/plans', { json: { ...demoPlan(TODAY), title } });
    expect(created.status).toBe(201);
    const { host, meeting, state } = await organizerMeeting();
    await add(host, meeting, { planId: created.body.id });
    const document = parseDocument(state.body);
    const images: unknown[] = [];
    const find = (node: { name?: string; children?: unknown[] }) => {
      if (node.name === 'img' || node.name === 'script') images.push(node);
      for (const child of (node.children ?? []) as (typeof node)[]) find(child);
    };
    find(document as unknown as { children: unknown[] });
    expect(images).toEqual([]);
    expect(textOf(state.body)).toContain(title);
    expect(state.attachments[0]?.name).toBe('Q4 img src=x onerror=alert(1) & friends (Letter).pdf');
  });
});

describe('error paths', () => {
  it('a plan that does not exist (404): the no-access message, and the meeting is untouched', async () => {
    const { host, meeting, state } = await organizerMeeting({ body: '<p>x</p>' });
    const problem = await problemOf(add(host, meeting, { planId: 'no-such-plan' }));
    expect(problem.kind).toBe('no-access');
    expect(problem.message).toBe(NO_ACCESS_MESSAGE);
    expect(problem.done).toEqual([]);
    expect(state.calls).toEqual([]);
    expect(state.body).toBe('<p>x</p>');
  });

  it('a plan the API refuses (403): the same message', async () => {
    const refusing: typeof fetch = async (input, init) =>
      String(input).includes('/api/plans/')
        ? new Response(
            JSON.stringify({ status: 403, code: 'FORBIDDEN', detail: 'Only the plan people read it.' }),
            { status: 403, headers: { 'content-type': 'application/problem+json' } },
          )
        : fetch(input, init);
    const { host, meeting, state } = await organizerMeeting();
    const problem = await problemOf(
      add(host, meeting, { api: createAddinApi({ baseUrl: `${api.url}/api`, fetch: refusing }) }),
    );
    expect(problem).toMatchObject({ kind: 'no-access', message: NO_ACCESS_MESSAGE });
    expect(state.calls).toEqual([]);
  });

  it("a PDF over Outlook's limit: refused before the meeting is touched, with its size", async () => {
    expect(MAX_ATTACHMENT_BYTES).toBe(26_148_864);
    expect(base64Length(MAX_ATTACHMENT_BYTES)).toBe(MAX_BASE64_CHARS);
    expect(base64Length(MAX_ATTACHMENT_BYTES + 1)).toBeGreaterThan(MAX_BASE64_CHARS);
    const bigPdf = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    bigPdf.set(new TextEncoder().encode('%PDF-1.7\n'));
    const big: AddinApi = { ...addinApi, getPlanPdf: async () => ({ bytes: bigPdf }) };
    const { host, meeting, state } = await organizerMeeting();
    const problem = await problemOf(add(host, meeting, { api: big }));
    expect(problem.kind).toBe('too-large');
    expect(problem.message).toBe(
      "The plan's PDF is 24.9 MB: larger than Outlook accepts for an attachment added by an add-in (25 MB). Nothing was changed in the meeting.",
    );
    expect(state.calls).toEqual([]);
  });

  it('a server that announces a PDF over the limit is not read: the download is cancelled', async () => {
    let pulls = 0;
    let cancelled = false;
    const announcing: typeof fetch = async () =>
      new Response(
        // An endless body: reading it all would never end.
        new ReadableStream({
          pull(controller) {
            pulls += 1;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
          cancel() {
            cancelled = true;
          },
        }),
        {
          status: 200,
          headers: { 'content-type': 'application/pdf', 'content-length': String(MAX_ATTACHMENT_BYTES + 10) },
        },
      );
    const error = await createAddinApi({ fetch: announcing })
      .getPlanPdf('p', MAX_ATTACHMENT_BYTES)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfTooLargeError);
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThanOrEqual(2);
  });

  it("Outlook's own AttachmentSizeExceeded says what was already done", async () => {
    const { host, meeting } = await organizerMeeting({
      failures: { addFileAttachmentFromBase64Async: { name: 'AttachmentSizeExceeded', message: 'Too big' } },
    });
    const problem = await problemOf(add(host, meeting));
    expect(problem.kind).toBe('too-large');
    expect(problem.done).toEqual(['The plan summary was inserted at the cursor.']);
  });

  it('a host without Mailbox 1.8: a message naming the set, before anything is asked of the API', async () => {
    let asked = false;
    const watching: AddinApi = {
      ...addinApi,
      getPlan: async (id) => {
        asked = true;
        return addinApi.getPlan(id);
      },
    };
    const { host, meeting, state } = await organizerMeeting({ requirementSets: { Mailbox: '1.7' } });
    const problem = await problemOf(add(host, meeting, { api: watching }));
    expect(problem.kind).toBe('requirement');
    expect(problem.message).toBe(
      "This version of Outlook can't attach the plan as a PDF: Co-Sell Plan needs the Mailbox 1.8 requirement set. Update Outlook, or use Outlook on the web or the new Outlook for Windows.",
    );
    expect(asked).toBe(false);
    expect(state.calls).toEqual([]);
  });

  it('Outlook refusing the attendees: the message says the summary and PDF are already in', async () => {
    const { host, meeting, state } = await organizerMeeting({
      failures: { 'requiredAttendees.addAsync': { name: 'NumberOfRecipientsExceeded', message: 'Too many' } },
    });
    const problem = await problemOf(add(host, meeting, { addAttendees: true }));
    expect(problem.kind).toBe('outlook');
    expect(problem.message).toContain('NumberOfRecipientsExceeded');
    expect(problem.done).toEqual([
      'The plan summary was inserted at the cursor.',
      `${state.attachments[0]?.name} was attached.`,
    ]);
    expect(state.savedCustomProperties).toEqual({});
  });

  it('an email instead of a meeting, and no item at all', async () => {
    expect((await outlook({ item: 'message' })).item.kind).toBe('not-a-meeting');
    expect((await outlook({ item: 'none' })).item.kind).toBe('no-item');
  });

  it('a page not served over https is refused (the summary links back to it)', async () => {
    const { host, meeting } = await organizerMeeting();
    const problem = await problemOf(add(host, meeting, { tabOrigin: 'http://127.0.0.1:7071' }));
    expect(problem.kind).toBe('not-https');
  });
});

describe('the attendee opens the plan of the meeting', () => {
  async function attendee(options: Omit<SimulatedOfficeOptions, 'item'>) {
    const o = await outlook({ item: 'attendee', ...options });
    if (o.item.kind !== 'meeting' || o.item.meeting.mode !== 'attendee') throw new Error('not attendee');
    return { host: o.host, meeting: o.item.meeting as AttendeeMeeting };
  }

  it("finds the plan from the link the organiser's summary put into the body", async () => {
    // The body as the organiser's add-in wrote it (custom properties do not travel to attendees).
    const { host: orgHost, meeting: orgMeeting, state } = await organizerMeeting();
    await add(orgHost, orgMeeting);
    const { host, meeting } = await attendee({ body: `<p>Hi all</p>${state.body}` });
    const found = await findMeetingPlan({ api: addinApi, host, meeting, tabOrigin: TAB_ORIGIN });
    expect(found.source).toBe('body');
    expect(found.plan.id).toBe(plan.id);
    expect(found.plan.title).toBe(plan.title);
    expect(found.tabUrl).toBe(`${TAB_ORIGIN}/#/plans/${plan.id}`);
  });

  it('prefers the tag when this mailbox has one', async () => {
    const { host, meeting } = await attendee({ customProperties: { [PLAN_ID_TAG]: plan.id } });
    expect((await findMeetingPlan({ api: addinApi, host, meeting, tabOrigin: TAB_ORIGIN })).source).toBe(
      'tag',
    );
  });

  it('a meeting without a plan, and a plan the attendee may not see', async () => {
    const none = await attendee({ body: '<p>Just a call</p>' });
    expect(await problemOf(findMeetingPlan({ api: addinApi, ...none, tabOrigin: TAB_ORIGIN }))).toMatchObject(
      { kind: 'not-tagged', message: NOT_TAGGED_MESSAGE },
    );
    const hidden = await attendee({ body: `<a href="${TAB_ORIGIN}/#/plans/not-yours">plan</a>` });
    expect(
      await problemOf(findMeetingPlan({ api: addinApi, ...hidden, tabOrigin: TAB_ORIGIN })),
    ).toMatchObject({ kind: 'no-access', message: NO_ACCESS_MESSAGE });
  });

  it('needs Mailbox 1.3 to read the body', async () => {
    const old = await attendee({ requirementSets: { Mailbox: '1.2' } });
    const problem = await problemOf(findMeetingPlan({ api: addinApi, ...old, tabOrigin: TAB_ORIGIN }));
    expect(problem.message).toContain('Mailbox 1.3 requirement set');
  });
});

describe('reading the plan link from a body', () => {
  it('takes links to the tab only, also behind Safe Links and HTML entities', () => {
    const safe = `https://nam02.safelinks.protection.outlook.com/?url=${encodeURIComponent(`${TAB_ORIGIN}/#/plans/p-1`)}&amp;data=x`;
    expect(planIdFromBody(`<a href="${safe}">Open</a>`, TAB_ORIGIN)).toBe('p-1');
    expect(planIdFromBody(`<a href='${TAB_ORIGIN}/#/plans/p%2D2'>x</a>`, TAB_ORIGIN)).toBe('p-2');
    expect(
      planIdFromBody(
        `<a href="https://cosell.contoso.com.evil.example/#/plans/x">a</a><a href="${TAB_ORIGIN}/#/plans/p-3/history">b</a><a href="${TAB_ORIGIN}/#/plans/p-4">c</a>`,
        TAB_ORIGIN,
      ),
    ).toBe('p-4');
    expect(planIdFromBody('<p>no link</p><a href="javascript:alert(1)">x</a>', TAB_ORIGIN)).toBeUndefined();
  });

  it('makes attachment names Outlook accepts', () => {
    expect(attachmentName({ title: 'A/B: "plan"?' })).toBe('Co-sell plan - A B plan.pdf');
    expect(attachmentName({ title: 'x' }, 'Server name.pdf')).toBe('Server name.pdf');
    expect(attachmentName({ title: 'y'.repeat(400) }).length).toBe(255);
  });
});
