// Migration 18: creators' earnings in CNY and their payouts (收益提现, issue 12 §2).
// - Earnings coins credited by the platform carry a CNY value (setting `earnings.coinValue`): each credit's
//   value is kept in `earnings_accruals` and booked Dr 6401 主营业务成本 (or the subject in
//   `earnings.costSubject`) / Cr 220201 应付账款—创作者收益 (ledger account `earnings_payable`).
// - A payout request reserves the coins (a pending transfer out of the earnings wallet); approval posts
//   them and books Dr 220201 gross / Cr 222102 应交个人所得税 tax / Cr 224104 应付提现款 net (ledger
//   account `payouts_payable`); a money-out bank line matched to it pays it (Dr 224104 / Cr 122101).
//   Rejection voids the reservation: the coins are back in the wallet.
//
// The sub-accounts. 220201 goes under 2202 应付账款 the way the chart adds a child (chart.ts addSubject):
// only while 2202 is a leaf whose own ledger account `gl:2202` never moved and is in no voucher (the
// normal case: nothing in Coffer posts to 2202); the empty `gl:2202` stays on the now parent subject. If
// 2202 already carries postings, a subject with postings cannot get children, so the creators' payable
// becomes the next free sub-account of 2241 其他应付款 (应付创作者收益) instead; an admin may later remap
// `earnings_payable` (chart.remap, four eyes). A 220201 someone already added under 2202, still a leaf
// and unused, is taken as it is. 224104 is the next free code under 2241 if 224104 is taken.
import type { RawDb } from '../books';
import type { Migration } from '../migrations';
import { frozen } from './ddl';

function leafIsFree(raw: RawDb, code: string): boolean {
  const child = raw.prepare('SELECT 1 FROM subjects WHERE parent_code = ?').get(code);
  if (child) return false;
  const busy = raw
    .prepare(
      `SELECT 1 FROM accounts a WHERE a.ledger = 1 AND a.subject_code = ? AND (a.code <> 'gl:' || ? OR a.debits_posted + a.credits_posted + a.debits_pending + a.credits_pending > 0
         OR EXISTS (SELECT 1 FROM voucher_lines v WHERE v.account_id = a.id))`,
    )
    .get(code, code);
  return !busy;
}

function nextChild(raw: RawDb, parent: string): string {
  const row = raw.prepare('SELECT max(code) AS m FROM subjects WHERE parent_code = ?').get(parent) as { m: string | null };
  const next = row.m === null ? 1 : Number(row.m.slice(parent.length)) + 1;
  if (next > 99) throw new Error(`subject ${parent} has no free sub-account code left`);
  return `${parent}${String(next).padStart(2, '0')}`;
}

/** The subject a new system account posts to: `wanted` under `parent` if free, else the next free child of `fallback`. */
function subAccount(raw: RawDb, account: string, wanted: string, parent: string, fallback: string, name: string, nameEn: string): void {
  let code: string;
  const existing = raw.prepare('SELECT parent_code AS parent FROM subjects WHERE code = ?').get(wanted) as { parent: string } | undefined;
  const parentHasChildren = !!raw.prepare('SELECT 1 FROM subjects WHERE parent_code = ?').get(parent);
  if (existing && existing.parent === parent && leafIsFree(raw, wanted)) {
    code = wanted; // added by hand before: take it
  } else if (!existing && (parentHasChildren || leafIsFree(raw, parent))) {
    code = wanted;
  } else {
    code = nextChild(raw, fallback);
  }
  if (!existing || code !== wanted) {
    const type = (raw.prepare('SELECT type FROM subjects WHERE code = ?').get(code.slice(0, -2)) as { type: string }).type;
    raw
      .prepare('INSERT INTO subjects (code, name, name_en, type, parent_code, created_at) VALUES (?, ?, ?, ?, ?, 0)')
      .run(code, name, nameEn, type, code.slice(0, -2));
  }
  // The subject's own empty gl: account (made by addSubject or here) is left alone; the system account posts.
  raw
    .prepare('INSERT INTO accounts (ledger, code, name, flags, created_at, subject_code) VALUES (1, ?, ?, 0, 0, ?)')
    .run(account, nameEn, code);
}

function payoutAccounts(raw: RawDb): void {
  subAccount(raw, 'earnings_payable', '220201', '2202', '2241', '创作者收益', "Creators' earnings payable");
  subAccount(raw, 'payouts_payable', '224104', '2241', '2241', '应付提现款', 'Payouts payable');
}

export const MIGRATION_18: Migration = {
  version: 18,
  name: "creators' earnings in CNY, payouts with withholding",
  sql: `
-- Where earnings coins go when a payout is approved (the earnings ledger's control accounts issue and take back coins).
INSERT INTO accounts (ledger, code, name, flags, created_at) VALUES (3, 'earnings_withdrawn', 'Earnings coins paid out', 0, 0);

-- The CNY value of each earnings credit: coins × fen ÷ per_coins, rounded half up to the fen.
CREATE TABLE earnings_accruals (
  movement_id INTEGER PRIMARY KEY REFERENCES coin_movements(id),
  coins INTEGER NOT NULL CHECK (coins > 0),
  fen INTEGER NOT NULL CHECK (fen >= 0),
  per_coins INTEGER NOT NULL CHECK (per_coins > 0),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  setting_version INTEGER NOT NULL,
  business_date TEXT NOT NULL,
  ledger_transfer_id INTEGER REFERENCES transfers(id),
  created_at INTEGER NOT NULL,
  CHECK ((amount > 0) = (ledger_transfer_id IS NOT NULL))
) STRICT;
${frozen('earnings_accruals', 'an earnings accrual is never changed', 'an earnings accrual is never deleted')}

-- Payout requests (收益提现). requested: the coins are reserved (pending transfer); approved: posted, gross
-- booked with the tax withheld and the net payable; paid: a money-out bank line paid the net; rejected: the
-- reservation voided (coins back in the wallet); refused: a rule refused it (nothing moved).
CREATE TABLE payouts (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  payee_name TEXT NOT NULL CHECK (length(payee_name) BETWEEN 1 AND 100),
  id_type TEXT NOT NULL,
  id_number TEXT NOT NULL CHECK (length(id_number) BETWEEN 1 AND 40),
  bank_name TEXT NOT NULL,
  account_number TEXT NOT NULL,
  coins INTEGER NOT NULL CHECK (coins > 0),
  fen INTEGER NOT NULL CHECK (fen >= 0),
  per_coins INTEGER NOT NULL CHECK (per_coins > 0),
  gross INTEGER NOT NULL CHECK (gross >= 0),
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'paid', 'rejected', 'refused')),
  reason TEXT NOT NULL DEFAULT '',
  reason_code TEXT,
  reason_params TEXT,
  requested_at INTEGER NOT NULL,
  business_date TEXT NOT NULL,
  entered_by INTEGER REFERENCES staff(id),
  source_event TEXT,
  coin_transfer_id INTEGER REFERENCES transfers(id),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  decision_note TEXT,
  tax_month TEXT,
  tax INTEGER CHECK (tax IS NULL OR tax >= 0),
  net INTEGER CHECK (net IS NULL OR net >= 0),
  tax_transfer_id INTEGER REFERENCES transfers(id),
  net_transfer_id INTEGER REFERENCES transfers(id),
  bank_line_id INTEGER UNIQUE REFERENCES bank_lines(id),
  paid_by INTEGER REFERENCES staff(id),
  paid_at INTEGER,
  paid_transfer_id INTEGER REFERENCES transfers(id),
  CHECK (decided_by IS NULL OR entered_by IS NULL OR decided_by <> entered_by),
  CHECK ((status = 'refused') = (coin_transfer_id IS NULL)),
  CHECK ((status IN ('approved', 'paid')) = (tax IS NOT NULL AND net IS NOT NULL AND tax_month IS NOT NULL AND tax + net = gross)),
  CHECK ((status = 'paid') = (bank_line_id IS NOT NULL AND paid_transfer_id IS NOT NULL))
) STRICT;
CREATE INDEX payouts_by_status ON payouts (status, id);
CREATE INDEX payouts_by_person ON payouts (tax_month, id_type, id_number) WHERE tax_month IS NOT NULL;
CREATE INDEX payouts_by_account ON payouts (account_id, id);
CREATE TRIGGER payouts_no_delete BEFORE DELETE ON payouts
BEGIN SELECT RAISE(ABORT, 'a payout is never deleted'); END;
CREATE TRIGGER payouts_fixed BEFORE UPDATE OF request_id, account_id, payee_name, id_type, id_number, bank_name, account_number, coins, fen, per_coins, gross, requested_at, business_date, entered_by, source_event, coin_transfer_id ON payouts
BEGIN SELECT RAISE(ABORT, 'a payout request is never edited'); END;
CREATE TRIGGER payouts_forward BEFORE UPDATE OF status ON payouts
WHEN NOT ((OLD.status = 'requested' AND NEW.status IN ('approved', 'rejected')) OR (OLD.status = 'approved' AND NEW.status = 'paid'))
BEGIN SELECT RAISE(ABORT, 'a payout moves requested → approved or rejected, approved → paid'); END;
`,
  run: payoutAccounts,
};
