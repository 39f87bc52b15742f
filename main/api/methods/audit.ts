// The audit log: list with filters, verify the hash chain, export with every row's hash.
import { z } from 'zod';
import { exportAudit } from '../../services/exports';
import { listAudit, verifyAuditChain } from '../../services/audit';
import { READERS, chosenPath, job, none, read, scan, stamp, type MethodDef, timeSpan, paging } from '../define';

export const auditMethods = {
  'audit.list': read({
    input: z
      .object({
        ...timeSpan,
        action: z.string().max(64).optional(),
        staffName: z.string().max(64).optional(),
        entity: z.string().max(64).optional(),
        entityId: z.string().max(64).optional(),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: ({ q }, i) => listAudit(q, i),
  }),
  'audit.verifyChain': scan({
    input: none,
    roles: READERS,
    run: async ({ q, progress }) => {
      const r = await verifyAuditChain(q, (n) => progress(n, null));
      return { ok: r.findings.length === 0, rows: r.rows, lastHash: r.lastHash, findings: r.findings };
    },
  }),
  'audit.export': job({
    input: z.object({ format: z.enum(['jsonl', 'csv']) }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const target = await chosenPath(ctx, 'save', 'Export audit log', `coffer-audit-${stamp(Date.now())}.${i.format}`, [i.format]);
      return ctx.snapshot((q) => exportAudit(q, target, i.format, ctx.job));
    },
  }),
} satisfies Record<string, MethodDef>;
