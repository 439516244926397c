import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import {
  type BuildResult,
  buildAppPackage,
  checkEntraApp,
  checkIcons,
  checkManifest,
  checkManifestUrls,
  checkProductionManifest,
  checkValidDomains,
  collectUrls,
  fillTemplate,
  findPlaceholders,
  GRAPH_PERMISSIONS,
  isHostInValidDomains,
  latestBundledTeamsSchema,
  listStages,
  MANIFEST_DIR,
  parseEnv,
  TEAMS_HOST_CLIENT_IDS,
  validateManifestSchema,
} from '../../manifest/scripts/app-package.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
type Built = Extract<BuildResult, { ok: true }>;
type JsonObject = Record<string, unknown>;

/** `${{NAME}}`, the template placeholder syntax (written this way so it is not mistaken for a JS template). */
function placeholder(name: string): string {
  return ['$', '{{', name, '}}'].join('');
}

/** A deep copy of the built manifest that a negative test may break. */
function copyOf(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function child(value: unknown, key: string | number): JsonObject {
  const next: unknown = Array.isArray(value)
    ? value[Number(key)]
    : (value as JsonObject | undefined)?.[String(key)];
  if (next === null || typeof next !== 'object') throw new Error(`no object at ${key}`);
  return next as JsonObject;
}

async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(await readFile(file), {
    lazyEntries: true,
    strictFileNames: true,
  });
  const entries = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.set(entry.fileName, Buffer.concat(chunks));
  }
  return entries;
}

function png(
  width: number,
  height: number,
  paint: (x: number, y: number) => [number, number, number, number],
) {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      image.data.set(paint(x, y), (y * width + x) * 4);
    }
  }
  return PNG.sync.write(image);
}

let outDir = '';
const built = new Map<string, BuildResult>();
const stages = listStages();

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'cosell-app-package-'));
  for (const stage of stages) built.set(stage, await buildAppPackage({ stage, outDir }));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function stageResult(stage: string): Built {
  const result = built.get(stage);
  if (!result?.ok) throw new Error(`the ${stage} package did not build (see "builds with no problem")`);
  return result;
}

describe('the app package templates', () => {
  it('has a local, a dev and a prod stage', () => {
    expect(stages).toEqual(['dev', 'local', 'prod']);
  });

  it('uses the newest manifest schema that @microsoft/app-manifest ships', async () => {
    const template = JSON.parse(await readFile(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'));
    const latest = latestBundledTeamsSchema();
    expect(latest.version).toBe('1.30');
    expect(template.$schema).toBe(latest.url);
    expect(template.manifestVersion).toBe(latest.version);
  });

  it('explains every Graph permission it asks for in ENTRA.md and pre-authorizes every host client', async () => {
    const doc = await readFile(path.join(MANIFEST_DIR, 'ENTRA.md'), 'utf8');
    const template = await readFile(path.join(MANIFEST_DIR, 'entra-app.template.json'), 'utf8');
    for (const permission of GRAPH_PERMISSIONS) {
      expect(doc, permission.name).toContain(`\`${permission.name}\``);
      expect(template, permission.name).toContain(permission.id);
    }
    for (const client of TEAMS_HOST_CLIENT_IDS) expect(template, client.name).toContain(client.appId);
  });
});

describe.each(stages)('the %s package', (stage) => {
  it('builds with no problem (a broken manifest shows the schema message here)', () => {
    const result = built.get(stage);
    expect(result?.ok ? [] : result?.problems).toEqual([]);
  });

  it('validates against the bundled v1.30 schema with AppManifestUtils.validateAgainstSchema', async () => {
    expect(await validateManifestSchema(stageResult(stage).manifest)).toEqual([]);
  });

  it('carries the Outlook add-in (`extensions`, issue 9) and the schema checks it', async () => {
    const { manifest } = stageResult(stage);
    expect(manifest.extensions).toHaveLength(1);
    const broken = copyOf(manifest);
    const ribbons = child(child(broken, 'extensions'), 0).ribbons as JsonObject[];
    child(ribbons, 0).contexts = ['meetingDetailsOrganiser'];
    expect((await validateManifestSchema(broken)).join('\n')).toMatch(
      /\/extensions\/0\/ribbons\/0\/contexts\/0 must be equal to one of the allowed values/,
    );
  });

  it('loads every URL over https from a host that validDomains covers', () => {
    const { manifest } = stageResult(stage);
    const paths = collectUrls(manifest).map((url) => url.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/developer/websiteUrl',
        '/developer/privacyUrl',
        '/developer/termsOfUseUrl',
        '/configurableTabs/0/configurationUrl',
        '/staticTabs/0/contentUrl',
        '/staticTabs/0/websiteUrl',
        '/webApplicationInfo/resource',
        '/description/full',
      ]),
    );
    expect(checkManifestUrls(manifest)).toEqual([]);
    expect(checkValidDomains(manifest.validDomains)).toEqual([]);
  });

  it('has a channel and meeting tab for shared and private channels, and a personal "My co-sell" tab', () => {
    const { manifest } = stageResult(stage);
    const [tab] = manifest.configurableTabs ?? [];
    expect(tab?.scopes).toEqual(['team', 'groupChat']);
    expect(tab?.context).toEqual(
      expect.arrayContaining([
        'channelTab',
        'privateChatTab',
        'meetingSidePanel',
        'meetingChatTab',
        'meetingDetailsTab',
      ]),
    );
    expect(tab?.context).not.toContain('meetingStage');
    expect(tab?.configurationUrl).toMatch(/^https:\/\/[^/]+\/#\/config$/);
    expect(manifest.supportedChannelTypes).toEqual(['sharedChannels', 'privateChannels']);
    expect(manifest.supportsChannelFeatures).toBe('tier1');
    const personal = manifest.staticTabs?.find((item) => item.scopes.includes('personal'));
    expect(personal).toMatchObject({ name: 'My co-sell', context: ['personalTab'] });
    expect(personal?.contentUrl).toMatch(/\/#\/my$/);
    expect(personal?.websiteUrl).toMatch(/^https:\/\//);
    expect(manifest.showLoadingIndicator).toBe(true);
    expect(manifest.developer.name.length).toBeLessThanOrEqual(32);
  });

  it('declares SSO as api://<tab host>/<client id> and a registration that agrees with it', () => {
    const { manifest, entraApp } = stageResult(stage);
    const host = new URL(manifest.configurableTabs?.[0]?.configurationUrl ?? '').host;
    const clientId = manifest.webApplicationInfo?.id;
    expect(manifest.webApplicationInfo?.resource).toBe(`api://${host}/${clientId}`);
    expect(entraApp.identifierUris).toEqual([manifest.webApplicationInfo?.resource]);
    expect(entraApp.signInAudience).toBe('AzureADMultipleOrgs');
    expect(checkEntraApp(entraApp, manifest)).toEqual([]);
  });

  it('has a 192×192 colour icon with a symbol and a 32×32 outline that is only white or transparent', async () => {
    const zip = await readZip(stageResult(stage).zipPath);
    const color = PNG.sync.read(zip.get('color.png') ?? Buffer.alloc(0));
    const outline = PNG.sync.read(zip.get('outline.png') ?? Buffer.alloc(0));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const colours = new Set<string>();
    for (let i = 0; i < color.data.length; i += 4) colours.add(color.data.subarray(i, i + 4).join());
    expect(colours.size).toBeGreaterThan(2);
    let white = 0;
    let transparent = 0;
    let other = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255 && a === 255) white++;
      else other++;
    }
    expect({ other, hasWhite: white > 0, hasTransparent: transparent > 0 }).toEqual({
      other: 0,
      hasWhite: true,
      hasTransparent: true,
    });
  });

  it('zips exactly manifest.json, color.png and outline.png at the root', async () => {
    const result = stageResult(stage);
    const zip = await readZip(result.zipPath);
    expect([...zip.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(zip.get('manifest.json')?.toString('utf8') ?? '')).toEqual(result.manifest);
    expect(zip.get('color.png')).toEqual(await readFile(path.join(MANIFEST_DIR, 'icons', 'color.png')));
    expect(zip.get('outline.png')).toEqual(await readFile(path.join(MANIFEST_DIR, 'icons', 'outline.png')));
  });
});

describe('production rules', () => {
  it('pass for prod and catch the pre-production name of dev and the tunnel of local', () => {
    expect(checkProductionManifest(stageResult('prod').manifest)).toEqual([]);
    expect(checkProductionManifest(stageResult('dev').manifest).join('\n')).toMatch(
      /\/name\/short: "Co-Sell Plan \(dev\)" carries a pre-production word/,
    );
    const tunnelled = copyOf(stageResult('prod').manifest);
    tunnelled.validDomains = ['abc123-7071.euw.devtunnels.ms'];
    expect(checkProductionManifest(tunnelled).join('\n')).toMatch(/devtunnels\.ms is a development host/);
  });
});

describe('a broken manifest is reported with the schema message', () => {
  it('lower-case groupchat scope', async () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(child(broken, 'configurableTabs'), 0).scopes = ['groupchat'];
    const messages = await validateManifestSchema(broken);
    expect(messages.join('\n')).toMatch(
      /\/configurableTabs\/0\/scopes\/0 must be equal to one of the allowed values/,
    );
  });

  it('missing developer.privacyUrl', async () => {
    const broken = copyOf(stageResult('dev').manifest);
    delete child(broken, 'developer').privacyUrl;
    expect((await validateManifestSchema(broken)).join('\n')).toMatch(
      /\/developer must have required property 'privacyUrl'/,
    );
  });

  it('fails the build, writes no zip, and names the problem', async () => {
    const template = JSON.parse(await readFile(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'));
    child(child(template, 'configurableTabs'), 0).scopes = ['groupchat'];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cosell-broken-'));
    try {
      const result = await buildAppPackage({ stage: 'dev', outDir: dir, template });
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems.join('\n')).toMatch(
        /must be equal to one of the allowed values/,
      );
      expect(existsSync(path.join(dir, 'appPackage.dev.zip'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a schema that is not bundled is an error, not a download', async () => {
    const broken = copyOf(stageResult('dev').manifest);
    broken.$schema = 'https://example.net/teams.schema.json';
    expect(await validateManifestSchema(broken)).toEqual([
      '/$schema https://example.net/teams.schema.json is not a Teams schema that @microsoft/app-manifest ships',
    ]);
  });
});

describe('the URL check catches what the schema lets through', () => {
  it('a javascript: URL as the SSO resource (the schema only wants a string)', async () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(broken, 'webApplicationInfo').resource = 'javascript:alert(1)';
    expect(await validateManifestSchema(broken)).toEqual([]);
    expect(checkManifestUrls(broken)).toEqual([
      '/webApplicationInfo/resource: "javascript:alert(1)" must be api://<tab domain>/<Entra client id>',
    ]);
  });

  it('a javascript: URL as a website URL', () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(child(broken, 'staticTabs'), 0).websiteUrl = 'javascript:alert(document.cookie)';
    expect(checkManifestUrls(broken)).toEqual([
      '/staticTabs/0/websiteUrl: "javascript:alert(document.cookie)" must be an https:// URL (Teams loads nothing else)',
    ]);
  });

  it('an http:// content URL (the schema accepts http)', async () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(child(broken, 'staticTabs'), 0).contentUrl = 'http://cosell-dev.contoso.com/#/my';
    expect(await validateManifestSchema(broken)).toEqual([]);
    expect(checkManifestUrls(broken).join('\n')).toMatch(
      /\/staticTabs\/0\/contentUrl: .* must be an https:\/\/ URL/,
    );
  });

  it('a URL on a domain outside validDomains, in a field or in free text', () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(child(broken, 'configurableTabs'), 0).configurationUrl = 'https://evil.example.net/#/config';
    child(broken, 'description').full = 'Help: https://help.example.org/cosell.';
    expect(checkManifestUrls(broken)).toEqual([
      '/description/full: host help.example.org of "https://help.example.org/cosell" is not covered by validDomains [cosell-dev.contoso.com]',
      '/configurableTabs/0/configurationUrl: host evil.example.net of "https://evil.example.net/#/config" is not covered by validDomains [cosell-dev.contoso.com]',
    ]);
  });

  it('an SSO resource on another host or with another client id', () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(broken, 'webApplicationInfo').resource =
      'api://Other.contoso.com/00000000-0000-0000-0000-000000000001';
    expect(checkManifestUrls(broken)).toEqual([
      '/webApplicationInfo/resource: the host in "api://Other.contoso.com/00000000-0000-0000-0000-000000000001" must be lower case',
      '/webApplicationInfo/resource: "api://Other.contoso.com/00000000-0000-0000-0000-000000000001" must end with webApplicationInfo.id',
      '/webApplicationInfo/resource: host Other.contoso.com of "api://Other.contoso.com/00000000-0000-0000-0000-000000000001" is not covered by validDomains',
    ]);
  });
});

describe('validDomains follow the Teams rules', () => {
  it('a wildcard stands for exactly one label', () => {
    expect(isHostInValidDomains('tab.contoso.com', ['*.contoso.com'])).toBe(true);
    expect(isHostInValidDomains('contoso.com', ['*.contoso.com'])).toBe(false);
    expect(isHostInValidDomains('a.b.contoso.com', ['*.contoso.com'])).toBe(false);
    expect(isHostInValidDomains('a.b.contoso.com', ['*.*.contoso.com'])).toBe(true);
    expect(isHostInValidDomains('Tab.Contoso.com', ['tab.contoso.com'])).toBe(true);
    expect(isHostInValidDomains('tab.contoso.com.evil.net', ['tab.contoso.com'])).toBe(false);
    expect(isHostInValidDomains('tab.contoso.com:8443', ['tab.contoso.com:443'])).toBe(false);
  });

  it('refuses schemes, paths, partial or trailing wildcards, and wildcards over shared hosts', () => {
    expect(
      checkValidDomains([
        'https://tab.contoso.com',
        'tab.contoso.com/app',
        'Tab.contoso.com',
        'ta*.contoso.com',
        'tab.*.com',
        '*.com',
        '*.azurewebsites.net',
        'teams.microsoft.com',
        'cosell.contoso.com',
        '*.cosell.contoso.com',
      ]),
    ).toEqual([
      '/validDomains/0: "https://tab.contoso.com" must be a host name without scheme or path',
      '/validDomains/1: "tab.contoso.com/app" must be a host name without scheme or path',
      '/validDomains/2: "Tab.contoso.com" must be lower case',
      '/validDomains/3: "ta*.contoso.com": a wildcard must be a whole label, like *.contoso.com',
      '/validDomains/4: "tab.*.com": wildcards may only lead, like *.contoso.com',
      '/validDomains/5: "*.com": a wildcard over a top-level domain covers hosts you do not control',
      '/validDomains/6: "*.azurewebsites.net": a wildcard over a shared host covers hosts you do not control',
      '/validDomains/7: "teams.microsoft.com" is Microsoft\'s domain, not the app\'s',
    ]);
  });
});

describe('placeholders', () => {
  it('a value is filled in after parsing, so quotes cannot break the JSON', () => {
    const { value, missing } = fillTemplate({ a: [`x ${placeholder(' NAME ')} y`] }, { NAME: 'say "hi"' });
    expect(value).toEqual({ a: ['x say "hi" y'] });
    expect(missing).toEqual([]);
  });

  it('a placeholder without a value is reported by name and place', () => {
    expect(fillTemplate({ a: { b: `https://${placeholder('TAB_DOMAIN')}/` } }, {}).missing).toEqual([
      { name: 'TAB_DOMAIN', path: '/a/b' },
    ]);
  });

  it('a leftover placeholder in a manifest is reported', async () => {
    const broken = copyOf(stageResult('dev').manifest);
    child(broken, 'name').full = `Co-Sell Plan ${placeholder('X')}`;
    expect(findPlaceholders(broken)).toEqual([{ name: 'X', path: '/name/full' }]);
    expect(await checkManifest(broken)).toContain(
      `/name/full: placeholder ${placeholder('X')} was not filled`,
    );
  });

  it('the build names the missing variable and the env file to set it in', async () => {
    const template = JSON.parse(await readFile(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'));
    child(template, 'name').full = placeholder('NOT_SET_ANYWHERE');
    const result = await buildAppPackage({ stage: 'dev', outDir, template });
    expect(result.ok ? [] : result.problems).toEqual([
      `manifest.template.json /name/full: no value for ${placeholder('NOT_SET_ANYWHERE')} (set it in manifest/env/.env.dev)`,
    ]);
  });

  it('env files are KEY=VALUE lines; a malformed line names its line', () => {
    expect(parseEnv('# c\n\nA=1\nB = "two words"\nC=\'x\'', 'f')).toEqual({ A: '1', B: 'two words', C: 'x' });
    expect(() => parseEnv('A=1\nnot a pair', '.env.dev')).toThrow('.env.dev:2: expected KEY=VALUE');
  });
});

describe('the icon check', () => {
  const TEAL: [number, number, number, number] = [11, 110, 117, 255];
  const WHITE: [number, number, number, number] = [255, 255, 255, 255];
  const CLEAR: [number, number, number, number] = [0, 0, 0, 0];
  const page = png(192, 192, (x, y) => (x >= 60 && x < 132 && y >= 48 && y < 144 ? WHITE : TEAL));
  const outline = png(32, 32, (x) => (x > 2 && x < 30 ? WHITE : CLEAR));

  it('accepts a symbol inside the padding of a solid square, and a white-on-transparent outline', () => {
    expect(checkIcons({ color: page, outline })).toEqual([]);
  });

  it('reports grey or half-transparent outline pixels', () => {
    const grey = png(32, 32, (x, y) => {
      if (x === 5 && y === 5) return [200, 200, 200, 255];
      if (x === 6) return [255, 255, 255, 128];
      return x > 2 && x < 30 ? WHITE : CLEAR;
    });
    expect(checkIcons({ color: page, outline: grey })).toEqual([
      'the outline icon must be white (255,255,255) and opaque or fully transparent; 33 pixels are not: ' +
        '(6,0) is rgba(255,255,255,128), (6,1) is rgba(255,255,255,128), (6,2) is rgba(255,255,255,128)',
    ]);
  });

  it('reports wrong sizes, blank icons and a symbol that runs to the edge', () => {
    expect(checkIcons({ color: png(96, 96, () => TEAL), outline: png(16, 16, () => CLEAR) })).toEqual([
      'the colour icon is 96×96; Teams wants 192×192',
      'the outline icon is 16×16; Teams wants 32×32',
    ]);
    expect(checkIcons({ color: png(192, 192, () => TEAL), outline: png(32, 32, () => CLEAR) })).toEqual([
      'the colour icon is (nearly) blank: no symbol on the background',
      'the outline icon has no white pixels: the symbol is missing',
    ]);
    const toTheEdge = png(192, 192, (x, y) => (x >= 10 && x < 182 && y >= 60 && y < 130 ? WHITE : TEAL));
    const padded = png(32, 32, (x, y) => (x > 8 && x < 24 && y > 8 && y < 24 ? WHITE : CLEAR));
    expect(checkIcons({ color: toTheEdge, outline: padded })).toEqual([
      'the colour icon symbol comes 10 px from the edge; keep ~48 px (Teams crops corners)',
      'the outline icon symbol should fill the 32×32 square (no padding)',
    ]);
  });
});

describe('the Entra registration check', () => {
  it('reports a host client that is not pre-authorized and a single-tenant audience', () => {
    const { manifest, entraApp } = stageResult('dev');
    const broken = copyOf(entraApp);
    broken.signInAudience = 'AzureADMyOrg';
    const api = child(broken, 'api');
    api.preAuthorizedApplications = (api.preAuthorizedApplications as JsonObject[]).filter(
      (item) => item.appId !== 'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
    );
    expect(checkEntraApp(broken, manifest)).toEqual([
      'entra-app signInAudience must be AzureADMultipleOrgs: partner users sign in from their tenant',
      'entra-app must pre-authorize Outlook web (bc59ab01-8403-45c6-8796-ac3ef710b3e3) for access_as_user',
    ]);
  });
});

describe('npm run package', () => {
  const canIsolateNetwork = (() => {
    try {
      execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it('-- --env dev writes manifest/build/appPackage.dev.zip', async () => {
    const { stdout } = await run('npm', ['run', 'package', '--', '--env', 'dev'], { cwd: ROOT });
    expect(stdout).toContain('manifest/build/appPackage.dev.zip: manifest.json, color.png, outline.png');
    const zip = await readZip(path.join(ROOT, 'manifest', 'build', 'appPackage.dev.zip'));
    expect([...zip.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it.skipIf(!canIsolateNetwork)('works with no network at all (the schema is never downloaded)', async () => {
    const script = path.join(ROOT, 'manifest', 'scripts', 'package.mjs');
    const { stdout } = await run('unshare', ['-rn', process.execPath, script, '--env', 'prod'], {
      cwd: ROOT,
    });
    expect(stdout).toContain('manifest/build/prod/manifest.json is valid');
  });

  it('-- --env nope fails and lists the stages', async () => {
    const failure = await run('npm', ['run', 'package', '--', '--env', 'nope'], { cwd: ROOT }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('Unknown stage "nope": expected one of dev, local, prod');
  });

  it('without --env prints the usage', async () => {
    const failure = await run('npm', ['run', 'package'], { cwd: ROOT }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('Usage: npm run package -- --env <stage>');
  });
});
