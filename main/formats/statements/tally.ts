// What the readers check over a whole statement — running balances in either order, a bank
// reference used twice, opening + lines = closing — kept as running figures line by line, so a
// statement read as a stream need not be held: the same results as `runningBalances`,
// `refuseDuplicateRefs` and `checkContinuity` over the array of its lines.
import { refusal, type Refusal } from '../../domain/refusals';
import { DecimalSum, addDecimals, compareDecimals, negateDecimal } from './decimal';
import { checkContinuity } from './continuity';
import { fail, type Balance, type Continuity, type StatementLine } from './types';

/** Two 32-bit string hashes (cyrb53's two lanes, unfolded): 64 bits. */
export function hash64(s: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 | 0, h2 | 0];
}

/** 64-bit keys → a positive number, open addressing over typed arrays: no object per entry. */
export class HashMap64 {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private v = new Float64Array(1024); // 0: empty
  private size = 0;

  /** The value stored under the key, or 0 after storing `value` (> 0) there. */
  getOrSet(k: [number, number], value: number): number {
    if ((this.size + 1) * 2 > this.v.length) this.grow();
    const mask = this.v.length - 1;
    for (let i = (k[0] ^ Math.imul(k[1], 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const at = this.v[i] as number;
      if (at === 0) {
        this.a[i] = k[0];
        this.b[i] = k[1];
        this.v[i] = value;
        this.size++;
        return 0;
      }
      if (this.a[i] === k[0] && this.b[i] === k[1]) return at;
    }
  }

  private grow(): void {
    const [a, b, v] = [this.a, this.b, this.v];
    this.a = new Int32Array(a.length * 2);
    this.b = new Int32Array(a.length * 2);
    this.v = new Float64Array(a.length * 2);
    this.size = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) this.getOrSet([a[i] as number, b[i] as number], v[i] as number);
  }
}

/** The statement runs the other way than guessed: read it again with `newestFirst` the other way. */
export class OtherOrder extends Error {
  constructor() {
    super('read the statement again in the other order');
  }
}

const CENTS = /^-?\d{1,13}\.\d\d$/;
const cents = (d: string): number | null => (CENTS.test(d) ? Number(d.replace('.', '')) : null);

function brk(cur: StatementLine, prev: StatementLine): Refusal {
  const expected = addDecimals(prev.balance_after as string, cur.amount);
  return refusal('continuity_running_balance', {
    line: String(cur.line),
    balance: cur.balance_after as string,
    previous: prev.balance_after as string,
    amount: `${cur.amount.startsWith('-') ? '' : '+'}${cur.amount}`,
    expected,
  });
}

function breaks(cur: StatementLine, prev: StatementLine): boolean {
  const p = cents(prev.balance_after as string);
  const a = cents(cur.amount);
  const c = cents(cur.balance_after as string);
  if (p !== null && a !== null && c !== null) return p + a !== c;
  return compareDecimals(addDecimals(prev.balance_after as string, cur.amount), cur.balance_after as string) !== 0;
}

/**
 * One statement's lines, tallied in file order. A bank reference is kept as its 64-bit hash with the
 * line it was first seen on; two references with one hash are a *suspect*: the caller reads the file
 * again with those hashes in `exact`, whose references are then compared as text.
 */
export class LineTally {
  count = 0;
  private first: StatementLine | null = null;
  private prev: StatementLine | null = null;
  private allBalances = true;
  private readonly fwd: Refusal[] = [];
  private readonly rev: Refusal[] = [];
  private fwdBreaks = 0;
  private revBreaks = 0;
  private centsSum = 0;
  private slowSum: DecimalSum | null = null;
  private readonly refs = new HashMap64();
  private readonly exactRefs = new Map<string, number>();
  /** hashes of references met twice: to read again with them in `exact` */
  readonly suspects: [number, number][] = [];
  private duplicate: { ref: string; first: number; line: number | null } | null = null;

  /**
   * Only the problems of the order guessed (`newestFirst`) are kept: the other order's are counted
   * (a file read oldest-first breaks on every line read backwards, a million kept refusals at 1M lines).
   * A guess that the file disproves throws `OtherOrder`: read it again the other way.
   */
  constructor(
    private readonly exact: ReadonlySet<string> = new Set(),
    private readonly newestFirst = false,
  ) {}

  add(l: StatementLine): void {
    this.count++;
    this.first ??= l;
    if (this.slowSum) this.slowSum.add(l.amount);
    else {
      const c = cents(l.amount);
      if (c === null) {
        this.slowSum = new DecimalSum();
        if (this.count > 1) this.slowSum.add(centsText(this.centsSum));
        this.slowSum.add(l.amount);
      } else this.centsSum += c;
    }
    if (l.bank_ref !== null) this.ref(l.bank_ref, l.line ?? null);
    if (!l.balance_after) this.allBalances = false;
    const p = this.prev;
    if (p && this.allBalances) {
      if (breaks(l, p)) {
        this.fwdBreaks++;
        if (!this.newestFirst) this.fwd.push(brk(l, p));
      }
      if (breaks(p, l)) {
        this.revBreaks++;
        if (this.newestFirst) this.rev.push(brk(p, l));
      }
    }
    this.prev = l;
  }

  private ref(ref: string, line: number | null): void {
    const h = hash64(ref);
    const key = `${h[0]}:${h[1]}`;
    if (this.exact.has(key)) {
      const first = this.exactRefs.get(ref);
      if (first !== undefined) this.duplicate ??= { ref, first, line };
      else this.exactRefs.set(ref, line ?? 0);
      return;
    }
    if (this.refs.getOrSet(h, (line ?? 0) + 1) !== 0) this.suspects.push(h);
  }

  /** a reference met twice (or a hash met twice): whatever follows is refused or read again, so nothing more should be written */
  get repeated(): boolean {
    return this.duplicate !== null || this.suspects.length > 0;
  }

  /** `refuseDuplicateRefs`: the first reference used twice (once the suspects were read exactly). */
  refuseDuplicates(field: string): void {
    const d = this.duplicate;
    if (d) fail('duplicate', 'stmt_ref_twice', { ref: d.ref, first: String(d.first || '?') }, d.line, field);
  }

  /** The amounts' Σ, as `sumDecimals` writes it. */
  sum(): string {
    return this.slowSum ? this.slowSum.toString() : centsText(this.centsSum);
  }

  /** `runningBalances` then `checkContinuity`, from the figures kept. */
  result(): { opening: Balance | null; closing: Balance | null; continuity: Continuity } {
    const first = this.first;
    const last = this.prev;
    if (!first || !last || !this.allBalances) return { opening: null, closing: null, continuity: checkContinuity(null, null, [], []) };
    const newestFirst = first.booked > last.booked || (first.booked === last.booked && this.revBreaks < this.fwdBreaks);
    if (newestFirst !== this.newestFirst) throw new OtherOrder();
    const [head, tail, problems] = newestFirst ? [last, first, [...this.rev].reverse()] : [first, last, this.fwd];
    const opening = { date: head.booked, amount: addDecimals(head.balance_after as string, negateDecimal(head.amount)) };
    const closing = { date: tail.booked, amount: tail.balance_after as string };
    const expected = addDecimals(opening.amount, this.sum());
    const out = [...problems];
    if (compareDecimals(expected, closing.amount) !== 0)
      out.push(refusal('continuity_sum', { opening: opening.amount, lines: this.sum(), expected, closing: closing.amount }));
    return { opening, closing, continuity: { ok: out.length === 0, checked: true, expected_closing: expected, problems: out } };
  }
}

function centsText(c: number): string {
  const neg = c < 0;
  const s = String(Math.abs(c)).padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}
