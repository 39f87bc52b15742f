// Exports of the ledger and the audit log, streamed row by row from SQLite to a file.
import { witnessOf } from './witness';
import type { Queryable } from '../db/books';
import { shanghaiDateTime } from '../domain/dates';
import { csvRow } from '../formats/csv';
import { writeAtomically } from '../formats/file-out';
import {
  journalAccountName,
  journalDeclarations,
  journalEntry,
  journalHeader,
  subjectAccountName,
  type JournalAccount,
  type JournalTransfer,
  type SubjectType,
} from '../formats/journal';
import { LEDGER } from '../domain/ledgers';

/** Every subject's journal account name ('资产:1002 银行存款:100201 工商银行 1234'), in code order. */
async function subjectNames(q: Queryable): Promise<Map<string, { name: string; type: SubjectType; code: string }>> {
  const rows = (await q.sql('SELECT code, name, type, parent_code AS parent FROM subjects ORDER BY code').all()) as {
    code: string;
    name: string;
    type: SubjectType;
    parent: string | null;
  }[];
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const names = new Map<string, { name: string; type: SubjectType; code: string }>();
  for (const r of rows) {
    const chain = [];
    for (let s: (typeof rows)[number] | undefined = r; s; s = s.parent ? byCode.get(s.parent) : undefined) chain.unshift(s);
    names.set(r.code, { name: subjectAccountName(r.type, chain), type: r.type, code: r.code });
  }
  return names;
}

export interface ExportProgress {
  progress(done: number, total: number | null): void;
  checkpoint(): Promise<void>;
}

const NO_PROGRESS: ExportProgress = { progress() {}, checkpoint: async () => {} };
const CHUNK = 5000;

export async function exportJournal(q: Queryable, target: string, job: ExportProgress = NO_PROGRESS) {
  const subjects = await subjectNames(q);
  const names = new Map<number, string>();
  const accounts = q.sql('SELECT id, ledger, code, subject_code AS subject FROM accounts').iterate() as AsyncIterableIterator<
    JournalAccount & { subject: string | null }
  >;
  for await (const a of accounts) {
    // A CNY account is named by its subject; one mapped to none (migrations leave none) keeps its own name.
    const subject = a.ledger === LEDGER.CNY && a.subject !== null ? subjects.get(a.subject) : undefined;
    names.set(a.id, subject ? subject.name : journalAccountName(a));
  }
  const total = ((await q.sql('SELECT count(*) AS n FROM transfers').get()) as { n: number }).n;
  const page = q.sql(
    `SELECT t.id, t.key, t.ledger, t.debit_account_id AS debitAccountId, t.credit_account_id AS creditAccountId, t.amount, t.kind, t.code, t.memo, t.ts,
       t.business_date AS date, CASE WHEN v.id IS NULL THEN NULL ELSE v.word || '-' || v.period || '-' || printf('%04d', v.number) END AS voucher,
       (t.kind = 'pending' AND EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) AS resolved
     FROM transfers t LEFT JOIN vouchers v ON v.id = t.voucher_id WHERE t.id > ? ORDER BY t.id LIMIT ${CHUNK}`,
  );
  let done = 0;
  const result = await writeAtomically(target, async (out) => {
    await out.write(journalHeader(shanghaiDateTime(Date.now()), (q as { path?: string }).path ?? '', witnessOf(q)));
    await out.write(journalDeclarations([...subjects.values()]));
    let after = 0;
    for (;;) {
      const rows = (await page.all(after)) as (JournalTransfer & { resolved: number })[];
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
  'rows_digest',
] as const;

/**
 * The audit log with every row's hash. JSON Lines keeps every value exact so the chain can be
 * recomputed (docs/AUDIT.md); CSV is for reading in a spreadsheet, with formula-like text neutralised.
 */
export async function exportAudit(q: Queryable, target: string, format: 'jsonl' | 'csv', job: ExportProgress = NO_PROGRESS) {
  const total = ((await q.sql('SELECT count(*) AS n FROM audit').get()) as { n: number }).n;
  const page = q.sql(`SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit WHERE id > ? ORDER BY id LIMIT ${CHUNK}`);
  let done = 0;
  const result = await writeAtomically(target, async (out) => {
    if (format === 'csv') await out.write(csvRow([...AUDIT_COLUMNS, 'time_shanghai']));
    let after = 0;
    for (;;) {
      const rows = (await page.all(after)) as Record<(typeof AUDIT_COLUMNS)[number], string | number | null>[];
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
