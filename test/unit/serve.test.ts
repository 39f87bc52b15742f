// coffer serve (issue 15 §2): a real server on 127.0.0.1 (port 0) over temporary books, called the way
// a browser calls it. Sessions are bearer tokens; every method refuses a caller without one, with a
// wrong or expired one, or with a role that may not — and writes nothing; a foreign page, a body too
// large and a run of password tries are refused at the border; files cross as uploads and downloads,
// and job progress as Server-Sent Events. Two servers of the same books and the refusals run on a books
// file and on PostgreSQL books (skipped where PostgreSQL is unreachable, unless COFFER_REQUIRE_POSTGRES=1);
// the PostgreSQL pass serves every describe from PostgreSQL books.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contract } from '../../main/api/contract';
import { READERS, type MethodDef } from '../../main/api/define';
import { LIST_SOURCES } from '../../main/api/list-export';
import { openBooks } from '../../main/db/books';
import { copyBooksToPostgres, withFreshBooks } from '../../main/db/postgres/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import type { AnyBooks } from '../../main/db/tx';
import { readEventData } from '../../main/serve/event-stream';
import { startServe, type ServedEvent, type ServeOptions, type Serving } from '../../main/serve/server';
import { SessionFile } from '../../main/serve/session-file';
import { SessionTable } from '../../main/serve/session-table';
import { coffer } from '../support/cli-run';
import { freshSchema, postgresReachable, POSTGRES_REQUIRED } from '../support/postgres';
import { ON_POSTGRES, PASSWORD, staffedApi, testApi, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';
import { selfSignedCert } from '../support/tls';

const reachable = await postgresReachable();

const DAY1 = path.resolve('test/fixtures/events/day-1.jsonl');

const TELLER_PASSWORD = 'teller password 7';

/** Books served for the tests: the server, and what the tests look at in the books behind it. */
interface Served {
  /** The desk the books were made at: its clock is the servers'. */
  t: TestApi;
  books: AnyBooks;
  s: Serving;
  /** The same books opened again on connections of their own, as a second process opens them. */
  reopen(): Promise<AnyBooks>;
  /** The rows of a query on the served books (`?` marks each parameter). */
  rows(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** What the servers keep of the sessions, as text: where no token may be found. */
  keptSessions(): Promise<string[]>;
  /** Whether a server's write transaction is open on the books (a long import caught running). */
  writing(): Promise<boolean>;
  close(): Promise<void>;
}

/** A server on `books` at 127.0.0.1 (a free port), with no console and no scan worker. */
const serveOn = (books: AnyBooks, more: Partial<ServeOptions> = {}) =>
  startServe({ books, host: '127.0.0.1', port: 0, consoleDir: null, scanWorker: null, ...more });

/** Staffed books with a teller, served on 127.0.0.1: a books file, or PostgreSQL books (the pass's own, or a copy of the file). */
async function served(engine: 'sqlite' | 'postgres'): Promise<Served> {
  const t = await staffedApi();
  await addStaff(t.call, { username: 'teller', role: 'clerk', password: TELLER_PASSWORD });
  const limits = { bodyBytes: 64 * 1024, uploadBytes: 256 * 1024, loginAttempts: 1000 };
  const serve = (books: AnyBooks) => serveOn(books, { clock: () => t.clock.now, limits });
  if (engine === 'sqlite') {
    const s = await serve(t.books);
    const [dir, name] = [path.dirname(t.books.path), path.basename(t.books.path)];
    return {
      t,
      books: t.books,
      s,
      reopen: () => openBooks(t.books.path),
      rows: async (sql, ...params) => t.books.raw.prepare(sql).all(...params) as Record<string, unknown>[],
      keptSessions: async () =>
        fs
          .readdirSync(dir)
          .filter((f) => f.startsWith(`${name}-sessions`))
          .map((f) => fs.readFileSync(path.join(dir, f), 'latin1')),
      writing: async () => t.books.raw.inTransaction,
      async close() {
        await s.close();
        await t.cleanup();
      },
    };
  }
  const { url, client, drop } = await postgresOf(t);
  // The servers' connections carry a name of their own, so that the test finds their transactions.
  const tag = `coffer_serve_${Math.random().toString(36).slice(2)}`;
  const books = await openPostgresBooks(`${url}&application_name=${tag}`);
  const s = await serve(books);
  const rows = async (sql: string, ...params: unknown[]) => {
    let n = 0;
    return (
      await client.query<Record<string, unknown>>(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows;
  };
  return {
    t,
    books,
    s,
    reopen: () => openPostgresBooks(url),
    rows,
    keptSessions: async () => (await rows('SELECT * FROM serve_sessions')).map((r) => JSON.stringify(r)),
    writing: async () =>
      (await rows('SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND backend_xid IS NOT NULL', tag)).length > 0,
    async close() {
      await s.close();
      await books.close();
      await drop();
      await t.cleanup();
    },
  };
}

/** The desk's books on PostgreSQL: its own in the PostgreSQL pass, else its file copied to a schema; and a connection to look with. */
async function postgresOf(t: TestApi): Promise<{ url: string; client: pg.Client; drop(): Promise<void> }> {
  if (t.anyBooks.engine === 'postgres') {
    const url = t.anyBooks.path; // the test database's URL carries no password to hide
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return { url, client, drop: () => client.end() };
  }
  const schema = await freshSchema();
  await copyBooksToPostgres(t.books.raw, schema.url);
  return { url: schema.url, client: schema.client, drop: schema.drop };
}

/** The books every describe serves (the pass's engine), and the engine's books the parametrised ones serve meanwhile. */
const MAIN_ENGINE = ON_POSTGRES ? 'postgres' : 'sqlite';
let main: Served;
let here: Served;
let t: TestApi;
let s: Serving;
const use = (f: Served) => {
  [here, t, s] = [f, f.t, f.s];
};

beforeAll(async () => use((main = await served(MAIN_ENGINE))));
afterAll(async () => main?.close());

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

async function login(username: string, password = PASSWORD, base = s.url): Promise<string> {
  const r = await call('session.login', { username, password }, undefined, {}, base);
  expect(r.body.ok, JSON.stringify(r.body)).toBe(true);
  expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return r.body.token!;
}

/** Every books table's row count and the audit chain's head: what "nothing written" is checked against. */
async function unchanged(): Promise<{ counts: string; head: Record<string, unknown> | undefined }> {
  return { counts: await snapshot(), head: (await here.rows('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1'))[0] };
}

/** Every books table's row count: the tables of the migrated schema (not the sessions a server keeps). */
async function snapshot(): Promise<string> {
  const listed = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`;
  const tables = (await withFreshBooks((raw) => raw.prepare(listed).all())) as { name: string }[];
  const counts: [string, number][] = [];
  for (const { name } of tables) counts.push([name, Number((await here.rows(`SELECT count(*) AS n FROM "${name}"`))[0]!.n)]);
  return JSON.stringify(counts);
}

const methods = Object.entries(contract as Record<string, MethodDef>);
const groups = (names: string[]) => [...new Set(names.map((m) => m.split('.')[0]))].sort();

/** The events of a session's stream, read with fetch as the console reads them (the token in a header). */
async function events(token: string, base = s.url) {
  const ac = new AbortController();
  const res = await fetch(new URL('api/events', base), { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
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

  it("loads a call's session from the shelf once, and a logout's end again after it", async () => {
    const token = await login('clerk');
    const loads = [vi.spyOn(SessionFile.prototype, 'load'), vi.spyOn(SessionTable.prototype, 'load')];
    const count = () => loads.reduce((n, l) => n + l.mock.calls.length, 0);
    try {
      expect((await call('bankAccounts.list', {}, token)).body.ok).toBe(true);
      expect(count()).toBe(1); // not once at the border, at admission, at the method's check and for the answer
      expect((await call('session.logout', {}, token)).body.ok).toBe(true);
      expect(count()).toBe(3); // the logout's answer looks again: the session it ended is gone
    } finally {
      for (const l of loads) l.mockRestore();
    }
  });

  it('a wrong password gets no token', async () => {
    const r = await call('session.login', { username: 'clerk', password: 'wrong password 1' });
    expect(r.body.ok).toBe(false);
    expect(r.body.error?.code).toBe('UNAUTHENTICATED');
    expect(r.body.token).toBeUndefined();
  });
});

/** A method's name, HTTP status, code and reason: one row of the refusal tables below. */
const refusal = (method: string, r: Answer) => [method, r.status, r.body.ok, r.body.error?.code, r.body.error?.details.reason];
const guarded = methods.filter(([, d]) => d.roles !== 'public');
const ROLES = ['clerk', 'approver', 'auditor', 'admin'] as const;

// The PostgreSQL pass serves PostgreSQL books in every describe: no file to serve beside them.
const ENGINES = ON_POSTGRES
  ? ([{ engine: 'postgres', skip: false }] as const)
  : ([
      { engine: 'sqlite', skip: false },
      { engine: 'postgres', skip: !reachable && !POSTGRES_REQUIRED },
    ] as const);

describe.each(ENGINES)('served from $engine books', ({ engine, skip }) => {
  let own: Served | undefined;
  beforeAll(async () => {
    if (engine !== MAIN_ENGINE && !skip) use((own = await served(engine)));
  }, 120_000);
  afterAll(async () => {
    await own?.close();
    use(main);
  });

  describe.skipIf(skip)('two serve processes on the same books serve the same users', () => {
    it('a token from one answers on the other; a lock, an unlock, a logout and a disabled user on either hold on both', async () => {
      // The second server opens the books on connections of its own, as a second process would.
      const other = await here.reopen();
      const s2 = await serveOn(other, { clock: () => t.clock.now });
      try {
        const token = await login('clerk');
        const there = await call('session.status', {}, token, {}, s2.url);
        expect(there.body).toMatchObject({ ok: true, data: { session: { username: 'clerk', role: 'clerk', locked: false } } });
        expect((await call('bankAccounts.list', {}, token, {}, s2.url)).body.ok).toBe(true);

        expect((await call('session.lock', {}, token, {}, s2.url)).body.ok).toBe(true);
        const locked = await call('bankAccounts.list', {}, token);
        expect(locked.status).toBe(423);
        expect(locked.body.error).toMatchObject({ code: 'LOCKED', details: { reason: 'screen_locked' } });
        expect((await call('session.unlock', { password: PASSWORD }, token)).body.ok).toBe(true);
        expect((await call('bankAccounts.list', {}, token, {}, s2.url)).body.ok).toBe(true);

        // What the servers keep of the session names it by a digest: the token is nowhere in it.
        const kept = await here.keptSessions();
        expect(kept.length).toBeGreaterThan(0);
        for (const k of kept) expect(k.includes(token)).toBe(false);

        expect((await call('session.logout', {}, token, {}, s2.url)).body.ok).toBe(true);
        const after = await call('bankAccounts.list', {}, token);
        expect(after.status).toBe(401);
        expect(after.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'session_token_unknown' } });

        // A user the admin disables on one server is logged out on the other (the books have one admin:
        // the change and the new user are confirmed at once).
        const admin = await login('admin');
        const made = await call('staff.create', { username: `leaver_${engine}`, displayName: 'leaver', role: 'clerk' }, admin);
        const { staff, oneTimeCode } = made.body.data as { staff: { id: number }; oneTimeCode: string };
        const leaver = await login(`leaver_${engine}`, oneTimeCode, s2.url);
        expect((await call('session.status', {}, leaver)).body).toMatchObject({ data: { session: { username: `leaver_${engine}` } } });
        expect((await call('staff.update', { id: staff.id, disabled: true }, admin)).body.ok).toBe(true);
        const gone = await call('session.status', {}, leaver, {}, s2.url);
        expect(gone.status).toBe(401);
        expect(gone.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'session_token_unknown' } });
      } finally {
        await s2.close();
        await other.close();
      }
    });
  });

  describe.skipIf(skip)('every method of the contract is refused to a caller who may not call it, and nothing is written', () => {
    it('covers the whole contract: every group, public methods only where the brief allows', () => {
      expect(groups(guarded.map(([m]) => m)).length).toBeGreaterThan(20);
      expect(methods.filter(([, d]) => d.roles === 'public').map(([m]) => m)).toEqual([
        'setup.status',
        'setup.createFirstAdmin',
        'setup.createDemoBooks',
        'session.login',
        'session.status',
      ]);
      // lists.export is open to any session and checks the role of the list it exports (list-export.ts):
      // today every list is one each role may read, so it gives no role a list the matrix keeps from it.
      for (const [m, src] of Object.entries(LIST_SOURCES)) expect([m, src.def.roles]).toEqual([m, READERS]);
    });

    it('(a) without a token: 401 not_logged_in', async () => {
      const before = await unchanged();
      for (const [method] of guarded)
        expect(refusal(method, await call(method, {}))).toEqual([method, 401, false, 'UNAUTHENTICATED', 'not_logged_in']);
      expect(await unchanged()).toEqual(before);
    });

    it('(b) with a token it did not give, a malformed one, or one a byte off a real one: 401 session_token_unknown', async () => {
      const real = await login('clerk');
      const before = await unchanged();
      const forged = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
      for (const [method] of methods) {
        for (const token of ['A'.repeat(43), forged])
          expect(refusal(method, await call(method, {}, token))).toEqual([method, 401, false, 'UNAUTHENTICATED', 'session_token_unknown']);
        const malformed = await post(s.url, 'api/call', JSON.stringify({ method, input: {} }), { authorization: 'Bearer a b' });
        expect(refusal(method, malformed)).toEqual([method, 401, false, 'UNAUTHENTICATED', 'session_token_unknown']);
      }
      expect(await unchanged()).toEqual(before);
      expect((await call('session.status', {}, real)).body).toMatchObject({ ok: true, data: { session: { username: 'clerk' } } });
    });

    it('(c) with a token whose session idled out: 401 session_idle, then the token is unknown', async () => {
      const token = await login('approver');
      const before = await unchanged();
      t.clock.now += 16 * 60_000; // session.idleMinutes is 15
      try {
        const first = await call(guarded[0]![0], {}, token);
        expect(refusal(guarded[0]![0], first)).toEqual([guarded[0]![0], 401, false, 'UNAUTHENTICATED', 'session_idle']);
        for (const [method] of methods)
          expect(refusal(method, await call(method, {}, token))).toEqual([method, 401, false, 'UNAUTHENTICATED', 'session_token_unknown']);
      } finally {
        t.clock.now -= 16 * 60_000;
      }
      expect(await unchanged()).toEqual(before);
    });

    it('(c) with a token whose session reached its age (12 h), however busy: 401 session_expired, then the token is unknown', async () => {
      const token = await login('auditor');
      const started = t.clock.now;
      try {
        // busy all along: a call every 10 minutes keeps the idle rule away, not the age
        while (t.clock.now + 10 * 60_000 < started + 12 * 3600_000) {
          t.clock.now += 10 * 60_000;
          expect((await call('bankAccounts.list', {}, token)).status).toBe(200);
        }
        const before = await unchanged();
        t.clock.now = started + 12 * 3600_000;
        const [first] = guarded[0]!;
        const expired = await call(first, {}, token);
        expect(refusal(first, expired)).toEqual([first, 401, false, 'UNAUTHENTICATED', 'session_expired']);
        expect(expired.body.error?.details.params).toEqual({ hours: '12' });
        for (const [method] of methods)
          expect(refusal(method, await call(method, {}, token))).toEqual([method, 401, false, 'UNAUTHENTICATED', 'session_token_unknown']);
        expect(await unchanged()).toEqual(before);
      } finally {
        t.clock.now = started;
      }
    });

    it("(d) with another user's token, a method that acts on the caller's own state acts on that user only", async () => {
      // The methods any session may call act on the session that calls (they name no user): with the
      // approver's token they end, lock or re-password for the approver, never for the teller (jobs.cancel: below).
      const own = guarded.filter(([m, d]) => d.roles === 'session' && m !== 'lists.export').map(([m]) => m);
      expect(own.sort()).toEqual(['jobs.cancel', 'session.changePassword', 'session.lock', 'session.logout', 'session.unlock']);
      const teller = await login('teller', TELLER_PASSWORD);
      const stranger = await login('approver');
      const before = await unchanged();

      const stolen = await call('session.changePassword', { current: TELLER_PASSWORD, next: 'taken over 12345' }, stranger);
      expect(refusal('session.changePassword', stolen)).toEqual([
        'session.changePassword',
        200,
        false,
        'UNAUTHENTICATED',
        'wrong_current_password',
      ]);
      const unlock = await call('session.unlock', { password: TELLER_PASSWORD }, stranger);
      expect(refusal('session.unlock', unlock)).toEqual(['session.unlock', 200, false, 'UNAUTHENTICATED', 'wrong_password']);
      // The one row written: the approver's wrong password, recorded against the approver.
      const since = await here.rows('SELECT action, staff_name AS who FROM audit WHERE id > ? ORDER BY id', before.head?.id);
      expect(since).toEqual([{ action: 'session.login_failed', who: 'approver' }]);
      expect((await call('session.lock', {}, stranger)).body).toMatchObject({ ok: true, data: { username: 'approver', locked: true } });
      expect((await call('session.logout', {}, stranger)).body.ok).toBe(true);

      const still = await call('session.status', {}, teller);
      expect(still.body).toMatchObject({ ok: true, data: { session: { username: 'teller', locked: false } } });
      await login('teller', TELLER_PASSWORD); // the teller's password is the teller's still
      const [tellerRow] = await here.rows(`SELECT failed_logins AS n FROM staff WHERE username = 'teller'`);
      expect(Number(tellerRow!.n)).toBe(0);
    });

    it("(d) another user's token cannot cancel a job while it runs; its owner's can, and the cancelled import writes nothing", async () => {
      // A server of its own that takes a larger upload: 12,000 registrations, an import long enough to be
      // caught running (it yields every 2,000 events with its transaction open).
      const roomy = await serveOn(here.books, {
        clock: () => t.clock.now,
        limits: { uploadBytes: 16 * 1024 * 1024, loginAttempts: 1000 },
      });
      const owner = await login('teller', TELLER_PASSWORD, roomy.url);
      const stranger = await login('approver', PASSWORD, roomy.url);
      const stream = await events(owner, roomy.url);
      try {
        const bulk = Array.from({ length: 12_000 }, (_, i) =>
          JSON.stringify({
            id: `bulk-${i}`,
            type: 'customer.registered',
            at: '2026-11-20T09:00:00+08:00',
            data: { customer: `B-${i}`, kind: 'person', name: '李娜' },
          }),
        ).join('\n');
        const up = await post(roomy.url, 'api/upload', Buffer.from(bulk), {
          authorization: `Bearer ${owner}`,
          'content-type': 'application/octet-stream',
          'x-coffer-file-name': 'bulk.jsonl',
        });
        const upload = (up.body.data as { upload: string }).upload;
        const previewing = await call('events.preview', {}, owner, { upload }, roomy.url);
        const preview = await stream.end((previewing.body.data as { jobId: string }).jobId);
        const { token: fileToken, sha256 } = (preview as { result: { token: string; sha256: string } }).result;
        const before = await unchanged();
        const importing = await call('events.import', { token: fileToken, sha256 }, owner, {}, roomy.url);
        const jobId = (importing.body.data as { jobId: string }).jobId;
        for (let i = 0; i < 5000 && !(await here.writing()); i++) await new Promise((r) => setImmediate(r));
        expect(await here.writing()).toBe(true); // underway

        const foreign = await call('jobs.cancel', { jobId }, stranger, {}, roomy.url);
        expect(refusal('jobs.cancel', foreign)).toEqual(['jobs.cancel', 200, false, 'NOT_FOUND', 'job_not_found']);
        const own = await call('jobs.cancel', { jobId }, owner, {}, roomy.url);
        expect(own.body).toEqual({ ok: true, data: { cancelling: jobId } }); // so it was still running when the stranger asked
        expect(await stream.end(jobId)).toMatchObject({ type: 'job.failed', error: { code: 'CANCELLED' } });
        expect(await unchanged()).toEqual(before);
      } finally {
        stream.close();
        await roomy.close();
      }
    }, 180_000); // on PostgreSQL the preview of 12,000 events alone takes seconds

    it.each(ROLES)(
      '(e) with a %s token, every method the role may not call: 403 role_forbidden, before its input is read',
      async (role) => {
        const token = await login(role);
        const before = await unchanged();
        const barred = methods.filter(([, d]) => Array.isArray(d.roles) && !(d.roles as readonly string[]).includes(role));
        expect(barred.length).toBeGreaterThan(0);
        for (const [method] of barred)
          expect(refusal(method, await call(method, {}, token))).toEqual([method, 403, false, 'FORBIDDEN', 'role_forbidden']);
        expect(await unchanged()).toEqual(before);
        // …and the same token is still good for what the role may do
        expect((await call('session.status', {}, token)).body).toMatchObject({ ok: true, data: { session: { role } } });
      },
    );

    it('a locked screen admits only what a locked screen may do: 423 screen_locked', async () => {
      const token = await login('auditor');
      expect((await call('session.lock', {}, token)).body.ok).toBe(true);
      const before = await unchanged();
      for (const [method] of guarded.filter(([, d]) => !d.whileLocked))
        expect(refusal(method, await call(method, {}, token)).slice(0, 4)).toEqual([method, 423, false, 'LOCKED']);
      expect(await unchanged()).toEqual(before);
      expect(guarded.filter(([, d]) => d.whileLocked).map(([m]) => m)).toEqual(['session.logout', 'session.unlock']);
    });
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
    const strict = await serveOn(here.books, { limits: { loginAttempts: 3 } });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await call('session.login', { username: 'clerk', password: 'wrong password 1' }, undefined, {}, strict.url);
        expect(r.body.error?.details.reason).not.toBe('login_rate_limited');
      }
      const before = await snapshot();
      const limited = await call('session.login', { username: 'clerk', password: PASSWORD }, undefined, {}, strict.url);
      expect(limited.status).toBe(429);
      expect(limited.body.error).toMatchObject({ code: 'LIMIT', details: { reason: 'login_rate_limited' } });
      expect(limited.body.token).toBeUndefined();
      expect(await snapshot()).toBe(before); // not even tried: no login row
    } finally {
      await strict.close();
    }
  });

  it('tells no caller before login where the books are: setup.status names no path over serve, as the desktop does', async () => {
    const status = await call('setup.status', {});
    expect(status.body).toEqual({ ok: true, data: { needsFirstAdmin: false, booksPath: null, schemaVersion: here.books.schemaVersion } });
    expect(await t.call('w', 'setup.status')).toMatchObject({ booksPath: t.anyBooks.path }); // the desktop's own window
    const where = [here.books.path, t.anyBooks.path, path.dirname(t.anyBooks.path), path.basename(t.anyBooks.path)];
    for (const [method] of methods.filter(([, d]) => d.roles === 'public')) {
      const r = await fetch(new URL('api/call', s.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method, input: {} }),
      });
      const text = await r.text();
      for (const w of where) expect([method, text.includes(w)]).toEqual([method, false]);
    }
  });

  it('serves no books without staff: whoever came first would make themselves admin', async () => {
    const empty = await testApi();
    try {
      expect((await empty.call('w', 'setup.status')).needsFirstAdmin).toBe(true);
      await expect(startServe({ books: empty.anyBooks, host: '127.0.0.1', port: 0, consoleDir: null })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { reason: 'serve_needs_staff' },
      });
      const cli = await coffer(['serve', '--books', empty.anyBooks.path, '--listen', '127.0.0.1:0']);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('has no staff users');
    } finally {
      await empty.cleanup();
    }
  });

  it('refuses to listen where others can reach it without TLS, unless --insecure', async () => {
    await expect(startServe({ books: here.books, host: '0.0.0.0', port: 0, consoleDir: null })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'serve_needs_tls', params: { host: '0.0.0.0' } },
    });
    const cli = await coffer(['serve', '--books', t.anyBooks.path, '--listen', '192.0.2.1:8080']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('VALIDATION');
    expect(cli.stderr).toContain('--listen 192.0.2.1 is reachable from other machines');
    const bad = await coffer(['serve', '--books', t.anyBooks.path, '--listen', 'nowhere']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('give HOST:PORT');
  });

  it('serves over TLS with the given certificate', async () => {
    const { cert, key } = selfSignedCert(fs.mkdtempSync(path.join(t.dir, 'tls-')));
    const tls = { cert, key };
    const secure = await serveOn(here.books, { tls });
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

      const before = await snapshot();
      const importing = await call('events.import', { token: fileToken, sha256 }, token);
      const importId = (importing.body.data as { jobId: string }).jobId;
      const done = await stream.end(importId);
      expect(done).toMatchObject({ type: 'job.done', result: { applied: 10, refused: 6 } });
      expect(stream.seen.some((e) => e.type === 'job.progress' && e.jobId === importId)).toBe(true);
      expect(await snapshot()).not.toBe(before);
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
      expect(started.body.downloads).toBeUndefined(); // the file is offered once written, on the job's end
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
