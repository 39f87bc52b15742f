// The statement import reads CSV/TSV files as a stream: text in pieces (CsvChunks) and whole-file
// checks as running figures (LineTally). Both must give exactly what reading the file whole gives:
// the same rows and line numbers, the same opening, closing and continuity problems, the same
// refusal (a reference used twice, a bad amount) naming the same line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvChunks, parseCsv, type Row } from '../../main/formats/statements/csv';
import {
  OtherOrder,
  ReadAsGb18030,
  SuspectRefs,
  readStatements,
  streamStatements,
  type StatementLine,
} from '../../main/formats/statements';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function chunked(text: string, cuts: number[], maxRows: number): Row[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: Row[] = [];
  const reader = new CsvChunks(maxRows);
  let from = 0;
  for (const c of [...at, text.length]) {
    if (c < from) continue;
    reader.push(text.slice(from, c), c === text.length, (r) => out.push(r));
    from = c;
    if (c === text.length) break;
  }
  return out;
}

const outcome = (f: () => unknown) => {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

describe('statements read as a stream', () => {
  it('cuts the same rows from text in any pieces as from the whole text', () => {
    const piece = fc.constantFrom(',', '"', '""', '\n', '\r', '\r\n', ' ', 'a', '金额', '1,000.00', '\u3000', 'x"y');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        (pieces, cuts, maxRows) => {
          const text = 'a,b,c\n' + pieces.join('');
          expect(outcome(() => chunked(text, cuts, maxRows))).toEqual(outcome(() => parseCsv(text, maxRows)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  const HEADER = '交易日期,交易时间,借方发生额(支出),贷方发生额(收入),余额,对方户名,对方账号,对方开户行,摘要,用途,附言,交易流水号';
  const line = fc.record({
    day: fc.integer({ min: 1, max: 3 }),
    fen: fc.integer({ min: -50_000, max: 50_000 }).filter((v) => v !== 0),
    drift: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, -100),
    ref: fc.constantFrom('', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M'),
    noBalance: fc.constantFrom(false, false, false, false, false, false, false, false, true),
    bad: fc.constantFrom(false, false, false, false, false, false, false, false, false, false, false, true),
  });
  const yuan = (f: number) => `${f < 0 ? '-' : ''}${Math.floor(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`;

  it('reads a statement file as the whole-file reader does: balances either way, references, refusals', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.boolean(), async (ls, newestFirst, gbk) => {
        let balance = 1_000_00;
        const rows = ls.map((l, i) => {
          balance += l.fen + l.drift;
          const ref = l.ref ? `SN${l.ref}` : i % 3 === 0 ? '' : `SN${i}`;
          return [
            `2026-10-0${l.day}`,
            '10:00:00',
            l.fen < 0 ? yuan(-l.fen) : '',
            l.fen < 0 ? '' : l.bad ? '12x' : yuan(l.fen),
            l.noBalance ? '' : yuan(balance),
            '张三',
            '6222000011112222',
            '工行',
            '汇入汇款',
            '充值',
            '附言',
            ref,
          ].join(',');
        });
        if (newestFirst) rows.reverse();
        const text = ['账号：6222 0000 1111 2222', '币种：人民币', HEADER, ...rows, ''].join('\r\n');
        const bytes = gbk ? iconv.encode(text, 'gb18030') : Buffer.from(text);
        const file = path.join(dir, `s${++n}.csv`);
        fs.writeFileSync(file, bytes);
        const streamed: StatementLine[] = [];
        let exact = new Set<string>();
        let gb18030 = false;
        let backwards = false;
        const stream = async () => {
          for (;;) {
            streamed.length = 0;
            try {
              return (
                await streamStatements(
                  file,
                  { fileName: 's.csv', gb18030, pieceBytes: 1 + (n % 97) },
                  { exact, newestFirst: backwards, line: (_g, l) => void streamed.push(l) },
                )
              ).statements;
            } catch (e) {
              if (e instanceof OtherOrder) {
                backwards = !backwards;
                continue;
              }
              if (e instanceof ReadAsGb18030) {
                gb18030 = true;
                continue;
              }
              if (!(e instanceof SuspectRefs)) throw e;
              exact = new Set([...exact, ...e.hashes]);
            }
          }
        };
        const got = await stream().then(
          (ok) => ({ ok }),
          (e: Error) => ({ error: e.message }),
        );
        const want = await readStatements(bytes, { fileName: 's.csv' }).then(
          (ok) => ({ ok }),
          (e: Error) => ({ error: e.message }),
        );
        const strip = (r: { ok?: unknown; error?: string }): unknown =>
          r.error !== undefined ? r : { ok: (r.ok as { lines: unknown[] }[]).map((s) => ({ ...s, lines: [] })) };
        expect(strip(got)).toEqual(strip(want));
        if ('ok' in want) expect(streamed).toEqual(want.ok[0]!.lines);
      }),
      { numRuns: 400 },
    );
  });
});
