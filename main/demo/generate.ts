// The platform's events for demo books, generated deterministically from a seed: the same seed and the
// same time window give the same file, byte for byte. Each customer lives a small life in the window —
// registers, opens 1–4 accounts from an address (IP, sometimes also a MAC), binds bank cards, logs in
// (mostly from the registered address, sometimes from another one, which strict device policy blocks),
// earns coins, spends them, and moves them among linked accounts (some transfers above the approval
// threshold, held for an approver). A few requests are wrong on purpose — a spend in a blocked session,
// a transfer to an account outside the link group, a spend beyond the balance — so the books show
// refusals with their reasons. The generator keeps each wallet's balance as the importer will see it,
// and says how many of each outcome to expect.
import fs from 'node:fs';
import type { EventType } from '../formats/event-types';
import {
  AREA_CODES,
  BANKS,
  CITIES,
  COMPANY_ACCOUNT_NAMES,
  COMPANY_KINDS,
  COMPANY_WORDS,
  EARNING_NOTES,
  EMAIL_DOMAINS,
  GIVEN_NAMES,
  IPV6_PREFIXES,
  IP_FIRST_OCTETS,
  MOBILE_PREFIXES,
  PERSON_ACCOUNT_NAMES,
  SPEND_NOTES,
  SURNAMES,
} from './names';

/** A small, fast PRNG (mulberry32): floats in [0, 1), the same sequence for the same seed. */
export class Random {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

export interface DemoEvent {
  id: string;
  type: EventType;
  at: number;
  data: Record<string, unknown>;
}

export interface DemoEventOptions {
  customers: number;
  seed: number;
  /** The window the customers' lives fall in (ms since the epoch). */
  start: number;
  end: number;
  /** The transfer approval threshold in force (coins); the default setting is 10,000. */
  threshold?: number;
  /** Event ids are `${idPrefix}000001` …; default `demo-${seed}-`. */
  idPrefix?: string;
  /** Number of the first customer (ids C100001 … for 0), to make several files of distinct customers. */
  firstCustomer?: number;
}

/** What importing the events into fresh books (strict device policy) must give. */
export interface DemoExpectation {
  customers: number;
  accounts: number;
  unlinkedAccounts: number;
  bankBindings: number;
  logins: number;
  blockedLogins: number;
  heldTransfers: number;
  postedTransfers: number;
  earnings: number;
  spends: number;
  /** Coin movements refused with a reason (blocked session, outside the link group, not enough coins). */
  refusedMovements: number;
}

/** A recharge request the generator put in the file, for the demo's bank statement to pay (or not). */
export interface DemoRecharge {
  account: string;
  card: string;
  holder: string;
  /** fen */
  amount: number;
  code: string;
  at: number;
  /** A corporate recharge above the dual-approval amount (paid exactly, approved by two approvers). */
  large?: boolean;
}

export interface DemoEvents {
  events: DemoEvent[];
  expected: DemoExpectation;
  recharges: DemoRecharge[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** An ISO time in Beijing time with its offset, as the platform writes it: 2026-11-20T09:00:00+08:00. */
export function beijingIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + 8 * HOUR).toISOString().slice(0, 19) + '+08:00';
}

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const ID_AREAS = ['110101', '310101', '330102', '440305', '510104', '420102', '320102', '610113', '500103', '430102', '350203', '370202'];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A made-up resident ID number with a correct check character (GB 11643). */
function residentId(r: Random): string {
  const y = r.between(1968, 2004);
  const m = r.between(1, 12);
  const d = r.between(1, 28);
  const body = `${r.pick(ID_AREAS)}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${r.digits(3)}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * ID_WEIGHTS[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

function bankCard(r: Random): { bank: string; number: string } {
  const b = r.pick(BANKS);
  const body = b.bin + r.digits(b.length - b.bin.length - 1);
  const number = body + luhnDigit(body);
  return { bank: b.name, number };
}

function ipv4(r: Random): string {
  return `${r.pick(IP_FIRST_OCTETS)}.${r.between(1, 254)}.${r.between(0, 255)}.${r.between(1, 254)}`;
}

interface Address {
  /** As registered, and as the login gives it (another notation of the same address, normalised alike). */
  ip: string;
  ipAtLogin: string;
  mac: string | null;
  macAtLogin: string | null;
}

function address(r: Random, shareIp: Address | null): Address {
  let ip: string;
  let ipAtLogin: string;
  if (shareIp) {
    ip = shareIp.ip;
    ipAtLogin = shareIp.ipAtLogin;
  } else if (r.chance(0.08)) {
    const groups = [
      r.pick(IPV6_PREFIXES),
      r.int(0x10000).toString(16),
      r.int(0x10000).toString(16),
      r.int(0x100).toString(16),
      '0',
      '0',
      '0',
      (1 + r.int(0xfff)).toString(16),
    ];
    ip = groups.map((g) => g.padStart(4, '0')).join(':');
    ipAtLogin = `${groups.slice(0, 4).join(':')}::${groups[7]}`;
  } else {
    ip = ipv4(r);
    ipAtLogin = r.chance(0.1) ? `::ffff:${ip}` : ip;
  }
  let mac: string | null = null;
  let macAtLogin: string | null = null;
  if (r.chance(0.4)) {
    const bytes = Array.from({ length: 6 }, () => r.int(256).toString(16).padStart(2, '0'));
    bytes[0] = (parseInt(bytes[0]!, 16) & 0xfc).toString(16).padStart(2, '0');
    mac = bytes.join('-').toUpperCase();
    macAtLogin = bytes.join(':');
  }
  return { ip, ipAtLogin, mac, macAtLogin };
}

interface Account {
  id: string;
  address: Address;
  linked: boolean;
  /** Earnings coins free to move, as the importer will see them. */
  available: number;
  streamer: boolean;
  cards: string[];
}

export function generateDemoEvents(o: DemoEventOptions): DemoEvents {
  const r = new Random(o.seed);
  const threshold = o.threshold ?? 10_000;
  const span = o.end - o.start;
  const drafts: Omit<DemoEvent, 'id'>[] = [];
  const x: DemoExpectation = {
    customers: 0,
    accounts: 0,
    unlinkedAccounts: 0,
    bankBindings: 0,
    logins: 0,
    blockedLogins: 0,
    heldTransfers: 0,
    postedTransfers: 0,
    earnings: 0,
    spends: 0,
    refusedMovements: 0,
  };
  let sessions = 0;
  const payers: { account: Account; holder: string }[] = [];

  const first = o.firstCustomer ?? 0;
  for (let c = first; c < first + o.customers; c++) {
    const customer = `C${100001 + c}`;
    let t = o.start + Math.floor(r.next() * span * 0.5);
    const push = (type: EventType, data: Record<string, unknown>, minGap = 1000, maxGap = 5 * MINUTE) => {
      t += r.between(minGap, maxGap);
      drafts.push({ type, at: t, data });
    };

    // Registration.
    const company = r.chance(0.22);
    let name: string;
    let given = '';
    let word = '';
    const reg: Record<string, unknown> = { customer, kind: company ? 'company' : 'person' };
    if (company) {
      word = r.pick(COMPANY_WORDS);
      name = `${r.pick(CITIES)}${word}${r.pick(COMPANY_KINDS)}`;
      reg.name = name;
      reg.phone = r.chance(0.6) ? `${r.pick(AREA_CODES)}-${r.between(2, 8)}${r.digits(7)}` : `${r.pick(MOBILE_PREFIXES)}${r.digits(8)}`;
      if (r.chance(0.5)) reg.email = `kefu${r.between(100, 9999)}@${r.pick(EMAIL_DOMAINS)}`;
    } else {
      given = r.pick(GIVEN_NAMES);
      name = `${r.pick(SURNAMES)}${given}`;
      reg.name = name;
      reg.phone = `${r.pick(MOBILE_PREFIXES)}${r.digits(8)}`;
      if (r.chance(0.3)) reg.email = `${r.between(10000, 3999999999)}@${r.pick(EMAIL_DOMAINS)}`;
      if (r.chance(0.7)) {
        reg.real_name = name;
        reg.id_number = residentId(r);
      }
    }
    drafts.push({ type: 'customer.registered', at: t, data: reg });
    x.customers++;

    // Accounts, each from an address (a household often shares one), with bank cards.
    const roll = r.next();
    const n = roll < 0.35 ? 1 : roll < 0.7 ? 2 : roll < 0.9 ? 3 : 4;
    const accounts: Account[] = [];
    for (let k = 1; k <= n; k++) {
      const id = `A${100001 + c}-${k}`;
      const addr = address(r, k > 1 && r.chance(0.5) ? accounts[0]!.address : null);
      const opened: Record<string, unknown> = {
        customer,
        account: id,
        name: company ? `${word}${COMPANY_ACCOUNT_NAMES[k - 1]}` : `${given}的${PERSON_ACCOUNT_NAMES[k - 1]}`,
        ip: addr.ip,
      };
      if (addr.mac) opened.mac = addr.mac;
      push('account.opened', opened, MINUTE, 40 * MINUTE);
      const a: Account = { id, address: addr, linked: true, available: 0, streamer: r.chance(0.15), cards: [] };
      accounts.push(a);
      x.accounts++;
      const cards = r.chance(0.85) ? (r.chance(0.12) ? 2 : 1) : 0;
      for (let i = 0; i < cards; i++) {
        const card = bankCard(r);
        a.cards.push(card.number);
        push('bank_account.bound', {
          account: id,
          bank_name: card.bank,
          account_number: r.chance(0.5) ? card.number.replace(/(\d{4})(?=\d)/g, '$1 ') : card.number,
          holder_name: name,
        });
        x.bankBindings++;
      }
      if (k > 1 && r.chance(0.08)) {
        push('accounts.unlinked', { customer, accounts: [id] });
        a.linked = false;
        x.unlinkedAccounts++;
      }
    }

    for (const a of accounts) payers.push({ account: a, holder: name });

    // Activity: steps at random times from here to the end of the window, each after the one before.
    const steps = n * r.between(2, 5);
    const from = t + HOUR;
    const until = Math.max(from + steps * HOUR, o.end - 6 * HOUR);
    const times = Array.from({ length: steps }, () => from + Math.floor(r.next() * (until - from))).sort((a, b) => a - b);
    for (const at of times) {
      t = Math.max(at, t + MINUTE);
      const a = r.pick(accounts);
      const step = r.next();
      if (step < 0.3) {
        const coins = a.streamer ? r.between(30, 400) * 100 : r.between(2, 250) * 10;
        drafts.push({ type: 'earnings.credited', at: t, data: { account: a.id, coins, note: r.pick(EARNING_NOTES) } });
        a.available += coins;
        x.earnings++;
        continue;
      }
      if (step < 0.32 && a.cards.length > 1) {
        drafts.push({ type: 'bank_account.unbound', at: t, data: { account: a.id, account_number: a.cards.pop()! } });
        continue;
      }
      // A login, then what the customer does in that session.
      const session = `S-${String(++sessions).padStart(7, '0')}`;
      const fromHome = r.chance(0.88);
      const login: Record<string, unknown> = { account: a.id, session, ip: fromHome ? a.address.ipAtLogin : ipv4(r) };
      if (a.address.macAtLogin && r.chance(0.7)) login.mac = a.address.macAtLogin;
      drafts.push({ type: 'customer.login', at: t, data: login });
      x.logins++;
      if (!fromHome) {
        x.blockedLogins++;
        if (r.chance(0.6)) {
          push(
            'coins.spent',
            { account: a.id, wallet: 'earnings', coins: r.between(1, 50) * 10, session, note: r.pick(SPEND_NOTES) },
            MINUTE,
            10 * MINUTE,
          );
          x.refusedMovements++;
        }
        continue;
      }
      const requests = r.chance(0.3) ? 2 : 1;
      for (let q = 0; q < requests; q++) {
        const others = accounts.filter((b) => b !== a && b.linked);
        if (others.length && a.linked && r.chance(0.5)) {
          const outside = accounts.filter((b) => !b.linked && b !== a);
          if (outside.length && r.chance(0.15)) {
            const data = { from_account: a.id, to_account: r.pick(outside).id, wallet: 'earnings', coins: r.between(1, 20) * 10, session };
            push('transfer.requested', data, MINUTE, 10 * MINUTE);
            x.refusedMovements++;
            continue;
          }
          if (a.available < 10) continue;
          const b = r.pick(others);
          let coins: number;
          if (a.available > threshold + 100 && r.chance(0.45)) {
            coins = threshold + 1 + r.int(Math.min(a.available - threshold - 1, 25_000));
            a.available -= coins;
            x.heldTransfers++;
          } else {
            coins = Math.max(1, Math.floor((r.int(Math.min(a.available, threshold)) + 1) / 10) * 10);
            a.available -= coins;
            b.available += coins;
            x.postedTransfers++;
          }
          push('transfer.requested', { from_account: a.id, to_account: b.id, wallet: 'earnings', coins, session }, MINUTE, 10 * MINUTE);
        } else {
          if (r.chance(0.03)) {
            const coins = a.available + r.between(100, 2000);
            push('coins.spent', { account: a.id, wallet: 'earnings', coins, session, note: r.pick(SPEND_NOTES) }, MINUTE, 10 * MINUTE);
            x.refusedMovements++;
            continue;
          }
          if (a.available < 10) continue;
          const coins = Math.max(1, Math.floor(a.available * (0.05 + r.next() * 0.35)));
          push('coins.spent', { account: a.id, wallet: 'earnings', coins, session, note: r.pick(SPEND_NOTES) }, MINUTE, 10 * MINUTE);
          a.available -= coins;
          x.spends++;
        }
      }
    }
  }

  // Recharge requests in the last days of the window, from cards still bound at the end, drawn from a
  // second generator so that the customers' lives above stay what they were for a seed. Amounts come
  // from the platform's price list, so some requests share an amount (amount-only lines are ambiguous).
  const rr = new Random((o.seed ^ 0x5eed_c0de) >>> 0);
  const recharges: DemoRecharge[] = [];
  const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  /** A recharge request from one of the account's cards with a fresh 8-character reference code. */
  const requestRecharge = (g: Random, a: Account, holder: string, amount: number, at: number, large = false) => {
    let code = '';
    for (let k = 0; k < 8; k++) code += codeAlphabet[g.int(codeAlphabet.length)];
    const card = g.pick(a.cards);
    drafts.push({
      type: 'recharge.requested',
      at,
      data: { account: a.id, payer_account: card, amount: formatFen(amount), reference_code: code },
    });
    recharges.push({ account: a.id, card, holder, amount, code, at, ...(large ? { large } : {}) });
  };
  const prices = [6_800, 12_800, 32_800, 64_800, 100_000, 128_800, 200_000, 500_000];
  for (const { account: a, holder } of payers) {
    if (!a.cards.length || !rr.chance(0.3)) continue;
    const at = o.end - rr.between(6 * HOUR, 4 * 24 * HOUR);
    const amount = rr.chance(0.7) ? rr.pick(prices) : rr.between(10, 5_000) * 100;
    requestRecharge(rr, a, holder, amount, at);
  }
  // A few corporate recharges above the dual-approval amount (50,000.00 yuan), from a third generator
  // so the requests above stay what they were for a seed.
  const big = new Random((o.seed ^ 0x0b16_5eed) >>> 0);
  const companies = payers.filter((p) => p.account.cards.length && p.holder.endsWith('公司'));
  for (const amount of [6_880_000, 10_000_000, 12_880_000]) {
    if (!companies.length) break;
    const { account: a, holder } = companies.splice(big.int(companies.length), 1)[0]!;
    const at = o.end - big.between(12 * HOUR, 3 * 24 * HOUR);
    requestRecharge(big, a, holder, amount, at, true);
  }

  // One file in time order; each customer's events are strictly increasing in time, so a stable sort
  // keeps their order, and ids follow the file order.
  const order = drafts.map((_, i) => i).sort((i, j) => drafts[i]!.at - drafts[j]!.at || i - j);
  const prefix = o.idPrefix ?? `demo-${o.seed}-`;
  const width = Math.max(6, String(drafts.length).length);
  const events = order.map((i, n) => ({ id: `${prefix}${String(n + 1).padStart(width, '0')}`, ...drafts[i]! }));
  return { events, expected: x, recharges };
}

/** Fen as yuan for files: 128800 → "1288.00". */
export function formatFen(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** One JSON Lines line of the platform's event file. */
export function eventLine(e: DemoEvent): string {
  return JSON.stringify({ id: e.id, type: e.type, at: beijingIso(e.at), data: e.data });
}

/** Writes the events as a JSON Lines file (UTF-8, one event a line, a final newline). */
export function writeEventsFile(file: string, events: readonly DemoEvent[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    const chunk: string[] = [];
    for (const e of events) {
      chunk.push(eventLine(e));
      if (chunk.length === 5000) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk.length = 0;
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
}
