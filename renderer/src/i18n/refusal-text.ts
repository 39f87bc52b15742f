// A refusal or problem ({ code, params } from the main process) in the console's language: the text is
// looked up by code in the catalogue and the parameters are filled in — fen as yuan, coins grouped, a
// `cause` (another code) as its own translated text, a field by its name, a status in words, a person by
// display name.
import { fillTemplate, isRefusalCode, type RefusalCode } from '../../../main/domain/refusals';
import { formatCoins, formatYuan } from '../../../main/domain/money';
import { displayNameOf } from '../components/Person';
import { lookup, type TFunction } from '.';

export interface RefusalLike {
  code: string;
  params?: Record<string, string> | null | undefined;
  message?: string;
}

export function refusalText(t: TFunction, r: RefusalLike): string {
  if (!isRefusalCode(r.code)) return r.message ?? r.code;
  const params = r.params ?? {};
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Fen') && /^-?\d+$/.test(value)) shown[name] = formatYuan(Number(value), true);
    else if (name.endsWith('Coins') && /^-?\d+$/.test(value)) shown[name] = formatCoins(Number(value), true);
    else if (name === 'cause' && isRefusalCode(value)) shown[name] = refusalText(t, { code: value, params: { ...params, cause: '' } });
    else if ((name === 'ip' || name === 'mac') && value === '') shown[name] = '—';
    else if (name === 'role') shown[name] = roleName(t, value);
    else if (PEOPLE.has(name)) shown[name] = value.split(', ').map(displayNameOf).join('、');
    else if (name === 'field') shown[name] = fieldLabel(t, value);
    else if (name === 'status' || name === 'state') shown[name] = lookup(t, `state.${value}`, value);
    else if (name === 'action') shown[name] = lookup(t, `undo.${value}`, value);
    else if (name === 'allowed')
      shown[name] = value
        .split(', ')
        .map((r) => roleName(t, r))
        .join('、');
    else shown[name] = value;
  }
  return fillTemplate(t(`refusal.${r.code satisfies RefusalCode}`), shown, (_, v) => v);
}

/** Parameters that hold usernames (several are ", "-separated): shown by display name. */
const PEOPLE = new Set(['user', 'by', 'admins']);

/** A staff role in the console's language ("approver" → 审批人); an unknown one as it is. */
function roleName(t: TFunction, role: string): string {
  return lookup(t, `role.${role}`, role);
}

/**
 * A field of Coffer's input by its name: "bankAccountId" → 银行账户, "items.0.version" → 项目 · 第 1 项 ·
 * 版本. A name the catalogue does not have is shown as it is (a column of a bank's file, say).
 */
export function fieldLabel(t: TFunction, path: string): string {
  return path
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? t('field.item', { n: Number(p) + 1 }) : lookup(t, `field.${p}`, p)))
    .join(' · ');
}

/** The refusal an API error carries (details.reason is its code, details.params its parameters), if any. */
export function refusalOfError(details: Record<string, unknown>): RefusalLike | null {
  const { reason, params } = details;
  return isRefusalCode(reason) && params !== null && typeof params === 'object'
    ? { code: reason, params: params as Record<string, string> }
    : null;
}
