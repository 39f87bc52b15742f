// The month-end pack (月结包, issue 12 §3): every report of a month in one workbook and, where there is a
// printer, one PDF — refused before any dialog opens unless the month's close checks all pass, and
// recorded in the audit trail with the files' digests.
import fs from 'node:fs';
import { z } from 'zod';
import { inWriteTx } from '../../db/tx';
import { writeBytesAtomically } from '../../formats/file-out';
import { fileDigest, packHtml, packReadiness, recordPack, writePackWorkbook, type PackFile } from '../../services/month-end-pack';
import { READERS, chosenPath, job, type MethodDef, month } from '../define';
import { refuse } from '../../domain/refusals';

export const monthEndMethods = {
  'monthEnd.pack': job({
    input: z.object({ month, pdf: z.boolean().optional() }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const now = ctx.api.ports.clock();
      await ctx.snapshot((q) => packReadiness(q, i.month, now)); // refused before asking where to save
      const printer = ctx.api.ports.printer;
      if (i.pdf && !printer) throw refuse('VALIDATION', 'no_printer', {}, { field: 'pdf' });
      const target = await chosenPath(ctx, 'save', 'Save the month-end pack', `月结包-${i.month}.xlsx`, ['xlsx']);
      const written: string[] = [];
      try {
        ctx.job.progress(0, 2, 'workbook');
        // The workbook and the printed pack from one committed state.
        const { workbook, html } = await ctx.snapshot(async (q) => {
          await packReadiness(q, i.month, now);
          const workbook = await writePackWorkbook(q, i.month, ctx.actor, now, target);
          written.push(target);
          return { workbook, html: i.pdf && printer ? await packHtml(q, i.month, ctx.actor, now) : null };
        });
        let pdf: PackFile | null = null;
        if (html !== null && printer) {
          ctx.job.progress(1, 2, 'pdf');
          const bytes = await printer.htmlToPdf(html);
          const pdfTarget = await chosenPath(ctx, 'save', 'Save the month-end pack as PDF', `月结包-${i.month}.pdf`, ['pdf']);
          written.push((await writeBytesAtomically(pdfTarget, bytes)).path);
          pdf = fileDigest(pdfTarget);
        }
        await inWriteTx(ctx.books, async (tx) => recordPack(tx, ctx.actor, i.month, { workbook, pdf }, ctx.api.ports.clock()));
        ctx.job.progress(2, 2, 'done');
        return { month: i.month, workbook, pdf };
      } catch (e) {
        // A pack the audit trail does not name is not left behind.
        for (const f of written) fs.rmSync(f, { force: true });
        throw e;
      }
    },
  }),
} satisfies Record<string, MethodDef>;
