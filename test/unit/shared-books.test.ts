// Shared books at the desktop (issue 15 §2): the address a person types, the fingerprint of the
// certificate a real `coffer serve` presents (as openssl prints it), trust on first use, and a changed
// certificate refused with both fingerprints named. The Electron shell only asks and loads (main/shell).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serving } from '../../main/serve/server';
import { fingerprintOfPem, presentedFingerprint, serverAddress, trustFor, TrustedServers } from '../../main/serve/shared-books';
import { staffedApi, type TestApi } from '../support/temp-books';
import { selfSignedCert } from '../support/tls';

let t: TestApi;
let s: Serving;
let certFile: string;
beforeAll(async () => {
  t = await staffedApi();
  const tls = selfSignedCert(fs.mkdtempSync(path.join(t.dir, 'tls-')));
  certFile = tls.certFile;
  s = await startServe({ books: t.books, host: '127.0.0.1', port: 0, tls, consoleDir: null, scanWorker: null });
});
afterAll(async () => {
  await s?.close();
  await t?.cleanup();
});

const refusedAs = (f: () => unknown, reason: string) =>
  expect(f).toThrow(expect.objectContaining({ details: expect.objectContaining({ reason }) }));

describe('the address a person types', () => {
  it('takes https://HOST:PORT, or HOST:PORT as https, and plain http only on this machine', () => {
    expect(serverAddress('https://books.example.cn:8443').href).toBe('https://books.example.cn:8443/');
    expect(serverAddress(' books.example.cn:8443 ').href).toBe('https://books.example.cn:8443/');
    expect(serverAddress('http://127.0.0.1:8080/').href).toBe('http://127.0.0.1:8080/');
    refusedAs(() => serverAddress('http://10.0.0.5:8080'), 'server_needs_https');
    for (const bad of ['ftp://books.example.cn', 'https://user:pw@books.example.cn', 'https://books.example.cn/api/call', 'https://']) {
      refusedAs(() => serverAddress(bad), 'server_address_invalid');
    }
  });
});

describe("the server's certificate", () => {
  it('is read from the running server with the fingerprint openssl prints for its file', async () => {
    const openssl = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    const expected = openssl.trim().split('=')[1];
    expect(expected).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await presentedFingerprint(new URL(s.url))).toBe(expected);
    expect(fingerprintOfPem(fs.readFileSync(certFile, 'utf8'))).toBe(expected);
  });

  it('names the address when nothing answers there', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(presentedFingerprint(new URL(`https://127.0.0.1:${closed}/`))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'server_unreachable', params: { address: `https://127.0.0.1:${closed}` } },
    });
  });

  it('is asked about on first use, trusted once remembered, and refused when it changes', async () => {
    const url = new URL(s.url);
    const file = path.join(t.dir, 'trusted-servers.json');
    const store = new TrustedServers(file);
    const seen = await presentedFingerprint(url);
    expect(trustFor(url, seen, store.fingerprint(url))).toEqual({ kind: 'first-use', fingerprint: seen });
    await store.remember(url, seen);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(trustFor(url, seen, new TrustedServers(file).fingerprint(url))).toEqual({ kind: 'trusted', fingerprint: seen });
    const other = seen.replace(/^../, seen.startsWith('00') ? '11' : '00');
    expect(() => trustFor(url, other, store.fingerprint(url))).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        details: expect.objectContaining({ reason: 'server_certificate_changed', params: { address: url.origin, was: seen, now: other } }),
      }),
    );
    // A damaged file trusts nothing: the person is asked again rather than let through.
    fs.writeFileSync(file, '{"servers": {"https://x": "not a fingerprint"}}');
    expect(store.fingerprint(url)).toBeUndefined();
    fs.writeFileSync(file, 'not json');
    expect(store.fingerprint(url)).toBeUndefined();
  });
});
