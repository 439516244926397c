import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildAppPackage, listStages } from '../../manifest/scripts/app-package.mjs';
import { REQUIREMENTS } from '../../tab/src/addin/meeting-plan';

/*
 * The Outlook add-in in the unified manifest (issue 9; teams-store-checklist M365-14…18): one extension
 * with a task-pane runtime on the tab's host, a command in the organiser's meeting window and one in the
 * attendee's, the requirement sets the code needs (tab/src/addin/meeting-plan.ts REQUIREMENTS), icons that
 * the tab really serves at the sizes declared, and no mobile declaration the platform would not honour.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
type Json = Record<string, unknown>;
type Manifest = Json & {
  extensions?: Json[];
  validDomains?: string[];
  authorization?: { permissions?: { resourceSpecific?: { name: string; type: string }[] } };
};

let outDir = '';
const built = new Map<string, BuildResult>();
const stages = listStages();

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'cosell-addin-manifest-'));
  for (const stage of stages) built.set(stage, await buildAppPackage({ stage, outDir }));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function manifestOf(stage: string): Manifest {
  const result = built.get(stage);
  if (!result?.ok) throw new Error(`the ${stage} package did not build: ${JSON.stringify(result)}`);
  return JSON.parse(JSON.stringify(result.manifest)) as Manifest;
}

interface Control {
  id: string;
  label: string;
  actionId: string;
  icons: { size: number; url: string }[];
  supertip: { title: string; description: string };
}
interface Ribbon {
  contexts: string[];
  requirements?: { capabilities?: { name: string; minVersion?: string }[] };
  tabs: { builtInTabId?: string; groups: { controls: Control[] }[]; customMobileRibbonGroups?: unknown[] }[];
}
interface Extension {
  requirements: {
    scopes: string[];
    formFactors: string[];
    capabilities: { name: string; minVersion: string }[];
  };
  runtimes: { id: string; code: { page: string }; actions: { id: string; type: string }[] }[];
  ribbons: Ribbon[];
}

function extensionOf(manifest: Manifest): Extension {
  const [extension] = manifest.extensions ?? [];
  if (!extension) throw new Error('no extensions[0]');
  return extension as unknown as Extension;
}

const controls = (ribbon: Ribbon) => ribbon.tabs.flatMap((tab) => tab.groups.flatMap((g) => g.controls));

/** Contexts Outlook on mobile offers add-in commands in (outlook-mobile-addins, add-mobile-support). */
const MOBILE_CONTEXTS = ['mailRead', 'onlineMeetingDetailsOrganizer', 'logEventMeetingDetailsAttendee'];

/** Store rule M365-18: a ribbon that declares mobile may only use contexts Outlook mobile supports. */
function mobileProblems(extension: Extension): string[] {
  return extension.ribbons.flatMap((ribbon, index) => {
    const formFactors = extension.requirements.formFactors;
    if (!formFactors.includes('mobile')) return [];
    const wrong = ribbon.contexts.filter((c) => !MOBILE_CONTEXTS.includes(c));
    return wrong.length > 0 ? [`ribbons/${index}: ${wrong.join(', ')} is not offered on Outlook mobile`] : [];
  });
}

describe.each(stages)('the Outlook add-in of the %s package', (stage) => {
  it('validates offline with AppManifestUtils.validateAgainstSchema (the bundled v1.30 schema)', async () => {
    const manifest = manifestOf(stage);
    const schemaFile = path.join(
      path.dirname(fileURLToPath(import.meta.resolve('@microsoft/app-manifest'))),
      'json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
    );
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    // @ts-expect-error the manifest is checked by the schema itself; its static type is not known here.
    expect(await AppManifestUtils.validateAgainstSchema(manifest, schema)).toEqual([]);
    expect(manifest.manifestVersion).toBe('1.30');
  });

  it('opens addin.html on the tab host from "Add co-sell plan" (organiser) and "Open co-sell plan" (attendee)', () => {
    const manifest = manifestOf(stage);
    const domain = manifest.validDomains?.[0];
    const extension = extensionOf(manifest);
    expect(extension.runtimes).toHaveLength(1);
    const [runtime] = extension.runtimes;
    expect(runtime?.code.page).toBe(`https://${domain}/addin.html`);
    const actions = new Map(runtime?.actions.map((a) => [a.id, a.type]));

    const byContext = new Map(extension.ribbons.map((r) => [r.contexts.join(','), r]));
    expect([...byContext.keys()].sort()).toEqual(['meetingDetailsAttendee', 'meetingDetailsOrganizer']);
    const organizer = controls(byContext.get('meetingDetailsOrganizer') as Ribbon);
    const attendee = controls(byContext.get('meetingDetailsAttendee') as Ribbon);
    expect(organizer.map((c) => c.label)).toEqual(['Add co-sell plan']);
    expect(attendee.map((c) => c.label)).toEqual(['Open co-sell plan']);
    for (const control of [...organizer, ...attendee]) {
      expect(actions.get(control.actionId), control.id).toBe('openPage');
      expect(control.supertip.title).toBe(control.label);
    }
  });

  it('declares the requirement sets the code checks: Mailbox 1.3 for all, 1.8 for the organiser', () => {
    const extension = extensionOf(manifestOf(stage));
    expect(extension.requirements.scopes).toEqual(['mail']);
    const highest = (list: readonly { version: string }[]) =>
      [...list].map((r) => r.version).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))[
        list.length - 1
      ];
    expect(extension.requirements.capabilities).toEqual([
      { name: 'Mailbox', minVersion: highest(REQUIREMENTS.attendee) },
    ]);
    const organizer = extension.ribbons.find((r) => r.contexts.includes('meetingDetailsOrganizer'));
    expect(organizer?.requirements?.capabilities).toEqual([
      { name: 'Mailbox', minVersion: highest(REQUIREMENTS.organizer) },
    ]);
    expect(highest(REQUIREMENTS.organizer)).toBe('1.8');
  });

  it('declares desktop only: Outlook mobile offers neither meeting context (store rule M365-18)', () => {
    const extension = extensionOf(manifestOf(stage));
    expect(extension.requirements.formFactors).toEqual(['desktop']);
    expect(mobileProblems(extension)).toEqual([]);
    const withMobile = {
      ...extension,
      requirements: { ...extension.requirements, formFactors: ['desktop', 'mobile'] },
    };
    expect(mobileProblems(withMobile)).toEqual([
      'ribbons/0: meetingDetailsOrganizer is not offered on Outlook mobile',
      'ribbons/1: meetingDetailsAttendee is not offered on Outlook mobile',
    ]);
  });

  it('asks to read and write the open item only (MailboxItem.ReadWrite.User): body, attachments, attendees', () => {
    expect(manifestOf(stage).authorization?.permissions?.resourceSpecific).toEqual([
      { name: 'MailboxItem.ReadWrite.User', type: 'Delegated' },
    ]);
  });

  it('points every command icon at a PNG the tab serves, of the size declared, 16, 32 and 80 included', () => {
    const manifest = manifestOf(stage);
    const domain = manifest.validDomains?.[0];
    for (const ribbon of extensionOf(manifest).ribbons) {
      for (const control of controls(ribbon)) {
        expect(control.icons.map((i) => i.size)).toEqual(expect.arrayContaining([16, 32, 80]));
        for (const icon of control.icons) {
          const url = new URL(icon.url);
          expect(url.origin).toBe(`https://${domain}`);
          const file = path.join(ROOT, 'tab/public', decodeURIComponent(url.pathname));
          expect(existsSync(file), file).toBe(true);
          const png = PNG.sync.read(readFileSync(file));
          expect([png.width, png.height], url.pathname).toEqual([icon.size, icon.size]);
        }
      }
    }
  });
});
