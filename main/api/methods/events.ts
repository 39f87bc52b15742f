// The platform's event files: choose a file (main keeps its path; the page gets a token), preview it
// as a job (counts per type, errors per line), then import it as a job in one transaction.
import { z } from 'zod';
import { inWriteTx } from '../../db/tx';
import { literal } from '../../db/query';
import { withWhy, refuse } from '../../domain/refusals';
import { commitEventImport, previewEventImport } from '../../services/event-import';
import { READERS, chosenPath, fileToken, job, limit, read, sha256, type MethodDef, COUNTER } from '../define';

export const eventMethods = {
  'events.preview': job({
    input: z.object({}).strict(),
    roles: COUNTER,
    run: async (ctx) => {
      const path = await chosenPath(ctx, 'open', 'Import platform events', '', ['jsonl', 'ndjson', 'json', 'txt']);
      const preview = await ctx.snapshot((q) => previewEventImport(q, path, ctx.job));
      return { ...preview, token: ctx.api.files.remember(ctx.clientId, path) };
    },
  }),
  'events.import': job({
    input: z.object({ token: fileToken, sha256 }).strict(),
    roles: COUNTER,
    run: async (ctx, i) => {
      const path = ctx.api.files.resolve(ctx.clientId, i.token);
      if (!path) throw refuse('NOT_FOUND', 'file_not_chosen', {}, { field: 'token' });
      return inWriteTx(ctx.books, (tx) =>
        commitEventImport(tx, ctx.actor, path, { expectSha256: i.sha256, job: ctx.job, now: ctx.api.ports.clock() }),
      );
    },
  }),
  'events.imports': read({
    input: z.object({ limit: limit.default(50) }).strict(),
    roles: READERS,
    run: async ({ q }, i) =>
      q.db
        .selectFrom('event_imports as i')
        .leftJoin('staff as s', 's.id', 'i.imported_by')
        .select([
          'i.id',
          'i.file_name as fileName',
          'i.sha256',
          'i.lines',
          'i.applied',
          'i.refused',
          'i.skipped',
          'i.imported_at as importedAt',
          's.username as importedBy',
        ])
        .orderBy('i.id', 'desc')
        .limit(i.limit)
        .execute(),
  }),
  'events.refused': read({
    input: z.object({ importId: z.number().int().positive().optional(), limit: limit.default(200) }).strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      let query = q.db
        .selectFrom('events')
        .select([
          'id',
          'type',
          'at',
          'reason',
          'reason_code as reasonCode',
          'reason_params as reasonParams',
          'import_id as importId',
          'line',
        ])
        .where('status', '=', literal('refused'));
      if (i.importId !== undefined) query = query.where('import_id', '=', i.importId);
      return (await query.orderBy('at', 'desc').limit(i.limit).execute()).map((r) => withWhy(r));
    },
  }),
} satisfies Record<string, MethodDef>;
