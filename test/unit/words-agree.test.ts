// English counts agree with their number: "1 row exported", "2 rows exported" (a console that said
// "1 invoices" read as unfinished). A blank {n|one|other} names both words; Chinese needs none.
import { describe, expect, it } from 'vitest';
import { fillTemplate, placeholders } from '../../main/domain/refusals';
import { lookup, translate, type TFunction } from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import { zhCN, type MessageKey } from '../../renderer/src/i18n/zh-CN';

const PLURAL = /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g;

describe('a count in English', () => {
  it('takes the word that agrees with it, and the Chinese the same count', () => {
    expect(translate('en', 'lists.exported', { n: 1, path: 'a.xlsx' })).toBe('1 row exported: a.xlsx');
    expect(translate('en', 'lists.exported', { n: 2, path: 'a.xlsx' })).toBe('2 rows exported: a.xlsx');
    expect(translate('en', 'lists.exported', { n: 0, path: 'a.xlsx' })).toBe('0 rows exported: a.xlsx');
    expect(translate('en', 'invexp.workbookCounts', { invoices: 1, lines: 2 })).toBe('1 invoice, 2 lines');
    expect(translate('en', 'inv.selectedBlue', { n: '1' })).toBe('1 blue invoice selected');
    expect(translate('en', 'setting.pendingAlert', { n: 1 })).toMatch(/^1 settings change waits /);
    expect(translate('zh-CN', 'lists.exported', { n: 1, path: 'a.xlsx' })).not.toMatch(/[|{}]/);
  });

  it('a value left out stays a blank, as before', () => {
    expect(fillTemplate('{n|row|rows} of {m}', {}, (_k, v) => v)).toBe('{n|row|rows} of {m}');
    expect(placeholders('{n|row|rows} of {m}')).toEqual(['m', 'n']);
  });

  it('every English text with a count blank names the same blanks as its Chinese, and reads right at 1 and at 2', () => {
    const keys = (Object.keys(en) as MessageKey[]).filter((k) => /\{\w+\|/.test(en[k]));
    expect(keys.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const key of keys) {
      if (placeholders(zhCN[key]).join() !== placeholders(en[key]).join()) wrong.push(`${key}: blanks differ`);
      for (const n of [1, 2]) {
        const vars = Object.fromEntries(placeholders(en[key]).map((p) => [p, n]));
        const text = translate('en', key, vars);
        if (/[{}]/.test(text)) wrong.push(`${key}: ${text}`);
        for (const [, , one, other] of en[key].matchAll(PLURAL))
          if (!text.includes(`${n} ${n === 1 ? one : other}`)) wrong.push(`${key} at ${n}: ${text}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('a word the books hand over (a state, a kind, a category)', () => {
  const t: TFunction = (key, vars) => translate('zh-CN', key, vars);
  it('reads in the console language where the catalogue has it, and as itself where not, never as a key', () => {
    expect(lookup(t, 'payments.state.open', 'open')).toBe(zhCN['payments.state.open']);
    expect(lookup(t, 'payments.state.open', 'open')).toMatch(/[\u4e00-\u9fff]/);
    expect(lookup(t, 'payments.state.unheard_of', 'unheard_of')).toBe('unheard_of');
    expect(lookup(t, 'job.method.some.newMethod', 'some.newMethod')).toBe('some.newMethod');
  });
});
