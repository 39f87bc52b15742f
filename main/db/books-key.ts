// The books key: 32 random bytes kept OUTSIDE the books file (by default in `<books>.key` beside it,
// owner-only), as 64 hex digits. Whoever holds it may recover the sole admin's password from the CLI;
// the books keep only a check value (in `meta`), so the key file may be moved elsewhere (a USB stick)
// and still be recognised, and a key file for other books is refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Queryable } from './books';
import type { Tx } from './tx';

export const KEY_BYTES = 32;
const META_CHECK = 'books_key_check';

export class BooksKeyError extends Error {}

export function keyPathFor(booksPath: string): string {
  return `${booksPath}.key`;
}

/** Reads a key file: 64 hex digits (surrounding whitespace allowed). */
export function readBooksKey(file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new BooksKeyError(`no key file at ${file}`);
  }
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new BooksKeyError(`${file} is not a books key (64 hex digits)`);
  return Buffer.from(text, 'hex');
}

/** Writes a new random key to `file` (refusing to replace one), readable by its owner only. */
export function createBooksKey(file: string): Buffer {
  const key = crypto.randomBytes(KEY_BYTES);
  fs.writeFileSync(file, key.toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  fs.chmodSync(file, 0o600); // the mode above is masked by the umask
  return key;
}

function checkOf(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('coffer books key check').digest('hex');
}

/** The key check the books hold, or null when no key was ever made for them. */
export function registeredKeyCheck(q: Pick<Queryable, 'sql'>): string | null {
  const row = q.sql('SELECT value FROM meta WHERE key = ?').get(META_CHECK) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Whether `key` is the key these books were given. */
export function isBooksKey(q: Pick<Queryable, 'sql'>, key: Buffer): boolean {
  const check = registeredKeyCheck(q);
  if (!check) return false;
  return crypto.timingSafeEqual(Buffer.from(check, 'hex'), Buffer.from(checkOf(key), 'hex'));
}

/**
 * The books' key beside the file, made on first need: when the books have no key yet, a new one is
 * written to `<books>.key` and its check stored. Returns null when the books have a key that is not
 * beside them (moved away by its owner): a new one is never made over it.
 */
export function ensureBooksKey(tx: Tx, booksPath: string): Buffer | null {
  const file = keyPathFor(booksPath);
  const check = registeredKeyCheck(tx);
  if (check) {
    try {
      const key = readBooksKey(file);
      return isBooksKey(tx, key) ? key : null;
    } catch {
      return null;
    }
  }
  const key = fs.existsSync(file) ? readBooksKey(file) : createBooksKey(file);
  tx.sql('INSERT INTO meta (key, value) VALUES (?, ?)').run(META_CHECK, checkOf(key));
  return key;
}
