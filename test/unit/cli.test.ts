// The coffer CLI, run as a real process: exit codes, output, refusals, and that refused files are
// left byte-identical. Books are seeded as files; on PostgreSQL each test's books are the file copied
// to a schema (coffer books copy), whose URL the CLI takes for --db.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_TYPES } from '../../main/formats/event-types';
import { checkRestoreCandidate } from '../../main/services/backup';
import { openBooks } from '../../main/db/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import { inWriteTx, type AnyBooks } from '../../main/db/tx';
import { matchByHand } from '../../main/services/reconcile';
import { inspectStatementJson } from '../../main/formats/statements';
import { REPO, SEED, besidesProgress, coffer, seedBooks, sha256, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { CLI_REQUESTS, CORPORATE_ACCOUNT, CORPORATE_CSV, CORPORATE_GBK, seedRechargeBooks } from '../support/cli-recharge';
import { ON_POSTGRES, PASSWORD, copyBooksFile, firstValue, tempDir } from '../support/temp-books';
import { freshSchema, type TestSchema } from '../support/postgres';
import { APPROVAL_REQUESTS, seedApprovalBooks, type ApprovalKey } from '../support/cli-approval';
import { shanghaiDate } from '../../main/domain/dates';
import { TYPE_TREE } from '../../main/formats/journal';
import { spendCoins } from '../../main/services/coin-movements';
import { findAccount } from '../../main/services/customers';
import { importStatement, line, statement } from '../support/recharge-fixtures';
import { ledgerFindings } from '../support/ledger-findings';

// Every test here starts the real executable many times (tsx compiles it each time, ~2 s; far more while the
// whole suite loads the machine), so a test gets three minutes instead of one.
vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

/**
 * The seeded books post money straight between the platform's accounts (no bank line or record behind
 * it), so their sub-ledger ties are broken by construction; these tests are about the ledger itself.
 */
async function ledgerFindingsOf(db: string) {
  const r = await coffer(['verify', '--db', db, '--json']);
  return ledgerFindings(JSON.parse(r.stdout));
}

let dir: string;
/** The seeded books file, and what the CLI is handed for it: the file, or on PostgreSQL a schema it was copied to. */
let seededFile: string;
let seeded: string;

/** The schemas made for a test, dropped after it (each holds connections). */
const schemas: TestSchema[] = [];
const toDrop: TestSchema[] = [];

beforeAll(async () => {
  dir = tempDir('coffer-cli-');
  seededFile = path.join(dir, 'seeded.books.sqlite');
  await seedBooks(seededFile);
  seeded = await booksFrom(seededFile, 'seeded-copy.books.sqlite');
  toDrop.push(...schemas.splice(0));
});

afterEach(async () => {
  for (const s of schemas.splice(0)) await s.drop();
});

afterAll(async () => {
  for (const s of toDrop) await s.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Books of a test's own, made from the books file `from`: a copy named `name` beside it, or on
 * PostgreSQL a fresh schema the file is copied to (coffer books copy). What the CLI takes for --db.
 */
async function booksFrom(from: string, name: string): Promise<string> {
  const target = path.join(dir, name);
  copyBooksFile(from, target);
  if (!ON_POSTGRES) return target;
  const schema = await freshSchema();
  schemas.push(schema);
  const r = await coffer(['books', 'copy', '--from', target, '--to', schema.url]);
  expect(r.code, r.stderr).toBe(0);
  return schema.url;
}

function copyBooks(name: string): Promise<string> {
  return booksFrom(seededFile, name);
}

/** Rows read from books of either engine (integers as numbers), without writing to them. */
async function rows<T>(db: string, text: string, ...params: unknown[]): Promise<T[]> {
  if (!ON_POSTGRES) {
    const raw = new Sqlite(db, { readonly: true });
    try {
      return raw.prepare(text).all(...params) as T[];
    } finally {
      raw.close();
    }
  }
  const books = await openPostgresBooks(db, { readOnly: true });
  try {
    return (await books
      .sql(text)
      .safeIntegers(false)
      .all(...params)) as T[];
  } finally {
    await books.close();
  }
}

/** The number `text` counts (its column `n`). */
async function count(db: string, text: string): Promise<number> {
  return Number((await rows<{ n: number | string }>(db, text))[0]!.n);
}

/** The books the CLI was handed, opened for a test to write to them as another process would. */
function openAt(db: string): Promise<AnyBooks> {
  return ON_POSTGRES ? openPostgresBooks(db) : openBooks(db);
}

describe('coffer init and verify', () => {
  // A books file made and checked for what is left behind; init on a postgres:// URL: cli-postgres.test.ts
  it.skipIf(ON_POSTGRES)('creates books with an admin, then verify is clean (exit 0)', async () => {
    const db = path.join(dir, 'new.books.sqlite');
    const init = await coffer(['init', '--db', db, '--admin', 'boss', '--display-name', '老板'], `${PASSWORD}\n`);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`Created books ${db} with admin boss`);

    const v = await coffer(['verify', '--db', db]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('OK: no findings.');
    expect(v.stdout).toMatch(/\d+ accounts, 0 transfers, 3 audit rows/);

    // The admin can log in from the CLI with the password given at init.
    const named = await coffer(['verify', '--db', db, '--as', 'boss', '--json'], `${PASSWORD}\n`);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).ok).toBe(true);

    // A second init on books that have staff is refused, and changes nothing.
    const before = sha256(db);
    const again = await coffer(['init', '--db', db, '--admin', 'other'], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT: .*already has 1 staff user/);
    expect(sha256(db)).toBe(before);
  });

  // a file left behind or not: a file's own question
  it.skipIf(ON_POSTGRES)('refuses a short password and leaves no file behind', async () => {
    const db = path.join(dir, 'short.books.sqlite');
    const r = await coffer(['init', '--db', db, '--admin', 'boss'], 'short\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/password: at least 8 characters/);
    expect(fs.existsSync(db)).toBe(false);
  });

  // the same, for files
  it.skipIf(ON_POSTGRES)('refuses an empty standard input, and an invalid admin name leaves no file', async () => {
    const db = path.join(dir, 'nopw.books.sqlite');
    const r = await coffer(['init', '--db', db, '--admin', 'boss'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no password on standard input/);
    const bad = await coffer(['init', '--db', db, '--admin', 'bad name!'], `${PASSWORD}\n`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/VALIDATION: setup.createFirstAdmin: username: letters, digits/);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('usage errors exit 2 with a pointer to --help; --help exits 0', async () => {
    const missing = await coffer(['verify']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--db is required');
    expect(missing.stderr).toContain('coffer verify --help');
    const unknown = await coffer(['verify', '--db', seeded, '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);
    expect((await coffer(['nonsense'])).code).toBe(2);
    expect((await coffer(['export'])).code).toBe(2);
    expect((await coffer(['export', 'audit', '--db', seeded, '--out', path.join(dir, 'x'), '--format', 'xml'])).code).toBe(2);
    const help = await coffer(['backup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: coffer backup --db FILE --out FILE --as USER');
    expect((await coffer(['--help'])).stdout).toContain('report trial-balance');
  });

  // the books file's bytes are what is compared
  it.skipIf(ON_POSTGRES)('reading without --as never changes the books file', async () => {
    const db = await copyBooks('readonly.books.sqlite');
    const before = sha256(db);
    expect(await ledgerFindingsOf(db)).toEqual([]);
    expect((await coffer(['report', 'trial-balance', '--db', db, '--json'])).code).toBe(0);
    expect((await coffer(['export', 'journal', '--db', db, '--out', path.join(dir, 'ro.journal')])).code).toBe(0);
    expect(sha256(db)).toBe(before);
  });
});

// The tampering is done through SQLite's own handle on the books file (its triggers dropped by name).
describe.skipIf(ON_POSTGRES)('coffer verify finds tampering', () => {
  /** A copy of the seeded books named `name`, edited by `edit` on a connection of its own. */
  async function tamperedCopy(name: string, edit: (raw: Sqlite.Database) => void): Promise<string> {
    const db = await copyBooks(name);
    const raw = new Sqlite(db);
    try {
      edit(raw);
    } finally {
      raw.close();
    }
    return db;
  }

  /** What `coffer verify` prints of `db`, having exited 1 for its findings. */
  async function verifyFindings(db: string): Promise<string> {
    const r = await coffer(['verify', '--db', db]);
    expect(r.code).toBe(1);
    return r.stdout;
  }

  it('names both accounts when a transfer amount was changed behind the triggers', async () => {
    const db = await tamperedCopy('tampered-transfer.books.sqlite', (raw) => {
      raw.exec('DROP TRIGGER transfers_no_update');
      raw.prepare("UPDATE transfers SET amount = 1400 WHERE key = 'issue-1'").run();
    });
    const found = await verifyFindings(db);
    expect(found).toContain(
      '[account_balance] account 5 (coin_issuance Recharge coin issuance): kept debits posted 1500 but its transfers sum to 1400',
    );
    expect(found).toMatch(/\[row_seal\] transfers row \d+ was changed outside Coffer: it does not match its seal in audit entry \d+/);
    expect(found).toContain(
      `[account_balance] account ${SEED.walletId} (wallet_recharge acct 1 recharge): kept credits posted 1500 but its transfers sum to 1400`,
    );

    const j = await coffer(['verify', '--db', db, '--json']);
    expect(j.code).toBe(1);
    const report = JSON.parse(j.stdout);
    expect(report.ok).toBe(false);
    expect(
      ledgerFindings(report)
        .filter((f) => f.check === 'account_balance')
        .map((f) => Number(f.details?.accountId))
        .sort((a, b) => a - b),
    ).toEqual([5, SEED.walletId]);
  });

  it('finds a kept balance raised by hand and the ledger that no longer balances', async () => {
    const db = await tamperedCopy('tampered-account.books.sqlite', (raw) => {
      raw.prepare('UPDATE accounts SET credits_posted = credits_posted + 100 WHERE id = 2').run();
    });
    const found = await verifyFindings(db);
    expect(found).toContain(
      '[account_balance] account 2 (customer_prepayments Customer prepayments): kept credits posted 100100 but its transfers sum to 100000',
    );
    expect(found).toMatch(/\[ledger_balance\] ledger CNY: posted debits 228800 ≠ posted credits 228900/);
    // The trial balance shows it too, and exits 1.
    const tb = await coffer(['report', 'trial-balance', '--db', db]);
    expect(tb.code).toBe(1);
    expect(tb.stdout).toContain('CNY (yuan) — NOT BALANCED');
  });

  it('finds an audit row changed after it was written', async () => {
    const db = await tamperedCopy('tampered-audit.books.sqlite', (raw) => {
      raw.exec('DROP TRIGGER audit_no_update');
      raw.prepare("UPDATE audit SET staff_name = 'mallory' WHERE action = 'test.seed'").run();
    });
    const found = await verifyFindings(db);
    expect(found).toMatch(/\[audit_chain\] audit row \d+ was changed after it was written/);
  });
});

// Files, by what they are.
describe.skipIf(ON_POSTGRES)('files that are not Coffer books are refused and left byte-identical', () => {
  const cases: [string, (file: string) => void, RegExp][] = [
    [
      'an SQLite database of another program',
      (f) => {
        const db = new Sqlite(f);
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello')");
        db.close();
      },
      /is an SQLite database but not a Coffer books file/,
    ],
    [
      'a text file',
      (f) => fs.writeFileSync(f, 'date,amount\n2024-01-01,1288.00\n'),
      /is not a Coffer books file \(it is not an SQLite database\)/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(what, async () => {
      const file = path.join(dir, `foreign-${what.length}.dat`);
      make(file);
      const before = sha256(file);
      const listing = () =>
        fs
          .readdirSync(dir)
          .filter((n) => n.startsWith(path.basename(file)))
          .sort();
      const siblings = listing();
      const runs = [
        await coffer(['verify', '--db', file]),
        await coffer(['report', 'trial-balance', '--db', file]),
        await coffer(['export', 'journal', '--db', file, '--out', path.join(dir, 'never.journal')]),
        await coffer(['export', 'audit', '--db', file, '--out', path.join(dir, 'never.jsonl')]),
        await coffer(['backup', '--db', file, '--out', path.join(dir, 'never.bak'), '--as', 'admin'], `${PASSWORD}\n`),
        await coffer(['init', '--db', file, '--admin', 'admin'], `${PASSWORD}\n`),
      ];
      for (const r of runs) {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/BOOKS: /);
        expect(r.stderr).toMatch(message);
      }
      expect(sha256(file)).toBe(before);
      expect(listing()).toEqual(siblings); // no -wal, -shm or -journal left beside it
      for (const n of ['never.journal', 'never.jsonl', 'never.bak']) expect(fs.existsSync(path.join(dir, n))).toBe(false);
    });
  }

  it('a missing file is refused without creating it', async () => {
    const file = path.join(dir, 'missing.books.sqlite');
    const r = await coffer(['verify', '--db', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`No books file at ${file}`);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('coffer report trial-balance', () => {
  it('prints each ledger in its own unit as JSON, never summed across ledgers', async () => {
    const r = await coffer(['report', 'trial-balance', '--db', seeded, '--json']);
    expect(r.code).toBe(0);
    const tb = JSON.parse(r.stdout) as {
      ledgers: {
        code: string;
        unit: string;
        balanced: boolean;
        totals: Record<string, string>;
        lines: { code: string; net: string; debitsPending: string; creditsPending: string }[];
      }[];
    };
    expect(tb.ledgers.map((l) => [l.code, l.unit, l.balanced])).toEqual([
      ['CNY', 'yuan', true],
      ['RECHARGE_COIN', 'coins', true],
      ['EARNINGS_COIN', 'coins', true],
    ]);
    const [cny, coin, earn] = tb.ledgers;
    const line = (l: typeof cny, code: string) => l!.lines.find((x) => x.code === code)!;
    expect(line(cny, 'bank').net).toBe('1288.00');
    expect(line(cny, 'unallocated_receipts').net).toBe('-288.00');
    expect(line(cny, 'customer_prepayments').net).toBe('-1000.00');
    expect(cny!.totals).toMatchObject({ debitsPosted: '2288.00', creditsPosted: '2288.00', net: '0.00' });
    expect(line(coin, 'wallet_recharge').net).toBe('-1200');
    expect(line(coin, 'wallet_recharge').debitsPending).toBe('100');
    expect(coin!.totals).toMatchObject({ debitsPosted: '1800', creditsPosted: '1800', debitsPending: '100', creditsPending: '100' });
    expect(line(earn, 'wallet_earnings').net).toBe('-42');
    expect(r.stdout).not.toMatch(/\d\.\d{3}|e\+/); // no floats anywhere
  });

  it('prints a table for humans', async () => {
    const r = await coffer(['report', 'trial-balance', '--db', seeded]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CNY (yuan) — balanced');
    expect(r.stdout).toMatch(/^bank\s+1\s+1288\.00\s+0\.00\s+0\.00\s+0\.00\s+1288\.00$/m);
    expect(r.stdout).toMatch(/^total\s+2288\.00\s+2288\.00\s+0\.00\s+0\.00\s+0\.00$/m);
    expect(r.stdout).toContain('RECHARGE_COIN (coins) — balanced');
  });
});

describe('coffer accounts list', () => {
  it('prints the chart: 科目编码, 科目名称, type and balance in yuan, parents rolled up; JSON in fen', async () => {
    const r = await coffer(['accounts', 'list', '--db', seeded]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('— balanced');
    // bank 1,288.00 in, 1,000.00 allocated to prepayments: 288.00 unallocated, on the credit side
    expect(r.stdout).toMatch(/^224101\s+未分配收款 \(Unallocated receipts\)\s+liability\s+credit\s+1000\.00\s+1288\.00\s+288\.00$/m);
    expect(r.stdout).toMatch(/^2241\s+其他应付款 \(Other payables\)\s+liability\s+credit\s+1000\.00\s+1288\.00\s+288\.00$/m);
    expect(r.stdout).toMatch(/^2204\s+合同负债 \(Contract liabilities\)\s+liability\s+credit\s+0\.00\s+1000\.00\s+1000\.00$/m);
    expect(r.stdout).toMatch(/^660301\s+手续费 \(Bank and channel fees\)\s+expense\s+debit\s+0\.00\s+0\.00\s+0\.00$/m);
    expect(r.stdout).toContain(`CNY accounts mapped to no subject: bank #${SEED.bankId}`); // the seed's bank has no subject
    const j = JSON.parse((await coffer(['accounts', 'list', '--db', seeded, '--json'])).stdout) as {
      balanced: boolean;
      subjects: { code: string; balance: string; side: string; leaf: boolean; accounts: { code: string }[] }[];
    };
    expect(j.balanced).toBe(true);
    expect(j.subjects.find((s) => s.code === '2241')).toMatchObject({ balance: '28800', side: 'credit', leaf: false });
    expect(j.subjects.find((s) => s.code === '2204')).toMatchObject({ balance: '100000', accounts: [{ code: 'customer_prepayments' }] });
    expect((await coffer(['accounts', 'list', '--db', seeded, '--month', '2026-13'])).code).toBe(2);
  });
});

describe('coffer export', () => {
  it('writes a journal that hledger and ledger-cli can read', async () => {
    const out = path.join(dir, 'books.journal');
    const r = await coffer(['export', 'journal', '--db', seeded, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wrote 6 transfers');
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toMatch(/^; Coffer ledger journal/);
    expect(text).toMatch(
      new RegExp(
        `\\d{4}-\\d{2}-\\d{2} \\* \\(记-\\d{4}-\\d{2}-0001\\) bank_in #1 工商银行 line 1\\n {4}; key: bank-1, entered: [^\\n]+\\n {4}CNY:bank:${SEED.bankId} {2}1288\\.00 CNY\\n {4}负债:2241 其他应付款:224101 未分配收款 {2}-1288\\.00 CNY\\n`,
      ),
    );
    expect(text).toMatch(/ ! hold #5\n/); // pending, not yet posted
    expect(text).toContain('RCOIN');
    expect(text).toContain('EARNINGS_COIN:earnings_pool:7  42 ECOIN');
    // An existing --out is refused without --force, then replaced with it.
    const again = await coffer(['export', 'journal', '--db', seeded, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; pass --force/);
    expect((await coffer(['export', 'journal', '--db', seeded, '--out', out, '--force'])).code).toBe(0);
    expect((await coffer(['export', 'journal', '--db', seeded, '--out', seeded])).code).toBe(2);
  });

  const hledger = spawnSync('hledger', ['--version'], { encoding: 'utf8' });
  it.skipIf(hledger.status !== 0)(
    `hledger's balances agree with the trial balance (${hledger.status === 0 ? hledger.stdout.trim() : 'skipped: hledger is not installed (Debian: apt-get install hledger)'})`,
    async () => {
      const out = path.join(dir, 'check.journal');
      expect((await coffer(['export', 'journal', '--db', seeded, '--out', out])).code).toBe(0);
      const csv = execFileSync('hledger', ['-f', out, 'bal', '--depth', '2', '-E', '-O', 'csv', '--no-total'], { encoding: 'utf8' });
      const fromHledger = new Map<string, bigint>();
      for (const line of csv.trim().split('\n').slice(1)) {
        const [account, balance] = line.split('","').map((s) => s.replaceAll('"', ''));
        const num = balance!
          .replace(/[A-Z]+/g, '')
          .replaceAll(',', '')
          .trim();
        const [whole, frac = ''] = num.split('.');
        fromHledger.set(
          account!,
          balance!.includes('CNY')
            ? BigInt(whole!) * 100n + (whole!.startsWith('-') ? -1n : 1n) * BigInt(frac.padEnd(2, '0'))
            : BigInt(num || '0'),
        );
      }
      const tb = JSON.parse((await coffer(['report', 'trial-balance', '--db', seeded, '--json'])).stdout) as {
        ledgers: {
          code: string;
          lines: { code: string; debitsPosted: string; creditsPosted: string; debitsPending: string; creditsPending: string }[];
        }[];
      };
      const chart = JSON.parse((await coffer(['accounts', 'list', '--db', seeded, '--json'])).stdout) as {
        subjects: {
          code: string;
          name: string;
          type: keyof typeof TYPE_TREE;
          parentCode: string | null;
          debitsPosted: string;
          creditsPosted: string;
        }[];
        unmapped: { code: string }[];
      };
      const minor = (s: string) => BigInt(s.replace('.', ''));
      // The journal holds posted transfers and pending ones not yet resolved, so hledger's balance is both.
      const expected = new Map<string, bigint>();
      for (const l of tb.ledgers) {
        for (const line of l.lines) {
          const net = minor(line.debitsPosted) - minor(line.creditsPosted) + minor(line.debitsPending) - minor(line.creditsPending);
          // CNY by first-level subject (科目) from the chart; an account mapped to none keeps its code
          if (l.code !== 'CNY' || chart.unmapped.some((a) => a.code === line.code)) expected.set(`${l.code}:${line.code}`, net);
        }
      }
      for (const s of chart.subjects)
        if (s.parentCode === null)
          expected.set(`${TYPE_TREE[s.type].name}:${s.code} ${s.name}`, BigInt(s.debitsPosted) - BigInt(s.creditsPosted));
      let compared = 0;
      for (const [account, net] of expected) {
        const got = fromHledger.get(account) ?? 0n;
        expect(`${account} ${got}`).toBe(`${account} ${net}`);
        if (net !== 0n) compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(8);
      // And every hledger account is one the trial balance or the chart knows.
      for (const account of fromHledger.keys()) expect(expected.has(account), account).toBe(true);
    },
  );

  it('writes the audit log as JSON lines with every hash, and as CSV', async () => {
    const out = path.join(dir, 'audit.jsonl');
    const r = await coffer(['export', 'audit', '--db', seeded, '--out', out]);
    expect(r.code).toBe(0);
    const rows = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(rows.some((x) => x.action === 'test.seed' && x.item_count === 6)).toBe(true);
    const csv = path.join(dir, 'audit.csv');
    expect((await coffer(['export', 'audit', '--db', seeded, '--out', csv, '--format', 'csv'])).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').split(/\r?\n/)[0]).toBe(
      'id,ts,staff_id,staff_name,action,entity,entity_id,before_json,after_json,item_count,prev_hash,hash,rows_digest,time_shanghai',
    );
  });
});

describe('coffer backup', () => {
  // backup copies a books file (books_file_needed for a postgres:// URL)
  it.skipIf(ON_POSTGRES)('is refused for a clerk (FORBIDDEN) and for a wrong password, and done for an admin', async () => {
    const db = await copyBooks('backup.books.sqlite');
    const out = path.join(dir, 'backup-copy.books.sqlite');

    const clerk = await coffer(['backup', '--db', db, '--out', out, '--as', 'clerk'], `${PASSWORD}\n`);
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toContain('FORBIDDEN: books.backup: the clerk role may not do this (allowed: admin)');
    expect(fs.existsSync(out)).toBe(false);

    const wrong = await coffer(['backup', '--db', db, '--out', out, '--as', 'admin'], 'not the password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/UNAUTHENTICATED: wrong username or password\n$/);

    const noAs = await coffer(['backup', '--db', db, '--out', out]);
    expect(noAs.code).toBe(2);
    expect(noAs.stderr).toContain('--as is required');

    const admin = await coffer(['backup', '--db', db, '--out', out, '--as', 'admin'], `${PASSWORD}\n`);
    expect(admin.stderr).toBe('');
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/Backed up .* to .*backup-copy\.books\.sqlite \(\d+ bytes\); integrity ok; last audit hash [0-9a-f]{64}/);
    const check = await checkRestoreCandidate(out);
    expect(check.backupOf).toBe(db);

    // The books record who backed up, and the clerk's refused attempt left only its login behind.
    const raw = new Sqlite(db, { readonly: true });
    const actions = (raw.prepare('SELECT staff_name, action FROM audit ORDER BY id').all() as { staff_name: string; action: string }[]).map(
      (a) => `${a.staff_name} ${a.action}`,
    );
    raw.close();
    expect(actions).toContain('admin books.backup');
    expect(actions).not.toContain('clerk books.backup');
    expect(actions).toContain('admin session.login_failed');

    // The copy verifies clean on its own, and an existing --out is not overwritten.
    expect(await ledgerFindingsOf(out)).toEqual([]);
    const again = await coffer(['backup', '--db', db, '--out', out, '--as', 'admin'], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; pass --force/);
  });

  it('lets a named reader read, and refuses an unknown user', async () => {
    const db = await copyBooks('named.books.sqlite');
    const ok = await coffer(['report', 'trial-balance', '--db', db, '--as', 'auditor', '--json'], `${PASSWORD}\n`);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).ledgers).toHaveLength(3);
    const nobody = await coffer(['verify', '--db', db, '--as', 'nobody'], `${PASSWORD}\n`);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('UNAUTHENTICATED');
  });
});

describe('coffer demo, import events, events schema', () => {
  const FIXTURE = path.join(REPO, 'test/fixtures/events/day-1.jsonl');
  const tables = async (db: string) => {
    const n = (t: string) => count(db, `SELECT count(*) AS n FROM ${t}`);
    return {
      events: await n('events'),
      customers: await n('customers'),
      imports: await n('event_imports'),
      movements: await n('coin_movements'),
    };
  };
  let demo: string;

  beforeAll(async () => {
    demo = path.join(dir, 'demo.books.sqlite');
    const r = await coffer(['demo', '--db', demo, '--customers', '25', '--seed', '5'], `${PASSWORD}\n`);
    expect(besidesProgress(r.stderr)).toEqual([]); // the demo's own progress is "demo: reading 72053/72053 (100%)"
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created demo books .* \(seed 5\): 25 customers, \d+ accounts; \d+ platform events imported/);
    expect(r.stdout).toContain('admin (admin), clerk (clerk), approver (approver), approver2 (approver), auditor (auditor)');
  });

  // coffer demo makes a books file, and the files' bytes are compared
  it.skipIf(ON_POSTGRES)('demo books verify clean; demo refuses books that have staff and leaves them byte-identical', async () => {
    expect((await coffer(['verify', '--db', demo])).code).toBe(0);
    const before = sha256(demo);
    const again = await coffer(['demo', '--db', demo], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT: .*already has 6 staff user\(s\)/);
    expect(sha256(demo)).toBe(before);
    const seededBefore = sha256(seeded);
    expect((await coffer(['demo', '--db', seeded], `${PASSWORD}\n`)).code).toBe(1);
    expect(sha256(seeded)).toBe(seededBefore);
    const bad = await coffer(['demo', '--db', path.join(dir, 'x.books.sqlite'), '--customers', 'many'], `${PASSWORD}\n`);
    expect(bad.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x.books.sqlite'))).toBe(false);
  });

  it('--dry-run prints the preview per type and writes no events', async () => {
    const db = await booksFrom(demo, 'dry.books.sqlite');
    const before = await tables(db);
    const r = await coffer(['import', 'events', '--db', db, '--as', 'clerk', '--dry-run', FIXTURE], `${PASSWORD}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Preview of day-1\.jsonl .*16 lines, 16 events; 0 already imported; 0 repeated in the file; 16 to apply/);
    expect(r.stdout).toMatch(/transfer\.requested\s+4\n/);
    expect(r.stdout).toContain('--dry-run: nothing was written');
    expect(await tables(db)).toEqual(before);
    const json = await coffer(['import', 'events', '--db', db, '--as', 'approver', '--dry-run', '--json', FIXTURE], `${PASSWORD}\n`);
    expect(json.code).toBe(0);
    const p = JSON.parse(json.stdout);
    expect(p).toMatchObject({ dryRun: true, ok: true, events: 16, toApply: 16, counts: { 'customer.login': 2 } });
    expect(p.token).toBeUndefined();
  });

  it('imports, prints each refusal with its line, id and reason, and skips the same file the second time', async () => {
    const db = await booksFrom(demo, 'imp.books.sqlite');
    const before = await tables(db);
    const r = await coffer(['import', 'events', '--db', db, '--as', 'clerk', FIXTURE], `${PASSWORD}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // #1 is the demo's platform file, #2 its customers' use of recharge coins (demo/spending.ts), #3 its
    // creators' withdrawals (demo/payouts.ts)
    expect(r.stdout).toMatch(
      /Imported day-1\.jsonl as import #4 by clerk, in one transaction: 16 events — 10 applied, 6 refused, 0 skipped/,
    );
    expect(r.stdout).toContain('line 10  evt-0010  customer.login: login blocked: IP 203.0.113.9 is not the registered IP');
    expect(r.stdout).toMatch(/line 11 {2}evt-0011 {2}coins\.spent: session S-2 belongs to a login that was blocked/);
    expect(r.stdout).toContain('line 16  evt-0016  transfer.requested: to_account: no account A9999');
    expect((await tables(db)).events).toBe(before.events + 16);
    expect((await tables(db)).customers).toBe(before.customers + 2);

    const again = await coffer(['import', 'events', '--db', db, '--as', 'approver', '--json', FIXTURE], `${PASSWORD}\n`);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 0, refused: 0, alreadyImported: 16, toApply: 0 });
    expect((await tables(db)).events).toBe(before.events + 16);
    expect((await coffer(['verify', '--db', db])).code).toBe(0);
  });

  it('refuses a file with errors whole (exit 1, errors by line and field) and an auditor; nothing written', async () => {
    const db = await booksFrom(demo, 'bad.books.sqlite');
    const bad = path.join(dir, 'bad.jsonl');
    const lines = fs.readFileSync(FIXTURE, 'utf8').trim().split('\n');
    lines[3] = lines[3]!.replace('"account_number":"6222 0202 0001 2345 678"', '"account_number":"not digits"');
    lines[6] = '{"id":"evt-0007","type":"earnings.credited","at":"yesterday","data":{"account":"A1001-1","coins":-5}}';
    fs.writeFileSync(bad, lines.join('\n') + '\nnot json\n');
    const before = await tables(db);
    const r = await coffer(['import', 'events', '--db', db, '--as', 'clerk', bad], `${PASSWORD}\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERRORS: 3 — the whole file is refused; nothing was imported.');
    expect(r.stdout).toMatch(/bad\.jsonl line 4, data\.account_number: a bank account number/);
    expect(r.stdout).toMatch(/bad\.jsonl line 7, at: /);
    expect(r.stdout).toMatch(/bad\.jsonl line 17: not valid JSON/);
    expect(r.stderr).toContain('coffer import events: VALIDATION: 3 problem(s) in bad.jsonl; nothing was imported');
    expect(await tables(db)).toEqual(before);

    const auditor = await coffer(['import', 'events', '--db', db, '--as', 'auditor', FIXTURE], `${PASSWORD}\n`);
    expect(auditor.code).toBe(1);
    expect(auditor.stderr).toMatch(/FORBIDDEN: events\.preview: the auditor role may not/);
    expect(await tables(db)).toEqual(before);

    expect((await coffer(['import', 'events', '--db', db, '--as', 'clerk'], `${PASSWORD}\n`)).code).toBe(2);
    const missing = await coffer(['import', 'events', '--db', db, '--as', 'clerk', path.join(dir, 'none.jsonl')], `${PASSWORD}\n`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND: no event file');
  });

  it('events schema: one JSON Schema per type that the example lines satisfy', async () => {
    const out = path.join(dir, 'schemas');
    const r = await coffer(['events', 'schema', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote ${EVENT_TYPES.length + 1} JSON Schemas`);
    expect((await coffer(['events', 'schema', '--out', out])).code).toBe(1);
    expect((await coffer(['events', 'schema', '--out', out, '--force'])).code).toBe(0);
    const printed = JSON.parse((await coffer(['events', 'schema'])).stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(printed).sort()).toEqual(fs.readdirSync(out).sort());
    type S = { required?: string[]; properties: Record<string, S & { const?: string; enum?: string[] }>; additionalProperties?: boolean };
    for (const line of fs.readFileSync(FIXTURE, 'utf8').trim().split('\n')) {
      const e = JSON.parse(line) as { type: string; data: Record<string, unknown> } & Record<string, unknown>;
      const s = JSON.parse(fs.readFileSync(path.join(out, `${e.type}.schema.json`), 'utf8')) as S & { $schema: string };
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.properties.type!.const).toBe(e.type);
      for (const [obj, schema] of [
        [e, s],
        [e.data, s.properties.data!],
      ] as const) {
        expect(schema.additionalProperties).toBe(false);
        for (const k of schema.required ?? []) expect(obj).toHaveProperty(k);
        for (const k of Object.keys(obj)) expect(Object.keys(schema.properties)).toContain(k);
      }
    }
    const login = printed['customer.login.schema.json'] as { properties: { data: { anyOf: unknown } } };
    expect(login.properties.data.anyOf).toEqual([{ required: ['ip'] }, { required: ['mac'] }]);
  });
});

describe('coffer import statement, inspect statement, reconcile, export review-results', () => {
  const pw = `${PASSWORD}\n`;
  let recharge: string;
  let bankOnly: string;
  beforeAll(async () => {
    recharge = path.join(dir, 'recharge.books.sqlite');
    bankOnly = path.join(dir, 'bank-only.books.sqlite');
    await seedRechargeBooks(recharge);
    await seedRechargeBooks(bankOnly, { requests: false });
  });
  const copy = booksFrom;
  const money = async (db: string) => {
    const n = (sql: string) => count(db, sql);
    return {
      statements: await n('SELECT count(*) AS n FROM statements'),
      lines: await n('SELECT count(*) AS n FROM bank_lines'),
      transfers: await n('SELECT count(*) AS n FROM transfers'),
      allocations: await n('SELECT count(*) AS n FROM allocations'),
      suggestions: await n('SELECT count(*) AS n FROM match_suggestions'),
      sent: await n('SELECT count(*) AS n FROM recharge_requests WHERE review_sent_version > 0'),
    };
  };
  const statuses = async (db: string) =>
    Object.fromEntries(
      (await rows<{ id: string; status: string }>(db, 'SELECT request_id AS id, status FROM recharge_requests')).map((r) => [
        r.id.replace('counter:', ''),
        r.status,
      ]),
    );

  it('import statement: --dry-run previews and writes nothing; the import books it; again skips every line', async () => {
    const db = await copy(bankOnly, 'stmt-import.books.sqlite');
    const before = await money(db);
    const dry = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--dry-run', CORPORATE_CSV], pw);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`bank account #1 中国工商银行 北京分行 ${CORPORATE_ACCOUNT} (csv, profile corporate)`);
    expect(dry.stdout).toContain('opening 2024-03-01 1000000.00, closing 2024-03-06 2203547.50');
    expect(dry.stdout).toContain('10 lines: 10 new, 0 already imported; new money in 1308572.50, money out 105025.00');
    expect(dry.stdout).toContain('--dry-run: nothing was written');
    expect(await money(db)).toEqual(before);

    const r = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--json', CORPORATE_CSV], pw);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { preview: { continuityOk: boolean }; result: { statements: { newLines: number }[] } };
    expect(j.preview.continuityOk).toBe(true);
    expect(j.result.statements).toEqual([
      { statementId: 1, newLines: 10, duplicates: 0, reversals: { netted: 1, review: 0, unpaired: 0 } },
    ]);
    const after = await money(db);
    expect(after.lines).toBe(10);
    // Ten line postings, the opening balance of the account's first statement, and the netting of
    // 王五's 2,000.00 with the bank's 冲正 of it.
    expect(after.transfers - before.transfers).toBe(12);
    const v = await coffer(['verify', '--db', db]);
    expect(v.code).toBe(0);

    // The same lines in GBK (same bank references): all skipped, but its opening balance is the
    // first statement's again — an overlap the accountant must accept.
    const gbk = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', CORPORATE_GBK], pw);
    expect(gbk.code).toBe(1);
    expect(gbk.stdout).toContain('10 lines: 0 new, 10 already imported');
    expect(gbk.stdout).toContain('CONTINUITY:');
    expect(gbk.stderr).toMatch(/CONFLICT: opening balance 1000000\.00 differs from the previous statement's closing 2203547\.50/);
    expect(gbk.stderr).toContain('--accept-continuity');
    expect((await money(db)).statements).toBe(1);
    const accepted = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--accept-continuity', CORPORATE_GBK], pw);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('0 new lines booked');
    expect(accepted.stdout).toContain('continuity problems accepted');
    expect(await money(db)).toMatchObject({ statements: 2, lines: 10, transfers: after.transfers });
  });

  it('import statement: a refused file names code, line and field and writes nothing; roles, --account and --profile are checked', async () => {
    const db = await copy(bankOnly, 'stmt-refused.books.sqlite');
    const before = await money(db);
    const bad = path.join(REPO, 'test/fixtures/statements/ofx/fail_nice-decimal_error.ofx');
    const r = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', bad], pw);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/VALIDATION: fail_nice-decimal_error\.ofx: line 37, field TRNAMT: "\$120" is not an amount/);
    expect(r.stderr).toContain('code bad_amount, line 37, field TRNAMT');
    const j = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--json', bad], pw);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'bad_amount', line: 37, field: 'TRNAMT' } });
    // A statement of an account not set up, and one forced onto the wrong account.
    const camt = path.join(REPO, 'test/fixtures/statements/camt053/camt053.v2.minimal.xml');
    const unknown = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', camt], pw);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND: no platform bank account NL26VAYB8060476890 is set up');
    const forced = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--account', CORPORATE_ACCOUNT, camt], pw);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain(`the statement is for account NL26VAYB8060476890, not ${CORPORATE_ACCOUNT}`);
    const noAccount = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--account', '999999', CORPORATE_CSV], pw);
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toContain('--account 999999: no platform bank account');
    // A profile that does not fit the file's header.
    const icbc = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--profile', 'icbc', CORPORATE_CSV], pw);
    expect(icbc.code).toBe(1);
    expect(icbc.stderr).toMatch(/code \w+, line/);
    const auditor = await coffer(['import', 'statement', '--db', db, '--as', 'auditor', CORPORATE_CSV], pw);
    expect(auditor.code).toBe(1);
    expect(auditor.stderr).toMatch(/FORBIDDEN: statements\.choose: the auditor role may not/);
    expect(await money(db)).toEqual(before);
    // Usage: no file, two files, an unknown profile.
    expect((await coffer(['import', 'statement', '--db', db, '--as', 'clerk'], pw)).code).toBe(2);
    expect((await coffer(['import', 'statement', '--db', db, '--as', 'clerk', CORPORATE_CSV, CORPORATE_GBK], pw)).code).toBe(2);
    const prof = await coffer(['import', 'statement', '--db', db, '--as', 'clerk', '--profile', 'hsbc', CORPORATE_CSV], pw);
    expect(prof.code).toBe(2);
    expect(prof.stderr).toContain('--profile must be one of icbc');
  });

  it('inspect statement: every public fixture and Chinese profile, exactly inspectStatementJson; refused files give {"error"}', async () => {
    const root = path.join(REPO, 'test/fixtures/statements');
    const files = ['camt053', 'mt940', 'ofx', 'cn', 'xls'].flatMap((d) =>
      fs.readdirSync(path.join(root, d)).map((f) => path.join(root, d, f)),
    );
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const expected = await inspectStatementJson(fs.readFileSync(file), { fileName: path.basename(file) });
      const r = await coffer(['inspect', 'statement', '--json', file]);
      expect(JSON.parse(r.stdout), file).toEqual(JSON.parse(JSON.stringify(expected)));
      if ('error' in expected) {
        expect(r.code, file).toBe(1);
        expect(Object.keys((JSON.parse(r.stdout) as { error: object }).error).sort()).toEqual(['code', 'line', 'message']);
        expect(/wrong|invalid|fail_nice/.test(path.basename(file)), file).toBe(true);
      } else {
        expect(r.code, file).toBe(0);
        expect(r.stderr).toBe('');
      }
    }
    // A profile chosen by name; text output without --json; files that are not there or not statements.
    const icbc = await coffer(['inspect', 'statement', '--profile', 'icbc', '--json', path.join(root, 'cn/icbc.gbk.csv')]);
    expect(icbc.code).toBe(0);
    const xls = await coffer(['inspect', 'statement', '--json', path.join(root, 'xls/icbc.xls')]);
    expect(JSON.parse(xls.stdout).statements[0]).toMatchObject({
      account: '1202020309900012345',
      currency: 'CNY',
      opening: { date: '2024-03-01', amount: '5000000.00' },
      closing: { date: '2024-03-06', amount: '3668735.24' },
    });
    expect(JSON.parse(xls.stdout).statements[0].lines[0]).toEqual({
      booked: '2024-03-01',
      value: null,
      amount: '1288.00',
      counterparty: { name: '张三', account: '6222021001234567890' },
      reference: null,
      memo: '跨行汇款 | 网上银行',
      bank_ref: null,
    });
    const text = await coffer(['inspect', 'statement', CORPORATE_CSV]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`account ${CORPORATE_ACCOUNT}, currency CNY; opening 2024-03-01 1000000.00`);
    expect(text.stdout).toContain('SN20240301000001');
    const none = await coffer(['inspect', 'statement', '--json', path.join(dir, 'none.csv')]);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no file at'), line: null } });
    const events = await coffer(['inspect', 'statement', '--json', path.join(REPO, 'test/fixtures/events/day-1.jsonl')]);
    expect(events.code).toBe(1);
    expect(JSON.parse(events.stdout).error.code).toBe('wrong_format');
    const plain = await coffer(['inspect', 'statement', path.join(root, 'ofx/fail_nice-decimal_error.ofx')]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toMatch(/bad_amount: line 37, field TRNAMT/);
    expect((await coffer(['inspect', 'statement'])).code).toBe(2);
  });

  it('reconcile: the rules match by code and by bound account, leave partial cases for review, never touch the netted 冲正 pair; again changes nothing', async () => {
    const db = await copy(recharge, 'reconcile.books.sqlite');
    expect((await coffer(['import', 'statement', '--db', db, '--as', 'clerk', CORPORATE_CSV], pw)).code).toBe(0);
    const r = await coffer(['reconcile', '--db', db, '--as', 'clerk'], pw);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 王五's 2,000.00 was netted with its 冲正 at import: not an open line, so his two 2,000.00 requests
    // are not an ambiguous case any more — they stay unpaid.
    expect(r.stdout).toContain('Reconciled by clerk: 5 open bank lines against 5 open requests.');
    expect(r.stdout).toMatch(/allocated by the rules: 2 \(17888\.00 yuan\)/);
    expect(r.stdout).toMatch(/suggested for review: +1/);
    expect(r.stdout).toMatch(/ambiguous lines: +0/);
    expect(await statuses(db)).toEqual({
      [CLI_REQUESTS.zhang.requestId]: 'matched',
      [CLI_REQUESTS.beijing.requestId]: 'matched',
      [CLI_REQUESTS.zhao.requestId]: 'submitted',
      [CLI_REQUESTS.wangA.requestId]: 'submitted',
      [CLI_REQUESTS.wangB.requestId]: 'submitted',
    });
    const rules = await rows(db, 'SELECT rule FROM allocations ORDER BY id');
    expect(rules).toEqual([{ rule: 'reference code + exact amount' }, { rule: 'bound account + exact amount, within 3 days' }]);
    const before = await money(db);
    const again = await coffer(['reconcile', '--db', db, '--as', 'approver', '--json'], pw);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      reversalsNetted: 0,
      linesConsidered: 3,
      requestsConsidered: 3,
      allocated: 0,
      amountAllocated: '0.00',
      proposed: 0,
      suggested: 1,
      ambiguous: 0,
    });
    expect(await money(db)).toEqual(before);
    expect((await coffer(['verify', '--db', db])).code).toBe(0);
    // Refusals: an auditor may not run the rules; a wrong password; no --as.
    const auditor = await coffer(['reconcile', '--db', db, '--as', 'auditor'], pw);
    expect(auditor.code).toBe(1);
    expect(auditor.stderr).toMatch(/FORBIDDEN: reconcile\.run/);
    expect((await coffer(['reconcile', '--db', db, '--as', 'clerk'], 'wrong password\n')).code).toBe(1);
    expect((await coffer(['reconcile', '--db', db])).code).toBe(2);
    expect(await money(db)).toEqual(before);
  });

  it('export review-results: one line per change, marked sent; nothing waiting writes nothing; refusals', async () => {
    const db = await copy(recharge, 'review.books.sqlite');
    expect((await coffer(['import', 'statement', '--db', db, '--as', 'clerk', CORPORATE_CSV], pw)).code).toBe(0);
    expect((await coffer(['reconcile', '--db', db, '--as', 'clerk'], pw)).code).toBe(0);
    const target = path.join(dir, 'review-1.jsonl');
    const auditor = await coffer(['export', 'review-results', '--db', db, '--as', 'auditor', '--out', target], pw);
    expect(auditor.code).toBe(1);
    expect(auditor.stderr).toMatch(/FORBIDDEN: reviewResults\.export/);
    expect(fs.existsSync(target)).toBe(false);
    const r = await coffer(['export', 'review-results', '--db', db, '--as', 'clerk', '--out', target], pw);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote 5 review results to .*review-1\.jsonl/);
    const all = fs
      .readFileSync(target, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The last line witnesses the books as the file was made (docs/REVIEW-RESULTS.md).
    expect(all.at(-1)).toEqual({ witness: expect.stringMatching(/^coffer-witness books=[0-9a-f]{32} seq=\d+ head=[0-9a-f]{64}$/) });
    const lines = all.slice(0, -1);
    expect(lines.map((l) => Object.keys(l))).toEqual(
      lines.map(() => ['request_id', 'account', 'result', 'amount_requested', 'amount_found', 'reason', 'credit', 'version', 'at']),
    );
    expect(lines.map((l) => [l.request_id, l.result, l.amount_requested, l.amount_found, l.version])).toEqual([
      [`counter:${CLI_REQUESTS.zhang.requestId}`, 'matched', '5000.00', '5000.00', 2],
      [`counter:${CLI_REQUESTS.beijing.requestId}`, 'matched', '12888.00', '12888.00', 2],
      [`counter:${CLI_REQUESTS.zhao.requestId}`, 'not_found', '650.00', '0.00', 1],
      [`counter:${CLI_REQUESTS.wangA.requestId}`, 'not_found', '2000.00', '0.00', 1],
      [`counter:${CLI_REQUESTS.wangB.requestId}`, 'not_found', '2000.00', '0.00', 1],
    ]);
    for (const l of lines) expect(l.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect((await money(db)).sent).toBe(5);
    // Nothing changed since: no file, exit 0. An existing --out is refused without --force.
    const second = path.join(dir, 'review-2.jsonl');
    const none = await coffer(['export', 'review-results', '--db', db, '--as', 'clerk', '--out', second], pw);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No review results waiting to be sent');
    expect(fs.existsSync(second)).toBe(false);
    const exists = await coffer(['export', 'review-results', '--db', db, '--as', 'clerk', '--out', target], pw);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/CONFLICT: .*exists; pass --force/);
    // Paying 赵六's request by hand (the 648.00 line) changes it: exported again, at its new version.
    const books = await openAt(db);
    try {
      const id = (sql: string) => firstValue(books, sql);
      const lineId = await id("SELECT id FROM bank_lines WHERE memo LIKE '%CZ3N4M5Q%'");
      const requestId = await id(`SELECT id FROM recharge_requests WHERE request_id = 'counter:${CLI_REQUESTS.zhao.requestId}'`);
      const clerk = { staffId: await id("SELECT id FROM staff WHERE username = 'clerk'"), name: 'clerk', role: 'clerk' as const };
      await inWriteTx(books, async (tx) => matchByHand(tx, clerk, lineId, requestId, 64_800, Date.now()));
    } finally {
      await books.close();
    }
    const third = path.join(dir, 'review-3.jsonl');
    expect((await coffer(['export', 'review-results', '--db', db, '--as', 'approver', '--out', third], pw)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(third, 'utf8').split('\n')[0]!)).toMatchObject({
      request_id: `counter:${CLI_REQUESTS.zhao.requestId}`,
      result: 'partly_paid',
      amount_requested: '650.00',
      amount_found: '648.00',
      version: 2,
    });
    expect((await coffer(['export', 'review-results', '--db', db, '--out', second], pw)).code).toBe(2);
  });
});

describe('coffer approve, reject, reverse, record, report roll-forward and dashboard', () => {
  const pw = `${PASSWORD}\n`;
  let base: string;
  let req: Awaited<ReturnType<typeof seedApprovalBooks>>;
  beforeAll(async () => {
    base = path.join(dir, 'approval.books.sqlite');
    req = await seedApprovalBooks(base);
  });
  const copy = (name: string) => booksFrom(base, name);
  const look = async (db: string) => ({
    status: Object.fromEntries(
      (await rows<{ id: number; status: string }>(db, 'SELECT id, status FROM recharge_requests')).map((r) => [r.id, r.status]),
    ),
    transfers: await count(db, 'SELECT count(*) AS n FROM transfers'),
    records: await rows<{ id: number; receiptNo: string; requestId: number; reversedAt: number | null }>(
      db,
      'SELECT id, receipt_no AS "receiptNo", request_id AS "requestId", reversed_at AS "reversedAt" FROM recharge_records ORDER BY id',
    ),
  });
  type Outcome = {
    id: number | null;
    requestId: string;
    outcome: string;
    code?: string;
    receiptNo?: string;
    paidCoins?: number;
    bonusCoins?: number;
  };
  const ids = (...keys: ApprovalKey[]) => keys.map((k) => req[k].id).join(',');

  it('approve --ids: credits, waits for a second approver above the threshold, refuses the matcher, the unmatched, the unknown and the stale; exit 1 with any refusal', async () => {
    const db = await copy('approve-ids.books.sqlite');
    const r = await coffer(
      ['approve', '--db', db, '--as', 'approver', '--ids', `${ids('small', 'mid', 'big', 'byApprover', 'unpaid')},nope-404`, '--json'],
      pw,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      approvedBy: string;
      asked: number;
      credited: number;
      waiting: number;
      refused: number;
      outcomes: Outcome[];
    };
    expect(j).toMatchObject({ approvedBy: 'approver', asked: 6, credited: 2, waiting: 1, refused: 3 });
    expect(j.outcomes.map((o) => [o.requestId, o.outcome, o.code ?? null])).toEqual([
      [req.small.requestId, 'credited', null],
      [req.mid.requestId, 'credited', null],
      [req.big.requestId, 'approved', 'second_approver_needed'],
      [req.byApprover.requestId, 'refused', 'four_eyes'],
      [req.unpaid.requestId, 'refused', 'not_matched'],
      ['nope-404', 'refused', 'not_found'],
    ]);
    expect(j.outcomes[0]).toMatchObject({
      paidCoins: APPROVAL_REQUESTS.small.coins,
      bonusCoins: 0,
      receiptNo: expect.stringMatching(/^CZ\d{4}-000001$/),
    });
    expect(j.outcomes[1]).toMatchObject({ paidCoins: APPROVAL_REQUESTS.mid.coins, bonusCoins: APPROVAL_REQUESTS.mid.bonus });
    // Each refusal carries its code, the parameters a console fills into its own language, and English.
    expect(j.outcomes[3]).toMatchObject({
      code: 'four_eyes',
      params: { requestId: req.byApprover.requestId, user: 'approver' },
      message: expect.stringContaining('four eyes: approver prepared request'),
    });
    expect(j.outcomes[4]).toMatchObject({ code: 'not_matched', params: { requestId: req.unpaid.requestId, status: 'submitted' } });
    expect(j.outcomes[5]).toMatchObject({ code: 'not_found', params: { ref: 'nope-404' }, message: 'no recharge request nope-404' });
    expect((await look(db)).status).toMatchObject({ [req.small.id]: 'credited', [req.big.id]: 'approved', [req.byApprover.id]: 'matched' });

    // A version seen earlier is refused as stale; the same approver again is refused; approver2 credits
    // the big one (by the platform's request id) and the one approver matched — exit 0.
    const stale = await coffer(['approve', '--db', db, '--as', 'approver2', '--ids', `${req.byApprover.id}@1`], pw);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/refused +#\d+ +\S+ +stale_version: .*changed since you saw it \(version 1, now 2\)/);
    const same = await coffer(['approve', '--db', db, '--as', 'approver', '--ids', String(req.big.id)], pw);
    expect(same.code).toBe(1);
    expect(same.stdout).toContain('same_approver');
    const second = await coffer(['approve', '--db', db, '--as', 'approver2', '--ids', `${req.big.requestId},${req.byApprover.id}`], pw);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      'Approval by approver2: 2 request(s) — 2 credited, 0 approved and waiting for a second approver, 0 refused.',
    );
    expect(second.stdout).toMatch(new RegExp(`credited +#${req.big.id} +\\S+ +CZ\\d{4}-000003: 600000 coins \\+ 60000 bonus`));
    // Approving twice credits once.
    const again = await coffer(['approve', '--db', db, '--as', 'approver2', '--ids', String(req.small.id)], pw);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('already_credited');
    expect((await look(db)).records).toHaveLength(4);
    expect((await coffer(['verify', '--db', db])).code).toBe(0);
  });

  it('approve: a clerk is refused whole and nothing changes; usage is checked', async () => {
    const db = await copy('approve-clerk.books.sqlite');
    const before = await look(db);
    const clerk = await coffer(['approve', '--db', db, '--as', 'clerk', '--ids', ids('small')], pw);
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toMatch(/FORBIDDEN: approvals\.approve: the clerk role may not/);
    const allClerk = await coffer(['approve', '--db', db, '--as', 'clerk', '--all-matched'], pw);
    expect(allClerk.code).toBe(1);
    expect(allClerk.stderr).toMatch(/FORBIDDEN: approvals\.approveAll/);
    expect(await look(db)).toEqual(before);
    expect((await coffer(['approve', '--db', db, '--as', 'approver'], pw)).code).toBe(2);
    expect((await coffer(['approve', '--db', db, '--as', 'approver', '--ids', '1', '--all-matched'], pw)).code).toBe(2);
    expect((await coffer(['approve', '--db', db, '--as', 'approver', '--ids', '1', '--max-amount', '5'], pw)).code).toBe(2);
    expect((await coffer(['approve', '--db', db, '--as', 'approver', '--ids', '1@x'], pw)).code).toBe(2);
    expect((await coffer(['approve', '--db', db, '--as', 'approver', '--all-matched', '--max-amount', '1.234'], pw)).code).toBe(2);
    expect((await coffer(['approve', '--db', db, '--ids', '1'], pw)).code).toBe(2);
    expect(await look(db)).toEqual(before);
  });

  it('approve --all-matched: a filter narrows it; everything else is approved, the big one waits; exit 0', async () => {
    const db = await copy('approve-all.books.sqlite');
    const few = await coffer(['approve', '--db', db, '--as', 'approver2', '--all-matched', '--max-amount', '200.00', '--json'], pw);
    expect(few.code).toBe(0);
    expect((JSON.parse(few.stdout) as { outcomes: Outcome[] }).outcomes.map((o) => [o.id, o.outcome])).toEqual([
      [req.small.id, 'credited'],
    ]);
    const all = await coffer(['approve', '--db', db, '--as', 'approver2', '--all-matched'], pw);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(
      'Approval by approver2 of everything matched: 3 request(s) — 2 credited, 1 approved and waiting for a second approver, 0 refused.',
    );
    expect(all.stdout).toMatch(new RegExp(`waiting +#${req.big.id} .*a second, different approver must approve it`));
    // approver2 approved everything it may: nothing left for it. approver's --all-matched gives the big
    // one its second approval (it is left out of the queue for approver2, who approved it already).
    const none = await coffer(['approve', '--db', db, '--as', 'approver2', '--all-matched'], pw);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('Nothing matched is waiting for approval');
    const second = await coffer(['approve', '--db', db, '--as', 'approver', '--all-matched'], pw);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      new RegExp(`1 request\\(s\\) — 1 credited.*\\n +credited +#${req.big.id} .*600000 coins \\+ 60000 bonus`),
    );
    expect((await look(db)).status).toMatchObject({
      [req.small.id]: 'credited',
      [req.mid.id]: 'credited',
      [req.big.id]: 'credited',
      [req.byApprover.id]: 'credited',
    });
    expect((await coffer(['verify', '--db', db])).code).toBe(0);
  });

  it('reject: at the stored version with a reason; refuses a credited request, a stale version and a clerk', async () => {
    const db = await copy('reject.books.sqlite');
    const clerk = await coffer(['reject', '--db', db, '--as', 'clerk', '--id', String(req.mid.id), '--reason', '客户撤销'], pw);
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toMatch(/FORBIDDEN: requests\.reject/);
    const stale = await coffer(['reject', '--db', db, '--as', 'approver', '--id', `${req.mid.id}@1`, '--reason', '客户撤销', '--json'], pw);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({
      outcome: 'refused',
      id: req.mid.id,
      error: 'CONFLICT',
      code: 'stale_version',
      params: { requestId: req.mid.requestId, seen: '1', now: '2' },
      message: expect.stringContaining('changed since you saw it'),
    });
    const ok = await coffer(['reject', '--db', db, '--as', 'approver', '--id', req.mid.requestId, '--reason', '付款人与账户不符'], pw);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      `Rejected request #${req.mid.id} ${req.mid.requestId} (was matched, 1288.00 yuan) by approver: 付款人与账户不符.`,
    );
    expect((await look(db)).status[req.mid.id]).toBe('rejected');
    expect((await coffer(['approve', '--db', db, '--as', 'approver', '--ids', String(req.small.id)], pw)).code).toBe(0);
    const credited = await coffer(
      ['reject', '--db', db, '--as', 'approver2', '--id', String(req.small.id), '--reason', '客户要求撤销', '--json'],
      pw,
    );
    expect(credited.code).toBe(1);
    expect(JSON.parse(credited.stdout)).toMatchObject({
      outcome: 'refused',
      error: 'CONFLICT',
      code: 'not_rejectable',
      params: { requestId: req.small.requestId, status: 'credited' },
      message: expect.stringContaining('credited and cannot be rejected'),
    });
    expect((await coffer(['reject', '--db', db, '--as', 'approver', '--id', String(req.unpaid.id)], pw)).code).toBe(2);
    expect((await coffer(['verify', '--db', db])).code).toBe(0);
  });

  it('reverse: four eyes, a shortfall once coins are spent, then a reversal by receipt number; record and reports show it', async () => {
    const db = await copy('reverse.books.sqlite');
    expect((await coffer(['approve', '--db', db, '--as', 'approver', '--ids', ids('small', 'mid', 'big')], pw)).code).toBe(0);
    expect((await coffer(['approve', '--db', db, '--as', 'approver2', '--ids', ids('big')], pw)).code).toBe(0);
    const [small, mid] = (await look(db)).records;
    const own = await coffer(['reverse', '--db', db, '--as', 'approver', '--record', small!.receiptNo, '--reason', '拒付'], pw);
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('four eyes: approver approved');
    // The customer spends 12,000 of the 13,524 coins mid credited: the reversal is short.
    const books = await openAt(db);
    try {
      const accountId = await firstValue(books, 'SELECT account_id AS a FROM recharge_requests WHERE id = ?', req.mid.id);
      await inWriteTx(books, async (tx) =>
        spendCoins(
          tx,
          { staffId: null, name: 'platform', role: 'system' },
          'cli-spend-1',
          await findAccount(tx, { id: accountId }),
          'recharge',
          12_000,
          null,
          {
            at: Date.now(),
          },
        ),
      );
    } finally {
      await books.close();
    }
    const short = await coffer(['reverse', '--db', db, '--as', 'approver2', '--record', String(mid!.id), '--reason', '拒付', '--json'], pw);
    expect(short.code).toBe(1);
    expect(JSON.parse(short.stdout)).toMatchObject({
      outcome: 'refused',
      receiptNo: mid!.receiptNo,
      error: 'REFUSED',
      code: 'coin_shortfall',
      params: { receiptNo: mid!.receiptNo, shortCoins: '12000' },
      shortfallCoins: 12_000,
      message: expect.stringContaining('short by 12,000'),
    });
    expect(short.stderr).toContain('short by 12,000');
    const ok = await coffer(
      ['reverse', '--db', db, '--as', 'approver2', '--record', small!.receiptNo.toLowerCase(), '--reason', '误入账'],
      pw,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Reversed ${small!.receiptNo} (record #${small!.id}`);
    expect(ok.stdout).toContain('1000 coins + 0 bonus back to issuance; 100.00 yuan from customer prepayments to refunds payable');
    expect((await look(db)).records[0]!.reversedAt).not.toBeNull();
    const twice = await coffer(['reverse', '--db', db, '--as', 'approver2', '--record', small!.receiptNo, '--reason', '误入账'], pw);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already reversed');
    expect((await coffer(['reverse', '--db', db, '--as', 'approver2', '--record', 'CZ1999-000009', '--reason', 'x'], pw)).stderr).toContain(
      'NOT_FOUND: no recharge record CZ1999-000009',
    );
    expect((await coffer(['verify', '--db', db])).code).toBe(0);

    // The refund stays payable until the bank's money-out line is matched to it.
    const payable = await coffer(['refund', '--db', db, '--as', 'clerk', '--record', small!.receiptNo], pw);
    expect(payable.stdout).toContain(`Refund of ${small!.receiptNo}: 100.00 yuan, payable.`);
    expect(payable.stdout).toContain('No money-out bank line of that amount yet');
    const bankBooks = await openAt(db);
    try {
      const account = await firstValue<string>(bankBooks, 'SELECT account_number AS n FROM bank_accounts LIMIT 1');
      await importStatement(
        { anyBooks: bankBooks, clock: { now: Date.now() } },
        {
          ...statement([
            line(shanghaiDate(Date.now()), '-100.00', { memo: '退款', bank_ref: 'CLI-REFUND-1' }),
            line(shanghaiDate(Date.now()), '-99.00', { bank_ref: 'CLI-OTHER-1' }),
          ]),
          account,
        },
      );
    } finally {
      await bankBooks.close();
    }
    const lineOf = async (ref: string) =>
      Number((await rows<{ id: number }>(db, 'SELECT id FROM bank_lines WHERE bank_ref = ?', ref))[0]!.id);
    const listed = await coffer(['refund', '--db', db, '--as', 'clerk', '--record', small!.receiptNo, '--json'], pw);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      refund: { status: 'payable', amount: '100.00' },
      lines: [{ id: await lineOf('CLI-REFUND-1'), amount: '100.00' }],
    });
    const wrong = await coffer(
      ['refund', '--db', db, '--as', 'clerk', '--record', small!.receiptNo, '--line', String(await lineOf('CLI-OTHER-1')), '--json'],
      pw,
    );
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({
      outcome: 'refused',
      error: 'REFUSED',
      code: 'refund_amount_differs',
      params: { lineFen: '9900', refundFen: '10000' },
    });
    const paid = await coffer(
      ['refund', '--db', db, '--as', 'clerk', '--record', small!.receiptNo, '--line', String(await lineOf('CLI-REFUND-1'))],
      pw,
    );
    expect(paid.stderr).toBe('');
    expect(paid.code).toBe(0);
    expect(paid.stdout).toContain(
      `Refund of ${small!.receiptNo} (100.00 yuan) paid by bank line #${await lineOf('CLI-REFUND-1')}, matched by clerk.`,
    );
    expect((await coffer(['refund', '--db', db, '--as', 'clerk', '--record', mid!.receiptNo], pw)).stderr).toContain('owes no refund');
    expect((await coffer(['verify', '--db', db])).code).toBe(0);

    // The printable record, without --as (read-only): HTML with the receipt number and the reversal.
    const html = path.join(dir, 'record.html');
    const rec = await coffer(['record', '--db', db, small!.receiptNo, '--out', html]);
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(new RegExp(`Wrote recharge record ${small!.receiptNo} to .*record\\.html \\(html, \\d+ bytes\\)`));
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toMatch(/<html/i);
    expect(page).toContain(small!.receiptNo);
    expect((await coffer(['record', '--db', db, small!.receiptNo, '--out', html])).code).toBe(1);
    expect((await coffer(['record', '--db', db, String(mid!.id), '--out', html, '--force'])).code).toBe(0);
    expect((await coffer(['record', '--db', db, '999', '--out', path.join(dir, 'none.html')])).stderr).toContain('NOT_FOUND');
    expect((await coffer(['record', '--db', db, '1', '--out', path.join(dir, 'r.pdf')])).code).toBe(2);

    // This month's roll-forward: recharged and bonus coins as credited, the reversal, spent; closing adds up.
    const month = shanghaiDate(Date.now()).slice(0, 7);
    const rf = await coffer(['report', 'roll-forward', '--db', db, '--month', month, '--json']);
    expect(rf.code).toBe(0);
    const rj = JSON.parse(rf.stdout) as { ledgers: Record<string, string>[]; prepayments: { opening: string; closing: string } };
    const coins = rj.ledgers.find((l) => l.code === 'RECHARGE_COIN')!;
    const { small: s, mid: m, big: b } = APPROVAL_REQUESTS;
    expect(coins).toMatchObject({
      opening: '0',
      recharged: String(s.coins + m.coins + b.coins),
      bonus: String(m.bonus + b.bonus),
      spent: '12000',
      reversed: '1000',
      closing: String(m.coins + b.coins + m.bonus + b.bonus - 12_000),
    });
    expect(rj.prepayments).toEqual({ unit: 'yuan', opening: '0.00', closing: '61288.00' });
    const text = await coffer(['report', 'roll-forward', '--db', db, '--month', month]);
    expect(text.stdout).toMatch(/RECHARGE_COIN +0 +613880/);
    expect(text.stdout).toContain('Customer prepayments (CNY, yuan): opening 0.00, closing 61288.00');
    const xlsx = path.join(dir, 'rf.xlsx');
    const x = await coffer(['report', 'roll-forward', '--db', db, '--month', month, '--out', xlsx]);
    expect(x.code).toBe(0);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    expect((await coffer(['report', 'roll-forward', '--db', db, '--month', '2026-13'])).code).toBe(2);
    expect((await coffer(['report', 'roll-forward', '--db', db, '--month', month, '--json', '--out', xlsx])).code).toBe(2);

    const dash = await coffer(['report', 'dashboard', '--db', db, '--json']);
    expect(dash.code).toBe(0);
    const dj = JSON.parse(dash.stdout) as {
      today: Record<string, unknown>;
      pending: Record<string, number>;
      liability: Record<string, string>;
    };
    expect(dj.today).toMatchObject({ count: 2, money: '61288.00' });
    expect(dj.pending).toMatchObject({ credited: 2, reversed: 1, matched: 1, submitted: 1 });
    expect(dj.liability).toMatchObject({ prepayments: '61288.00', rechargeCoins: coins.closing });
    const dt = await coffer(['report', 'dashboard', '--db', db]);
    expect(dt.code).toBe(0);
    expect(dt.stdout).toContain('today:       2 recharge(s), 61288.00 yuan');
    expect(dt.stdout).toMatch(/matched, waiting for approval +1/);
  });
});
