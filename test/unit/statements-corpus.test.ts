// The malformed corpus: each format's ways of being wrong, each refused whole with a code and a message
// that names the line and field. Workbook bombs are built here and refused before exceljs sees them.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, readStatements, StatementError, type StatementErrorCode } from '../../main/formats/statements';
import { readXlsx } from '../../main/formats/statements/xlsx';
import { checkZip, type Inflate } from '../../main/formats/statements/zip';
import * as X from '../support/xls-build';

const FIX = join(import.meta.dirname, '../fixtures/statements');
const fixture = (rel: string) => readFileSync(join(FIX, rel));

interface Refusal {
  code: StatementErrorCode;
  line?: number | null;
  field?: string | null;
  message: RegExp;
}

async function refused(bytes: Buffer | string, fileName: string, want: Refusal, opts: Options = {}) {
  const err = await readStatements(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, { fileName, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `${fileName} should be refused`).toBeInstanceOf(StatementError);
  const e = err as StatementError;
  expect({ code: e.code, line: e.line, field: e.field }).toMatchObject({
    code: want.code,
    ...(want.line !== undefined && { line: want.line }),
    ...(want.field !== undefined && { field: want.field }),
  });
  expect(e.message).toMatch(want.message);
  if (e.line !== null) expect(e.message).toContain(`line ${e.line}`);
  if (e.field !== null) expect(e.message).toContain(`field ${e.field}`);
}

type Options = Parameters<typeof readStatements>[1] extends infer O ? Partial<O> : never;

/** A malformed file and the refusal it must get. */
interface Case {
  name: string;
  bytes: Buffer | string;
  /** The name it is read under, when not the table's. */
  fileName?: string;
  want: Refusal;
  opts?: Options;
}

/** One test a case: its bytes, read as `fileName`, are refused as the case says. */
function refusesEach(fileName: string, cases: Case[]) {
  for (const c of cases) it(c.name, () => refused(c.bytes, c.fileName ?? fileName, c.want, c.opts));
}

describe('public malformed samples', () => {
  refusesEach('camt053.v2.wrong.xml', [
    {
      name: 'camt053.v2.wrong.xml: a message without a statement',
      bytes: fixture('camt053/camt053.v2.wrong.xml'),
      want: { code: 'empty', line: 3, field: 'Stmt', message: /holds no <Stmt>/ },
    },
    {
      name: 'self-provided-invalid_statement.sta: not MT940 at all',
      bytes: fixture('mt940/self-provided-invalid_statement.sta'),
      fileName: 'invalid_statement.sta',
      want: { code: 'wrong_format', line: 1, field: ':20:', message: /no line starts with :20:/ },
    },
    {
      name: 'fail_nice-decimal_error.ofx: "$120" in TRNAMT',
      bytes: fixture('ofx/fail_nice-decimal_error.ofx'),
      fileName: 'fail_nice-decimal_error.ofx',
      want: { code: 'bad_amount', line: 37, field: 'TRNAMT', message: /"\$120" is not an amount/ },
    },
  ]);
});

describe('camt.053', () => {
  const good = fixture('camt053/camt053.v4.xml').toString('utf8');
  refusesEach('a.xml', [
    {
      name: 'truncated',
      bytes: good.slice(0, good.indexOf('</Ntry>')),
      want: { code: 'truncated', message: /the file ends inside <Ntry> opened at line 110/ },
    },
    {
      name: 'bad amount',
      bytes: good.replace('<Amt Ccy="EUR">8.85</Amt>', '<Amt Ccy="EUR">8,85</Amt>'),
      want: { code: 'bad_amount', line: 111, field: 'Amt', message: /"8,85" is not an amount/ },
    },
    {
      name: 'bad date',
      bytes: good.replace('<Dt>2014-12-31</Dt>\n                </BookgDt>', '<Dt>2014-12-32</Dt>\n                </BookgDt>'),
      want: { code: 'bad_date', line: 115, field: 'BookgDt', message: /"2014-12-32" is not a date/ },
    },
    {
      name: 'bad credit/debit mark',
      bytes: good.replace('<CdtDbtInd>CRDT</CdtDbtInd>\n                <Sts>', '<CdtDbtInd>CR</CdtDbtInd>\n                <Sts>'),
      want: { code: 'bad_value', line: 112, field: 'CdtDbtInd', message: /CRDT or DBIT/ },
    },
    {
      name: 'missing status',
      bytes: good.replace('<Sts>BOOK</Sts>', ''),
      want: { code: 'missing_field', line: 110, field: 'Sts', message: /no Sts/ },
    },
    {
      name: 'another camt message',
      bytes: good.replaceAll('BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn'),
      want: { code: 'wrong_format', message: /camt\.054.*not a camt\.053/ },
    },
    {
      name: 'DOCTYPE (entity expansion) refused',
      bytes: `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document><BkToCstmrStmt/></Document>`,
      want: { code: 'unreadable', line: 1, message: /DOCTYPE/ },
    },
    // The hand-written reader these replace took each of these: an INTERNAL error, a dropped attribute,
    // an entity without its semicolon. saxes refuses them, coded, with the line.
    {
      name: 'a character reference beyond Unicode (&#x110000;)',
      bytes: good.replace('<Sts>BOOK</Sts>', '<Sts>BOOK&#x110000;</Sts>'),
      want: { code: 'unreadable', line: 113, message: /entity/ },
    },
    {
      name: 'an unquoted attribute',
      bytes: good.replace('<Amt Ccy="EUR">8.85</Amt>', '<Amt Ccy=EUR>8.85</Amt>'),
      want: { code: 'unreadable', line: 111, message: /attribute without a quoted value/ },
    },
    {
      name: '&amp without its semicolon',
      bytes: good.replace('<Sts>BOOK</Sts>', '<Sts>A &amp B</Sts>'),
      want: { code: 'unreadable', line: 113, message: /unknown XML entity &amp/ },
    },
    {
      name: 'mismatched tags',
      bytes: good.replace('</BookgDt>', '</BkgDt>'),
      want: { code: 'unreadable', message: /<\/BkgDt> does not close <BookgDt> opened at line \d+/ },
    },
  ]);
  it('duplicate AcctSvcrRef', () => {
    const entry = good.slice(good.indexOf('<Ntry>'), good.indexOf('</Ntry>') + 7);
    return refused(good.replace(entry, `${entry}\n${entry}`), 'a.xml', {
      code: 'duplicate',
      field: 'AcctSvcrRef',
      message: /"AAAASESS-FP-CN_98765\/01" appears twice.*first at line 110/,
    });
  });
});

describe('MT940', () => {
  const good = fixture('mt940/jejik-ing.sta').toString('utf8');
  refusesEach('a.sta', [
    {
      name: 'truncated: no closing balance',
      bytes: good.slice(0, good.indexOf(':62F:')),
      want: { code: 'truncated', field: ':62F:', message: /ends without a :62F: or :62M: closing balance/ },
    },
    {
      name: 'bad amount in :61:',
      bytes: good.replace(':61:100722D25,03NTRF', ':61:100722D25.03NTRF'),
      want: { code: 'bad_amount', line: 8, field: ':61:', message: /"25" is not an amount|not an amount with one decimal comma/ },
    },
    {
      name: 'bad amount in :60F:',
      bytes: good.replace(':60F:C100722EUR0,00', ':60F:C100722EUR0.00'),
      want: { code: 'bad_amount', line: 7, field: ':60F:', message: /"0\.00" is not an amount/ },
    },
    {
      name: 'bad date',
      bytes: good.replace(':61:100722D3,03', ':61:101322D3,03'),
      want: { code: 'bad_date', line: 12, field: ':61:', message: /"101322" is not a YYMMDD value date/ },
    },
    {
      name: 'bad debit/credit mark',
      bytes: good.replace(':61:100722D1,10', ':61:100722X1,10'),
      want: { code: 'bad_value', line: 18, field: ':61:', message: /D, C, RD or RC/ },
    },
    {
      name: 'missing account',
      bytes: good.replace(':25:0001234567\r\n', '').replace(':25:0001234567\n', ''),
      want: { code: 'missing_field', field: ':25:', message: /no :25: account/ },
    },
    {
      name: 'a field before :20:',
      bytes: ':25:X\n:20:Y\n',
      want: { code: 'bad_header', line: 1, field: ':25:', message: /before any :20:/ },
    },
  ]);
  it('the same line exported twice', () => {
    const twice = ':61:100722C3,68NTRFNONREF//B-1\n:86:same\n';
    const text = good.replace(':62F:', `${twice}${twice}:62F:`);
    return refused(text, 'a.sta', { code: 'duplicate', field: ':61:', message: /"B-1" appears twice \(first at line \d+\)/ });
  });
});

describe('OFX', () => {
  const good = fixture('ofx/checking.ofx').toString('latin1');
  refusesEach('a.ofx', [
    {
      name: 'truncated inside a transaction',
      bytes: good.slice(0, good.indexOf('<FITID>0000487')),
      want: { code: 'truncated', field: 'STMTTRN', line: 58, message: /ends inside <STMTTRN> opened at line 54/ },
    },
    {
      name: 'bad date',
      bytes: good.replace('<DTPOSTED>20110405120000.000', '<DTPOSTED>20111305'),
      want: { code: 'bad_date', line: 56, field: 'DTPOSTED', message: /"20111305" is not an OFX date/ },
    },
    {
      name: 'missing amount',
      bytes: good.replace('<TRNAMT>-34.51', ''),
      want: { code: 'missing_field', line: 54, field: 'TRNAMT', message: /no TRNAMT/ },
    },
    {
      name: 'duplicate FITID',
      bytes: good.replace('<FITID>0000488', '<FITID>0000487'),
      want: { code: 'duplicate', line: 62, field: 'FITID', message: /"0000487" appears twice.*first at line 54/ },
    },
    {
      name: 'no statement inside',
      bytes: 'OFXHEADER:100\n\n<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>',
      want: { code: 'empty', field: 'STMTRS', message: /no bank or credit-card statement/ },
    },
    { name: 'not OFX despite the name', bytes: 'just some text\n', want: { code: 'wrong_format', field: 'OFX', message: /no <OFX>/ } },
  ]);
});

describe('CSV from Chinese banks', () => {
  const good = fixture('cn/corporate.utf8.csv').toString('utf8');
  const lines = good.split('\r\n');
  refusesEach('a.csv', [
    {
      name: 'wrong encoding: a Latin-1 byte in UTF-8 text is neither UTF-8 nor GBK',
      bytes: Buffer.concat([Buffer.from('交易日期,贷方发生额\r\n2024-03-01,1.00\r\n'), Buffer.from([0xe9, 0x2c, 0x41, 0x0d, 0x0a])]),
      want: { code: 'bad_encoding', line: 3, message: /neither UTF-8 \(byte 0xE9 on line 3\) nor GBK\/GB18030/ },
    },
    // Big5 bytes are mostly valid GBK too: they decode to other characters, so no header name is found
    {
      name: 'wrong encoding: Big5 decodes to nonsense and no header is found',
      bytes: iconv.encode(good, 'big5'),
      want: { code: 'bad_header', message: /no header row found/ },
    },
    {
      name: 'wrong encoding: UTF-16 without a byte-order mark',
      bytes: iconv.encode(good, 'utf-16le'),
      want: { code: 'bad_encoding', line: 1, message: /NUL bytes/ },
    },
    {
      name: 'missing header',
      bytes: lines.filter((_, i) => i !== 6).join('\r\n'),
      want: { code: 'bad_header', message: /no header row found/ },
    },
    {
      name: 'wrong header for the named profile',
      bytes: good,
      want: { code: 'bad_header', line: 7, field: '收入/支出金额 / 收入/支出', message: /profile icbc needs column 收入\/支出金额/ },
      opts: { profile: 'icbc' },
    },
    {
      name: 'unknown profile',
      bytes: good,
      want: { code: 'bad_profile', field: 'profile', message: /no profile "abc"; known: icbc, ccb/ },
      opts: { profile: 'abc' },
    },
    {
      name: 'a header no profile fits',
      bytes: '交易日期,金额x,余额\n2024-03-01,1,2\n',
      want: { code: 'bad_header', line: 1, message: /no profile fits the header \[交易日期, 金额x, 余额\]/ },
    },
    {
      name: 'bad amount (thousands separator out of place)',
      bytes: good.replace('"12,888.00"', '"12,88.00"'),
      want: { code: 'bad_amount', line: 9, field: '贷方发生额(收入)', message: /"12,88\.00" is not an amount/ },
    },
    {
      name: 'bad amount (both columns)',
      bytes: good.replace(',,5000.00,', ',1.00,5000.00,').replace(',,"5,000.00",', ',1.00,"5,000.00",'),
      want: { code: 'bad_amount', line: 8, message: /both 贷方发生额\(收入\) and 借方发生额\(支出\)/ },
    },
    {
      name: 'bad amount (too many decimals for CNY)',
      bytes: good.replace('36.50', '36.505'),
      want: { code: 'bad_amount', line: 17, field: '贷方发生额(收入)', message: /more decimals than CNY allows/ },
    },
    {
      name: 'bad date',
      bytes: good.replace('2024-03-04,13:13:13', '2024-02-30,13:13:13'),
      want: { code: 'bad_date', line: 15, field: '交易日期', message: /"2024-02-30" is not a date/ },
    },
    {
      name: 'bad time',
      bytes: good.replace('13:13:13', '25:13:13'),
      want: { code: 'bad_date', line: 15, field: '交易时间', message: /not a time of day/ },
    },
    {
      name: 'duplicate 交易流水号',
      bytes: good.replace('SN20240302000005', 'SN20240301000002'),
      want: { code: 'duplicate', line: 12, field: '交易流水号', message: /"SN20240301000002" appears twice.*first at line 9/ },
    },
    {
      name: 'truncated: inside a quoted field',
      bytes: good.slice(0, good.indexOf('"1,288,000.00"') + 5),
      want: { code: 'truncated', line: 11, message: /inside a quoted field/ },
    },
    {
      name: 'unknown direction in a 收/支 column',
      bytes: fixture('cn/alipay.utf8.csv').toString('utf8').replace(',收入,100.00,', ',进账,100.00,'),
      want: { code: 'bad_value', line: 6, field: '收/支', message: /direction "进账"/ },
    },
    {
      name: 'a header but no lines',
      bytes: lines.slice(0, 7).join('\r\n'),
      want: { code: 'empty', line: 7, message: /no statement lines/ },
    },
    { name: 'empty file', bytes: '', want: { code: 'empty', message: /empty/ } },
    {
      name: 'oversized',
      bytes: good,
      want: { code: 'too_large', message: /statements of at most 1000 bytes/ },
      opts: { limits: { maxTextBytes: 1000 } },
    },
    { name: 'too many rows', bytes: good, want: { code: 'too_large', message: /more than 5 rows/ }, opts: { limits: { maxLines: 5 } } },
  ]);
  it('UTF-16 with a byte-order mark is read', async () => {
    const [s] = await readStatements(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(good, 'utf-16le')]), { fileName: 'a.csv' });
    expect(s?.lines).toHaveLength(10);
  });
  it('truncated: the last row cut', () => {
    const cut = lines.slice(0, 17).join('\r\n');
    return refused(cut.slice(0, cut.lastIndexOf(',', cut.lastIndexOf(',') - 1) - 30), 'a.csv', {
      code: 'truncated',
      line: 17,
      message: /the last row has \d+ of 12 columns/,
    });
  });
});

describe('files of another format', () => {
  refusesEach('statement.csv', [
    {
      name: 'a PNG named .csv',
      bytes: Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'),
      want: { code: 'wrong_format', message: /is a PNG image, not a bank statement/ },
    },
    { name: 'a PDF', bytes: '%PDF-1.7\n...', fileName: 'statement.pdf', want: { code: 'wrong_format', message: /a PDF document/ } },
    {
      name: 'a platform event file',
      bytes: '{"type":"recharge.requested","id":"e1"}\n',
      fileName: 'events.jsonl',
      want: { code: 'wrong_format', line: 1, message: /JSON \(a platform event file\?\)/ },
    },
    {
      name: 'text named .xlsx',
      bytes: fixture('cn/icbc.utf8.csv'),
      fileName: 'icbc.xlsx',
      want: { code: 'wrong_format', line: 1, message: /named as a workbook but is not one/ },
    },
    {
      name: 'an HTML table saved as .xls',
      bytes: '<html><body><table><tr><td>交易日期</td></tr></table></body></html>',
      fileName: 'bank.xls',
      want: { code: 'unsupported', message: /save it as \.xlsx, \.xls or CSV/ },
    },
  ]);
  it('a tab-separated ".xls" download is read as text', async () => {
    const tsv = fixture('cn/icbc.utf8.csv')
      .toString('utf8')
      .replaceAll(',', '\t')
      .replace(/"([^"\t]*)"/g, '$1');
    const [s] = await readStatements(iconv.encode(tsv, 'gbk'), { fileName: 'icbc.xls' });
    expect(s).toMatchObject({ format: 'xls', profile: 'icbc' });
  });
});

describe('XLS: the compound file and the BIFF8 stream', () => {
  const icbc = fixture('xls/icbc.xls');
  // a sheet big enough (> 4096 bytes) that the Workbook stream lives in the FAT, not the mini stream
  const bigSheet = Array.from({ length: 300 }, (_, i) => X.label(i, 0, `row ${i}`));
  const bigWorkbook = X.workbook([], [{ name: 'S', records: bigSheet }]);

  refusesEach('icbc.xls', [
    {
      name: 'cut off in the middle',
      bytes: icbc.subarray(0, Math.floor(icbc.length / 2)),
      want: { code: 'truncated', message: /\.xls file is cut off/ },
    },
    {
      name: 'cut off inside the header',
      bytes: icbc.subarray(0, 300),
      want: { code: 'truncated', message: /shorter than its 512-byte header/ },
    },
    {
      name: 'the OLE2 signature on a damaged header',
      bytes: Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]),
      fileName: 'old.xls',
      want: { code: 'unreadable', message: /\.xls file is damaged: bad byte-order mark/ },
    },
    {
      name: 'encrypted with a password (FILEPASS)',
      bytes: X.xlsOf([X.label(0, 0, 'x')], [X.filepass()]),
      fileName: 'secret.xls',
      want: { code: 'unsupported', message: /password-protected \(encrypted\)/ },
    },
    {
      name: 'an encrypted .xlsx (OLE2 with EncryptionInfo)',
      bytes: X.cfb([
        { name: 'EncryptionInfo', data: Buffer.alloc(200) },
        { name: 'EncryptedPackage', data: Buffer.alloc(5000) },
      ]),
      fileName: 'secret.xlsx',
      want: { code: 'unsupported', message: /password-protected \(an encrypted \.xlsx\)/ },
    },
    {
      name: 'an Excel 5.0/95 workbook (a Book stream)',
      bytes: X.cfb([{ name: 'Book', data: X.workbook([], [{ name: 'S', records: [] }], 0x0500) }]),
      fileName: 'old.xls',
      want: { code: 'unsupported', message: /Excel 5\.0\/95 \(BIFF5\).*save it as \.xlsx or CSV/ },
    },
    {
      name: 'a BIFF5 BOF in a Workbook stream',
      bytes: X.cfb([{ name: 'Workbook', data: X.workbook([], [{ name: 'S', records: [] }], 0x0500) }]),
      fileName: 'old.xls',
      want: { code: 'unsupported', message: /BIFF version 0x500/ },
    },
    {
      name: 'an Excel 4.0 stream',
      bytes: X.cfb([{ name: 'Workbook', data: X.rec(0x0409, Buffer.alloc(6)) }]),
      fileName: 'old.xls',
      want: { code: 'unsupported', message: /Excel 4\.0 \(BIFF4\)/ },
    },
    {
      name: 'a Word document named .xls',
      bytes: X.cfb([{ name: 'WordDocument', data: Buffer.alloc(100) }]),
      fileName: 'statement.xls',
      want: { code: 'wrong_format', message: /a Word document, not an Excel workbook/ },
    },
    {
      name: 'a cell pointing past the shared string table',
      bytes: X.xlsOf([X.labelSst(0, 0, 5)], [X.sst(['交易日期'])]),
      fileName: 'bad.xls',
      want: { code: 'unreadable', message: /shared string 5 of 1/ },
    },
    {
      name: 'a shared string cut off inside its characters',
      bytes: X.xlsOf([], [X.sstParts([Buffer.concat([X.u32(1), X.u32(1), X.u16(10), Buffer.from([0]), Buffer.from('abc')])])]),
      fileName: 'bad.xls',
      want: { code: 'unreadable', message: /shared string table ends inside a string/ },
    },
    {
      name: 'a record longer than BIFF8 allows',
      bytes: X.xlsOf([X.rec(0x0204, Buffer.alloc(9000))]),
      fileName: 'bad.xls',
      want: { code: 'unreadable', message: /9000 bytes long \(at most 8224\)/ },
    },
    {
      name: 'oversized',
      bytes: icbc,
      want: { code: 'too_large', message: /at most 5000 bytes/ },
      opts: { limits: { maxXlsxBytes: 5000 } },
    },
    { name: 'too many rows', bytes: icbc, want: { code: 'too_large', message: /more than 5 rows/ }, opts: { limits: { maxLines: 5 } } },
    { name: 'too many cells', bytes: icbc, want: { code: 'too_large', message: /more than 50 cells/ }, opts: { limits: { maxCells: 50 } } },
    {
      name: 'a workbook with no recognisable header',
      bytes: X.xlsOf([X.label(0, 0, 'hello'), X.label(0, 1, 'world')]),
      fileName: 'x.xls',
      want: { code: 'bad_header', line: 1, message: /no header row/ },
    },
  ]);
  it('a FAT chain that loops', () => {
    const looped = X.cfb([{ name: 'Workbook', data: bigWorkbook }], {
      mutateFat: (fat, starts) => {
        const start = starts.get('Workbook') as number;
        fat[start + 3] = start;
      },
    });
    return refused(looped, 'loop.xls', { code: 'unreadable', message: /chain of stream Workbook loops back to sector 0/ });
  });
  it('a FAT chain that points outside the file', () => {
    const out = X.cfb([{ name: 'Workbook', data: bigWorkbook }], { mutateFat: (fat) => void (fat[2] = 70_000) });
    return refused(out, 'out.xls', { code: 'unreadable', message: /points to sector 70000, outside the file/ });
  });
  it('a stream longer than its chain', () => {
    const short = X.cfb([{ name: 'Workbook', data: bigWorkbook }], { mutateFat: (fat) => void (fat[1] = 0xfffffffe) });
    return refused(short, 'short.xls', { code: 'unreadable', message: /declares \d+ bytes but its chain holds 1024/ });
  });
  it('no EOF after the sheet', () => {
    const wb = X.workbook([], [{ name: 'S', records: [X.label(0, 0, 'x')] }]);
    return refused(X.cfb([{ name: 'Workbook', data: wb.subarray(0, wb.length - 4) }]), 'bad.xls', {
      code: 'truncated',
      message: /sheet S has no EOF record/,
    });
  });
  it('an .xlsx renamed .xls is read by its bytes', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRows([
      ['交易日期', '借方发生额', '贷方发生额', '余额', '交易流水号'],
      ['2024-03-01', null, 88, 188, 'SN1'],
    ]);
    const [s] = await readStatements(Buffer.from(await wb.xlsx.writeBuffer()), { fileName: 'really-xlsx.xls' });
    expect(s).toMatchObject({ format: 'xlsx', lines: [{ amount: '88.00', bank_ref: 'SN1' }] });
  });
  it('a CSV renamed .xls is read as text', async () => {
    const [s] = await readStatements(fixture('cn/ccb.gbk.csv'), { fileName: 'ccb.xls' });
    expect(s).toMatchObject({ format: 'xls', profile: 'ccb' });
  });
  it('a truncated .xlsx renamed .xls gets the zip error', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['x']);
    const x = Buffer.from(await wb.xlsx.writeBuffer());
    await refused(x.subarray(0, 200), 'a.xls', { code: 'unreadable', message: /not a complete zip file/ });
  });
});

// A zip writer small enough to lie: entries are deflated for real, sizes in the headers can be overridden.
interface ZipSpec {
  name: string;
  data: Buffer;
  declaredSize?: number;
}

function zip(entries: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = deflateRawSync(e.data, { level: 9 });
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.data.length;
    // what the local header and the central directory both say, from the method (deflate) on: the CRC,
    // the sizes and the name's length (the time and date between stay zero)
    const describeEntry = (header: Buffer, methodAt: number) => {
      header.writeUInt16LE(8, methodAt);
      header.writeUInt32LE(crc32(e.data), methodAt + 6);
      header.writeUInt32LE(body.length, methodAt + 10);
      header.writeUInt32LE(size, methodAt + 14);
      header.writeUInt16LE(name.length, methodAt + 18);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    describeEntry(local, 8);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    describeEntry(central, 10);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
);

describe('XLSX safety: the zip is checked before exceljs reads it', () => {
  afterEach(() => vi.restoreAllMocks());
  const readerSpy = () => vi.spyOn(ExcelJS.stream.xlsx, 'WorkbookReader');

  it('a zip bomb (64 MiB of zeros in 64 KiB) is refused by ratio before any parsing', async () => {
    const spy = readerSpy();
    const bomb = zip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(64 * 1024 * 1024) },
    ]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = Date.now();
    await refused(bomb, 'bomb.xlsx', { code: 'zip_bomb', message: /sheet1\.xml inflates \d+ → 67108864 bytes, more than 100:1/ });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(spy).not.toHaveBeenCalled();
  });

  it('a directory that understates the size is caught while inflating with a cap', async () => {
    const spy = readerSpy();
    const liar = zip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(4 * 1024 * 1024, 'a'), declaredSize: 40_000 },
    ]);
    await refused(liar, 'liar.xlsx', { code: 'zip_bomb', message: /inflates beyond the 40000 bytes its directory entry declares/ });
    expect(spy).not.toHaveBeenCalled();
  });

  it('a declared total over 200 MiB is refused without inflating anything', async () => {
    // random bytes do not compress, so each entry stays under 100:1 and only the total is too much
    const entries = Array.from({ length: 3 }, (_, i) => ({
      name: `xl/worksheets/sheet${i}.xml`,
      data: randomBytes(1024 * 1024),
      declaredSize: 80 * 1024 * 1024,
    }));
    await refused(zip(entries), 'big.xlsx', { code: 'zip_bomb', message: /would inflate to 251658240 bytes, more than 209715200/ });
  });

  it('a workbook over 20 MiB is refused before its zip is read', async () => {
    const spy = readerSpy();
    const big = Buffer.alloc(20 * 1024 * 1024 + 1);
    big.write('PK\x03\x04', 'latin1');
    await refused(big, 'big.xlsx', { code: 'too_large', message: /at most 20971520 bytes \(20 MiB\)/ });
    expect(spy).not.toHaveBeenCalled();
  });

  it('a truncated workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['交易日期', '金额']);
    const full = Buffer.from(await wb.xlsx.writeBuffer());
    await refused(full.subarray(0, full.length - 200), 'cut.xlsx', {
      code: 'unreadable',
      message: /not a complete zip file|points outside the file|corrupt/,
    });
  });

  it('data hidden between entries (a second local file the directory does not list)', async () => {
    const a = zip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }]);
    const hidden = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>') }]);
    const cdStart = a.readUInt32LE(a.length - 6);
    const cdLen = a.readUInt32LE(a.length - 10);
    const eocd = Buffer.from(a.subarray(a.length - 22));
    const hiddenLocal = hidden.subarray(0, hidden.readUInt32LE(hidden.length - 6));
    eocd.writeUInt32LE(cdStart + hiddenLocal.length, 16);
    const crafted = Buffer.concat([a.subarray(0, cdStart), hiddenLocal, a.subarray(cdStart, cdStart + cdLen), eocd]);
    await refused(crafted, 'hidden.xlsx', { code: 'zip_bomb', message: /data between the last zip entry and the central directory/ });
  });
});

describe('XLSX: each zip entry is inflated once', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the zip check inflates every deflated entry once and exceljs inflates none again', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('明细');
    ws.addRow(['交易日期', '贷方发生额', '借方发生额', '余额', '摘要', '交易流水号']);
    for (let i = 1; i <= 200; i++)
      ws.addRow([`2026-11-${String((i % 28) + 1).padStart(2, '0')}`, '10.00', '', `${10 * i}.00`, `充值${i}`, `SN${i}`]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const deflatedEntries = checkZip(bytes, DEFAULT_LIMITS).filter((e) => e.method === 8);
    const deflated = deflatedEntries.map((e) => e.name);
    expect(deflated.length).toBeGreaterThan(3);
    // the guard's inflater, injected, counting each entry it inflates (known by its content's CRC)
    const nameOf = new Map(deflatedEntries.map((e) => [e.crc32, e.name]));
    const byGuard = new Map<string, number>();
    const inflate: Inflate = (data, options) => {
      const out = inflateRawSync(data, options);
      const name = nameOf.get(crc32(out)) ?? '?';
      byGuard.set(name, (byGuard.get(name) ?? 0) + 1);
      return out;
    };
    // exceljs's own inflating (unzipper calls zlib.createInflateRaw per deflated entry it reads)
    const zlib = createRequire(import.meta.url)('zlib') as typeof import('node:zlib');
    const byReader = vi.spyOn(zlib, 'createInflateRaw');
    const sheets = await readXlsx(bytes, DEFAULT_LIMITS, inflate);
    expect(sheets[0]?.rows).toHaveLength(201);
    expect(sheets[0]?.rows[200]?.cells).toEqual(['2026-11-05', '10.00', '', '2000.00', '充值200', 'SN200']);
    expect(Object.fromEntries(byGuard)).toEqual(Object.fromEntries(deflated.map((n) => [n, 1])));
    expect(byReader).not.toHaveBeenCalled();
  });
});
