// Importing a bank statement file: the readers in formats/statements turn bytes into statements;
// here each is checked against its platform bank account and the books (currency, duplicates,
// continuity) for a preview, then written in one transaction. A file the readers refuse names its
// line and field and writes nothing; continuity problems are reported and the accountant decides.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { formatYuan } from '../domain/money';
import { shanghaiDate } from '../domain/dates';
import { refusalMessage, refuse, type Refusal } from '../domain/refusals';
import {
  NotStreamable,
  OtherOrder,
  ReadAsGb18030,
  StatementError,
  SuspectRefs,
  readStatements,
  streamStatements,
  type ColumnMapping,
  type Statement,
  type TableStream,
} from '../formats/statements';
import { statementRefused } from '../formats/statements/types';
import { inSavepoint } from '../db/tx';
import type { Actor } from './actor';
import {
  ReadAgain,
  StreamedStatement,
  commitStatement,
  planStatement,
  resolveBankAccount,
  type StatementPlan,
  type StreamHints,
} from './bank-statements';
import { mapInTurn } from './in-turn';

/**
 * Statement files imported into the books are capped before anything reads them, whatever their
 * format (the readers check zip ratios themselves). `coffer inspect statement`, which touches no
 * books, reads text files up to the readers' own 200 MiB.
 */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;

export interface StatementOptions {
  profile?: string;
  mapping?: ColumnMapping;
  bankAccountId?: number | null;
}

function checkFileSize(file: string, maxBytes: number): string {
  const name = path.basename(file);
  const size = fs.statSync(file).size;
  if (size > maxBytes)
    throw refuse(
      'VALIDATION',
      'statement_too_large',
      { file: name, sizeMiB: (size / 1048576).toFixed(1) },
      { file: name, code: 'too_large' },
    );
  return name;
}

type StreamCommit = { tx: Tx; actor: Actor; now: number; expectSha256?: string; acceptContinuity?: boolean };
type StreamOutcome = {
  plan: StatementPlan;
  sha256: string;
  committed: Awaited<ReturnType<typeof commitStatement>> | null;
  again: AlreadyImported | null;
};

/** Not an error: an already-imported file's reading is undone (savepoint) and its answer handed out. */
class Undo extends Error {
  constructor(readonly outcome: StreamOutcome) {
    super('undo');
  }
}

/**
 * A CSV or TSV file read once as a stream, each line planned and (with `commit`) written as it is
 * read, inside a savepoint: a refusal anywhere rolls all of it back. The same refusals, in the same
 * order, as reading it whole; null when the file is not one the stream reads (worksheets, camt.053,
 * MT940, OFX, UTF-16, several accounts or currencies in one file, …): the caller reads it whole.
 * A guess that turns out wrong (the encoding, a newest-first file's opening balance, two references
 * with one hash, a cut-off last line) reads the file again knowing it.
 */
async function streamFile(
  q: Queryable,
  file: string,
  name: string,
  o: StatementOptions & { maxBytes?: number },
  commit: StreamCommit | null,
): Promise<StreamOutcome | null> {
  let hints: StreamHints = {};
  let gb18030 = false;
  let exact = new Set<string>();
  let newestFirst = false;
  for (let attempt = 0; attempt < 6; attempt++) {
    const writer = new StreamedStatement(
      q,
      o.bankAccountId ?? null,
      name,
      hints,
      commit ? { tx: commit.tx, actor: commit.actor, now: commit.now, sha256Placeholder: '-' } : null,
    );
    let group: string | null = null;
    const stream: TableStream = {
      exact,
      newestFirst,
      async line(g, l, repeated) {
        const key = `${g.account ?? ''}\u0001${g.currency}`;
        if (group !== null && group !== key) throw new NotStreamable('several statements in one file');
        group = key;
        if (repeated) writer.stopWriting();
        await writer.line(g.account, l);
      },
    };
    const read = async (): Promise<StreamOutcome> => {
      const { statements, sha256 } = await streamStatements(
        file,
        {
          fileName: name,
          limits: { maxTextBytes: o.maxBytes ?? MAX_STATEMENT_BYTES },
          ...(o.profile ? { profile: o.profile } : {}),
          ...(o.mapping ? { mapping: o.mapping } : {}),
          gb18030,
        },
        stream,
      );
      if (statements.length !== 1) throw new NotStreamable('several statements in one file');
      const s = statements[0] as Statement;
      if (commit?.expectSha256 && commit.expectSha256 !== sha256)
        throw refuse('CONFLICT', 'file_changed_since_preview', { file: name }, { field: 'token' });
      const plan = await writer.finish(s);
      // The reader's own check (opening + lines = closing) is the same rule; keep one problem of each.
      for (const p of s.continuity.problems)
        if (!(p.code === 'continuity_sum' && plan.continuity.some((c) => c.code === 'continuity_sum_fen'))) plan.continuity.push(p);
      const again = await alreadyImported(q, name, sha256, [plan]);
      if (!commit) return { plan, sha256, committed: null, again };
      if (again) throw new Undo({ plan, sha256, committed: null, again });
      if (plan.continuity.length && !commit.acceptContinuity) {
        const first = plan.continuity[0]!;
        throw refuse('CONFLICT', 'continuity_confirm', { ...first.params, file: name, cause: first.code } as never, {
          field: 'acceptContinuity',
          continuity: plan.continuity,
        });
      }
      return { plan, sha256, committed: await writer.complete(plan, { name, sha256 }), again: null };
    };
    try {
      return commit ? await inSavepoint(commit.tx, read) : await read();
    } catch (e) {
      if (e instanceof Undo) return e.outcome;
      if (e instanceof ReadAsGb18030) gb18030 = true;
      else if (e instanceof OtherOrder) newestFirst = !newestFirst;
      else if (e instanceof SuspectRefs) exact = new Set([...exact, ...e.hashes]);
      else if (e instanceof ReadAgain) hints = e.hints;
      else if (e instanceof NotStreamable) return null;
      else if (e instanceof StatementError) throw statementRefused(name, e);
      else throw e;
    }
  }
  return null;
}

async function readFile(file: string, o: StatementOptions): Promise<{ statements: Statement[]; sha256: string; name: string }> {
  const name = checkFileSize(file, MAX_STATEMENT_BYTES);
  const bytes = fs.readFileSync(file);
  try {
    const statements = await readStatements(bytes, {
      fileName: name,
      limits: { maxTextBytes: MAX_STATEMENT_BYTES, maxXlsxBytes: MAX_STATEMENT_BYTES },
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.mapping ? { mapping: o.mapping } : {}),
    });
    return { statements, sha256: createHash('sha256').update(bytes).digest('hex'), name };
  } catch (e) {
    if (e instanceof StatementError) throw statementRefused(name, e);
    throw e;
  }
}

/** The very same file (same bytes) already imported into the same bank account, with nothing new in it. */
export interface AlreadyImported {
  statementId: number;
  /** the business date of that import (Asia/Shanghai) */
  on: string;
  /** who imported it (display name) */
  by: string;
  message: string;
}

export interface StatementPreview {
  file: string;
  sha256: string;
  alreadyImported: AlreadyImported | null;
  statements: {
    bankAccountId: number;
    bankAccount: string;
    format: string;
    profile: string | null;
    opening: { date: string; amount: string } | null;
    closing: { date: string; amount: string } | null;
    lines: number;
    newLines: number;
    duplicates: number;
    moneyIn: string;
    moneyOut: string;
    continuity: Refusal[];
    sample: {
      lineNo: number;
      booked: string;
      amount: string;
      counterpartyName: string | null;
      counterpartyAccount: string | null;
      memo: string | null;
      duplicate: boolean;
    }[];
  }[];
  continuityOk: boolean;
}

async function plans(q: Queryable, statements: Statement[], o: StatementOptions, name: string): Promise<StatementPlan[]> {
  return await mapInTurn(statements, async (s) => {
    const plan = await planStatement(q, s, await resolveBankAccount(q, s, o.bankAccountId ?? null), name);
    // The reader's own check (opening + lines = closing) is the same rule; keep one problem of each.
    for (const p of s.continuity.problems)
      if (!(p.code === 'continuity_sum' && plan.continuity.some((c) => c.code === 'continuity_sum_fen'))) plan.continuity.push(p);
    return plan;
  });
}

/**
 * Importing the very same file again is not a failure: nothing in it is new, and the accountant is
 * told when and by whom it was imported (its overlap with itself is no continuity problem).
 */
async function alreadyImported(q: Queryable, name: string, sha256: string, planned: StatementPlan[]): Promise<AlreadyImported | null> {
  if (!planned.length || planned.some((p) => p.newLines > 0)) return null;
  const ids = planned.map((p) => p.bankAccountId);
  const earlier = await q.db
    .selectFrom('statements as s')
    .leftJoin('staff as st', 'st.id', 's.imported_by')
    .select((eb) => ['s.id', 's.imported_at as at', eb.fn.coalesce('st.display_name', 'st.username', eb.val('?')).as('by')])
    .where('s.sha256', '=', sha256)
    .where('s.bank_account_id', 'in', ids)
    .orderBy('s.id')
    .limit(1)
    .executeTakeFirst();
  if (!earlier) return null;
  const params = { file: name, on: shanghaiDate(earlier.at), by: earlier.by, statementId: String(earlier.id) };
  return { statementId: earlier.id, on: params.on, by: params.by, message: refusalMessage('statement_already_imported', params) };
}

export async function previewStatementFile(q: Queryable, file: string, o: StatementOptions): Promise<StatementPreview> {
  const streamed = await streamFile(q, file, checkFileSize(file, MAX_STATEMENT_BYTES), o, null);
  const { planned, again, sha256, name } = streamed
    ? { planned: [streamed.plan], again: streamed.again, sha256: streamed.sha256, name: path.basename(file) }
    : await (async () => {
        const r = await readFile(file, o);
        const p = await plans(q, r.statements, o, r.name);
        return { planned: p, again: await alreadyImported(q, r.name, r.sha256, p), sha256: r.sha256, name: r.name };
      })();
  const bankName = async (id: number) =>
    (await q.db
      .selectFrom('bank_accounts')
      .select(sql<string>`bank_name || ' ' || account_number`.as('n'))
      .where('id', '=', id)
      .executeTakeFirst())!.n;
  return {
    file: name,
    sha256,
    alreadyImported: again,
    continuityOk: again !== null || planned.every((p) => p.continuity.length === 0),
    statements: await mapInTurn(planned, async (p) => ({
      bankAccountId: p.bankAccountId,
      bankAccount: await bankName(p.bankAccountId),
      format: p.format,
      profile: p.profile,
      opening: p.opening ? { date: p.opening.date, amount: formatYuan(p.opening.amount) } : null,
      closing: p.closing ? { date: p.closing.date, amount: formatYuan(p.closing.amount) } : null,
      lines: p.lineCount ?? p.lines.length,
      newLines: p.newLines,
      duplicates: p.duplicates,
      moneyIn: formatYuan(p.moneyIn),
      moneyOut: formatYuan(p.moneyOut),
      continuity: p.continuity,
      sample: p.lines.slice(0, 50).map((l) => ({
        lineNo: l.lineNo,
        booked: l.booked,
        amount: formatYuan(l.amount),
        counterpartyName: l.counterpartyName,
        counterpartyAccount: l.counterpartyAccount,
        memo: l.memo,
        duplicate: l.duplicate,
      })),
    })),
  };
}

export async function commitStatementFile(
  tx: Tx,
  actor: Actor,
  file: string,
  o: StatementOptions & { expectSha256?: string; acceptContinuity?: boolean; now: number; maxBytes?: number },
): Promise<{ file: string; statements: Awaited<ReturnType<typeof commitStatement>>[]; alreadyImported: AlreadyImported | null }> {
  const streamed = await streamFile(tx, file, checkFileSize(file, o.maxBytes ?? MAX_STATEMENT_BYTES), o, {
    tx,
    actor,
    now: o.now,
    ...(o.expectSha256 ? { expectSha256: o.expectSha256 } : {}),
    ...(o.acceptContinuity ? { acceptContinuity: true } : {}),
  });
  if (streamed) {
    const name = path.basename(file);
    return streamed.again
      ? { file: name, statements: [], alreadyImported: streamed.again }
      : { file: name, statements: [streamed.committed!], alreadyImported: null };
  }
  const { statements, sha256, name } = await readFile(file, o);
  if (o.expectSha256 && o.expectSha256 !== sha256)
    throw refuse('CONFLICT', 'file_changed_since_preview', { file: name }, { field: 'token' });
  const planned = await plans(tx, statements, o, name);
  const again = await alreadyImported(tx, name, sha256, planned);
  if (again) return { file: name, statements: [], alreadyImported: again };
  const problems = planned.flatMap((p) => p.continuity);
  if (problems.length && !o.acceptContinuity) {
    const first = problems[0]!;
    throw refuse('CONFLICT', 'continuity_confirm', { ...first.params, file: name, cause: first.code } as never, {
      field: 'acceptContinuity',
      continuity: problems,
    });
  }
  return {
    file: name,
    statements: await mapInTurn(planned, async (p) => commitStatement(tx, actor, p, { name, sha256 }, o.now)),
    alreadyImported: null,
  };
}
