// coffer: the headless command line. Exit codes: 0 done (verify: clean), 1 refused by the books or
// the API, or verify found something, 2 usage (bad or missing arguments). Everything goes through the
// API dispatcher (see open.ts), so the CLI obeys the same input schemas and role lists as the console.
import fs from 'node:fs';
import path from 'node:path';
import { inspectBooksFile } from '../db/books';
import { shanghaiDateTime } from '../domain/dates';
import { BooksFileError } from '../db/errors';
import { CofferError, type ApiErrorBody } from '../domain/errors';
import { inspectStatementJson, profileById, PROFILES } from '../formats/statements';
import { MIN_PASSWORD_LENGTH } from '../services/passwords';
import { staffCount } from '../services/staff';
import {
  createDemoBooks,
  DEMO_BANK,
  DEMO_DEFAULT_CUSTOMERS,
  DEMO_DEFAULT_SEED,
  DEMO_MAX_CUSTOMERS,
  DEMO_STAFF,
  DEMO_WINDOW_DAYS,
} from '../demo';
import { eventSchemas } from './event-schemas';
import {
  importText,
  inspectText,
  previewText,
  reconcileJson,
  reconcileText,
  statementImportText,
  statementPreviewText,
  trialBalanceJson,
  trialBalanceText,
  verifyText,
} from './format';
import type { StatementPreview } from '../services/statement-import';
import { approvalCommands } from './approval';
import { chartCommands } from './chart';
import { invoiceCommands } from './invoices';
import { payoutCommands } from './payouts';
import { periodCommands } from './periods';
import { monthEndCommands } from './month-end';
import { revenueCommands } from './revenue';
import { reportCommands } from './reports';
import { voucherCommands } from './vouchers';
import { glExportCommands } from './gl-export';
import { staffCommands } from './staff';
import { booksCopyCommands } from './books-copy';
import { serveCommands } from './serve';
import { createPostgresBooks, isPostgresUrl } from '../db/postgres/books';
import { shownUrl } from '../db/postgres/open';
import type { AnyBooks } from '../db/tx';
import { asRefusal } from './books-copy';
import { AS, DB, OUT, READ_NOTE, checkOut, out, progress, reader, say, writer, withApi, type Command } from './kit';
import { CLI_CLIENT, Refused, cliApi, openBooksAt, samePath, type CliApi } from './open';
import { readPassword } from './password';
import { UsageError, parse, required, type Values } from './usage';
import { openBooks } from '../db/books';
import { refuse } from '../domain/refusals';

/** inspect statement reads the whole file; the readers' own limit for text files is 200 MiB. */
const INSPECT_MAX_BYTES = 256 * 1024 * 1024;

/** A statement file the readers refused: the code, line and field are printed with the message. */
class RefusedFile extends Error {
  constructor(
    readonly body: ApiErrorBody,
    readonly json: boolean,
  ) {
    super(body.message);
  }
}

const PROFILE_IDS = PROFILES.map((p) => p.id).join(', ');
const PROFILE_HELP = `--profile NAME   a CSV/XLSX profile: ${PROFILE_IDS} (default: found from the header)`;

/** The one statement file a statement command reads, and its --profile when that names a shipped one. */
function statementArgs(command: string, v: Values): { file: string; profile: string | undefined } {
  const files = (v._ as string[] | undefined) ?? [];
  if (files.length !== 1) throw new UsageError(files.length ? 'give one statement file' : 'the statement file is required', command);
  const profile = v.profile as string | undefined;
  if (profile !== undefined && !profileById(profile))
    throw new UsageError(`--profile must be one of ${PROFILE_IDS}, not "${profile}"`, command);
  return { file: files[0]!, profile };
}

/**
 * New books at `target` (init, demo): a books file, or books in an empty PostgreSQL schema. Books that
 * already have staff are refused before anything is touched (a foreign file by inspection, books by a
 * read-only look); then the password is asked for and checked, the books made, and `fill` fills them.
 * A file this call created is removed if `fill` fails; books this call made in a schema stay there
 * empty of staff, and the next init or demo fills them.
 */
async function makeNewBooks(
  target: string,
  hasStaff: 'init_has_staff' | 'demo_has_staff',
  prompt: string,
  fill: (password: string, books: AnyBooks) => Promise<void>,
): Promise<void> {
  const shown = isPostgresUrl(target) ? shownUrl(target) : target;
  const present = await booksPresent(target);
  if (present) {
    const ro = await openBooksAt(target, 'read');
    try {
      const n = await staffCount(ro);
      if (n > 0) throw refuse('CONFLICT', hasStaff, { file: shown, count: String(n) }, { path: shown });
    } finally {
      await ro.close();
    }
  }
  const password = await readPassword(prompt);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw refuse(
      'VALIDATION',
      'password_too_short_new',
      { min: String(MIN_PASSWORD_LENGTH), length: String(password.length) },
      { field: 'password' },
    );
  const existed = !isPostgresUrl(target) && fs.existsSync(target);
  let done = false;
  try {
    if (isPostgresUrl(target) && !present)
      await createPostgresBooks(target).catch((e: unknown) => {
        throw asRefusal(e, shown, target, undefined);
      });
    const books = isPostgresUrl(target) ? await openBooksAt(target, 'write') : await openBooks(target, { create: true });
    try {
      await fill(password, books);
    } finally {
      await books.close();
    }
    done = true;
  } finally {
    if (!done && !existed && !isPostgresUrl(target)) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  }
}

/** Whether `target` already holds books (a file that is not empty, a schema with Coffer's tables). */
async function booksPresent(target: string): Promise<boolean> {
  if (!isPostgresUrl(target)) return fs.existsSync(target) && !inspectBooksFile(target).empty;
  try {
    await (await openBooksAt(target, 'read')).close();
    return true;
  } catch (e) {
    if (e instanceof CofferError && e.details.reason === 'postgres_not_books') return false;
    throw e;
  }
}

/** --account: a platform bank account by its number (spaces and dashes ignored) or its id. */
async function bankAccountOf(api: CliApi, text: string): Promise<number> {
  const accounts = await api.call('bankAccounts.list');
  const wanted = text.replace(/[\s-]/g, '');
  const found = accounts.find((a) => a.accountNumber === wanted) ?? accounts.find((a) => String(a.id) === wanted);
  if (!found)
    throw refuse(
      'NOT_FOUND',
      'cli_account_unknown',
      { text, accounts: accounts.map((a) => `#${a.id} ${a.accountNumber}`).join(', ') || 'none' },
      { field: 'account' },
    );
  return found.id;
}

const commands: Command[] = [
  {
    name: 'init',
    summary: 'create books (a file, or on PostgreSQL) and their first admin',
    options: { ...DB, admin: { type: 'string' }, 'display-name': { type: 'string' } },
    help: `Usage: coffer init --db FILE|URL --admin NAME [--display-name TEXT]  < password

Creates the books file FILE (or fills an empty existing one), or books in the empty PostgreSQL schema
URL names, and their first admin user NAME.
The admin's password is the first line of standard input (at least ${MIN_PASSWORD_LENGTH} characters).
Refuses a file that is not a Coffer books file, and books that already have staff users.`,
    async run(v) {
      required('init', v, 'db', 'admin');
      const file = v.db as string;
      await makeNewBooks(file, 'init_has_staff', `Password for the new admin ${v.admin}: `, async (password, books) => {
        const api = cliApi(books);
        const status = await api.call('setup.status');
        if (!status.needsFirstAdmin) throw refuse('CONFLICT', 'books_have_staff', { file: isPostgresUrl(file) ? shownUrl(file) : file });
        await api.call('setup.createFirstAdmin', {
          username: v.admin as string,
          displayName: (v['display-name'] as string | undefined) ?? (v.admin as string),
          password,
        });
        await api.call('session.logout');
      });
      out(`Created books ${isPostgresUrl(file) ? shownUrl(file) : file} with admin ${String(v.admin)}.\n`);
      return 0;
    },
  },
  {
    name: 'verify',
    summary: 'prove the books are whole (balances, ledgers, audit chain, integrity)',
    options: { ...DB, ...AS, json: { type: 'boolean' }, witness: { type: 'string', multiple: true } },
    help: `Usage: coffer verify --db FILE|URL [--json] [--witness FILE]... [--as USER < password]

Checks that every ledger balances, every account's kept balances equal the sum of its transfers,
no limit is broken, transfers stay on their accounts' ledger, the audit hash chain recomputes and
SQLite's integrity_check is ok, and that every sub-ledger ties to its ledger account: each bank
account's balance on each statement's closing date to that statement's closing balance, unallocated
receipts to the bank lines' unallocated money, customer prepayments to the credited records, refunds
payable to the open refunds, the wallets to their control accounts and to their own records and
movements, and invoicing within each record's money; that every row matches the seal its audit
entry gave it, and that the chain's head is the one anchored beside the books (<books>.anchor,
signed with the books key when <books>.key is there). Books on PostgreSQL (a postgres:// URL) are read in
one snapshot; SQLite's integrity_check and the anchor beside a file are named as skipped there. Each --witness names a backup, workbook,
journal or review-results file Coffer wrote: the books must still hold the audit entry it witnessed,
with the same hash. Prints every tie with its figures and each finding; --json prints the whole report, with \`ties\`: one entry per tie with name, ok, expected and
actual (fen or coins as integer strings). Exit code 0 when clean, 1 with findings or a broken tie.
${READ_NOTE}`,
    async run(v) {
      required('verify', v, 'db');
      return withApi(await reader(v), async (api) => {
        const r = await api.job('books.verify');
        for (const file of (v.witness as string[] | undefined) ?? []) {
          api.open = path.resolve(file);
          const w = await api.call('books.checkWitness');
          if (w.finding) r.findings.push({ check: 'witness', message: w.finding, details: { file } });
        }
        r.ok = r.findings.length === 0;
        out(v.json ? JSON.stringify(r, null, 2) + '\n' : verifyText(api.dispatcher.books.path, r));
        return r.ok ? 0 : 1;
      });
    },
  },
  {
    name: 'backup',
    summary: 'online backup of the books, checked and audited (admin)',
    options: { ...DB, ...AS, ...OUT },
    help: `Usage: coffer backup --db FILE --out FILE --as USER [--force]  < password

Copies the books with SQLite's online backup API to --out (written beside it, then renamed), runs
integrity_check on the copy and records an audit row. Only an admin may back up (the brief's role
table); the password of USER is the first line of standard input. Refuses to replace an existing
--out unless --force.`,
    async run(v) {
      required('backup', v, 'db', 'out', 'as');
      const target = checkOut('backup', v);
      return withApi(await writer(v), async (api) => {
        api.out = path.resolve(target);
        const r = await api.job('books.backup');
        out(`Backed up ${v.db} to ${r.path} (${r.bytes} bytes); integrity ok; last audit hash ${r.lastAuditHash}\n`);
        return 0;
      });
    },
  },
  {
    name: 'export journal',
    summary: 'the ledger as a plain-text journal that hledger and ledger-cli read',
    options: { ...DB, ...AS, ...OUT },
    help: `Usage: coffer export journal --db FILE|URL --out FILE [--force] [--as USER < password]

Writes every transfer as a journal entry (CNY in yuan, RCOIN recharge coins, ECOIN earnings coins;
pending transfers marked !, voided reservations left out). Check it with \`hledger -f FILE bal\`.
${READ_NOTE}`,
    async run(v) {
      required('export journal', v, 'db', 'out');
      const target = checkOut('export journal', v);
      return withApi(await reader(v), async (api) => {
        api.out = path.resolve(target);
        const r = await api.job('ledger.exportJournal');
        out(`Wrote ${r.transfers} transfers to ${r.path} (${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
  {
    name: 'export audit',
    summary: 'the audit log with every row hash (jsonl or csv)',
    options: { ...DB, ...AS, ...OUT, format: { type: 'string' } },
    help: `Usage: coffer export audit --db FILE|URL --out FILE [--format jsonl|csv] [--force] [--as USER < password]

Writes the audit log, each row with its prev_hash and hash so the chain can be recomputed.
jsonl (default) keeps every value exact; csv is for spreadsheets (formula-like text neutralised).
${READ_NOTE}`,
    async run(v) {
      required('export audit', v, 'db', 'out');
      const format = (v.format as string | undefined) ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be jsonl or csv, not "${format}"`, 'export audit');
      const target = checkOut('export audit', v);
      return withApi(await reader(v), async (api) => {
        api.out = path.resolve(target);
        const r = await api.job('audit.export', { format });
        out(`Wrote ${r.rows} audit rows to ${r.path} (${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
  {
    name: 'report trial-balance',
    summary: 'debits and credits per ledger and account code',
    options: { ...DB, ...AS, json: { type: 'boolean' } },
    help: `Usage: coffer report trial-balance --db FILE|URL [--json] [--as USER < password]

Per ledger (CNY in yuan "1288.00", recharge and earnings coins whole; ledgers are never added
together), one line per account code with posted and pending debits and credits and the net
(debits − credits posted). --json prints the same figures as decimal strings.
Exit code 1 when a ledger does not balance.
${READ_NOTE}`,
    async run(v) {
      required('report trial-balance', v, 'db');
      return withApi(await reader(v), async (api) => {
        const tb = await api.call('ledger.trialBalance');
        out(
          v.json
            ? JSON.stringify(trialBalanceJson(api.dispatcher.books.path, tb), null, 2) + '\n'
            : trialBalanceText(api.dispatcher.books.path, tb),
        );
        return tb.every((t) => t.balanced) ? 0 : 1;
      });
    },
  },
  ...reportCommands,
  {
    name: 'import events',
    summary: "import the platform's event file (JSON Lines), or preview it with --dry-run (clerk, approver)",
    options: { ...DB, ...AS, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    positionals: true,
    help: `Usage: coffer import events --db FILE|URL --as USER [--dry-run] [--json] EVENTS.jsonl  < password

Reads the platform's event file (one JSON event a line; see docs/EVENTS.md and \`coffer events schema\`)
and checks every line first. A file with any malformed line (bad JSON, unknown type, a field the
type's schema refuses) or an event id seen before with other content is refused whole: the errors are
printed by file, line, field and reason, nothing is written, exit code 1.
--dry-run prints the preview (events per type, already imported, errors per line) and writes nothing.
Without it the events are applied in file order in one transaction; an event a business rule refuses
(a blocked login, a spend in a blocked session, not enough coins, accounts outside the link group) is
recorded as refused with its reason while the rest goes through; each refusal is printed with its line,
id and reason. Events imported before (same id, same content) are skipped, so a file can be imported
again safely. Only clerks and approvers import (the brief's role table); USER's password is the first
line of standard input. Progress goes to standard error. --json prints the preview or the result as JSON.`,
    async run(v) {
      required('import events', v, 'db', 'as');
      const files = (v._ as string[] | undefined) ?? [];
      if (files.length !== 1) throw new UsageError(files.length ? 'give one event file' : 'the event file is required', 'import events');
      const file = path.resolve(files[0]!);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile())
        throw refuse('NOT_FOUND', 'event_file_missing', { file: String(files[0]) }, { path: files[0] });
      if (samePath(file, v.db as string)) throw new UsageError('the event file must not be the books file', 'import events');
      return withApi(await writer(v), async (api) => {
        api.open = file;
        const preview = await api.job('events.preview');
        const { token, ...shown } = preview;
        if (v['dry-run'] || !preview.ok) {
          out(v.json ? JSON.stringify({ dryRun: !!v['dry-run'], ...shown }, null, 2) + '\n' : previewText(shown, !!v['dry-run']));
          if (!preview.ok)
            say(`coffer import events: VALIDATION: ${preview.errorCount} problem(s) in ${preview.file}; nothing was imported`);
          return preview.ok ? 0 : 1;
        }
        const result = await api.job('events.import', { token, sha256: preview.sha256 });
        out(v.json ? JSON.stringify(result, null, 2) + '\n' : importText(result, v.as as string));
        return 0;
      });
    },
  },
  {
    name: 'import statement',
    summary: "import the platform's bank statement (CSV, XLSX, camt.053, MT940, OFX), or preview it with --dry-run (clerk, approver)",
    options: {
      ...DB,
      ...AS,
      account: { type: 'string' },
      profile: { type: 'string' },
      'accept-continuity': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    positionals: true,
    help: `Usage: coffer import statement --db FILE|URL --as USER [--account ID] [--profile NAME] [--accept-continuity] [--dry-run] [--json] STATEMENT  < password

Reads a statement of one of the platform's own bank accounts (CSV or XLSX with a bank profile found
from the header, camt.053, MT940, OFX; see docs/STATEMENTS.md) and prints the preview: the bank
account, opening and closing balances, new lines and lines imported before, money in and out, the
first lines, and continuity problems (opening + lines ≠ closing, a gap or an overlap with the
previous statement of that account).
--account ID     the platform bank account (its id or its number), when the file does not name it
${PROFILE_HELP}
A file the reader refuses (bad amount, date, header, encoding, another currency than the bank
account's …) is refused whole with its code, line and field; nothing is written; exit code 1.
Continuity problems stop the import (exit code 1) unless --accept-continuity: the accountant decides,
and the statement keeps its problems on record. --dry-run prints the preview and writes nothing.
Otherwise the new lines are booked in one transaction (money in: Dr bank / Cr unallocated receipts;
money out: Dr suspense / Cr bank); lines seen before (same bank reference, or the same content) are
skipped, so a file can be imported again safely. Only clerks and approvers import; USER's password is
the first line of standard input. --json prints the preview and the result as JSON.`,
    async run(v) {
      required('import statement', v, 'db', 'as');
      const { file: named, profile } = statementArgs('import statement', v);
      const file = path.resolve(named);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile())
        throw refuse('NOT_FOUND', 'statement_file_missing', { file: named }, { path: named });
      if (samePath(file, v.db as string)) throw new UsageError('the statement file must not be the books file', 'import statement');
      const json = !!v.json;
      const dryRun = !!v['dry-run'];
      const accept = !!v['accept-continuity'];
      return withApi(await writer(v), async (api) => {
        let bankAccountId: number | undefined;
        if (v.account !== undefined) bankAccountId = await bankAccountOf(api, v.account as string);
        const options = { ...(profile ? { profile } : {}), ...(bankAccountId !== undefined ? { bankAccountId } : {}) };
        api.open = file;
        const { token } = await api.job('statements.choose');
        let preview: StatementPreview;
        try {
          preview = await api.job('statements.preview', { token, ...options });
        } catch (e) {
          if (e instanceof Refused) throw new RefusedFile(e.body, json);
          throw e;
        }
        const blocked = !preview.continuityOk && !accept;
        if (dryRun || blocked) {
          out(json ? JSON.stringify({ dryRun, preview }, null, 2) + '\n' : statementPreviewText(preview, dryRun));
          if (blocked && !dryRun) {
            say(
              `coffer import statement: CONFLICT: ${preview.statements.flatMap((s) => s.continuity)[0]?.message}; nothing was imported (pass --accept-continuity to import it anyway)`,
            );
            return 1;
          }
          return blocked ? 1 : 0;
        }
        const result = await api.job('statements.import', {
          token,
          sha256: preview.sha256,
          acceptContinuity: accept,
          ...options,
        });
        out(
          json
            ? JSON.stringify({ dryRun: false, preview, result }, null, 2) + '\n'
            : result.alreadyImported // the very same file again: said once, nothing booked, not a failure
              ? statementImportText(result, v.as as string, false)
              : statementPreviewText(preview, false) + statementImportText(result, v.as as string, !preview.continuityOk),
        );
        return 0;
      });
    },
  },
  {
    name: 'inspect statement',
    summary: 'what Coffer reads from a statement file, without any books (for support and new bank exports)',
    options: { profile: { type: 'string' }, json: { type: 'boolean' } },
    positionals: true,
    help: `Usage: coffer inspect statement [--profile NAME] [--json] FILE

Reads FILE with the statement readers and prints what they found, touching no books: each statement's
account, currency, opening and closing balance, lines (booked and value dates, the signed amount —
money in is positive — counterparty name and account, reference, memo, the bank's own reference) and
its continuity (opening + lines against closing: reported, never refused). Any currency is read.
--json prints exactly {"statements": [...]} with every amount a signed decimal string in the
statement's currency, dates as YYYY-MM-DD and null where the file has no value (docs/STATEMENTS.md
says which field of each format becomes which output field).
A file the readers refuse gives exit code 1 and, with --json, {"error": {"code", "message", "line"}}
on standard output (without --json, the message on standard error).
${PROFILE_HELP}`,
    async run(v) {
      const { file, profile } = statementArgs('inspect statement', v);
      const json = !!v.json;
      const refuse = (code: string, message: string, line: number | null) => {
        if (json) out(JSON.stringify({ error: { code, message, line } }, null, 2) + '\n');
        else
          say(
            `coffer inspect statement: ${code}: ${message}${line !== null && !message.includes(`line ${line}`) ? ` (line ${line})` : ''}`,
          );
        return 1;
      };
      if (!fs.existsSync(file)) return refuse('not_found', `no file at ${file}`, null);
      const stat = fs.statSync(file);
      if (!stat.isFile()) return refuse('not_found', `${file} is not a file`, null);
      if (stat.size > INSPECT_MAX_BYTES)
        return refuse('too_large', `the file is ${stat.size} bytes; statements of at most ${INSPECT_MAX_BYTES} bytes are read`, null);
      const r = await inspectStatementJson(fs.readFileSync(file), { fileName: path.basename(file), ...(profile ? { profile } : {}) });
      if ('error' in r) return refuse(r.error.code, r.error.message, r.error.line);
      out(json ? JSON.stringify(r, null, 2) + '\n' : inspectText(file, r));
      return 0;
    },
  },
  {
    name: 'reconcile',
    summary: 'run the matching rules over the open bank lines and requests and print the counts (clerk, approver)',
    options: { ...DB, ...AS, json: { type: 'boolean' } },
    help: `Usage: coffer reconcile --db FILE|URL --as USER [--json]  < password

Runs the matching rules in force (setting matching.rules: ordered, first match wins) over every bank
line with money not yet allocated and every open request (submitted or partly paid), in one
transaction, and prints the counts: lines and requests considered, allocations made by the rules and
their total, suggestions and ambiguous lines left in the review queue (several requests fitting
one line are never matched automatically). Running it again changes nothing. Each allocation records
its rule and USER as the one who ran it. Only clerks and approvers run it; USER's password is the first
line of standard input. --json prints the counts as JSON (amountAllocated in yuan).`,
    async run(v) {
      required('reconcile', v, 'db', 'as');
      return withApi(await writer(v), async (api) => {
        const r = await api.job('reconcile.run', {});
        out(v.json ? JSON.stringify(reconcileJson(r), null, 2) + '\n' : reconcileText(r, v.as as string));
        return 0;
      });
    },
  },
  {
    name: 'export review-results',
    summary: 'the review results not yet sent to the platform, as JSON Lines (clerk, approver)',
    options: { ...DB, ...AS, ...OUT },
    help: `Usage: coffer export review-results --db FILE|URL --out FILE.jsonl --as USER [--force]  < password

Writes one JSON line per recharge request whose review result changed since it was last sent
(matched, overpaid, partly_paid with the amount found, not_found, approved, credited, rejected or
expired with the reason, each with the request's version; docs/REVIEW-RESULTS.md is the format the
platform reads) and marks them sent in the same transaction, so a failed write sends nothing and the
next export starts where this one stopped. With nothing waiting it writes no file and exits 0.
Refuses to replace an existing --out unless --force. Only clerks and approvers export; USER's password
is the first line of standard input.`,
    async run(v) {
      required('export review-results', v, 'db', 'out', 'as');
      const target = checkOut('export review-results', v);
      return withApi(await writer(v), async (api) => {
        const waiting = await api.call('reviewResults.pending');
        if (waiting === 0) {
          out('No review results waiting to be sent; no file written.\n');
          return 0;
        }
        api.out = path.resolve(target);
        const r = await api.job('reviewResults.export');
        out(`Wrote ${r.results} review results to ${r.path} (${r.bytes} bytes); they are marked sent.\n`);
        return 0;
      });
    },
  },
  {
    name: 'events schema',
    summary: 'JSON Schemas of the event lines, generated from the schemas Coffer checks them with',
    options: { ...OUT },
    help: `Usage: coffer events schema [--out DIR [--force]]

Prints (or writes into DIR, one file each) the JSON Schema (draft 2020-12) of an event line of every
type — <type>.schema.json — and of the envelope all lines share — envelope.schema.json. They are
generated by zod's toJSONSchema from the very schemas the importer checks lines with
(main/formats/event-types.ts), so they cannot drift from it. Some checks are beyond JSON Schema (an
IP or MAC address parses, a bank number's digits, ids not reused with other content): those fields say
so in their description; \`coffer import events --dry-run\` is the full check.
Without --out prints one JSON object: file name → schema. DIR is created if missing; existing schema
files in it are replaced only with --force.`,
    async run(v) {
      const schemas = eventSchemas();
      if (!v.out) {
        out(JSON.stringify(schemas, null, 2) + '\n');
        return 0;
      }
      const dir = path.resolve(v.out as string);
      if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`--out ${v.out} is not a folder`, 'events schema');
      const taken = Object.keys(schemas).filter((name) => fs.existsSync(path.join(dir, name)));
      if (taken.length && !v.force) throw refuse('CONFLICT', 'schema_files_exist', { path: path.join(dir, taken[0]!) }, { path: dir });
      fs.mkdirSync(dir, { recursive: true });
      for (const [name, schema] of Object.entries(schemas)) fs.writeFileSync(path.join(dir, name), JSON.stringify(schema, null, 2) + '\n');
      out(`Wrote ${Object.keys(schemas).length} JSON Schemas to ${dir}.\n`);
      return 0;
    },
  },
  {
    name: 'demo',
    summary: 'new books filled with demo staff and customers (deterministic from a seed)',
    options: { ...DB, customers: { type: 'string' }, seed: { type: 'string' } },
    help: `Usage: coffer demo --db FILE|URL [--customers N] [--seed S]  < password

Creates the books file FILE (or fills an empty existing one), or books in the empty PostgreSQL schema
URL names, with demo data made through Coffer's own
services: the staff users ${DEMO_STAFF.map((s) => `${s.username} (${s.role})`).join(', ')}, all with the
password read from standard input (at least ${MIN_PASSWORD_LENGTH} characters); and N customers
(default ${DEMO_DEFAULT_CUSTOMERS}, at most ${DEMO_MAX_CUSTOMERS}) whose last ${DEMO_WINDOW_DAYS} days are a generated platform
event file imported by clerk: registrations, 1–4 accounts each with bank cards, logins (some from
other addresses, blocked under the strict device policy), earnings, spends, transfers among linked
accounts (some above the threshold, held for an approver), a few refused requests, and recharge
requests with reference codes from bound cards. Then the platform bank account ${DEMO_BANK.accountNumber}
is set up, a corporate e-banking CSV statement of it is imported with the real importer and reconciled
by clerk: matched by code and by bound card, partly paid (one write-off proposed for an approver),
ambiguous and suggested lines in the review queue, unmatched lines and unpaid requests. Partway through
the recharge days a new conversion rule version takes effect (proposed by admin, confirmed by admin2),
so the records show two rule versions; the matched requests are approved by approver and approver2
(those above the dual-approval amount by both), a few are left waiting (one for its second approver),
and one credit is reversed (a chargeback).
The same seed (default ${DEMO_DEFAULT_SEED}) gives the same customers. Refuses books that already have staff.`,
    async run(v) {
      required('demo', v, 'db');
      const int = (name: string, fallback: number) => {
        const text = v[name] as string | undefined;
        if (text === undefined) return fallback;
        if (!/^\d{1,10}$/.test(text)) throw new UsageError(`--${name} must be a whole number, not "${text}"`, 'demo');
        return Number(text);
      };
      const customers = int('customers', DEMO_DEFAULT_CUSTOMERS);
      const seed = int('seed', DEMO_DEFAULT_SEED);
      const file = v.db as string;
      await makeNewBooks(file, 'demo_has_staff', 'Password for the demo staff: ', async (password, books) => {
        {
          const s = await createDemoBooks(books, {
            password,
            customers,
            seed,
            job: {
              progress: (d, total, stage) => progress({ type: 'job.progress', jobId: 'demo', method: 'demo', done: d, total, stage }),
              checkpoint: async () => {},
            },
          });
          if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
          out(
            `Created demo books ${isPostgresUrl(file) ? shownUrl(file) : file} (seed ${s.seed}): ${s.customers} customers, ${s.accounts} accounts; ${s.events} platform events imported (${s.applied} applied, ${s.refused} refused); ${s.blockedLogins} blocked logins; ${s.heldTransfers} transfers waiting for an approver.\n` +
              `Bank: ${s.bank.bankLines} statement lines of ${DEMO_BANK.bankName} ${DEMO_BANK.accountNumber} imported and reconciled against ${s.bank.requests} recharge requests — ${s.bank.matchedByRule} matched by the rules, ${s.bank.partlyPaid} partly paid (${s.bank.writeOffsProposed} write-off waiting for an approver), ${s.bank.ambiguous} ambiguous and ${s.bank.suggested} suggested lines in the review queue, ${s.bank.unmatchedLines} lines unmatched, ${s.bank.unpaidRequests} requests unpaid.\n` +
              `Approval: conversion rule version ${s.approval.ruleVersion} from ${shanghaiDateTime(s.approval.ruleEffectiveFrom)} (proposed by admin, confirmed by admin2); ${s.approval.credited} recharges credited by approver and approver2 (${s.approval.creditedByTwo} above the dual-approval amount by both), priced by rule versions ${s.approval.recordRuleVersions.join(' and ')}; ${s.approval.waiting} matched and waiting for approval, ${s.approval.waitingForSecond} waiting for a second approver; ${s.approval.reversed} credit reversed (a chargeback).\n` +
              `Spending: ${s.spending.spends} uses of recharge coins (${s.spending.spentCoins} coins) and ${s.spending.expiries} expiries of bonus coins (${s.spending.expiredCoins} coins) after the credits, for the revenue run to recognise.\n` +
              `Staff (one password for all): ${s.staff.map((x) => `${x.username} (${x.role})`).join(', ')}.\n`,
          );
        }
      });
      return 0;
    },
  },
  ...approvalCommands,
  ...invoiceCommands,
  ...payoutCommands,
  ...chartCommands,
  ...periodCommands,
  ...revenueCommands,
  ...monthEndCommands,
  ...voucherCommands,
  ...glExportCommands,
  ...staffCommands,
  ...booksCopyCommands,
  ...serveCommands,
];

function overview(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return `Usage: coffer <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

\`coffer <command> --help\` describes a command. Passwords are read from standard input, never from
arguments. Exit codes: 0 done, 1 refused or findings, 2 usage.
`;
}

function find(args: string[]): { command: Command; rest: string[] } | null {
  for (const c of commands) {
    const words = c.name.split(' ');
    if (words.every((w, i) => args[i] === w)) return { command: c, rest: args.slice(words.length) };
  }
  return null;
}

/**
 * The commands that make or copy a books file, or need the key beside it (staff recover): refused for a
 * postgres:// URL before anything is opened. Every other command takes either (cli/open.ts); verify on
 * a URL reports SQLite's page check as skipped.
 */
const FILE_ONLY = new Set(['backup', 'staff recover']);

export async function main(args: string[]): Promise<number> {
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    (args.length === 0 ? process.stderr : process.stdout).write(overview());
    return args.length === 0 ? 2 : 0;
  }
  const found = find(args);
  if (!found) {
    const group = commands.filter((c) => c.name.startsWith(`${args[0]} `));
    if (group.length) {
      say(`coffer: ${args[0]} needs one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}`);
      if (args.includes('--help') || args.includes('-h')) return 0;
    } else say(`coffer: unknown command "${args[0]}"`);
    say(overview());
    return 2;
  }
  const { command, rest } = found;
  try {
    const values = parse(command.name, rest, command.options, command.positionals);
    if (values.help) {
      out(command.help + '\n');
      return 0;
    }
    if (typeof values.db === 'string' && isPostgresUrl(values.db) && FILE_ONLY.has(command.name))
      throw refuse('VALIDATION', 'books_file_needed', { command: command.name }, { field: 'db' });
    return await command.run(values);
  } catch (e) {
    if (e instanceof UsageError) {
      say(`coffer ${command.name}: ${e.message}\n(see \`coffer ${command.name} --help\`)`);
      return 2;
    }
    if (e instanceof RefusedFile) {
      const d = e.body.details as { code?: string; line?: number | null; field?: string | null; file?: string };
      const where = { code: d.code ?? e.body.code, line: d.line ?? null, field: d.field ?? null };
      if (e.json) out(JSON.stringify({ error: { ...where, message: e.body.message } }, null, 2) + '\n');
      say(`coffer ${command.name}: ${e.body.code}: ${e.body.message}`);
      say(`  code ${where.code}, line ${where.line ?? '-'}, field ${where.field ?? '-'}`);
    } else if (e instanceof Refused) say(`coffer ${command.name}: ${e.body.code}: ${e.body.message}`);
    else if (e instanceof CofferError) say(`coffer ${command.name}: ${e.code}: ${e.message}`);
    else if (e instanceof BooksFileError) say(`coffer ${command.name}: BOOKS: ${e.message}`);
    else say(`coffer ${command.name}: INTERNAL: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}

export { CLI_CLIENT };
