// An audit entry in the accountant's words: one sentence ("李强 冲销了充值记录 #5 (648.00 元)") and its
// before/after as labelled fields — amounts in yuan with two decimals, times in Beijing time, people by
// name, codes by their names. The stored JSON stays as it is (the chain hashes it); only the screen reads it so.
import { lookup, type TFunction } from '../../i18n';
import { isAuditAction } from '../../../../main/domain/audit-actions';
import { parseYuan } from '../../../../main/domain/money';
import { formatTime } from '../../format/dates';
import { coins, yuan } from '../approvals/common';
import { settingName, settingText } from '../settings/setting-values';

export interface AuditRowLike {
  action: string;
  entityId: string | null;
  count: number;
  staffName: string;
  before: string | null;
  after: string | null;
}

export interface PeopleNames {
  name(who: string | number | null | undefined): string;
}

export interface AuditField {
  key: string;
  label: string;
  value: string;
}

// Amounts the services write: yuan text with two decimals ("39.99"); older entries (and a few totals)
// hold whole fen (3999). Keys ending in Fen are always fen.
const MONEY = new Set([
  'amount',
  'net',
  'gross',
  'tax',
  'revenue',
  'covered',
  'reserved',
  'moneyIn',
  'moneyOut',
  'amountAllocated',
  'withheld',
]);
const SENTENCE_MONEY = ['amount', 'net', 'amountAllocated', 'reserved', 'gross'];
const COINS = new Set(['coins', 'paidCoins', 'bonusCoins', 'usedCoins', 'firstRechargeBonusCoins']);
const TIMES = new Set(['effectiveFrom', 'lockedUntil', 'at', 'ts', 'requestedAt', 'proposedAt', 'until', 'decidedAt']);
const PEOPLE = new Set(['approvers', 'requestedBy', 'enteredBy', 'proposedBy', 'decidedBy', 'user', 'by']);
const STATES = new Set(['status', 'state', 'outcome']);

export function parseEntry(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** An amount in yuan with two decimals and grouping, or null when `v` is no amount. */
export function moneyText(v: unknown, fen = false): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return yuan(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!fen && /^-?[\d,]+\.\d{1,2}$/.test(s)) return yuan(parseYuan(s));
  if (/^-?\d+$/.test(s)) return yuan(s);
  return null;
}

export function actionName(t: TFunction, action: string): string {
  return lookup(t, `auditAction.${action}`, action);
}

/** The sentence with `{who}` left in, for a screen that puts the person there itself. */
export function sentenceTemplate(t: TFunction, row: AuditRowLike): string {
  const after = parseEntry(row.after);
  const before = parseEntry(row.before);
  let amount = '';
  for (const side of [after, before]) {
    if (amount || !side || typeof side !== 'object') continue;
    const rec = side as Record<string, unknown>;
    const key = SENTENCE_MONEY.find((k) => moneyText(rec[k]) !== null);
    if (key) amount = t('audit.amountSuffix', { amount: moneyText(rec[key])! });
  }
  const vars = { id: row.entityId ?? '', n: row.count, amount };
  if (!isAuditAction(row.action)) return t('audit.unknownAction', vars);
  return t(`auditSentence.${row.action}`, vars);
}

/** The whole sentence, the person by name. */
export function auditSentence(t: TFunction, names: PeopleNames, row: AuditRowLike): string {
  return sentenceTemplate(t, row).replace('{who}', names.name(row.staffName) || t('audit.someone'));
}

export function fieldLabel(t: TFunction, key: string): string {
  return lookup(t, `auditField.${key}`, lookup(t, `field.${key}`, lookup(t, `event.type.${key}`, key)));
}

function valueText(t: TFunction, names: PeopleNames, key: string, v: unknown, siblings: Record<string, unknown>): string {
  if (v === null || v === undefined || v === '') return '—';
  if (key === 'value' && typeof siblings.key === 'string') {
    try {
      return settingText({ t }, siblings.key, v);
    } catch {
      /* a value of an older shape: shown field by field below */
    }
  }
  if (key === 'key' && typeof v === 'string') return settingName(t, v);
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (key.endsWith('Fen') || MONEY.has(key)) {
    const m = moneyText(v, key.endsWith('Fen'));
    if (m !== null) return t('audit.yuan', { amount: m });
  }
  if (key.endsWith('Bp') && typeof v === 'number') return `${(v / 100).toFixed(2)}%`;
  if (COINS.has(key) && (typeof v === 'number' || /^\d+$/.test(String(v)))) return coins(String(v));
  if (TIMES.has(key) && typeof v === 'number' && v > 1e11) return formatTime(v);
  if (PEOPLE.has(key)) {
    if (Array.isArray(v)) return v.map((p) => names.name(String(p))).join(t('audit.listSep'));
    if (typeof v === 'string' || typeof v === 'number') return names.name(v);
  }
  if (key === 'role' && typeof v === 'string') return lookup(t, `role.${v}`, v);
  if (STATES.has(key) && typeof v === 'string') return lookup(t, `state.${v}`, lookup(t, `auditValue.${v}`, v));
  if (Array.isArray(v)) {
    if (v.length === 0) return '—';
    return v.map((x) => valueText(t, names, key, x, siblings)).join(t(typeof v[0] === 'object' ? 'audit.itemSep' : 'audit.listSep'));
  }
  if (typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    return Object.entries(rec)
      .map(([k, x]) => t('audit.kv', { k: fieldLabel(t, k), v: valueText(t, names, k, x, rec) }))
      .join(t('audit.fieldSep'));
  }
  if (typeof v === 'string') return lookup(t, `auditValue.${v}`, v);
  return String(v);
}

/** A before or after value as labelled fields (a value that is not an object: one field). */
export function auditFields(t: TFunction, names: PeopleNames, json: string | null): AuditField[] {
  const v = parseEntry(json);
  if (v === null) return [];
  if (typeof v !== 'object' || Array.isArray(v))
    return [{ key: 'value', label: fieldLabel(t, 'value'), value: valueText(t, names, 'value', v, {}) }];
  const rec = v as Record<string, unknown>;
  return Object.entries(rec).map(([key, x]) => ({ key, label: fieldLabel(t, key), value: valueText(t, names, key, x, rec) }));
}
