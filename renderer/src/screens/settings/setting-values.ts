// Settings in the accountant's words: each setting's name, its value in units (元 with two decimals for
// fen, % for basis points and rates, 天 / 分钟 / 币, 科目编码 + 名称, 是 / 否), and the form field that
// proposes it — typed text turned into the stored value digit by digit (never through floats).
import type { Data } from '../../api/coffer';
import { lookup, type MessageKey, type TFunction } from '../../i18n';
import { formatYuan, parseYuan } from '../../../../main/domain/money';
import { shanghaiDate } from '../../../../main/domain/dates';
import type { ConversionRule } from '../../../../main/domain/conversion';
import type { SubjectMapEntry } from '../../../../main/domain/gl-export';
import type { InvoiceProduct } from '../../../../main/domain/invoice-tax';
import type { MatchRule } from '../../../../main/domain/matching';
import { coins, yuan, channelText } from '../approvals/common';
import { percentToRate, ratePercent } from '../invoices/texts';
import { rateText, tierText } from '../records/RecordPage';

export type Settings = Data<'settings.list'>;
export type InForce = Settings['inForce'][number];
export type Change = Settings['changes'][number];
export type SettingKey = InForce['key'];

/** How a value is typed: the stored form is fen, basis points, an integer ratio, whole units, a choice… */
export type SettingField =
  | { kind: 'yuan'; maxFen: number }
  | { kind: 'bp'; maxBp: number }
  | { kind: 'ratio' }
  | { kind: 'whole'; unit: MessageKey; min: number; max: number }
  | { kind: 'choice'; options: { value: string; label: MessageKey }[] }
  | { kind: 'flag' }
  | { kind: 'coinValue' }
  | { kind: 'subject' };

/** The settings proposed on 规则与阈值, one field each (limits as the server's schemas have them). */
export const SETTING_FIELDS: Partial<Record<SettingKey, SettingField>> = {
  'device.policy': {
    kind: 'choice',
    options: [
      { value: 'strict', label: 'device.policy.strict' },
      { value: 'review', label: 'device.policy.review' },
    ],
  },
  'transfer.approvalThreshold': { kind: 'whole', unit: 'coins.unit', min: 0, max: Number.MAX_SAFE_INTEGER },
  'approval.dualAboveFen': { kind: 'yuan', maxFen: Number.MAX_SAFE_INTEGER },
  'matching.writeOffCapFen': { kind: 'yuan', maxFen: 100_000 },
  'matching.unallocatedReclassifyDays': { kind: 'whole', unit: 'rules.days', min: 0, max: 3650 },
  'recharge.expiryDays': { kind: 'whole', unit: 'rules.days', min: 1, max: 365 },
  'revenue.method': {
    kind: 'choice',
    options: [
      { value: 'fifo', label: 'revenue.method.fifo' },
      { value: 'weighted', label: 'revenue.method.weighted' },
    ],
  },
  'revenue.breakageBp': { kind: 'bp', maxBp: 9_000 },
  'revenue.vatRate': { kind: 'ratio' },
  'earnings.coinValue': { kind: 'coinValue' },
  'earnings.costSubject': { kind: 'subject' },
  'gl.customerAux': { kind: 'flag' },
  'session.idleMinutes': { kind: 'whole', unit: 'rules.minutes', min: 1, max: 480 },
  'session.maxHours': { kind: 'whole', unit: 'rules.hours', min: 1, max: 72 },
};

/** Settings with an editor of their own: the settings tab, or the screen (a location hash), that edits them. */
export const EDITED_ELSEWHERE: Partial<Record<SettingKey, { tab: string } | { hash: string }>> = {
  'conversion.rules': { tab: 'conversion' },
  'invoice.product': { tab: 'invoicing' },
  'gl.subjectMap': { tab: 'gl' },
  'gl.customerAux': { tab: 'gl' },
  'matching.rules': { hash: '#/reconciliation/rules' },
};

export function settingName(t: TFunction, key: string): string {
  return lookup(t, `rules.key.${key}`, key);
}

export function settingMeaning(t: TFunction, key: string, fallback: string): string {
  return lookup(t, `rules.describe.${key}`, fallback);
}

/** Basis points → a per cent without trailing zeros: 250 → "2.5", 600 → "6". */
export function bpToPct(bp: number): string {
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${Math.trunc(bp / 100)}${frac ? `.${frac}` : ''}`;
}

/** "5" → 500, "5.25" → 525 basis points; null when empty; NaN when not a percentage. */
export function pctToBp(text: string | undefined): number | null {
  const s = (text ?? '').trim();
  if (!s) return null;
  const m = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** fen per perCoins coins → yuan per coin, as many decimals as it needs (at most 6): "0.10", "0.0125". */
export function yuanPerCoin(v: { fen: number; perCoins: number }): string {
  const micro = Math.round((v.fen * 10_000) / v.perCoins); // 1/1,000,000 yuan
  const text = (micro / 1_000_000).toFixed(6).replace(/0+$/, '');
  const [whole, frac = ''] = text.split('.');
  return `${whole}.${frac.padEnd(2, '0')}`;
}

/** What an admin typed in yuan per coin ("0.1", "0.0125") → fen per perCoins coins, reduced; null if not one. */
export function coinValueOf(text: string): { fen: number; perCoins: number } | null {
  const m = /^(\d{1,4})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  const decimals = m[2] ?? '';
  // Hundredths of a yuan are fen: up to two decimals, fen per coin; more, fen per 10^(d-2) coins.
  const fen = Number(`${m[1]}${decimals.padEnd(2, '0')}`);
  const perCoins = 10 ** Math.max(0, decimals.length - 2);
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(fen, perCoins) || 1;
  return { fen: fen / g, perCoins: perCoins / g };
}

export type { MatchRule };

/** A conversion rule in a few words: rate, tiers, first-recharge bonus, channels of their own. */
export function ruleSummary(t: TFunction, r: ConversionRule): string {
  const parts = [rateText(t, r)];
  if (r.tiers.length) parts.push(r.tiers.map((x) => tierText(t, x)).join('；'));
  if (r.firstRechargeBonusCoins || r.firstRechargeBonusBp)
    parts.push(
      `${t('conv.firstBonus')} ${[
        r.firstRechargeBonusCoins ? t('conv.tierCoins', { n: coins(r.firstRechargeBonusCoins) }) : '',
        r.firstRechargeBonusBp ? t('conv.tierPercent', { p: bpToPct(r.firstRechargeBonusBp) }) : '',
      ]
        .filter(Boolean)
        .join(' + ')}`,
    );
  for (const ch of ['bank', 'alipay', 'wechat'] as const) {
    const own = r.channels?.[ch];
    if (own)
      parts.push(
        t('setting.channelRate', {
          channel: channelText(t, ch),
          rate: rateText(t, { coins: own.coins ?? r.coins, perFen: own.perFen ?? r.perFen, rounding: own.rounding ?? r.rounding }),
        }),
      );
  }
  return parts.join(' · ');
}

/** The invoice product in a few words: item, tax code, rate, which invoice types. */
export function productSummary(t: TFunction, p: InvoiceProduct): string {
  return [
    p.itemName,
    p.taxCode,
    ratePercent(t, p.rate, p.notTaxable),
    p.ordinaryOnly ? t('invset.ordinaryOnlyShort') : t('invset.bothTypes'),
  ].join(' · ');
}

export interface TextContext {
  t: TFunction;
  /** 科目名称 of a 科目编码 in the console's language, when the chart is at hand. */
  subjectName?: (code: string) => string | undefined;
}

export function subjectText(ctx: TextContext, code: string): string {
  const name = ctx.subjectName?.(code);
  return name ? `${code} ${name}` : code;
}

/** A setting's value on one line, in its units. */
export function settingText(ctx: TextContext, key: string, value: unknown): string {
  const { t } = ctx;
  const field = SETTING_FIELDS[key as SettingKey];
  switch (key) {
    case 'conversion.rules':
      return ruleSummary(t, value as ConversionRule);
    case 'invoice.product':
      return productSummary(t, value as InvoiceProduct);
    case 'matching.rules': {
      const rules = value as MatchRule[];
      return t('setting.rulesCount', { n: rules.length, on: rules.filter((r) => r.enabled).length });
    }
    case 'gl.subjectMap': {
      const rows = value as SubjectMapEntry[];
      return rows.length ? t('setting.mapCount', { n: rows.length }) : t('setting.mapNone');
    }
    case 'revenue.breakageBp':
      return value ? `${bpToPct(value as number)}%` : t('setting.breakageOff');
  }
  if (!field) return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
  switch (field.kind) {
    case 'yuan':
      return `${yuan(value as number)} ${t('appr.yuan')}`;
    case 'bp':
      return `${bpToPct(value as number)}%`;
    case 'ratio':
      return ratePercent(t, value as { num: number; den: number }, false);
    case 'whole':
      return `${coins(value as number)} ${t(field.unit)}`;
    case 'choice': {
      const option = field.options.find((o) => o.value === value);
      return option ? t(option.label) : String(value);
    }
    case 'flag':
      return value ? t('setting.yes') : t('setting.no');
    case 'coinValue':
      return t('rules.yuanPerCoin', { yuan: yuanPerCoin(value as { fen: number; perCoins: number }) });
    case 'subject':
      return subjectText(ctx, value as string);
  }
}

/** A monthly setting's change takes effect from its month: "2026-05 起" rather than a time of day. */
export function effectiveText(t: TFunction, ms: number, monthly: boolean, formatTime: (ms: number) => string): string {
  return monthly ? t('setting.fromMonth', { month: shanghaiDate(ms).slice(0, 7) }) : formatTime(ms).slice(0, 16);
}

export type FormValue = string | number | boolean | undefined;

/** The stored value as the form shows it: yuan with two decimals, a per cent, yuan per coin… */
export function toFormValue(key: SettingKey, value: unknown): FormValue {
  const field = SETTING_FIELDS[key];
  if (!field) return undefined;
  switch (field.kind) {
    case 'yuan':
      return formatYuan(value as number);
    case 'bp':
      return bpToPct(value as number);
    case 'ratio':
      return ratePercent((k) => k, value as { num: number; den: number }, false).replace('%', '');
    case 'coinValue':
      return yuanPerCoin(value as { fen: number; perCoins: number });
    case 'whole':
    case 'choice':
    case 'subject':
    case 'flag':
      return value as FormValue;
  }
}

/** What the form holds → the value to propose, exactly; null when it is not one (out of range, ill-formed). */
export function fromFormValue(key: SettingKey, input: FormValue): unknown {
  const field = SETTING_FIELDS[key];
  if (!field || input === undefined || input === null || input === '') return null;
  const text = String(input).trim().replaceAll(',', '');
  switch (field.kind) {
    case 'yuan': {
      let fen: number;
      try {
        fen = parseYuan(text);
      } catch {
        return null;
      }
      return fen >= 0 && fen <= field.maxFen ? fen : null;
    }
    case 'bp': {
      const bp = pctToBp(text);
      return bp !== null && !Number.isNaN(bp) && bp <= field.maxBp ? bp : null;
    }
    case 'ratio':
      return percentToRate(text);
    case 'whole': {
      if (!/^\d{1,16}$/.test(text)) return null;
      const n = Number(text);
      return Number.isSafeInteger(n) && n >= field.min && n <= field.max ? n : null;
    }
    case 'choice':
      return field.options.some((o) => o.value === input) ? input : null;
    case 'flag':
      return typeof input === 'boolean' ? input : null;
    case 'coinValue':
      return coinValueOf(text);
    case 'subject':
      return /^\d{4}(\d\d){0,4}$/.test(text) ? text : null;
  }
}
