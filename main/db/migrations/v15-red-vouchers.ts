// Migration 15: a red voucher that was voided (作废) no longer stands for the original's correction, so
// another red voucher may be prepared; only one red voucher that is a draft or posted may name it.
import type { Migration } from '../migrations';

export const MIGRATION_15: Migration = {
  version: 15,
  name: 'a voided red voucher does not block another',
  sql: `
DROP INDEX vouchers_reversed_once;
CREATE UNIQUE INDEX vouchers_reversed_once ON vouchers (reverses_id) WHERE reverses_id IS NOT NULL AND status <> 'voided';
`,
};
