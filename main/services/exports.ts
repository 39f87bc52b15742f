// Exports of the ledger and the audit log, streamed row by row from the books to a file.
import { witnessOf } from './witness';
import type { Queryable } from '../db/books';
import { literal } from '../db/query';
import { shanghaiDateTime } from '../domain/dates';
import { csvRow } from '../formats/csv';
import { writeAtomically } from '../formats/file-out';
import {
  journalAccountName,
  journalDeclarations,
  journalEntry,
  journalHeader,
  subjectAccountName,
  type SubjectType,
} from '../formats/journal';
import { LEDGER } from '../domain/ledgers';
import { voucherName } from './voucher-numbers';

/** Every subject's journal account name ('资产:1002 银行存款:100201 工商银行 1234'), in code order. */
async function subjectNames(q: Queryable): Promise<Map<string, { name: string; type: SubjectType; code: string }>> {
  const rows = await q.db.selectFrom('subjects').select(['code', 'name', 'type', 'parent_code as parent']).orderBy('code').execute();
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

/** A transfer with its voucher's name (null for one under none: the coin ledgers'). */
function withVoucher<T extends { word: string | null; period: string | null; number: number | null }>(t: T) {
  const { word, period, number, ...rest } = t;
  return { ...rest, voucher: word !== null && period !== null && number !== null ? voucherName({ word, period, number }) : null };
}

/**
 * Writes `target` (atomically): `head`, then every row of `table` in id order, a chunk at a time as
 * `page` reads them after the last id written and `text` renders them, with progress against the
 * table's count between chunks. The file, and how many rows it holds.
 */
async function writeByChunks<R extends { id: number }>(
  q: Queryable,
  target: string,
  job: ExportProgress,
  table: 'transfers' | 'audit',
  head: () => Promise<string>,
  page: (after: number) => Promise<R[]>,
  text: (rows: R[]) => string,
) {
  const total = (await q.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst())!.n;
  let done = 0;
  const file = await writeAtomically(target, async (out) => {
    await out.write(await head());
    let after = 0;
    for (;;) {
      const rows = await page(after);
      if (rows.length === 0) break;
      await out.write(text(rows));
      after = rows[rows.length - 1]!.id;
      done += rows.length;
      job.progress(done, total);
      await job.checkpoint();
    }
  });
  return { file, rows: done };
}

/** `books`: what the header names the books by (a file's path; on PostgreSQL the URL, its password hidden). */
export async function exportJournal(q: Queryable, target: string, books: string, job: ExportProgress = NO_PROGRESS) {
  const subjects = await subjectNames(q);
  const names = new Map<number, string>();
  const accounts = await q.db.selectFrom('accounts').select(['id', 'ledger', 'code', 'subject_code as subject']).execute();
  for (const a of accounts) {
    // A CNY account is named by its subject; one mapped to none (migrations leave none) keeps its own name.
    const subject = a.ledger === LEDGER.CNY && a.subject !== null ? subjects.get(a.subject) : undefined;
    names.set(a.id, subject ? subject.name : journalAccountName(a));
  }
  const page = (after: number) =>
    q.db
      .selectFrom('transfers as t')
      .leftJoin('vouchers as v', 'v.id', 't.voucher_id')
      .select((eb) => [
        't.id',
        't.key',
        't.ledger',
        't.debit_account_id as debitAccountId',
        't.credit_account_id as creditAccountId',
        't.amount',
        't.kind',
        't.code',
        't.memo',
        't.ts',
        't.business_date as date',
        'v.word',
        'v.period',
        'v.number',
        eb
          .and([
            eb('t.kind', '=', literal('pending')),
            eb.exists(eb.selectFrom('transfers as r').select(eb.lit(1).as('one')).whereRef('r.pending_id', '=', 't.id')),
          ])
          .as('resolved'),
      ])
      .where('t.id', '>', after)
      .orderBy('t.id')
      .limit(literal(CHUNK))
      .execute();
  const { file, rows } = await writeByChunks(
    q,
    target,
    job,
    'transfers',
    async () => journalHeader(shanghaiDateTime(Date.now()), books, await witnessOf(q)) + journalDeclarations([...subjects.values()]),
    page,
    (transfers) => {
      let text = '';
      for (const t of transfers) if (!t.resolved) text += journalEntry(withVoucher(t), (id) => names.get(id) ?? `unknown:${id}`);
      return text;
    },
  );
  return { ...file, transfers: rows };
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
  const page = (after: number) =>
    q.db.selectFrom('audit').select(AUDIT_COLUMNS).where('id', '>', after).orderBy('id').limit(literal(CHUNK)).execute();
  const { file, rows } = await writeByChunks(
    q,
    target,
    job,
    'audit',
    async () => (format === 'csv' ? csvRow([...AUDIT_COLUMNS, 'time_shanghai']) : ''),
    page,
    (entries) => {
      let text = '';
      for (const r of entries) {
        text += format === 'jsonl' ? JSON.stringify(r) + '\n' : csvRow([...AUDIT_COLUMNS.map((c) => r[c]), shanghaiDateTime(r.ts)]);
      }
      return text;
    },
  );
  return { ...file, rows };
}
