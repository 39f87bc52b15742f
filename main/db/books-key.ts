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
export function registeredKeyCheck(q: Pick<Queryable, 'prepare'>): string | null {
  const row = q.prepare('SELECT value FROM meta WHERE key = ?').get(META_CHECK) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Whether `key` is the key these books were given. */
export function isBooksKey(q: Pick<Queryable, 'prepare'>, key: Buffer): boolean {
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
  tx.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(META_CHECK, checkOf(key));
  return key;
}

/**
 * Where the console keeps its own copy of each books key: the OS keychain (Electron's safeStorage,
 * registered by main/shell), so the key file may be taken away from the books — a USB stick — and the
 * console still signs the anchor. The CLI has none and uses the key file.
 */
export interface KeyVault {
  load(booksId: string): Buffer | null;
  save(booksId: string, key: Buffer): void;
}

let vault: KeyVault | null = null;

export function setKeyVault(v: KeyVault | null): void {
  vault = v;
}

/** The id these books carry in the anchor and witnesses (migration 16), or null before it. */
export const booksIdOf = (q: Pick<Queryable, 'prepare'>) =>
  (q.prepare("SELECT value FROM meta WHERE key = 'books_id'").get() as { value: string } | undefined)?.value ?? null;

/** The key in the vault for these books, when it is theirs. */
export function vaultKey(q: Pick<Queryable, 'prepare'>): Buffer | null {
  const id = booksIdOf(q);
  const key = vault && id ? vault.load(id) : null;
  return key && isBooksKey(q, key) ? key : null;
}

/**
 * The books key for signing: the key file beside the books (made on first need), else the vault's
 * copy; a key found beside the books is copied into the vault.
 */
export function signingKey(tx: Tx, booksPath: string): Buffer | null {
  let key: Buffer | null = null;
  try {
    key = ensureBooksKey(tx, booksPath);
  } catch {
    // a folder that takes no new file: the vault may still hold the key
  }
  const id = booksIdOf(tx);
  if (!vault || !id) return key;
  if (!key) return vaultKey(tx);
  const kept = vault.load(id);
  if (!kept || !kept.equals(key)) vault.save(id, key);
  return key;
}
