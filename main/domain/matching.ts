// Matching bank money to recharge requests, as a pure planner (Odoo-style ordered rules, first match
// wins; ERPNext/Xero-style scored suggestions when no rule matches). Candidates come from hash maps
// (reference code, payer account, amount), never from comparing every pair, so 100,000 lines against
// 100,000 requests is linear. A rule that finds several candidates never matches automatically.

export type AmountCondition = 'exact' | 'upTo' | 'atLeast' | 'any';

export interface MatchRule {
  name: string;
  enabled: boolean;
  /** The request's reference code appears in the line's memo or reference. */
  referenceInMemo?: boolean;
  /** The line's counterparty account is the bank account bound on the request. */
  payerAccount?: boolean;
  /** The line's counterparty name is the payer's name (ignoring spaces and case). */
  payerName?: boolean;
  /** exact (within tolerance), upTo (a part payment), atLeast (an overpayment), or any. */
  amount: AmountCondition;
  /** For exact: a difference up to this many fen, or this many basis points of the request, is accepted. */
  toleranceFen?: number;
  toleranceBp?: number;
  /** The line is booked from the request's day to this many days after it. */
  windowDays: number;
  action: 'match' | 'suggest';
  /**
   * Four eyes: a match under this rule of at least this many fen (0: every one) waits for a second
   * staff user — an automatic match, a confirmed suggestion, or a match or unmatch by hand of a line
   * and request the rule covers. Absent: never.
   */
  fourEyesFromFen?: number;
}

export const DEFAULT_RULES: MatchRule[] = [
  { name: 'reference code + exact amount', enabled: true, referenceInMemo: true, amount: 'exact', windowDays: 30, action: 'match' },
  {
    name: 'bound account + exact amount, within 3 days',
    enabled: true,
    payerAccount: true,
    amount: 'exact',
    windowDays: 3,
    action: 'match',
  },
  {
    name: 'reference code + part or more of the amount',
    enabled: true,
    referenceInMemo: true,
    amount: 'any',
    windowDays: 30,
    action: 'suggest',
  },
  { name: 'amount only', enabled: true, amount: 'exact', windowDays: 7, action: 'suggest' },
];

export interface OpenRequest {
  id: number;
  customerId: number;
  amount: number;
  covered: number;
  referenceCode: string;
  payerAccount: string | null;
  payerName: string | null;
  /** The Shanghai day the request was made, as days since 1970. */
  day: number;
}

export interface OpenLine {
  id: number;
  /** Money in not yet allocated, in fen (> 0). */
  remaining: number;
  day: number;
  counterpartyAccount: string | null;
  counterpartyName: string | null;
  /** Memo and reference together. */
  text: string;
}

export type Decision =
  | {
      kind: 'allocate';
      lineId: number;
      requestId: number;
      amount: number;
      rule: string;
      shortfall: number;
      excess: number;
      /** The rule asks a second person to confirm it: proposed, not allocated, until then. */
      fourEyes?: true;
    }
  | { kind: 'suggest'; lineId: number; requestId: number; amount: number; rule: string; score: number; ambiguous: boolean };

const normName = (s: string | null) => (s ?? '').replace(/\s+/g, '').toLowerCase();
export const normCode = (s: string) => s.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

function tolerance(rule: MatchRule, outstanding: number): number {
  return Math.max(rule.toleranceFen ?? 0, Math.floor((outstanding * (rule.toleranceBp ?? 0)) / 10_000));
}

function amountFits(rule: MatchRule, line: number, outstanding: number): boolean {
  switch (rule.amount) {
    case 'exact':
      return Math.abs(line - outstanding) <= tolerance(rule, outstanding);
    case 'upTo':
      return line <= outstanding;
    case 'atLeast':
      return line >= outstanding;
    case 'any':
      return true;
  }
}

/** The requests a line's text names by reference code: looked up once per line. */
type Codes = ReadonlySet<OpenRequest>;
const NO_CODES: Codes = new Set();

/** A character a reference code is made of, once upper-cased: 0-9, A-Z. */
const isCodeChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/** Mutable working state of one planning run: open requests indexed three ways. */
class Book {
  readonly byCode = new Map<string, OpenRequest[]>();
  readonly byPayer = new Map<string, OpenRequest[]>();
  /**
   * By what each request owes; a request covered in part stays listed under what it owed before too, so
   * a list is read through its amount (owes). What a request owes only falls, so it is never listed
   * twice under one amount, and each list keeps the order the requests came to owe that amount in.
   */
  private readonly byAmount = new Map<number, OpenRequest[]>();
  readonly codeLengths: number[] = [];

  constructor(requests: OpenRequest[]) {
    for (const r of requests) {
      const code = normCode(r.referenceCode);
      if (code) {
        push(this.byCode, code, r);
        if (!this.codeLengths.includes(code.length)) this.codeLengths.push(code.length);
      }
      if (r.payerAccount) push(this.byPayer, r.payerAccount, r);
      this.addAmount(r);
    }
  }

  outstanding(r: OpenRequest): number {
    return r.amount - r.covered;
  }

  private addAmount(r: OpenRequest) {
    const o = this.outstanding(r);
    if (o > 0) push(this.byAmount, o, r);
  }

  /** The requests that owe exactly `amount`, and some that owed it before: check what each owes now. */
  owingOnce(amount: number): readonly OpenRequest[] {
    return this.byAmount.get(amount) ?? [];
  }

  cover(r: OpenRequest, amount: number) {
    r.covered += amount;
    this.addAmount(r);
  }

  /** Requests whose reference code appears in the text (codes are looked up, not searched for). */
  codeCandidates(text: string): Codes {
    let found: Set<OpenRequest> | null = null;
    const upper = text.toUpperCase();
    // each run of code characters (a token), then each code length, then each place in the token
    for (let i = 0; i < upper.length;) {
      if (!isCodeChar(upper.charCodeAt(i))) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < upper.length && isCodeChar(upper.charCodeAt(end))) end++;
      for (const len of this.codeLengths) {
        for (let k = i; k + len <= end; k++) {
          const listed = this.byCode.get(upper.slice(k, k + len));
          if (listed) for (const r of listed) (found ??= new Set()).add(r);
        }
      }
      i = end;
    }
    return found ?? NO_CODES;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function inWindow(rule: MatchRule, line: OpenLine, r: OpenRequest): boolean {
  const d = line.day - r.day;
  return d >= 0 && d <= rule.windowDays;
}

/** The rule's conditions other than the amount: window, payer account and name, reference code. */
function conditionsHold(rule: MatchRule, line: OpenLine, codes: Codes, r: OpenRequest): boolean {
  if (!inWindow(rule, line, r)) return false;
  if (rule.payerAccount && (!r.payerAccount || r.payerAccount !== line.counterpartyAccount)) return false;
  if (rule.payerName && (!r.payerName || normName(r.payerName) !== normName(line.counterpartyName))) return false;
  return !rule.referenceInMemo || codes.has(r);
}

function satisfies(book: Book, rule: MatchRule, line: OpenLine, codes: Codes, r: OpenRequest, withAmount: boolean): boolean {
  if (book.outstanding(r) <= 0) return false;
  if (!conditionsHold(rule, line, codes, r)) return false;
  return !withAmount || amountFits(rule, line.remaining, book.outstanding(r));
}

/**
 * The requests a rule could look at for a line (by code, by payer, or by exact amount) that satisfy it,
 * into `into` (emptied first), in the order the index holds them.
 */
function collectFits(book: Book, rule: MatchRule, line: OpenLine, codes: Codes, withAmount: boolean, into: OpenRequest[]): OpenRequest[] {
  into.length = 0;
  let pool: Iterable<OpenRequest>;
  if (rule.referenceInMemo) pool = codes;
  else if (rule.payerAccount) pool = (line.counterpartyAccount && book.byPayer.get(line.counterpartyAccount)) || [];
  // an amount-only rule with a tolerance needs a code or payer condition to find candidates
  else if (rule.amount === 'exact' && !rule.toleranceFen && !rule.toleranceBp) pool = book.owingOnce(line.remaining);
  else pool = [];
  for (const r of pool) if (satisfies(book, rule, line, codes, r, withAmount)) into.push(r);
  return into;
}

export const needsFourEyes = (rule: MatchRule, amount: number) => rule.fourEyesFromFen !== undefined && amount >= rule.fourEyesFromFen;

/**
 * The rule that asks a second person to confirm a match or unmatch by hand of this amount between
 * this line and request, or null. Staff choose the amount (a split, a part), so the amount condition
 * does not decide which rules cover the pair; of the enabled rules whose other conditions hold, the
 * strictest four-eyes threshold applies — a control is not escaped by the order of the rules.
 */
export function fourEyesRuleFor(rules: MatchRule[], line: OpenLine, request: OpenRequest, amount: number): MatchRule | null {
  const codes = new Book([request]).codeCandidates(line.text);
  let strictest: MatchRule | null = null;
  for (const rule of rules) {
    if (!rule.enabled || !needsFourEyes(rule, amount) || !conditionsHold(rule, line, codes, request)) continue;
    if (!strictest || rule.fourEyesFromFen! < strictest.fourEyesFromFen!) strictest = rule;
  }
  return strictest;
}

function score(book: Book, line: OpenLine, codes: Codes, r: OpenRequest): number {
  let s = 0;
  if (codes.has(r)) s += 50;
  if (r.payerAccount && r.payerAccount === line.counterpartyAccount) s += 25;
  if (line.remaining === book.outstanding(r)) s += 20;
  if (r.payerName && normName(r.payerName) === normName(line.counterpartyName)) s += 10;
  return s - Math.min(Math.abs(line.day - r.day), 10);
}

/** At most this many candidates are suggested for one line. */
const MAX_SUGGESTIONS = 5;

/** How many lines are planned between two of the planner's pauses. */
export const PLAN_STEP = 5000;

/**
 * Plans one reconciliation run. Lines are taken in booking order; for each, the enabled rules in
 * order; the first rule with candidates decides: one candidate → allocate (match) or suggest;
 * several → ambiguous suggestions, never allocated. A payer-account rule with exact amounts also
 * matches one line paying all of that payer's open requests when their sum is exactly the line.
 */
export function planMatches(lines: OpenLine[], requests: OpenRequest[], rules: MatchRule[]): Decision[] {
  const steps = planMatchSteps(lines, requests, rules);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** What one rule decides for one candidate: allocate (match, the request covered from then on) or suggest. */
function decide(
  book: Book,
  out: Decision[],
  rule: MatchRule,
  line: OpenLine,
  codes: Codes,
  r: OpenRequest,
  amount: number,
  ruleName: string,
  ambiguous: boolean,
): void {
  if (rule.action === 'match' && !ambiguous) {
    const o = book.outstanding(r);
    const d: Extract<Decision, { kind: 'allocate' }> = {
      kind: 'allocate',
      lineId: line.id,
      requestId: r.id,
      amount,
      rule: ruleName,
      shortfall: o - amount,
      excess: line.remaining - amount,
    };
    if (needsFourEyes(rule, amount)) d.fourEyes = true;
    out.push(d);
    book.cover(r, amount);
  } else
    out.push({ kind: 'suggest', lineId: line.id, requestId: r.id, amount, rule: rule.name, score: score(book, line, codes, r), ambiguous });
}

/** The first enabled rule with candidates decides for the line; false when none has any. */
function decideByRules(book: Book, rules: MatchRule[], line: OpenLine, codes: Codes, out: Decision[], fits: OpenRequest[]): boolean {
  for (const rule of rules) {
    if (!rule.enabled) continue;
    collectFits(book, rule, line, codes, true, fits);
    if (fits.length === 1) {
      const r = fits[0]!;
      decide(book, out, rule, line, codes, r, Math.min(line.remaining, book.outstanding(r)), rule.name, false);
      return true;
    }
    if (fits.length > 1) {
      // Several candidates: never matched automatically; the best few are suggested.
      const best = fits
        .map((r) => ({ r, s: score(book, line, codes, r) }))
        .sort((a, b) => b.s - a.s || a.r.id - b.r.id)
        .slice(0, MAX_SUGGESTIONS);
      for (const { r } of best) decide(book, out, rule, line, codes, r, Math.min(line.remaining, book.outstanding(r)), rule.name, true);
      return true;
    }
    if (rule.payerAccount && rule.amount === 'exact') {
      // One line paying several requests of the same payer: all of them, summing exactly.
      const group = collectFits(book, rule, line, codes, false, fits);
      let sum = 0;
      for (const r of group) sum += book.outstanding(r);
      if (group.length > 1 && sum === line.remaining && group.every((r) => r.customerId === group[0]!.customerId)) {
        for (const r of group) {
          decide(book, out, rule, line, codes, r, book.outstanding(r), `${rule.name} (several requests)`, false);
          // Each request takes exactly what it needs: nothing is overpaid.
          const last = out[out.length - 1]!;
          if (last.kind === 'allocate') last.excess = 0;
        }
        return true;
      }
    }
  }
  return false;
}

/** No rule decided: scored suggestions from every index, best three. */
function suggestByScore(book: Book, line: OpenLine, codes: Codes, out: Decision[]): void {
  const pool = new Set<OpenRequest>(codes);
  if (line.counterpartyAccount) for (const r of book.byPayer.get(line.counterpartyAccount) ?? []) pool.add(r);
  for (const r of book.owingOnce(line.remaining)) if (book.outstanding(r) === line.remaining) pool.add(r);
  if (pool.size === 0) return;
  const scored = [...pool]
    .filter((r) => book.outstanding(r) > 0 && line.day >= r.day)
    .map((r) => ({ r, s: score(book, line, codes, r) }))
    .filter((x) => x.s >= 20)
    .sort((a, b) => b.s - a.s || a.r.id - b.r.id)
    .slice(0, 3);
  for (const { r, s } of scored)
    out.push({
      kind: 'suggest',
      lineId: line.id,
      requestId: r.id,
      amount: Math.min(line.remaining, book.outstanding(r)),
      rule: 'score',
      score: s,
      ambiguous: scored.length > 1,
    });
}

/**
 * The same plan, pausing after every `PLAN_STEP` lines with how many are planned so far: a job shows
 * its progress and can be cancelled there, not only between passes (at 1M lines a plan takes seconds).
 */
export function* planMatchSteps(lines: OpenLine[], requests: OpenRequest[], rules: MatchRule[]): Generator<number, Decision[], void> {
  const book = new Book(requests.map((r) => ({ ...r })));
  const out: Decision[] = [];
  const fits: OpenRequest[] = [];
  const ordered = [...lines].sort((a, b) => a.day - b.day || a.id - b.id);
  for (let i = 0; i < ordered.length; i++) {
    if (i > 0 && i % PLAN_STEP === 0) yield i;
    const line = ordered[i]!;
    const codes = book.codeCandidates(line.text);
    if (!decideByRules(book, rules, line, codes, out, fits)) suggestByScore(book, line, codes, out);
  }
  return out;
}

/** A request's status from what covers it. */
export function requestStatus(amount: number, covered: number, overpaid: boolean): 'submitted' | 'partly_paid' | 'matched' | 'overpaid' {
  if (covered <= 0) return 'submitted';
  if (covered < amount) return 'partly_paid';
  return overpaid ? 'overpaid' : 'matched';
}
