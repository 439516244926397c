/*
 * A simulated Outlook for the add-in's tests: the part of the `Office` global (Office.js) that
 * tab/src/addin/office-host.ts calls, with the behaviour the Outlook API reference documents
 * (@types/office-js): callback-style async calls answering `AsyncResult`, `isSetSupported` by version,
 * appointment compose (organiser) and read (attendee) forms, a body with a cursor where
 * `setSelectedDataAsync` inserts, `addFileAttachmentFromBase64Async` refusing more than 34,865,152 Base64
 * characters with `AttachmentSizeExceeded`, recipients, and custom properties kept until `saveAsync`.
 * It runs in Node (unit tests set it as `globalThis.Office`) and in Chromium (test/e2e/addin-pane.test.ts
 * bundles it with esbuild and serves it in place of https://appsforoffice.microsoft.com/lib/1/hosted/office.js).
 * What Outlook does with the body HTML (sanitising, reflowing) is not simulated: the test reads what the
 * add-in inserted, exactly.
 */

export interface SimulatedRecipient {
  displayName: string;
  emailAddress: string;
}

export interface SimulatedOfficeOptions {
  /** The open item: an organiser's meeting (compose), an attendee's (read), an email, or none. */
  item: 'organizer' | 'attendee' | 'message' | 'none';
  /** Highest supported version of each requirement set, e.g. `{ Mailbox: '1.8', NestedAppAuth: '1.1' }`. */
  requirementSets?: Record<string, string>;
  bodyType?: 'html' | 'text';
  /** The body as it is; the cursor is at `cursor` (default: the end). */
  body?: string;
  cursor?: number;
  requiredAttendees?: SimulatedRecipient[];
  customProperties?: Record<string, string>;
  userEmail?: string;
  platform?: string;
  /** Makes the named operation fail with this Outlook error (e.g. `{ 'requiredAttendees.addAsync': {…} }`). */
  failures?: Record<string, { name: string; message: string }>;
}

export interface SimulatedAttachment {
  id: string;
  name: string;
  base64: string;
  isInline: boolean;
}

export interface SimulatedOfficeState {
  body: string;
  cursor: number;
  bodyType: 'html' | 'text';
  attachments: SimulatedAttachment[];
  requiredAttendees: SimulatedRecipient[];
  /** What `saveAsync` stored (unsaved `set` calls are not here). */
  savedCustomProperties: Record<string, string>;
  /** Every Office call the add-in made, in order. */
  calls: string[];
}

/** Outlook's limit on the Base64 string of addFileAttachmentFromBase64Async (Mailbox 1.8). */
export const OUTLOOK_MAX_BASE64_CHARS = 34_865_152;

type Callback = (result: unknown) => void;

function versionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

export function createSimulatedOffice(options: SimulatedOfficeOptions): {
  Office: Record<string, unknown>;
  state: SimulatedOfficeState;
} {
  const sets = options.requirementSets ?? { Mailbox: '1.8' };
  const initialBody = options.body ?? '';
  const state: SimulatedOfficeState = {
    body: initialBody,
    cursor: options.cursor ?? initialBody.length,
    bodyType: options.bodyType ?? 'html',
    attachments: [],
    requiredAttendees: [...(options.requiredAttendees ?? [])],
    savedCustomProperties: { ...(options.customProperties ?? {}) },
    calls: [],
  };
  const AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' };
  const CoercionType = { Html: 'html', Text: 'text' };

  /** Answers like Outlook: asynchronously, with an AsyncResult. */
  function answer(operation: string, callback: Callback | undefined, run: () => unknown): void {
    state.calls.push(operation);
    const failure = options.failures?.[operation];
    setTimeout(() => {
      if (failure) {
        callback?.({ status: AsyncResultStatus.Failed, error: { ...failure, code: 9000 }, value: undefined });
        return;
      }
      try {
        callback?.({ status: AsyncResultStatus.Succeeded, value: run() });
      } catch (error) {
        const e = error as { name?: string; message?: string };
        callback?.({
          status: AsyncResultStatus.Failed,
          error: { name: e.name ?? 'GenericResponseError', message: e.message ?? String(error), code: 9000 },
          value: undefined,
        });
      }
    }, 0);
  }

  function outlookError(name: string, message: string): Error {
    const error = new Error(message);
    error.name = name;
    return error;
  }

  const customProperties = () => {
    const values: Record<string, string> = { ...state.savedCustomProperties };
    return {
      get: (name: string) => values[name],
      set: (name: string, value: string) => {
        values[name] = String(value);
      },
      remove: (name: string) => {
        delete values[name];
      },
      getAll: () => ({ ...values }),
      saveAsync: (callback?: Callback) =>
        answer('customProperties.saveAsync', callback, () => {
          if (JSON.stringify(values).length > 2500) {
            throw outlookError(
              'CustomPropertiesTooLarge',
              'custom properties are limited to 2500 characters',
            );
          }
          state.savedCustomProperties = { ...values };
        }),
    };
  };

  let attachmentCount = 0;
  const organizerItem = {
    itemType: 'appointment',
    subject: { getAsync: (callback?: Callback) => answer('subject.getAsync', callback, () => 'Weekly sync') },
    body: {
      getTypeAsync: (callback?: Callback) => answer('body.getTypeAsync', callback, () => state.bodyType),
      getAsync: (coercionType: string, callback?: Callback) =>
        answer('body.getAsync', callback, () => (coercionType === 'html' ? state.body : state.body)),
      setSelectedDataAsync: (data: string, opts: { coercionType?: string }, callback?: Callback) =>
        answer('body.setSelectedDataAsync', callback, () => {
          if (typeof data !== 'string') throw outlookError('InvalidDataFormat', 'data must be a string');
          if (opts?.coercionType === 'html' && state.bodyType !== 'html') {
            throw outlookError('InvalidDataFormat', 'HTML can only be inserted into an HTML body');
          }
          state.body = state.body.slice(0, state.cursor) + data + state.body.slice(state.cursor);
          state.cursor += data.length;
        }),
    },
    addFileAttachmentFromBase64Async: (
      base64: string,
      name: string,
      opts: { isInline?: boolean },
      callback?: Callback,
    ) =>
      answer('addFileAttachmentFromBase64Async', callback, () => {
        if (base64.length > OUTLOOK_MAX_BASE64_CHARS) {
          throw outlookError('AttachmentSizeExceeded', 'The attachment is larger than allowed.');
        }
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
          throw outlookError('InvalidAttachmentData', 'not Base64');
        }
        if (name.length > 255) throw outlookError('AttachmentNameTooLong', 'names are limited to 255');
        attachmentCount += 1;
        const id = `attachment-${attachmentCount}`;
        state.attachments.push({ id, name, base64, isInline: opts?.isInline === true });
        return id;
      }),
    requiredAttendees: {
      getAsync: (callback?: Callback) =>
        answer('requiredAttendees.getAsync', callback, () =>
          state.requiredAttendees.map((r) => ({ ...r, recipientType: 'externalUser' })),
        ),
      addAsync: (recipients: SimulatedRecipient[], callback?: Callback) =>
        answer('requiredAttendees.addAsync', callback, () => {
          if (state.requiredAttendees.length + recipients.length > 500) {
            throw outlookError('NumberOfRecipientsExceeded', 'too many recipients');
          }
          for (const r of recipients) {
            state.requiredAttendees.push({ displayName: r.displayName, emailAddress: r.emailAddress });
          }
        }),
    },
    loadCustomPropertiesAsync: (callback?: Callback) =>
      answer('loadCustomPropertiesAsync', callback, customProperties),
  };

  const attendeeItem = {
    itemType: 'appointment',
    subject: 'Weekly sync',
    body: {
      getTypeAsync: (callback?: Callback) => answer('body.getTypeAsync', callback, () => state.bodyType),
      getAsync: (_coercionType: string, callback?: Callback) =>
        answer('body.getAsync', callback, () => state.body),
    },
    requiredAttendees: state.requiredAttendees,
    loadCustomPropertiesAsync: (callback?: Callback) =>
      answer('loadCustomPropertiesAsync', callback, customProperties),
  };

  const messageItem = { itemType: 'message', subject: 'Re: pricing', body: attendeeItem.body };

  const item =
    options.item === 'organizer'
      ? organizerItem
      : options.item === 'attendee'
        ? attendeeItem
        : options.item === 'message'
          ? messageItem
          : undefined;

  const platform = options.platform ?? 'OfficeOnline';
  const Office: Record<string, unknown> = {
    HostType: { Outlook: 'Outlook', Word: 'Word', Excel: 'Excel' },
    PlatformType: { OfficeOnline: 'OfficeOnline', PC: 'PC', Mac: 'Mac' },
    AsyncResultStatus,
    CoercionType,
    MailboxEnums: { ItemType: { Message: 'message', Appointment: 'appointment' } },
    onReady: (callback?: (info: { host: string; platform: string }) => void) => {
      const info = { host: 'Outlook', platform };
      callback?.(info);
      return Promise.resolve(info);
    },
    context: {
      requirements: {
        isSetSupported: (name: string, minVersion?: string) => {
          const have = sets[name];
          return have !== undefined && versionAtLeast(have, minVersion ?? '1.1');
        },
      },
      mailbox: {
        item,
        userProfile: { emailAddress: options.userEmail ?? 'maya.okafor@vendor.example', displayName: 'Maya' },
      },
    },
  };
  return { Office, state };
}
