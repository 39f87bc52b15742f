// No row casts outside the modules named here (issue 14 §2). Services query through the builder
// (db/query.ts: rows typed by the generated schema); a row cast — `.all(…) as T`, `.get(…) as T`,
// `.iterate(…) as T`, `as unknown as T`, or a cast to a `…Row` type — tells the compiler to trust a
// hand-written row shape that no migration keeps in step. This test scans main/ and fails for a file
// with a cast that is in none of the lists below, naming each file:line. SQL that stays hand-written
// (a streamed scan, sums read as bigint) reads its rows through a mapper of db/row-read.ts, which checks
// each column's type, and so needs no entry here. Every listed file must still have a cast, or it
// must leave its list.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '../../main');

/**
 * Hot paths: raw SQL on prepared statements where the builder's compile per call would cost, with the
 * row shape declared once beside its SQL.
 */
const HOT_PATHS: Record<string, string> = {
  // The one trust of the driver for builder queries: the statement returns the columns the compiled query selects.
  'db/statements-dialect.ts': 'q.db’s execute(): the builder’s row type for the compiled statement’s rows',
  'db/query.ts': 'selectAll/selectFirst of a Compilable: the builder’s row type for the compiled statement’s rows',
  // Posting (createTransfers): accounts and transfers read by id on cached statements in the batch loop.
  'services/ledger-post.ts': 'posting',
  // The seal window of every write transaction: temp tables and the audit head, read before each COMMIT.
  'db/seals.ts': 'sealing each write transaction',
  // The same on PostgreSQL books: the transaction's noted rows, read back by table, and the chain's head.
  'db/postgres/seals.ts': 'sealing each write transaction on PostgreSQL',
  // The revenue run's replay: every recharge-ledger transfer ever posted, read a day at a time as arrays of numbers.
  'services/revenue-replay.ts': 'the revenue run replaying every coin transfer',
  // A setting's value, read wherever a request is priced or matched: checked against its key's schema
  // when it was proposed, and sealed since.
  'services/settings.ts': 'a setting’s value at every price',
};

/**
 * Below the schema: reads of sqlite_schema, PRAGMAs and tables as an older migration left them, or of
 * the raw connection before the books (and their typed builder) exist. schema.generated.ts describes
 * the migrated books, not these.
 */
const BELOW_THE_SCHEMA: Record<string, string> = {
  'db/books.ts': 'probing a file before it is opened as books',
  'db/books-key.ts': 'the meta table read on a connection before the books open',
  'db/tx.ts': 'the transaction handle built from Kysely’s connection (not a row)',
  'db/migrations/v16-seals.ts': 'a migration reads the tables as the previous version left them',
  'db/migrations/v18-payouts.ts': 'a migration reads the tables as the previous version left them',
  'db/migrations/v21-coin-expiry.ts': 'a migration reads sqlite_schema',
  'db/postgres/sqlite-schema.ts': 'PRAGMA table_info / index_list / foreign_key_list and sqlite_schema',
  'db/postgres/tally.ts': 'sums read with safeIntegers (bigint) to tally two copies',
  'db/postgres/copy-back.ts': 'sqlite_schema',
  'db/postgres/books.ts': 'every table copied as raw value arrays (safeIntegers), whatever its columns',
};

/** JSON from a file or a column read as fields of `unknown` (or Partial), each field checked on the next lines. */
const CHECKED_AFTER: Record<string, string> = {
  'db/anchor.ts': 'the anchor file beside the books',
  'domain/witness.ts': 'the last line of an audit export',
  'services/verify.ts': 'a period close’s audit entry, for its last transfer',
};

/** Casts that are not of rows: values from other libraries' loosely typed objects. */
const NOT_ROWS: Record<string, string> = {
  'core/channels.ts': 'process.parentPort, which @types/node does not declare (Electron utility process)',
  'formats/statements/xlsx.ts': 'exceljs streaming worksheet’s name, missing from its types',
  'formats/invoice-workbook.ts': 'a Buffer passed as exceljs’s ArrayBuffer parameter',
};

interface Cast {
  file: string;
  line: number;
  text: string;
}

/** The source with comments blanked (newlines kept, so offsets still give lines). */
function withoutComments(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (m, pre: string) => pre + ' '.repeat(m.length - pre.length));
}

function lineAt(src: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

/** Every row cast in one file's source. */
export function rowCasts(file: string, source: string): Cast[] {
  const src = withoutComments(source);
  const lines = source.split('\n');
  const at = new Set<number>();
  // `.all(…) as`, `.get(…) as`, `.iterate(…) as`, the arguments spanning lines if they do, also as `(await ….get(…)) as`;
  // and `JSON.parse(…) as`, a stored JSON column trusted to hold what the code reads
  for (const m of src.matchAll(/\.(all|get|iterate)\(|\bJSON\.parse\(/g)) {
    let depth = 0;
    let i = m.index + m[0].length - 1;
    for (; i < src.length; i++) {
      if (src[i] === '(') depth++;
      else if (src[i] === ')' && --depth === 0) break;
    }
    const after = /^\s*\)?\s*as\s+(?!const\b)/.exec(src.slice(i + 1, i + 200));
    if (after) at.add(lineAt(src, i + 1 + after[0].length));
  }
  for (const m of src.matchAll(/\bas\s+unknown\s+as\b/g)) at.add(lineAt(src, m.index));
  // `rows as SomeRow[]`: a cast to a row type after the query
  for (const m of src.matchAll(/\bas\s+(?:readonly\s+)?[A-Z]\w*Row\b/g)) at.add(lineAt(src, m.index));
  return [...at].sort((a, b) => a - b).map((line) => ({ file, line, text: lines[line - 1]!.trim() }));
}

function scan(): Map<string, Cast[]> {
  const found = new Map<string, Cast[]>();
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) {
        const file = path.relative(ROOT, p).split(path.sep).join('/');
        const casts = rowCasts(file, fs.readFileSync(p, 'utf8'));
        if (casts.length > 0) found.set(file, casts);
      }
    }
  };
  visit(ROOT);
  return found;
}

const allowed = (file: string) => file in HOT_PATHS || file in BELOW_THE_SCHEMA || file in CHECKED_AFTER || file in NOT_ROWS;

describe('row casts', () => {
  const found = scan();

  it('finds none outside the hot paths, the reads below the schema and the casts of other libraries’ values', () => {
    const offenders = [...found.entries()]
      .filter(([file]) => !allowed(file))
      .flatMap(([, casts]) => casts.map((c) => `main/${c.file}:${c.line}  ${c.text}`));
    expect(offenders, `row casts outside the allowed modules:\n${offenders.join('\n')}`).toEqual([]);
  });

  it('lists only files that still cast', () => {
    const stale = [
      ...Object.keys(HOT_PATHS),
      ...Object.keys(BELOW_THE_SCHEMA),
      ...Object.keys(CHECKED_AFTER),
      ...Object.keys(NOT_ROWS),
    ].filter((f) => !found.has(f));
    expect(stale, `listed but without a row cast (remove them): ${stale.join(', ')}`).toEqual([]);
  });

  it('recognises the casts it is meant to', () => {
    const src = [
      "const a = q.sql('SELECT 1').get() as { n: number };",
      "const a2 = (await q.sql('SELECT 1').get()) as { n: number };",
      'const b = q',
      "  .sql('SELECT 1')",
      '  .all(',
      '    x,',
      '    f(y),',
      '  ) as Foo[];',
      'const c = thing as unknown as Bar;',
      'return list as LineRow[];',
      'for (const r of s.iterate(1) as IterableIterator<X>) {}',
      "const ok = ['a', 'b'] as const;",
      "const fine = selectAll(q, q.db.selectFrom('t').selectAll());",
      'const d = JSON.parse(row.value) as Setting;',
      'const e = storedJson(schema, row.value, "t.value");',
      '// a comment: .get() as T is not code',
    ].join('\n');
    expect(rowCasts('x.ts', src).map((c) => c.line)).toEqual([1, 2, 8, 9, 10, 11, 14]);
  });
});

/**
 * The console takes its types from the contract (issue 14 §2): a screen that casts what a read answers
 * `as unknown as` its own interface has redeclared a row the service already types.
 */
describe('the console’s casts', () => {
  const RENDERER = path.join(__dirname, '../../renderer/src');
  /** The bridge over HTTP builds its per-method functions from the method names at run time: the map is
   * typed as the contract's API once, where it is made, like the Electron preload's. */
  const BRIDGES = new Set(['api/web.ts']);

  it('has no `as unknown as` outside the bridge that builds the typed API', () => {
    const found: string[] = [];
    const visit = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (/\.tsx?$/.test(p)) {
          const file = path.relative(RENDERER, p).split(path.sep).join('/');
          const src = withoutComments(fs.readFileSync(p, 'utf8'));
          for (const m of src.matchAll(/\bas\s+unknown\s+as\b/g))
            if (!BRIDGES.has(file)) found.push(`renderer/src/${file}:${lineAt(src, m.index)}`);
        }
      }
    };
    visit(RENDERER);
    expect(found).toEqual([]);
  });
});
