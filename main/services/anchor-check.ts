// verify's check of the anchor beside the books (db/anchor.ts): the books are the ones the anchor was
// written for, the anchor is signed with the books key, and the chain's head is the anchored one — not
// behind it (rolled back, truncated), not past it (entries appended outside Coffer), not a different
// hash at the same place (the chain recomputed).
import fs from 'node:fs';
import type { Queryable } from '../db/books';
import { anchorPathFor, anchorSignedBy, anchorable, readAnchor, type Anchor } from '../db/anchor';
import { booksIdOf, isBooksKey, keyPathFor, readBooksKey, registeredKeyCheck, vaultKey } from '../db/books-key';
import { auditHead } from '../db/seals';
import { text } from '../db/row-read';
import { auditHashAt } from './audit';

export type AnchorProblem =
  | 'anchor_missing'
  | 'anchor_malformed'
  | 'other_books'
  | 'wrong_key'
  | 'unsigned'
  | 'bad_signature'
  | 'behind_anchor'
  | 'past_anchor'
  | 'chain_rewritten';

export interface AnchorFinding {
  message: string;
  details: { problem: AnchorProblem; file: string };
}

export interface AnchorState {
  file: string;
  /** ok: the head is the anchored one; backup: a backup copy, which carries its head inside it. */
  state: 'ok' | 'backup' | 'broken';
  /** The anchored head, when an anchor could be read. */
  seq: number | null;
  head: string | null;
  /** Whether the signature was checked with the books key (false: no key beside the books). */
  signatureChecked: boolean;
}

const short = (h: string) => h.slice(0, 12);

export async function checkAnchor(
  q: Pick<Queryable, 'sql' | 'prepare'>,
  booksPath: string,
): Promise<{ anchor: AnchorState | null; findings: AnchorFinding[] }> {
  if (!anchorable(booksPath)) return { anchor: null, findings: [] };
  const meta = async (key: string) => {
    const r = await q.sql('SELECT value FROM meta WHERE key = ?').get(key);
    return r === undefined ? undefined : text(r, 'value');
  };
  const booksId = booksIdOf(q);
  if (!booksId) return { anchor: null, findings: [] };
  const file = anchorPathFor(booksPath);
  const findings: AnchorFinding[] = [];
  const state: AnchorState = { file, state: 'broken', seq: null, head: null, signatureChecked: false };
  const found = (problem: AnchorProblem, message: string) => findings.push({ message, details: { problem, file } });

  const read = readAnchor(booksPath);
  if (read.state === 'missing') {
    if (await meta('backup.at')) return { anchor: { ...state, state: 'backup' }, findings };
    found(
      'anchor_missing',
      `there is no anchor beside the books (${file}): a rollback or another file put in their place cannot be ruled out`,
    );
    return { anchor: state, findings };
  }
  if (read.state === 'malformed') {
    found('anchor_malformed', `the anchor beside the books (${file}) cannot be read (${read.reason}): it was edited outside Coffer`);
    return { anchor: state, findings };
  }
  const a = read.anchor;
  state.seq = a.head.seq;
  state.head = a.head.hash;
  if (a.booksId !== booksId) {
    found(
      'other_books',
      `the anchor beside the books was written for other books (${a.booksId}); these are ${booksId}: the file was put in their place`,
    );
    return { anchor: state, findings };
  }
  checkSignature(q, booksPath, a, state, found);
  await checkHead(q, a, found);
  if (findings.length === 0) state.state = 'ok';
  return { anchor: state, findings };
}

function checkSignature(
  q: Pick<Queryable, 'sql' | 'prepare'>,
  booksPath: string,
  a: Anchor,
  state: AnchorState,
  found: (p: AnchorProblem, m: string) => void,
): void {
  const keyFile = keyPathFor(booksPath);
  if (!registeredKeyCheck(q)) return;
  if (!fs.existsSync(keyFile)) {
    // The key was taken away from the books: the console's keychain copy still checks the signature.
    const kept = vaultKey(q);
    if (kept) signedWith(a, kept, state, found);
    return; // without it the head is still compared
  }
  let key: Buffer;
  try {
    key = readBooksKey(keyFile);
  } catch {
    found('wrong_key', `the key file beside the books (${keyFile}) is not a books key`);
    return;
  }
  if (!isBooksKey(q, key)) {
    found('wrong_key', `the key file beside the books (${keyFile}) is not these books' key: the books or the key were replaced`);
    return;
  }
  signedWith(a, key, state, found);
}

function signedWith(a: Anchor, key: Buffer, state: AnchorState, found: (p: AnchorProblem, m: string) => void): void {
  state.signatureChecked = true;
  if (a.mac === null)
    found('unsigned', 'the anchor is not signed with the books key (written while the key was away, or by someone without it)');
  else if (!anchorSignedBy(a, key))
    found('bad_signature', 'the anchor’s signature does not match the books key: it was written outside Coffer');
}

async function checkHead(q: Pick<Queryable, 'sql' | 'prepare'>, a: Anchor, found: (p: AnchorProblem, m: string) => void): Promise<void> {
  const head = auditHead(q);
  const same = (h: { seq: number; hash: string }) => h.seq === head.seq && h.hash === head.hash;
  if (same(a.head) || (a.pending && same(a.prev))) return; // pending at prev: the last write stopped before its commit
  const atAnchor = await auditHashAt(q, a.head.seq);
  if (head.seq < a.head.seq) {
    found(
      'behind_anchor',
      `the books end at audit entry ${head.seq} but their anchor holds entry ${a.head.seq}: entries were removed or the file was rolled back to an older copy`,
    );
  } else if (atAnchor !== undefined && atAnchor !== a.head.hash) {
    found(
      'chain_rewritten',
      `audit entry ${a.head.seq} hashes to ${short(atAnchor)}… in the books but to ${short(a.head.hash)}… in the anchor: the chain was rewritten`,
    );
  } else if (head.seq > a.head.seq) {
    const added = head.seq === a.head.seq + 1 ? `audit entry ${head.seq} was` : `audit entries ${a.head.seq + 1} to ${head.seq} were`;
    found('past_anchor', `the books go past their anchor: ${added} added outside Coffer (the anchor holds entry ${a.head.seq})`);
  } else {
    found('chain_rewritten', `audit entry ${head.seq} is not the one the anchor holds: the chain was rewritten`);
  }
}
