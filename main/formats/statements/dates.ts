// Dates as the files write them → YYYY-MM-DD, checked against the calendar (no 2024-02-30).
import { fail } from './types';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days ? `${pad(y, 4)}-${pad(m)}-${pad(d)}` : null;
}

export function isoTime(h: number, mi: number, s: number): string | null {
  return h <= 23 && mi <= 59 && s <= 59 ? `${pad(h)}:${pad(mi)}:${pad(s)}` : null;
}

/** MT940's YYMMDD: years 00–79 are 20xx, 80–99 are 19xx. */
export function swiftDate(yymmdd: string): string | null {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (!m) return null;
  const yy = Number(m[1]);
  return isoDate(yy < 80 ? 2000 + yy : 1900 + yy, Number(m[2]), Number(m[3]));
}

/** An MMDD entry date next to a full value date: the year is the one that puts it closest. */
export function nearDate(mmdd: string, anchor: string): string | null {
  const m = /^(\d\d)(\d\d)$/.exec(mmdd);
  if (!m) return null;
  const month = Number(m[1]);
  const anchorYear = Number(anchor.slice(0, 4));
  const anchorMonth = Number(anchor.slice(5, 7));
  const year = month - anchorMonth > 6 ? anchorYear - 1 : anchorMonth - month > 6 ? anchorYear + 1 : anchorYear;
  return isoDate(year, month, Number(m[2]));
}

export type DateOrder = 'ymd' | 'dmy' | 'mdy';

export interface DateTime {
  date: string;
  time: string | null;
}

const TIME = String.raw`(?:[ T]+(\d{1,2})[:：.](\d{2})(?:[:：.](\d{2}))?(?:\.\d+)?)?`;
const YMD = new RegExp(String.raw`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?${TIME}$`);
const COMPACT = new RegExp(String.raw`^(\d{4})(\d{2})(\d{2})(?:[ T]*(\d{2}):?(\d{2}):?(\d{2}))?$`);
const OTHER = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})${TIME}$`);

/**
 * "2024-03-01", "2024/3/1 10:21:33", "20240301", "20240301102133", "2024年03月01日"; with order 'dmy'
 * or 'mdy' also "01/03/2024". Returns null when the text is not such a date.
 */
export function parseDateTime(text: string, order: DateOrder = 'ymd'): DateTime | null {
  const s = text.trim();
  let y: number, mo: number, d: number;
  let t: (string | undefined)[];
  let m = YMD.exec(s) ?? COMPACT.exec(s);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    t = [m[4], m[5], m[6]];
  } else if (order !== 'ymd' && (m = OTHER.exec(s))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    [y, mo, d] = order === 'dmy' ? [Number(m[3]), b, a] : [Number(m[3]), a, b];
    t = [m[4], m[5], m[6]];
  } else return null;
  const date = isoDate(y, mo, d);
  if (!date) return null;
  if (t[0] === undefined) return { date, time: null };
  const time = isoTime(Number(t[0]), Number(t[1]), Number(t[2] ?? '0'));
  return time ? { date, time } : null;
}

/** "10:21:33", "10:21", "102133", "10.21.33". */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})[:：.]?(\d{2})(?:[:：.]?(\d{2}))?$/.exec(text.trim());
  return m ? isoTime(Number(m[1]), Number(m[2]), Number(m[3] ?? '0')) : null;
}

/**
 * Excel's serial day number as exceljs hands it over as text ("45352.4375"): days since 1899-12-30
 * (1900 system). The fraction is read from the digits, so no float decides the second.
 */
export function excelSerial(text: string): DateTime | null {
  const m = /^(\d{1,7})(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const days = Number(m[1]);
  if (days < 1 || days > 2_958_465) return null;
  const ms = Date.UTC(1899, 11, 30) + days * 86_400_000;
  const dt = new Date(ms);
  const date = isoDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
  if (!date) return null;
  const frac = m[2] ?? '';
  if (!/[1-9]/.test(frac)) return { date, time: null };
  const scale = 10n ** BigInt(frac.length);
  const secs = Number((BigInt(frac) * 86_400n * 2n + scale) / (2n * scale)); // rounded to the second
  if (secs >= 86_400) return { date, time: '23:59:59' };
  return { date, time: isoTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60) };
}

export function requireDate(text: string, line: number | null, field: string, order: DateOrder = 'ymd'): DateTime {
  const dt = parseDateTime(text, order);
  if (!dt) fail('bad_date', 'stmt_not_date', { value: text }, line, field);
  return dt;
}
