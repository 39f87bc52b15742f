// coffer: the headless command line. Exit codes: 0 done (verify: clean), 1 refused by the books or
// the API, or verify found something, 2 usage (bad or missing arguments). Everything goes through the
// API dispatcher (see open.ts), so the CLI obeys the same input schemas and role lists as the console.
import fs from 'node:fs';
import path from 'node:path';
import type { TrialBalanceDto } from '../api/dto';
import type { JobEvent } from '../api/jobs';
import { inspectBooksFile } from '../db/books';
import { BooksFileError } from '../db/errors';
import { CofferError } from '../domain/errors';
import type { BackupResult } from '../services/backup';
import { MIN_PASSWORD_LENGTH } from '../services/passwords';
import type { VerifyReport } from '../services/verify';
import { trialBalanceJson, trialBalanceText, verifyText } from './format';
import { CLI_CLIENT, Refused, cliApi, namedUser, offlineReader, openBooksReadOnly, samePath, type CliApi } from './open';
import { readPassword } from './password';
import { UsageError, parse, required, type Options, type Values } from './usage';
import { openBooks } from '../db/books';

interface Command {
  name: string;
  summary: string;
  help: string;
  options: Options;
  run(v: Values): Promise<number>;
}

const out = (s: string) => process.stdout.write(s);
const say = (s: string) => process.stderr.write(s + '\n');

function progress(e: Extract<JobEvent, { type: 'job.progress' }>): void {
  if (!process.stderr.isTTY) return;
  const stage = e.stage ? `${e.stage} ` : '';
  process.stderr.write(`\r${e.method}: ${stage}${e.done}${e.total !== null ? `/${e.total}` : ''}    `);
}

/** Read-only commands: offline reader without --as, or a named, logged-in user with it. */
async function reader(v: Values): Promise<CliApi> {
  const db = v.db as string;
  if (typeof v.as === 'string') return namedUser(db, v.as, () => readPassword(`Password for ${v.as}: `), progress);
  return offlineReader(db, progress);
}

async function withApi<T>(api: CliApi, work: (api: CliApi) => Promise<T>): Promise<T> {
  try {
    return await work(api);
  } finally {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    await api.close();
  }
}

/** Refuses to overwrite a file unless --force, and to write over the books themselves. */
function checkOut(command: string, v: Values): string {
  const target = v.out as string;
  if (samePath(target, v.db as string)) throw new UsageError('--out must not be the books file itself', command);
  if (fs.existsSync(target) && !v.force)
    throw new CofferError('CONFLICT', `${target} exists; pass --force to replace it`, { path: target });
  if (!fs.existsSync(path.dirname(path.resolve(target))))
    throw new CofferError('NOT_FOUND', `folder ${path.dirname(path.resolve(target))} does not exist`, { path: target });
  return target;
}

const DB = { db: { type: 'string' } } as const;
const AS = { as: { type: 'string' } } as const;
const OUT = { out: { type: 'string' }, force: { type: 'boolean' } } as const;

const READ_NOTE = `Without --as the file is opened read-only (it cannot be changed) with an auditor's rights.
With --as USER the password is read from standard input and USER logs in as at the console
(the login is audited; the role must be allowed to read).`;

const commands: Command[] = [
  {
    name: 'init',
    summary: 'create a books file and its first admin',
    options: { ...DB, admin: { type: 'string' }, 'display-name': { type: 'string' } },
    help: `Usage: coffer init --db FILE --admin NAME [--display-name TEXT]  < password

Creates the books file FILE (or fills an empty existing one) and its first admin user NAME.
The admin's password is the first line of standard input (at least ${MIN_PASSWORD_LENGTH} characters).
Refuses a file that is not a Coffer books file, and books that already have staff users.`,
    async run(v) {
      required('init', v, 'db', 'admin');
      const file = v.db as string;
      const existed = fs.existsSync(file);
      if (existed) {
        // Look before touching: foreign files are refused by inspection, books with staff by a read-only look.
        const inspection = inspectBooksFile(file);
        if (!inspection.empty) {
          const ro = openBooksReadOnly(file);
          try {
            const n = (ro.sql('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
            if (n > 0)
              throw new CofferError(
                'CONFLICT',
                `${file} already has ${n} staff user(s); init only sets up new books (log in with --as instead)`,
                { path: file },
              );
          } finally {
            await ro.close();
          }
        }
      }
      const password = await readPassword(`Password for the new admin ${v.admin}: `);
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new CofferError(
          'VALIDATION',
          `password: at least ${MIN_PASSWORD_LENGTH} characters (got ${password.length}); nothing was created`,
          { field: 'password' },
        );
      }
      let done = false;
      try {
        const api = cliApi(await openBooks(file, { create: true }));
        await withApi(api, async () => {
          const status = await api.call<{ needsFirstAdmin: boolean }>('setup.status');
          if (!status.needsFirstAdmin) throw new CofferError('CONFLICT', `${file} already has staff users`);
          await api.call('setup.createFirstAdmin', {
            username: v.admin,
            displayName: (v['display-name'] as string | undefined) ?? v.admin,
            password,
          });
          await api.call('session.logout');
        });
        done = true;
      } finally {
        if (!done && !existed) for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
      }
      out(`Created books ${file} with admin ${String(v.admin)}.\n`);
      return 0;
    },
  },
  {
    name: 'verify',
    summary: 'prove the books are whole (balances, ledgers, audit chain, integrity)',
    options: { ...DB, ...AS, json: { type: 'boolean' } },
    help: `Usage: coffer verify --db FILE [--json] [--as USER < password]

Checks that every ledger balances, every account's kept balances equal the sum of its transfers,
no limit is broken, transfers stay on their accounts' ledger, the audit hash chain recomputes and
SQLite's integrity_check is ok. Prints each finding; --json prints the whole report.
Exit code 0 when clean, 1 with findings.
${READ_NOTE}`,
    async run(v) {
      required('verify', v, 'db');
      return withApi(await reader(v), async (api) => {
        const r = await api.job<VerifyReport>('books.verify');
        out(v.json ? JSON.stringify(r, null, 2) + '\n' : verifyText(v.db as string, r));
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
      return withApi(
        await namedUser(v.db as string, v.as as string, () => readPassword(`Password for ${v.as}: `), progress),
        async (api) => {
          api.out = path.resolve(target);
          const r = await api.job<BackupResult>('books.backup');
          out(`Backed up ${v.db} to ${r.path} (${r.bytes} bytes); integrity ok; last audit hash ${r.lastAuditHash}\n`);
          return 0;
        },
      );
    },
  },
  {
    name: 'export journal',
    summary: 'the ledger as a plain-text journal that hledger and ledger-cli read',
    options: { ...DB, ...AS, ...OUT },
    help: `Usage: coffer export journal --db FILE --out FILE [--force] [--as USER < password]

Writes every transfer as a journal entry (CNY in yuan, RCOIN recharge coins, ECOIN earnings coins;
pending transfers marked !, voided reservations left out). Check it with \`hledger -f FILE bal\`.
${READ_NOTE}`,
    async run(v) {
      required('export journal', v, 'db', 'out');
      const target = checkOut('export journal', v);
      return withApi(await reader(v), async (api) => {
        api.out = path.resolve(target);
        const r = await api.job<{ path: string; bytes: number; transfers: number }>('ledger.exportJournal');
        out(`Wrote ${r.transfers} transfers to ${r.path} (${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
  {
    name: 'export audit',
    summary: 'the audit log with every row hash (jsonl or csv)',
    options: { ...DB, ...AS, ...OUT, format: { type: 'string' } },
    help: `Usage: coffer export audit --db FILE --out FILE [--format jsonl|csv] [--force] [--as USER < password]

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
        const r = await api.job<{ path: string; bytes: number; rows: number }>('audit.export', { format });
        out(`Wrote ${r.rows} audit rows to ${r.path} (${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
  {
    name: 'report trial-balance',
    summary: 'debits and credits per ledger and account code',
    options: { ...DB, ...AS, json: { type: 'boolean' } },
    help: `Usage: coffer report trial-balance --db FILE [--json] [--as USER < password]

Per ledger (CNY in yuan "1288.00", recharge and earnings coins whole; ledgers are never added
together), one line per account code with posted and pending debits and credits and the net
(debits − credits posted). --json prints the same figures as decimal strings.
Exit code 1 when a ledger does not balance.
${READ_NOTE}`,
    async run(v) {
      required('report trial-balance', v, 'db');
      return withApi(await reader(v), async (api) => {
        const tb = await api.call<TrialBalanceDto[]>('ledger.trialBalance');
        out(v.json ? JSON.stringify(trialBalanceJson(v.db as string, tb), null, 2) + '\n' : trialBalanceText(v.db as string, tb));
        return tb.every((t) => t.balanced) ? 0 : 1;
      });
    },
  },
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
    const values = parse(command.name, rest, command.options);
    if (values.help) {
      out(command.help + '\n');
      return 0;
    }
    return await command.run(values);
  } catch (e) {
    if (e instanceof UsageError) {
      say(`coffer ${command.name}: ${e.message}\n(see \`coffer ${command.name} --help\`)`);
      return 2;
    }
    if (e instanceof Refused) say(`coffer ${command.name}: ${e.body.code}: ${e.body.message}`);
    else if (e instanceof CofferError) say(`coffer ${command.name}: ${e.code}: ${e.message}`);
    else if (e instanceof BooksFileError) say(`coffer ${command.name}: BOOKS: ${e.message}`);
    else say(`coffer ${command.name}: INTERNAL: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}

export { CLI_CLIENT };
