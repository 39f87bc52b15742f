// Issue 15 §1: verify proves the same invariants and ties on both engines. Demo books and their copy on
// PostgreSQL verify clean alike; an edit made on PostgreSQL outside Coffer (the test's own connection,
// the guard triggers disabled as an attacker holding the database would) is the finding SQLite gives for
// the same edit of the file, naming the row; a write made through Coffer on PostgreSQL stays clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Books } from '../../main/db/books';
import type { PostgresBooks } from '../../main/db/postgres/open';
import { inReadSnapshot, inWriteTx, type AnyBooks } from '../../main/db/tx';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import { recordAudit } from '../../main/services/audit';
import { verifyBooks, type Finding, type VerifyReport } from '../../main/services/verify';
import { postgresReachable, POSTGRES_REQUIRED, type TestSchema } from '../support/postgres';
import { demoBooksOnBoth, type DemoOnBoth } from '../support/postgres-demo';

const reachable = await postgresReachable();
const NOW = Date.UTC(2026, 10, 20);

const verify = (books: AnyBooks) => inReadSnapshot(books, (q) => verifyBooks(q));
/** What a finding is, without its wording: the check, the problem and the row or account it names. */
const kinds = (r: VerifyReport) =>
  r.findings.map((f: Finding) => ({ check: f.check, ...pick(f.details, ['problem', 'table', 'rowId', 'accountId', 'field']) }));
const pick = (d: Record<string, unknown> | undefined, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => d?.[k] !== undefined).map((k) => [k, d![k]]));

describe.skipIf(!reachable && !POSTGRES_REQUIRED)('verify on PostgreSQL books', () => {
  let both: DemoOnBoth;
  let file: Books;
  let target: TestSchema;
  let shared: PostgresBooks;

  beforeAll(async () => {
    both = await demoBooksOnBoth(NOW);
    ({ file, target, shared } = both);
  }, 120_000);
  afterAll(async () => await both?.close());

  /** The same edit made outside Coffer on both: on the file by its raw connection, on PostgreSQL with its triggers off. */
  async function tamper(table: string, sqliteEdit: string, pgEdit = sqliteEdit): Promise<void> {
    const triggers = file.raw.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?").all(table) as {
      name: string;
      sql: string;
    }[];
    for (const t of triggers) file.raw.exec(`DROP TRIGGER "${t.name}"`);
    file.raw.exec(sqliteEdit);
    for (const t of triggers) file.raw.exec(t.sql);
    await target.client.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
    await target.client.query(pgEdit);
    await target.client.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
  }

  it('demo books verify clean on both engines, with the same ties and counts', async () => {
    const [a, b] = [await verify(file), await verify(shared)];
    expect(a.findings).toEqual([]);
    expect(b.findings).toEqual([]);
    expect(b.ok).toBe(true);
    expect(b.counts).toEqual(a.counts);
    expect(b.ledgers).toEqual(a.ledgers);
    expect(b.walletControl).toEqual(a.walletControl);
    expect(b.ties).toEqual(a.ties);
    expect(b.lastAuditHash).toBe(a.lastAuditHash);
    expect(b.counts.sealedRows).toBeGreaterThan(0);
  });

  it('says what it does not check on PostgreSQL, rather than passing it', async () => {
    const [a, b] = [await verify(file), await verify(shared)];
    expect(a.skipped).toEqual([]);
    expect(b.skipped.map((s) => s.check)).toEqual(['integrity']);
  });

  it('a write made through Coffer on PostgreSQL stays clean', async () => {
    for (const books of [file, shared] as AnyBooks[])
      await inWriteTx(books, (tx) => recordAudit(tx, SYSTEM_ACTOR, { action: 'test.write', entity: 'books', at: NOW }));
    const [a, b] = [await verify(file), await verify(shared)];
    expect(b.findings).toEqual([]);
    expect(b.lastAuditHash).toBe(a.lastAuditHash);
  });

  it('a customer renamed outside Coffer: the row that differs from its seal, on both', async () => {
    await tamper('customers', "UPDATE customers SET name = 'Mallory' WHERE id = 2");
    const [a, b] = [await verify(file), await verify(shared)];
    expect(kinds(a)).toEqual([{ check: 'row_seal', problem: 'row_changed', table: 'customers', rowId: 2 }]);
    expect(kinds(b)).toEqual(kinds(a));
    expect(b.findings[0]!.message).toBe(a.findings[0]!.message);
  });

  it('a transfer’s memo and an account’s balance changed outside Coffer: the same findings on both', async () => {
    await tamper('transfers', "UPDATE transfers SET memo = 'moved' WHERE id = 3");
    await tamper(
      'accounts',
      'UPDATE accounts SET credits_posted = credits_posted + 100 WHERE id = (SELECT min(id) FROM accounts WHERE credits_posted > 0)',
    );
    const [a, b] = [await verify(file), await verify(shared)];
    const found = kinds(a);
    expect(found).toContainEqual({ check: 'row_seal', problem: 'row_changed', table: 'transfers', rowId: 3 });
    expect(found.some((f) => f.check === 'account_balance')).toBe(true);
    expect(found.some((f) => f.check === 'ledger_balance')).toBe(true);
    expect(kinds(b)).toEqual(found);
    expect(b.findings.map((f) => f.message)).toEqual(a.findings.map((f) => f.message));
  });

  it('rows of a table keyed by text (a synthetic rowid on PostgreSQL, not sealed) edited and deleted: the same findings', async () => {
    await tamper('subjects', "UPDATE subjects SET name = 'Elsewhere' WHERE rowid = (SELECT min(rowid) FROM subjects)");
    await tamper('events', 'DELETE FROM events WHERE rowid = (SELECT max(rowid) FROM events)');
    const [a, b] = [await verify(file), await verify(shared)];
    const found = kinds(a);
    expect(found).toContainEqual(expect.objectContaining({ check: 'row_seal', problem: 'row_changed', table: 'subjects' }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'row_seal', problem: 'row_missing', table: 'events' }));
    expect(kinds(b)).toEqual(found);
    expect(b.findings.map((f) => f.message)).toEqual(a.findings.map((f) => f.message));
  });
});
