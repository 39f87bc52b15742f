// Accounting periods: months of the Asia/Shanghai calendar, named 'YYYY-MM'. Pure rules, no I/O.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isBusinessDate(d: string): boolean {
  const m = DATE.exec(d);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === d;
}

/** True for a month written 'YYYY-MM'. */
export function isMonth(m: string): boolean {
  const x = MONTH.exec(m);
  return !!x && Number(x[2]) >= 1 && Number(x[2]) <= 12;
}

export const monthOf = (date: string): string => date.slice(0, 7);

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export const firstDay = (month: string): string => `${month}-01`;

export function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Where a late platform event posts: on its own day when that month is open, else on the first day of
 * the first open month after it (a closed month takes no posting).
 */
export function firstOpenDay(date: string, closedMonths: ReadonlySet<string>): string {
  let month = monthOf(date);
  if (!closedMonths.has(month)) return date;
  while (closedMonths.has(month)) month = nextMonth(month);
  return firstDay(month);
}
