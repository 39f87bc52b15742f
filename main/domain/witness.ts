// The witness: the audit chain's head (which books, which entry, its hash) written into what leaves
// Coffer — backups, workbooks, the journal, review results — so that any such file, kept elsewhere,
// later proves what the books held when it was made. One line of text, the same in every format.
export interface Witness {
  /** Null for an audit log export, whose last row witnesses the head but not which books. */
  booksId: string | null;
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

/**
 * The head an audit log export ends with: its last row's id and hash (JSON Lines, or the CSV's
 * `…,prev_hash,hash,rows_digest,time_shanghai` line end), or null.
 */
export function auditExportHead(lastLine: string): Witness | null {
  const line = lastLine.trim();
  if (line.startsWith('{')) {
    try {
      const r = JSON.parse(line) as { id?: unknown; hash?: unknown };
      if (Number.isSafeInteger(r.id) && typeof r.hash === 'string' && /^[0-9a-f]{64}$/.test(r.hash))
        return { booksId: null, seq: r.id as number, head: r.hash };
    } catch {
      return null;
    }
    return null;
  }
  const m = /^(\d{1,15}),.*,[0-9a-f]{64},([0-9a-f]{64}),(?:[0-9a-f]{64})?,[^,]*$/.exec(line);
  return m ? { booksId: null, seq: Number(m[1]), head: m[2]! } : null;
}
