// Business times are Asia/Shanghai: shown as "YYYY-MM-DD HH:mm:ss" Beijing time, and date filters
// are Shanghai calendar days turned into [from, to) instants.
import type { Dayjs } from 'dayjs';
import { shanghaiDateTime, shanghaiDayStart } from '../../../main/domain/dates';

export function formatTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : shanghaiDateTime(ms);
}

/** A RangePicker value → {from, to} instants covering whole Shanghai days (to is exclusive). */
export function dayRange(range: [Dayjs | null, Dayjs | null] | null | undefined): { from?: number; to?: number } {
  const out: { from?: number; to?: number } = {};
  if (!range) return out;
  const [a, b] = range;
  if (a) out.from = shanghaiDayStart(a.format('YYYY-MM-DD'));
  if (b) out.to = shanghaiDayStart(b.format('YYYY-MM-DD')) + 86_400_000;
  return out;
}

export function shortHash(h: string): string {
  return h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-6)}` : h;
}

/** A RangePicker value as the filter line says it: "2026-11-01 ~ 2026-11-30" (an open end left blank). */
export function rangeText(range: [Dayjs | null, Dayjs | null] | null | undefined): string | null {
  if (!range || (!range[0] && !range[1])) return null;
  return `${range[0]?.format('YYYY-MM-DD') ?? ''} ~ ${range[1]?.format('YYYY-MM-DD') ?? ''}`;
}
