// The audit chain and verify: each finding names what is wrong and where. Tampering is done the way
// an attacker holding the books would: the guards off and rows edited directly (support/tamper.ts).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { inWriteTx } from '../../main/db/tx';
import { auditHash, GENESIS_HASH } from '../../main/domain/audit-chain';
import { createAccount, createTransfers } from '../../main/services/ledger-post';
import { withStaffedApi } from '../support/books-hooks';
import { ON_POSTGRES, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';
import { editOutside } from '../support/tamper';
import { ledgerFindings, ledgerOk } from '../support/ledger-findings';

let t: TestApi;
withStaffedApi(async (api) => {
  t = api;
  await inWriteTx(t.anyBooks, async (tx) => {
    const w = await createAccount(tx, { ledger: 2, code: 'recharge_wallet', name: 'w', ownerKind: 'account', ownerId: 1, flags: 1 });
    await createTransfers(tx, [
      { key: 'a', ledger: 2, debitAccountId: 5, creditAccountId: w, amount: 500, code: 'recharge' },
      { key: 'b', ledger: 1, debitAccountId: 1, creditAccountId: 2, amount: 12_345, code: 'approve' },
    ]);
  });
});

const verify = () => t.runJob('auditor', 'books.verify');

describe('verify', () => {
  it('is clean on honest books and reports the ledger totals and the audit chain end', async () => {
    const r = await verify();
    expect(ledgerOk(r)).toBe(true);
    expect(ledgerFindings(r)).toEqual([]);
    expect(r.ledgers.find((l) => l.ledger === 1)).toMatchObject({ debitsPosted: '12345', creditsPosted: '12345' });
    // the new books sealed; 4 staff created (3 proposed, each taken on the sole admin's word), 3 first logins
    // with a one-time code, 3 own passwords; the two transfers posted straight (no action of their own) sealed
    expect(r.counts).toMatchObject({ transfers: 2, auditRows: 15 });
    // the anchor is a file beside the books: PostgreSQL books have none to compare
    if (ON_POSTGRES) expect(r.anchor).toBeNull();
    else expect(r.anchor).toMatchObject({ state: 'ok', seq: 15, signatureChecked: true });
    expect(t.events.some((e) => e.type === 'job.progress')).toBe(true);
  });

  it('names the account whose kept balance disagrees with its transfers, and the unbalanced ledger', async () => {
    await editOutside(t.anyBooks, 'accounts', 'UPDATE accounts SET credits_posted = 12000 WHERE id = 2');
    const r = await verify();
    expect(ledgerOk(r)).toBe(false);
    expect(ledgerFindings(r).map((f) => f.message)).toEqual([
      'account 2 (customer_prepayments Customer prepayments): kept credits posted 12000 but its transfers sum to 12345',
      'ledger CNY: posted debits 12345 ≠ posted credits 12000',
      'accounts row 2 was changed outside Coffer: it does not match its seal in audit entry 15',
    ]);
  });

  it('names an audit row that was edited after it was written', async () => {
    await editOutside(t.anyBooks, 'audit', "UPDATE audit SET staff_name = 'someone else' WHERE id = 2");
    const r = await verify();
    expect(ledgerFindings(r)).toEqual([
      expect.objectContaining({
        check: 'audit_chain',
        message: 'audit row 2 was changed after it was written (its hash does not match its content)',
      }),
    ]);
  });

  it('names the row after a deleted audit row', async () => {
    await editOutside(t.anyBooks, 'audit', 'DELETE FROM audit WHERE id = 2');
    const r = await verify();
    expect(ledgerFindings(r).map((f) => f.message)).toEqual([
      'audit row 3 does not follow the row before it (a row is missing or was changed)',
      'seals name audit entry 2, which is not in the audit log: entries were removed',
    ]);
  });
});

describe('audit export', () => {
  it('carries every hash so the chain can be recomputed from the file alone', async () => {
    const r = await t.runJob('auditor', 'audit.export', { format: 'jsonl' });
    const rows = fs
      .readFileSync(r.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(r.rows);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prev_hash).toBe(prev);
      const h = auditHash(prev, {
        ts: row.ts,
        staffId: row.staff_id,
        staffName: row.staff_name,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        before: row.before_json,
        after: row.after_json,
        count: row.item_count,
        rowsDigest: row.rows_digest,
      });
      expect(h).toBe(row.hash);
      prev = h;
    }
  });

  it('as CSV neutralises text that would start a formula', async () => {
    await addStaff(t.call, { username: 'eve', displayName: '=HYPERLINK("http://x")', role: 'clerk' });
    const r = await t.runJob('auditor', 'audit.export', { format: 'csv' });
    const csv = fs.readFileSync(r.path, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'id,ts,staff_id,staff_name,action,entity,entity_id,before_json,after_json,item_count,prev_hash,hash,rows_digest,time_shanghai',
    );
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('writes nothing when the user cancels the save dialog', async () => {
    t.dialogs.saveFile = async () => null;
    await expect(t.runJob('auditor', 'audit.export', { format: 'jsonl' })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('a cancelled export leaves no file behind', async () => {
    await inWriteTx(t.anyBooks, (tx) =>
      tx
        .sql(
          `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29999)
           INSERT INTO audit (id, ts, staff_name, action, entity, prev_hash, hash)
           SELECT (SELECT max(id) FROM audit) + 1 + i, 0, 's', 'bulk', 'e', 'p', 'h' || i FROM n`,
        )
        .run(),
    );
    const target = path.join(t.dir, 'cancelled.jsonl');
    t.dialogs.nextSave = target;
    const { jobId } = await t.call('auditor', 'audit.export', { format: 'jsonl' });
    await t.call('auditor', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.events.find((e) => e.jobId === jobId && e.type === 'job.failed')).toMatchObject({ error: { code: 'CANCELLED' } });
    expect(fs.readdirSync(t.dir).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  });

  it('another user cannot cancel my job', async () => {
    const { jobId } = await t.call('auditor', 'books.verify');
    await expect(t.call('clerk', 'jobs.cancel', { jobId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.dispatcher.jobs.settle(jobId);
  });
});
