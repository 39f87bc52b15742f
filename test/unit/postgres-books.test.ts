// Books on PostgreSQL (issue "Shared books" §1): the schema written from the one migration list, its
// rules holding as SQLite's do, and a books file copied over and proved equal.
import { SEALED_TABLES } from '../../main/domain/row-seals';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBooks, type Books } from '../../main/db/books';
import { createPostgresBooks, copyBooksToPostgres, PostgresBooksError } from '../../main/db/postgres/books';
import { copyPostgresToBooksFile } from '../../main/db/postgres/copy-back';
import { globToRegex, NoTranslation, pgExpression, postgresDdl } from '../../main/db/postgres/ddl';
import { readSqliteSchema } from '../../main/db/postgres/sqlite-schema';
import { tallyDifferences, tallySqlite, type BooksTally } from '../../main/db/postgres/tally';
import { createDemoBooks } from '../../main/demo';
import { freshSchema, postgresReachable, POSTGRES_REQUIRED, type TestSchema } from '../support/postgres';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { tempDir } from '../support/temp-books';
import fs from 'node:fs';
import path from 'node:path';

const reachable = await postgresReachable();

describe('the SQLite schema written for PostgreSQL', () => {
  it('turns GLOB patterns into anchored regular expressions', () => {
    expect(globToRegex('[0-9][0-9][0-9][0-9]*')).toBe('^[0-9][0-9][0-9][0-9].*$');
    expect(globToRegex('*[^0-9]*')).toBe('^.*[^0-9].*$');
    expect(globToRegex('a.b?')).toBe('^a\\.b.$');
    expect(pgExpression("code NOT GLOB '*[^0-9]*'")).toBe("code !~ '^.*[^0-9].*$'");
  });

  it('refuses, by name, a SQLite function it has no translation for', () => {
    expect(() => pgExpression("typeof(amount) = 'integer'")).toThrow(NoTranslation);
    expect(() => pgExpression("typeof(amount) = 'integer'")).toThrow(/typeof\(\)/);
    expect(pgExpression("length(name) BETWEEN 1 AND 60 AND name IN ('a', 'b')")).toBe(
      "length(name) BETWEEN 1 AND 60 AND name IN ('a', 'b')",
    );
  });

  it('writes every table, index and trigger of the current version', async () => {
    const books = await openBooks(':memory:', { create: true });
    try {
      const schema = readSqliteSchema(books.raw);
      const ddl = postgresDdl(schema);
      expect(schema.tables.length).toBe(56);
      expect(ddl.filter((s) => s.startsWith('CREATE TABLE')).length).toBe(57); // and books_header
      expect(ddl.filter((s) => s.startsWith('CREATE UNLOGGED TABLE coffer_sealing')).length).toBe(1);
      const refusing = ddl.filter((s) => s.startsWith('CREATE TRIGGER') && !s.includes('coffer_note_rows'));
      expect(refusing.length).toBe(schema.triggers.length);
      // every sealed table's inserts, updates and deletes noted for its row seals
      const sealed = schema.tables.filter((t) => t.name in SEALED_TABLES && t.hasRowid);
      expect(sealed.length).toBe(Object.keys(SEALED_TABLES).length);
      expect(ddl.filter((s) => s.startsWith('CREATE TRIGGER') && s.includes('coffer_note_rows(')).length).toBe(3 * sealed.length);
      expect(ddl.filter((s) => /^CREATE (UNIQUE )?INDEX/.test(s)).length).toBe(schema.indexes.length);
    } finally {
      await books.close();
    }
  });

  it('sees a difference in rows, content, audit head or trial balance', () => {
    const a: BooksTally = {
      tables: [{ table: 'transfers', rows: 2, digest: 'x' }],
      auditHead: { id: '9', hash: 'h' },
      trialBalance: [{ ledger: 1, debits: '100', credits: '100' }],
    };
    expect(tallyDifferences(a, structuredClone(a))).toEqual([]);
    expect(tallyDifferences(a, { ...a, tables: [{ table: 'transfers', rows: 3, digest: 'x' }] })).toEqual(['transfers: 2 rows against 3']);
    expect(tallyDifferences(a, { ...a, tables: [{ table: 'transfers', rows: 2, digest: 'y' }] })).toEqual([
      'transfers: same 2 rows, different content',
    ]);
    expect(tallyDifferences(a, { ...a, tables: [] })).toEqual(['transfers: missing']);
    expect(tallyDifferences(a, { ...a, auditHead: { id: '9', hash: 'g' } })).toEqual(['the audit chain heads differ']);
    expect(tallyDifferences(a, { ...a, trialBalance: [{ ledger: 1, debits: '100', credits: '99' }] })).toEqual([
      'the trial balances differ',
    ]);
  });
});

it.runIf(POSTGRES_REQUIRED && !reachable)('PostgreSQL is running (COFFER_REQUIRE_POSTGRES=1)', () => {
  expect.fail('PostgreSQL does not answer on 127.0.0.1:5432: run scripts/ensure-postgres.sh');
});

describe.skipIf(!reachable)('books on PostgreSQL', () => {
  let pgBooks: TestSchema;
  let sqlite: Books;
  beforeAll(async () => {
    pgBooks = await freshSchema();
    await createPostgresBooks(pgBooks.url);
    sqlite = await openBooks(':memory:', { create: true });
    return async () => {
      await pgBooks.drop();
      await sqlite.close();
    };
  });

  it('has every table with the same columns, in order, and the same rows seeded', async () => {
    const schema = readSqliteSchema(sqlite.raw);
    for (const t of schema.tables) {
      const r = await pgBooks.client.query<{ column_name: string; is_nullable: string; data_type: string }>(
        'SELECT column_name, is_nullable, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
        [t.name],
      );
      const columns = r.rows.filter((c) => !(c.column_name === 'rowid' && t.rowidAlias === null));
      expect(
        columns.map((c) => c.column_name),
        t.name,
      ).toEqual(t.columns.map((c) => c.name));
      const types = { INTEGER: 'bigint', TEXT: 'text', BLOB: 'bytea' } as Record<string, string>;
      expect(
        columns.map((c) => c.data_type),
        t.name,
      ).toEqual(t.columns.map((c) => types[c.type]));
      const count = await pgBooks.client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.name}"`);
      const expected = (sqlite.raw.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n;
      expect(Number(count.rows[0]?.n), t.name).toBe(expected);
    }
    const header = await pgBooks.client.query('SELECT application_id, user_version FROM books_header');
    expect(header.rows).toEqual([{ application_id: String(sqlite.raw.pragma('application_id', { simple: true })), user_version: '24' }]);
  });

  /** What each engine says to one statement: 'ok', or the refusal's message. */
  const onSqlite = (sql: string) => {
    try {
      sqlite.raw.exec(sql);
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const onPostgres = async (sql: string) => {
    try {
      await pgBooks.client.query(sql);
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('refuses rewriting history with the same words as SQLite', async () => {
    for (const sql of [
      "UPDATE audit SET staff_name = 'someone else'",
      'DELETE FROM audit',
      "UPDATE subjects SET type = 'asset' WHERE code = '2204'",
      'DELETE FROM subjects',
      'UPDATE accounts SET debits_posted = debits_posted - 1 WHERE id = 1',
    ]) {
      const said = onSqlite(sql);
      expect(said, sql).not.toBe('ok');
      expect(await onPostgres(sql), sql).toBe(said);
    }
  });

  it('keeps the same checks: counter numbers, codes, case-insensitive user names', async () => {
    const cases: [string, 'ok' | 'refused'][] = [
      [
        "INSERT INTO counter_numbers (number, year, seq, kind, request_id, created_at) VALUES ('GT2026-000123', 2026, 123, 'recharge', 'r1', 0)",
        'ok',
      ],
      [
        "INSERT INTO counter_numbers (number, year, seq, kind, request_id, created_at) VALUES ('GT2026-1234567', 2026, 1234567, 'recharge', 'r2', 0)",
        'ok',
      ],
      [
        "INSERT INTO counter_numbers (number, year, seq, kind, request_id, created_at) VALUES ('GT2026-124', 2026, 124, 'recharge', 'r3', 0)",
        'refused',
      ],
      [
        "INSERT INTO subjects (code, name, name_en, type, parent_code, created_at) VALUES ('22a4', 'x', 'x', 'liability', NULL, 0)",
        'refused',
      ],
      ["INSERT INTO subjects (code, name, name_en, type, parent_code, created_at) VALUES ('660399', 'x', 'x', 'expense', '6603', 0)", 'ok'],
      [
        "INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES ('Wang', '王', 'clerk', 'h', 0, 0)",
        'ok',
      ],
      [
        "INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES ('wANG', '王', 'clerk', 'h', 0, 0)",
        'refused',
      ],
      [
        "INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES ('li', '李', 'cashier', 'h', 0, 0)",
        'refused',
      ],
    ];
    for (const [sql, expected] of cases) {
      const sqliteSaid = onSqlite(sql) === 'ok' ? 'ok' : 'refused';
      const postgresSaid = (await onPostgres(sql)) === 'ok' ? 'ok' : 'refused';
      expect({ sql, sqlite: sqliteSaid, postgres: postgresSaid }).toEqual({ sql, sqlite: expected, postgres: expected });
    }
  });
});

describe.skipIf(!reachable)('coffer books copy: a books file onto PostgreSQL', () => {
  let target: TestSchema | null = null;
  afterEach(async () => {
    await target?.drop();
    target = null;
  });

  it('copies demo books whole and proves them equal: every table, the audit head, the trial balance', async () => {
    const books = await openBooks(':memory:', { create: true });
    try {
      await createDemoBooks(books, { password: 'demo-password-1', customers: 12, seed: 5, now: Date.UTC(2026, 10, 20) });
      const schema = readSqliteSchema(books.raw);
      const before = tallySqlite(books.raw, schema);
      target = await freshSchema();
      const report = await copyBooksToPostgres(books.raw, target.url);
      expect(report.tally).toEqual(before);
      expect(report.rows).toBe(
        schema.tables.reduce((n, t) => n + (books.raw.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n, 0),
      );
      expect(before.tables.find((t) => t.table === 'transfers')!.rows).toBeGreaterThan(50);
      // the chain's head row, as PostgreSQL holds it
      const head = await target.client.query('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
      expect(head.rows[0]).toEqual({ id: before.auditHead!.id, hash: before.auditHead!.hash });
      // new rows take ids after the copied ones, as SQLite's rowids would
      const next = await target.client.query<{ id: string }>(
        "INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES ('newcomer', 'n', 'clerk', 'h', 0, 0) RETURNING id",
      );
      const largest = books.raw.prepare('SELECT max(id) AS id FROM staff').get() as { id: number };
      expect(Number(next.rows[0]?.id)).toBe(largest.id + 1);
    } finally {
      await books.close();
    }
  });

  it('refuses books already there and leaves them as they were', async () => {
    const books = await openBooks(':memory:', { create: true });
    try {
      target = await freshSchema();
      await copyBooksToPostgres(books.raw, target.url);
      const count = async () => (await target!.client.query<{ n: string }>('SELECT count(*) AS n FROM audit')).rows[0]?.n;
      const before = await count();
      const refused = await copyBooksToPostgres(books.raw, target.url).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PostgresBooksError);
      expect((refused as PostgresBooksError).code).toBe('not_empty');
      expect(await count()).toBe(before);
    } finally {
      await books.close();
    }
  });
});

describe.skipIf(!reachable)('the command line: coffer books copy --from FILE --to URL', () => {
  let target: TestSchema | null = null;
  afterEach(async () => {
    await target?.drop();
    target = null;
  });

  it(
    'copies, prints the tally in yuan and coins without the password, and refuses a second copy, two files and --db',
    async () => {
      const file = path.join(tempDir(), 'books.sqlite');
      const books = await openBooks(file, { create: true });
      await createDemoBooks(books, { password: 'demo-password-1', customers: 6, seed: 3, now: Date.UTC(2026, 10, 20) });
      const before = tallySqlite(books.raw, readSqliteSchema(books.raw));
      await books.close();
      target = await freshSchema();
      const withPassword = target.url.replace('postgres://postgres@', 'postgres://postgres:hunter2@');

      const copied = await coffer(['books', 'copy', '--from', file, '--to', withPassword]);
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
      expect(copied.stdout).not.toContain('hunter2');
      expect(copied.stdout).toContain(`audit chain head: #${before.auditHead!.id} ${before.auditHead!.hash}`);
      const cny = before.trialBalance.find((b) => b.ledger === 1)!;
      const yuan = (Number(cny.debits) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
      expect(copied.stdout).toContain(`trial balance CNY: ${yuan} yuan Dr = ${yuan} yuan Cr`);

      const again = await coffer(['books', 'copy', '--from', file, '--to', target.url]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/CONFLICT: .* already holds books/);

      const twoFiles = await coffer(['books', 'copy', '--from', file, '--to', `${file}.2`]);
      expect(twoFiles.code).toBe(1);
      expect(twoFiles.stderr).toContain('VALIDATION: one of --from and --to is a books file, the other a postgres:// URL');

      // --db takes the URL now (cli-postgres.test.ts); what needs the file itself is refused.
      const backup = await coffer(['backup', '--db', target.url]);
      expect(backup.code).toBe(1);
      expect(backup.stderr).toContain('VALIDATION: backup needs a books file');
    },
    CLI_TEST_TIMEOUT,
  );
});

describe.skipIf(!reachable)('coffer books copy --from URL --to FILE: back into a books file', () => {
  let source: TestSchema | null = null;
  afterEach(async () => {
    await source?.drop();
    source = null;
  });

  /** Demo books in a file with its key and anchor, copied onto PostgreSQL: the file, its key and its tally. */
  async function booksOnPostgres() {
    const dir = tempDir();
    const file = path.join(dir, 'books.sqlite');
    const books = await openBooks(file, { create: true });
    await createDemoBooks(books, { password: 'demo-password-1', customers: 6, seed: 3, now: Date.UTC(2026, 10, 20) });
    const tally = tallySqlite(books.raw, readSqliteSchema(books.raw));
    await books.close();
    source = await freshSchema();
    const copied = await coffer(['books', 'copy', '--from', file, '--to', source.url]);
    expect(copied.code).toBe(0);
    return { dir, file, key: `${file}.key`, tally, url: source.url };
  }

  it(
    'makes a new books file equal to the original: same tally, verify clean with the anchor signed, and refuses what it must',
    async () => {
      const { dir, file, key, tally, url } = await booksOnPostgres();
      expect(fs.existsSync(key)).toBe(true);
      const back = path.join(dir, 'back.sqlite');
      fs.copyFileSync(key, `${back}.key`); // the key goes with the books, as the help says
      const copied = await coffer(['books', 'copy', '--from', url, '--to', back, '--key', key]);
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
      expect(copied.stdout).toContain(`audit chain head: #${tally.auditHead!.id} ${tally.auditHead!.hash}`);
      expect(copied.stdout).toContain('signed with the books key');

      const reopened = await openBooks(back);
      try {
        expect(tallySqlite(reopened.raw, readSqliteSchema(reopened.raw))).toEqual(tally);
      } finally {
        await reopened.close();
      }
      // verify proves the copy whole: balances, ties, every row against its seal, the anchored head signed
      const verified = await coffer(['verify', '--db', back, '--json']);
      expect(verified.code).toBe(0);
      const report = JSON.parse(verified.stdout) as {
        ok: boolean;
        findings: unknown[];
        anchor: { state: string; signatureChecked: boolean };
      };
      expect(report.findings).toEqual([]);
      expect(report.anchor).toMatchObject({ state: 'ok', signatureChecked: true });

      // refused, writing nothing: the file exists; a key of other books; a schema without books; another version
      const before = fs.readFileSync(back);
      const exists = await coffer(['books', 'copy', '--from', url, '--to', back]);
      expect(exists.code).toBe(1);
      expect(exists.stderr).toContain(`CONFLICT: ${back} exists: books are copied back only into a new file`);
      expect(fs.readFileSync(back).equals(before)).toBe(true);

      const otherKey = path.join(dir, 'other.key');
      fs.writeFileSync(otherKey, 'ab'.repeat(32));
      const third = path.join(dir, 'third.sqlite');
      const wrongKey = await coffer(['books', 'copy', '--from', url, '--to', third, '--key', otherKey]);
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toContain(`VALIDATION: ${otherKey} is not the key of these books`);
      const notAKey = await coffer(['books', 'copy', '--from', url, '--to', third, '--key', file]);
      expect(notAKey.code).toBe(1);
      expect(notAKey.stderr).toContain(`VALIDATION: ${file} is not the key of these books`);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('third'))).toEqual([]);

      const empty = await freshSchema();
      try {
        const none = await coffer(['books', 'copy', '--from', empty.url, '--to', third]);
        expect(none.code).toBe(1);
        expect(none.stderr).toMatch(/NOT_FOUND: .* holds no books/);
      } finally {
        await empty.drop();
      }
      await source!.client.query('UPDATE books_header SET user_version = user_version + 1');
      const newer = await coffer(['books', 'copy', '--from', url, '--to', third]);
      expect(newer.code).toBe(1);
      expect(newer.stderr).toMatch(/CONFLICT: .* holds books version \d+; this Coffer copies version \d+/);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('third'))).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );

  it('writes an unsigned anchor without a key; books broken on PostgreSQL (a key to nowhere) are refused and leave no file', async () => {
    const { dir, url } = await booksOnPostgres();
    const back = path.join(dir, 'unsigned.sqlite');
    const report = await copyPostgresToBooksFile(url, back, null);
    expect(report.anchorSigned).toBe(false);
    expect(fs.existsSync(`${back}.anchor`)).toBe(true);
    // A foreign key broken on the PostgreSQL side (written there outside Coffer) is refused at the commit.
    await source!.client.query('ALTER TABLE transfers DISABLE TRIGGER ALL');
    await source!.client.query('UPDATE transfers SET debit_account_id = 999999 WHERE id = (SELECT min(id) FROM transfers)');
    const broken = path.join(dir, 'broken.sqlite');
    await expect(copyPostgresToBooksFile(url, broken, null)).rejects.toThrow(/FOREIGN KEY/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('broken'))).toEqual([]);
  });
});
