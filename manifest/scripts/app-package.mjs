// The Teams app package: fill the templates from a stage's env file, validate the result offline, zip it.
// Used by `npm run package -- --env <stage>` (package.mjs) and by test/manifest. Types: app-package.d.mts.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';

export const MANIFEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const STAGE_NAME = /^[a-z][a-z0-9-]*$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_SCHEMA_PREFIX = 'https://developer.microsoft.com/json-schemas/teams/';
/** Zip entries get this timestamp, so the same inputs give a byte-identical package. */
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

/** The Teams, Outlook and Microsoft 365 clients that must be pre-authorized for tab SSO (teams-platform.md §3.1). */
export const TEAMS_HOST_CLIENT_IDS = Object.freeze([
  { name: 'Teams desktop and mobile', appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' },
  { name: 'Teams web', appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346' },
  { name: 'Microsoft 365 web', appId: '4765445b-32c6-49b0-83e6-1d93765276ca' },
  { name: 'Microsoft 365 desktop', appId: '0ec893e0-5785-4de6-99da-4ed124e5296c' },
  { name: 'Microsoft 365 mobile and Outlook desktop', appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c' },
  { name: 'Outlook web', appId: 'bc59ab01-8403-45c6-8796-ac3ef710b3e3' },
  { name: 'Outlook mobile', appId: '27922004-5251-4030-b22d-91ecd9a37ea4' },
]);

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Microsoft Graph permission ids by name (they are the same in every tenant); ENTRA.md says why each is asked. */
export const GRAPH_PERMISSIONS = Object.freeze([
  { name: 'openid', type: 'Scope', id: '37f7f235-527c-4136-accd-4a02d197296e' },
  { name: 'profile', type: 'Scope', id: '14dad69e-099b-42c9-810b-d002981feec1' },
  { name: 'offline_access', type: 'Scope', id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182' },
  { name: 'User.Read', type: 'Scope', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d' },
  { name: 'Calendars.ReadWrite', type: 'Scope', id: '1ec239c2-d7c9-4623-a91a-a9775856bb36' },
  { name: 'Sites.Selected', type: 'Role', id: '883ea226-0bf2-4a8f-9f9d-92c9162a727d' },
  { name: 'Mail.Send', type: 'Role', id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96' },
  { name: 'TeamsActivity.Send', type: 'Role', id: 'a267235f-af13-44dc-8385-c1dc93023186' },
]);

/**
 * Hosts nobody controls alone: a wildcard over them, or in production any entry under them, would let
 * other people's pages run as this app (Store rule SEC-1).
 */
const SHARED_HOST_SUFFIXES = [
  'azurewebsites.net',
  'azureedge.net',
  'azurestaticapps.net',
  'azurefd.net',
  'cloudapp.net',
  'windows.net',
  'microsoft.com',
  'microsoftonline.com',
  'onmicrosoft.com',
  'devtunnels.ms',
  'ngrok.io',
  'ngrok.app',
  'ngrok-free.app',
  'trycloudflare.com',
  'loca.lt',
];
/** Hosts a production package must not point at: this machine, tunnels, the default Azure host names. */
const DEV_ONLY_HOSTS = [
  'localhost',
  '127.0.0.1',
  'devtunnels.ms',
  'ngrok.io',
  'ngrok.app',
  'ngrok-free.app',
  'trycloudflare.com',
  'loca.lt',
  'azurewebsites.net',
];
const PREPRODUCTION_WORD = /\b(beta|dev|preview|uat|test|local|staging)\b/i;

// ---------------------------------------------------------------------------------------------------------
// Stages and env files

/**
 * Parses KEY=VALUE lines; `#` starts a comment line; a value may be wrapped in single or double quotes.
 * @param {string} text
 * @param {string} source  shown in error messages
 * @returns {Record<string, string>}
 */
export function parseEnv(text, source) {
  /** @type {Record<string, string>} */
  const values = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) {
      throw new Error(`${source}:${index + 1}: expected KEY=VALUE (upper-case KEY), found "${line}"`);
    }
    const value = match[2] ?? '';
    const quoted = /^(["'])(.*)\1$/.exec(value);
    values[match[1]] = quoted ? (quoted[2] ?? '') : value;
  });
  return values;
}

/**
 * The stages that have an env file `env/.env.<stage>`.
 * @param {string} [manifestDir]
 * @returns {string[]}
 */
export function listStages(manifestDir = MANIFEST_DIR) {
  const envDir = path.join(manifestDir, 'env');
  if (!existsSync(envDir)) return [];
  return readdirSync(envDir)
    .map((file) => /^\.env\.([a-z][a-z0-9-]*)$/.exec(file)?.[1])
    .filter((stage) => stage !== undefined)
    .sort();
}

/**
 * Reads `env/.env.<stage>`, then `env/.env.<stage>.user` (git-ignored, optional) over it.
 * @param {string} stage
 * @param {string} [manifestDir]
 */
export async function loadStageEnv(stage, manifestDir = MANIFEST_DIR) {
  const stages = listStages(manifestDir);
  if (!STAGE_NAME.test(stage) || !stages.includes(stage)) {
    throw new Error(
      `Unknown stage "${stage}": expected one of ${stages.join(', ')} ` +
        `(each stage is a file ${path.relative(process.cwd(), path.join(manifestDir, 'env'))}/.env.<stage>)`,
    );
  }
  const files = [path.join(manifestDir, 'env', `.env.${stage}`)];
  const userFile = path.join(manifestDir, 'env', `.env.${stage}.user`);
  if (existsSync(userFile)) files.push(userFile);
  /** @type {Record<string, string>} */
  let values = {};
  for (const file of files) {
    values = { ...values, ...parseEnv(await readFile(file, 'utf8'), path.relative(process.cwd(), file)) };
  }
  return { stage, values, files };
}

// ---------------------------------------------------------------------------------------------------------
// Templates

/** @param {string} key */
function pointerSegment(key) {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Calls `visit` for every string in a JSON value with its JSON pointer and the key that holds it.
 * @param {unknown} value
 * @param {(text: string, pointer: string, key: string) => void} visit
 * @param {string} [pointer]
 * @param {string} [key]
 */
function walkStrings(value, visit, pointer = '', key = '') {
  if (typeof value === 'string') visit(value, pointer, key);
  else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      walkStrings(item, visit, `${pointer}/${index}`, key);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) {
      walkStrings(child, visit, `${pointer}/${pointerSegment(childKey)}`, childKey);
    }
  }
}

/**
 * Replaces `${{NAME}}` in every string of a parsed JSON template. Values go in after parsing, so a value
 * with quotes or backslashes cannot break the JSON.
 * @param {unknown} template
 * @param {Readonly<Record<string, string>>} values
 */
export function fillTemplate(template, values) {
  /** @type {{ name: string; path: string }[]} */
  const missing = [];
  /** @param {unknown} node @param {string} pointer @returns {unknown} */
  const fill = (node, pointer) => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name) => {
        const value = values[name];
        if (value === undefined || value === '') {
          missing.push({ name, path: pointer });
          return whole;
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => fill(item, `${pointer}/${index}`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, child]) => [key, fill(child, `${pointer}/${pointerSegment(key)}`)]),
      );
    }
    return node;
  };
  return { value: fill(template, ''), missing };
}

/**
 * Every `${{…}}` left in a JSON value (a template filled without a value, or a hand-edited manifest).
 * @param {unknown} value
 */
export function findPlaceholders(value) {
  /** @type {{ name: string; path: string }[]} */
  const found = [];
  walkStrings(value, (text, pointer) => {
    for (const match of text.matchAll(/\$\{\{([^}]*)\}\}/g)) {
      found.push({ name: (match[1] ?? '').trim(), path: pointer });
    }
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Schema validation, offline

function appManifestBuildDir() {
  const require = createRequire(import.meta.url);
  // The package's `main` is build/index.js; its JSON schemas ship beside it in build/json-schemas/.
  return path.dirname(require.resolve('@microsoft/app-manifest'));
}

/**
 * The bundled copy of a Teams schema URL inside @microsoft/app-manifest, or undefined when it ships none.
 * @param {string} schemaUrl
 */
export function bundledSchemaFile(schemaUrl) {
  if (!schemaUrl.startsWith(TEAMS_SCHEMA_PREFIX)) return undefined;
  const rest = schemaUrl.slice(TEAMS_SCHEMA_PREFIX.length);
  if (!/^v[0-9A-Za-z.]+\/MicrosoftTeams\.schema\.json$/.test(rest)) return undefined;
  const file = path.join(appManifestBuildDir(), 'json-schemas', 'teams', rest);
  return existsSync(file) ? file : undefined;
}

/** The newest released (not devPreview) Teams manifest schema that @microsoft/app-manifest ships. */
export function latestBundledTeamsSchema() {
  const versions = readdirSync(path.join(appManifestBuildDir(), 'json-schemas', 'teams'))
    .map((name) => /^v(\d+)\.(\d+)$/.exec(name))
    .filter((match) => match !== null)
    .map((match) => ({ major: Number(match[1]), minor: Number(match[2]) }))
    .sort((a, b) => b.major - a.major || b.minor - a.minor);
  const latest = versions[0];
  if (!latest) throw new Error('@microsoft/app-manifest ships no Teams manifest schema');
  const version = `${latest.major}.${latest.minor}`;
  return { version, url: `${TEAMS_SCHEMA_PREFIX}v${version}/MicrosoftTeams.schema.json` };
}

/**
 * Validates against the JSON schema named by `$schema`, loaded from the copy bundled with
 * @microsoft/app-manifest (never fetched: a schema it does not ship is an error, not a download).
 * @param {unknown} manifest
 * @returns {Promise<string[]>} the schema's messages, `[]` when valid
 */
export async function validateManifestSchema(manifest) {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return ['the manifest must be a JSON object'];
  }
  const schemaUrl = '$schema' in manifest ? manifest.$schema : undefined;
  if (typeof schemaUrl !== 'string')
    return ['/$schema is missing: name the Teams schema the manifest follows'];
  if (!bundledSchemaFile(schemaUrl)) {
    return [`/$schema ${schemaUrl} is not a Teams schema that @microsoft/app-manifest ships`];
  }
  // fetchSchema reads the bundled file for developer.microsoft.com Teams URLs (checked above to exist).
  const schema = await AppManifestUtils.fetchSchema(schemaUrl);
  // @ts-expect-error the manifest is checked by the schema itself; its static type is not known here.
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

// ---------------------------------------------------------------------------------------------------------
// URLs and validDomains

/**
 * Every URL in the manifest, wherever it is: strings under a key ending in Url/Uri, strings that start
 * with a scheme (`https:`, `javascript:`, `api://`…), and `scheme://…` inside free text. `$schema` is not
 * something Teams loads and is left out.
 * @param {unknown} manifest
 */
export function collectUrls(manifest) {
  /** @type {{ path: string; url: string }[]} */
  const urls = [];
  walkStrings(manifest, (text, pointer, key) => {
    if (pointer === '/$schema') return;
    const trimmed = text.trim();
    if (/(url|uri)$/i.test(key) || /^[a-z][a-z0-9+.-]*:\S/i.test(trimmed)) {
      urls.push({ path: pointer, url: trimmed });
      return;
    }
    for (const match of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi)) {
      urls.push({ path: pointer, url: match[0].replace(/[.,;:!?]+$/, '') });
    }
  });
  return urls;
}

/**
 * Teams' rule: `*` stands for exactly one label, so `*.contoso.com` covers `a.contoso.com` but neither
 * `contoso.com` nor `a.b.contoso.com`. An entry with a port only covers that port.
 * @param {string} host  a host name, or host:port
 * @param {readonly string[]} validDomains
 */
export function isHostInValidDomains(host, validDomains) {
  const [hostName = '', hostPort] = host.toLowerCase().split(':');
  const labels = hostName.split('.');
  return validDomains.some((entry) => {
    const [entryName = '', entryPort] = entry.toLowerCase().split(':');
    if (entryPort !== undefined && entryPort !== hostPort) return false;
    const entryLabels = entryName.split('.');
    return (
      entryLabels.length === labels.length &&
      entryLabels.every((label, index) =>
        label === '*' ? (labels[index] ?? '') !== '' : label === labels[index],
      )
    );
  });
}

/** @param {string} host @param {readonly string[]} suffixes */
function isUnder(host, suffixes) {
  return suffixes.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/**
 * The form of validDomains entries: host names only (no scheme, path or upper case), `*` only as a
 * whole leading label, at least two fixed labels after it, and no wildcard over a host others share.
 * @param {unknown} validDomains
 */
export function checkValidDomains(validDomains) {
  if (!Array.isArray(validDomains) || validDomains.length === 0) {
    return ['/validDomains: list the domain the tab is served from'];
  }
  /** @type {string[]} */
  const problems = [];
  validDomains.forEach((entry, index) => {
    const where = `/validDomains/${index}`;
    if (typeof entry !== 'string') {
      problems.push(`${where}: must be a host name`);
      return;
    }
    const [name = '', port] = entry.split(':');
    const labels = name.split('.');
    const fixed = labels.filter((label) => label !== '*');
    const firstFixed = labels.findIndex((label) => label !== '*');
    if (entry.includes('/') || entry.includes('://')) {
      problems.push(`${where}: "${entry}" must be a host name without scheme or path`);
    } else if (entry !== entry.toLowerCase()) {
      problems.push(`${where}: "${entry}" must be lower case`);
    } else if (port !== undefined && !/^\d{1,5}$/.test(port)) {
      problems.push(`${where}: "${entry}" has an invalid port`);
    } else if (labels.some((label) => label.includes('*') && label !== '*')) {
      problems.push(`${where}: "${entry}": a wildcard must be a whole label, like *.contoso.com`);
    } else if (firstFixed === -1 || labels.slice(firstFixed).includes('*')) {
      problems.push(`${where}: "${entry}": wildcards may only lead, like *.contoso.com`);
    } else if (!fixed.every((label) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label))) {
      problems.push(`${where}: "${entry}" is not a valid host name`);
    } else if (labels.includes('*') && fixed.length < 2) {
      problems.push(
        `${where}: "${entry}": a wildcard over a top-level domain covers hosts you do not control`,
      );
    } else if (labels.includes('*') && isUnder(fixed.join('.'), SHARED_HOST_SUFFIXES)) {
      problems.push(`${where}: "${entry}": a wildcard over a shared host covers hosts you do not control`);
    } else if (isUnder(name, ['microsoft.com', 'microsoftonline.com', 'onmicrosoft.com'])) {
      problems.push(`${where}: "${entry}" is Microsoft's domain, not the app's`);
    }
  });
  return problems;
}

/**
 * @param {unknown} value @param {string} key
 * @returns {unknown}
 */
function prop(value, key) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? /** @type {Record<string, unknown>} */ (value)[key]
    : undefined;
}

/** @param {unknown} value @returns {string[]} */
function strings(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

/**
 * Every URL Teams may load is https and on a host that validDomains covers; the SSO resource is
 * `api://<tab host>/<webApplicationInfo.id>` with a lower-case host (Android refuses upper case).
 * @param {unknown} manifest
 */
export function checkManifestUrls(manifest) {
  const validDomains = strings(prop(manifest, 'validDomains'));
  const webApplicationInfo = prop(manifest, 'webApplicationInfo');
  /** @type {string[]} */
  const problems = [];
  for (const { path: pointer, url } of collectUrls(manifest)) {
    if (pointer === '/webApplicationInfo/resource') {
      const match = /^api:\/\/([^/]+)\/([^/]+)$/.exec(url);
      if (!match?.[1]) {
        problems.push(`${pointer}: "${url}" must be api://<tab domain>/<Entra client id>`);
        continue;
      }
      if (match[1] !== match[1].toLowerCase()) {
        problems.push(`${pointer}: the host in "${url}" must be lower case`);
      }
      if (match[2] !== prop(webApplicationInfo, 'id')) {
        problems.push(`${pointer}: "${url}" must end with webApplicationInfo.id`);
      }
      if (!isHostInValidDomains(match[1], validDomains)) {
        problems.push(`${pointer}: host ${match[1]} of "${url}" is not covered by validDomains`);
      }
      continue;
    }
    /** @type {URL} */
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`${pointer}: "${url}" is not a URL`);
      continue;
    }
    if (parsed.protocol !== 'https:') {
      problems.push(`${pointer}: "${url}" must be an https:// URL (Teams loads nothing else)`);
      continue;
    }
    if (parsed.username || parsed.password) {
      problems.push(`${pointer}: "${url}" must not carry a user name or password`);
    }
    if (!isHostInValidDomains(parsed.host, validDomains)) {
      problems.push(
        `${pointer}: host ${parsed.host} of "${url}" is not covered by validDomains [${validDomains.join(', ')}]`,
      );
    }
  }
  return problems;
}

/**
 * What a production package must not carry (Store rules PKG-2, PKG-3, SEC-1): a pre-production word in
 * the name, a version that is not MAJOR.MINOR.PATCH, a localhost, tunnel or azurewebsites host.
 * @param {unknown} manifest
 */
export function checkProductionManifest(manifest) {
  /** @type {string[]} */
  const problems = [];
  for (const key of ['short', 'full']) {
    const name = prop(prop(manifest, 'name'), key);
    if (typeof name === 'string' && PREPRODUCTION_WORD.test(name)) {
      problems.push(`/name/${key}: "${name}" carries a pre-production word; a production name must not`);
    }
  }
  const version = prop(manifest, 'version');
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    problems.push(`/version: "${String(version)}" must be MAJOR.MINOR.PATCH`);
  }
  const hosts = [
    ...strings(prop(manifest, 'validDomains')).map((entry, index) => ({
      where: `/validDomains/${index}`,
      host: entry.split(':')[0] ?? '',
    })),
    ...collectUrls(manifest).map(({ path: where, url }) => ({
      where,
      host: /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url)?.[1] ?? '',
    })),
  ];
  for (const { where, host } of hosts) {
    if (isUnder(host.toLowerCase().replace(/^(\*\.)+/, ''), DEV_ONLY_HOSTS)) {
      problems.push(`${where}: ${host} is a development host (localhost, tunnel or azurewebsites.net)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Icons

/** @param {Uint8Array} bytes @param {string} label */
function decodePng(bytes, label) {
  try {
    return PNG.sync.read(Buffer.from(bytes));
  } catch (error) {
    throw new Error(
      `${label} is not a readable PNG: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Teams' icon rules: colour 192×192 on a solid or fully transparent square with the symbol inside the
 * padding; outline 32×32 with every pixel white (255,255,255) and opaque, or fully transparent.
 * @param {{ color: Uint8Array; outline: Uint8Array }} icons
 */
export function checkIcons(icons) {
  /** @type {string[]} */
  const problems = [];
  try {
    problems.push(...checkColorIcon(decodePng(icons.color, 'the colour icon')));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  try {
    problems.push(...checkOutlineIcon(decodePng(icons.outline, 'the outline icon')));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return problems;
}

/** @param {PNG} png */
function checkColorIcon(png) {
  if (png.width !== 192 || png.height !== 192) {
    return [`the colour icon is ${png.width}×${png.height}; Teams wants 192×192`];
  }
  const { data } = png;
  const pixel = (/** @type {number} */ x, /** @type {number} */ y) => {
    const i = (y * png.width + x) * 4;
    return [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
  };
  const background = pixel(0, 0);
  const backgroundAlpha = background[3] ?? 0;
  const problems = [];
  const corners = [pixel(191, 0), pixel(0, 191), pixel(191, 191)];
  if (corners.some((corner) => corner.join() !== background.join())) {
    problems.push(
      'the colour icon needs a solid or fully transparent square background (its corners differ)',
    );
  }
  if (backgroundAlpha !== 0 && backgroundAlpha !== 255) {
    problems.push('the colour icon background must be solid (opaque) or fully transparent');
  }
  let symbolPixels = 0;
  let [minX, minY, maxX, maxY] = [192, 192, -1, -1];
  for (let y = 0; y < 192; y++) {
    for (let x = 0; x < 192; x++) {
      const p = pixel(x, y);
      const isBackground = backgroundAlpha === 0 ? p[3] === 0 : p.join() === background.join();
      if (isBackground) continue;
      symbolPixels++;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  if (symbolPixels < 192 * 192 * 0.05) {
    problems.push('the colour icon is (nearly) blank: no symbol on the background');
  } else {
    const padding = Math.min(minX, minY, 191 - maxX, 191 - maxY);
    if (padding < 24) {
      problems.push(
        `the colour icon symbol comes ${padding} px from the edge; keep ~48 px (Teams crops corners)`,
      );
    }
  }
  return problems;
}

/** @param {PNG} png */
function checkOutlineIcon(png) {
  if (png.width !== 32 || png.height !== 32) {
    return [`the outline icon is ${png.width}×${png.height}; Teams wants 32×32`];
  }
  const { data } = png;
  let white = 0;
  let transparent = 0;
  let offenders = 0;
  /** @type {string[]} */
  const examples = [];
  let [minX, minY, maxX, maxY] = [32, 32, -1, -1];
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    const x = (i / 4) % 32;
    const y = Math.floor(i / 4 / 32);
    if (a === 0) transparent++;
    else if (a === 255 && r === 255 && g === 255 && b === 255) {
      white++;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    } else {
      offenders++;
      if (examples.length < 3) examples.push(`(${x},${y}) is rgba(${r},${g},${b},${a})`);
    }
  }
  const problems = [];
  if (offenders > 0) {
    problems.push(
      `the outline icon must be white (255,255,255) and opaque or fully transparent; ${offenders} ` +
        `pixels are not: ${examples.join(', ')}`,
    );
  }
  if (white === 0) problems.push('the outline icon has no white pixels: the symbol is missing');
  if (transparent === 0) problems.push('the outline icon has no transparent pixels: it is a white square');
  if (white > 0 && Math.max(maxX - minX, maxY - minY) + 1 < 28) {
    problems.push('the outline icon symbol should fill the 32×32 square (no padding)');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// The Entra app registration

/**
 * The registration body agrees with the manifest: multi-tenant, the manifest's resource as identifier
 * URI, the access_as_user scope pre-authorized for every Teams/Outlook/Microsoft 365 client, and redirect
 * URIs on the tab's host.
 * @param {unknown} entraApp
 * @param {unknown} manifest
 */
export function checkEntraApp(entraApp, manifest) {
  /** @type {string[]} */
  const problems = [];
  const resource = prop(prop(manifest, 'webApplicationInfo'), 'resource');
  const validDomains = strings(prop(manifest, 'validDomains'));
  if (prop(entraApp, 'signInAudience') !== 'AzureADMultipleOrgs') {
    problems.push(
      'entra-app signInAudience must be AzureADMultipleOrgs: partner users sign in from their tenant',
    );
  }
  if (!strings(prop(entraApp, 'identifierUris')).includes(String(resource))) {
    problems.push(
      `entra-app identifierUris must include the manifest's webApplicationInfo.resource ${resource}`,
    );
  }
  const api = prop(entraApp, 'api');
  const scopes = prop(api, 'oauth2PermissionScopes');
  const scope = Array.isArray(scopes) ? scopes.find((s) => prop(s, 'value') === 'access_as_user') : undefined;
  const scopeId = prop(scope, 'id');
  if (typeof scopeId !== 'string' || !GUID.test(scopeId) || prop(scope, 'isEnabled') !== true) {
    problems.push(
      'entra-app api.oauth2PermissionScopes needs an enabled access_as_user scope with a GUID id',
    );
  }
  const preAuthorized = prop(api, 'preAuthorizedApplications');
  for (const client of TEAMS_HOST_CLIENT_IDS) {
    const entry = Array.isArray(preAuthorized)
      ? preAuthorized.find((item) => prop(item, 'appId') === client.appId)
      : undefined;
    if (!strings(prop(entry, 'delegatedPermissionIds')).includes(String(scopeId))) {
      problems.push(`entra-app must pre-authorize ${client.name} (${client.appId}) for access_as_user`);
    }
  }
  const redirects = [
    ...strings(prop(prop(entraApp, 'web'), 'redirectUris')),
    ...strings(prop(prop(entraApp, 'spa'), 'redirectUris')),
  ];
  for (const uri of redirects) {
    const match = /^(https|brk-multihub):\/\/([^/]+)/.exec(uri);
    if (!match?.[2] || !isHostInValidDomains(match[2], validDomains)) {
      problems.push(`entra-app redirect URI ${uri} must be https:// or brk-multihub:// on a valid domain`);
    }
  }
  const known = new Map(GRAPH_PERMISSIONS.map((permission) => [permission.id, permission]));
  const access = prop(entraApp, 'requiredResourceAccess');
  for (const resourceAccess of Array.isArray(access) ? access : []) {
    if (prop(resourceAccess, 'resourceAppId') !== MICROSOFT_GRAPH_APP_ID) continue;
    const list = prop(resourceAccess, 'resourceAccess');
    for (const item of Array.isArray(list) ? list : []) {
      const permission = known.get(String(prop(item, 'id')));
      if (!permission || permission.type !== prop(item, 'type')) {
        problems.push(
          `entra-app asks Graph permission ${prop(item, 'id')} (${prop(item, 'type')}), not in GRAPH_PERMISSIONS`,
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// The whole package

/**
 * Placeholders left, the schema, URLs and validDomains: everything that can be said of the manifest alone.
 * @param {unknown} manifest
 */
export async function checkManifest(manifest) {
  const placeholders = findPlaceholders(manifest).map(
    ({ name, path: pointer }) => `${pointer}: placeholder \${{${name}}} was not filled`,
  );
  return [
    ...placeholders,
    ...(await validateManifestSchema(manifest)),
    ...checkValidDomains(prop(manifest, 'validDomains')),
    ...checkManifestUrls(manifest),
  ];
}

/** @param {string} file */
async function readJson(file) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** @param {string} stage @param {Record<string, string>} values */
function placeholderWarnings(stage, values) {
  const warnings = [];
  const domain = values.TAB_DOMAIN ?? '';
  if (/\.invalid$|(^|\.)example\.(com|net|org)$|(^|\.)contoso\.com$/.test(domain)) {
    warnings.push(
      `TAB_DOMAIN=${domain} is an example value: put your host in manifest/env/.env.${stage} ` +
        `(or .env.${stage}.user) before you upload the package`,
    );
  }
  if (/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(values.ENTRA_APP_CLIENT_ID ?? '')) {
    warnings.push(
      'ENTRA_APP_CLIENT_ID is a placeholder: register the Entra app (manifest/ENTRA.md) and set it',
    );
  }
  return warnings;
}

/**
 * Fills the templates for a stage, writes build/<stage>/manifest.json and entra-app.json, validates, and
 * on success zips manifest.json and the two icons at the zip root into build/appPackage.<stage>.zip.
 * @param {{ stage: string; manifestDir?: string; outDir?: string; template?: unknown }} options
 */
export async function buildAppPackage(options) {
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;
  const outDir = options.outDir ?? path.join(manifestDir, 'build');
  const { stage } = options;
  const env = await loadStageEnv(stage, manifestDir);
  const envHint = `manifest/env/.env.${stage}`;
  const warnings = placeholderWarnings(stage, env.values);

  const manifestTemplate =
    options.template ?? (await readJson(path.join(manifestDir, 'manifest.template.json')));
  const entraTemplate = await readJson(path.join(manifestDir, 'entra-app.template.json'));
  const filledManifest = fillTemplate(manifestTemplate, env.values);
  const filledEntra = fillTemplate(entraTemplate, env.values);
  const missing = [
    ...filledManifest.missing.map((m) => `manifest.template.json ${m.path}: no value for \${{${m.name}}}`),
    ...filledEntra.missing.map((m) => `entra-app.template.json ${m.path}: no value for \${{${m.name}}}`),
  ];
  const zipPath = path.join(outDir, `appPackage.${stage}.zip`);
  await rm(zipPath, { force: true });
  if (missing.length > 0) {
    return { ok: false, stage, warnings, problems: missing.map((line) => `${line} (set it in ${envHint})`) };
  }

  const manifest = filledManifest.value;
  const entraApp = filledEntra.value;
  const stageDir = path.join(outDir, stage);
  await mkdir(stageDir, { recursive: true });
  const manifestPath = path.join(stageDir, 'manifest.json');
  const entraAppPath = path.join(stageDir, 'entra-app.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(entraAppPath, `${JSON.stringify(entraApp, null, 2)}\n`);

  const problems = [...(await checkManifest(manifest)), ...checkEntraApp(entraApp, manifest)];
  if (stage === 'prod') problems.push(...checkProductionManifest(manifest));

  /** @type {{ name: string; data: Uint8Array }[]} */
  const iconEntries = [];
  const icons = prop(manifest, 'icons');
  for (const key of ['color', 'outline']) {
    const name = prop(icons, key);
    if (typeof name !== 'string' || !/^[\w.-]+\.png$/.test(name)) {
      problems.push(`/icons/${key}: "${String(name)}" must be a .png file name at the package root`);
      continue;
    }
    const file = path.join(manifestDir, 'icons', name);
    if (!existsSync(file)) {
      problems.push(
        `/icons/${key}: ${name} not found in manifest/icons/ (run node manifest/scripts/make-icons.mjs)`,
      );
      continue;
    }
    iconEntries.push({ name, data: await readFile(file) });
  }
  const color = iconEntries.find((entry) => entry.name === prop(icons, 'color'));
  const outline = iconEntries.find((entry) => entry.name === prop(icons, 'outline'));
  if (color && outline) problems.push(...checkIcons({ color: color.data, outline: outline.data }));

  if (problems.length > 0) return { ok: false, stage, warnings, problems, manifestPath, entraAppPath };

  /** @type {Record<string, [Uint8Array, { mtime: Date; level: 9 }]>} */
  const files = {};
  for (const entry of [{ name: 'manifest.json', data: await readFile(manifestPath) }, ...iconEntries]) {
    files[entry.name] = [new Uint8Array(entry.data), { mtime: ZIP_MTIME, level: 9 }];
  }
  const zip = zipSync(files);
  const written = Object.keys(unzipSync(zip)).sort();
  if (written.join() !== Object.keys(files).sort().join()) {
    throw new Error(`the zip holds ${written.join(', ')} instead of ${Object.keys(files).join(', ')}`);
  }
  await writeFile(zipPath, zip);
  return {
    ok: true,
    stage,
    warnings,
    manifest,
    entraApp,
    manifestPath,
    entraAppPath,
    zipPath,
    entries: Object.keys(files),
  };
}
