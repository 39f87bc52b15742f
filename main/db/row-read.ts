// Reading a row the driver hands back as `unknown` (raw SQL the builder does not write: streamed scans
// over every row, sums read as bigint), column by column with its type checked, so that a query and the
// shape the code reads cannot drift apart silently: a missing column or a column of another type throws,
// naming it. Each query's mapper (a function from `unknown` to its row) is written beside its SQL:
// `rowMapper({ id: num, memo: textOrNull })`, or a reader called for one column, `num(row, 'n')`.

/** Reads one column of a row, checked. */
export type Read<T> = (row: unknown, name: string) => T;

function column(row: unknown, name: string): unknown {
  if (typeof row !== 'object' || row === null || !(name in row)) throw new Error(`row: no column ${name}`);
  return Reflect.get(row, name);
}

function reader<T>(want: string, is: (v: unknown) => v is T): Read<T> {
  return (row, name) => {
    const v = column(row, name);
    if (!is(v)) throw new Error(`row: column ${name} is ${v === null ? 'null' : typeof v}, not ${want}`);
    return v;
  };
}

const orNull =
  <T>(is: (v: unknown) => v is T) =>
  (v: unknown): v is T | null =>
    v === null || is(v);
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isBigint = (v: unknown): v is bigint => typeof v === 'bigint';
const isText = (v: unknown): v is string => typeof v === 'string';

/** An integer read as a number (the driver's default). */
export const num = reader('a number', isNumber);
export const numOrNull = reader('a number or null', orNull(isNumber));
/** An integer read as bigint (a statement with safeIntegers). */
export const big = reader('a bigint', isBigint);
/** A bigint column that may be NULL (a sum over no rows). */
export const bigOrNull = reader('a bigint or null', orNull(isBigint));
export const text = reader('text', isText);
export const textOrNull = reader('text or null', orNull(isText));
export const bytes = reader('a blob', (v): v is Buffer => Buffer.isBuffer(v));

/** Text that must be one of `values` (a status column's CHECK list). */
export function oneOf<const V extends string>(values: readonly V[]): Read<V> {
  return reader(`one of ${values.join(', ')}`, (v): v is V => values.some((x) => x === v));
}

export function oneOfOrNull<const V extends string>(values: readonly V[]): Read<V | null> {
  return reader(`one of ${values.join(', ')} or null`, (v): v is V | null => v === null || values.some((x) => x === v));
}

/** A row's shape: each column's name and its reader. */
export type RowShape = Record<string, Read<unknown>>;
export type RowOfShape<S extends RowShape> = { [K in keyof S]: ReturnType<S[K]> };

/** A mapper reading every column of `shape` (each key a column's name) with its reader, into an object of those keys. */
export function rowMapper<S extends RowShape>(shape: S): (row: unknown) => RowOfShape<S> {
  const columns = Object.entries(shape);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [name, read] of columns) out[name] = read(row, name);
    return out as RowOfShape<S>; // every key of the shape, each read by its own reader just above
  };
}

/** A value as SQLite hands it over. */
export type SqlValue = string | number | bigint | Buffer | null;

const isSqlValue = (v: unknown): v is SqlValue => v === null || isText(v) || isNumber(v) || isBigint(v) || Buffer.isBuffer(v);

/** A row of a raw statement (`.raw(true)`: an array of values in the order of its columns). */
export function rawValues(row: unknown): SqlValue[] {
  if (!Array.isArray(row) || !row.every(isSqlValue)) throw new Error('row: not an array of SQL values');
  return row;
}
