// Invoices (step 5): requests (from the platform's events or the counter) with their check results,
// checking, rejecting and issuing (per-item results), red-letter reversal, the numbers the tax platform
// assigned, searches for the screens, and the exports: the batch-import workbook and the register.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { numberCounterRequest } from '../../services/counter-numbers';
import { booksReadOnly, inWriteTx } from '../../db/tx';
import { parseYuan } from '../../domain/money';
import { readInvoiceNumbers } from '../../formats/invoice-numbers';
import {
  exportInvoiceRegister,
  readTemplate,
  storeTemplate,
  templateInfo,
  validateInvoiceWorkbook,
  exportAndMarkInvoices,
} from '../../services/invoice-exports';
import { refuse } from '../../domain/refusals';
import { customerInvoicing, invoicePage, invoiceRequestPage, listInvoiceRequests, listInvoices } from '../../services/invoice-read';
import { checkInvoiceRequests, createInvoiceRequest, rejectInvoiceRequest } from '../../services/invoice-requests';
import { RED_CATEGORIES, applyInvoiceNumbers, issueInvoices, reverseInvoice } from '../../services/invoices';
import {
  ADMINS,
  APPROVERS,
  READERS,
  chosenPath,
  id,
  job,
  minor,
  read,
  reason,
  stamp,
  write,
  type MethodDef,
  timeSpan,
  paging,
  COUNTER,
  date,
  yuan,
  readById,
  requestId,
} from '../define';
import { mapInTurn } from '../../services/in-turn';

const text = (max: number) => z.string().max(max);
const INVOICE_STATUSES = ['issued', 'partly_reversed', 'reversed', 'red'] as const;
const REQUEST_STATUSES = ['submitted', 'checked', 'issued', 'rejected'] as const;
const exportFilter = {
  from: date.optional(),
  to: date.optional(),
  status: z
    .array(z.enum(['issued', 'partly_reversed', 'reversed']))
    .max(3)
    .optional(),
  ids: z.array(id).min(1).max(10_000).optional(),
  /** Export again invoices an earlier export wrote (the export is recorded as forced). */
  force: z.boolean().optional(),
};

const invoiceOut = (r: {
  id: number;
  serial: string;
  gross: number;
  tax: number;
  net: number;
  reversed: number;
  original_id: number | null;
}) => ({
  id: r.id,
  serial: r.serial,
  originalId: r.original_id,
  gross: String(r.gross),
  tax: String(r.tax),
  net: String(r.net),
});

export const invoiceMethods = {
  'invoices.requests': read({
    input: z
      .object({
        status: z.array(z.enum(REQUEST_STATUSES)).max(4).optional(),
        customerId: id.optional(),
        text: text(64).optional(),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listInvoiceRequests(q, i),
  }),
  'invoices.request': readById(invoiceRequestPage),
  'invoices.createRequest': write({
    input: z
      .object({
        requestId,
        customerId: id,
        recordIds: z.array(id).min(1).max(100),
        amount: yuan.optional(),
        invoiceType: z.enum(['ordinary', 'special']),
        buyerName: text(500),
        taxpayerId: text(100).optional(),
        address: text(500).optional(),
        phone: text(100).optional(),
        bankName: text(500).optional(),
        bankAccount: text(100).optional(),
        naturalPerson: z.boolean().default(false),
        email: text(500).optional(),
        remarks: text(1000).optional(),
      })
      .strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      const refs = await mapInTurn(i.recordIds, async (rid) => {
        const r = await tx.db
          .selectFrom('recharge_records as rr')
          .innerJoin('recharge_requests as q', 'q.id', 'rr.request_id')
          .select('q.request_id')
          .where('rr.id', '=', rid)
          .executeTakeFirst();
        if (!r) throw refuse('NOT_FOUND', 'record_not_found', { ref: String(rid) }, { field: 'recordIds' });
        return r.request_id;
      });
      const counterNo = await numberCounterRequest(tx, 'invoice', `counter:${i.requestId}`, api.ports.clock()); // sealed with the request's audit entry
      const r = await createInvoiceRequest(
        tx,
        actor,
        {
          requestId: `counter:${i.requestId}`,
          customerId: i.customerId,
          buyer: {
            invoiceType: i.invoiceType,
            name: i.buyerName,
            taxpayerId: i.taxpayerId ?? null,
            address: i.address ?? null,
            phone: i.phone ?? null,
            bankName: i.bankName ?? null,
            bankAccount: i.bankAccount ?? null,
            naturalPerson: i.naturalPerson,
            email: i.email ?? null,
            remarks: i.remarks ?? null,
          },
          recharges: refs,
          amount: i.amount === undefined ? null : parseYuan(i.amount),
        },
        { at: api.ports.clock() },
      );
      return { id: r.id, requestId: r.request_id, counterNo, status: r.status, version: r.version };
    },
  }),
  'invoices.check': write({
    input: z.object({ ids: z.array(id).min(1).max(10_000).optional() }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => checkInvoiceRequests(tx, actor, i.ids ?? null, api.ports.clock()),
  }),
  'invoices.rejectRequest': write({
    input: z.object({ id, reason }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => {
      const r = await rejectInvoiceRequest(tx, actor, i.id, i.reason, api.ports.clock());
      return { id: r.id, status: r.status, version: r.version };
    },
  }),
  'invoices.issue': write({
    input: z
      .object({
        items: z
          .array(z.object({ id, version: z.number().int().positive().optional() }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => issueInvoices(tx, actor, i.items, api.ports.clock()),
  }),
  'invoices.reverse': write({
    input: z
      .object({
        id,
        amount: minor.optional(),
        reason,
        // The 红字确认单: its number, the reason category, and for a 专票 the buyer's confirmation (and its day).
        confirmationNo: text(40).optional(),
        category: z.enum(RED_CATEGORIES).optional(),
        buyerConfirmed: z.boolean().optional(),
        buyerConfirmedOn: date.optional(),
      })
      .strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => {
      const red = await reverseInvoice(tx, actor, i.id, i.amount ?? null, i.reason, api.ports.clock(), i);
      return {
        ...invoiceOut(red),
        confirmationNo: red.red_confirmation_no,
        category: red.red_category,
        buyerConfirmedOn: red.buyer_confirmed_on,
        blueNumber: red.blue_tax_number,
      };
    },
  }),
  'invoices.list': read({
    input: z
      .object({
        text: text(64).optional(),
        serial: text(20).optional(),
        taxNumber: text(20).optional(),
        buyer: text(100).optional(),
        taxpayerId: text(20).optional(),
        customerId: id.optional(),
        ...timeSpan,
        status: z.array(z.enum(INVOICE_STATUSES)).max(4).optional(),
        kind: z.enum(['blue', 'red']).optional(),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listInvoices(q, i),
  }),
  'invoices.get': readById(invoicePage),
  'invoices.customerSummary': read({
    input: z.object({ customerId: id }).strict(),
    roles: READERS,
    run: async ({ q }, i) => customerInvoicing(q, i.customerId),
  }),
  'invoices.importNumbers': job({
    input: z.object({}).strict(),
    roles: COUNTER,
    run: async (ctx) => {
      const file = await chosenPath(ctx, 'open', 'Import invoice numbers from the tax platform', '', ['csv', 'xlsx', 'txt']);
      if (fs.statSync(file).size > 50 * 1024 * 1024)
        throw refuse('LIMIT', 'file_too_large', { file: path.basename(file), maxMiB: '50' }, { file });
      const rows = await readInvoiceNumbers(fs.readFileSync(file), path.basename(file));
      const results = await inWriteTx(ctx.books, async (tx) =>
        applyInvoiceNumbers(tx, ctx.actor, rows, path.basename(file), ctx.api.ports.clock()),
      );
      return {
        file: path.basename(file),
        set: results.filter((r) => r.outcome === 'set').length,
        unchanged: results.filter((r) => r.outcome === 'unchanged').length,
        refused: results.filter((r) => r.outcome === 'refused'),
      };
    },
  }),
  'invoices.export': job({
    input: z.object(exportFilter).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      // Every export is marked (who, when, the file's SHA-256): books opened read-only cannot mark.
      if (booksReadOnly(ctx.books)) throw refuse('FORBIDDEN', 'invoice_export_read_only', {});
      // Validated before the dialog: a selection the tax system would refuse, or one exported before
      // (unless forced), is refused with its problems without asking where to save it.
      // Read on the read-only connection, as the list exports are: its smaller page cache, not the
      // writer's, holds what a pass over every invoice reads.
      const valid = await validateInvoiceWorkbook(ctx.books.reader, i, ctx.job);
      const target = await chosenPath(
        ctx,
        'save',
        'Export invoices for the tax system',
        `coffer-invoices-${stamp(ctx.api.ports.clock())}.xlsx`,
        ['xlsx'],
      );
      return exportAndMarkInvoices(ctx.books, ctx.actor, target, i, valid, ctx.api.ports.clock, ctx.job);
    },
  }),
  'invoices.exportRegister': job({
    input: z.object({ from: date.optional(), to: date.optional(), status: z.array(z.enum(INVOICE_STATUSES)).max(4).optional() }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const target = await chosenPath(
        ctx,
        'save',
        'Export the invoice register',
        `coffer-invoice-register-${stamp(ctx.api.ports.clock())}.xlsx`,
        ['xlsx'],
      );
      return ctx.snapshot((q) => exportInvoiceRegister(q, target, i, ctx.job));
    },
  }),
  'invoices.template': read({ input: z.object({}).strict(), roles: READERS, run: async ({ q }) => templateInfo(q) }),
  'invoices.loadTemplate': job({
    input: z.object({}).strict(),
    roles: ADMINS,
    run: async (ctx) => {
      const file = await chosenPath(ctx, 'open', 'Load the official batch-import template', '', ['xlsx']);
      if (fs.statSync(file).size > 20 * 1024 * 1024)
        throw refuse('LIMIT', 'file_too_large', { file: path.basename(file), maxMiB: '20' }, { file });
      const bytes = fs.readFileSync(file);
      const shape = await readTemplate(bytes);
      return inWriteTx(ctx.books, async (tx) => storeTemplate(tx, ctx.actor, path.basename(file), bytes, shape, ctx.api.ports.clock()));
    },
  }),
} satisfies Record<string, MethodDef>;
