// Witnesses (issue 11 §1): what leaves Coffer — a backup, a workbook, the journal, review results —
// carries the audit chain's head, and the books are checked against it later: a rollback or a
// rewritten chain since the file was made is named with the file and the entry.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBooks } from '../../main/db/books';
import { inWriteTx, type AnyBooks } from '../../main/db/tx';
import { witnessLine, type Witness } from '../../main/domain/witness';
import { recordAudit } from '../../main/services/audit';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import { backupBooks } from '../../main/services/backup';
import { exportAudit, exportJournal } from '../../main/services/exports';
import { exportRollForward } from '../../main/services/reports';
import { exportReviewResults } from '../../main/services/review-results';
import { currentWitness, readWitnessFile, witnessFinding } from '../../main/services/witness';
import { ON_POSTGRES, tempDir, testBooks, type TestBooks } from '../support/temp-books';
import { coffer, sha256, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { editOutside, rechainOutside } from '../support/tamper';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let dir: string;
let made: TestBooks;
const files: Record<string, string> = {};
let early: Witness;
let late: Witness;

const mark = (b: AnyBooks, action: string) => inWriteTx(b, async (tx) => recordAudit(tx, SYSTEM_ACTOR, { action, entity: 'books' }));

beforeAll(async () => {
  dir = tempDir('coffer-witness-');
  made = await testBooks(dir, 'books.sqlite');
  const b = made.books;
  await mark(b, 'test.first');
  early = (await currentWitness(b))!;
  files.earlyJournal = path.join(dir, 'early.journal');
  await exportJournal(b, files.earlyJournal, b.path);
  // a backup is a copy of the books file: PostgreSQL books have none
  if (b.engine === 'sqlite') {
    files.backup = path.join(dir, 'early.backup.sqlite');
    await backupBooks(b, files.backup);
  }
  await mark(b, 'test.second');
  late = (await currentWitness(b))!;
  files.journal = path.join(dir, 'late.journal');
  await exportJournal(b, files.journal, b.path);
  files.workbook = path.join(dir, 'late.xlsx');
  await exportRollForward(b, files.workbook, '2026-11');
  files.auditJsonl = path.join(dir, 'late-audit.jsonl');
  await exportAudit(b, files.auditJsonl, 'jsonl');
  files.auditCsv = path.join(dir, 'late-audit.csv');
  await exportAudit(b, files.auditCsv, 'csv');
  files.review = path.join(dir, 'late-review.jsonl');
  await inWriteTx(b, (tx) => exportReviewResults(tx, SYSTEM_ACTOR, files.review!, Date.now()));
  if (b.engine === 'sqlite') await b.close(); // the tests below copy the file
}, 60_000);

afterAll(async () => {
  if (ON_POSTGRES) await made.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Books to change as the tests below do: on SQLite a copy of a closed books file, opened; on
 * PostgreSQL (no file to copy) the books themselves, which the tests change in turn.
 */
async function booksLike(from: string, name: string): Promise<{ books: AnyBooks; close(): Promise<void> }> {
  if (made.books.engine === 'postgres') return { books: made.books, close: async () => {} };
  const copy = path.join(dir, name);
  fs.copyFileSync(from, copy);
  const books = await openBooks(copy);
  return { books, close: () => books.close() };
}

describe('witnesses', () => {
  it('are written into a backup, a workbook, the journal and review results', async () => {
    if (files.backup) expect(await readWitnessFile(files.backup)).toEqual(early);
    expect(await readWitnessFile(files.earlyJournal!)).toEqual(early);
    expect(await readWitnessFile(files.journal!)).toEqual(late);
    expect(await readWitnessFile(files.workbook!)).toEqual(late);
    // The review results end with the witness as of the export, before its own audit entry.
    expect(await readWitnessFile(files.review!)).toEqual(late);
    expect(fs.readFileSync(files.journal!, 'utf8').split('\n').slice(0, 4)).toContain(`; ${witnessLine(late)}`);
    expect(late.seq).toBe(early.seq + 1);
    // The audit log exports end with the head itself (their last row); they do not say which books.
    expect(await readWitnessFile(files.auditJsonl!)).toEqual({ ...late, booksId: null });
    expect(await readWitnessFile(files.auditCsv!)).toEqual({ ...late, booksId: null });
  });

  it('name a chain rewritten since, and other books', async () => {
    const { books: b, close } = await booksLike(made.file ?? '', 'rewritten.sqlite');
    try {
      await rechainOutside(b, late.seq, (r) => ({ ...r, staff_name: 'someone else' }));
      const { hash } = (await b.sql('SELECT hash FROM audit WHERE id = ?').get(late.seq)) as { hash: string };
      expect(await witnessFinding(b, late, 'late.xlsx')).toBe(
        `late.xlsx witnessed audit entry ${late.seq} with hash ${late.head.slice(0, 12)}…, but in the books it hashes to ${hash.slice(0, 12)}…: the chain was rewritten`,
      );
      expect(await witnessFinding(b, { ...late, booksId: 'a'.repeat(32) }, 'x.xlsx')).toMatch(
        /^x\.xlsx witnesses other books \(a{32}\); these are [0-9a-f]{32}$/,
      );
    } finally {
      await close();
    }
  });

  // after the rewrite: on PostgreSQL the tests change the one books in turn
  it('of later files name the rollback when the books go back to the early backup', async () => {
    // PostgreSQL books, with no backup file, lose the entries after it outside Coffer
    const { books: b, close } = await booksLike(files.backup ?? '', 'rolled.sqlite');
    if (b.engine === 'postgres') await editOutside(b, 'audit', 'DELETE FROM audit WHERE id > ?', early.seq);
    try {
      expect(await witnessFinding(b, early, 'early.journal')).toBeNull();
      expect(await witnessFinding(b, late, 'late.journal')).toBe(
        `late.journal witnessed audit entry ${late.seq}, but the books end at entry ${early.seq}: they were rolled back or entries were removed`,
      );
      expect(await witnessFinding(b, await readWitnessFile(files.auditCsv!), 'late-audit.csv')).toMatch(
        /^late-audit\.csv witnessed audit entry/,
      );
    } finally {
      await close();
    }
  });

  it('a file without one is refused with a code', async () => {
    const plain = path.join(dir, 'plain.csv');
    fs.writeFileSync(plain, 'a,b\n1,2\n');
    await expect(readWitnessFile(plain)).rejects.toMatchObject({ code: 'VALIDATION', details: { reason: 'witness_missing' } });
  });

  // the CLI's --db takes the books file here (no CLI bundle in the PostgreSQL pass)
  it.skipIf(ON_POSTGRES)('coffer verify --witness checks each file and exits 1 on a rollback', async () => {
    const rolled = path.join(dir, 'rolled-cli.sqlite');
    fs.copyFileSync(files.backup!, rolled);
    const r = await coffer(['verify', '--db', rolled, '--witness', files.backup!, '--witness', files.journal!]);
    expect(r.stdout).toContain(
      `[witness] late.journal witnessed audit entry ${late.seq}, but the books end at entry ${early.seq}: they were rolled back or entries were removed`,
    );
    expect(r.stdout).not.toContain('early.backup.sqlite witnessed');
    expect(r.code).toBe(1);
    // A file that witnesses nothing is refused with its code, and the books are not changed.
    const plain = path.join(dir, 'plain-cli.csv');
    fs.writeFileSync(plain, 'a,b\n1,2\n');
    const before = sha256(rolled);
    const bad = await coffer(['verify', '--db', rolled, '--witness', plain]);
    expect(bad.stderr).toContain(`coffer verify: VALIDATION: ${plain} carries no Coffer witness`);
    expect(bad.code).toBe(1);
    expect(sha256(rolled)).toBe(before);
  });
});
