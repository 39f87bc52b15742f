// The desktop's side of shared books (issue 15 §2): the console opens a `coffer serve` by its address
// instead of a books file, and trusts the server's certificate the way SSH trusts a host — its SHA-256
// fingerprint is shown and confirmed on first use, remembered, and any other certificate at that address
// is refused later. No electron here: the shell (main/shell) asks and loads; this decides.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { z } from 'zod';
import { refuse } from '../domain/refusals';
import { atomicWrite } from '../formats/file-out';
import { isLoopback } from './border';

/** A server address as typed: https://HOST[:PORT] (http:// only on this machine, as serve allows). */
export function serverAddress(text: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text.trim()) ? text.trim() : `https://${text.trim()}`);
  } catch {
    throw refuse('VALIDATION', 'server_address_invalid', { text: text.slice(0, 200) }, { field: 'server' });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:' && !isLoopback(host)) throw refuse('VALIDATION', 'server_needs_https', { host }, { field: 'server' });
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    (url.pathname !== '/' && url.pathname !== '')
  )
    throw refuse('VALIDATION', 'server_address_invalid', { text: text.slice(0, 200) }, { field: 'server' });
  return new URL(url.origin + '/');
}

/** A certificate's SHA-256 fingerprint as people compare it: AB:CD:… (what `openssl x509 -fingerprint -sha256` prints). */
export function fingerprintOfDer(der: Buffer): string {
  return crypto
    .createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** The same for a certificate in PEM (Electron hands the page's certificate over as PEM). */
export function fingerprintOfPem(pem: string): string {
  return fingerprintOfDer(new crypto.X509Certificate(pem).raw);
}

/** The fingerprint of the certificate the server at `url` presents now (not trusted yet: only read). */
export function presentedFingerprint(url: URL, timeoutMs = 10_000): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const unreachable = (detail: string) =>
      reject(refuse('NOT_FOUND', 'server_unreachable', { address: url.origin, detail }, { field: 'server' }));
    const socket = tls.connect(
      { host, port: Number(url.port || 443), servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false },
      () => {
        const cert = socket.getPeerCertificate();
        socket.end();
        if (!cert?.raw) unreachable('no certificate');
        else resolve(fingerprintOfDer(cert.raw));
      },
    );
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      unreachable('timed out');
    });
    socket.on('error', (e) => unreachable(e.message));
  });
}

/** What to do with the certificate a server presents, given what was confirmed for its address before. */
export type Trust = { kind: 'first-use'; fingerprint: string } | { kind: 'trusted'; fingerprint: string };

export function trustFor(url: URL, presented: string, remembered: string | undefined): Trust {
  if (remembered === undefined) return { kind: 'first-use', fingerprint: presented };
  if (remembered !== presented)
    throw refuse('FORBIDDEN', 'server_certificate_changed', { address: url.origin, was: remembered, now: presented }, { field: 'server' });
  return { kind: 'trusted', fingerprint: presented };
}

const Remembered = z.object({ servers: z.record(z.string(), z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)) }).strict();

/** The servers whose certificates were confirmed, by origin: a small file beside the console's own settings. */
export class TrustedServers {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    if (!fs.existsSync(this.file)) return {};
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      json = null;
    }
    const parsed = Remembered.safeParse(json);
    return parsed.success ? parsed.data.servers : {}; // a damaged file trusts nothing: each server is asked again
  }

  fingerprint(url: URL): string | undefined {
    return this.read()[url.origin];
  }

  async remember(url: URL, fingerprint: string): Promise<void> {
    const servers = { ...this.read(), [url.origin]: fingerprint };
    await atomicWrite(this.file, (tmp) => fs.writeFileSync(tmp, JSON.stringify({ servers }, null, 2), { mode: 0o600 }));
  }
}
