// Reading a row the driver hands back as `unknown` (raw SQL the builder does not write: streamed scans
// over every row, sums read as bigint), column by column with its type checked, so that a query and the
// shape the code reads cannot drift apart silently: a missing column or a column of another type throws,
// naming it. Each query's mapper (a function from `unknown` to its row) is written beside its SQL.

function column(row: unknown, name: string): unknown {
  if (typeof row !== 'object' || row === null || !(name in row)) throw new Error(`row: no column ${name}`);
  return Reflect.get(row, name);
}

function wrong(name: string, want: string, v: unknown): Error {
  return new Error(`row: column ${name} is ${v === null ? 'null' : typeof v}, not ${want}`);
}

/** An integer read as a number (the driver's default). */
export function num(row: unknown, name: string): number {
  const v = column(row, name);
  if (typeof v !== 'number') throw wrong(name, 'a number', v);
  return v;
}

export function numOrNull(row: unknown, name: string): number | null {
  const v = column(row, name);
  if (v !== null && typeof v !== 'number') throw wrong(name, 'a number or null', v);
  return v;
}

/** An integer read as bigint (a statement with safeIntegers). */
export function big(row: unknown, name: string): bigint {
  const v = column(row, name);
  if (typeof v !== 'bigint') throw wrong(name, 'a bigint', v);
  return v;
}

/** A bigint column that may be NULL (a sum over no rows). */
export function bigOrNull(row: unknown, name: string): bigint | null {
  const v = column(row, name);
  if (v !== null && typeof v !== 'bigint') throw wrong(name, 'a bigint or null', v);
  return v;
}

export function text(row: unknown, name: string): string {
  const v = column(row, name);
  if (typeof v !== 'string') throw wrong(name, 'text', v);
  return v;
}

export function textOrNull(row: unknown, name: string): string | null {
  const v = column(row, name);
  if (v !== null && typeof v !== 'string') throw wrong(name, 'text or null', v);
  return v;
}

export function bytes(row: unknown, name: string): Buffer {
  const v = column(row, name);
  if (!Buffer.isBuffer(v)) throw wrong(name, 'a blob', v);
  return v;
}

/** Text that must be one of `values` (a status column's CHECK list). */
export function oneOf<const V extends string>(row: unknown, name: string, values: readonly V[]): V {
  const v = column(row, name);
  const found = values.find((x) => x === v);
  if (found === undefined) throw wrong(name, `one of ${values.join(', ')}`, v);
  return found;
}

export function oneOfOrNull<const V extends string>(row: unknown, name: string, values: readonly V[]): V | null {
  return column(row, name) === null ? null : oneOf(row, name, values);
}

/** A value as SQLite hands it over. */
export type SqlValue = string | number | bigint | Buffer | null;

const isSqlValue = (v: unknown): v is SqlValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || Buffer.isBuffer(v);

/** A row of a raw statement (`.raw(true)`: an array of values in the order of its columns). */
export function rawValues(row: unknown): SqlValue[] {
  if (!Array.isArray(row) || !row.every(isSqlValue)) throw new Error('row: not an array of SQL values');
  return row;
}
