// Issue 15 §3: eight desks' clients, each a process of its own, against one `coffer serve` process on
// the same books for a bounded time. Two clerks are given the same bank lines, so they race to match
// each one; four approvers race for the same queue. Afterwards nothing was credited twice, no line
// holds more than its amount, balances equal their entries and the audit chain is whole (verify), and
// every gapless series (counter numbers, receipts, vouchers) has no gap and no duplicate. Then the
// same with the server killed mid-work: what committed is whole, what did not is absent.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openBooks } from '../../main/db/books';
import { shanghaiDate } from '../../main/domain/dates';
import { verifyBooks } from '../../main/services/verify';
import { bankDesk, type ExtraStaff } from '../support/desk';
import { CLI_TEST_TIMEOUT, COFFER, REPO } from '../support/cli-run';
import { importStatement, line, statement, type Payer } from '../support/recharge-fixtures';
import { PASSWORD, type TestApi } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT });

const CLERKS = ['clerk', 'clerk2', 'clerk3', 'clerk4'];
const APPROVERS = ['approver', 'approver2', 'approver3', 'approver4'];
const LINES_PER_PAYER = 6;

let t: TestApi | undefined;
const servers: ChildProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.kill('SIGKILL');
  await t?.cleanup();
});

interface Given {
  lineId: number;
  accountId: number;
  card: string;
  yuan: string;
  fen: string;
}

/** Books with eight clerks and approvers, eight payers and a statement of their payments, imported. */
async function seeded(): Promise<{ t: TestApi; lines: Given[] }> {
  const staff: ExtraStaff[] = [
    ...CLERKS.slice(1).map((u) => ({ username: u, displayName: u, role: 'clerk' as const })),
    ...APPROVERS.slice(1).map((u) => ({ username: u, displayName: u, role: 'approver' as const })),
  ];
  const [desk, ...payers] = await bankDesk(
    { staff, now: new Date().toISOString() },
    ...Array.from({ length: 8 }, (_, i) => `客户${i + 1}`),
  );
  const today = shanghaiDate(Date.now());
  const paid: { p: Payer; yuan: string; ref: string }[] = [];
  payers.forEach((p, i) => {
    for (let k = 0; k < LINES_PER_PAYER; k++) paid.push({ p, yuan: `${100 + i * LINES_PER_PAYER + k}.00`, ref: `PAY-${i}-${k}` });
  });
  await importStatement(
    desk,
    statement(paid.map((x) => line(today, x.yuan, { bank_ref: x.ref, counterparty: { name: x.p.name, account: x.p.card } }))),
  );
  const lines = paid.map((x) => ({
    lineId: (desk.books.raw.prepare('SELECT id FROM bank_lines WHERE bank_ref = ?').get(x.ref) as { id: number }).id,
    accountId: x.p.accountId,
    card: x.p.card,
    yuan: x.yuan,
    fen: String(Math.round(Number(x.yuan) * 100)),
  }));
  return { t: desk, lines };
}

/** `coffer serve` on the books, as a process of its own; answers its address once it listens. */
function serve(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [COFFER, 'serve', '--books', file, '--listen', '127.0.0.1:0'], { cwd: REPO, stdio: 'pipe' });
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
  created: number;
  matched: number;
  credited: number;
  lost: number;
  stopped?: string;
}

/** One desk's client process (test/support/serve-client.mjs), its report when it ends. */
function client(url: string, username: string, seconds: number, lines: Given[]): Promise<Done> {
  const role = CLERKS.includes(username) ? 'clerk' : 'approver';
  const env = { ...process.env, COFFER_CLIENT: JSON.stringify({ base: url, username, password: PASSWORD, role, seconds, lines }) };
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
 * Eight clients: the first two clerks share the even lines, the other two the odd ones. With two
 * servers, the clients of each pair (and every other approver) call different ones.
 */
function desks(urls: readonly string[], seconds: number, lines: Given[]): Promise<Done[]> {
  const share = (odd: number) => lines.filter((_, i) => i % 2 === odd);
  const at = (i: number) => urls[i % urls.length]!;
  return Promise.all([
    client(at(0), 'clerk', seconds, share(0)),
    client(at(1), 'clerk2', seconds, share(0)),
    client(at(0), 'clerk3', seconds, share(1)),
    client(at(1), 'clerk4', seconds, share(1)),
    ...APPROVERS.map((a, i) => client(at(i), a, seconds, [])),
  ]);
}

/** Numbers of one series, sorted: they must be 1, 2, … n. */
const gapless = (seqs: number[]) => expect(seqs).toEqual(seqs.map((_, i) => i + 1));

/** The books after the server is gone: opened afresh, proved by verify, and their series and credits checked. */
async function provedAfter(file: string) {
  const b = await openBooks(file);
  try {
    const report = verifyBooks(b.reader, undefined, file);
    expect(report.findings, JSON.stringify(report.findings)).toEqual([]);
    expect(report.ok).toBe(true);
    const q = <T>(s: string) => b.raw.prepare(s).all() as T[];
    // No request credited twice, no line allocated beyond its amount.
    expect(q('SELECT request_id FROM recharge_records GROUP BY request_id HAVING count(*) > 1')).toEqual([]);
    expect(
      q(
        `SELECT l.id FROM bank_lines l JOIN allocations a ON a.bank_line_id = l.id AND a.status = 'active'
         GROUP BY l.id HAVING sum(a.amount) > l.amount`,
      ),
    ).toEqual([]);
    for (const { year } of q<{ year: number }>('SELECT DISTINCT year FROM counter_numbers'))
      gapless(q<{ seq: number }>(`SELECT seq FROM counter_numbers WHERE year = ${year} ORDER BY seq`).map((r) => r.seq));
    for (const { year } of q<{ year: number }>('SELECT DISTINCT year FROM recharge_records'))
      gapless(q<{ seq: number }>(`SELECT seq FROM recharge_records WHERE year = ${year} ORDER BY seq`).map((r) => r.seq));
    for (const v of q<{ period: string; word: string }>('SELECT DISTINCT period, word FROM vouchers'))
      gapless(
        q<{ number: number }>(`SELECT number FROM vouchers WHERE period = '${v.period}' AND word = '${v.word}' ORDER BY number`).map(
          (r) => r.number,
        ),
      );
    return {
      records: (b.raw.prepare('SELECT count(*) AS n FROM recharge_records').get() as { n: number }).n,
      matchedLines: (
        b.raw.prepare(`SELECT count(DISTINCT bank_line_id) AS n FROM allocations WHERE status = 'active'`).get() as { n: number }
      ).n,
      requests: (b.raw.prepare('SELECT count(*) AS n FROM recharge_requests').get() as { n: number }).n,
    };
  } finally {
    await b.close();
  }
}

describe('eight clients on one server', () => {
  it('race to match the same lines and approve the same queue: each line matched once, each request credited once', async () => {
    const given = await seeded();
    const desk = (t = given.t);
    const { child, url } = await serve(desk.books.path);
    const done = await desks([url], 8, given.lines);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const books = await provedAfter(desk.books.path);
    const sum = (k: 'created' | 'matched' | 'credited') => done.reduce((n, d) => n + d[k], 0);
    // What the clients were told is what the books hold.
    expect(books.requests).toBe(sum('created'));
    expect(books.matchedLines).toBe(sum('matched'));
    expect(books.records).toBe(sum('credited'));
    // The race was real: every line was offered to two clerks, and only one match of each stood.
    expect(sum('matched')).toBeLessThanOrEqual(given.lines.length);
    expect(sum('created')).toBeGreaterThan(sum('matched'));
    expect(done.reduce((n, d) => n + (d.refused.line_short ?? 0), 0)).toBe(sum('created') - sum('matched'));
    expect(done.every((d) => d.stopped === undefined)).toBe(true);
  });

  it('two serving processes on the same books share the work without a double credit or a gap', async () => {
    const given = await seeded();
    const desk = (t = given.t);
    const [one, two] = [await serve(desk.books.path), await serve(desk.books.path)];
    const done = await desks([one.url, two.url], 8, given.lines);
    for (const s of [one, two]) s.child.kill('SIGTERM');
    await Promise.all([one, two].map((s) => new Promise((r) => s.child.once('exit', r))));
    const books = await provedAfter(desk.books.path);
    const sum = (k: 'created' | 'matched' | 'credited') => done.reduce((n, d) => n + d[k], 0);
    expect(books.requests).toBe(sum('created'));
    expect(books.matchedLines).toBe(sum('matched'));
    expect(books.records).toBe(sum('credited'));
    expect(sum('matched')).toBeGreaterThan(0);
    expect(sum('credited')).toBeGreaterThan(0);
    // A call that waited past the busy timeout for the other process's write lock was refused whole.
    for (const d of done) for (const why of Object.keys(d.refused)) expect(['line_short', 'books_busy']).toContain(why);
  });

  it('killed mid-work, the server leaves books whose every committed action is whole', async () => {
    const given = await seeded();
    const desk = (t = given.t);
    const { child, url } = await serve(desk.books.path);
    const work = desks([url], 30, given.lines);
    // Kill once some approvals have committed, while the clients are still calling.
    const count = () => (desk.books.raw.prepare('SELECT count(*) AS n FROM recharge_records').get() as { n: number }).n;
    await vi.waitFor(() => expect(count()).toBeGreaterThanOrEqual(3), { timeout: 120_000, interval: 50 });
    child.kill('SIGKILL');
    const done = await work;
    expect(done.some((d) => d.stopped !== undefined)).toBe(true);
    const books = await provedAfter(desk.books.path);
    expect(books.records).toBeGreaterThanOrEqual(3);
    // Each client's answered credits are in the books; an unanswered one may or may not be, never half.
    expect(books.records).toBeGreaterThanOrEqual(done.reduce((n, d) => n + d.credited, 0));
  });
});
