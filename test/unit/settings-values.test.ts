// Settings in the accountant's words (issue 13 §1): every setting has a name and a meaning in both
// languages, its value reads in units (元 with two decimals, %, 天, 科目编码 + 名称, 是/否), what is typed
// in the form becomes the stored value exactly (no float drift) within the server's own limits, and each
// change lists the value it replaces with who proposed and who decided it by display name.
import { describe, expect, it } from 'vitest';
import { SETTINGS, SETTING_KEYS, type SettingKey } from '../../main/services/settings';
import { shanghaiDate, shanghaiDayStart } from '../../main/domain/dates';
import { translate, type MessageKey } from '../../renderer/src/i18n';
import {
  SETTING_FIELDS,
  coinValueOf,
  fromFormValue,
  settingMeaning,
  settingName,
  settingText,
  toFormValue,
  type TextContext,
} from '../../renderer/src/screens/settings/setting-values';
import { withStaffedApi } from '../support/books-hooks';
import type { TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';

const zh: TextContext = {
  t: (key: MessageKey, vars?: Record<string, string | number>) => translate('zh-CN', key, vars),
  subjectName: (code) => ({ '6401': '主营业务成本' })[code],
};
const en: TextContext = {
  t: (key: MessageKey, vars?: Record<string, string | number>) => translate('en', key, vars),
  subjectName: (code) => ({ '6401': 'Cost of operations' })[code],
};

describe('every setting on screen', () => {
  it.each(SETTING_KEYS)('%s has a name and a meaning in both languages, and its default reads without key or JSON', (key) => {
    for (const ctx of [zh, en]) {
      expect(settingName(ctx.t, key)).not.toBe(key);
      expect(settingMeaning(ctx.t, key, '')).not.toBe('');
      const text = settingText(ctx, key, SETTINGS[key].default);
      expect(text).not.toMatch(/[{}"[\]]|undefined|NaN|\b[a-z]+[A-Z_.][a-zA-Z_.]*\b/);
    }
    // No English word left in the Chinese text (ids, codes and figures aside).
    const zhText = settingText(zh, key, SETTINGS[key].default) + settingName(zh.t, key);
    expect(zhText.replace(/[\w:.,-]*\d[\w:.,-]*/g, '').replace(/Coffer/g, '')).not.toMatch(/\b[a-z]{3,}\b/i);
  });

  it('reads fen as yuan, basis points and rates as per cents, days, subjects, yes/no', () => {
    expect(settingText(zh, 'approval.dualAboveFen', 5_000_000)).toBe('50,000.00 元'); // 5,000,000 fen
    expect(settingText(en, 'approval.dualAboveFen', 5_000_000)).toBe('50,000.00 yuan');
    expect(settingText(zh, 'matching.writeOffCapFen', 1_000)).toBe('10.00 元');
    expect(settingText(zh, 'revenue.breakageBp', 250)).toBe('2.5%'); // 250 / 100
    expect(settingText(zh, 'revenue.breakageBp', 0)).toBe('0%（不确认）');
    expect(settingText(zh, 'revenue.vatRate', { num: 6, den: 100 })).toBe('6%');
    expect(settingText(zh, 'revenue.vatRate', { num: 11, den: 200 })).toBe('5.5%');
    expect(settingText(zh, 'matching.unallocatedReclassifyDays', 90)).toBe('90 天');
    expect(settingText(en, 'session.idleMinutes', 15)).toBe('15 minutes');
    expect(settingText(zh, 'transfer.approvalThreshold', 10_000)).toBe('10,000 币');
    expect(settingText(zh, 'earnings.costSubject', '6401')).toBe('6401 主营业务成本');
    expect(settingText(zh, 'earnings.coinValue', { fen: 10, perCoins: 1 })).toBe('0.10 元/币');
    expect(settingText(zh, 'gl.customerAux', false)).toBe('否');
    expect(settingText(zh, 'revenue.method', 'weighted')).toBe('加权平均');
    expect(settingText(zh, 'device.policy', 'strict')).toBe('严格（拦截）');
    expect(settingText(zh, 'matching.rules', SETTINGS['matching.rules'].default)).toBe('4 条规则（启用 4 条）');
    expect(settingText(zh, 'gl.subjectMap', [])).toBe('未设置（按 Coffer 科目编码导出）');
  });
});

describe('the form turns what is typed into the stored value exactly', () => {
  it('yuan to fen digit by digit, within the setting’s limit', () => {
    expect(fromFormValue('approval.dualAboveFen', '50000.00')).toBe(5_000_000);
    expect(fromFormValue('approval.dualAboveFen', '80,000.5')).toBe(8_000_050);
    expect(fromFormValue('approval.dualAboveFen', '0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(fromFormValue('approval.dualAboveFen', '1.005')).toBeNull(); // three decimals: refused, not rounded
    expect(fromFormValue('approval.dualAboveFen', '-1')).toBeNull();
    expect(fromFormValue('approval.dualAboveFen', '1e3')).toBeNull();
    expect(fromFormValue('approval.dualAboveFen', '90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(fromFormValue('matching.writeOffCapFen', '1000.00')).toBe(100_000);
    expect(fromFormValue('matching.writeOffCapFen', '1000.01')).toBeNull(); // above the 100,000 fen cap
  });

  it('per cents to basis points or to an integer ratio', () => {
    expect(fromFormValue('revenue.breakageBp', '2.5')).toBe(250);
    expect(fromFormValue('revenue.breakageBp', '0.07')).toBe(7); // 0.07 * 100 is 7.000000000000001 in floats
    expect(fromFormValue('revenue.breakageBp', '90')).toBe(9_000);
    expect(fromFormValue('revenue.breakageBp', '90.01')).toBeNull();
    expect(fromFormValue('revenue.breakageBp', '2.555')).toBeNull();
    expect(fromFormValue('revenue.vatRate', '6')).toEqual({ num: 3, den: 50 }); // 600/10000 reduced
    expect(fromFormValue('revenue.vatRate', '5.5')).toEqual({ num: 11, den: 200 }); // 550/10000 reduced
  });

  it('whole units, choices, subjects and the coin value', () => {
    expect(fromFormValue('recharge.expiryDays', 30)).toBe(30);
    expect(fromFormValue('recharge.expiryDays', 0)).toBeNull(); // at least 1 day
    expect(fromFormValue('recharge.expiryDays', 2.5)).toBeNull();
    expect(fromFormValue('revenue.method', 'weighted')).toBe('weighted');
    expect(fromFormValue('revenue.method', 'lifo')).toBeNull();
    expect(fromFormValue('earnings.costSubject', '660201')).toBe('660201');
    expect(fromFormValue('earnings.costSubject', '66020')).toBeNull();
    expect(coinValueOf('0.1')).toEqual({ fen: 10, perCoins: 1 });
    expect(coinValueOf('0.0125')).toEqual({ fen: 5, perCoins: 4 }); // 1.25 fen a coin = 5 fen per 4 coins
    expect(coinValueOf('1.5')).toEqual({ fen: 150, perCoins: 1 });
  });

  it.each(Object.keys(SETTING_FIELDS) as SettingKey[])('%s: the default shown in the form comes back unchanged', (key) => {
    const d = SETTINGS[key].default;
    const back = fromFormValue(key, toFormValue(key, d));
    if (key === 'revenue.vatRate') {
      const r = back as { num: number; den: number };
      const o = d as { num: number; den: number };
      expect(r.num * o.den).toBe(o.num * r.den);
    } else expect(back).toEqual(d);
  });

  it.each(Object.entries(SETTING_FIELDS).filter(([, f]) => ['yuan', 'bp', 'whole'].includes(f!.kind)))(
    '%s: the form’s limits are the server’s',
    (key, field) => {
      const max = field!.kind === 'yuan' ? field!.maxFen : field!.kind === 'bp' ? field!.maxBp : field!.kind === 'whole' ? field!.max : 0;
      const min = field!.kind === 'whole' ? field!.min : 0;
      const schema = SETTINGS[key as SettingKey].schema;
      expect(schema.safeParse(max).success).toBe(true);
      expect(schema.safeParse(max + 1).success).toBe(false);
      expect(schema.safeParse(min).success).toBe(true);
      expect(schema.safeParse(min - 1).success).toBe(false);
    },
  );
});

describe('a change lists the value it replaces and the people by name', () => {
  let t: TestApi;
  withStaffedApi(async (api) => {
    t = api;
    await addStaff(t.call, { username: 'admin2', displayName: '钱八', role: 'admin' });
  });
  const list = () => t.call('admin', 'settings.list');
  // Each step a minute after the one before, as people work.
  const propose = (key: SettingKey, value: unknown, effectiveFrom?: number) => {
    t.clock.now += 60_000;
    return t.call('admin', 'settings.propose', { key, value, effectiveFrom: effectiveFrom ?? t.clock.now, reason: '测试' });
  };
  const decide = (id: number, decision: 'confirmed' | 'rejected') => {
    t.clock.now += 60_000;
    return t.call('admin2', 'settings.decide', { id, decision });
  };

  it('before → after through confirmations and a rejection', async () => {
    const a = await propose('approval.dualAboveFen', 8_000_000);
    expect(a).toMatchObject({
      before: 5_000_000,
      value: 8_000_000,
      proposedByName: '管理员',
      proposedByUser: 'admin',
      decidedByName: null,
    });
    const confirmed = await decide(a.id, 'confirmed');
    expect(confirmed).toMatchObject({ status: 'confirmed', before: 5_000_000, decidedByName: '钱八', decidedByUser: 'admin2' });

    const b = await propose('approval.dualAboveFen', 6_000_000);
    expect(b.before).toBe(8_000_000); // pending: what it would replace
    await decide(b.id, 'rejected');
    const c = await propose('approval.dualAboveFen', 7_000_000);
    await decide(c.id, 'confirmed');

    const { inForce, changes } = await list();
    const byId = new Map(changes.map((x) => [x.id, x]));
    expect(byId.get(a.id)!.before).toBe(5_000_000); // the default
    expect(byId.get(b.id)).toMatchObject({ status: 'rejected', before: 8_000_000 });
    expect(byId.get(c.id)).toMatchObject({ status: 'confirmed', before: 8_000_000 }); // the rejected one never applied
    expect(inForce.find((s) => s.key === 'approval.dualAboveFen')).toMatchObject({ value: 7_000_000, version: c.id, monthly: false });
  });

  it('a monthly setting from its month’s first day', async () => {
    const month = shanghaiDate(t.clock.now).slice(0, 7);
    const from = shanghaiDayStart(`${month}-01`);
    const a = await propose('revenue.breakageBp', 250, from);
    expect(a.before).toBe(0);
    await decide(a.id, 'confirmed');
    const b = await propose('revenue.breakageBp', 300, from);
    expect(b.before).toBe(250);
    const { inForce } = await list();
    expect(inForce.find((s) => s.key === 'revenue.breakageBp')).toMatchObject({ value: 250, version: a.id, monthly: true });
  });
});
