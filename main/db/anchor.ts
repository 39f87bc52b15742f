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

/** The anchor is one fixed-size record written in place: a write within one disk sector lands whole. */
const RECORD = 512;
const open = new Map<string, number>();

function descriptor(file: string): number {
  let fd = open.get(file);
  if (fd !== undefined && fs.fstatSync(fd).nlink === 0) {
    // The file was removed or replaced under us: write the anchor where it is looked for.
    fs.closeSync(fd);
    fd = undefined;
  }
  if (fd === undefined) {
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    fs.ftruncateSync(fd, RECORD);
    open.set(file, fd);
  }
  return fd;
}

/**
 * Writes the anchor over the old one, in place; synced when `sync` (the pending write must be on disk
 * before the commit; losing the confirming one to a crash only leaves it pending).
 */
export function writeAnchor(booksPath: string, a: Omit<Anchor, 'mac' | 'v'>, key: Buffer | null, sync = true): void {
  const body: Omit<Anchor, 'mac'> = { v: 1, ...a };
  const anchor: Anchor = { ...body, mac: key ? macOf(key, body) : null };
  const record = Buffer.alloc(RECORD, ' ');
  const text = Buffer.from(JSON.stringify(anchor) + '\n', 'utf8');
  if (text.length > RECORD) throw new Error('anchor record too long');
  text.copy(record);
  const fd = descriptor(anchorPathFor(booksPath));
  fs.writeSync(fd, record, 0, RECORD, 0);
  if (sync) fs.fdatasyncSync(fd);
}

/** Lets go of the anchor file of books being closed. */
export function closeAnchor(booksPath: string): void {
  const file = anchorPathFor(booksPath);
  const fd = open.get(file);
  if (fd === undefined) return;
  open.delete(file);
  fs.closeSync(fd);
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
  if (text.trim() === '') return { state: 'malformed', reason: 'empty' };
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
