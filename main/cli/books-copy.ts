// coffer books copy: a books file onto PostgreSQL (issue "Shared books" §1), proved equal before the
// copy is kept.
import { copyBooksToPostgres, isPostgresUrl, PostgresBooksError } from '../db/postgres/books';
import { isLedgerId, LEDGER_CODE, ledgerUnit } from '../domain/ledgers';
import { formatCoins, formatYuan } from '../domain/money';
import { refuse } from '../domain/refusals';
import { out, type Command } from './kit';
import { openBooksReadOnly } from './open';
import { required } from './usage';

/** The URL as it may be printed: a password in it is never shown. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

/** SQLSTATE classes and socket errors that mean the server or database could not be reached. */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|3D000|28P01|28000|08\w{3})$/;

/** A failure of the copy as the refusal a user reads; anything else stays an internal error. */
function asRefusal(e: unknown, target: string): unknown {
  if (e instanceof PostgresBooksError && e.code === 'not_empty')
    return refuse('CONFLICT', 'postgres_not_empty', { target }, { field: 'to' });
  if (e instanceof PostgresBooksError && e.code === 'copy_differs')
    return refuse('CONFLICT', 'books_copy_differs', { differences: e.message }, { field: 'to' });
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && UNREACHABLE.test(code))
    return refuse('NOT_FOUND', 'postgres_unreachable', { target, detail: (e as Error).message || code }, { field: 'to' });
  return e;
}

const grouped = (n: number) => n.toLocaleString('en-US');
/** A ledger's sum as a user reads it: yuan for CNY, whole coins for the coin ledgers. */
const amount = (ledger: number, sum: string) =>
  ledgerUnit(ledger) === 'fen' ? `${formatYuan(Number(sum), true)} yuan` : `${formatCoins(Number(sum))} coins`;

export const booksCopyCommands: Command[] = [
  {
    name: 'books copy',
    summary: 'copy a books file into an empty PostgreSQL schema, proved equal',
    options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer books copy --from FILE --to URL [--json]

Copies the books file FILE (opened read-only) into the empty PostgreSQL schema that URL names
(postgres://user@host:5432/database; add ?options=-c%20search_path%3Dname for a schema other than
public): the schema of the current version written from Coffer's migrations, then every row of every
table. Before the copy is committed both sides are tallied — each table's row count and a digest of
its rows, the audit chain's head, the trial balance — and any difference rolls the whole copy back.
Refuses a schema that already holds books. --json prints the tally.`,
    async run(v) {
      required('books copy', v, 'from', 'to');
      const from = v.from as string;
      const to = v.to as string;
      if (isPostgresUrl(from) || !isPostgresUrl(to)) throw refuse('VALIDATION', 'books_copy_direction', {}, { field: 'to' });
      const books = openBooksReadOnly(from);
      try {
        const report = await copyBooksToPostgres(books.raw, to).catch((e: unknown) => {
          throw asRefusal(e, shownUrl(to));
        });
        if (v.json) {
          out(JSON.stringify({ from, to: shownUrl(to), ...report }, null, 2) + '\n');
          return 0;
        }
        const head = report.tally.auditHead;
        out(
          [
            `copied ${from} → ${shownUrl(to)} (books version ${report.version})`,
            `  ${report.tables} tables, ${grouped(report.rows)} rows`,
            `  audit chain head: #${head?.id ?? '-'} ${head?.hash ?? ''}`,
            ...report.tally.trialBalance.map(
              (b) =>
                `  trial balance ${isLedgerId(b.ledger) ? LEDGER_CODE[b.ledger] : b.ledger}: ${amount(b.ledger, b.debits)} Dr = ${amount(b.ledger, b.credits)} Cr`,
            ),
            'equal on both sides: every table (rows and content), the audit chain head and the trial balance',
          ].join('\n') + '\n',
        );
        return 0;
      } finally {
        await books.close();
      }
    },
  },
];
