// Issue 15 §1–2: the CLI's --db and serve's --books take a postgres:// URL as well as a books file. Demo
// books made by `coffer demo`, copied to a fresh schema by `coffer books copy`; then the same commands on
// the file and on the URL. The URL carries a password (trust auth ignores it) that must never be printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresBooks, type PostgresBooks } from '../../main/db/postgres/open';
import { openBooksAt } from '../../main/cli/open';
import { inWriteTx } from '../../main/db/tx';
import { startServe } from '../../main/serve/server';
import { CLI_TEST_TIMEOUT, coffer } from '../support/cli-run';
import { freshSchema, postgresReachable, POSTGRES_REQUIRED, type TestSchema } from '../support/postgres';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

const reachable = await postgresReachable();
const PASSWORD = 'demo password 123';
const SECRET = 'hunter2secret';

describe.skipIf(!reachable && !POSTGRES_REQUIRED)('the CLI on books at a postgres:// URL', () => {
  let dir: string;
  let file: string;
  let target: TestSchema;
  /** The schema's URL with a password in it. */
  let url: string;

  const auditCount = async () => Number((await target.client.query<{ n: string }>('SELECT count(*) AS n FROM audit')).rows[0]!.n);
  const matched = async () =>
    (await target.client.query<{ id: number }>("SELECT id FROM recharge_requests WHERE status = 'matched' ORDER BY id")).rows.map((r) =>
      Number(r.id),
    );
  const expectNoSecret = (...texts: string[]) => {
    for (const s of texts) expect(s).not.toContain(SECRET);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-cli-pg-'));
    file = path.join(dir, 'demo.books.sqlite');
    const demo = await coffer(['demo', '--db', file, '--customers', '20'], `${PASSWORD}\n`);
    expect(demo.code, demo.stderr).toBe(0);
    target = await freshSchema();
    const u = new URL(target.url);
    u.password = SECRET;
    url = u.toString();
    const copy = await coffer(['books', 'copy', '--from', file, '--to', url]);
    expect(copy.code, copy.stderr).toBe(0);
    expectNoSecret(copy.stdout, copy.stderr);
  });
  afterAll(async () => {
    await target?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // First, before any login writes its audit entry: the file and the URL hold the same books, so verify's report is the same but for what
  // only a file has (its anchor, SQLite's page check, said skipped).
  it('verifies the URL with the same ties and counts as the file, the page check named as skipped', async () => {
    const onFile = await coffer(['verify', '--db', file, '--json']);
    const onUrl = await coffer(['verify', '--db', url, '--json']);
    expect(onFile.code, onFile.stderr).toBe(0);
    expect(onUrl.code, onUrl.stderr).toBe(0);
    expectNoSecret(onUrl.stdout, onUrl.stderr);
    const [a, b] = [JSON.parse(onFile.stdout), JSON.parse(onUrl.stdout)];
    expect(a.skipped).toEqual([]);
    expect(b.skipped).toEqual([{ check: 'integrity', why: expect.stringContaining('integrity_check') }]);
    expect(b.anchor).toBeNull();
    for (const part of ['ok', 'findings', 'counts', 'ledgers', 'ties', 'lastAuditHash']) expect(b[part], part).toEqual(a[part]);
    const text = await coffer(['verify', '--db', url]);
    expect(text.code, text.stderr).toBe(0);
    expectNoSecret(text.stdout);
    expect(text.stdout).toContain('Skipped [integrity]: SQLite’s page check (integrity_check)');
    expect(text.stdout).toContain('OK: no findings.');
  });

  it('reads the same on the URL as on the file, offline and as a named user, without printing the password', async () => {
    const onFile = await coffer(['report', 'trial-balance', '--db', file]);
    const onUrl = await coffer(['report', 'trial-balance', '--db', url]);
    expect(onUrl.stderr).toBe('');
    expect(onUrl.code).toBe(onFile.code);
    expectNoSecret(onUrl.stdout);
    expect(onUrl.stdout.replaceAll(new URL(url.replace(SECRET, '***')).toString(), file)).toBe(onFile.stdout);
    const json = await coffer(['report', 'trial-balance', '--db', url, '--json']);
    expectNoSecret(json.stdout);
    const named = await coffer(['report', 'trial-balance', '--db', url, '--json', '--as', 'auditor'], `${PASSWORD}\n`);
    expect(named.code, named.stderr).toBe(json.code);
    expect(named.stdout).toBe(json.stdout);
  });

  it('runs a named write on the URL and records it in the audit there', async () => {
    const [id] = await matched();
    expect(id).toBeDefined();
    const before = await auditCount();
    const r = await coffer(
      ['reject', '--db', url, '--as', 'approver', '--id', String(id), '--reason', 'not ours', '--json'],
      `${PASSWORD}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'rejected', id });
    const { rows } = await target.client.query<{ action: string; actor: string }>(
      'SELECT action, staff_name AS actor FROM audit WHERE id > $1 ORDER BY id',
      [before],
    );
    expect(rows).toContainEqual({ action: 'recharge.reject', actor: 'approver' });
    expect(await matched()).not.toContain(id);
  });

  it('refuses an offline reader nothing it could write, what needs a books file with books_file_needed, and new books over books with staff', async () => {
    const before = await auditCount();
    const out = path.join(dir, 'backup.sqlite');
    const backup = await coffer(['backup', '--db', url, '--out', out, '--as', 'admin'], `${PASSWORD}\n`);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('VALIDATION');
    expect(backup.stderr).toContain('coffer books copy');
    expectNoSecret(backup.stdout, backup.stderr);
    expect(fs.existsSync(out)).toBe(false);
    // Books with staff: init and demo make only new books, on a URL as on a file.
    for (const args of [
      ['init', '--admin', 'x', '--db', url],
      ['demo', '--db', url],
    ]) {
      const made = await coffer(args, `${PASSWORD}\n`);
      expect(made.code).toBe(1);
      expect(made.stderr).toMatch(/CONFLICT: .*already has 6 staff user\(s\)/);
      expectNoSecret(made.stdout, made.stderr);
    }
    expect(await auditCount()).toBe(before); // not even a login
    // The invoice workbook is marked in the books, wherever they are: refused here only for what the demo lacks.
    const invoices = await coffer(
      ['export', 'invoices', '--db', url, '--out', path.join(dir, 'inv.xlsx'), '--as', 'auditor'],
      `${PASSWORD}\n`,
    );
    expect(invoices.code).toBe(1);
    expect(invoices.stderr).toMatch(/no blue invoices match/);
  });

  it('opens the URL for the offline reader with every transaction READ ONLY', async () => {
    const books = await openBooksAt(url, 'read');
    try {
      await expect(inWriteTx(books, (tx) => tx.sql("UPDATE meta SET value = value WHERE key = 'none'").run())).rejects.toMatchObject({
        code: '25006', // read_only_sql_transaction
      });
    } finally {
      await books.close();
    }
  });

  it('serves the URL: a login, a read and a write over HTTP (two servers of it: test/unit/serve.test.ts)', async () => {
    const books: PostgresBooks = await openPostgresBooks(url);
    const s = await startServe({ books, host: '127.0.0.1', port: 0, consoleDir: null, scanWorker: null });
    try {
      const call = async (method: string, input: unknown, token?: string) => {
        const r = await fetch(new URL('api/call', s.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ method, input }),
        });
        return (await r.json()) as { ok: boolean; token?: string; data?: unknown; error?: { code: string } };
      };
      const login = await call('session.login', { username: 'approver', password: PASSWORD });
      expect(login.ok, JSON.stringify(login)).toBe(true);
      const token = login.token!;
      const tb = await call('ledger.trialBalance', {}, token);
      expect(tb.ok, JSON.stringify(tb)).toBe(true);
      expect((tb.data as { balanced: boolean }[]).every((x) => x.balanced)).toBe(true);
      const [id] = await matched();
      const before = await auditCount();
      const got = (await call('requests.get', { id }, token)) as { data: { request: { version: number } } };
      const rejected = await call('requests.reject', { id, reason: 'served', version: got.data.request.version }, token);
      expect(rejected.ok, JSON.stringify(rejected)).toBe(true);
      expect(await auditCount()).toBeGreaterThan(before);
      const backup = await call('books.backup', {}, token);
      expect(backup.ok).toBe(false);

      expect((await call('session.logout', {}, token)).ok).toBe(true);
    } finally {
      await s.close();
      await books.close();
    }
  });
});

describe.skipIf(!reachable && !POSTGRES_REQUIRED)('new books at a postgres:// URL', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await freshSchema();
  });
  afterAll(async () => await schema?.drop());

  it('init makes books in the empty schema with their first admin, who can then sign in and verify them', async () => {
    const made = await coffer(['init', '--admin', 'boss', '--display-name', '老板', '--db', schema.url], `${PASSWORD}\n`);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('with admin boss');
    const staff = await schema.client.query<{ username: string; role: string }>('SELECT username, role FROM staff');
    expect(staff.rows).toEqual([{ username: 'boss', role: 'admin' }]);
    const verify = await coffer(['verify', '--db', schema.url, '--as', 'boss'], `${PASSWORD}\n`);
    expect(verify.code, verify.stderr).toBe(0);
    // A second init finds the admin and changes nothing.
    const again = await coffer(['init', '--admin', 'other', '--db', schema.url], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has 1 staff user(s)');
    expect((await schema.client.query('SELECT username FROM staff')).rows).toHaveLength(1);
  });

  it('demo makes demo books in an empty schema, which verify proves whole', async () => {
    const other = await freshSchema();
    try {
      const made = await coffer(['demo', '--db', other.url, '--customers', '5'], `${PASSWORD}\n`);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/Created demo books .* 5 customers/);
      expect(Number((await other.client.query<{ n: string }>('SELECT count(*) AS n FROM staff')).rows[0]!.n)).toBe(6);
      const verify = await coffer(['verify', '--db', other.url]);
      expect(verify.code, verify.stderr).toBe(0);
    } finally {
      await other.drop();
    }
  });

  it('init refuses a short password before it makes anything in the schema', async () => {
    const other = await freshSchema();
    try {
      const made = await coffer(['init', '--admin', 'boss', '--db', other.url], 'short\n');
      expect(made.code).toBe(1);
      expect(made.stderr).toContain('VALIDATION');
      const tables = await other.client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()');
      expect(tables.rows).toEqual([]);
    } finally {
      await other.drop();
    }
  });
});
