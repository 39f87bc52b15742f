// Migration 11: the books a finance team closes. Every transfer gets its business date (记账日期) beside
// the time it was entered, and every CNY transfer a voucher (记账凭证) with a gapless number per month and
// 凭证字; CNY accounts get a chart of accounts (科目编码, 科目名称, type); months can be closed (结账).
// SQLite-only DDL (STRICT tables, triggers, GLOB checks).
import type { Migration } from '../migrations';
import { frozen } from './ddl';
import { VOUCHER_SOURCE_BY_CODE } from '../../domain/vouchers';

/** The default chart: 企业会计准则 codes (../shared/reference/month-end.md). [code, 中文, English, type, parent]. */
export const DEFAULT_SUBJECTS: readonly (readonly [string, string, string, string, string | null])[] = [
  ['1002', '银行存款', 'Bank deposits', 'asset', null],
  ['1012', '其他货币资金', 'Other monetary funds', 'asset', null],
  ['1221', '其他应收款', 'Other receivables', 'asset', null],
  ['122101', '待清理付款', 'Payments to be explained', 'asset', '1221'],
  ['122102', '退单应收款', 'Chargebacks to recover', 'asset', '1221'],
  ['2202', '应付账款', 'Accounts payable', 'liability', null],
  ['2203', '预收账款', 'Advances from customers', 'liability', null],
  ['2204', '合同负债', 'Contract liabilities', 'liability', null],
  ['2221', '应交税费', 'Taxes payable', 'liability', null],
  ['222101', '应交增值税（销项税额）', 'Output VAT payable', 'liability', '2221'],
  ['222102', '应交个人所得税', 'Individual income tax withheld', 'liability', '2221'],
  ['2241', '其他应付款', 'Other payables', 'liability', null],
  ['224101', '未分配收款', 'Unallocated receipts', 'liability', '2241'],
  ['224102', '应付退款', 'Refunds payable', 'liability', '2241'],
  ['224103', '待查款项', 'Receipts under investigation', 'liability', '2241'],
  ['4103', '本年利润', 'Profit for the year', 'equity', null],
  ['4104', '利润分配', 'Profit distribution', 'equity', null],
  ['410401', '期初余额', 'Opening balances', 'equity', '4104'],
  ['6001', '主营业务收入', 'Operating revenue', 'revenue', null],
  ['6051', '其他业务收入', 'Other operating revenue', 'revenue', null],
  ['6401', '主营业务成本', 'Cost of operations', 'expense', null],
  ['6602', '管理费用', 'Administrative expenses', 'expense', null],
  ['6603', '财务费用', 'Finance costs', 'expense', null],
  ['660301', '手续费', 'Bank and channel fees', 'expense', '6603'],
  ['6711', '营业外支出', 'Non-operating expenses', 'expense', null],
];

/** Which subject each system CNY account posts to. */
export const DEFAULT_MAPPING: readonly (readonly [string, string])[] = [
  ['unallocated_receipts', '224101'],
  ['customer_prepayments', '2204'],
  ['refunds_payable', '224102'],
  ['suspense', '122101'],
  ['bank_fees', '660301'],
  ['opening_balances', '410401'],
];

const sourceCase = `CASE code ${Object.entries(VOUCHER_SOURCE_BY_CODE)
  .map(([code, [source]]) => `WHEN '${code}' THEN '${source}'`)
  .join(' ')} ELSE 'other' END`;
const summaryCase = `CASE source ${Object.values(VOUCHER_SOURCE_BY_CODE)
  .map(([source, summary]) => `WHEN '${source}' THEN '${summary}'`)
  .join(' ')} ELSE '其他' END`;

export const MIGRATION_11: Migration = {
  version: 11,
  name: 'business dates, chart of accounts, vouchers with gapless numbers, closed periods',
  sql: `
-- The chart of accounts (科目). A leaf subject is one with no child; CNY ledger accounts post to leaves.
CREATE TABLE subjects (
  code TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9][0-9][0-9]*' AND code NOT GLOB '*[^0-9]*' AND length(code) BETWEEN 4 AND 12 AND length(code) % 2 = 0),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  name_en TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
  type TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
  parent_code TEXT REFERENCES subjects(code),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES staff(id),
  CHECK (parent_code IS NULL OR (substr(code, 1, length(parent_code)) = parent_code AND length(code) = length(parent_code) + 2))
) STRICT;
CREATE TRIGGER subjects_no_delete BEFORE DELETE ON subjects
BEGIN SELECT RAISE(ABORT, 'a subject is never deleted'); END;
CREATE TRIGGER subjects_fixed BEFORE UPDATE OF code, type, parent_code ON subjects
BEGIN SELECT RAISE(ABORT, 'a subject''s code, type and parent are fixed'); END;
${DEFAULT_SUBJECTS.map(
  ([code, name, en, type, parent]) =>
    `INSERT INTO subjects (code, name, name_en, type, parent_code, created_at) VALUES ('${code}', '${name}', '${en}', '${type}', ${parent ? `'${parent}'` : 'NULL'}, 0);`,
).join('\n')}

ALTER TABLE accounts ADD COLUMN subject_code TEXT REFERENCES subjects(code);
${DEFAULT_MAPPING.map(([account, subject]) => `UPDATE accounts SET subject_code = '${subject}' WHERE ledger = 1 AND owner_kind IS NULL AND code = '${account}';`).join('\n')}
-- Each platform bank account is a sub-account of 1002 (100201, 100202, …) in the order it was set up.
INSERT INTO subjects (code, name, name_en, type, parent_code, created_at)
  SELECT '1002' || printf('%02d', row_number() OVER (ORDER BY b.id)), b.bank_name || ' ' || substr(b.account_number, -4),
    b.bank_name || ' ' || substr(b.account_number, -4), 'asset', '1002', b.created_at
  FROM bank_accounts b;
UPDATE accounts SET subject_code = (
  SELECT s.code FROM bank_accounts b JOIN subjects s ON s.parent_code = '1002'
    AND s.code = '1002' || printf('%02d', (SELECT count(*) FROM bank_accounts b2 WHERE b2.id <= b.id))
  WHERE b.ledger_account_id = accounts.id)
WHERE owner_kind = 'bank_account';
-- A ledger account for every leaf subject that has none, so a voucher can post to any leaf.
INSERT INTO accounts (ledger, code, name, flags, created_at, subject_code)
  SELECT 1, 'gl:' || s.code, s.name_en, 0, 0, s.code FROM subjects s
  WHERE NOT EXISTS (SELECT 1 FROM subjects c WHERE c.parent_code = s.code)
    AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.ledger = 1 AND a.subject_code = s.code);
CREATE INDEX accounts_by_subject ON accounts (subject_code) WHERE subject_code IS NOT NULL;

-- Months (Asia/Shanghai). A month with no row is open; 'closing' waits for a second person's confirmation
-- and already takes no posting; 'closed' is closed. Reopening (反结账) needs an admin's request and a
-- second admin.
CREATE TABLE periods (
  month TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  state TEXT NOT NULL CHECK (state IN ('open', 'closing', 'closed')),
  closed_by INTEGER REFERENCES staff(id),
  closed_at INTEGER,
  confirmed_by INTEGER REFERENCES staff(id),
  confirmed_at INTEGER,
  reopen_requested_by INTEGER REFERENCES staff(id),
  reopen_requested_at INTEGER,
  reopen_reason TEXT,
  times_reopened INTEGER NOT NULL DEFAULT 0,
  CHECK (confirmed_by IS NULL OR confirmed_by <> closed_by),
  CHECK ((state = 'closed') = (confirmed_by IS NOT NULL))
) STRICT;

-- Vouchers (记账凭证). Numbers are gapless per month and 凭证字: drawn from voucher_counters in the
-- transaction that creates the voucher; a voided draft keeps its number (作废), so no number is lost.
-- source: 'manual' (prepared by a clerk, reviewed by another person) or the business action that posted it.
CREATE TABLE vouchers (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL,
  word TEXT NOT NULL DEFAULT '记' CHECK (word IN ('记', '收', '付', '转')),
  number INTEGER NOT NULL CHECK (number > 0),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  attachments INTEGER NOT NULL DEFAULT 0 CHECK (attachments BETWEEN 0 AND 9999),
  summary TEXT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'posted', 'voided')),
  prepared_by INTEGER REFERENCES staff(id),
  prepared_at INTEGER NOT NULL,
  reviewed_by INTEGER REFERENCES staff(id),
  reviewed_at INTEGER,
  review_note TEXT,
  reverses_id INTEGER REFERENCES vouchers(id),
  UNIQUE (period, word, number),
  CHECK (substr(date, 1, 7) = period),
  CHECK (reviewed_by IS NULL OR prepared_by IS NULL OR reviewed_by <> prepared_by),
  CHECK (source <> 'manual' OR status = 'draft' OR reviewed_by IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX vouchers_reversed_once ON vouchers (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX vouchers_by_status ON vouchers (status, period) WHERE status = 'draft';
CREATE INDEX vouchers_by_date ON vouchers (date, id);
CREATE TRIGGER vouchers_no_delete BEFORE DELETE ON vouchers
BEGIN SELECT RAISE(ABORT, 'a voucher is never deleted: void a draft, reverse a posted voucher'); END;
CREATE TRIGGER vouchers_fixed BEFORE UPDATE OF period, word, number, date, attachments, summary, source, prepared_by, prepared_at, reverses_id ON vouchers
BEGIN SELECT RAISE(ABORT, 'a voucher is never edited: void the draft and prepare another'); END;
CREATE TRIGGER vouchers_decided_once BEFORE UPDATE OF status, reviewed_by, reviewed_at, review_note ON vouchers WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a voucher was reviewed already'); END;

CREATE TABLE voucher_counters (
  period TEXT NOT NULL,
  word TEXT NOT NULL,
  last INTEGER NOT NULL CHECK (last > 0),
  PRIMARY KEY (period, word)
) STRICT;

-- A manual voucher's lines as prepared (摘要, leaf account, debit or credit). Automatic vouchers show
-- their transfers instead.
CREATE TABLE voucher_lines (
  voucher_id INTEGER NOT NULL REFERENCES vouchers(id),
  line_no INTEGER NOT NULL CHECK (line_no > 0),
  summary TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  debit INTEGER NOT NULL DEFAULT 0 CHECK (debit >= 0),
  credit INTEGER NOT NULL DEFAULT 0 CHECK (credit >= 0),
  CHECK ((debit > 0) <> (credit > 0)),
  PRIMARY KEY (voucher_id, line_no)
) STRICT;
${frozen('voucher_lines', 'voucher lines are immutable')}

-- Business dates: a bank line's booking date, a statement's opening date, an event's day; otherwise the
-- Shanghai day the transfer was entered. The columns are filled once here, with the immutability
-- trigger lifted for this statement only.
ALTER TABLE transfers ADD COLUMN business_date TEXT;
ALTER TABLE transfers ADD COLUMN voucher_id INTEGER REFERENCES vouchers(id);
DROP TRIGGER transfers_no_update;
UPDATE transfers SET business_date = date(ts / 1000, 'unixepoch', '+8 hours');
UPDATE transfers SET business_date = (SELECT l.booked FROM bank_lines l WHERE l.ledger_transfer_id = transfers.id)
  WHERE id IN (SELECT ledger_transfer_id FROM bank_lines);
UPDATE transfers SET business_date = (SELECT l.booked FROM bank_lines l WHERE l.netting_transfer_id = transfers.id)
  WHERE id IN (SELECT netting_transfer_id FROM bank_lines WHERE netting_transfer_id IS NOT NULL);
UPDATE transfers SET business_date = coalesce((SELECT s.opening_date FROM statements s
    WHERE 'bank:' || s.bank_account_id || ':opening' = transfers.key AND s.opening_date IS NOT NULL ORDER BY s.id LIMIT 1), business_date)
  WHERE code = 'opening_balance';
-- One automatic voucher per business kind and date for the CNY transfers already in the books.
CREATE TEMP TABLE v11_groups AS
  SELECT source, business_date AS date, min(id) AS first_id FROM (SELECT id, business_date, ${sourceCase} AS source FROM transfers WHERE ledger = 1)
  GROUP BY source, business_date;
INSERT INTO vouchers (period, word, number, date, summary, source, status, prepared_at)
  SELECT substr(date, 1, 7), '记', row_number() OVER (PARTITION BY substr(date, 1, 7) ORDER BY date, first_id), date, ${summaryCase}, source, 'posted', 0
  FROM v11_groups ORDER BY date, first_id;
INSERT INTO voucher_counters (period, word, last) SELECT period, '记', max(number) FROM vouchers GROUP BY period;
UPDATE transfers SET voucher_id = (SELECT v.id FROM vouchers v WHERE v.date = transfers.business_date AND v.source = (
    SELECT ${sourceCase} FROM transfers t2 WHERE t2.id = transfers.id))
  WHERE ledger = 1;
DROP TABLE v11_groups;
CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers
BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable: correct by reversal'); END;

-- Every new transfer carries a real business date, and none lands in a month that is closed or closing.
CREATE TRIGGER transfers_business_date BEFORE INSERT ON transfers
WHEN NEW.business_date IS NULL OR NEW.business_date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
BEGIN SELECT RAISE(ABORT, 'a transfer needs its business date (YYYY-MM-DD)'); END;
CREATE TRIGGER transfers_period_open BEFORE INSERT ON transfers
WHEN EXISTS (SELECT 1 FROM periods WHERE month = substr(NEW.business_date, 1, 7) AND state <> 'open')
BEGIN SELECT RAISE(ABORT, 'period_closed: the month of this business date is closed'); END;
CREATE TRIGGER transfers_cny_voucher BEFORE INSERT ON transfers
WHEN NEW.ledger = 1 AND NEW.voucher_id IS NULL
BEGIN SELECT RAISE(ABORT, 'a CNY transfer belongs to a voucher'); END;
CREATE INDEX transfers_by_date ON transfers (business_date);
CREATE INDEX transfers_by_voucher ON transfers (voucher_id) WHERE voucher_id IS NOT NULL;
`,
};
