// Backups through SQLite's online backup API, checked after copying; restore only from a file that
// passes the same checks, after backing up the books it replaces.
import { witnessOf } from './witness';
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import { inspectBooksFile, statementsOf, type Books } from '../db/books';
import { BooksFileError } from '../db/errors';
import { latestAuditHash, verifyAuditChain } from './audit';
import { refuse } from '../domain/refusals';
import { text } from '../db/row-read';
import { atomicWrite } from '../formats/file-out';

export interface BackupResult {
  path: string;
  bytes: number;
  lastAuditHash: string;
  integrity: 'ok';
}

/** Copies the live books to `dest` (written beside it, then renamed), then checks the copy. */
export async function backupBooks(books: Books, dest: string, onProgress?: (done: number, total: number) => void): Promise<BackupResult> {
  const lastAuditHash = latestAuditHash(books);
  const witness = await witnessOf(books);
  const written = await atomicWrite(dest, async (tmp) => {
    await books.raw.backup(tmp, {
      progress({ totalPages, remainingPages }) {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 2000;
      },
    });
    const copy = new Sqlite(tmp);
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw refuse('BOOKS', 'backup_integrity', { detail: String(check) });
      const upsert = copy.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      upsert.run('backup.of', books.path);
      upsert.run('backup.at', String(Date.now()));
      upsert.run('backup.last_audit_hash', lastAuditHash);
      if (witness) upsert.run('backup.witness', witness);
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
  });
  return { ...written, lastAuditHash, integrity: 'ok' };
}

export interface RestoreCheck {
  path: string;
  schemaVersion: number;
  auditRows: number;
  lastAuditHash: string;
  backupOf: string | null;
  backupAt: number | null;
}

/** Checks a file before it may replace the books: ours, not newer, intact, audit chain whole. */
export async function checkRestoreCandidate(file: string): Promise<RestoreCheck> {
  let version: number;
  try {
    const inspection = inspectBooksFile(file, { deep: true });
    if (inspection.empty) throw refuse('BOOKS', 'backup_empty', { file }, { path: file });
    version = inspection.version;
  } catch (e) {
    if (e instanceof BooksFileError) throw refuse('BOOKS', `books_file_${e.problem}`, { path: file }, { path: file, problem: e.problem });
    throw e;
  }
  const probe = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = probe.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw refuse('BOOKS', 'backup_file_integrity', { file, detail: String(integrity) }, { path: file });
    const chain = await verifyAuditChain(statementsOf(probe));
    if (chain.findings.length) {
      throw refuse(
        'BOOKS',
        'backup_chain_broken',
        { file, detail: chain.findings[0]!.message },
        { path: file, findings: chain.findings.length },
      );
    }
    const meta = new Map(
      probe
        .prepare('SELECT key, value FROM meta')
        .all()
        .map((r) => [text(r, 'key'), text(r, 'value')]),
    );
    return {
      path: file,
      schemaVersion: version,
      auditRows: chain.rows,
      lastAuditHash: chain.lastHash,
      backupOf: meta.get('backup.of') ?? null,
      backupAt: meta.has('backup.at') ? Number(meta.get('backup.at')) : null,
    };
  } finally {
    probe.close();
  }
}

/** Copies a checked backup over the (closed) books path, removing the old WAL files. */
export async function replaceBooksFile(source: string, target: string): Promise<void> {
  await atomicWrite(
    target,
    async (tmp) => {
      const src = new Sqlite(source, { readonly: true, fileMustExist: true });
      try {
        await src.backup(tmp);
      } finally {
        src.close();
      }
      for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
    },
    `${target}.restoring-${process.pid}`,
  );
}
