// A schema's complaint about an input, as a coded problem naming its field: the API border, the
// event file's lines and the settings all read their input through zod, and each zod issue becomes a
// catalogue code with parameters (refusals.ts), so the console translates it and the CLI says it in
// English. A schema's own message (a regex, a refine) is itself a catalogue code: `says('…')`.
import type { z } from 'zod';
import type { CofferError } from './errors';
import { isRefusalCode, refuse, refusalMessage, type RefusalCode, type RefusalParams } from './refusals';

export interface InputProblem {
  /** the path of the field ("amount", "items.0.version"); '' for the input as a whole */
  field: string;
  code: RefusalCode;
  params: Record<string, string>;
  /** English, from the catalogue */
  message: string;
}

/** A schema message that is a catalogue code without parameters (checked by type). */
export const says = (code: InputCode): string => code;

type NoParams<C> = C extends RefusalCode ? ([keyof RefusalParams<C>] extends [never] ? C : never) : never;
export type InputCode = NoParams<RefusalCode>;

const TYPE_CODES: Record<string, RefusalCode> = {
  string: 'input_not_text',
  number: 'input_not_number',
  int: 'input_not_whole',
  boolean: 'input_not_boolean',
  array: 'input_not_list',
  object: 'input_not_object',
};

/** The code and parameters of one zod issue. */
function coded(i: z.core.$ZodIssue): { code: RefusalCode; params: Record<string, string> } {
  if (isRefusalCode(i.message)) return { code: i.message, params: {} };
  const n = (v: unknown) => String(v);
  switch (i.code) {
    case 'invalid_type':
      if (!('input' in i) || i.input === undefined) return { code: 'input_required', params: {} };
      return { code: TYPE_CODES[i.expected] ?? 'input_wrong_type', params: {} };
    case 'too_small':
      if (i.origin === 'string')
        return Number(i.minimum) <= 1 ? { code: 'input_empty', params: {} } : { code: 'input_too_short', params: { min: n(i.minimum) } };
      if (i.origin === 'array' || i.origin === 'set') return { code: 'input_too_few', params: { min: n(i.minimum) } };
      return i.inclusive === false
        ? { code: 'input_not_above', params: { min: n(i.minimum) } }
        : { code: 'input_too_small', params: { min: n(i.minimum) } };
    case 'too_big':
      if (i.origin === 'string') return { code: 'input_too_long', params: { max: n(i.maximum) } };
      if (i.origin === 'array' || i.origin === 'set') return { code: 'input_too_many', params: { max: n(i.maximum) } };
      return i.inclusive === false
        ? { code: 'input_not_below', params: { max: n(i.maximum) } }
        : { code: 'input_too_large', params: { max: n(i.maximum) } };
    case 'invalid_format':
      if (i.format === 'email') return { code: 'input_email', params: {} };
      if (i.format === 'datetime') return { code: 'input_datetime', params: {} };
      if (i.format === 'date') return { code: 'input_date', params: {} };
      return { code: 'input_format', params: {} };
    case 'invalid_value':
      return { code: 'input_one_of', params: { values: i.values.map((v) => String(v)).join(' / ') } };
    case 'unrecognized_keys':
      return { code: 'input_unknown_fields', params: { keys: i.keys.join(', ') } };
    default:
      return { code: 'input_invalid', params: {} };
  }
}

/** Every issue of a failed parse as a coded problem; `prefix` goes before each field's path. */
export function inputProblems(error: z.ZodError, prefix = ''): InputProblem[] {
  return error.issues.map((i) => {
    const { code, params } = coded(i);
    const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return { field, code, params, message: refusalMessage(code, params as never) };
  });
}

/** A parse that says, for a failure, every problem coded (the input is reported so a missing field is told from a wrong one). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix = '',
): { success: true; data: z.output<S> } | { success: false; problems: InputProblem[] } {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? { success: true, data: r.data } : { success: false, problems: inputProblems(r.error, prefix) };
}

/**
 * The refusal of one problem with its field named: `input_field` carries the field and the problem's
 * code as its `cause` (a problem of the input as a whole is its own code).
 */
export function fieldProblem(p: InputProblem): { code: RefusalCode; params: Record<string, string> } {
  return p.field ? { code: 'input_field', params: { field: p.field, cause: p.code, ...p.params } } : { code: p.code, params: p.params };
}

/** VALIDATION naming the first problem's field and reason; every problem is in `details.issues`. */
export function inputRefusal(problems: InputProblem[], around: { prefix?: string } = {}): CofferError {
  const issues = problems.map((p) => ({ field: p.field || '(input)', code: p.code, params: p.params, message: p.message }));
  const { code, params } = fieldProblem(problems[0]!);
  return refuse('VALIDATION', code, params as never, { issues, field: problems[0]!.field }, around);
}
