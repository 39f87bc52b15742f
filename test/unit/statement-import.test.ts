// Bank statement files through the API as the console uses it: choose → preview → import, in GBK and
// UTF-8, duplicates on a second import, a foreign currency or a broken file refused writing nothing,
// and continuity problems imported only when the accountant confirms.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { withStaffedApi } from '../support/books-hooks';
import type { TestApi } from '../support/temp-books';

const CN = path.resolve('test/fixtures/statements/cn');
let t: TestApi;
let bankId: number;
withStaffedApi(async (api) => {
  t = api;
  bankId = (
    await t.call('admin', 'bankAccounts.create', {
      bankName: '中国建设银行 北京分行',
      accountNumber: '1001 0101 0900 0012 345',
      name: '平台对公户',
    })
  ).id;
});

/** One row's first column, on either engine's books. */
const one = async (query: string, ...args: unknown[]) => Object.values((await t.anyBooks.sql(query).get(...args)) ?? {})[0];
const count = (table: string) => one(`SELECT count(*) FROM ${table}`);

async function choose(file: string) {
  t.dialogs.nextOpen = file;
  return t.runJob('clerk', 'statements.choose');
}

async function importFile(file: string, extra: object = {}) {
  const { token } = await choose(file);
  const { acceptContinuity, ...read } = extra as { acceptContinuity?: boolean };
  const preview = await t.runJob('clerk', 'statements.preview', { token, ...read });
  const result = await t.runJob('clerk', 'statements.import', {
    token,
    sha256: preview.sha256,
    ...read,
    ...(acceptContinuity ? { acceptContinuity } : {}),
  });
  return { preview, result };
}

/** A corporate-profile statement of new lines only, imported whole: what the preview says of it, what was
 *  imported, and that the books then agree with the bank (booksBalance in fen). */
async function importsNew(file: string, want: { format: string; lines: number; opening: string; closing: string; booksBalance: number }) {
  const { preview, result } = await importFile(file);
  expect(preview.statements[0]).toMatchObject({
    bankAccountId: bankId,
    format: want.format,
    profile: 'corporate',
    lines: want.lines,
    newLines: want.lines,
    duplicates: 0,
    continuity: [],
    opening: { amount: want.opening },
    closing: { amount: want.closing },
  });
  expect(result.statements[0]).toMatchObject({ newLines: want.lines });
  const report = await t.call('auditor', 'reconcile.report', { bankAccountId: bankId });
  expect(report.proof).toMatchObject({ agrees: true, booksBalance: want.booksBalance });
}

describe('a Chinese corporate statement', () => {
  it('previews, imports, and books the money: the books agree with the bank', async () => {
    const chosen = await choose(path.join(CN, 'corporate.utf8.csv'));
    expect(chosen.layout?.suggestedProfile).toBe('corporate');
    await importsNew(path.join(CN, 'corporate.utf8.csv'), {
      format: 'csv',
      lines: 10,
      opening: '1000000.00',
      closing: '2203547.50',
      booksBalance: 220_354_750,
    });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
    // The report as a workbook: a summary with the proof, every line, the aged receipts.
    const out = await t.runJob('auditor', 'reconcile.exportReport', { bankAccountId: bankId });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out.path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总 Summary', '银行流水 Lines', '未分配账龄 Unallocated aged']);
    const lines = wb.getWorksheet('银行流水 Lines')!;
    expect(lines.rowCount).toBe(11);
    expect(lines.getRow(2).getCell(4).value).toBe(5000);
    // 王五's 2,000.00 and its red-letter 冲正 are netted at import: not unmatched, shown as netted
    const summary = wb.getWorksheet('汇总 Summary')!;
    expect([summary.getRow(7).getCell(1).value, summary.getRow(7).getCell(2).value]).toEqual(['未匹配 Unmatched', 1_306_572.5]);
    expect([summary.getRow(8).getCell(1).value, summary.getRow(8).getCell(2).value]).toEqual(['冲正抵销 Netted by reversals', 2000]);
    expect(String(summary.getRow(11).getCell(3).value)).toContain('equals the statement');
    expect([6, 7].map((n) => lines.getRow(n + 1).getCell(6).value)).toEqual(['冲正已抵销 reversal netted', '冲正已抵销 reversal netted']);
  });

  it('the same statement in GBK is recognised as the same lines: nothing imported twice', async () => {
    await importFile(path.join(CN, 'corporate.utf8.csv'));
    const { preview, result } = await importFile(path.join(CN, 'corporate.gbk.csv'), { acceptContinuity: true });
    expect(preview.statements[0]).toMatchObject({ newLines: 0, duplicates: 10 });
    expect(preview.statements[0]!.continuity.at(-1)).toEqual({
      code: 'continuity_overlap',
      params: { start: '2024-03-01', previousEnd: '2024-03-06' },
      message: 'the statement starts 2024-03-01, before the previous one ended (2024-03-06): an overlap',
    });
    expect(result.statements[0]).toMatchObject({ newLines: 0, duplicates: 10 });
    expect(await count('bank_lines')).toBe(10);
  });
});

describe('an old Excel .xls statement', () => {
  const XLS = path.resolve('test/fixtures/statements/xls');

  it('previews, imports and books 130 lines from a workbook written by another program', async () => {
    const chosen = await choose(path.join(XLS, 'corporate.xls'));
    expect(chosen.layout).toMatchObject({ suggestedProfile: 'corporate', headers: expect.arrayContaining(['交易日期', '交易流水号']) });
    await importsNew(path.join(XLS, 'corporate.xls'), {
      format: 'xls',
      lines: 130,
      opening: '1000000.00',
      closing: '2265578.90',
      booksBalance: 226_557_890,
    });
    // the same lines as the CSV export of the same account: the CSV adds nothing
    const again = await importFile(path.join(CN, 'corporate.utf8.csv'), { acceptContinuity: true });
    expect(again.preview.statements[0]).toMatchObject({ newLines: 0, duplicates: 10 });
  });

  it('a password-protected .xls is refused and writes nothing', async () => {
    const { xlsOf, filepass, label } = await import('../support/xls-build');
    const secret = path.join(t.dir, 'secret.xls');
    fs.writeFileSync(secret, xlsOf([label(0, 0, '交易日期')], [filepass()]));
    const { token } = await choose(secret);
    await expect(t.runJob('clerk', 'statements.preview', { token })).rejects.toThrow(
      /secret.xls: .*password-protected.*nothing was imported/,
    );
    expect(await count('statements')).toBe(0);
    expect(await count('bank_lines')).toBe(0);
  });
});

describe('refused files write nothing', () => {
  it('a statement in another currency than the bank account', async () => {
    await t.call('admin', 'bankAccounts.create', { bankName: 'ABN AMRO', accountNumber: '517852257', name: 'EUR test' });
    const { token } = await choose(path.resolve('test/fixtures/statements/mt940/jejik-abnamro.sta'));
    await expect(t.runJob('clerk', 'statements.preview', { token })).rejects.toThrow(/is in EUR but bank account 517852257 is CNY/);
    expect(await count('bank_lines')).toBe(0);
  });

  it('a malformed file names its line and field', async () => {
    const bad = path.join(t.dir, 'bad.csv');
    fs.writeFileSync(bad, fs.readFileSync(path.join(CN, 'corporate.utf8.csv'), 'utf8').replace('"5,000.00"', '"5,0x0.00"'));
    const { token } = await choose(bad);
    await expect(t.runJob('clerk', 'statements.preview', { token })).rejects.toThrow(/bad.csv: .*line 8.*nothing was imported/);
    expect(await count('statements')).toBe(0);
  });

  it('a file over 20 MiB, before anything reads it', async () => {
    const big = path.join(t.dir, 'huge.csv');
    fs.writeFileSync(big, Buffer.alloc(21 * 1024 * 1024, 0x41));
    const { token } = await choose(big);
    await expect(t.runJob('clerk', 'statements.preview', { token })).rejects.toThrow(
      /huge.csv is 21.0 MiB; statements over 20 MiB are refused/,
    );
    expect(await count('statements')).toBe(0);
  });

  it('an auditor may not import', async () => {
    t.dialogs.nextOpen = path.join(CN, 'corporate.utf8.csv');
    await expect(t.runJob('auditor', 'statements.choose')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('continuity', () => {
  it('a statement whose balances do not add up is imported only when the accountant confirms', async () => {
    const off = path.join(t.dir, 'off.csv');
    fs.writeFileSync(off, fs.readFileSync(path.join(CN, 'corporate.utf8.csv'), 'utf8').replace(/2,203,547\.50/g, '2,203,500.00'));
    const { token } = await choose(off);
    const preview = await t.runJob('clerk', 'statements.preview', { token });
    expect(preview.continuityOk).toBe(false);
    await expect(t.runJob('clerk', 'statements.import', { token, sha256: preview.sha256 })).rejects.toThrow(/confirm to import it anyway/);
    expect(await count('bank_lines')).toBe(0);
    await t.runJob('clerk', 'statements.import', { token, sha256: preview.sha256, acceptContinuity: true });
    expect(await count('bank_lines')).toBe(10);
    const [s] = await t.call('auditor', 'statements.list', {});
    expect(s!.continuityOk).toBe(false);
  });
});

/** A corporate export of n lines (money in, running balance, a bank reference each); `edit` may change line k's cells. */
function corporateCsv(n: number, edit: (k: number, cells: string[]) => void = () => {}): string {
  const out = [
    '账户明细查询',
    '账号：1001 0101 0900 0012 345',
    '币种：人民币',
    '交易日期,交易时间,借方发生额(支出),贷方发生额(收入),余额,对方户名,对方账号,对方开户行,摘要,用途,附言,交易流水号',
  ];
  let balance = 100_000;
  for (let k = 0; k < n; k++) {
    balance += 1_000 + (k % 97);
    const day = `2026-10-${String(1 + Math.floor((k * 28) / n)).padStart(2, '0')}`;
    const yuan = (fen: number) => `"${(fen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}"`;
    const cells = [
      day,
      '10:00:00',
      '',
      yuan(1_000 + (k % 97)),
      yuan(balance),
      '张伟',
      '6222000012345678',
      '中国银行',
      '汇入汇款',
      '充值',
      `充值C${k}`,
      `SN${k}`,
    ];
    edit(k, cells);
    out.push(cells.join(','));
  }
  return out.join('\r\n') + '\r\n';
}

describe('a statement of 20,000 lines (more than one posting batch, far past the rows read ahead for the header)', () => {
  it('imports every line once, books the money, and a second import finds them all as duplicates', async () => {
    const big = path.join(t.dir, 'big.csv');
    fs.writeFileSync(big, corporateCsv(20_000));
    const { preview, result } = await importFile(big);
    expect(preview.statements[0]).toMatchObject({ lines: 20_000, newLines: 20_000, continuity: [] });
    expect(result.statements[0]).toMatchObject({ newLines: 20_000, duplicates: 0 });
    expect(await count('bank_lines')).toBe(20_000);
    const s = await t.anyBooks.sql('SELECT first_booked, last_booked, lines FROM statements').get();
    expect(s).toEqual({ first_booked: '2026-10-01', last_booked: '2026-10-28', lines: 20_000 });
    const last = await t.anyBooks.sql('SELECT line_no, bank_ref FROM bank_lines ORDER BY id DESC LIMIT 1').get();
    expect(last).toEqual({ line_no: 20_000, bank_ref: 'SN19999' });
    const report = await t.call('auditor', 'reconcile.report', { bankAccountId: bankId });
    expect(report.proof!.agrees).toBe(true);
    // the very same file again: nothing new, said as "already imported", not as a continuity conflict
    const again = await importFile(big);
    expect(again.preview.statements[0]).toMatchObject({ newLines: 0, duplicates: 20_000 });
    expect(again.result).toMatchObject({ statements: [], alreadyImported: { statementId: 1, by: 'clerk' } });
    expect(await count('bank_lines')).toBe(20_000);
  });

  it('a bad amount deep in the file is named by its line, counting a memo that spans two lines, and nothing is written', async () => {
    const bad = path.join(t.dir, 'bad-deep.csv');
    fs.writeFileSync(
      bad,
      corporateCsv(20_000, (k, cells) => {
        if (k === 100) cells[10] = '"充值C100\n张伟"';
        if (k === 15_000) cells[3] = '"1,0x0.00"';
      }),
    );
    const { token } = await choose(bad);
    // header on line 4, line k on 5 + k, one more after the two-line memo
    await expect(t.runJob('clerk', 'statements.preview', { token })).rejects.toThrow(
      /bad-deep.csv: line 15006, .*"1,0x0.00" is not an amount.*nothing was imported/,
    );
    expect(await count('statements')).toBe(0);
    expect(await count('bank_lines')).toBe(0);
  });

  it('a file cut off in its last row is refused as cut off; the same short row earlier is a bad row', async () => {
    const text = corporateCsv(20_000);
    const cut = path.join(t.dir, 'cut.csv');
    fs.writeFileSync(cut, text.slice(0, text.lastIndexOf('\r\n', text.length - 3) + '\r\n2026-10-28,10:00:00,'.length));
    const { token } = await choose(cut);
    await expect(t.runJob('clerk', 'statements.preview', { token })).rejects.toThrow(/line 20004, .*file cut off/);
    const short = path.join(t.dir, 'short.csv');
    fs.writeFileSync(
      short,
      corporateCsv(20_000, (k, cells) => k === 12_000 && cells.splice(3)),
    );
    const second = await choose(short);
    await expect(t.runJob('clerk', 'statements.preview', { token: second.token })).rejects.toThrow(/line 12005, .*the row has 3 cells/);
    expect(await count('bank_lines')).toBe(0);
  });

  // The import reads a CSV as a stream and writes each batch as it goes, inside a savepoint: a
  // refusal found after thousands of lines were written still leaves nothing behind.
  it('a bad amount or a repeated reference deep in the file refuses the import itself, writing nothing', async () => {
    const transfers = await count('transfers');
    const bad = path.join(t.dir, 'bad-import.csv');
    fs.writeFileSync(
      bad,
      corporateCsv(20_000, (k, cells) => {
        if (k === 15_000) cells[3] = '"1,0x0.00"';
      }),
    );
    const sha256 = '0'.repeat(64);
    await expect(t.runJob('clerk', 'statements.import', { token: (await choose(bad)).token, sha256 })).rejects.toThrow(
      /bad-import.csv: line 15005, .*"1,0x0.00" is not an amount.*nothing was imported/,
    );
    const twice = path.join(t.dir, 'twice.csv');
    fs.writeFileSync(
      twice,
      corporateCsv(20_000, (k, cells) => {
        if (k === 18_000) cells[11] = 'SN9000';
      }),
    );
    await expect(t.runJob('clerk', 'statements.import', { token: (await choose(twice)).token, sha256 })).rejects.toThrow(
      /line 18005.*SN9000.*line 9005/,
    );
    expect([await count('statements'), await count('bank_lines'), await count('transfers')]).toEqual([0, 0, transfers]);
  });

  it('a newest-first first statement posts its opening balance before its lines, as oldest-first does', async () => {
    const text = fs.readFileSync(path.join(CN, 'corporate.utf8.csv'), 'utf8').split(/\r?\n/);
    const at = text.findIndex((l) => l.startsWith('交易日期'));
    const end = text.findIndex((l) => l.startsWith('合计'));
    const flipped = [...text.slice(0, at + 1), ...text.slice(at + 1, end).reverse(), ...text.slice(end)].join('\r\n');
    const file = path.join(t.dir, 'newest-first.csv');
    fs.writeFileSync(file, flipped);
    const before = Number((await one('SELECT max(id) FROM transfers')) ?? 0);
    const { preview } = await importFile(file);
    expect(preview.statements[0]).toMatchObject({ lines: 10, newLines: 10, opening: { amount: '1000000.00' }, continuity: [] });
    const codes = ((await t.anyBooks.sql('SELECT code FROM transfers WHERE id > ? ORDER BY id').all(before)) as { code: string }[]).map(
      (r) => r.code,
    );
    expect(codes[0]).toBe('opening_balance');
    expect(codes.filter((c) => c === 'opening_balance')).toHaveLength(1);
    const stmt = await t.anyBooks.sql('SELECT opening_amount, closing_amount, lines, new_lines FROM statements').get();
    expect(stmt).toEqual({ opening_amount: 100000000, closing_amount: 220354750, lines: 10, new_lines: 10 });
  });
});
