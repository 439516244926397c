import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import azureFunctions from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../functions/src/app-error';
import { compose } from '../../functions/src/composition';
import { readConfig } from '../../functions/src/config';
import { DEFAULT_LOCAL_USER, LocalIdentity } from '../../functions/src/identity/local-identity';

const { HttpRequest } = azureFunctions;

function request(url: string, headers: Record<string, string> = {}) {
  return new HttpRequest({ method: 'GET', url, headers });
}

describe('the local development identity', () => {
  const identity = new LocalIdentity();

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:7071/api/me'],
    ['::1', 'http://[::1]:7071/api/me'],
    ['::ffff:127.0.0.1', 'http://localhost:7071/api/me'],
    ['127.0.0.1:50312', 'http://localhost:7071/api/me'],
    ['[::1]:50312', 'http://localhost:7071/api/me'],
  ])('answers a caller on loopback (%s) as the local developer', async (address, url) => {
    await expect(identity.authenticate(request(url, { 'x-forwarded-for': address }))).resolves.toEqual(
      DEFAULT_LOCAL_USER,
    );
  });

  it.each([
    ['a LAN address', '192.168.1.20'],
    ['a public address', '203.0.113.9'],
    ['a forwarded chain starting outside', '203.0.113.9, 127.0.0.1'],
  ])('refuses %s with 401 and WWW-Authenticate', async (_name, address) => {
    const attempt = identity.authenticate(
      request('http://127.0.0.1:7071/api/me', { 'x-forwarded-for': address }),
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      headers: { 'www-authenticate': expect.stringContaining('Bearer') },
    });
  });

  it.each([
    ['a tunnel that keeps the public Host', 'http://my-tunnel.devtunnels.ms/api/me', {}],
    [
      'a proxy that says X-Forwarded-Host',
      'http://127.0.0.1:7071/api/me',
      { 'x-forwarded-host': 'my-tunnel.ngrok.app' },
    ],
    [
      'a proxy that says Forwarded',
      'http://127.0.0.1:7071/api/me',
      { forwarded: 'for=203.0.113.9;host=example.com' },
    ],
  ])('refuses %s even though it connects from loopback', async (_name, url, headers) => {
    await expect(
      identity.authenticate(request(url, { 'x-forwarded-for': '127.0.0.1', ...headers })),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a request addressed to a non-loopback host when no proxy says where it came from', async () => {
    await expect(identity.authenticate(request('http://cosell.contoso.com/api/me'))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('takes the local user named in x-cosell-local-user, and refuses one that is not an email', async () => {
    await expect(
      identity.authenticate(
        request('http://127.0.0.1/api/me', {
          'x-forwarded-for': '127.0.0.1',
          'x-cosell-local-user': 'Kenji.Watanabe@adatum.example',
        }),
      ),
    ).resolves.toEqual({ id: 'kenji.watanabe@adatum.example', displayName: 'Kenji Watanabe' });
    await expect(
      identity.authenticate(
        request('http://127.0.0.1/api/me', {
          'x-forwarded-for': '127.0.0.1',
          'x-cosell-local-user': 'not an email',
        }),
      ),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('is refused at start when the stage is production', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-prod-'));
    try {
      expect(() => compose(readConfig({ COSELL_STAGE: 'production', COSELL_DATA_DIR: dataDir }))).toThrow(
        /refused in production/,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
