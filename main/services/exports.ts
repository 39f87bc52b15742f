// Exports of the ledger and the audit log, streamed row by row from SQLite to a file.
import type { Queryable } from '../db/books';
import { shanghaiDateTime } from '../domain/dates';
import { csvRow } from '../formats/csv';
import { writeAtomically } from '../formats/file-out';
import { journalAccountName, journalEntry, journalHeader, type JournalAccount, type JournalTransfer } from '../formats/journal';

export interface ExportProgress {
  progress(done: number, total: number | null): void;
  checkpoint(): Promise<void>;
}

const NO_PROGRESS: ExportProgress = { progress() {}, checkpoint: async () => {} };
const CHUNK = 5000;

export async function exportJournal(q: Queryable, target: string, job: ExportProgress = NO_PROGRESS) {
  const names = new Map<number, string>();
  for (const a of q.sql('SELECT id, ledger, code FROM accounts').iterate() as IterableIterator<JournalAccount>) {
    names.set(a.id, journalAccountName(a));
  }
  const total = (q.sql('SELECT count(*) AS n FROM transfers').get() as { n: number }).n;
  const page = q.sql(
    `SELECT t.id, t.key, t.ledger, t.debit_account_id AS debitAccountId, t.credit_account_id AS creditAccountId, t.amount, t.kind, t.code, t.memo, t.ts,
       (t.kind = 'pending' AND EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) AS resolved
     FROM transfers t WHERE t.id > ? ORDER BY t.id LIMIT ${CHUNK}`,
  );
  let done = 0;
  const result = await writeAtomically(target, async (out) => {
    await out.write(journalHeader(shanghaiDateTime(Date.now()), (q as { path?: string }).path ?? ''));
    let after = 0;
    for (;;) {
      const rows = page.all(after) as (JournalTransfer & { resolved: number })[];
      if (rows.length === 0) break;
      let text = '';
      for (const t of rows) if (!t.resolved) text += journalEntry(t, (id) => names.get(id) ?? `unknown:${id}`);
      await out.write(text);
      after = rows[rows.length - 1]!.id;
      done += rows.length;
      job.progress(done, total);
      await job.checkpoint();
    }
  });
  return { ...result, transfers: done };
}

const AUDIT_COLUMNS = [
  'id',
  'ts',
  'staff_id',
  'staff_name',
  'action',
  'entity',
  'entity_id',
  'before_json',
  'after_json',
  'item_count',
  'prev_hash',
  'hash',
] as const;

/**
 * The audit log with every row's hash. JSON Lines keeps every value exact so the chain can be
 * recomputed (docs/AUDIT.md); CSV is for reading in a spreadsheet, with formula-like text neutralised.
 */
export async function exportAudit(q: Queryable, target: string, format: 'jsonl' | 'csv', job: ExportProgress = NO_PROGRESS) {
  const total = (q.sql('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  const page = q.sql(`SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit WHERE id > ? ORDER BY id LIMIT ${CHUNK}`);
  let done = 0;
  const result = await writeAtomically(target, async (out) => {
    if (format === 'csv') await out.write(csvRow([...AUDIT_COLUMNS, 'time_shanghai']));
    let after = 0;
    for (;;) {
      const rows = page.all(after) as Record<(typeof AUDIT_COLUMNS)[number], string | number | null>[];
      if (rows.length === 0) break;
      let text = '';
      for (const r of rows) {
        text +=
          format === 'jsonl' ? JSON.stringify(r) + '\n' : csvRow([...AUDIT_COLUMNS.map((c) => r[c]), shanghaiDateTime(r.ts as number)]);
      }
      await out.write(text);
      after = rows[rows.length - 1]!.id as number;
      done += rows.length;
      job.progress(done, total);
      await job.checkpoint();
    }
  });
  return { ...result, rows: done };
}
