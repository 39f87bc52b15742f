// Row seals: every table of the books is either sealed or deliberately outside the seals, and a seal
// tells apart values that a careless canonical form would confuse.
import { describe, expect, it } from 'vitest';
import { inReadSnapshot, inSavepoint, inWriteTx, type AnyBooks } from '../../main/db/tx';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import { recordAudit } from '../../main/services/audit';
import { createAccount } from '../../main/services/ledger-post';
import { verifyBooks } from '../../main/services/verify';
import { SEALED_TABLES, UNSEALED_TABLES, rowPreimage, rowSeal, sealsDigest } from '../../main/domain/row-seals';
import { withScratchBooks } from '../support/books-hooks';
import { firstValue, ON_POSTGRES } from '../support/temp-books';

let books: AnyBooks;
withScratchBooks('all', (made) => ({ books } = made));

/** The books' tables: the file's, or those of the books' schema on PostgreSQL less what stands in there
 *  for the file's own bookkeeping (main/db/postgres/ddl.ts): its header, the notes a seal is taken from,
 *  and `coffer serve`'s sessions, kept in a file beside a books file. */
const TABLES = ON_POSTGRES
  ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       AND table_name NOT IN ('books_header', 'coffer_sealing', 'serve_sessions') ORDER BY table_name`
  : "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";

describe('row seals', () => {
  it('cover every table of new books except the chain and the file’s own bookkeeping', async () => {
    const tables = ((await books.sql(TABLES).all()) as { name: string }[]).map((t) => t.name);
    const known = new Set<string>([...Object.keys(SEALED_TABLES), ...UNSEALED_TABLES]);
    expect(tables.filter((t) => !known.has(t))).toEqual([]);
    expect(Object.keys(SEALED_TABLES).filter((t) => !tables.includes(t))).toEqual([]);
    expect(new Set(Object.values(SEALED_TABLES)).size).toBe(Object.keys(SEALED_TABLES).length);
  });

  it('new books are sealed at once: one entry seals every row the migrations wrote', async () => {
    const entry = (await books.sql("SELECT id, item_count AS n FROM audit WHERE action = 'books.seal'").get()) as { id: number; n: number };
    let rows = 0;
    for (const t of Object.keys(SEALED_TABLES)) rows += Number(await firstValue(books, `SELECT count(*) AS n FROM ${t}`));
    expect(Number(entry.n)).toBe(rows);
    expect(Number(await firstValue(books, 'SELECT count(*) AS n FROM seals WHERE audit_id = ?', entry.id))).toBe(rows);
  });

  it('tell an integer from its text and a real, and a row from the same row elsewhere', () => {
    const base = rowSeal('customers', 1, { id: 1n, name: '张三' });
    expect(rowSeal('customers', 1, { id: '1', name: '张三' })).not.toEqual(base);
    expect(rowSeal('customers', 1, { id: 1.5, name: '张三' })).not.toEqual(rowSeal('customers', 1, { id: '1.5', name: '张三' }));
    expect(rowSeal('customers', 2, { id: 1n, name: '张三' })).not.toEqual(base);
    expect(rowSeal('staff', 1, { id: 1n, name: '张三' })).not.toEqual(base);
    // A column added later as NULL leaves the seal as it was; the order columns come in does not matter.
    expect(rowSeal('customers', 1, { name: '张三', id: 1n, notes: null })).toEqual(base);
    expect(base).toHaveLength(16);
  });

  it('are the documented JSON: [table, rowid, [[column, cell], …]] with tagged numbers', () => {
    const row = { id: 7n, name: '张"三\\', amount: 1.5, blob: Buffer.from([1, 255]), notes: null };
    expect(rowPreimage('customers', 7, row)).toBe(
      JSON.stringify([
        'customers',
        '7',
        [
          ['amount', ['r', '1.5']],
          ['blob', ['b', '01ff']],
          ['id', ['i', '7']],
          ['name', '张"三\\'],
        ],
      ]),
    );
  });

  it('digest the seals of one entry in order; nothing has a digest of its own', () => {
    const a = { tbl: 3, rowId: 1, seal: Buffer.alloc(16, 1) };
    const b = { tbl: 3, rowId: 2, seal: Buffer.alloc(16, 2) };
    expect(sealsDigest([a, b])).not.toBe(sealsDigest([a]));
    expect(sealsDigest([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('an item rolled back after its entry sealed rows leaves nothing unsealed: its own rows gone, those before it and after it sealed', async () => {
    await inWriteTx(books, async (tx) => {
      await createAccount(tx, { ledger: 1, code: 'seal-before', name: 'written before the item' });
      await inSavepoint(tx, async () => {
        await createAccount(tx, { ledger: 1, code: 'seal-item', name: 'the item’s own' });
        await recordAudit(tx, SYSTEM_ACTOR, { action: 'test.item', entity: 'account' }); // seals both rows
        throw new Error('refused after its entry');
      }).catch(() => {});
      // the next row takes the rolled-back row's id on SQLite
      await createAccount(tx, { ledger: 1, code: 'seal-after', name: 'written after the item' });
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'test.after', entity: 'account' });
    });
    const report = await inReadSnapshot(books, (q) => verifyBooks(q));
    expect(report.findings).toEqual([]);
    expect(await firstValue(books, "SELECT count(*) AS n FROM accounts WHERE code LIKE 'seal-%'")).toBe(2);
  });
});
