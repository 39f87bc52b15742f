// Backup now and restore from a backup, through the API, with the checks an admin relies on.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { inWriteTx } from '../../main/db/tx';
import { createTransfers } from '../../main/services/ledger-post';
import { withStaffedApi } from '../support/books-hooks';
import { PASSWORD, type TestApi } from '../support/temp-books';
import { ledgerFindings } from '../support/ledger-findings';

let t: TestApi;
withStaffedApi(async (api) => {
  t = api;
  await inWriteTx(t.books, async (tx) =>
    createTransfers(tx, [{ key: 'a', ledger: 1, debitAccountId: 1, creditAccountId: 2, amount: 100, code: 'x' }]),
  );
});

/** The admin backs the books up to a file of that name in the test's folder; its path. */
async function backUp(name: string): Promise<string> {
  const backup = path.join(t.dir, name);
  t.dialogs.nextSave = backup;
  await t.runJob('admin', 'books.backup');
  return backup;
}

/** The admin chooses that file to restore from, and it is checked. */
function checkRestore(file: string) {
  t.dialogs.nextOpen = file;
  return t.call('admin', 'books.checkRestore');
}

const restoresAudited = () => t.books.raw.prepare("SELECT count(*) AS n FROM audit WHERE action = 'books.restore'").get();

describe('backup', () => {
  it('copies the books online, checks the copy, records the latest audit hash in it, and audits itself', async () => {
    const target = path.join(t.dir, 'b1.books.sqlite');
    t.dialogs.nextSave = target;
    const r = await t.runJob('admin', 'books.backup');
    expect(r).toMatchObject({ path: target, integrity: 'ok' });
    const copy = new Sqlite(target, { readonly: true });
    expect(copy.prepare("SELECT value FROM meta WHERE key = 'backup.last_audit_hash'").get()).toEqual({ value: r.lastAuditHash });
    expect(copy.prepare('SELECT count(*) AS n FROM transfers').get()).toEqual({ n: 1 });
    copy.close();
    expect(t.books.raw.prepare("SELECT count(*) AS n FROM audit WHERE action = 'books.backup'").get()).toEqual({ n: 1 });
  });
});

describe('restore', () => {
  it('checks the file, keeps the current books aside, restores, audits, and ends every session', async () => {
    const backup = await backUp('b.books.sqlite');
    await inWriteTx(t.books, async (tx) =>
      createTransfers(tx, [{ key: 'after-backup', ledger: 1, debitAccountId: 1, creditAccountId: 2, amount: 5, code: 'x' }]),
    );

    const check = await checkRestore(backup);
    expect(check.path).toBe(backup);
    const r = await t.call('admin', 'books.restore', {
      token: check.token,
      lastAuditHash: check.lastAuditHash,
    });
    expect(fs.existsSync(r.previousBooksSavedAs)).toBe(true);
    await expect(t.call('admin', 'ledger.trialBalance')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await t.call('admin', 'session.login', { username: 'admin', password: PASSWORD });
    const keys = (t.books.raw.prepare('SELECT key FROM transfers').all() as { key: string }[]).map((k) => k.key);
    expect(keys).toEqual(['a']);
    expect(restoresAudited()).toEqual({ n: 1 });
    const report = await t.runJob('admin', 'books.verify');
    expect(ledgerFindings(report)).toEqual([]);
  });

  it('refuses a file that is not a Coffer books file, and one whose audit chain is broken', async () => {
    const junk = path.join(t.dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database at all, just text'.repeat(10));
    await expect(checkRestore(junk)).rejects.toThrow(/not a Coffer books file/);

    const tampered = await backUp('tampered.books.sqlite');
    const db = new Sqlite(tampered);
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET action = 'nothing to see' WHERE id = 1").run();
    db.close();
    await expect(checkRestore(tampered)).rejects.toThrow(/audit chain is broken/);
  });

  it('refuses a restore whose file changed after it was checked', async () => {
    const backup = await backUp('c.books.sqlite');
    const check = await checkRestore(backup);
    await expect(t.call('admin', 'books.restore', { token: check.token, lastAuditHash: 'f'.repeat(64) })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'backup_changed', field: 'token' }, // the chosen file, named by its token: the page gave no path
    });
    expect(restoresAudited()).toEqual({ n: 0 });
  });

  it('takes the checked file by its token only: a path from the page, or a token another window was given, is refused and nothing is restored', async () => {
    const backup = await backUp('d.books.sqlite');
    const check = await checkRestore(backup);
    await expect(t.send('admin', 'books.restore', { path: backup, lastAuditHash: check.lastAuditHash })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await t.call('another-window', 'session.login', { username: 'admin', password: PASSWORD });
    await expect(
      t.call('another-window', 'books.restore', { token: check.token, lastAuditHash: check.lastAuditHash }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'file_not_chosen' },
    });
    expect(restoresAudited()).toEqual({ n: 0 });
  });
});
