// coffer staff recover: the sole admin's way back in, with the books key (issue 11 §2). It writes
// through the services directly (there is no session to dispatch under: nobody can log in).
import { openBooks } from '../db/books';
import { inWriteTx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { recordAudit } from '../services/audit';
import { BooksKeyError, isBooksKey, readBooksKey } from '../db/books-key';
import { hashPassword } from '../services/passwords';
import { assertPasswordStrength } from '../services/staff';
import { recoverSoleAdmin } from '../services/staff-changes';
import { DB, out, type Command } from './kit';
import { readPassword } from './password';
import { required } from './usage';

export const staffCommands: Command[] = [
  {
    name: 'staff recover',
    summary: "set the sole admin's password with the books key (audited)",
    options: { ...DB, user: { type: 'string' }, 'key-file': { type: 'string' } },
    help: `Usage: coffer staff recover --db FILE --user NAME --key-file KEY  < new password

Sets a new password for NAME, the only active admin of the books FILE, when it is lost or the admin is
locked out. KEY is the books key made beside the books when they were created (FILE.key, readable by
its owner only); a key of other books is refused. The new password is the first line of standard input.
Refused on books with another active admin: that admin proposes a reset and a third confirms it.
The recovery (and a refused attempt) is recorded in the audit trail.`,
    async run(v) {
      required('staff recover', v, 'db', 'user', 'key-file');
      const keyFile = v['key-file'] as string;
      let key: Buffer | null = null;
      try {
        key = readBooksKey(keyFile);
      } catch (e) {
        if (!(e instanceof BooksKeyError)) throw e;
      }
      const password = await readPassword(`New password for ${v.user}: `);
      assertPasswordStrength(password);
      const hash = await hashPassword(password);
      const books = await openBooks(v.db as string);
      try {
        const now = Date.now();
        try {
          await inWriteTx(books, async (tx) =>
            recoverSoleAdmin(tx, v.user as string, key !== null && isBooksKey(tx, key), keyFile, hash, now),
          );
        } catch (e) {
          if (e instanceof CofferError)
            await inWriteTx(books, async (tx) =>
              recordAudit(
                tx,
                { staffId: null, name: 'books key', role: 'system' },
                {
                  action: 'staff.recover_refused',
                  entity: 'staff',
                  entityId: null,
                  after: { user: v.user, reason: e.details?.reason ?? e.code },
                  at: now,
                },
              ),
            );
          throw e;
        }
      } finally {
        await books.close();
      }
      out(`Set a new password for ${String(v.user)}; the recovery is in the audit trail.\n`);
      return 0;
    },
  },
];
