// Importing a bank statement file: the readers in formats/statements turn bytes into statements;
// here each is checked against its platform bank account and the books (currency, duplicates,
// continuity) for a preview, then written in one transaction. A file the readers refuse names its
// line and field and writes nothing; continuity problems are reported and the accountant decides.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { selectFirst } from '../db/query';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { formatYuan } from '../domain/money';
import { shanghaiDate } from '../domain/dates';
import { refusalMessage, refuse, type Refusal } from '../domain/refusals';
import { readStatements, StatementError, type ColumnMapping, type Statement } from '../formats/statements';
import { statementRefused } from '../formats/statements/types';
import type { Actor } from './actor';
import { commitStatement, planStatement, resolveBankAccount, type StatementPlan } from './bank-statements';

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

async function readFile(file: string, o: StatementOptions): Promise<{ statements: Statement[]; sha256: string; name: string }> {
  const name = path.basename(file);
  const size = fs.statSync(file).size;
  if (size > MAX_STATEMENT_BYTES)
    throw refuse(
      'VALIDATION',
      'statement_too_large',
      { file: name, sizeMiB: (size / 1048576).toFixed(1) },
      { file: name, code: 'too_large' },
    );
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

function plans(q: Queryable, statements: Statement[], o: StatementOptions, name: string): StatementPlan[] {
  return statements.map((s) => {
    const plan = planStatement(q, s, resolveBankAccount(q, s, o.bankAccountId ?? null), name);
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
function alreadyImported(q: Queryable, name: string, sha256: string, planned: StatementPlan[]): AlreadyImported | null {
  if (!planned.length || planned.some((p) => p.newLines > 0)) return null;
  const ids = planned.map((p) => p.bankAccountId);
  const earlier = selectFirst(
    q,
    q.db
      .selectFrom('statements as s')
      .leftJoin('staff as st', 'st.id', 's.imported_by')
      .select((eb) => ['s.id', 's.imported_at as at', eb.fn.coalesce('st.display_name', 'st.username', eb.val('?')).as('by')])
      .where('s.sha256', '=', sha256)
      .where('s.bank_account_id', 'in', ids)
      .orderBy('s.id')
      .limit(1),
  );
  if (!earlier) return null;
  const params = { file: name, on: shanghaiDate(earlier.at), by: earlier.by, statementId: String(earlier.id) };
  return { statementId: earlier.id, on: params.on, by: params.by, message: refusalMessage('statement_already_imported', params) };
}

export async function previewStatementFile(q: Queryable, file: string, o: StatementOptions): Promise<StatementPreview> {
  const { statements, sha256, name } = await readFile(file, o);
  const planned = plans(q, statements, o, name);
  const again = alreadyImported(q, name, sha256, planned);
  const bankName = (id: number) =>
    selectFirst(
      q,
      q.db
        .selectFrom('bank_accounts')
        .select(sql<string>`bank_name || ' ' || account_number`.as('n'))
        .where('id', '=', id),
    )!.n;
  return {
    file: name,
    sha256,
    alreadyImported: again,
    continuityOk: again !== null || planned.every((p) => p.continuity.length === 0),
    statements: planned.map((p) => ({
      bankAccountId: p.bankAccountId,
      bankAccount: bankName(p.bankAccountId),
      format: p.format,
      profile: p.profile,
      opening: p.opening ? { date: p.opening.date, amount: formatYuan(p.opening.amount) } : null,
      closing: p.closing ? { date: p.closing.date, amount: formatYuan(p.closing.amount) } : null,
      lines: p.lines.length,
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
  o: StatementOptions & { expectSha256?: string; acceptContinuity?: boolean; now: number },
): Promise<{ file: string; statements: ReturnType<typeof commitStatement>[]; alreadyImported: AlreadyImported | null }> {
  const { statements, sha256, name } = await readFile(file, o);
  if (o.expectSha256 && o.expectSha256 !== sha256)
    throw refuse('CONFLICT', 'file_changed_since_preview', { file: name }, { field: 'token' });
  const planned = plans(tx, statements, o, name);
  const again = alreadyImported(tx, name, sha256, planned);
  if (again) return { file: name, statements: [], alreadyImported: again };
  const problems = planned.flatMap((p) => p.continuity);
  if (problems.length && !o.acceptContinuity) {
    const first = problems[0]!;
    throw refuse('CONFLICT', 'continuity_confirm', { ...first.params, file: name, cause: first.code } as never, {
      field: 'acceptContinuity',
      continuity: problems,
    });
  }
  return { file: name, statements: planned.map((p) => commitStatement(tx, actor, p, { name, sha256 }, o.now)), alreadyImported: null };
}
