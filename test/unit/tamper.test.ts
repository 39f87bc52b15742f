// The tampering suite (issue 11 §1): 21 direct edits of a books file, each made the way an attacker
// holding the file would — another SQLite connection (none of Coffer's capture triggers), the guard
// triggers dropped first — and each must be a verify finding whose text names what was touched.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBooks } from '../../main/db/books';
import { anchorPathFor, readAnchor, writeAnchor } from '../../main/db/anchor';
import { keyPathFor, setKeyVault } from '../../main/db/books-key';
import { inReadSnapshot, inWriteTx, type AnyBooks } from '../../main/db/tx';
import { copyBooksToPostgres } from '../../main/db/postgres/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import { auditHash } from '../../main/domain/audit-chain';
import { SEALED_TABLES, rowSeal, sealsDigest } from '../../main/domain/row-seals';
import { createDemoBooks } from '../../main/demo';
import { createFirstAdmin } from '../../main/services/staff';
import { recordAudit } from '../../main/services/audit';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import { verifyBooks, type VerifyReport } from '../../main/services/verify';
import { ON_POSTGRES, PASSWORD, copyBooksFile, tempDir } from '../support/temp-books';
import { freshSchema, type TestSchema } from '../support/postgres';
import { asAttacker, one, rechain, type Attacker } from '../support/tamper';

const NOW = Date.parse('2026-11-25T10:00:00+08:00');
let root: string;
let pristine: string;
let older: string;
let other: string;
let n = 0;

beforeAll(async () => {
  root = tempDir('coffer-tamper-');
  pristine = path.join(root, 'pristine.books.sqlite');
  const books = await openBooks(pristine, { create: true });
  await createDemoBooks(books, { password: PASSWORD, customers: 25, seed: 7, now: NOW });
  await books.close();
  // An older copy of the same books, then one more recorded action, so the copy is behind the anchor.
  older = path.join(root, 'older.books.sqlite');
  fs.copyFileSync(pristine, older);
  const again = await openBooks(pristine);
  await inWriteTx(again, async (tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.later', entity: 'books' }));
  await again.close();
  // Other books: valid, with their own chain and anchor.
  other = path.join(root, 'other.books.sqlite');
  const o = await openBooks(other, { create: true });
  await inWriteTx(o, async (tx) => createFirstAdmin(tx, { username: 'mallory', displayName: 'M', passwordHash: 'x' }));
  await o.close();
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// PostgreSQL books for a case: the pristine books copied into a schema of their own (as `coffer books copy` does)
const schemas: TestSchema[] = [];
afterEach(async () => {
  for (const s of schemas.splice(0)) await s.drop();
});

/** A fresh copy of the pristine books with its key and anchor, in a folder of its own. */
function copyOfBooks(): string {
  const dir = path.join(root, `case-${++n}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'books.sqlite');
  copyBooksFile(pristine, file);
  return file;
}

/** The attacker's connection: every guard trigger dropped, then `edit` runs. */
function tamper(file: string, edit: (db: Sqlite.Database) => void): void {
  const db = new Sqlite(file);
  try {
    for (const { name } of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").all() as { name: string }[])
      db.exec(`DROP TRIGGER "${name}"`);
    edit(db);
  } finally {
    db.close();
  }
}

async function verifyFile(file: string): Promise<VerifyReport> {
  const books = await openBooks(file);
  try {
    return await verifyBooks(books, undefined, file);
  } finally {
    await books.close();
  }
}

const messagesOf = async (file: string) => (await verifyFile(file)).findings.map((f) => f.message);

/** A fresh copy of the pristine books on the engine the suites run on: a file, or a schema's URL. */
async function copyOfTheBooks(): Promise<{ file: string } | { url: string }> {
  if (!ON_POSTGRES) return { file: copyOfBooks() };
  const schema = await freshSchema();
  schemas.push(schema);
  const raw = new Sqlite(pristine, { readonly: true });
  try {
    await copyBooksToPostgres(raw, schema.url);
  } finally {
    raw.close();
  }
  return { url: schema.url };
}

/** The books at `where` opened by Coffer for `work`, then closed. */
async function withBooks<T>(where: { file: string } | { url: string }, work: (books: AnyBooks) => Promise<T>): Promise<T> {
  const books = 'file' in where ? await openBooks(where.file) : await openPostgresBooks(where.url);
  try {
    return await work(books);
  } finally {
    await books.close();
  }
}

const verifyAt = (where: { file: string } | { url: string }) =>
  withBooks(where, (books) => inReadSnapshot(books, (q) => verifyBooks(q, undefined, 'file' in where ? where.file : undefined)));

async function messagesAfter(edit: (db: Attacker) => Promise<void>): Promise<string[]> {
  const where = await copyOfTheBooks();
  await asAttacker(where, edit);
  return (await verifyAt(where)).findings.map((f) => f.message);
}

/** The audit entry whose seal a row carries now (the one verify names). */
const sealedBy = async (db: Attacker, table: keyof typeof SEALED_TABLES, rowId: number) =>
  (await db.one<{ a: number }>('SELECT max(audit_id) AS a FROM seals WHERE tbl = ? AND row_id = ?', SEALED_TABLES[table], rowId)).a;

const changed = (table: string, rowId: number, auditId: number) =>
  `${table} row ${rowId} was changed outside Coffer: it does not match its seal in audit entry ${auditId}`;

/** Edits 7–12 and 14–16: the row `row` selects (its id as `id`), changed by `edit` (the id as its one ?). */
const ONE_ROW_EDITS: {
  name: string;
  table: keyof typeof SEALED_TABLES;
  row: string;
  edit: string;
  alsoFinds?: string;
}[] = [
  {
    name: '7. a bank line’s amount ×10',
    table: 'bank_lines',
    row: 'SELECT min(id) AS id FROM bank_lines',
    edit: 'UPDATE bank_lines SET amount = amount * 10 WHERE id = ?',
  },
  {
    name: '8. a recharge record’s coins',
    table: 'recharge_records',
    row: 'SELECT min(id) AS id FROM recharge_records',
    edit: 'UPDATE recharge_records SET paid_coins = paid_coins + 5000 WHERE id = ?',
  },
  {
    name: '9. staff.role clerk → admin',
    table: 'staff',
    row: "SELECT id FROM staff WHERE username = 'clerk'",
    edit: "UPDATE staff SET role = 'admin' WHERE id = ?",
  },
  {
    name: '10. a password hash swapped for another user’s',
    table: 'staff',
    row: "SELECT id FROM staff WHERE username = 'approver'",
    edit: "UPDATE staff SET password_hash = (SELECT password_hash FROM staff WHERE username = 'clerk') WHERE id = ?",
  },
  {
    name: '11. a setting’s value',
    table: 'setting_changes',
    row: "SELECT min(id) AS id FROM setting_changes WHERE status = 'confirmed'",
    edit: "UPDATE setting_changes SET value = '99999999' WHERE id = ?",
  },
  {
    name: '12. a customer’s name',
    table: 'customers',
    row: 'SELECT 1 AS id',
    edit: "UPDATE customers SET name = '王五' WHERE id = ?",
  },
  {
    name: '14. a recharge request’s status set to credited',
    table: 'recharge_requests',
    row: "SELECT min(id) AS id FROM recharge_requests WHERE status <> 'credited'",
    edit: "UPDATE recharge_requests SET status = 'credited' WHERE id = ?",
  },
  {
    name: '15. a transfer’s amount changed alone',
    table: 'transfers',
    row: 'SELECT max(id) AS id FROM transfers',
    edit: 'UPDATE transfers SET amount = amount + 1 WHERE id = ?',
    alsoFinds: 'but its transfers sum to', // the accounts' kept balances no longer agree with it
  },
  {
    name: '16. an account’s kept balance changed alone',
    table: 'accounts',
    row: 'SELECT 2 AS id',
    edit: 'UPDATE accounts SET credits_posted = credits_posted + 100 WHERE id = ?',
  },
];

describe('untouched books', () => {
  it('verify clean, with the anchor at the chain’s head and its signature checked', async () => {
    const r = await verifyAt(await copyOfTheBooks());
    expect(r.findings).toEqual([]);
    // the anchor is a file beside the books: PostgreSQL books have none
    if (ON_POSTGRES) expect(r.anchor).toBeNull();
    else expect(r.anchor).toMatchObject({ state: 'ok', signatureChecked: true });
    expect(r.counts.sealedRows).toBeGreaterThan(1000);
  });
});

describe('the 21 edits', () => {
  // 2–6 and 21 are caught by the anchor and key beside a books file, or are edits of the file itself:
  // PostgreSQL books have neither, so there they are SQLite's only
  it('1. a transfer raised by 100,000 coins, both kept balances adjusted to match', async () => {
    let expected: string[] = [];
    const messages = await messagesAfter(async (db) => {
      const t = await db.one<{ id: number; d: number; c: number }>(
        'SELECT t.id, t.debit_account_id AS d, t.credit_account_id AS c FROM transfers t JOIN accounts a ON a.id = t.debit_account_id WHERE t.ledger = 2 AND (a.flags & 1) = 0 ORDER BY t.id LIMIT 1',
      );
      await db.run('UPDATE transfers SET amount = amount + 100000 WHERE id = ?', t.id);
      await db.run('UPDATE accounts SET debits_posted = debits_posted + 100000 WHERE id = ?', t.d);
      await db.run('UPDATE accounts SET credits_posted = credits_posted + 100000 WHERE id = ?', t.c);
      expected = [
        changed('transfers', t.id, await sealedBy(db, 'transfers', t.id)),
        changed('accounts', t.d, await sealedBy(db, 'accounts', t.d)),
        changed('accounts', t.c, await sealedBy(db, 'accounts', t.c)),
      ];
    });
    expect(messages).toEqual(expect.arrayContaining(expected));
  });

  it.skipIf(ON_POSTGRES)('2. the last 3 audit rows deleted', async () => {
    let last = 0;
    const messages = await messagesAfter(async (db) => {
      last = (await db.one<{ m: number }>('SELECT max(id) AS m FROM audit')).m;
      await db.run('DELETE FROM audit WHERE id > ?', last - 3);
    });
    expect(messages).toContain(
      `the books end at audit entry ${last - 3} but their anchor holds entry ${last}: entries were removed or the file was rolled back to an older copy`,
    );
  });

  it.skipIf(ON_POSTGRES)('3. an audit row edited and the whole chain recomputed after it', async () => {
    let last = 0;
    const file = copyOfBooks();
    tamper(file, (db) => {
      last = one<{ m: number }>(db, 'SELECT max(id) AS m FROM audit').m;
      rechain(db, last - 9, (r) => (r.id === last - 9 ? { ...r, staff_name: 'someone else' } : r));
    });
    const messages = await messagesOf(file);
    expect(messages.filter((m) => m.startsWith('audit row'))).toEqual([]); // the chain itself recomputes
    expect(
      messages.some((m) => m.startsWith(`audit entry ${last} hashes to `) && m.endsWith('in the anchor: the chain was rewritten')),
    ).toBe(true);
  });

  it.skipIf(ON_POSTGRES)('4. a forged audit row appended with a valid hash', async () => {
    let last = 0;
    const messages = await messagesAfter(async (db) => {
      const head = await db.one<{ id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
      last = head.id;
      const c = {
        ts: NOW,
        staffId: 1,
        staffName: 'admin',
        action: 'settings.confirm',
        entity: 'setting',
        entityId: 'x',
        before: null,
        after: null,
        count: 1,
        rowsDigest: sealsDigest([]),
      };
      await db.run(
        'INSERT INTO audit (ts, staff_id, staff_name, action, entity, entity_id, item_count, prev_hash, hash, rows_digest) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
        c.ts,
        c.staffId,
        c.staffName,
        c.action,
        c.entity,
        c.entityId,
        head.hash,
        auditHash(head.hash, c),
        c.rowsDigest,
      );
    });
    expect(messages).toContain(
      `the books go past their anchor: audit entry ${last + 1} was added outside Coffer (the anchor holds entry ${last})`,
    );
  });

  it.skipIf(ON_POSTGRES)('5. the file replaced by another valid books file', async () => {
    const file = copyOfBooks();
    fs.copyFileSync(other, file);
    const messages = await messagesOf(file);
    expect(
      messages.some((m) =>
        /^the anchor beside the books was written for other books \([0-9a-f]{32}\); these are [0-9a-f]{32}: the file was put in their place$/.test(
          m,
        ),
      ),
    ).toBe(true);
  });

  it.skipIf(ON_POSTGRES)('6. the file rolled back to an older copy', async () => {
    const file = copyOfBooks();
    fs.copyFileSync(older, file);
    const head = readAnchor(file);
    const messages = await messagesOf(file);
    const seq = head.state === 'ok' ? head.anchor.head.seq : -1;
    expect(messages).toContain(
      `the books end at audit entry ${seq - 1} but their anchor holds entry ${seq}: entries were removed or the file was rolled back to an older copy`,
    );
  });

  // one row changed in place: verify names the row and the audit entry whose seal it no longer matches
  for (const { name, table, row, edit, alsoFinds } of ONE_ROW_EDITS)
    it(name, async () => {
      let expected = '';
      const messages = await messagesAfter(async (db) => {
        const id = (await db.one<{ id: number }>(row)).id;
        await db.run(edit, id);
        expected = changed(table, id, await sealedBy(db, table, id));
      });
      expect(messages).toContain(expected);
      if (alsoFinds) expect(messages.some((m) => m.includes(alsoFinds))).toBe(true);
    });

  it('13. an allocation deleted', async () => {
    let expected = '';
    const messages = await messagesAfter(async (db) => {
      const id = (await db.one<{ id: number }>('SELECT min(id) AS id FROM allocations')).id;
      expected = `allocations row ${id} is missing: audit entry ${await sealedBy(db, 'allocations', id)} sealed it and no entry deleted it`;
      await db.run('DELETE FROM allocations WHERE id = ?', id);
    });
    expect(messages).toContain(expected);
  });

  it('17. an audit row’s content edited, the chain left as it was', async () => {
    const messages = await messagesAfter(async (db) => db.run("UPDATE audit SET staff_name = 'x' WHERE id = 5"));
    expect(messages).toContain('audit row 5 was changed after it was written (its hash does not match its content)');
  });

  it('18. an audit row in the middle deleted', async () => {
    const messages = await messagesAfter(async (db) => db.run('DELETE FROM audit WHERE id = 5'));
    expect(messages).toContain('audit row 6 does not follow the row before it (a row is missing or was changed)');
    expect(messages).toContain('seals name audit entry 5, which is not in the audit log: entries were removed');
  });

  it('19. a transfer deleted, its balances put back', async () => {
    let expected = '';
    const messages = await messagesAfter(async (db) => {
      const t = await db.one<{ id: number; d: number; c: number; amount: number }>( // The last coin transfer no row refers to (the demo's spending, records and reversals do: foreign keys).
        `SELECT id, debit_account_id AS d, credit_account_id AS c, amount FROM transfers WHERE ledger = 2
           AND id NOT IN (SELECT ledger_transfer_id FROM coin_movements WHERE ledger_transfer_id IS NOT NULL)
           AND id NOT IN (SELECT coins_transfer_id FROM recharge_records UNION SELECT bonus_transfer_id FROM recharge_records WHERE bonus_transfer_id IS NOT NULL)
         ORDER BY id DESC LIMIT 1`,
      );
      expected = `transfers row ${t.id} is missing: audit entry ${await sealedBy(db, 'transfers', t.id)} sealed it and no entry deleted it`;
      await db.run('DELETE FROM transfers WHERE id = ?', t.id);
      await db.run('UPDATE accounts SET debits_posted = debits_posted - ? WHERE id = ?', t.amount, t.d);
      await db.run('UPDATE accounts SET credits_posted = credits_posted - ? WHERE id = ?', t.amount, t.c);
    });
    expect(messages).toContain(expected);
  });

  it('20. a balanced transfer forged in, its balances adjusted', async () => {
    let id = 0;
    const messages = await messagesAfter(async (db) => {
      const t = await db.one<Record<string, number | string>>(
        'SELECT t.* FROM transfers t JOIN accounts a ON a.id = t.debit_account_id WHERE t.ledger = 2 AND (a.flags & 1) = 0 ORDER BY t.id DESC LIMIT 1',
      );
      id = (await db.one<{ id: number }>('SELECT max(id) + 1 AS id FROM transfers')).id;
      await db.run(
        "INSERT INTO transfers (id, key, ledger, debit_account_id, credit_account_id, amount, kind, code, ts, business_date) VALUES (?, 'forged', 2, ?, ?, 777, 'single', ?, ?, ?)",
        id,
        t['debit_account_id'],
        t['credit_account_id'],
        t['code'],
        t['ts'],
        t['business_date'],
      );
      await db.run('UPDATE accounts SET debits_posted = debits_posted + 777 WHERE id = ?', t['debit_account_id']);
      await db.run('UPDATE accounts SET credits_posted = credits_posted + 777 WHERE id = ?', t['credit_account_id']);
    });
    expect(messages).toContain(`transfers row ${id} was written outside Coffer: no audit entry sealed it`);
  });

  it.skipIf(ON_POSTGRES)('21. a row edited with its seal, digest, chain and anchor all recomputed — without the key', async () => {
    const file = copyOfBooks();
    tamper(file, (db) => {
      const id = one<{ id: number }>(db, "SELECT id FROM staff WHERE username = 'clerk'").id;
      db.prepare("UPDATE staff SET role = 'admin' WHERE id = ?").run(id);
      const row = db.prepare('SELECT * FROM staff WHERE id = ?').safeIntegers(true).get(id) as Record<string, bigint | string | null>;
      const auditId = one<{ a: number }>(
        db,
        'SELECT max(audit_id) AS a FROM seals WHERE tbl = ? AND row_id = ?',
        SEALED_TABLES.staff,
        id,
      ).a;
      db.prepare('UPDATE seals SET seal = ? WHERE audit_id = ? AND tbl = ? AND row_id = ?').run(
        rowSeal('staff', id, row),
        auditId,
        SEALED_TABLES.staff,
        id,
      );
      const seals = (
        db.prepare('SELECT tbl, row_id, seal FROM seals WHERE audit_id = ? ORDER BY tbl, row_id').all(auditId) as {
          tbl: number;
          row_id: number;
          seal: Buffer;
        }[]
      ).map((s) => ({ tbl: s.tbl, rowId: s.row_id, seal: s.seal }));
      db.prepare('UPDATE audit SET rows_digest = ? WHERE id = ?').run(sealsDigest(seals), auditId);
      const head = rechain(db, auditId);
      const booksId = one<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'books_id'").value;
      writeAnchor(file, { booksId, head, prev: head, pending: false, at: NOW }, Buffer.alloc(32, 7)); // a key of the attacker's own
    });
    const messages = await messagesOf(file);
    expect(messages).toEqual(['the anchor’s signature does not match the books key: it was written outside Coffer']);
  });
});

describe('Coffer writing again after an edit', () => {
  it('does not seal a row another program slipped in, nor one it changed', async () => {
    const where = await copyOfTheBooks();
    let forged = 0;
    await asAttacker(where, async (db) => {
      forged = (await db.one<{ id: number }>('SELECT max(id) + 1 AS id FROM customers')).id;
      await db.run("INSERT INTO customers (id, external_id, kind, name, created_at) VALUES (?, 'forged-1', 'person', '假客户', 0)", forged);
      await db.run("UPDATE customers SET name = '王五' WHERE id = 1");
    });
    await withBooks(where, (books) =>
      inWriteTx(books, async (tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.after', entity: 'books' })),
    );
    const messages = (await verifyAt(where)).findings.map((f) => f.message);
    expect(messages).toContain(`customers row ${forged} was written outside Coffer: no audit entry sealed it`);
    expect(messages.some((m) => m.startsWith('customers row 1 was changed outside Coffer'))).toBe(true);
  });
});

// the key and the anchor are files beside a books file: PostgreSQL books have neither
describe.skipIf(ON_POSTGRES)('the key kept away from the books', () => {
  afterEach(() => setKeyVault(null));

  it('the console’s keychain copy still signs and checks the anchor; without it the signature is not checked', async () => {
    const kept = new Map<string, Buffer>();
    setKeyVault({ load: (id) => kept.get(id) ?? null, save: (id, key) => void kept.set(id, key) });
    const file = copyOfBooks();
    const key = fs.readFileSync(keyPathFor(file), 'utf8').trim();
    let books = await openBooks(file);
    await inWriteTx(books, async (tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.with-key', entity: 'books' }));
    await books.close();
    expect([...kept.values()].map((k) => k.toString('hex'))).toEqual([key]); // copied into the vault
    fs.renameSync(keyPathFor(file), `${file}.usb-stick`);
    books = await openBooks(file);
    try {
      await inWriteTx(books, async (tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.key-away', entity: 'books' }));
      const r = await verifyBooks(books, undefined, file);
      expect(r.findings).toEqual([]);
      expect(r.anchor).toMatchObject({ state: 'ok', signatureChecked: true });
      const anchor = readAnchor(file);
      expect(anchor.state === 'ok' && anchor.anchor.mac).toMatch(/^[0-9a-f]{64}$/);
      setKeyVault(null); // the CLI: no vault, no key file
      expect((await verifyBooks(books, undefined, file)).anchor).toMatchObject({ state: 'ok', signatureChecked: false });
    } finally {
      await books.close();
    }
  });
});

describe.skipIf(ON_POSTGRES)('the anchor itself', () => {
  /** The anchor rewritten, with the books' own key, to name a head one past the books' last entry. */
  function anchorOneAhead(file: string, { pending }: { pending: boolean }): { held: number; next: number } {
    const read = readAnchor(file);
    if (read.state !== 'ok') throw new Error('no anchor');
    const key = Buffer.from(fs.readFileSync(keyPathFor(file), 'utf8').trim(), 'hex');
    const next = { seq: read.anchor.head.seq + 1, hash: 'f'.repeat(64) };
    writeAnchor(file, { booksId: read.anchor.booksId, head: next, prev: read.anchor.head, pending, at: NOW }, key);
    return { held: read.anchor.head.seq, next: next.seq };
  }

  it('removed: verify says a rollback or a swapped file cannot be ruled out', async () => {
    const file = copyOfBooks();
    fs.unlinkSync(anchorPathFor(file));
    const messages = await messagesOf(file);
    expect(messages).toEqual([
      `there is no anchor beside the books (${anchorPathFor(file)}): a rollback or another file put in their place cannot be ruled out`,
    ]);
  });

  it('overwritten with something that is not an anchor: verify says it cannot be read', async () => {
    const file = copyOfBooks();
    fs.writeFileSync(anchorPathFor(file), '{"v":1,"booksId":"x"}');
    expect(await messagesOf(file)).toEqual([
      `the anchor beside the books (${anchorPathFor(file)}) cannot be read (missing or wrong fields): it was edited outside Coffer`,
    ]);
  });

  it('one head ahead of the books (a crash after the anchor was written, before the commit) is not a finding', async () => {
    const file = copyOfBooks();
    anchorOneAhead(file, { pending: true });
    expect((await verifyFile(file)).findings).toEqual([]);
  });

  it('a confirmed anchor one head ahead is a rollback by one action', async () => {
    const file = copyOfBooks();
    const { held, next } = anchorOneAhead(file, { pending: false });
    expect(await messagesOf(file)).toEqual([
      `the books end at audit entry ${held} but their anchor holds entry ${next}: entries were removed or the file was rolled back to an older copy`,
    ]);
  });
});
