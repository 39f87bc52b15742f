// Imports that refuse what they cannot read whole (issue 11 §3): a cut last row, a statement in
// another currency, messages that name file, line and field and stay short, event text with NUL or
// lone surrogates, control characters from files never raw on the terminal, the write lock held by
// another process, and the places where the docs and the code disagreed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it, vi } from 'vitest';
import { openBooks } from '../../main/db/books';
import { Dispatcher } from '../../main/api/dispatcher';
import type { ApiErrorBody } from '../../main/domain/errors';
import { visible } from '../../main/cli/visible';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { withStaffedApi } from '../support/books-hooks';
import { firstValue, ON_POSTGRES, type TestApi } from '../support/temp-books';
import { importStatement, line, payer, request, statement } from '../support/recharge-fixtures';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let t: TestApi;
withStaffedApi(async (api) => {
  t = api;
  await t.call('admin', 'bankAccounts.create', {
    bankName: '中国建设银行 北京分行',
    accountNumber: '1001 0101 0900 0012 345',
    name: '平台对公户',
  });
});

const count = async (table: string) => Number(await firstValue(t.anyBooks, `SELECT count(*) AS n FROM ${table}`));

/** Runs a job and returns its error body (code, message, details), or fails when the job succeeds. */
async function jobError(as: string, method: string, input: object = {}): Promise<ApiErrorBody> {
  const started = await t.dispatcher.dispatch(as, method, input);
  if (!started.ok) return started.error;
  const { jobId } = started.data as { jobId: string };
  await t.dispatcher.jobs.settle(jobId);
  for (let i = 0; i < 200; i++) {
    const end = t.events.find((e) => e.jobId === jobId && (e.type === 'job.done' || e.type === 'job.failed'));
    if (end?.type === 'job.failed') return end.error;
    if (end?.type === 'job.done') throw new Error(`${method} succeeded: ${JSON.stringify(end.result).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${method} did not finish`);
}

async function choose(file: string): Promise<string> {
  t.dialogs.nextOpen = file;
  return (await t.runJob('clerk', 'statements.choose')).token;
}

async function previewError(file: string): Promise<ApiErrorBody> {
  return jobError('clerk', 'statements.preview', { token: await choose(file) });
}

async function importFile(file: string, acceptContinuity = false) {
  const token = await choose(file);
  const preview = await t.runJob('clerk', 'statements.preview', { token });
  const result = await t.runJob('clerk', 'statements.import', {
    token,
    sha256: preview.sha256,
    ...(acceptContinuity ? { acceptContinuity } : {}),
  });
  return { preview, result };
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const HEADER = '交易日期,交易时间,借方发生额(支出),贷方发生额(收入),余额,对方户名,对方账号,对方开户行,摘要,用途,附言,交易流水号';

/** A corporate export: a preamble, the header on line 5, and one line per row (line 6 on). */
function corporate(rows: string[], preamble = ['账户明细查询', '账号：1001 0101 0900 0012 345', '币种：人民币']): string {
  return [...preamble, '', HEADER, ...rows].join('\r\n') + '\r\n';
}

const ROWS = [
  '2026-10-08,09:00:00,,"1,000.00","101,000.00",张伟,6222000012345678,中国银行,汇入汇款,充值,充值CZ1,SN0001',
  '2026-10-08,10:00:00,,500.00,"101,500.00",李娜,6222000087654321,中国银行,汇入汇款,充值,充值CZ2,SN0002',
  '2026-10-09,11:00:00,,"2,288.00","103,788.00",王芳,6222000011112222,中国工商银行,汇入汇款,充值,充值CZ3Q8K,SN0003',
];

describe('a CSV whose last row is cut', () => {
  it('is refused when the cut falls before the reference, naming the line; nothing is written', async () => {
    const whole = corporate(ROWS);
    // cut inside 附言 of the 2,288.00 row: date and amount are there, the reference and bank id are not
    const cut = write('cut.csv', whole.slice(0, whole.indexOf('充值CZ3Q8K') + 3));
    const e = await previewError(cut);
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ code: 'truncated', line: 8, file: 'cut.csv' });
    expect(e.message).toMatch(/^cut\.csv: line 8, .*cut off/);
    expect(await count('bank_lines')).toBe(0);
  });

  it('is refused when a GBK file ends in the middle of a character, naming the last line', async () => {
    const whole = corporate(ROWS);
    // the file ends after the first of the two bytes of 值 in 附言
    const head = iconv.encode(whole.slice(0, whole.lastIndexOf('充值CZ3Q8K') + 1), 'gb18030');
    const cut = write('cut.gbk.csv', Buffer.concat([head, iconv.encode('值', 'gb18030').subarray(0, 1)]));
    const e = await previewError(cut);
    expect(e.details).toMatchObject({ code: 'truncated', line: 8 });
    expect(e.message).toMatch(/line 8: .*middle of a character/);
    expect(await count('bank_lines')).toBe(0);
  });

  it('the same bank movement is recognised across a cut file and the whole file: 2,288.00 is booked once', async () => {
    const whole = corporate(ROWS);
    // cut inside the last cell, the bank's own id, with nothing after it: nothing in the row shows the cut
    const cut = write('cut-id.csv', whole.slice(0, whole.lastIndexOf('SN0003') + 'SN000'.length));
    const first = await importFile(cut);
    expect(first.result.statements[0]).toMatchObject({ newLines: 3 });
    const full = write('whole.csv', whole);
    const second = await importFile(full, true);
    expect(second.preview.statements[0]).toMatchObject({ newLines: 0, duplicates: 3 });
    expect(Number(await firstValue(t.anyBooks, 'SELECT count(*) AS n FROM bank_lines WHERE amount = 228800'))).toBe(1);
  });

  it('a file cut at a row boundary books its rows, and the whole file later adds only the rest', async () => {
    const whole = corporate(ROWS);
    const first = await importFile(write('part.csv', corporate(ROWS.slice(0, 2))));
    expect(first.result.statements[0]).toMatchObject({ newLines: 2 });
    const second = await importFile(write('whole.csv', whole), true);
    expect(second.result.statements[0]).toMatchObject({ newLines: 1, duplicates: 2 });
    expect(Number(await firstValue(t.anyBooks, 'SELECT count(*) AS n FROM bank_lines WHERE amount = 228800'))).toBe(1);
  });
});

describe('the currency found anywhere in the file must be the bank account’s', () => {
  it('a preamble 币种：美元 refuses the file, naming its line', async () => {
    const usd = write('usd.csv', corporate(ROWS, ['账户明细查询', '账号：1001 0101 0900 0012 345', '币种：美元']));
    const e = await previewError(usd);
    expect(e.details).toMatchObject({ reason: 'statement_currency', line: 3, params: { currency: 'USD', bankCurrency: 'CNY' } });
    expect(e.message).toMatch(/usd\.csv: the statement is in USD but bank account 1001010109000012345 is CNY \(line 3/);
    expect(await count('bank_lines')).toBe(0);
  });

  it('币种:人民币 and RMB are the yuan', async () => {
    const ok = write('rmb.csv', corporate(ROWS, ['账号：1001 0101 0900 0012 345', '币种:RMB']));
    expect((await importFile(ok)).result.statements[0]).toMatchObject({ newLines: 3 });
  });

  it('a currency column saying 美元 on one row refuses the file, naming the row', async () => {
    const header = '交易日期,帐号,币种,收入/支出金额,余额,对方户名,对方帐号,摘要';
    const text = [
      header,
      '2026-10-08,1001010109000012345,人民币,+100.00,100.00,张伟,6222000012345678,转账',
      '2026-10-08,1001010109000012345,美元,+5.00,105.00,张伟,6222000012345678,转账',
    ].join('\r\n');
    const e = await previewError(write('col.csv', text + '\r\n'));
    expect(e.details).toMatchObject({ reason: 'statement_currency', line: 3, field: '币种', params: { currency: 'USD' } });
  });

  it('a camt.053 entry in USD in a CNY statement is refused, naming the entry', async () => {
    const camt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>1</MsgId><CreDtTm>2026-10-09T00:00:00</CreDtTm></GrpHdr>
<Stmt><Id>1</Id><CreDtTm>2026-10-09T00:00:00</CreDtTm><Acct><Id><Othr><Id>1001010109000012345</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
<Ntry><Amt Ccy="CNY">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-10-08</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef></Ntry>
<Ntry><Amt Ccy="USD">2288.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-10-09</Dt></BookgDt><AcctSvcrRef>R2</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>
`;
    const e = await previewError(write('s.xml', camt));
    expect(e.details).toMatchObject({ reason: 'statement_currency', line: 5, params: { currency: 'USD' } });
    expect(await count('bank_lines')).toBe(0);
  });

  it('MT940 field 60 and OFX CURDEF in another currency are refused with the code', async () => {
    const mt = [
      ':20:STMT',
      ':25:1001010109000012345',
      ':28C:1',
      ':60F:C261007USD0,00',
      ':61:2610081008C10,00NTRFNONREF//B1',
      ':62F:C261008USD10,00',
      '-',
    ].join('\r\n');
    const e1 = await previewError(write('s.sta', mt + '\r\n'));
    expect(e1.details).toMatchObject({ reason: 'statement_currency', line: 4, field: ':60F:', params: { currency: 'USD' } });
    const ofx = `OFXHEADER:100
DATA:OFXSGML
VERSION:102

<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>HKD
<BANKACCTFROM><BANKID>1<ACCTID>1001010109000012345<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261008<TRNAMT>10.00<FITID>F1</STMTTRN></BANKTRANLIST>
<LEDGERBAL><BALAMT>10.00<DTASOF>20261008</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
`;
    const e2 = await previewError(write('s.ofx', ofx));
    expect(e2.details).toMatchObject({ reason: 'statement_currency', field: 'CURDEF', params: { currency: 'HKD' } });
  });
});

describe('a mistyped field of an import is refused with its own reason, before the file is read', () => {
  it('a SHA-256 that is not 64 lower-case hex digits, and a default currency that is not three capitals', async () => {
    const token = await choose(write('typed.csv', corporate(ROWS)));
    const preview = await t.runJob('clerk', 'statements.preview', { token });
    for (const [method, input, field, why] of [
      ['statements.import', { token, sha256: preview.sha256.toUpperCase() }, 'sha256', 'sha256_format'],
      ['events.import', { token, sha256: preview.sha256.slice(1) }, 'sha256', 'sha256_format'],
      [
        'statements.preview',
        { token, mapping: { date: '交易日期', amount: { kind: 'signed', amount: '交易金额' }, defaultCurrency: 'rmb' } },
        'mapping.defaultCurrency',
        'currency_format',
      ],
    ] as const)
      await expect(t.send('clerk', method, input)).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { field, issues: [{ field, code: why }] },
      });
    expect(await count('bank_lines')).toBe(0);
  });
});

describe('messages name file, line and field, and stay short', () => {
  it('a huge amount names its own line and says too large', async () => {
    const rows = [...ROWS];
    rows[2] = rows[2]!.replace('"2,288.00"', '99999999999999999.00');
    const e = await previewError(write('huge.csv', corporate(rows)));
    expect(e.details).toMatchObject({ reason: 'amount_too_large', line: 8, field: 'amount' });
    expect(e.message).toMatch(/^huge\.csv: line 8, field amount: 99999999999999999\.00 is too large/);
  });

  it('a 1 MB cell gives a message of a few hundred characters, the value cut with an ellipsis', async () => {
    const rows = [...ROWS];
    rows[1] = rows[1]!.replace('500.00', 'x'.repeat(1024 * 1024));
    const e = await previewError(write('wide.csv', corporate(rows)));
    expect(e.details).toMatchObject({ code: 'bad_amount', line: 7 });
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toContain('x'.repeat(80) + '…');
  });

  it('NUL and lone surrogates in event text are refused, naming line and field; nothing is stored', async () => {
    const ok =
      '{"id":"e1","type":"customer.registered","at":"2026-11-20T09:00:00+08:00","data":{"customer":"C1","kind":"person","name":"张伟"}}';
    const nul = ok.replace('"e1"', '"e2"').replace('"C1"', '"C2"').replace('张伟', 'ab\\u0000cd');
    const sur = ok.replace('"e1"', '"e3"').replace('"C1"', '"C3"').replace('张伟', 'ab\\ud800cd');
    t.dialogs.nextOpen = write('events.jsonl', [ok, nul, sur].join('\n') + '\n');
    const preview = await t.runJob('clerk', 'events.preview');
    expect(preview.ok).toBe(false);
    expect(preview.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'data.name', code: 'event_text_nul' }),
      expect.objectContaining({ line: 3, field: 'data.name', code: 'event_text_surrogate' }),
    ]);
    expect(preview.errors[0]!.reason).toMatch(/NUL/);
    expect(await count('customers')).toBe(0);
  });
});

describe('text from files is never printed raw to the terminal', () => {
  it('visible() shows ESC, BEL, bidi controls, C1 and lone surrogates as escapes', () => {
    expect(visible('a\x1b[31mb\x07c\u202Ed\u0085e\ud800f')).toBe('a\\u001b[31mb\\u0007c\\u202ed\\u0085e\\ud800f');
    expect(visible('张伟 (Zhang)')).toBe('张伟 (Zhang)');
    expect(visible('two\nlines\ttab')).toBe('two\\u000alines\\u0009tab');
  });

  // The PostgreSQL pass builds no CLI bundle (and this reads no books: it only repeats the SQLite pass).
  it.skipIf(ON_POSTGRES)(
    'coffer inspect statement prints a counterparty name with control characters made visible',
    async () => {
      const rows = [...ROWS];
      rows[0] = rows[0]!.replace('张伟', '张\x1b[2J伟\x07\u202Eevil');
      const file = write('ctl.csv', corporate(rows));
      const text = await coffer(['inspect', 'statement', file]);
      expect(text.code).toBe(0);
      expect(['\x1b', '\x07', '\u202E'].filter((c) => text.stdout.includes(c))).toEqual([]);
      expect(text.stdout).toContain('张\\u001b[2J伟\\u0007\\u202eevil');
      const json = await coffer(['inspect', 'statement', '--json', file]);
      expect(['\x1b', '\x07', '\u202E'].filter((c) => json.stdout.includes(c))).toEqual([]);
      const parsed = JSON.parse(json.stdout) as { statements: { lines: { counterparty: { name: string } }[] }[] };
      expect(parsed.statements[0]!.lines[0]!.counterparty.name).toBe('张\x1b[2J伟\x07\u202Eevil');
    },
    60_000,
  );
});

// A books file has one write lock another process can hold; on PostgreSQL writers lock rows (in id order)
// and the audit chain's advisory lock only for a transaction's end, so nothing holds the books busy.
describe.skipIf(ON_POSTGRES)('the books busy with another process', () => {
  it.each([
    { job: 'statements.import', shown: 'statements.import' },
    { job: '', shown: 'another program' },
  ])(
    'waits a bounded time, then answers a coded "busy with $shown; try again", and works once the lock is gone',
    async ({ job, shown }) => {
      const file = t.books.path; // the file's write lock
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/lock-child.ts'), file, job], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const closed = new Promise((r) => child.on('close', r));
      try {
        await new Promise<void>((resolve, reject) => {
          let buf = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => {
            buf += d;
            if (buf.includes('locked')) resolve();
          });
          child.on('exit', (code) => reject(new Error(`the child ended (${code}) before taking the lock`)));
        });
        const books = await openBooks(file, { busyTimeoutMs: 300 });
        const d = new Dispatcher({ books, ports: { dialogs: t.dialogs, clock: () => Date.now() } });
        try {
          const login = await d.dispatch('x', 'session.login', { username: 'admin', password: 'correct horse 9' });
          const started = Date.now();
          const r = login.ok
            ? await d.dispatch('x', 'bankAccounts.create', { bankName: '工行', accountNumber: '6222000099990000', name: 'x' })
            : login;
          expect(r.ok).toBe(false);
          const err = (r as { error: ApiErrorBody }).error;
          expect(err.code).toBe('CONFLICT');
          expect(err.details).toMatchObject({ reason: 'books_busy', params: { job: shown } });
          expect(err.message).toBe(`the books are busy with ${shown}; try again in a moment`);
          expect(Date.now() - started).toBeLessThan(5000);
        } finally {
          await books.close();
        }
      } finally {
        child.stdin.end('done\n');
        await closed;
      }
      // the lock released: the same call goes through
      await t.call('admin', 'bankAccounts.create', { bankName: '工行', accountNumber: '6222000099990000', name: 'x' });
    },
    30_000,
  );
});

describe('where the docs and the code disagreed', () => {
  it('importing the very same statement again books nothing and says when and by whom it was imported', async () => {
    const file = write('same.csv', corporate(ROWS));
    const first = await importFile(file);
    expect(first.result.statements[0]).toMatchObject({ newLines: 3 });
    const token = await choose(file);
    const preview = await t.runJob('clerk', 'statements.preview', { token });
    expect(preview.alreadyImported).toMatchObject({ by: 'clerk', on: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    expect(preview.continuityOk).toBe(true);
    const again = await t.runJob('clerk', 'statements.import', { token, sha256: preview.sha256 });
    expect(again.statements).toEqual([]);
    expect(again.alreadyImported).toMatchObject({ by: 'clerk', statementId: 1 });
    expect(await count('statements')).toBe(1);
    expect(await count('bank_lines')).toBe(3);
  });

  it('reconcile writes one audit row per run that leaves suggestions, with their count', async () => {
    t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
    const bank = (
      await t.call('admin', 'bankAccounts.create', {
        bankName: '招商银行 杭州分行',
        accountNumber: '571900000010101',
        name: '平台收款户',
      })
    ).id;
    expect(bank).toBe(2);
    const zhang = await payer(t, 1, '张伟');
    await request(t, zhang, '300.00');
    await importStatement(t, statement([line('2026-11-20', '300.00', { counterparty: { name: '王五', account: '6217999900001111' } })]));
    const before = await count('audit');
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ allocated: 0, suggested: 1 });
    const rows = (await t.anyBooks
      .sql("SELECT action, item_count, after_json FROM audit WHERE id > ? AND action = 'reconcile.run'")
      .all(before)) as {
      item_count: number;
      after_json: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.item_count).toBe(1);
    expect(JSON.parse(rows[0]!.after_json)).toMatchObject({ suggested: 1 });
  });
});
