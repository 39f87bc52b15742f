// The witness: the audit chain's head (which books, which entry, its hash) written into what leaves
// Coffer — backups, workbooks, the journal, review results — so that any such file, kept elsewhere,
// later proves what the books held when it was made. One line of text, the same in every format.
export interface Witness {
  booksId: string;
  seq: number;
  head: string;
}

export function witnessLine(w: Witness): string {
  return `coffer-witness books=${w.booksId} seq=${w.seq} head=${w.head}`;
}

const LINE = /coffer-witness books=([0-9a-f]{32}) seq=(\d{1,15}) head=([0-9a-f]{64})/;

/** The witness found anywhere in `text`, or null. */
export function parseWitness(text: string): Witness | null {
  const m = LINE.exec(text);
  return m ? { booksId: m[1]!, seq: Number(m[2]), head: m[3]! } : null;
}
