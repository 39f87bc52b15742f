// Reading JSON a row holds (a rule snapshot, the approvers of a credit), checked against its schema, so
// that a column which does not hold what the code reads throws naming the column instead of flowing on
// to a screen or a receipt as a guess.
import type { z } from 'zod';

export function storedJson<S extends z.ZodType>(schema: S, json: string, column: string): z.output<S> {
  const read = schema.safeParse(JSON.parse(json));
  if (!read.success) throw new Error(`row: column ${column} does not hold what it should: ${read.error.issues[0]?.message ?? ''}`);
  return read.data;
}
