// The ledger: accounts, trial balance, transfers (keyset paging), reversal, and the journal export.
import { z } from 'zod';
import { exportJournal } from '../../services/exports';
import { reverseTransfer } from '../../services/ledger-actions';
import { getTransfer, listAccounts, listTransfers, trialBalance } from '../../services/ledger-read';
import { ledgerTrial } from '../../services/trial-balance';
import { accountDto, ledgerTrialDto, transferDto, trialBalanceDto } from '../dto';
import {
  APPROVERS,
  READERS,
  chosenPath,
  id,
  job,
  ledger,
  limit,
  none,
  read,
  reason,
  stamp,
  write,
  type MethodDef,
  timeSpan,
  amountRange,
  paging,
  pagedRead,
} from '../define';

export const ledgerMethods = {
  'ledger.accounts': read({
    input: z
      .object({
        ledger: ledger.optional(),
        search: z.string().max(100).optional(),
        systemOnly: z.boolean().optional(),
        offset: z.number().int().min(0).default(0),
        limit: limit.default(100),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      const r = await listAccounts(q, { ...i, ...(i.systemOnly ? { ownerKind: null } : {}) });
      return { total: r.total, rows: r.rows.map(accountDto) };
    },
  }),
  'ledger.trialBalance': read({ input: none, roles: READERS, run: async ({ q }) => (await trialBalance(q)).map(trialBalanceDto) }),
  /** One ledger's 试算平衡 as the console lists and exports it (CNY by 科目). */
  'ledger.trialBalanceLines': read({
    input: z.object({ ledger }).strict(),
    roles: READERS,
    run: async ({ q }, i) => ledgerTrialDto(await ledgerTrial(q, i.ledger)),
  }),
  'ledger.transfers': pagedRead(
    {
      ledger: ledger.optional(),
      accountId: id.optional(),
      kind: z.enum(['single', 'pending', 'post', 'void']).optional(),
      code: z.string().max(64).optional(),
      ...timeSpan,
      ...amountRange,
      key: z.string().max(255).optional(),
      ...paging,
    },
    listTransfers,
    transferDto,
  ),
  'ledger.transfer': read({
    input: z.object({ id }).strict(),
    roles: READERS,
    run: async ({ q }, i) => transferDto(await getTransfer(q, i.id)),
  }),
  'ledger.reverse': write({
    input: z.object({ id, reason }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor }, i) => transferDto(await reverseTransfer(tx, actor, i.id, i.reason)),
  }),
  'ledger.exportJournal': job({
    input: none,
    roles: READERS,
    run: async (ctx) => {
      const target = await chosenPath(ctx, 'save', 'Export journal', `coffer-journal-${stamp(Date.now())}.journal`, [
        'journal',
        'ledger',
        'txt',
      ]);
      return ctx.snapshot((q) => exportJournal(q, target, ctx.books.path, ctx.job));
    },
  }),
} satisfies Record<string, MethodDef>;
