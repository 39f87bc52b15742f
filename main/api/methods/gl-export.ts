// Vouchers for the user's general ledger (金蝶 / 用友), issue 12 §4: what a month would export, the export
// itself (checked before the dialog asks where to save, recorded after the file is written), and the
// templates an admin loads from their GL. The subject mapping and 客户 辅助核算 are settings
// (gl.subjectMap, gl.customerAux) changed through settings.propose / settings.decide.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { inWriteTx } from '../../db/tx';
import { GL_FORMATS } from '../../domain/gl-export';
import { refuse } from '../../domain/refusals';
import {
  GL_TEMPLATE_MAX_BYTES,
  glExportStatus,
  glTemplates,
  planGlExport,
  readGlTemplate,
  recordGlExport,
  storeGlTemplate,
  writeGlExport,
} from '../../services/gl-export';
import { witnessOf } from '../../services/witness';
import { ADMINS, READERS, chosenPath, job, read, type MethodDef, month } from '../define';

const format = z.enum(GL_FORMATS);

export const glExportMethods = {
  'vouchers.glStatus': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q, api }, i) => glExportStatus(q, i.month, api.ports.clock()),
  }),
  'vouchers.glExport': job({
    input: z.object({ month, format, force: z.boolean().optional() }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const now = ctx.api.ports.clock();
      // The plan and the witness from one committed state, let go before the dialog asks where to save (one
      // left open must not hold the books' state); the file is written from them, the export recorded after.
      const { plan, witness } = await ctx.snapshot(async (q) => ({
        plan: await planGlExport(q, ctx.actor, i, now),
        witness: await witnessOf(q),
      }));
      const target = await chosenPath(ctx, 'save', 'Export vouchers for the general ledger', `凭证-${i.format}-${i.month}.xlsx`, ['xlsx']);
      const file = await writeGlExport(target, plan, witness);
      try {
        return await inWriteTx(ctx.books, async (tx) =>
          recordGlExport(tx, ctx.actor, plan, { ...file, fileName: path.basename(target) }, ctx.api.ports.clock()),
        );
      } catch (e) {
        // Not recorded, so not left behind either: a file no record names would be imported unguarded.
        fs.rmSync(target, { force: true });
        throw e;
      }
    },
  }),
  'vouchers.glTemplates': read({ input: z.object({}).strict(), roles: READERS, run: async ({ q }) => glTemplates(q) }),
  'vouchers.loadGlTemplate': job({
    input: z.object({ format }).strict(),
    roles: ADMINS,
    run: async (ctx, i) => {
      const file = await chosenPath(ctx, 'open', 'Load the voucher import template of your general ledger', '', ['xlsx']);
      const name = path.basename(file);
      if (fs.statSync(file).size > GL_TEMPLATE_MAX_BYTES)
        throw refuse(
          'LIMIT',
          'gl_template_unreadable',
          { file: name, problem: `over ${GL_TEMPLATE_MAX_BYTES / 1048576} MiB` },
          { field: 'file' },
        );
      const bytes = fs.readFileSync(file);
      const head = await readGlTemplate(bytes, name, i.format);
      return inWriteTx(ctx.books, async (tx) => storeGlTemplate(tx, ctx.actor, i.format, name, bytes, head, ctx.api.ports.clock()));
    },
  }),
} satisfies Record<string, MethodDef>;
