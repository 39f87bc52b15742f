// coffer serve (issue 15 §2): a real server on 127.0.0.1 (port 0) over temporary books, called the way
// a browser calls it. Sessions are bearer tokens; every method refuses a caller without one, with a
// wrong or expired one, or with a role that may not — and writes nothing; a foreign page, a body too
// large and a run of password tries are refused at the border; files cross as uploads and downloads,
// and job progress as Server-Sent Events.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../main/api/contract';
import type { MethodDef } from '../../main/api/define';
import { readEventData } from '../../main/serve/event-stream';
import { startServe, type ServedEvent, type Serving } from '../../main/serve/server';
import { coffer } from '../support/cli-run';
import { PASSWORD, staffedApi, type TestApi } from '../support/temp-books';

const DAY1 = path.resolve('test/fixtures/events/day-1.jsonl');

let t: TestApi;
let s: Serving;

beforeAll(async () => {
  t = await staffedApi();
  s = await startServe({
    books: t.books,
    host: '127.0.0.1',
    port: 0,
    consoleDir: null,
    scanWorker: null,
    clock: () => t.clock.now,
    limits: { bodyBytes: 64 * 1024, uploadBytes: 256 * 1024, loginAttempts: 1000 },
  });
});
afterAll(async () => {
  await s?.close();
  await t?.cleanup();
});

interface Answer {
  status: number;
  body: {
    ok: boolean;
    data?: unknown;
    token?: string;
    downloads?: { id: string; name: string }[];
    error?: { code: string; details: Record<string, unknown> };
  };
}

async function post(base: string, route: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await fetch(new URL(route, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: r.status, body: (await r.json()) as Answer['body'] };
}

const call = (method: string, input: unknown, token?: string, extra: Record<string, unknown> = {}, base = s.url) =>
  post(base, 'api/call', JSON.stringify({ method, input, ...extra }), token ? { authorization: `Bearer ${token}` } : {});

async function login(username: string, base = s.url): Promise<string> {
  const r = await call('session.login', { username, password: PASSWORD }, undefined, {}, base);
  expect(r.body.ok, JSON.stringify(r.body)).toBe(true);
  expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return r.body.token!;
}

/** Every table's row count: what "nothing written" is checked against. */
function snapshot(): string {
  const tables = t.books.raw
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as {
    name: string;
  }[];
  return JSON.stringify(
    tables.map(({ name }) => [name, (t.books.raw.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

const methods = Object.entries(contract as Record<string, MethodDef>);
const groups = (names: string[]) => [...new Set(names.map((m) => m.split('.')[0]))].sort();

/** The events of a session's stream, read with fetch as the console reads them (the token in a header). */
async function events(token: string) {
  const ac = new AbortController();
  const res = await fetch(new URL('api/events', s.url), { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const seen: ServedEvent[] = [];
  let wake = () => {};
  readEventData(res.body!, (data) => {
    seen.push(JSON.parse(data) as ServedEvent);
    wake();
  }).catch(() => {});
  return {
    seen,
    async end(jobId: string): Promise<ServedEvent> {
      for (;;) {
        const e = seen.find((x) => x.jobId === jobId && x.type !== 'job.progress');
        if (e) return e;
        await new Promise<void>((r) => (wake = r));
      }
    },
    close: () => ac.abort(),
  };
}

describe('sessions are bearer tokens', () => {
  it('logs in, answers a call made with the token, and forgets the token at logout', async () => {
    const token = await login('clerk');
    const status = await call('session.status', {}, token);
    expect(status.body).toMatchObject({ ok: true, data: { session: { username: 'clerk', role: 'clerk' } } });
    expect((await call('bankAccounts.list', {}, token)).body.ok).toBe(true);
    expect(status.body.token).toBeUndefined(); // given once, at login
    expect((await call('session.logout', {}, token)).body.ok).toBe(true);
    const after = await call('bankAccounts.list', {}, token);
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'session_token_unknown' } });
  });

  it('a wrong password gets no token', async () => {
    const r = await call('session.login', { username: 'clerk', password: 'wrong password 1' });
    expect(r.body.ok).toBe(false);
    expect(r.body.error?.code).toBe('UNAUTHENTICATED');
    expect(r.body.token).toBeUndefined();
  });

  it('refuses every method of every group without a token, writing nothing', async () => {
    const before = snapshot();
    const guarded = methods.filter(([, d]) => d.roles !== 'public');
    for (const [method] of guarded) {
      const r = await call(method, {});
      expect([method, r.body.ok, r.body.error?.code, r.body.error?.details.reason]).toEqual([
        method,
        false,
        'UNAUTHENTICATED',
        'not_logged_in',
      ]);
    }
    expect(groups(guarded.map(([m]) => m)).length).toBeGreaterThan(20);
    expect(snapshot()).toBe(before);
  });

  it('refuses every method with a token it did not give, writing nothing', async () => {
    const before = snapshot();
    for (const [method] of methods) {
      const r = await call(method, {}, 'A'.repeat(43));
      expect([method, r.status, r.body.error?.details.reason]).toEqual([method, 401, 'session_token_unknown']);
    }
    const malformed = await post(s.url, 'api/call', JSON.stringify({ method: 'session.status', input: {} }), {
      authorization: 'Bearer a b',
    });
    expect(malformed.status).toBe(401);
    expect(snapshot()).toBe(before);
  });

  it('refuses every method with a token whose session idled out, writing nothing', async () => {
    const token = await login('approver');
    const before = snapshot();
    t.clock.now += 16 * 60_000; // session.idleMinutes is 15
    try {
      const guarded = methods.filter(([, d]) => d.roles !== 'public');
      const first = await call(guarded[0]![0], {}, token);
      expect(first.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'session_idle' } });
      for (const [method] of guarded.slice(1)) {
        const r = await call(method, {}, token);
        expect([method, r.body.error?.code, r.body.error?.details.reason]).toEqual([method, 'UNAUTHENTICATED', 'session_token_unknown']);
      }
    } finally {
      t.clock.now -= 16 * 60_000;
    }
    expect(snapshot()).toBe(before);
  });

  it('refuses, before reading the input, every method a clerk may not call, writing nothing', async () => {
    const token = await login('clerk');
    const before = snapshot();
    const barred = methods.filter(([, d]) => Array.isArray(d.roles) && !(d.roles as readonly string[]).includes('clerk'));
    for (const [method] of barred) {
      const r = await call(method, {}, token);
      expect([method, r.body.error?.code, r.body.error?.details.reason]).toEqual([method, 'FORBIDDEN', 'role_forbidden']);
    }
    expect(groups(barred.map(([m]) => m)).length).toBeGreaterThan(10);
    expect(snapshot()).toBe(before);
  });
});

describe('the border', () => {
  it('refuses a call from a foreign page and sends no CORS header; its own page is answered', async () => {
    const token = await login('auditor');
    const foreign = await post(s.url, 'api/call', JSON.stringify({ method: 'session.status', input: {} }), {
      authorization: `Bearer ${token}`,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'origin_refused' } });
    const own = await fetch(new URL('api/call', s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: s.url.replace(/\/$/, '') },
      body: JSON.stringify({ method: 'session.status', input: {} }),
    });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(new URL('api/call', s.url), { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.ok).toBe(false);
  });

  it('refuses a body over the cap, and a body that is not JSON', async () => {
    const big = JSON.stringify({ method: 'session.status', input: { pad: 'x'.repeat(100 * 1024) } });
    const r = await post(s.url, 'api/call', big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({
      code: 'LIMIT',
      details: { reason: 'request_too_large', params: { maxBytes: String(64 * 1024) } },
    });
    const form = await post(s.url, 'api/call', 'method=session.status', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.error?.details.reason).toBe('request_not_json');
  });

  it('limits password tries per address', async () => {
    const strict = await startServe({
      books: t.books,
      host: '127.0.0.1',
      port: 0,
      consoleDir: null,
      scanWorker: null,
      limits: { loginAttempts: 3 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await call('session.login', { username: 'clerk', password: 'wrong password 1' }, undefined, {}, strict.url);
        expect(r.body.error?.details.reason).not.toBe('login_rate_limited');
      }
      const before = snapshot();
      const limited = await call('session.login', { username: 'clerk', password: PASSWORD }, undefined, {}, strict.url);
      expect(limited.status).toBe(429);
      expect(limited.body.error).toMatchObject({ code: 'LIMIT', details: { reason: 'login_rate_limited' } });
      expect(limited.body.token).toBeUndefined();
      expect(snapshot()).toBe(before); // not even tried: no login row
    } finally {
      await strict.close();
    }
  });

  it('refuses to listen where others can reach it without TLS, unless --insecure', async () => {
    await expect(startServe({ books: t.books, host: '0.0.0.0', port: 0, consoleDir: null })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'serve_needs_tls', params: { host: '0.0.0.0' } },
    });
    const cli = await coffer(['serve', '--books', t.books.path, '--listen', '192.0.2.1:8080']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('VALIDATION');
    expect(cli.stderr).toContain('--listen 192.0.2.1 is reachable from other machines');
    const bad = await coffer(['serve', '--books', t.books.path, '--listen', 'nowhere']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('give HOST:PORT');
  });

  it('serves over TLS with the given certificate', async () => {
    const dir = fs.mkdtempSync(path.join(t.dir, 'tls-'));
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
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = { cert: fs.readFileSync(path.join(dir, 'cert.pem')), key: fs.readFileSync(path.join(dir, 'key.pem')) };
    const secure = await startServe({ books: t.books, host: '127.0.0.1', port: 0, tls, consoleDir: null, scanWorker: null });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      const https = await import('node:https');
      const answer = await new Promise<string>((resolve, reject) => {
        const req = https.request(
          new URL('api/call', secure.url),
          { method: 'POST', ca: tls.cert, servername: 'localhost', headers: { 'content-type': 'application/json' } },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (d: string) => (body += d));
            res.on('end', () => resolve(body));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ method: 'setup.status', input: {} }));
      });
      expect(JSON.parse(answer)).toMatchObject({ ok: true, data: { needsFirstAdmin: false } });
    } finally {
      await secure.close();
    }
  });
});

describe('files and jobs', () => {
  it('uploads an event file, previews and imports it with progress on the event stream', async () => {
    const token = await login('clerk');
    const stream = await events(token);
    try {
      const up = await post(s.url, 'api/upload', fs.readFileSync(DAY1), {
        authorization: `Bearer ${token}`,
        'content-type': 'application/octet-stream',
        'x-coffer-file-name': encodeURIComponent('第一天.jsonl'),
      });
      expect(up.body).toMatchObject({ ok: true, data: { name: '第一天.jsonl', bytes: fs.statSync(DAY1).size } });
      const upload = (up.body.data as { upload: string }).upload;

      // another session cannot use it
      const other = await login('approver');
      const stolen = await call('events.preview', {}, other, { upload });
      expect(stolen.body.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'upload_not_found' } });
      // without an upload the open dialog is "cancelled"
      const none = await call('events.preview', {}, token);
      const noneEnd = await stream.end((none.body.data as { jobId: string }).jobId);
      expect(noneEnd).toMatchObject({ type: 'job.failed', error: { code: 'CANCELLED', details: { reason: 'no_file_chosen' } } });

      const started = await call('events.preview', {}, token, { upload });
      const previewId = (started.body.data as { jobId: string }).jobId;
      const preview = await stream.end(previewId);
      expect(preview).toMatchObject({ type: 'job.done', result: { ok: true, events: 16, toApply: 16 } });
      const { token: fileToken, sha256 } = (preview as { result: { token: string; sha256: string } }).result;

      const before = snapshot();
      const importing = await call('events.import', { token: fileToken, sha256 }, token);
      const importId = (importing.body.data as { jobId: string }).jobId;
      const done = await stream.end(importId);
      expect(done).toMatchObject({ type: 'job.done', result: { applied: 10, refused: 6 } });
      expect(stream.seen.some((e) => e.type === 'job.progress' && e.jobId === importId)).toBe(true);
      expect(snapshot()).not.toBe(before);
      const imports = await call('events.imports', {}, token);
      expect(imports.body.data).toMatchObject([{ fileName: '第一天.jsonl', applied: 10 }]);
    } finally {
      stream.close();
    }
  });

  it('refuses an upload over the cap and one without a session', async () => {
    const token = await login('clerk');
    const big = await post(s.url, 'api/upload', Buffer.alloc(300 * 1024, 0x20), {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
    });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({
      code: 'LIMIT',
      details: { reason: 'upload_too_large', params: { maxBytes: String(256 * 1024) } },
    });
    const anonymous = await post(s.url, 'api/upload', Buffer.from('{}'), { 'content-type': 'application/octet-stream' });
    expect(anonymous.status).toBe(401);
  });

  it('an export downloads once, to its own session only', async () => {
    const token = await login('auditor');
    const stream = await events(token);
    try {
      const started = await call('ledger.exportJournal', {}, token);
      const end = await stream.end((started.body.data as { jobId: string }).jobId);
      expect(end, JSON.stringify(end)).toMatchObject({ type: 'job.done' });
      const [file] = end.downloads!;
      expect(file!.name).toMatch(/^coffer-journal-\d{12}\.journal$/);
      const other = await login('clerk');
      const foreign = await fetch(new URL(`api/download/${file!.id}`, s.url), { headers: { authorization: `Bearer ${other}` } });
      expect(foreign.status).toBe(404);
      const got = await fetch(new URL(`api/download/${file!.id}`, s.url), { headers: { authorization: `Bearer ${token}` } });
      expect(got.status).toBe(200);
      expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''${file!.name}`);
      const text = await got.text();
      expect(text).toContain('account');
      const again = await fetch(new URL(`api/download/${file!.id}`, s.url), { headers: { authorization: `Bearer ${token}` } });
      expect(again.status).toBe(404);
      const noToken = await fetch(new URL('api/events', s.url));
      expect(noToken.status).toBe(401);
    } finally {
      stream.close();
    }
  });

  it('serves no console it was not given, and names an unknown route', async () => {
    const page = await fetch(s.url);
    expect(page.status).toBe(503);
    const r = await post(s.url, 'api/nothing', '{}');
    expect(r.status).toBe(404);
    expect(r.body.error?.details.reason).toBe('api_route_unknown');
  });
});
