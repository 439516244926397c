import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import type { HostPageConfig, LegacyContext } from './protocol';

/*
 * An https server that plays the Teams web client for Chromium. teams-js answers only a parent on an
 * https origin in its list (teams.microsoft.com is one), so the browser is told to resolve
 * teams.microsoft.com to this server (`--host-resolver-rules`) and to accept the self-signed
 * certificate made here with openssl. The page it serves frames the tab and speaks teams-js's
 * postMessage protocol (host-page.ts).
 */

export const TEAMS_HOSTNAME = 'teams.microsoft.com';
export const TEAMS_ORIGIN = `https://${TEAMS_HOSTNAME}`;

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface TeamsHostEmulator {
  /** The loopback port the https server listens on (the browser reaches it as https://teams.microsoft.com). */
  port: number;
  /** Chromium flags: teams.microsoft.com resolves to this server, and its certificate is accepted. */
  chromiumArgs: string[];
  /** The host page framing the tab with this context (at https://teams.microsoft.com/). */
  url(config: HostPageConfig): string;
  close(): Promise<void>;
}

/** A self-signed certificate for teams.microsoft.com, made for this run and deleted with the server. */
function makeCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${TEAMS_HOSTNAME}`,
      '-addext',
      `subjectAltName=DNS:${TEAMS_HOSTNAME}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

function hostPageScript(): string {
  const source = readFileSync(path.join(HERE, 'host-page.ts'), 'utf8');
  return transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
}

function hostPageHtml(config: HostPageConfig): string {
  // JSON inside <script>: "<" is escaped so no value can close the element.
  const json = JSON.stringify(config).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Microsoft Teams (emulated)</title><link rel="icon" href="data:,"></head>
  <body>
    <script type="application/json" id="host-config">${json}</script>
    <script type="module" src="/_emulator/host-page.js"></script>
  </body>
</html>`;
}

export async function startTeamsHostEmulator(): Promise<TeamsHostEmulator> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'teams-host-emulator-'));
  const { key, cert } = makeCertificate(dir);
  const script = hostPageScript();
  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', TEAMS_ORIGIN);
    if (url.pathname === '/_emulator/host-page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(script);
      return;
    }
    const encoded = url.searchParams.get('config');
    if (url.pathname === '/' && encoded) {
      const config = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as HostPageConfig;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(hostPageHtml(config));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    chromiumArgs: [
      `--host-resolver-rules=MAP ${TEAMS_HOSTNAME} 127.0.0.1:${port}`,
      '--ignore-certificate-errors',
    ],
    url: (config) =>
      `${TEAMS_ORIGIN}/?config=${Buffer.from(JSON.stringify(config), 'utf8').toString('base64url')}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** The ids of the emulated tenant, team and user: made up, in the shapes Teams uses. */
export const EMULATED = {
  tenantId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  teamGroupId: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
  teamId: '19:3kTeam0ContosoCoSell@thread.tacv2',
  userObjectId: '2c4e6a8b-0d1f-4a3c-9e5b-7d6f8a0b2c4e',
  userPrincipalName: 'megan.bowen@contoso.example',
  userDisplayName: 'Megan Bowen',
  teamName: 'Contoso Co-Sell',
} as const;

/**
 * The context Teams gives a tab in a shared channel of the vendor's team, for a vendor user (the
 * channel's own tenant). Override what a test needs: the channel, the frame context, the theme.
 */
export function sharedChannelContext(overrides: Partial<LegacyContext> = {}): LegacyContext {
  return {
    locale: 'en-us',
    theme: 'default',
    frameContext: 'content',
    hostClientType: 'web',
    hostName: 'Teams',
    entityId: 'cosell-plans',
    appSessionId: randomUUID(),
    sessionId: randomUUID(),
    tid: EMULATED.tenantId,
    userObjectId: EMULATED.userObjectId,
    userPrincipalName: EMULATED.userPrincipalName,
    loginHint: EMULATED.userPrincipalName,
    userDisplayName: EMULATED.userDisplayName,
    teamId: EMULATED.teamId,
    teamName: EMULATED.teamName,
    channelId: '19:northwind-deal@thread.tacv2',
    channelName: 'Northwind deal',
    channelType: 'Shared',
    channelRelativeUrl: '/sites/ContosoCoSell-Northwinddeal/Shared Documents/Northwind deal',
    hostTeamTenantId: EMULATED.tenantId,
    hostTeamGroupId: EMULATED.teamGroupId,
    ...overrides,
  };
}
