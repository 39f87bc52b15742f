// Long jobs: cancel one of your own (the dispatcher, which owns the job runner, carries it out).
import { z } from 'zod';
import { control, type MethodDef } from '../define';

export const jobMethods = {
  'jobs.cancel': control({
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    roles: 'session',
    run: () => null, // handled by the dispatcher, which owns the job runner
  }),
} satisfies Record<string, MethodDef>;
