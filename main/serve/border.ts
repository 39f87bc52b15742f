// What `coffer serve` checks at its border before the dispatcher sees a call: where it may listen
// without TLS, the session tokens it hands out, and how often one address may try a password.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { refuse } from '../domain/refusals';

/** HOST:PORT (an IPv6 host in brackets), or a coded refusal. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw refuse('VALIDATION', 'serve_listen_format', { text }, { field: 'listen' });
  return { host: (m[1] ?? m[2])!, port };
}

/** Only this machine can reach it: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return /^::ffff:127\./i.test(host);
}

/** A listener others can reach must speak TLS, unless the operator said --insecure. */
export function checkListen(host: string, tls: boolean, insecure: boolean): void {
  if (!tls && !insecure && !isLoopback(host)) throw refuse('VALIDATION', 'serve_needs_tls', { host }, { field: 'listen' });
}

/**
 * Session tokens: 256 random bits each. The dispatcher client a token names is a digest of it, so
 * every process serving the books finds the same session from the same token, and the sessions kept
 * beside the books or in their table (serve/session-rows.ts) hold no token. A token whose session is
 * gone names nothing.
 */
export function newToken(): { token: string; clientId: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, clientId: clientOfToken(token) };
}

export function clientOfToken(token: string): string {
  return `web-${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}

/** The token of an `Authorization: Bearer …` header: undefined without one, '' for a malformed one. */
export function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim());
  return m ? m[1]! : '';
}

/** At most `attempts` password tries per address in any `windowMs`; the next is refused with the wait. */
export class AttemptLimiter {
  private readonly tries = new Map<string, number[]>();

  constructor(
    private readonly attempts: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
  ) {}

  take(address: string): void {
    const now = this.clock();
    const recent = (this.tries.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.attempts) {
      this.tries.set(address, recent);
      const seconds = Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
      throw refuse('LIMIT', 'login_rate_limited', { seconds: String(seconds) }, { retryAfter: seconds });
    }
    recent.push(now);
    this.tries.set(address, recent);
    if (this.tries.size > 10_000) for (const [a, ts] of this.tries) if (ts.every((t) => now - t >= this.windowMs)) this.tries.delete(a);
  }
}
