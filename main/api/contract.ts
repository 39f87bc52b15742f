// The one typed border between the renderer (or CLI) and the books. Each method states its input
// schema, who may call it, how it runs (read, write transaction, long job, or session control) and the
// service that does the work; the methods live per area in ./methods. The dispatcher enforces all of
// it; the preload exposes exactly these names.
import type { z } from 'zod';
import { amountsMethods } from './methods/amounts';
import { approvalMethods } from './methods/approvals';
import { auditMethods } from './methods/audit';
import { booksMethods } from './methods/books';
import { chartMethods } from './methods/chart';
import { customerMethods } from './methods/customers';
import { customerStatementMethods } from './methods/customer-statement';
import { eventMethods } from './methods/events';
import { invoiceMethods } from './methods/invoices';
import { payoutMethods } from './methods/payouts';
import { periodMethods } from './methods/periods';
import { periodReportMethods } from './methods/period-reports';
import { jobMethods } from './methods/jobs';
import { ledgerMethods } from './methods/ledger';
import { rechargeMethods } from './methods/recharges';
import { monthEndMethods } from './methods/month-end';
import { revenueMethods } from './methods/revenue';
import { sessionMethods } from './methods/session';
import { settingsMethods } from './methods/settings';
import { staffMethods } from './methods/staff';
import { voucherMethods } from './methods/vouchers';
import { glExportMethods } from './methods/gl-export';
import { listMethods } from './methods/lists';

export const contract = {
  ...sessionMethods,
  ...staffMethods,
  ...ledgerMethods,
  ...chartMethods,
  ...auditMethods,
  ...booksMethods,
  ...settingsMethods,
  ...customerMethods,
  ...customerStatementMethods,
  ...eventMethods,
  ...rechargeMethods,
  ...approvalMethods,
  ...amountsMethods,
  ...invoiceMethods,
  ...periodMethods,
  ...jobMethods,
  ...voucherMethods,
  ...revenueMethods,
  ...monthEndMethods,
  ...periodReportMethods,
  ...glExportMethods,
  ...payoutMethods,
  ...listMethods,
};

export { ADMINS, APPROVERS, READERS, type ApiState, type MethodDef, type RoleSpec } from './define';

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = Awaited<ReturnType<Contract[M]['run']>>;
/** Job methods answer with a job id; their result arrives in a job.done event. */
export type JobMethodName = { [M in MethodName]: Contract[M]['kind'] extends 'job' | 'scan' ? M : never }[MethodName];
