// A deliberately naive in-memory ledger: the specification the real one is compared against.
// It shares no code with main/services or main/domain/transfer-rules.
export interface MAccount {
  id: number;
  ledger: number;
  flags: number;
  dpe: number;
  dpo: number;
  cpe: number;
  cpo: number;
}
export interface MTransfer {
  id: number;
  key: string;
  ledger: number;
  dr: number;
  cr: number;
  amount: number;
  kind: 'single' | 'pending' | 'post' | 'void';
  pendingId: number | null;
  reversesId: number | null;
  code: string;
  /** Business date, YYYY-MM-DD. */
  date: string;
}
export type MInput =
  | {
      key: string;
      kind: 'single' | 'pending';
      ledger: number;
      dr: number;
      cr: number;
      amount: number;
      code: string;
      linked: boolean;
      reversesId?: number;
      date: string;
    }
  | { key: string; kind: 'post' | 'void'; pendingId: number; amount?: number; code: string; linked: boolean; date: string };

/** The first day of the first open month on or after a date's month (for late platform events). */
export function modelFirstOpenDay(date: string, closed: ReadonlySet<string>): string {
  let [y, m] = date.split('-').map(Number) as [number, number];
  const month = () => `${y}-${String(m).padStart(2, '0')}`;
  if (!closed.has(month())) return date;
  while (closed.has(month())) [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  return `${month()}-01`;
}

const MAX = Number.MAX_SAFE_INTEGER;
type MPost = Extract<MInput, { kind: 'single' | 'pending' }>;
type MResolve = Extract<MInput, { kind: 'post' | 'void' }>;
export const isResolve = (t: MInput): t is MResolve => t.kind === 'post' || t.kind === 'void';

export class LedgerModel {
  accounts = new Map<number, MAccount>();
  transfers: MTransfer[] = [];
  /** Months that take no posting. */
  closed = new Set<string>();
  /** For platform events: a date in a closed month moves to the first open day. */
  late = false;
  /** Manual vouchers posted. */
  vouchers = 0;
  private nextId = 1;

  clone(): LedgerModel {
    const m = new LedgerModel();
    for (const [id, a] of this.accounts) m.accounts.set(id, { ...a });
    m.transfers = [...this.transfers];
    m.nextId = this.nextId;
    m.closed = new Set(this.closed);
    m.late = this.late;
    return m;
  }

  /** The date a transfer posts on, or null when its month is closed. */
  private dateFor(t: MInput): string | null {
    const date = this.late ? modelFirstOpenDay(t.date, this.closed) : t.date;
    return this.closed.has(date.slice(0, 7)) ? null : date;
  }

  private byKey(key: string) {
    return this.transfers.find((t) => t.key === key);
  }

  private one(t: MInput): { code: string; id?: number } {
    if (t.key === '') return { code: 'key_must_not_be_empty' };
    const ex = this.byKey(t.key);
    if (!isResolve(t)) return this.post(t, ex);
    {
      if (ex) {
        if (ex.kind !== t.kind) return { code: 'exists_with_different_kind', id: ex.id };
        if (ex.pendingId !== t.pendingId) return { code: 'exists_with_different_pending_id', id: ex.id };
        if (t.amount !== undefined && ex.amount !== t.amount) return { code: 'exists_with_different_amount', id: ex.id };
        if (ex.code !== t.code) return { code: 'exists_with_different_code', id: ex.id };
        return { code: 'exists', id: ex.id };
      }
      const p = this.transfers.find((x) => x.id === t.pendingId);
      if (!p) return { code: 'pending_transfer_not_found' };
      if (p.kind !== 'pending') return { code: 'pending_transfer_not_pending' };
      const res = this.transfers.find((x) => x.pendingId === p.id);
      if (res) return { code: res.kind === 'post' ? 'pending_transfer_already_posted' : 'pending_transfer_already_voided' };
      const amount = t.amount ?? p.amount;
      if (amount === 0) return { code: 'amount_must_not_be_zero' };
      const date = this.dateFor(t);
      if (date === null) return { code: 'period_closed' };
      if (t.kind === 'post' && amount > p.amount) return { code: 'exceeds_pending_transfer_amount' };
      if (t.kind === 'void' && amount !== p.amount) return { code: 'pending_transfer_has_different_amount' };
      const d = this.accounts.get(p.dr)!;
      const c = this.accounts.get(p.cr)!;
      d.dpe -= p.amount;
      c.cpe -= p.amount;
      if (t.kind === 'post') {
        d.dpo += amount;
        c.cpo += amount;
      }
      return this.add({
        key: t.key,
        ledger: p.ledger,
        dr: p.dr,
        cr: p.cr,
        amount,
        kind: t.kind,
        pendingId: p.id,
        reversesId: null,
        code: t.code,
        date,
      });
    }
  }

  private post(t: MPost, ex: MTransfer | undefined): { code: string; id?: number } {
    if (ex) {
      if (ex.kind !== t.kind) return { code: 'exists_with_different_kind', id: ex.id };
      if (ex.pendingId !== null) return { code: 'exists_with_different_pending_id', id: ex.id };
      if (ex.ledger !== t.ledger) return { code: 'exists_with_different_ledger', id: ex.id };
      if (ex.dr !== t.dr) return { code: 'exists_with_different_debit_account_id', id: ex.id };
      if (ex.cr !== t.cr) return { code: 'exists_with_different_credit_account_id', id: ex.id };
      if (ex.amount !== t.amount) return { code: 'exists_with_different_amount', id: ex.id };
      if (ex.reversesId !== (t.reversesId ?? null)) return { code: 'exists_with_different_reverses_id', id: ex.id };
      if (ex.code !== t.code) return { code: 'exists_with_different_code', id: ex.id };
      return { code: 'exists', id: ex.id };
    }
    if (t.amount === 0) return { code: 'amount_must_not_be_zero' };
    if (t.dr === t.cr) return { code: 'accounts_must_be_different' };
    const d = this.accounts.get(t.dr);
    if (!d) return { code: 'debit_account_not_found' };
    const c = this.accounts.get(t.cr);
    if (!c) return { code: 'credit_account_not_found' };
    if (t.reversesId !== undefined) {
      if (!this.transfers.some((x) => x.id === t.reversesId)) return { code: 'transfer_not_found' };
      if (this.transfers.some((x) => x.reversesId === t.reversesId)) return { code: 'transfer_already_reversed' };
    }
    const date = this.dateFor(t);
    if (date === null) return { code: 'period_closed' };
    if (d.ledger !== c.ledger) return { code: 'accounts_must_have_the_same_ledger' };
    if (t.ledger !== d.ledger) return { code: 'transfer_must_have_the_same_ledger_as_accounts' };
    if (d.dpe + d.dpo + t.amount > MAX) return { code: 'overflows_debits' };
    if (c.cpe + c.cpo + t.amount > MAX) return { code: 'overflows_credits' };
    if (d.flags & 1 && d.dpe + d.dpo + t.amount > d.cpo) return { code: 'exceeds_credits' };
    if (c.flags & 2 && c.cpe + c.cpo + t.amount > c.dpo) return { code: 'exceeds_debits' };
    if (t.kind === 'single') {
      d.dpo += t.amount;
      c.cpo += t.amount;
    } else {
      d.dpe += t.amount;
      c.cpe += t.amount;
    }
    return this.add({
      key: t.key,
      ledger: t.ledger,
      dr: t.dr,
      cr: t.cr,
      amount: t.amount,
      kind: t.kind,
      pendingId: null,
      reversesId: t.reversesId ?? null,
      code: t.code,
      date,
    });
  }

  /** Transfers a manual voucher posted: the model applied the voucher's lines itself; this takes their ids. */
  adopt(t: MTransfer): void {
    this.transfers.push(t);
    this.nextId = t.id + 1;
  }

  get next(): number {
    return this.nextId;
  }

  /**
   * The ids the books gave the batch's new transfers in place of the model's own: PostgreSQL draws
   * them from a sequence, which skips what rolled-back batches and failed chains drew. The order of
   * ids is still checked, by the business dates listed by id after every step.
   */
  takeDrawnIds(results: { code: string; id?: number }[], drawn: readonly (number | undefined)[]): void {
    const renamed = new Map<number, number>();
    results.forEach((r, i) => {
      const id = drawn[i];
      if (r.code !== 'ok' || r.id === undefined || id === undefined) return;
      renamed.set(r.id, id);
      r.id = id;
      this.nextId = id + 1;
    });
    const named = (id: number | null) => (id === null ? null : (renamed.get(id) ?? id));
    this.transfers = this.transfers.map((t) =>
      renamed.has(t.id) ? { ...t, id: renamed.get(t.id)!, pendingId: named(t.pendingId), reversesId: named(t.reversesId) } : t,
    );
  }

  private add(t: Omit<MTransfer, 'id'>): { code: string; id: number } {
    const id = this.nextId++;
    this.transfers.push({ ...t, id });
    return { code: 'ok', id };
  }

  /** A batch, with linked chains applied all-or-nothing. */
  batch(inputs: MInput[]): { code: string; id?: number }[] {
    const out: { code: string; id?: number }[] = [];
    let i = 0;
    while (i < inputs.length) {
      let end = i;
      while (inputs[end]!.linked && end < inputs.length - 1) end++;
      const chain = inputs.slice(i, end + 1);
      const isChain = chain.length > 1 || chain[0]!.linked;
      if (!isChain) {
        out.push(this.one(chain[0]!));
      } else {
        const saved = this.clone();
        const rs: { code: string; id?: number }[] = [];
        let failed = false;
        chain.forEach((t, j) => {
          if (failed) rs.push({ code: 'linked_event_failed' });
          else if (j === chain.length - 1 && t.linked) {
            rs.push({ code: 'linked_event_chain_open' });
            failed = true;
          } else {
            const r = this.one(t);
            rs.push(r);
            if (r.code !== 'ok' && r.code !== 'exists') failed = true;
          }
        });
        if (failed) {
          this.accounts = saved.accounts;
          this.transfers = saved.transfers;
          this.nextId = saved.nextId;
          this.closed = saved.closed;
          for (const r of rs) {
            if (r.code === 'ok' || r.code === 'exists') {
              r.code = 'linked_event_failed';
              delete r.id;
            }
          }
        }
        out.push(...rs);
      }
      i = end + 1;
    }
    return out;
  }
}
