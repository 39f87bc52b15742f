// Every error is coded (issue 13 §1): the refusal catalogue (refusals, problems, a bank file's problems)
// has an English, a Chinese and an English-console text for every code with the same parameters as
// the code declares; every field an input schema names has a name in both languages; no service throws
// a CofferError without a code; and the console says the common ones in Chinese, fields by name,
// amounts in yuan.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract } from '../../main/api/contract';
import { EVENT_DATA, EVENT_ENVELOPE } from '../../main/formats/event-types';
import { SETTINGS } from '../../main/services/settings';
import { REFUSAL_CODES, REFUSAL_EN, placeholders, refusal, type RefusalParams } from '../../main/domain/refusals';
import { PROBLEM_EN } from '../../main/domain/problems';
import type { Placeholders } from '../../main/domain/template-params';
import { STATEMENT_PROBLEM_EN } from '../../main/domain/statement-problems';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { translate, type MessageKey } from '../../renderer/src/i18n';
import { fieldLabel, refusalOfError, refusalText } from '../../renderer/src/i18n/refusal-text';
import { staffedApi, type TestApi } from '../support/temp-books';

const zh = (key: MessageKey, vars?: Record<string, string | number>) => translate('zh-CN', key, vars);
const english = (key: MessageKey, vars?: Record<string, string | number>) => translate('en', key, vars);

// A code's parameters are read off its English template (template-params.ts): the reading itself is
// checked here at the type level (tsc fails on a mismatch), on templates of each shape the catalogue has.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const readsPlaceholders: [
  Same<Placeholders<'no placeholder'>, never>,
  Same<Placeholders<'{message}'>, 'message'>,
  Same<Placeholders<'posting #{transferId} … {action}'>, 'transferId' | 'action'>,
  Same<Placeholders<'"{id}" is {length} characters'>, 'id' | 'length'>,
  Same<Placeholders<'{file}: line {line}, field {column}: {cause}; {file} again'>, 'file' | 'line' | 'column' | 'cause'>,
  Same<Placeholders<'{n|row|rows} of {file}'>, 'n' | 'file'>,
  Same<keyof RefusalParams<'login_blocked'>, 'cause' | 'ip' | 'mac' | 'message'>,
] = [true, true, true, true, true, true, true];

describe('the catalogue', () => {
  it('reads the parameters off its templates (checked by tsc), and takes in the problems and the bank files’ problems', () => {
    expect(readsPlaceholders).not.toContain(false);
    for (const c of [...Object.keys(PROBLEM_EN), ...Object.keys(STATEMENT_PROBLEM_EN)]) expect(REFUSAL_CODES, c).toContain(c);
  });

  it('has a Chinese and an English text for every code, with the same parameters as the English message', () => {
    const missing: string[] = [];
    const mismatched: string[] = [];
    for (const code of REFUSAL_CODES) {
      const key = `refusal.${code}` as MessageKey;
      if (!zhCN[key] || !en[key]) missing.push(code);
      else if (
        placeholders(zhCN[key]).join() !== placeholders(REFUSAL_EN[code]).join() ||
        placeholders(en[key]).join() !== placeholders(REFUSAL_EN[code]).join()
      )
        mismatched.push(code);
    }
    expect(missing).toEqual([]);
    expect(mismatched).toEqual([]);
  });

  it('names every field of the API, the event files and the settings in both languages', () => {
    const fields = new Set<string>();
    const walk = (s: unknown, depth = 0): void => {
      const d = (s as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
      if (!d || depth > 20) return;
      const inner = (k: string) => walk(d[k], depth + 1);
      switch (d.type) {
        case 'object':
          for (const [k, v] of Object.entries(d.shape as Record<string, unknown>)) {
            fields.add(k);
            walk(v, depth + 1);
          }
          break;
        case 'optional':
        case 'nullable':
        case 'default':
        case 'prefault':
        case 'readonly':
        case 'nonoptional':
        case 'catch':
          inner('innerType');
          break;
        case 'array':
          inner('element');
          break;
        case 'union':
          for (const o of d.options as unknown[]) walk(o, depth + 1);
          break;
        case 'intersection':
          inner('left');
          inner('right');
          break;
        case 'pipe':
          inner('in');
          inner('out');
          break;
        case 'record':
          inner('valueType');
          break;
      }
    };
    for (const def of Object.values(contract)) walk((def as { input: z.ZodType }).input);
    for (const s of [...Object.values(EVENT_DATA), EVENT_ENVELOPE]) walk(s);
    for (const s of Object.values(SETTINGS)) walk(s.schema);
    expect(fields.size).toBeGreaterThan(200);
    const unnamed = [...fields].filter((f) => !zhCN[`field.${f}` as MessageKey] || !en[`field.${f}` as MessageKey]);
    expect(unnamed).toEqual([]);
  });
});

describe('no error without a code', () => {
  // A grep over main/: the one place that builds a CofferError is refuse() (a code, its parameters,
  // the English from the catalogue). A `new CofferError(` anywhere else is an error the console
  // could only show in English.
  it('finds `new CofferError(` only in refuse()', () => {
    const root = path.join(__dirname, '../../main');
    const found: string[] = [];
    const visit = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (p.endsWith('.ts'))
          fs.readFileSync(p, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/new CofferError\(/.test(line)) found.push(`${path.relative(root, p)}:${i + 1}`);
            });
      }
    };
    visit(root);
    expect(found).toEqual(['domain/refusals.ts:' + String(refuseLine())]);
  });
});

/** The line of refuse()'s own `new CofferError(` in domain/refusals.ts. */
function refuseLine(): number {
  const lines = fs.readFileSync(path.join(__dirname, '../../main/domain/refusals.ts'), 'utf8').split('\n');
  return lines.findIndex((l) => /new CofferError\(/.test(l)) + 1;
}

describe('the console says them in its language', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await staffedApi();
  });
  afterAll(async () => t.cleanup());

  const error = async (p: Promise<unknown>) =>
    (await p.then(
      () => null,
      (x: unknown) => x,
    )) as { code: string; message: string; details: Record<string, unknown> };
  const shown = (e: { details: Record<string, unknown> }, tr = zh) => refusalText(tr, refusalOfError(e.details)!);

  it('a schema failure at the border names the field by its name and says why', async () => {
    const e = await error(t.call('clerk', 'requests.get', { id: -3 }));
    expect(e).toMatchObject({ code: 'VALIDATION', message: 'VALIDATION: requests.get: id: must be more than 0' });
    expect(e.details).toMatchObject({ reason: 'input_field', params: { field: 'id', cause: 'input_not_above', min: '0' }, field: 'id' });
    expect(shown(e)).toBe('编号：须大于 0');
    expect(shown(e, english)).toBe('id: must be more than 0');
    const missing = await error(t.send('clerk', 'bankAccounts.create', { bankName: '招商银行', name: '收款户' }));
    expect(shown(missing)).toBe('账号：必填');
    const extra = await error(t.send('clerk', 'requests.get', { id: 1, bankAccountId: 2 }));
    expect(extra.details).toMatchObject({ reason: 'input_unknown_fields', params: { keys: 'bankAccountId' } });
    expect(shown(extra)).toBe('有未知字段：bankAccountId');
    // A schema's own words are a code too.
    const month = await error(t.call('auditor', 'reports.balances', { month: '2026-13' }));
    expect(shown(month)).toBe('月份：月份格式应为 YYYY-MM');
  });

  it('a field path by the names of its parts', () => {
    expect(fieldLabel(zh, 'bankAccountId')).toBe('银行账户');
    expect(fieldLabel(zh, 'items.0.version')).toBe('项目 · 第 1 项 · 版本');
    expect(fieldLabel(english, 'items.0.version')).toBe('items · item 1 · version');
    expect(fieldLabel(zh, '交易金额')).toBe('交易金额');
  });

  it('a thing not found, a four-eyes conflict and a session that ended', async () => {
    const e = await error(t.call('auditor', 'reports.bankJournal', { month: '2026-11', bankAccountId: 9 }));
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: 'NOT_FOUND: no platform bank account 9' });
    expect(shown(e)).toBe('没有平台银行账户 9');
    const out = await error(t.call('nobody', 'requests.get', { id: 1 }));
    expect(out).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'not_logged_in' } });
    expect(shown(out)).toBe('请先登录');
  });

  it('amounts in yuan, a status in words, a stored continuity problem from before codes', () => {
    const gap = refusal('continuity_gap', {
      openingFen: '1234500',
      previousFen: '1200000',
      previousFile: 'a.csv',
      previousDate: '2026-10-31',
    });
    expect(gap.message).toBe("opening balance 12345.00 differs from the previous statement's closing 12000.00 (a.csv, 2026-10-31): a gap");
    expect(refusalText(zh, gap)).toBe('期初余额 12,345.00 元与上一份对账单的期末余额 12,000.00 元（a.csv，2026-10-31）不一致：中间有缺口');
    const held = refusal('transfer_not_held', { requestId: 'T-1', status: 'posted' });
    expect(refusalText(zh, held)).toBe('划转 T-1 状态为 已过账，不在待审批中');
    expect(refusalText(zh, { code: 'other', params: { message: 'as stored' } })).toBe('as stored');
  });
});
