// Every list to Excel or print (one exporter for all of them), and the header's search by number.
import { z } from 'zod';
import { says } from '../../domain/input-problems';
import { findByNumber } from '../../services/search';
import { READERS, job, read, type MethodDef } from '../define';
import { exportList, listExportInput } from '../list-export';

export const listMethods = {
  // Open to any session: the list's own read method decides who may read it.
  'lists.export': job({ input: listExportInput, roles: 'session', run: (ctx, i) => exportList(ctx, i) }),
  'search.find': read({
    input: z.object({ text: z.string().trim().min(2, says('search_text_short')).max(64) }).strict(),
    roles: READERS,
    run: async ({ q }, i) => ({ hits: await findByNumber(q, i.text) }),
  }),
} satisfies Record<string, MethodDef>;
