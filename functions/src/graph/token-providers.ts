import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';

/*
 * Where the Graph client gets its bearer token. The store runs app-only: client credentials through
 * @azure/msal-node (reference/teams-platform.md §3.4), with a secret or a certificate. MSAL caches the
 * token and renews it before it expires, so asking on every request costs nothing.
 */

export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
}

/** A fixed token: for the loopback emulator, which only checks that one is sent. */
export class StaticTokenProvider implements AccessTokenProvider {
  constructor(private readonly token: string) {}
  async getAccessToken(): Promise<string> {
    return this.token;
  }
}

export type ClientCredential =
  | { kind: 'secret'; secret: string }
  /** A PEM file holding the private key and the certificate registered on the app. */
  | { kind: 'certificate'; pemFile: string };

export interface ClientCredentialSettings {
  /** e.g. https://login.microsoftonline.com, or a sovereign cloud's (https://login.microsoftonline.us). */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
  /** The Graph origin of the same cloud; the scope asked for is `<graphBaseUrl>/.default`. */
  graphBaseUrl: string;
  /** MSAL's HTTP client; tests pass one that answers without a network. */
  networkClient?: INetworkModule;
}

export class TokenAcquisitionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenAcquisitionError';
  }
}

/** The private key and certificate of a PEM file, as msal-node's `clientCertificate` wants them. */
export function certificateOf(pemFile: string): {
  privateKey: string;
  thumbprintSha256: string;
  x5c: string;
} {
  const pem = fs.readFileSync(pemFile, 'utf8');
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
    pem,
  );
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!key || !cert) {
    throw new TokenAcquisitionError(`${pemFile} must hold the private key and the certificate, both PEM`);
  }
  const thumbprintSha256 = new X509Certificate(cert[0]).fingerprint256.replace(/:/g, '').toLowerCase();
  return { privateKey: key[0], thumbprintSha256, x5c: cert[0] };
}

/** App-only tokens for Graph by the client-credentials grant. */
export function createClientCredentialTokenProvider(settings: ClientCredentialSettings): AccessTokenProvider {
  const authority = `${settings.authorityHost.replace(/\/+$/, '')}/${settings.tenantId}`;
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      authority,
      ...(settings.credential.kind === 'secret'
        ? { clientSecret: settings.credential.secret }
        : { clientCertificate: certificateOf(settings.credential.pemFile) }),
    },
    ...(settings.networkClient ? { system: { networkClient: settings.networkClient } } : {}),
  });
  const scopes = [`${settings.graphBaseUrl.replace(/\/+$/, '')}/.default`];
  return {
    async getAccessToken(): Promise<string> {
      let result: Awaited<ReturnType<typeof app.acquireTokenByClientCredential>>;
      try {
        result = await app.acquireTokenByClientCredential({ scopes });
      } catch (error) {
        throw new TokenAcquisitionError(
          `could not get an app-only Graph token from ${authority}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      if (!result?.accessToken) throw new TokenAcquisitionError(`no Graph token from ${authority}`);
      return result.accessToken;
    },
  };
}
