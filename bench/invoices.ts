// node --expose-gc --import tsx bench/invoices.ts: exporting invoices as the tax bureau's batch-import workbook (issues 6, 14).
//  Set-up (not measured): books with N blue invoices of 1,000 customers, one 不征税 line each (raw inserts).
//  1. exportInvoiceWorkbook(books, file, {}): the validation pass over every invoice and line, then the
//     workbook streamed sheet by sheet (formats/xlsx-text-writer.ts, every cell '@'), temp file + rename.
//     Time, invoices/s, and the peak RSS sampled every 20 ms during the export.
//  2. Baseline, same run: exceljs's streaming writer on the same cells — the same SELECTs iterated
//     straight into the same five sheets with the same header rows and '@' column styles — without
//     validation, paging or mapping by header.
//  Each runs in a fresh process of its own (as `coffer export invoices` does), so the seeding's heap and
//  page cache are not counted in its RSS.
// Targets (issue 14 §4): ≤ 5 s and ≤ 300 MB at 100,000, and ≥ 0.8 of the baseline's rate.
// Size: BENCH_INVOICES (default 100,000). BENCH_KEEP=1 keeps bench/.data files. `--write-docs` rewrites
// the invoices section of docs/PERFORMANCE.md (default size only).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { openBooks, type Books } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { BUILT_IN, SHEET_NAMES } from '../main/formats/invoice-workbook';
import { formatYuan } from '../main/domain/money';
import { exportInvoiceWorkbook } from '../main/services/invoice-exports';
import { cpuMs, envInt, fmtInt, freshFile, prng, rate, removeFile, seconds } from './lib';
import { KEEP, log, publish, resultsSection } from './harness';

const N = envInt('BENCH_INVOICES', 100_000);
const CUSTOMERS = 1_000;
const NOW = Date.parse('2026-11-25T10:00:00+08:00');
const MB = 1024 * 1024;
const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: '@' };
/** Deflate at level 1, as Coffer's writer. */
const ZIP = { zlib: { level: 1 } };
/** The raw writer's row, with the same shared-style trick Coffer's writer uses (the fastest exceljs allows). */
const textRow = (row: ExcelJS.Row) => {
  row.eachCell((c) => {
    c.style = TEXT_STYLE;
  });
  row.commit();
};

function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** Seeds the books file (not measured). */
async function seed(file: string) {
  const books = await openBooks(file, { create: true });
  const r = prng(7);
  const t0 = performance.now();
  await inWriteTx(books, async (tx) => {
    const cust = tx.sql("INSERT INTO customers (id, kind, name, created_at) VALUES (?, 'company', ?, ?)");
    for (let c = 1; c <= CUSTOMERS; c++) await cust.run(c, `客户${c}有限公司`, NOW);
    const inv = tx.sql(
      `INSERT INTO invoices (id, serial, series, seq, kind, customer_id, invoice_type, buyer_name, taxpayer_id, natural_person, email, remarks, gross, tax, net, product_version, issued_at)
       VALUES (?, ?, 'FP2026', ?, 'blue', ?, 'ordinary', ?, '91350100M000100Y43', 0, ?, ?, ?, 0, ?, 0, ?)`,
    );
    const line = tx.sql(
      `INSERT INTO invoice_lines (invoice_id, line_no, item_name, tax_code, rate_num, rate_den, not_taxable, gross, tax, net)
       VALUES (?, 1, '预付卡销售和充值', '6010000000000000000', 0, 1, 1, ?, 0, ?)`,
    );
    for (let i = 1; i <= N; i++) {
      const c = 1 + r(CUSTOMERS);
      const gross = 100 + r(5_000_000);
      await inv.run(
        i,
        `FP2026${String(i).padStart(6, '0')}`,
        i,
        c,
        `购买方${c}科技有限公司`,
        `fp${c}@example.com`,
        `充值 ${i}`,
        gross,
        gross,
        NOW - r(86_400_000 * 20),
      );
      await line.run(i, gross, gross);
    }
    await tx.sql("INSERT INTO invoice_counters (series, last) VALUES ('FP2026', ?)").run(N);
  });
  log(`seeded ${fmtInt(N)} invoices in ${seconds(performance.now() - t0)}`);
  await books.close();
}

/** The raw streaming writer on the same cells. */
async function rawWriter(books: Books, raw: string) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: raw, useStyles: true, useSharedStrings: false, zip: ZIP });
  const basicsHead = BUILT_IN.sheets['1-发票基本信息'];
  const detailsHead = BUILT_IN.sheets['2-发票明细信息'];
  const head = (ws: ExcelJS.Worksheet, h: typeof basicsHead) => {
    ws.columns = h.rows[2].map((_, i) => ({ key: String(i), width: 16, style: TEXT_STYLE }));
    for (const row of h.rows) textRow(ws.addRow(row));
  };
  const col = (h: string) => basicsHead.rows[2].indexOf(h);
  const ws1 = wb.addWorksheet(SHEET_NAMES[0]);
  head(ws1, basicsHead);
  for (const i of books.raw
    .prepare('SELECT serial, buyer_name, taxpayer_id, email, remarks FROM invoices ORDER BY id')
    .iterate() as IterableIterator<Record<string, string>>) {
    const cells: (string | null)[] = new Array(39).fill(null);
    cells[col('发票流水号')] = i.serial!;
    cells[col('发票类型')] = '普通发票';
    cells[col('是否含税')] = '是';
    cells[col('受票方自然人标识')] = '否';
    cells[col('购买方名称')] = i.buyer_name!;
    cells[col('购买方纳税人识别号')] = i.taxpayer_id!;
    cells[col('备注')] = i.remarks!;
    cells[col('购买方邮箱')] = i.email!;
    textRow(ws1.addRow(cells));
  }
  ws1.commit();
  const ws2 = wb.addWorksheet(SHEET_NAMES[1]);
  head(ws2, detailsHead);
  for (const l of books.raw
    .prepare(
      'SELECT i.serial, l.item_name, l.tax_code, l.gross FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY l.invoice_id, l.line_no',
    )
    .iterate() as IterableIterator<{ serial: string; item_name: string; tax_code: string; gross: number }>) {
    textRow(ws2.addRow([l.serial, l.item_name, l.tax_code, null, null, null, null, formatYuan(l.gross), '不征税', null, '否']));
  }
  ws2.commit();
  for (const name of [SHEET_NAMES[2], SHEET_NAMES[3]] as const) {
    const ws = wb.addWorksheet(name);
    head(ws, BUILT_IN.sheets[name]);
    ws.commit();
  }
  const v = wb.addWorksheet('excelVersion', { state: 'hidden' });
  v.getCell('A4').value = BUILT_IN.version;
  v.getCell('A4').style = TEXT_STYLE;
  v.commit();
  await wb.commit();
}

interface ChildResult {
  ms: number;
  /** CPU time of the process during the export (user + system; the thread pool's deflate included). */
  cpu: number;
  peak: number;
  start: number;
  invoices?: number;
  lines?: number;
  bytes?: number;
}

/**
 * One measured export in a process of its own, as `coffer export invoices` and the console run it: the
 * books opened, then the export timed and its peak RSS sampled every 20 ms (the seeding's heap and page
 * cache are not in it). `start` is the RSS once the books are open (Node, tsx and the modules loaded).
 */
async function child(which: 'ours' | 'raw', file: string, target: string): Promise<void> {
  const books = await openBooks(file, {});
  global.gc?.();
  const start = process.memoryUsage().rss;
  const sampler = peakRss();
  const t = performance.now();
  const c = cpuMs();
  let out: { invoices: number; lines: number; bytes: number } | null = null;
  if (which === 'ours')
    out = await exportInvoiceWorkbook(books.reader, target, {}); // as invoices.export reads
  else await rawWriter(books, target);
  const ms = performance.now() - t;
  const cpu = cpuMs() - c;
  const peak = sampler.stop();
  await books.close();
  const result: ChildResult = { ms, cpu, peak, start, ...(out ? { invoices: out.invoices, lines: out.lines, bytes: out.bytes } : {}) };
  process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
}

const RESULT = 'bench-result ';
function runChild(which: 'ours' | 'raw', file: string, target: string): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', which, file, target],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * MB,
    },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (r.status !== 0 || !line) throw new Error(`the ${which} export failed (exit ${r.status}): ${r.stdout}`);
  return JSON.parse(line.slice(RESULT.length)) as ChildResult;
}

async function main() {
  const started = new Date();
  const file = freshFile('invoices.sqlite');
  await seed(file);
  const target = freshFile('invoices.xlsx');
  const raw = freshFile('invoices-raw.xlsx');
  // 1. Coffer's export.
  const o = runChild('ours', file, target);
  const ours = o.ms;
  const peak = o.peak;
  log(
    `export: ${fmtInt(o.invoices!)} invoices, ${fmtInt(o.lines!)} lines, ${(o.bytes! / MB).toFixed(1)} MiB in ${seconds(ours)}; peak RSS ${(peak / MB).toFixed(0)} MB (${(o.start / MB).toFixed(0)} MB once the books were open)`,
  );
  // 2. The raw streaming writer on the same cells, in a process of its own too.
  const b = runChild('raw', file, raw);
  const base = b.ms;
  const rawPeak = b.peak;
  log(`raw exceljs streaming writer: same cells in ${seconds(base)}; peak RSS ${(rawPeak / MB).toFixed(0)} MB`);

  const ratio = base / ours;
  const rows = [
    [
      `invoices.export: ${fmtInt(N)} blue invoices → batch-import workbook (validate, then stream 5 sheets)`,
      `${seconds(ours)} (${fmtInt(rate(N, ours))} /s; CPU ${seconds(o.cpu)})`,
      `raw exceljs writer ${seconds(base)} (${fmtInt(rate(N, base))} /s; CPU ${seconds(b.cpu)})`,
      ratio.toFixed(2),
      '≤ 5 s and ≥ 0.8 of raw',
      ours <= 5_000 && ratio >= 0.8 ? 'met' : 'MISSED',
    ],
    [
      'peak RSS of the process during the export',
      `${(peak / MB).toFixed(0)} MB (${(o.start / MB).toFixed(0)} MB at the start)`,
      `raw writer ${(rawPeak / MB).toFixed(0)} MB (${(b.start / MB).toFixed(0)} MB at the start)`,
      (peak / rawPeak).toFixed(2),
      '≤ 300 MB',
      peak <= 300 * MB ? 'met' : 'MISSED',
    ],
  ];
  const head = ['measure', 'figure', 'baseline (same run)', 'ratio', 'target', ''];
  publish('invoices', resultsSection(head, rows, `Workbook ${(o.bytes! / MB).toFixed(1)} MiB.`, started), N === 100_000);
  if (!KEEP) {
    removeFile(file);
    fs.rmSync(target, { force: true });
    fs.rmSync(raw, { force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as 'ours' | 'raw', process.argv[4]!, process.argv[5]!);
else await main();
