// Recharge requests and reconciliation (steps 2 and 3): the platform's bank accounts, requests entered
// at the counter, the matcher and the review queue, matching and unmatching by hand, write-offs with
// an approver, rejection and expiry, the report, and review results back to the platform.
import { bankLineState } from '../../domain/bank-line-state';
import { z } from 'zod';
import { parseYuan } from '../../domain/money';
import { REQUEST_STATUSES } from '../../domain/request-status';
import { createBankAccount, listBankAccounts } from '../../services/bank-statements';
import {
  confirmProposal,
  decideWriteOff,
  declineProposal,
  dryRun,
  matchByHand,
  proposeWriteOff,
  reconcileSteps,
  unmatch,
  WRITEOFF_KINDS,
} from '../../services/reconcile';
import { netReversalLine } from '../../services/reversals';
import { SETTINGS } from '../../services/settings';
import {
  exportReconciliationReport,
  listRequests,
  listStatements,
  queueCounts,
  reconciliationReport,
  requestPage,
  reviewQueue,
  statementLines,
} from '../../services/recharge-read';
import { createRechargeRequest, expireRequests, rejectRequest } from '../../services/recharge-requests';
import { numberCounterRequest } from '../../services/counter-numbers';
import { exportReviewResults, unsentReviewResults } from '../../services/review-results';
import { inWriteTx } from '../../db/tx';
import { inJob } from '../../services/steps';
import {
  ADMINS,
  APPROVERS,
  READERS,
  chosenFile,
  chosenPath,
  fileToken,
  id,
  job,
  limit,
  minor,
  read,
  reason,
  stamp,
  write,
  type MethodDef,
  timeSpan,
  amountRange,
  paging,
  pagedRead,
  COUNTER,
  requestId,
  sha256,
  yuan,
} from '../define';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { detectLayout, PROFILES } from '../../formats/statements';
import { MAX_STATEMENT_BYTES, commitStatementFile, previewStatementFile } from '../../services/statement-import';
import { refuse } from '../../domain/refusals';
import { parseInput, inputRefusal, says } from '../../domain/input-problems';

// A custom CSV/XLSX column mapping built in the console's preview (formats/statements/profiles.ts).
const column = z.union([z.string().max(100), z.number().int().min(0).max(500), z.array(z.string().max(100)).min(1).max(10)]);
const words = z.array(z.string().max(40)).max(20);
const mapping = z
  .object({
    headerRow: z.number().int().min(1).max(1000).nullable().optional(),
    date: column,
    time: column.optional(),
    valueDate: column.optional(),
    dateOrder: z.enum(['ymd', 'dmy', 'mdy']).optional(),
    amount: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('signed'), amount: column }).strict(),
      z.object({ kind: z.literal('in_out'), in: column, out: column }).strict(),
      z.object({ kind: z.literal('debit_credit'), debit: column, credit: column }).strict(),
      z
        .object({ kind: z.literal('direction'), amount: column, direction: column, in: words, out: words, ignore: words.optional() })
        .strict(),
    ]),
    balance: column.optional(),
    currency: column.optional(),
    defaultCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/, says('currency_format'))
      .optional(),
    account: column.optional(),
    counterpartyName: column.optional(),
    counterpartyAccount: column.optional(),
    counterparty: column.optional(),
    reference: column.optional(),
    memo: z.array(column).max(10).optional(),
    bankRef: column.optional(),
    reversal: z
      .object({ columns: z.array(column).max(10), words })
      .strict()
      .optional(),
    skip: z.object({ column, values: words }).strict().optional(),
  })
  .strict();
const readOptions = { profile: z.string().max(40).optional(), mapping: mapping.optional(), bankAccountId: id.optional() };
const money = <T extends { amount: number; covered?: number }>(r: T) => ({
  ...r,
  amount: String(r.amount),
  ...(r.covered !== undefined ? { covered: String(r.covered) } : {}),
});

/** A reference code the customer can type: 8 characters without look-alikes (0/O, 1/I/L). */
function newReferenceCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

export const rechargeMethods = {
  'bankAccounts.list': read({
    input: z.object({}).strict(),
    roles: READERS,
    run: async ({ q }) => (await listBankAccounts(q)).map((b) => ({ ...b, balance: String(b.balance) })),
  }),
  'bankAccounts.create': write({
    input: z
      .object({
        bankName: z.string().trim().min(1).max(100),
        accountNumber: z.string().trim().min(4).max(60),
        name: z.string().trim().min(1).max(100),
      })
      .strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => {
      const b = await createBankAccount(tx, actor, i, api.ports.clock());
      return { ...b, balance: String(b.balance) };
    },
  }),

  'requests.list': pagedRead(
    {
      status: z.array(z.enum(REQUEST_STATUSES)).max(REQUEST_STATUSES.length).optional(),
      customerId: id.optional(),
      ...timeSpan,
      ...amountRange,
      payerAccount: z.string().max(60).optional(),
      text: z.string().max(64).optional(),
      ...paging,
    },
    listRequests,
    money,
  ),
  'requests.get': read({
    input: z.object({ id }).strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      const p = await requestPage(q, i.id);
      return {
        ...p,
        request: money(p.request),
        evidence: p.evidence.map((l) => ({ ...l, amount: String(l.amount), allocated: String(l.allocated) })),
      };
    },
  }),
  'requests.create': write({
    input: z
      .object({
        requestId,
        accountId: id,
        payerAccount: z.string().trim().min(4).max(60),
        amount: yuan,
        channel: z.enum(['bank', 'alipay', 'wechat']).default('bank'),
        referenceCode: z
          .string()
          .regex(/^[0-9A-Za-z]{6,12}$/, says('reference_code_format'))
          .optional(),
      })
      .strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      const now = api.ports.clock();
      // Drawn first, so the request's own audit entry seals the number with it (a refusal rolls both back).
      const counterNo = await numberCounterRequest(tx, 'recharge', `counter:${i.requestId}`, now);
      const r = await createRechargeRequest(
        tx,
        actor,
        {
          requestId: `counter:${i.requestId}`,
          account: { id: i.accountId },
          payerAccount: i.payerAccount,
          amount: parseYuan(i.amount),
          channel: i.channel,
          referenceCode: i.referenceCode ?? newReferenceCode(),
        },
        { at: now },
      );
      return { ...money(r), counterNo };
    },
  }),
  'requests.reject': write({
    input: z.object({ id, reason, version: z.number().int().positive() }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => money(await rejectRequest(tx, actor, i.id, i.reason, i.version, api.ports.clock())),
  }),
  'requests.expire': write({
    input: z.object({}).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }) => ({ expired: await expireRequests(tx, actor, api.ports.clock()) }),
  }),

  /** A job: at 100k lines a run takes seconds; its passes show as progress and a cancel writes nothing. */
  'reconcile.run': job({
    input: z.object({}).strict(),
    roles: COUNTER,
    run: ({ books, actor, api, job: j }) =>
      inWriteTx(books, async (tx) => {
        const { decisions: _d, ...r } = await inJob(reconcileSteps(tx, actor, api.ports.clock()), j);
        return { ...r, amountAllocated: String(r.amountAllocated) };
      }),
  }),
  'reconcile.dryRun': read({
    input: z.object({ rules: z.unknown() }).strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      const parsed = parseInput(SETTINGS['matching.rules'].schema, i.rules, 'rules');
      if (!parsed.success) throw inputRefusal(parsed.problems);
      return await dryRun(q, parsed.data);
    },
  }),
  'reconcile.queue': read({
    input: z
      .object({
        tab: z.enum(['suggested', 'ambiguous', 'unmatchedLines', 'reversals', 'unpaidRequests', 'mismatched', 'awaiting']),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => reviewQueue(q, i.tab, i.limit, i.beforeId),
  }),
  'reconcile.queueCounts': read({ input: z.object({}).strict(), roles: READERS, run: async ({ q }) => queueCounts(q) }),
  'reconcile.match': write({
    input: z.object({ lineId: id, requestId: id, amount: minor }).strict(),
    roles: COUNTER,
    // A rule with four eyes turns the match into a proposal: proposalId says it waits for a second person.
    run: async ({ tx, actor, api }, i) => matchByHand(tx, actor, i.lineId, i.requestId, i.amount, api.ports.clock()),
  }),
  // A reversal (冲正) whose original was matched is netted by hand once the original is unmatched.
  'reconcile.netReversal': write({
    input: z.object({ lineId: id }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      const p = await netReversalLine(tx, actor, i.lineId, api.ports.clock());
      return { ...p, amount: String(p.amount) };
    },
  }),
  'reconcile.unmatch': write({
    input: z.object({ allocationId: id, reason }).strict(),
    roles: COUNTER,
    run: ({ tx, actor, api }, i) => unmatch(tx, actor, i.allocationId, i.reason, api.ports.clock()),
  }),
  'reconcile.confirmProposal': write({
    input: z.object({ proposalId: id }).strict(),
    roles: APPROVERS,
    run: ({ tx, actor, api }, i) => confirmProposal(tx, actor, i.proposalId, api.ports.clock()),
  }),
  'reconcile.declineProposal': write({
    // The reason's presence is the service's refusal (decline_reason_required), so the console can say it in its language.
    input: z.object({ proposalId: id, reason: z.string().max(500) }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => {
      await declineProposal(tx, actor, i.proposalId, i.reason, api.ports.clock());
      return null;
    },
  }),
  'reconcile.proposeWriteOff': write({
    // kind: fee (手续费, the platform bears it) or short (客户少付, booked as received) — see services/reconcile.ts.
    input: z.object({ requestId: id, amount: minor, kind: z.enum(WRITEOFF_KINDS), reason }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => ({
      allocationId: await proposeWriteOff(tx, actor, i.requestId, i.amount, i.reason, api.ports.clock(), i.kind),
    }),
  }),
  'reconcile.decideWriteOff': write({
    input: z.object({ allocationId: id, approve: z.boolean() }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => {
      await decideWriteOff(tx, actor, i.allocationId, i.approve, api.ports.clock());
      return null;
    },
  }),
  'reconcile.report': read({
    input: z.object({ bankAccountId: id, statementId: id.optional() }).strict(),
    roles: READERS,
    run: async ({ q, api }, i) => reconciliationReport(q, i.bankAccountId, i.statementId, api.ports.clock()),
  }),
  'statements.choose': job({
    input: z.object({}).strict(),
    roles: COUNTER,
    run: async (ctx) => {
      const file = await chosenPath(ctx, 'open', 'Import a bank statement', '', [
        'csv',
        'xlsx',
        'xls',
        'xml',
        'sta',
        'mt940',
        'ofx',
        'qfx',
        'txt',
      ]);
      // A file over the cap is not read at all here; the preview refuses it with the reason.
      const layout =
        fs.statSync(file).size > MAX_STATEMENT_BYTES
          ? null
          : await detectLayout(fs.readFileSync(file), path.basename(file)).catch(() => null);
      return {
        token: ctx.api.files.remember(ctx.clientId, file),
        file: path.basename(file),
        layout,
        profiles: PROFILES.map((p) => ({ id: p.id, name: p.name })),
      };
    },
  }),
  'statements.preview': job({
    input: z.object({ token: fileToken, ...readOptions }).strict(),
    roles: COUNTER,
    run: async (ctx, i) => ctx.snapshot((q) => previewStatementFile(q, chosenFile(ctx, i.token), i)),
  }),
  'statements.import': job({
    input: z
      .object({
        token: fileToken,
        sha256,
        acceptContinuity: z.boolean().default(false),
        ...readOptions,
      })
      .strict(),
    roles: COUNTER,
    run: async (ctx, i) => {
      const file = chosenFile(ctx, i.token);
      return inWriteTx(ctx.books, (tx) =>
        commitStatementFile(tx, ctx.actor, file, { ...i, expectSha256: i.sha256, now: ctx.api.ports.clock() }),
      );
    },
  }),
  'reconcile.exportReport': job({
    input: z.object({ bankAccountId: id, statementId: id.optional() }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const target = await chosenPath(
        ctx,
        'save',
        'Export reconciliation report',
        `coffer-reconciliation-${stamp(ctx.api.ports.clock())}.xlsx`,
        ['xlsx'],
      );
      return ctx.snapshot((q) => exportReconciliationReport(q, target, i.bankAccountId, i.statementId, ctx.api.ports.clock()));
    },
  }),
  'statements.list': read({
    input: z.object({ bankAccountId: id.optional() }).strict(),
    roles: READERS,
    run: async ({ q }, i) => listStatements(q, i.bankAccountId),
  }),
  'statements.lines': read({
    input: z.object({ statementId: id, afterLineNo: z.number().int().min(0).default(0), limit: limit.default(200) }).strict(),
    roles: READERS,
    run: async ({ q }, i) =>
      (await statementLines(q, i.statementId, i.limit, i.afterLineNo)).map((l) => ({
        ...l,
        amount: String(l.amount),
        allocated: String(l.allocated),
        reversal: l.reversal === 1,
        state: bankLineState(l),
        /** what of money in is not yet matched; none for money out */
        remaining: l.amount > 0 ? String(l.amount - l.allocated) : null,
      })),
  }),

  'reviewResults.pending': read({
    input: z.object({}).strict(),
    roles: READERS,
    run: async ({ q }) => (await unsentReviewResults(q)).length,
  }),
  'reviewResults.export': job({
    input: z.object({}).strict(),
    roles: COUNTER,
    run: async (ctx) => {
      if ((await ctx.snapshot(unsentReviewResults)).length === 0) throw refuse('NOT_FOUND', 'no_review_results', {});
      const target = await chosenPath(ctx, 'save', 'Export review results', `coffer-review-results-${stamp(ctx.api.ports.clock())}.jsonl`, [
        'jsonl',
      ]);
      return inWriteTx(ctx.books, (tx) => exportReviewResults(tx, ctx.actor, target, ctx.api.ports.clock()));
    },
  }),
} satisfies Record<string, MethodDef>;
