// Reading the books' witness and checking one found in a file against them (domain/witness.ts). A
// witness the books no longer contain — its entry gone, or there with another hash — means the
// books were rolled back or their chain rewritten after the file was made.
import fs from 'node:fs';
import { excel } from '../formats/excel';
import Sqlite from 'better-sqlite3';
import type { Queryable } from '../db/books';
import { readAuditHead } from '../db/seals';
import { auditExportHead, parseWitness, witnessLine, type Witness } from '../domain/witness';
import { refuse } from '../domain/refusals';
import { text } from '../db/row-read';
import { auditHashAt } from './audit';

type Sql = Pick<Queryable, 'sql'>;

/** The witness of the books as they stand, or null for books kept before migration 16. */
export async function currentWitness(q: Sql): Promise<Witness | null> {
  const row = await q.sql("SELECT value FROM meta WHERE key = 'books_id'").get();
  const booksId = row === undefined ? null : text(row, 'value');
  if (!booksId) return null;
  const head = await readAuditHead(q);
  return { booksId, seq: head.seq, head: head.hash };
}

/** The witness line to write into a file, or null for books kept before migration 16. */
export async function witnessOf(q: Sql): Promise<string | null> {
  const w = await currentWitness(q);
  return w && witnessLine(w);
}

const SQLITE = Buffer.from('SQLite format 3\0', 'latin1');
const ZIP = Buffer.from('PK\x03\x04', 'latin1');
/** Text files carry their witness on the first or the last line: only the ends are read. */
const END_BYTES = 64 * 1024;

function ends(file: string): { head: Buffer; tail: Buffer } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, END_BYTES));
    fs.readSync(fd, head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, END_BYTES));
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    return { head, tail };
  } finally {
    fs.closeSync(fd);
  }
}

/** The witness a backup, workbook, journal or review-results file carries. */
export async function readWitnessFile(file: string): Promise<Witness> {
  let found: Witness | null;
  try {
    const { head, tail } = ends(file);
    if (head.subarray(0, 16).equals(SQLITE)) {
      const db = new Sqlite(file, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare("SELECT value FROM meta WHERE key = 'backup.witness'").get();
        found = row === undefined ? null : parseWitness(text(row, 'value'));
      } finally {
        db.close();
      }
    } else if (head.subarray(0, 4).equals(ZIP)) {
      const wb = new (await excel()).Workbook();
      await wb.xlsx.readFile(file);
      found = parseWitness(wb.description ?? '');
    } else {
      const tailText = tail.toString('utf8');
      found =
        parseWitness(head.toString('utf8')) ?? parseWitness(tailText) ?? auditExportHead(tailText.trimEnd().split(/\r?\n/).at(-1) ?? '');
    }
  } catch (e) {
    throw refuse('VALIDATION', 'witness_unreadable', { file, detail: (e as Error).message.slice(0, 200) }, { field: 'witness' });
  }
  if (!found) throw refuse('VALIDATION', 'witness_missing', { file }, { field: 'witness' });
  return found;
}

/** What is wrong with the books against a witness from `source`, or null when they contain it. */
export async function witnessFinding(q: Sql, w: Witness, source: string): Promise<string | null> {
  const mine = await currentWitness(q);
  if (!mine) return `these books are older than witnesses; ${source} cannot be checked against them`;
  if (w.booksId !== null && mine.booksId !== w.booksId) return `${source} witnesses other books (${w.booksId}); these are ${mine.booksId}`;
  const hash = await auditHashAt(q, w.seq);
  if (hash === undefined)
    return `${source} witnessed audit entry ${w.seq}, but the books end at entry ${mine.seq}: they were rolled back or entries were removed`;
  if (hash !== w.head)
    return `${source} witnessed audit entry ${w.seq} with hash ${w.head.slice(0, 12)}…, but in the books it hashes to ${hash.slice(0, 12)}…: the chain was rewritten`;
  return null;
}
