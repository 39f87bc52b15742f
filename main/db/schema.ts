// Kysely table types for the books file: every table's interface and `Database` are generated from the
// migrated schema (schema.generated.ts, `npm run gen:schema`; narrowings the DDL cannot express live in
// scripts/gen-schema-types.ts). Money columns are integers in minor units (fen or coins), guarded as
// safe integers by the ledger rules; they never hold floats.
import type { Insertable, Selectable } from 'kysely';
import type { AccountTable, AuditTable, StaffTable, TransferTable } from './schema.generated';

export type * from './schema.generated';

export type Account = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;
export type Transfer = Selectable<TransferTable>;
export type Staff = Selectable<StaffTable>;
export type AuditRow = Selectable<AuditTable>;
