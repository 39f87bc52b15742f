// coffer books copy: a books file onto PostgreSQL (issue "Shared books" §1), proved equal before the
// copy is kept.
import { BooksKeyError, readBooksKey } from '../db/books-key';
import { copyBooksToPostgres, isPostgresUrl, PostgresBooksError, type CopyReport } from '../db/postgres/books';
import { copyPostgresToBooksFile } from '../db/postgres/copy-back';
import { shownUrl } from '../db/postgres/open';
import { isLedgerId, LEDGER_CODE, ledgerUnit } from '../domain/ledgers';
import { formatCoins, formatYuan } from '../domain/money';
import { refuse } from '../domain/refusals';
import { out, type Command } from './kit';
import { openBooksReadOnly } from './open';
import { required } from './usage';

/** SQLSTATE classes and socket errors that mean the server or database could not be reached. */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|3D000|28P01|28000|08\w{3})$/;

/**
 * A failure of the copy as the refusal a user reads; anything else stays an internal error. `target` is
 * the PostgreSQL side as it may be shown, `file` the books file, `key` the key file given.
 */
export function asRefusal(e: unknown, target: string, file: string, key: string | undefined): unknown {
  const pgField = { field: isPostgresUrl(file) ? 'from' : 'to' } as const;
  if (e instanceof PostgresBooksError) {
    switch (e.code) {
      case 'not_empty':
        return refuse('CONFLICT', 'postgres_not_empty', { target }, { field: 'to' });
      case 'copy_differs':
        return refuse('CONFLICT', 'books_copy_differs', { differences: e.message }, { field: 'to' });
      case 'target_exists':
        return refuse('CONFLICT', 'books_copy_target_exists', { path: file }, { field: 'to' });
      case 'not_books':
        return refuse('NOT_FOUND', 'postgres_not_books', { target }, { field: 'from' });
      case 'version_differs':
        return refuse(
          'CONFLICT',
          'postgres_books_version',
          { target, version: e.params.version ?? '?', latest: e.params.latest ?? '?' },
          { field: 'from' },
        );
      case 'wrong_key':
        return refuse('VALIDATION', 'recover_wrong_key', { file: key ?? '' }, { field: 'key' });
    }
  }
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && UNREACHABLE.test(code))
    return refuse('NOT_FOUND', 'postgres_unreachable', { target, detail: (e as Error).message || code }, pgField);
  return e;
}

/** The books key from --key, or null without it; a file that is no books key is refused before anything is read. */
function keyFrom(file: string | undefined): Buffer | null {
  if (file === undefined) return null;
  try {
    return readBooksKey(file);
  } catch (e) {
    if (e instanceof BooksKeyError) throw refuse('VALIDATION', 'recover_wrong_key', { file }, { field: 'key' });
    throw e;
  }
}

const grouped = (n: number) => n.toLocaleString('en-US');
/** A ledger's sum as a user reads it: yuan for CNY, whole coins for the coin ledgers. */
const amount = (ledger: number, sum: string) =>
  ledgerUnit(ledger) === 'fen' ? `${formatYuan(Number(sum), true)} yuan` : `${formatCoins(Number(sum))} coins`;

/** The copy's tally as printed: tables and rows, the audit head, the trial balance per ledger. */
function printed(from: string, to: string, report: CopyReport, extra: string[]): string {
  const head = report.tally.auditHead;
  return (
    [
      `copied ${from} → ${to} (books version ${report.version})`,
      `  ${report.tables} tables, ${grouped(report.rows)} rows`,
      `  audit chain head: #${head?.id ?? '-'} ${head?.hash ?? ''}`,
      ...report.tally.trialBalance.map(
        (b) =>
          `  trial balance ${isLedgerId(b.ledger) ? LEDGER_CODE[b.ledger] : b.ledger}: ${amount(b.ledger, b.debits)} Dr = ${amount(b.ledger, b.credits)} Cr`,
      ),
      'equal on both sides: every table (rows and content), the audit chain head and the trial balance',
      ...extra,
    ].join('\n') + '\n'
  );
}

/** A books file onto PostgreSQL. */
async function toPostgres(from: string, to: string) {
  const books = openBooksReadOnly(from);
  try {
    const report = await copyBooksToPostgres(books.raw, to).catch((e: unknown) => {
      throw asRefusal(e, shownUrl(to), from, undefined);
    });
    return { report, extra: [] };
  } finally {
    await books.close();
  }
}

/** Books on PostgreSQL back into a new books file, its anchor signed when the key is given. */
async function toFile(from: string, to: string, keyFile: string | undefined) {
  const key = keyFrom(keyFile);
  const report = await copyPostgresToBooksFile(from, to, key).catch((e: unknown) => {
    throw asRefusal(e, shownUrl(from), to, keyFile);
  });
  const extra = report.anchorSigned
    ? [`  anchor ${to}.anchor signed with the books key; keep the key where it was, or beside the file as ${to}.key`]
    : [`  anchor ${to}.anchor written unsigned (no --key): give --key to sign it with the books key`];
  return { report, extra };
}

export const booksCopyCommands: Command[] = [
  {
    name: 'books copy',
    summary: 'copy books between a books file and PostgreSQL, proved equal',
    options: { from: { type: 'string' }, to: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer books copy --from FILE --to URL [--json]
       coffer books copy --from URL --to FILE [--key KEYFILE] [--json]

Copies the books file FILE (opened read-only) into the empty PostgreSQL schema that URL names
(postgres://user@host:5432/database; add ?options=-c%20search_path%3Dname for a schema other than
public): the schema of the current version written from Coffer's migrations, then every row of every
table. Refuses a schema that already holds books.

Copied back, the books at URL (read in one snapshot) become the new books file FILE, which must not
exist: the schema made by the migrations, every row with its row number (so the row seals still hold),
and an anchor beside it at the copied audit head — signed with the books key when KEYFILE (the key
made beside the original books) is given, and refused if KEYFILE is not their key.

Either way, before the copy is kept both sides are tallied — each table's row count and a digest of
its rows, the audit chain's head, the trial balance — and any difference undoes the whole copy.
--json prints the tally.`,
    async run(v) {
      required('books copy', v, 'from', 'to');
      const from = v.from as string;
      const to = v.to as string;
      if (isPostgresUrl(from) === isPostgresUrl(to)) throw refuse('VALIDATION', 'books_copy_direction', {}, { field: 'to' });
      const { report, extra } = isPostgresUrl(to) ? await toPostgres(from, to) : await toFile(from, to, v.key as string | undefined);
      const shownFrom = isPostgresUrl(from) ? shownUrl(from) : from;
      const shownTo = isPostgresUrl(to) ? shownUrl(to) : to;
      if (v.json) out(JSON.stringify({ from: shownFrom, to: shownTo, ...report }, null, 2) + '\n');
      else out(printed(shownFrom, shownTo, report, extra));
      return 0;
    },
  },
];
