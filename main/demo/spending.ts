// The demo's use of recharge coins: after the recharges are credited, a third small event file in which
// customers spend part of the coins they bought (coins.spent from the recharge wallet) and the platform
// lets some promotional bonus coins expire (coins.expired), through the real importer. So the demo's
// months have coins used out of paid lots, and the revenue run has revenue and output VAT to recognise.
// Earnings coins are spent in the main file; they release nothing from 220201 (what is owed to a creator
// is paid out, not spent). A separate file and a generator of its own, so the other files stay what they
// were for a seed.
import path from 'node:path';
import type { Tx } from '../db/tx';
import type { Actor } from '../services/actor';
import { commitEventImport } from '../services/event-import';
import { Random, writeEventsFile, type DemoEvent } from './generate';
import { SPEND_NOTES } from './names';
import { num, text } from '../db/row-read';

export interface DemoSpendingSummary {
  /** Recharge coins spent: events and coins. */
  spends: number;
  spentCoins: number;
  /** Recharge coins that expired: events and coins. */
  expiries: number;
  expiredCoins: number;
}

const MINUTE = 60_000;
/** The bonus coins a promotion gives expire; the demo lets one account in EXPIRE_EVERY lose them, at most EXPIRE_MAX. */
const EXPIRE_EVERY = 4;
const EXPIRE_MAX = 5_000;
const EXPIRY_NOTE = '活动赠币到期';

interface Holder {
  account: string;
  held: number;
  bonus: number;
  /** The last time coins came into or left the wallet by a record (credit or reversal). */
  since: number;
}

/** Credited recharge wallets, with what they hold and since when, in account order. */
async function holders(tx: Tx): Promise<Holder[]> {
  const rows = await tx
    .sql(
      `SELECT a.external_id AS account, w.credits_posted - w.debits_posted - w.debits_pending AS held,
         (SELECT coalesce(sum(r.bonus_coins), 0) FROM recharge_records r WHERE r.account_id = a.id AND r.reversed_at IS NULL) AS bonus,
         (SELECT max(CASE WHEN r.reversed_at > r.credited_at THEN r.reversed_at ELSE r.credited_at END) FROM recharge_records r WHERE r.account_id = a.id) AS since
       FROM customer_accounts a JOIN accounts w ON w.id = a.recharge_wallet_id
       WHERE EXISTS (SELECT 1 FROM recharge_records r WHERE r.account_id = a.id) ORDER BY a.id`,
    )
    .all();
  return rows.map((r) => ({ account: text(r, 'account'), held: num(r, 'held'), bonus: num(r, 'bonus'), since: num(r, 'since') }));
}

/** The spending and expiry events, deterministic from the seed and the books as the approvals left them. */
export async function spendingEvents(tx: Tx, o: { seed: number; now: number }): Promise<DemoEvent[]> {
  const r = new Random((o.seed ^ 0x5e4d_c014) >>> 0);
  const until = o.now - 20 * MINUTE;
  const drafts: Omit<DemoEvent, 'id'>[] = [];
  (await holders(tx)).forEach((h, i) => {
    const from = h.since + 30 * MINUTE;
    if (h.held < 100 || from >= until || !r.chance(0.8)) return;
    let left = h.held;
    const times = Array.from({ length: r.between(1, 3) }, () => from + Math.floor(r.next() * (until - from))).sort((a, b) => a - b);
    for (const at of times) {
      const coins = Math.floor((left * r.between(10, 45)) / 100);
      if (coins < 1) break;
      drafts.push({ type: 'coins.spent', at, data: { account: h.account, wallet: 'recharge', coins, note: r.pick(SPEND_NOTES) } });
      left -= coins;
    }
    // A promotion's bonus coins run out (the platform's act): at most the bonus, never more than is left.
    const expire = Math.min(h.bonus, left, EXPIRE_MAX);
    if (i % EXPIRE_EVERY === 0 && expire > 0)
      drafts.push({ type: 'coins.expired', at: times.at(-1)! + MINUTE, data: { account: h.account, coins: expire, note: EXPIRY_NOTE } });
  });
  return drafts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.at - b.d.at || a.i - b.i)
    .map(({ d }, n) => ({ id: `demo-${o.seed}-spend-${String(n + 1).padStart(4, '0')}`, ...d }));
}

export async function demoSpending(tx: Tx, clerk: Actor, o: { seed: number; now: number; dir: string }): Promise<DemoSpendingSummary> {
  const events = await spendingEvents(tx, o);
  const out: DemoSpendingSummary = { spends: 0, spentCoins: 0, expiries: 0, expiredCoins: 0 };
  if (!events.length) return out;
  const file = path.join(o.dir, `demo-spending-${o.seed}.jsonl`);
  writeEventsFile(file, events);
  const result = await commitEventImport(tx, clerk, file, { now: o.now });
  if (result.refused) throw new Error(`demo: ${result.refused} spending event(s) refused: ${result.refusals[0]?.reason}`);
  for (const e of events) {
    const coins = e.data.coins as number;
    if (e.type === 'coins.spent') {
      out.spends++;
      out.spentCoins += coins;
    } else {
      out.expiries++;
      out.expiredCoins += coins;
    }
  }
  return out;
}
