// Usage errors (exit code 2) and argument parsing with node:util parseArgs, strict.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
/** Option values; a command's file names (positionals) under `_`. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** Parses the options; positionals (file names) only for commands that take them, under the key `_`. */
export function parse(command: string, args: string[], options: Options, positionals = false): Values {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: positionals,
    });
    return positionals ? { ...(parsed.values as Values), _: parsed.positionals } : (parsed.values as Values);
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    throw new UsageError(msg, command);
  }
}

export function required(command: string, values: Values, ...names: string[]): void {
  for (const n of names) {
    const v = values[n];
    if (v === undefined || v === '') throw new UsageError(`--${n} is required`, command);
  }
}
