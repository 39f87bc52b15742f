// Issue 15 §3: eight desks' clients, each a process of its own, against one `coffer serve` process on
// the same books for a bounded time. Two clerks are given the same bank statement, so they race to
// import it and then to match each of its lines; four approvers race for the same queue; each clerk
// then moves a coin between two customers. Afterwards nothing was credited twice, no line
// holds more than its amount, balances equal their entries and the audit chain is whole (verify), and
// every gapless series (counter numbers, receipts, vouchers) has no gap and no duplicate. Then the
// same with the server killed mid-work: what committed is whole, what did not is absent. Two serving
// processes share the work on a books file and on the same books on PostgreSQL (skipped where PostgreSQL
// is unreachable, unless COFFER_REQUIRE_POSTGRES=1).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openBooksAt } from '../../main/cli/open';
import { copyBooksToPostgres } from '../../main/db/postgres/books';
import { shanghaiDate } from '../../main/domain/dates';
import { verifyBooks } from '../../main/services/verify';
import { bankDesk, type ExtraStaff } from '../support/desk';
import { CLI_TEST_TIMEOUT, COFFER, REPO } from '../support/cli-run';
import { BANK } from '../support/recharge-fixtures';
import { freshSchema, postgresReachable, POSTGRES_REQUIRED, type TestSchema } from '../support/postgres';
import { PASSWORD, type TestApi } from '../support/temp-books';

const reachable = await postgresReachable();

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT });

const CLERKS = ['clerk', 'clerk2', 'clerk3', 'clerk4'];
const APPROVERS = ['approver', 'approver2', 'approver3', 'approver4'];
const LINES_PER_PAYER = 6;

let t: TestApi | undefined;
let schema: TestSchema | undefined;
const servers: ChildProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.kill('SIGKILL');
  await t?.cleanup();
  await schema?.drop();
  schema = undefined;
});

interface Given {
  bankRef: string;
  accountId: number;
  otherAccountId: number;
  card: string;
  name: string;
  yuan: string;
  fen: string;
}

/**
 * A corporate e-banking CSV of the given lines for the platform's account, booked on `day`, without
 * running balances: which of the two files is imported first is the race, and a first statement's
 * opening balance would be booked as the account's opening.
 */
function statementCsv(lines: readonly Given[], day: string): string {
  const rows = lines.map(
    (l, i) => `${day},09:${String(i % 60).padStart(2, '0')}:00,,${l.yuan},,${l.name},${l.card},中国工商银行,汇入汇款,充值,,${l.bankRef}`,
  );
  const head = `账户明细查询\n账号：${BANK.accountNumber}\n户名：某某网络科技有限公司\n币种：人民币\n\n交易日期,交易时间,借方发生额(支出),贷方发生额(收入),余额,对方户名,对方账号,对方开户行,摘要,用途,附言,交易流水号`;
  return `${head}\n${rows.join('\n')}\n`;
}

/** Books with eight clerks and approvers, eight payers, and two statement files of their payments. */
async function seeded(): Promise<{ t: TestApi; lines: Given[]; files: [string, string] }> {
  const staff: ExtraStaff[] = [
    ...CLERKS.slice(1).map((u) => ({ username: u, displayName: u, role: 'clerk' as const })),
    ...APPROVERS.slice(1).map((u) => ({ username: u, displayName: u, role: 'approver' as const })),
  ];
  const [desk, ...payers] = await bankDesk(
    { staff, now: new Date().toISOString() },
    ...Array.from({ length: 8 }, (_, i) => `客户${i + 1}`),
  );
  const days = [shanghaiDate(Date.now() - 86_400_000), shanghaiDate(Date.now())]; // the even lines' statement is yesterday's
  const lines: Given[] = [];
  for (const [i, p] of payers.entries()) {
    // a second account of the customer's own, linked with the first: where the clerk moves a coin
    const { id: otherAccountId } = await desk.call('clerk', 'accounts.open', {
      customerId: p.customerId,
      externalId: `ACC-${i + 1}-B`,
      name: `账户${i + 1}乙`,
      ip: `10.0.1.${i + 1}`,
    });
    await desk.call('clerk', 'accounts.setLinked', { customerId: p.customerId, accountIds: [p.accountId, otherAccountId], linked: true });
    for (let k = 0; k < LINES_PER_PAYER; k++) {
      const yuan = `${100 + i * LINES_PER_PAYER + k}.00`;
      lines.push({
        bankRef: `PAY-${i}-${k}`,
        accountId: p.accountId,
        otherAccountId,
        card: p.card,
        name: p.name,
        yuan,
        fen: String(Math.round(Number(yuan) * 100)),
      });
    }
  }
  const files = [0, 1].map((odd) => {
    const file = path.join(desk.dir, `statement-${odd}.csv`);
    fs.writeFileSync(file, statementCsv(share(lines, odd), days[odd]!));
    return file;
  }) as [string, string];
  return { t: desk, lines, files };
}

/** The even lines (0) or the odd ones (1): what one pair of clerks is given. */
const share = <T>(all: readonly T[], odd: number) => all.filter((_, i) => i % 2 === odd);

/** `coffer serve` on the books (a file or a URL), as a process of its own; answers its address once it listens. */
function serve(books: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [COFFER, 'serve', '--books', books, '--listen', '127.0.0.1:0'], { cwd: REPO, stdio: 'pipe' });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let said = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      said += d;
      const m = / at (http:\/\/\S+) /.exec(said);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (said += d));
    child.on('exit', (code) => reject(new Error(`coffer serve ended (${code}): ${said}`)));
  });
}

interface Done {
  calls: number;
  refused: Record<string, number>;
  imported: number;
  importedBefore: number;
  created: number;
  transferred: number;
  matched: number;
  credited: number;
  lost: number;
  stopped?: string;
}

/** One desk's client process (test/support/serve-client.mjs), its report when it ends. */
function client(url: string, username: string, seconds: number, stopFile: string, lines: Given[], statement?: string): Promise<Done> {
  const role = CLERKS.includes(username) ? 'clerk' : 'approver';
  const env = {
    ...process.env,
    COFFER_CLIENT: JSON.stringify({ base: url, username, password: PASSWORD, role, seconds, statement, lines, stopFile }),
  };
  const child = spawn(process.execPath, [path.join(REPO, 'test/support/serve-client.mjs')], { env, stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => (code === 0 && out ? resolve(JSON.parse(out) as Done) : reject(new Error(`${username}: ${code} ${err}`))));
  });
}

/**
 * Eight clients: the first two clerks share the even lines' statement, the other two the odd ones'.
 * With two servers, the clients of each pair (and every other approver) call different ones. Each clerk
 * works for `seconds` once its lines are imported; the approvers work until every clerk has ended, so a
 * loaded machine's slow import shortens no one's work.
 */
async function desks(urls: readonly string[], seconds: number, given: { lines: Given[]; files: [string, string] }): Promise<Done[]> {
  const at = (i: number) => urls[i % urls.length]!;
  const [even, odd] = [share(given.lines, 0), share(given.lines, 1)];
  const stopFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-desks-')), 'clerks-ended');
  const clerks = Promise.all([
    client(at(0), 'clerk', seconds, stopFile, even, given.files[0]),
    client(at(1), 'clerk2', seconds, stopFile, even, given.files[0]),
    client(at(0), 'clerk3', seconds, stopFile, odd, given.files[1]),
    client(at(1), 'clerk4', seconds, stopFile, odd, given.files[1]),
  ]);
  const approvers = Promise.all(APPROVERS.map((a, i) => client(at(i), a, seconds, stopFile, [])));
  try {
    const clerksDone = await clerks;
    fs.writeFileSync(stopFile, '');
    return [...clerksDone, ...(await approvers)];
  } finally {
    fs.writeFileSync(stopFile, ''); // a clerk that failed: the approvers end too
    await approvers.catch(() => {});
    fs.rmSync(path.dirname(stopFile), { recursive: true, force: true });
  }
}

type Counted = 'imported' | 'importedBefore' | 'created' | 'matched' | 'transferred' | 'credited';
const sum = (done: readonly Done[], k: Counted) => done.reduce((n, d) => n + d[k], 0);

/**
 * What the clients were told is what the books hold: every line of the two statements once however
 * many imports of them were tried, and each request, match, coin transfer and credit a client was
 * told of — no more.
 */
function toldIsHeld(books: Awaited<ReturnType<typeof provedAfter>>, done: readonly Done[], lines: number): void {
  expect(books.bankLines).toBe(lines);
  expect(books.statements).toBe(sum(done, 'imported'));
  expect(books.requests).toBe(sum(done, 'created'));
  expect(books.matchedLines).toBe(sum(done, 'matched'));
  expect(books.transfers).toBe(sum(done, 'transferred'));
  expect(books.records).toBe(sum(done, 'credited'));
}

/** Numbers of one series, sorted: they must be 1, 2, … n. */
const gapless = (seqs: number[]) => expect(seqs).toEqual(seqs.map((_, i) => i + 1));

/**
 * The books (a file or a URL) after the servers are gone: opened afresh, proved by verify, and their
 * series and credits checked.
 */
async function provedAfter(target: string) {
  const b = await openBooksAt(target, 'read');
  try {
    const report = await verifyBooks(b.reader, undefined, b.engine === 'sqlite' ? target : undefined);
    expect(report.findings, JSON.stringify(report.findings)).toEqual([]);
    expect(report.ok).toBe(true);
    const q = async <T>(s: string) => (await b.reader.sql(s).all()) as T[];
    const count = async (s: string) => Number((await q<{ n: number }>(s))[0]!.n);
    // No request credited twice, no line allocated beyond its amount.
    expect(await q('SELECT request_id FROM recharge_records GROUP BY request_id HAVING count(*) > 1')).toEqual([]);
    expect(
      await q(
        `SELECT l.id FROM bank_lines l JOIN allocations a ON a.bank_line_id = l.id AND a.status = 'active'
         GROUP BY l.id HAVING sum(a.amount) > l.amount`,
      ),
    ).toEqual([]);
    const numbers = async (s: string) => (await q<{ n: number }>(s)).map((r) => Number(r.n));
    for (const { year } of await q<{ year: number }>('SELECT DISTINCT year FROM counter_numbers'))
      gapless(await numbers(`SELECT seq AS n FROM counter_numbers WHERE year = ${year} ORDER BY seq`));
    for (const { year } of await q<{ year: number }>('SELECT DISTINCT year FROM recharge_records'))
      gapless(await numbers(`SELECT seq AS n FROM recharge_records WHERE year = ${year} ORDER BY seq`));
    for (const v of await q<{ period: string; word: string }>('SELECT DISTINCT period, word FROM vouchers'))
      gapless(await numbers(`SELECT number AS n FROM vouchers WHERE period = '${v.period}' AND word = '${v.word}' ORDER BY number`));
    return {
      records: await count('SELECT count(*) AS n FROM recharge_records'),
      matchedLines: await count(`SELECT count(DISTINCT bank_line_id) AS n FROM allocations WHERE status = 'active'`),
      requests: await count('SELECT count(*) AS n FROM recharge_requests'),
      statements: await count('SELECT count(*) AS n FROM statements'),
      bankLines: await count('SELECT count(*) AS n FROM bank_lines'),
      transfers: await count("SELECT count(*) AS n FROM coin_movements WHERE type = 'transfer' AND status = 'posted'"),
    };
  } finally {
    await b.close();
  }
}

describe('eight clients on one server', () => {
  it('race to import the same statement, match the same lines and approve the same queue: each line once, each request credited once', async () => {
    const given = await seeded();
    const desk = (t = given.t);
    const { child, url } = await serve(desk.books.path);
    const done = await desks([url], 15, given);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const books = await provedAfter(desk.books.path);
    toldIsHeld(books, done, given.lines.length);
    // The races were real: each file was imported by two clerks (the second told it was imported
    // before, nothing new) and each line offered to both.
    expect([sum(done, 'imported'), sum(done, 'importedBefore')]).toEqual([2, 2]);
    expect(sum(done, 'transferred')).toBeGreaterThan(0);
    expect(sum(done, 'matched')).toBeLessThanOrEqual(given.lines.length);
    expect(sum(done, 'created')).toBeGreaterThan(sum(done, 'matched'));
    expect(done.reduce((n, d) => n + (d.refused.line_short ?? 0), 0)).toBe(sum(done, 'created') - sum(done, 'matched'));
    expect(done.every((d) => d.stopped === undefined)).toBe(true);
  });

  it('killed mid-work, the server leaves books whose every committed action is whole', async () => {
    const given = await seeded();
    const desk = (t = given.t);
    const { child, url } = await serve(desk.books.path);
    const work = desks([url], 30, given);
    // Kill once some approvals have committed, while the clients are still calling.
    const count = () => (desk.books.raw.prepare('SELECT count(*) AS n FROM recharge_records').get() as { n: number }).n;
    await vi.waitFor(() => expect(count()).toBeGreaterThanOrEqual(3), { timeout: 120_000, interval: 50 });
    child.kill('SIGKILL');
    const done = await work;
    expect(done.some((d) => d.stopped !== undefined)).toBe(true);
    const books = await provedAfter(desk.books.path);
    expect(books.records).toBeGreaterThanOrEqual(3);
    // Each client's answered credits are in the books; an unanswered one may or may not be, never half.
    expect(books.records).toBeGreaterThanOrEqual(sum(done, 'credited'));
  });
});

const ENGINES = [
  { engine: 'sqlite', skip: false },
  { engine: 'postgres', skip: !reachable && !POSTGRES_REQUIRED },
] as const;

describe.each(ENGINES)('eight clients on two servers of the same $engine books', ({ engine, skip }) => {
  it.skipIf(skip)('two serving processes share the work and the users without a double credit or a gap', async () => {
    const given = await seeded();
    const desk = (t = given.t);
    let books = desk.books.path;
    if (engine === 'postgres') {
      schema = await freshSchema();
      await copyBooksToPostgres(desk.books.raw, schema.url);
      books = schema.url;
    }
    const [one, two] = [await serve(books), await serve(books)];
    const done = await desks([one.url, two.url], 8, given);
    for (const s of [one, two]) s.child.kill('SIGTERM');
    await Promise.all([one, two].map((s) => new Promise((r) => s.child.once('exit', r))));
    const proved = await provedAfter(books);
    toldIsHeld(proved, done, given.lines.length);
    expect(sum(done, 'matched')).toBeGreaterThan(0);
    expect(sum(done, 'credited')).toBeGreaterThan(0);
    // A call that waited past the busy timeout for the other process's write lock was refused whole.
    for (const d of done) for (const why of Object.keys(d.refused)) expect(['line_short', 'books_busy']).toContain(why);
  });
});
