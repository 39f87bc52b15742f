// The anchor: the audit chain's head (sequence number and hash) written outside the books file, in
// `<books>.anchor` beside it, before every commit that moves the head, and signed with the books key
// (HMAC-SHA-256) when the key is at hand. The books cannot vouch for themselves: a file rolled back,
// truncated, recomputed or swapped for other books still has a self-consistent chain, but not the head
// its anchor holds. Two steps: before COMMIT the anchor is written `pending` (synced), after COMMIT
// again as done. Only a pending anchor — a crash between the two — lets the books stand at its
// previous head; otherwise the head must be exactly the anchored one, so a rollback by even one
// action shows.
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface AnchorHead {
  seq: number;
  hash: string;
}

export interface Anchor {
  v: 1;
  booksId: string;
  head: AnchorHead;
  /** The head before the write that wrote this anchor. */
  prev: AnchorHead;
  /** Written before the commit and not yet confirmed after it: the books may still be at `prev`. */
  pending: boolean;
  at: number;
  /** HMAC-SHA-256 with the books key over the fields above, or null when the key was not beside the books. */
  mac: string | null;
}

export function anchorPathFor(booksPath: string): string {
  return `${booksPath}.anchor`;
}

/** Books with no file of their own (in memory) have no anchor. */
export function anchorable(booksPath: string): boolean {
  return booksPath !== '' && booksPath !== ':memory:' && !booksPath.startsWith('file::memory:');
}

function macOf(key: Buffer, a: Omit<Anchor, 'mac'>): string {
  const text = JSON.stringify([a.v, a.booksId, a.head.seq, a.head.hash, a.prev.seq, a.prev.hash, a.pending, a.at]);
  return crypto.createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/**
 * Writes the anchor through a temporary file renamed over the old one; synced when `sync` (the pending
 * write must be on disk before the commit; losing the confirming one to a crash only leaves it pending).
 */
export function writeAnchor(booksPath: string, a: Omit<Anchor, 'mac' | 'v'>, key: Buffer | null, sync = true): void {
  const body: Omit<Anchor, 'mac'> = { v: 1, ...a };
  const anchor: Anchor = { ...body, mac: key ? macOf(key, body) : null };
  const file = anchorPathFor(booksPath);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(anchor) + '\n');
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export type AnchorRead = { state: 'ok'; anchor: Anchor } | { state: 'missing' } | { state: 'malformed'; reason: string };

const isHead = (h: unknown): h is AnchorHead =>
  typeof h === 'object' &&
  h !== null &&
  Number.isSafeInteger((h as AnchorHead).seq) &&
  (h as AnchorHead).seq >= 0 &&
  typeof (h as AnchorHead).hash === 'string' &&
  /^[0-9a-f]{64}$/.test((h as AnchorHead).hash);

export function readAnchor(booksPath: string): AnchorRead {
  let text: string;
  try {
    text = fs.readFileSync(anchorPathFor(booksPath), 'utf8');
  } catch {
    return { state: 'missing' };
  }
  if (text.length > 4096) return { state: 'malformed', reason: 'too long' };
  let a: Partial<Anchor>;
  try {
    a = JSON.parse(text) as Partial<Anchor>;
  } catch {
    return { state: 'malformed', reason: 'not JSON' };
  }
  if (
    a.v !== 1 ||
    typeof a.booksId !== 'string' ||
    !isHead(a.head) ||
    !isHead(a.prev) ||
    typeof a.pending !== 'boolean' ||
    typeof a.at !== 'number' ||
    !(a.mac === null || (typeof a.mac === 'string' && /^[0-9a-f]{64}$/.test(a.mac)))
  )
    return { state: 'malformed', reason: 'missing or wrong fields' };
  return { state: 'ok', anchor: a as Anchor };
}

/** Whether the anchor's signature is the books key's. */
export function anchorSignedBy(a: Anchor, key: Buffer): boolean {
  if (a.mac === null) return false;
  const { mac, ...body } = a;
  return crypto.timingSafeEqual(Buffer.from(mac, 'hex'), Buffer.from(macOf(key, body), 'hex'));
}
