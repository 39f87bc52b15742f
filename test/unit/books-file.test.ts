// Opening books: the pragmas money needs, and refusal — without a single byte changed — of files
// that are not ours, are newer, or are damaged. Older books are backed up before they migrate.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openBooks, type Books } from '../../main/db/books';
import { BooksFileError } from '../../main/db/errors';
import { MIGRATIONS } from '../../main/db/migrations';
import { inWriteTx } from '../../main/db/tx';
import { verifyBooks } from '../../main/services/verify';
import { tempDir } from '../support/temp-books';

const dirs: string[] = [];
const open: Books[] = [];
function dir() {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const b of open.splice(0)) await b.close().catch(() => {});
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function refused(file: string) {
  const before = fs.readFileSync(file);
  const err = await openBooks(file).then(
    (b) => {
      open.push(b);
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BooksFileError);
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
  return err as BooksFileError;
}

describe('a new books file', () => {
  it('is created with WAL, synchronous=FULL, foreign keys on, untrusted schema and the current version', async () => {
    const b = await openBooks(path.join(dir(), 'new.books.sqlite'), { create: true });
    open.push(b);
    expect(b.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(b.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(b.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(b.raw.pragma('trusted_schema', { simple: true })).toBe(0);
    expect(b.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(b.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    const tables = b.raw.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
      sql: string;
    }[];
    for (const t of tables) expect(t.sql, `${t.name} is STRICT`).toMatch(/STRICT(, WITHOUT ROWID)?$/);
  });

  it('is not created when asked to open a missing file without create', async () => {
    const file = path.join(dir(), 'missing.books.sqlite');
    await expect(openBooks(file)).rejects.toMatchObject({ problem: 'not_found' });
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('files that are refused, unchanged', () => {
  it('a text file', async () => {
    const file = path.join(dir(), 'notes.txt');
    fs.writeFileSync(file, 'date,amount\n2026-01-01,12.00\n'.repeat(20));
    expect((await refused(file)).problem).toBe('not_a_books_file');
  });

  it('an SQLite database of another program', async () => {
    const file = path.join(dir(), 'other.sqlite');
    const db = new Sqlite(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close();
    const e = await refused(file);
    expect(e.problem).toBe('not_a_books_file');
    expect(e.message).toContain('not a Coffer books file');
  });

  it('books from a newer Coffer', async () => {
    const file = path.join(dir(), 'newer.books.sqlite');
    const b = await openBooks(file, { create: true });
    await b.close();
    const db = new Sqlite(file);
    db.pragma('journal_mode = DELETE');
    db.pragma('user_version = 999');
    db.close();
    const e = await refused(file);
    expect(e.problem).toBe('newer_version');
    expect(e.message).toMatch(/newer Coffer \(books version 999/);
  });

  /** Books padded with `rows` meta rows, in one file (no WAL), with the bytes in [from, to) scribbled over. */
  async function scribbled(name: string, rows: number, range: (size: number) => [number, number]): Promise<string> {
    const file = path.join(dir(), name);
    const b = await openBooks(file, { create: true });
    await inWriteTx(b, async (tx) => {
      for (let i = 0; i < rows; i++)
        await tx.sql("INSERT INTO meta (key, value) VALUES (?, 'padding padding padding padding')").run(`k${i}`);
    });
    await b.close();
    const db = new Sqlite(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = fs.readFileSync(file);
    const [from, to] = range(bytes.length);
    for (let i = from; i < to; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(file, bytes);
    return file;
  }

  it('a damaged file', async () => {
    // The middle pages, the schema's among them; the header intact.
    const file = await scribbled('damaged.books.sqlite', 2000, (size) => [8192, Math.min(size, 8192 * 6)]);
    expect((await refused(file)).problem).toBe('corrupt');
  });

  it('a damaged data page: opening reads only the header and schema (cheap at any size); verify finds it', async () => {
    // The last page only: rows of meta, far from the schema.
    const file = await scribbled('damaged-late.books.sqlite', 4000, (size) => [size - 16384 + 200, size - 200]);
    const books = await openBooks(file);
    open.push(books);
    const report = await verifyBooks(books);
    expect(report.ok).toBe(false);
    expect(report.findings.some((f) => f.check === 'integrity')).toBe(true);
  });
});

describe('an older books file', () => {
  it('is backed up with the online backup API before it migrates', async () => {
    const file = path.join(dir(), 'old.books.sqlite');
    const v1 = MIGRATIONS.slice(0, 1);
    const b = await openBooks(file, { create: true, migrations: v1 });
    await inWriteTx(b, async (tx) => tx.sql("INSERT INTO meta (key, value) VALUES ('mark', 'before')").run());
    await b.close();
    const next = [...MIGRATIONS, { version: 999, name: 'test upgrade', sql: "INSERT INTO meta (key, value) VALUES ('upgraded', 'yes');" }];
    const upgraded = await openBooks(file, { migrations: next });
    open.push(upgraded);
    expect(upgraded.schemaVersion).toBe(999);
    expect(upgraded.migratedFrom?.version).toBe(1);
    const backup = upgraded.migratedFrom!.backup;
    const copy = new Sqlite(backup, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare("SELECT value FROM meta WHERE key = 'mark'").get()).toEqual({ value: 'before' });
    expect(copy.prepare("SELECT count(*) AS n FROM meta WHERE key = 'upgraded'").get()).toEqual({ n: 0 });
    copy.close();
    expect(
      upgraded.raw
        .prepare('SELECT version FROM migrations ORDER BY version')
        .all()
        .map((r) => (r as { version: number }).version),
    ).toEqual([...MIGRATIONS.map((m) => m.version), 999]);
  });

  it('migration 21 widens the coin movement kinds to expiry by editing the CHECK in place; the file stays whole', async () => {
    const file = path.join(dir(), 'v20.books.sqlite');
    const insert = (b: Books, requestId: string, type: string) => () =>
      b.raw
        .prepare(
          "INSERT INTO coin_movements (request_id, type, wallet_kind, amount, status, requested_at) VALUES (?, ?, 'recharge', 1, 'refused', 0)",
        )
        .run(requestId, type);
    const old = await openBooks(file, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 20) });
    insert(old, 'spend-1', 'spend')();
    expect(insert(old, 'expiry-0', 'expiry')).toThrow(/CHECK/);
    await old.close();
    const b = await openBooks(file);
    open.push(b);
    expect(b.schemaVersion).toBeGreaterThanOrEqual(21);
    insert(b, 'expiry-1', 'expiry')();
    expect(insert(b, 'other-1', 'other')).toThrow(/CHECK/);
    expect(b.raw.prepare('SELECT request_id AS r, type FROM coin_movements ORDER BY id').all()).toEqual([
      { r: 'spend-1', type: 'spend' },
      { r: 'expiry-1', type: 'expiry' },
    ]);
    expect(b.raw.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a migration that fails leaves the file at its old version', async () => {
    const file = path.join(dir(), 'fail.books.sqlite');
    await (await openBooks(file, { create: true })).close();
    const bad = [
      ...MIGRATIONS,
      { version: 999, name: 'broken', sql: "INSERT INTO meta (key, value) VALUES ('half', 'done'); SELECT * FROM no_such_table;" },
    ];
    await expect(openBooks(file, { migrations: bad })).rejects.toThrow(/no_such_table/);
    const b = await openBooks(file);
    open.push(b);
    expect(b.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    expect(b.raw.prepare("SELECT count(*) AS n FROM meta WHERE key = 'half'").get()).toEqual({ n: 0 });
  });
});

describe('immutability', () => {
  it('refuses to update or delete transfers and audit rows, and to shrink posted balances', async () => {
    const b = await openBooks(path.join(dir(), 'imm.books.sqlite'), { create: true });
    open.push(b);
    b.raw
      .prepare(
        "INSERT INTO vouchers (period, word, number, date, summary, source, status, prepared_at) VALUES ('2026-11', '记', 1, '2026-11-03', 's', 'other', 'posted', 0)",
      )
      .run();
    const insert = (key: string, date: string | null, voucher: number | null, amount = 5) =>
      b.raw
        .prepare(
          "INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, code, ts, business_date, voucher_id) VALUES (?, 1, 1, 2, ?, 'single', 'x', 0, ?, ?)",
        )
        .run(key, amount, date, voucher);
    insert('t1', '2026-11-03', 1);
    expect(() => insert('t-undated', null, 1)).toThrow(/CHECK constraint failed: business_date IS NOT NULL/);
    expect(() => insert('t-bad-date', '2026/11/03', 1)).toThrow(/CHECK constraint failed: business_date IS NOT NULL/);
    expect(() => insert('t-no-voucher', '2026-11-03', null)).toThrow(/CHECK constraint failed: ledger <> 1 OR voucher_id IS NOT NULL/);
    b.raw.prepare("INSERT INTO audit (ts, staff_name, action, entity, prev_hash, hash) VALUES (0, 's', 'a', 'e', 'p', 'h')").run();
    b.raw.prepare('UPDATE accounts SET debits_posted = 5 WHERE id = 1').run();
    expect(() => b.raw.prepare('UPDATE transfers SET amount = 6').run()).toThrow(/immutable/);
    expect(() => b.raw.prepare('DELETE FROM transfers').run()).toThrow(/immutable/);
    expect(() => b.raw.prepare("UPDATE audit SET action = 'b'").run()).toThrow(/immutable/);
    expect(() => b.raw.prepare('DELETE FROM audit').run()).toThrow(/immutable/);
    expect(() => b.raw.prepare('UPDATE accounts SET debits_posted = 4 WHERE id = 1').run()).toThrow(/only grow/);
    expect(() => b.raw.prepare('DELETE FROM accounts WHERE id = 1').run()).toThrow(/never deleted/);
    expect(() => insert('t2', '2026-11-03', 1, 0)).toThrow(/CHECK/);
  });
});
