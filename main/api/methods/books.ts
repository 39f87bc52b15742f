// The books file: verify, backup now, and restore from a checked backup.
import { z } from 'zod';
import { booksFile, inReadSnapshot, inWriteTx } from '../../db/tx';
import { backupBooks, checkRestoreCandidate, replaceBooksFile } from '../../services/backup';
import { VERIFY_STEPS, verifyBooks } from '../../services/verify';
import { readWitnessFile, witnessFinding } from '../../services/witness';
import path from 'node:path';
import {
  ADMINS,
  READERS,
  chosenFile,
  chosenPath,
  control,
  fileToken,
  job,
  none,
  recordAuditFor,
  scan,
  sha256,
  stamp,
  type MethodDef,
} from '../define';
import { refuse } from '../../domain/refusals';

export const booksMethods = {
  'books.verify': scan({
    input: none,
    roles: READERS,
    run: async ({ q, booksPath, progress }) =>
      verifyBooks(q, (step) => progress(VERIFY_STEPS.indexOf(step), VERIFY_STEPS.length, step), booksPath),
  }),
  /** A backup, workbook, journal or review-results file: do the books still hold the head it witnessed? */
  'books.checkWitness': control({
    input: none,
    roles: READERS,
    run: async (ctx) => {
      const file = await chosenPath(ctx, 'open', 'Check a witness', '', ['sqlite', 'xlsx', 'journal', 'jsonl']);
      const witness = await readWitnessFile(file);
      const finding = await inReadSnapshot(ctx.api.books, (q) => witnessFinding(q, witness, path.basename(file)));
      return { file, witness, finding };
    },
  }),
  'books.backup': job({
    input: none,
    roles: ADMINS,
    run: async (ctx) => {
      const books = booksFile(ctx.books, 'books.backup');
      const target = await chosenPath(ctx, 'save', 'Back up books', `coffer-backup-${stamp(Date.now())}.books.sqlite`, ['sqlite']);
      const r = await backupBooks(books, target, (d, t) => ctx.job.progress(d, t));
      await inWriteTx(ctx.books, async (tx) =>
        recordAuditFor(tx, ctx.actor, 'books.backup', { path: r.path, bytes: r.bytes, lastAuditHash: r.lastAuditHash }),
      );
      return r;
    },
  }),
  'books.checkRestore': control({
    input: none,
    roles: ADMINS,
    run: async (ctx) => {
      booksFile(ctx.api.books, 'books.checkRestore');
      const file = await chosenPath(ctx, 'open', 'Restore books from a backup', '', ['sqlite']);
      // The restore names the checked file by this token: the page never hands Coffer a path.
      return { ...(await checkRestoreCandidate(file)), token: ctx.api.files.remember(ctx.clientId, file) };
    },
  }),
  'books.restore': control({
    input: z.object({ token: fileToken, lastAuditHash: sha256 }).strict(),
    roles: ADMINS,
    run: async (ctx, i) => {
      const { api, actor } = ctx;
      const current = booksFile(api.books, 'books.restore');
      // The file the admin just chose and checked: re-check it and require the same chain end.
      const file = chosenFile(ctx, i.token);
      const check = await checkRestoreCandidate(file);
      if (check.lastAuditHash !== i.lastAuditHash) throw refuse('CONFLICT', 'backup_changed', {}, { field: 'token' });
      const before = `${current.path}.before-restore-${stamp(Date.now())}.bak`;
      await backupBooks(current, before);
      const books = await api.reopenBooks((target) => replaceBooksFile(file, target));
      await inWriteTx(books, async (tx) =>
        recordAuditFor(tx, actor, 'books.restore', {
          from: file,
          restoredLastAuditHash: check.lastAuditHash,
          previousBooksSavedAs: before,
        }),
      );
      await api.sessions.endAll();
      return { restoredFrom: file, previousBooksSavedAs: before, auditRows: check.auditRows };
    },
  }),
} satisfies Record<string, MethodDef>;
