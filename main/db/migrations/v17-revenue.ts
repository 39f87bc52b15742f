// Migration 17: the monthly revenue run (收入确认). A run reads the month's use of recharge coins, posts
// one voucher (Dr 合同负债 / Cr 主营业务收入, 应交税费—应交增值税（销项税额）) and keeps each customer's share
// for drill-down. One posted run per month; a re-run (after a reopen, or when the month changed after
// the run) reverses the earlier one, which stays as 'superseded'. SQLite-only DDL (STRICT, triggers).
import type { Migration } from '../migrations';
import { frozen } from './ddl';

const money = (name: string) => `${name} INTEGER NOT NULL`;
const figures = ['used_coins', 'value', 'breakage', 'adjustment', 'gross', 'pretaxed_gross', 'pretaxed_tax', 'tax', 'revenue']
  .map(money)
  .join(',\n  ');

export const MIGRATION_17: Migration = {
  version: 17,
  name: 'the monthly revenue run: runs with their voucher, each customer\u2019s share',
  sql: `
CREATE TABLE revenue_runs (
  id INTEGER PRIMARY KEY,
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('posted', 'superseded')),
  method TEXT NOT NULL CHECK (method IN ('fifo', 'weighted')),
  breakage_bp INTEGER NOT NULL CHECK (breakage_bp BETWEEN 0 AND 9999),
  rate_num INTEGER NOT NULL CHECK (rate_num >= 0),
  rate_den INTEGER NOT NULL CHECK (rate_den > 0),
  ${figures},
  spent_coins INTEGER NOT NULL,
  expired_coins INTEGER NOT NULL,
  closing_coins INTEGER NOT NULL,
  closing_value INTEGER NOT NULL,
  closing_pretaxed_tax INTEGER NOT NULL,
  customers INTEGER NOT NULL,
  through_id INTEGER NOT NULL,
  reopens INTEGER NOT NULL,
  voucher_id INTEGER REFERENCES vouchers(id),
  reversal_voucher_id INTEGER REFERENCES vouchers(id),
  superseded_by INTEGER REFERENCES revenue_runs(id),
  run_by INTEGER REFERENCES staff(id),
  run_at INTEGER NOT NULL,
  CHECK (gross = value + breakage + adjustment),
  CHECK (revenue = gross - pretaxed_tax - tax)
) STRICT;
CREATE UNIQUE INDEX revenue_runs_one_posted ON revenue_runs (month) WHERE status = 'posted';
CREATE TRIGGER revenue_runs_fixed BEFORE UPDATE OF id, month, method, breakage_bp, rate_num, rate_den, used_coins, value, breakage, adjustment,
  gross, pretaxed_gross, pretaxed_tax, tax, revenue, closing_coins, closing_value, closing_pretaxed_tax, through_id, voucher_id, run_by, run_at ON revenue_runs
BEGIN SELECT RAISE(ABORT, 'a revenue run is not edited: run the month again after a reopen'); END;
CREATE TRIGGER revenue_runs_no_delete BEFORE DELETE ON revenue_runs
BEGIN SELECT RAISE(ABORT, 'a revenue run is never deleted'); END;

CREATE TABLE revenue_run_lines (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES revenue_runs(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  ${figures},
  closing_coins INTEGER NOT NULL,
  closing_value INTEGER NOT NULL,
  UNIQUE (run_id, customer_id)
) STRICT;
CREATE INDEX revenue_run_lines_by_customer ON revenue_run_lines (customer_id, run_id);
${frozen('revenue_run_lines', 'a revenue run line is not edited', 'a revenue run line is never deleted', 'revenue_run_lines_fixed')}
`,
};
