/// <reference types="office-js" />

/*
 * The adapter over Office.js for the Outlook add-in: the ONLY module of the tab that touches the `Office`
 * global (test/unit/addin-office-host.test.ts checks that no other file does), as teams-sdk.ts is for
 * teams-js. Office.js itself is loaded by addin.html from Microsoft's CDN, as published add-ins must.
 * Callback APIs become promises; a failed call becomes an `OfficeCallError` carrying Outlook's error name
 * (e.g. `AttachmentSizeExceeded`). No Office type leaves this file.
 *
 * Requirement sets of what is called here (Outlook API reference):
 *   Mailbox 1.1  requiredAttendees.getAsync/addAsync, loadCustomPropertiesAsync, CustomProperties.set/saveAsync,
 *                userProfile.emailAddress
 *   Mailbox 1.2  body.setSelectedDataAsync (insert at the cursor)
 *   Mailbox 1.3  body.getTypeAsync, body.getAsync
 *   Mailbox 1.8  addFileAttachmentFromBase64Async
 *   NestedAppAuth 1.1  sign-in through MSAL nested app authentication (addin-auth.ts asks `supports`)
 */

export type BodyType = 'html' | 'text';

export interface MeetingAttendee {
  displayName: string;
  emailAddress: string;
}

/** The add-in's custom properties on the item (kept per mailbox: Outlook does not send them to attendees). */
export interface MeetingTags {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  save(): Promise<void>;
}

/** The organiser's meeting window (Appointment Organizer mode, `meetingDetailsOrganizer`). */
export interface OrganizerMeeting {
  mode: 'organizer';
  bodyType(): Promise<BodyType>;
  /** Inserts at the cursor, replacing the selection if there is one. */
  insertAtCursor(content: string, type: BodyType): Promise<void>;
  /** Attaches a file given as Base64 (no data-URL prefix); answers Outlook's attachment id. */
  attachBase64(base64: string, name: string): Promise<string>;
  requiredAttendees(): Promise<MeetingAttendee[]>;
  addRequiredAttendees(attendees: readonly MeetingAttendee[]): Promise<void>;
  loadTags(): Promise<MeetingTags>;
}

/** An attendee's view of a meeting (Appointment Attendee mode, `meetingDetailsAttendee`). */
export interface AttendeeMeeting {
  mode: 'attendee';
  bodyHtml(): Promise<string>;
  loadTags(): Promise<MeetingTags>;
}

export type CurrentItem =
  | { kind: 'meeting'; meeting: OrganizerMeeting | AttendeeMeeting }
  | { kind: 'not-a-meeting'; itemType: string }
  | { kind: 'no-item' };

export interface OfficeHost {
  /** `Outlook`; the platform as Office names it (`OfficeOnline`, `PC`, `Mac`, `iOS`, `Android`…). */
  hostName: string;
  platform: string;
  /** `Office.context.requirements.isSetSupported`. */
  supports(set: string, version: string): boolean;
  /** The signed-in mailbox's address, when Outlook tells it. */
  userEmail(): string | undefined;
  currentItem(): CurrentItem;
}

/** A failed Office.js call: `code` is Outlook's error name (`AttachmentSizeExceeded`, `NumberOfAttachmentsExceeded`…). */
export class OfficeCallError extends Error {
  readonly operation: string;
  readonly code: string;
  constructor(operation: string, code: string, message: string) {
    super(`${operation} failed: ${message}`);
    this.name = 'OfficeCallError';
    this.operation = operation;
    this.code = code;
  }
}

type OfficeGlobal = typeof Office;

function officeGlobal(): OfficeGlobal | undefined {
  const candidate = (globalThis as { Office?: OfficeGlobal }).Office;
  return candidate && typeof candidate.onReady === 'function' ? candidate : undefined;
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
}

/**
 * Waits for Office.js (`Office.onReady`) and answers the Outlook host, or undefined when Office.js is not
 * on the page, or no Office host answers within `timeoutMs`, or the host is not Outlook.
 */
export async function connectToOffice(timeoutMs = 10_000): Promise<OfficeHost | undefined> {
  const office = officeGlobal();
  if (!office) return undefined;
  const info = await Promise.race([office.onReady(), timeout(timeoutMs)]);
  if (info === 'timeout' || !info || String(info.host) !== String(office.HostType.Outlook)) return undefined;
  return outlookHost(office, String(info.platform ?? ''));
}

function outlookHost(office: OfficeGlobal, platform: string): OfficeHost {
  return {
    hostName: 'Outlook',
    platform,
    supports(set, version) {
      try {
        return office.context.requirements.isSetSupported(set, version) === true;
      } catch {
        return false;
      }
    },
    userEmail() {
      const email = office.context.mailbox?.userProfile?.emailAddress;
      return typeof email === 'string' && email !== '' ? email : undefined;
    },
    currentItem() {
      const item = office.context.mailbox?.item;
      if (!item) return { kind: 'no-item' };
      if (String(item.itemType) !== String(office.MailboxEnums.ItemType.Appointment)) {
        return { kind: 'not-a-meeting', itemType: String(item.itemType) };
      }
      // In compose (organiser) forms `subject` is an object with getAsync; in read forms it is a string.
      const compose = typeof item.subject === 'object' && item.subject !== null;
      return {
        kind: 'meeting',
        meeting: compose ? organizerMeeting(office, item) : attendeeMeeting(office, item),
      };
    },
  };
}

type MailItem = NonNullable<OfficeGlobal['context']['mailbox']['item']>;

/** Runs one callback-style Office call as a promise. */
function call<T>(
  office: OfficeGlobal,
  operation: string,
  start: (callback: (result: Office.AsyncResult<T>) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start((result) => {
        if (result.status === office.AsyncResultStatus.Succeeded) resolve(result.value);
        else {
          const error = result.error;
          reject(
            new OfficeCallError(
              operation,
              String(error?.name ?? error?.code ?? 'Failed'),
              String(error?.message ?? 'Outlook reported a failure'),
            ),
          );
        }
      });
    } catch (error) {
      reject(
        new OfficeCallError(
          operation,
          'NotSupported',
          error instanceof Error ? error.message : String(error),
        ),
      );
    }
  });
}

function tagsOf(office: OfficeGlobal, properties: Office.CustomProperties): MeetingTags {
  return {
    get(name) {
      const value: unknown = properties.get(name);
      return value === undefined || value === null ? undefined : String(value);
    },
    set(name, value) {
      properties.set(name, value);
    },
    save() {
      return call<void>(office, 'customProperties.saveAsync', (done) => properties.saveAsync(done));
    },
  };
}

function loadTags(office: OfficeGlobal, item: MailItem): Promise<MeetingTags> {
  return call<Office.CustomProperties>(office, 'loadCustomPropertiesAsync', (done) =>
    item.loadCustomPropertiesAsync(done),
  ).then((properties) => tagsOf(office, properties));
}

function organizerMeeting(office: OfficeGlobal, item: MailItem): OrganizerMeeting {
  return {
    mode: 'organizer',
    async bodyType() {
      const type = await call<Office.CoercionType>(office, 'body.getTypeAsync', (done) =>
        item.body.getTypeAsync(done),
      );
      return String(type) === String(office.CoercionType.Html) ? 'html' : 'text';
    },
    insertAtCursor(content, type) {
      const coercionType = type === 'html' ? office.CoercionType.Html : office.CoercionType.Text;
      return call<void>(office, 'body.setSelectedDataAsync', (done) =>
        item.body.setSelectedDataAsync(content, { coercionType }, done),
      );
    },
    attachBase64(base64, name) {
      return call<string>(office, 'addFileAttachmentFromBase64Async', (done) =>
        item.addFileAttachmentFromBase64Async(base64, name, { isInline: false }, done),
      );
    },
    async requiredAttendees() {
      const list = await call<Office.EmailAddressDetails[]>(office, 'requiredAttendees.getAsync', (done) =>
        item.requiredAttendees.getAsync(done),
      );
      return (list ?? []).map((entry) => ({
        displayName: String(entry.displayName ?? ''),
        emailAddress: String(entry.emailAddress ?? ''),
      }));
    },
    addRequiredAttendees(attendees) {
      const recipients = attendees.map((a) => ({ displayName: a.displayName, emailAddress: a.emailAddress }));
      return call<void>(office, 'requiredAttendees.addAsync', (done) =>
        item.requiredAttendees.addAsync(recipients, done),
      );
    },
    loadTags: () => loadTags(office, item),
  };
}

function attendeeMeeting(office: OfficeGlobal, item: MailItem): AttendeeMeeting {
  return {
    mode: 'attendee',
    bodyHtml() {
      return call<string>(office, 'body.getAsync', (done) =>
        item.body.getAsync(office.CoercionType.Html, done),
      );
    },
    loadTags: () => loadTags(office, item),
  };
}
