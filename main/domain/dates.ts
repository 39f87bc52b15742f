// Business dates are in Asia/Shanghai time (UTC+8 all year: China has had no daylight saving since 1991).
const OFFSET_MS = 8 * 3600_000;

/** 'YYYY-MM-DD' of the Shanghai calendar day an instant falls on. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm:ss' in Shanghai time. */
export function shanghaiDateTime(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant a Shanghai calendar day starts. Refuses anything that is not a real date. */
export function shanghaiDayStart(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): "${date}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`no such date: "${date}"`);
  return ms - OFFSET_MS;
}
