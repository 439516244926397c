import { type IsoDate, type Plan, renderPlanEmailHtml, renderPlanEmailText } from '@cosell/shared';
import { ApiError } from '../api/client';
import { planHref } from '../routing';
import { type AddinApi, PdfTooLargeError } from './addin-api';
import {
  type AttendeeMeeting,
  type MeetingAttendee,
  OfficeCallError,
  type OfficeHost,
  type OrganizerMeeting,
} from './office-host';

/*
 * What the Outlook add-in does with a meeting (issue 9), written against the seam of office-host.ts so it
 * runs the same against Outlook and against the simulated host of the tests:
 *   organiser  insert the plan's one-page summary at the cursor (the email-safe renderer the cadence invites
 *              use; plan text is data), attach the one-page PDF, add the plan's vendor and partner people as
 *              required attendees if asked (never the buyer), tag the meeting with the plan id and version;
 *   attendee   find the plan of the meeting and show it read-only.
 * Everything that can fail before the meeting is touched (access, the PDF and its size) is checked first.
 */

/** The custom properties the add-in sets on the organiser's meeting. */
export const PLAN_ID_TAG = 'cosellPlanId';
export const PLAN_VERSION_TAG = 'cosellPlanVersion';

/**
 * Outlook's limit for `addFileAttachmentFromBase64Async` (Mailbox 1.8): "The maximum length of the encoded
 * string is 34,865,152 characters. This corresponds to a maximum attachment size of 25 MB before Base64
 * encoding" (Outlook API reference, @types/office-js). The largest file whose Base64 fits is 26,148,864 bytes.
 */
export const MAX_BASE64_CHARS = 34_865_152;
export const MAX_ATTACHMENT_BYTES = (MAX_BASE64_CHARS / 4) * 3;
/** Outlook: the attachment name is limited to 255 characters. */
export const MAX_ATTACHMENT_NAME = 255;

export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

export interface Requirement {
  set: string;
  version: string;
  /** What the add-in can't do without it, as the end of "This version of Outlook can't …". */
  needsIt: string;
}

/**
 * The requirement sets each pane needs (also declared in the manifest's `extensions`): the organiser's
 * command needs Mailbox 1.8 (Base64 attachments; 1.1–1.3 cover the body, attendees and custom properties),
 * the attendee's needs Mailbox 1.3 (reading the body in HTML).
 */
export const REQUIREMENTS: Record<'organizer' | 'attendee', readonly Requirement[]> = {
  organizer: [
    { set: 'Mailbox', version: '1.3', needsIt: 'put the plan into the meeting body' },
    { set: 'Mailbox', version: '1.8', needsIt: 'attach the plan as a PDF' },
  ],
  attendee: [{ set: 'Mailbox', version: '1.3', needsIt: 'read the meeting to find its plan' }],
};

export type ProblemKind =
  | 'requirement'
  | 'no-meeting'
  | 'no-access'
  | 'too-large'
  | 'not-tagged'
  | 'outlook'
  | 'service'
  | 'not-https';

/** A problem shown to the person, with what was already done to the meeting when it happened. */
export class AddinProblem extends Error {
  readonly kind: ProblemKind;
  readonly done: readonly string[];
  constructor(kind: ProblemKind, message: string, done: readonly string[] = []) {
    super(message);
    this.name = 'AddinProblem';
    this.kind = kind;
    this.done = done;
  }
}

export const NO_ACCESS_MESSAGE =
  "You can't open this plan: it doesn't exist, or you are not one of its people or a member of a channel that shows it. Ask the plan's owner to add you.";
export const NOT_A_MEETING_MESSAGE =
  'Co-Sell Plan works with meetings. Open a meeting (not an email) in Outlook, then choose the Co-Sell Plan command again.';
export const NOT_TAGGED_MESSAGE =
  'This meeting does not carry a co-sell plan. The organiser can add one with "Add co-sell plan".';

/** The first requirement the host lacks, as a problem naming the set; undefined when all are there. */
export function checkRequirements(
  host: OfficeHost,
  mode: 'organizer' | 'attendee',
): AddinProblem | undefined {
  const missing = REQUIREMENTS[mode].find((r) => !host.supports(r.set, r.version));
  if (!missing) return undefined;
  return new AddinProblem(
    'requirement',
    `This version of Outlook can't ${missing.needsIt}: Co-Sell Plan needs the ${missing.set} ${missing.version} requirement set. Update Outlook, or use Outlook on the web or the new Outlook for Windows.`,
  );
}

/** The link back to the plan in the tab: `https://<tab host>/#/plans/<id>`. */
export function planTabUrl(tabOrigin: string, planId: string): string {
  return `${tabOrigin.replace(/\/+$/, '')}/${planHref(planId)}`;
}

/** The people to invite: the plan's vendor and partner people (partners only in a co-sell plan), never the buyer. */
export function planAttendees(plan: Plan): MeetingAttendee[] {
  const seen = new Set<string>();
  const attendees: MeetingAttendee[] = [];
  for (const person of plan.people) {
    const invited = person.side === 'vendor' || (person.side === 'partner' && plan.motion === 'co-sell');
    const key = person.email.toLowerCase();
    if (!invited || seen.has(key)) continue;
    seen.add(key);
    attendees.push({ displayName: `${person.firstName} ${person.lastName}`, emailAddress: person.email });
  }
  return attendees;
}

/** The plan's attendees who are not already required attendees and are not the organiser. */
export function attendeesToAdd(
  plan: Plan,
  existing: readonly MeetingAttendee[],
  organizerEmail: string | undefined,
): MeetingAttendee[] {
  const present = new Set(existing.map((a) => a.emailAddress.toLowerCase()));
  if (organizerEmail) present.add(organizerEmail.toLowerCase());
  return planAttendees(plan).filter((a) => !present.has(a.emailAddress.toLowerCase()));
}

/** A file name Outlook and every OS accept: no path or reserved characters, at most 255 characters. */
export function attachmentName(plan: Pick<Plan, 'title'>, suggested?: string): string {
  const base = (suggested?.replace(/\.pdf$/i, '') || `Co-sell plan - ${plan.title}`)
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const name = base === '' ? 'Co-sell plan' : base;
  return `${name.slice(0, MAX_ATTACHMENT_NAME - '.pdf'.length).trimEnd()}.pdf`;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function tooLarge(bytes: number | undefined, done: readonly string[]): AddinProblem {
  const size = bytes === undefined ? "The plan's PDF is" : `The plan's PDF is ${megabytes(bytes)} MB:`;
  return new AddinProblem(
    'too-large',
    `${size} larger than Outlook accepts for an attachment added by an add-in (25 MB). ${
      done.length === 0 ? 'Nothing was changed in the meeting.' : ''
    }`.trim(),
    done,
  );
}

function serviceProblem(error: unknown, done: readonly string[] = []): AddinProblem {
  if (error instanceof AddinProblem) return error;
  if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
    return new AddinProblem('no-access', NO_ACCESS_MESSAGE, done);
  }
  if (error instanceof ApiError) return new AddinProblem('service', error.detail, done);
  if (error instanceof PdfTooLargeError) return tooLarge(error.bytes, done);
  if (error instanceof OfficeCallError) {
    return new AddinProblem('outlook', `Outlook could not do this (${error.code}): ${error.message}`, done);
  }
  return new AddinProblem('service', error instanceof Error ? error.message : String(error), done);
}

export interface AddPlanOptions {
  api: AddinApi;
  host: OfficeHost;
  meeting: OrganizerMeeting;
  planId: string;
  addAttendees: boolean;
  /** Today, for the health shown in the summary (the caller's clock). */
  today: IsoDate;
  /** The tab's origin, `https://<tab host>`: the summary links back to the plan there. */
  tabOrigin: string;
}

export interface AddPlanResult {
  plan: Plan;
  bodyType: 'html' | 'text';
  attachment: { id: string; name: string; bytes: number };
  attendeesAdded: MeetingAttendee[];
  /** The plan's attendees who were already on the meeting (or are the organiser). */
  attendeesAlreadyThere: number;
  tag: { planId: string; version: number };
}

/** Puts the plan into the organiser's meeting; throws `AddinProblem` with what was done before a failure. */
export async function addPlanToMeeting(options: AddPlanOptions): Promise<AddPlanResult> {
  const { api, host, meeting, planId } = options;
  const missing = checkRequirements(host, 'organizer');
  if (missing) throw missing;
  if (!/^https:\/\/[^/]+$/.test(options.tabOrigin)) {
    throw new AddinProblem(
      'not-https',
      `The add-in must be served over https (it is at ${options.tabOrigin}); the summary links back to the plan there.`,
    );
  }
  const done: string[] = [];

  let plan: Plan;
  let pdf: Awaited<ReturnType<AddinApi['getPlanPdf']>>;
  try {
    plan = await api.getPlan(planId);
    pdf = await api.getPlanPdf(planId, MAX_ATTACHMENT_BYTES);
  } catch (error) {
    throw serviceProblem(error);
  }
  // Checked before calling Outlook, which would only say AttachmentSizeExceeded after the upload.
  if (base64Length(pdf.bytes.length) > MAX_BASE64_CHARS) throw tooLarge(pdf.bytes.length, done);
  const base64 = toBase64(pdf.bytes);
  const name = attachmentName(plan, pdf.fileName);
  const tabUrl = planTabUrl(options.tabOrigin, plan.id);

  try {
    const bodyType = await meeting.bodyType();
    const summary =
      bodyType === 'html'
        ? renderPlanEmailHtml(plan, { today: options.today, tabUrl })
        : renderPlanEmailText(plan, { today: options.today, tabUrl });
    await meeting.insertAtCursor(summary, bodyType);
    done.push('The plan summary was inserted at the cursor.');

    let attachmentId: string;
    try {
      attachmentId = await meeting.attachBase64(base64, name);
    } catch (error) {
      if (error instanceof OfficeCallError && error.code === 'AttachmentSizeExceeded') {
        throw tooLarge(pdf.bytes.length, done);
      }
      throw error;
    }
    done.push(`${name} was attached.`);

    let added: MeetingAttendee[] = [];
    let alreadyThere = 0;
    if (options.addAttendees) {
      const existing = await meeting.requiredAttendees();
      added = attendeesToAdd(plan, existing, host.userEmail());
      alreadyThere = planAttendees(plan).length - added.length;
      if (added.length > 0) await meeting.addRequiredAttendees(added);
      done.push(`${added.length} attendee${added.length === 1 ? ' was' : 's were'} added.`);
    }

    const tags = await meeting.loadTags();
    tags.set(PLAN_ID_TAG, plan.id);
    tags.set(PLAN_VERSION_TAG, String(plan.version));
    await tags.save();

    return {
      plan,
      bodyType,
      attachment: { id: attachmentId, name, bytes: pdf.bytes.length },
      attendeesAdded: added,
      attendeesAlreadyThere: alreadyThere,
      tag: { planId: plan.id, version: plan.version },
    };
  } catch (error) {
    throw serviceProblem(error, done);
  }
}

const SAFE_LINKS_HOST = /(^|\.)safelinks\.protection\.outlook\.com$/i;

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos' || lower === '#39') return "'";
    const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The plan a meeting body links to: the first `href` to `<tabOrigin>/#/plans/<id>`, also behind Outlook's
 * Safe Links wrapper. Links to any other host are ignored, so a body can't point the pane at a look-alike.
 */
export function planIdFromBody(html: string, tabOrigin: string): string | undefined {
  for (const match of html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    let url: URL;
    try {
      url = new URL(decodeEntities(match[1] ?? match[2] ?? '').trim());
      if (SAFE_LINKS_HOST.test(url.hostname)) url = new URL(url.searchParams.get('url') ?? '');
    } catch {
      continue;
    }
    if (url.origin !== tabOrigin) continue;
    const id = /^#\/plans\/([^/?#]+)\/?$/.exec(url.hash)?.[1];
    if (!id) continue;
    try {
      return decodeURIComponent(id);
    } catch {}
  }
  return undefined;
}

export interface MeetingPlan {
  plan: Plan;
  /** Where the plan id came from: the add-in's tag on this mailbox's item, or the link in the body. */
  source: 'tag' | 'body';
  tabUrl: string;
}

/**
 * The plan of the meeting an attendee is looking at. Custom properties stay in the organiser's mailbox
 * (Outlook does not send them to attendees), so for an attendee the plan link in the body is what tells.
 */
export async function findMeetingPlan(options: {
  api: AddinApi;
  host: OfficeHost;
  meeting: AttendeeMeeting | OrganizerMeeting;
  tabOrigin: string;
}): Promise<MeetingPlan> {
  const { api, host, meeting, tabOrigin } = options;
  const missing = checkRequirements(host, meeting.mode);
  if (missing) throw missing;
  let planId: string | undefined;
  let source: MeetingPlan['source'] = 'tag';
  try {
    planId = (await meeting.loadTags()).get(PLAN_ID_TAG);
    if (!planId && meeting.mode === 'attendee') {
      planId = planIdFromBody(await meeting.bodyHtml(), tabOrigin);
      source = 'body';
    }
  } catch (error) {
    throw serviceProblem(error);
  }
  if (!planId) throw new AddinProblem('not-tagged', NOT_TAGGED_MESSAGE);
  try {
    const plan = await api.getPlan(planId);
    return { plan, source, tabUrl: planTabUrl(tabOrigin, plan.id) };
  } catch (error) {
    throw serviceProblem(error);
  }
}
