// Accounting periods: months of the Asia/Shanghai calendar, named 'YYYY-MM'. Pure rules, no I/O.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isBusinessDate(d: string): boolean {
  const m = DATE.exec(d);
  if (!m) return false;
  // by arithmetic, not a Date per call: a statement import checks every line's date
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 100 || month < 1 || month > 12 || day < 1) return false; // years 0–99 are not ones Date writes back
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

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
