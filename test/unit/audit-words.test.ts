// The audit log in the accountant's words (issue 13 §1): every action main/ writes has a name and a
// sentence in both languages (found by a grep over the source, as error-codes.test.ts finds errors), an
// entry reads as a sentence with its amount in yuan, and the entries demo books hold show every field
// by a label, with no code, JSON or fen left on a zh-CN screen.
import { PROPOSALS } from '../../main/services/four-eyes';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, LEGACY_AUDIT_ACTIONS } from '../../main/domain/audit-actions';
import { placeholders } from '../../main/domain/refusals';
import { createDemoBooks } from '../../main/demo';
import { EVENT_TYPES } from '../../main/formats/event-types';
import { TRANSFER_BUSINESS_CODES } from '../../main/domain/transfer-codes';
import { VOUCHER_SOURCE_BY_CODE } from '../../main/domain/vouchers';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { translate, type Lang, type MessageKey, type TFunction } from '../../renderer/src/i18n';
import { auditFields, auditSentence, fieldLabel, type AuditRowLike, type PeopleNames } from '../../renderer/src/screens/audit/audit-words';
import { PASSWORD, scratchBooks } from '../support/temp-books';

const tOf =
  (lang: Lang): TFunction =>
  (key, vars) =>
    translate(lang, key, vars);
const zh = tOf('zh-CN');
const english = tOf('en');
const STAFF: Record<string, string> = { liqiang: '李强', approver: '审批 王芳' };
const names: PeopleNames = { name: (who) => (who === null || who === undefined ? '' : (STAFF[String(who)] ?? String(who))) };

/** Every `recordAudit(…)`/`appendAudit(…)`/`recordAuditFor(…)` call in main/, as its text. */
function auditCalls(): { file: string; text: string }[] {
  const root = path.join(__dirname, '../../main');
  const calls: { file: string; text: string }[] = [];
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.ts')) {
        const src = fs.readFileSync(p, 'utf8');
        for (const m of src.matchAll(/\b(recordAudit|appendAudit|recordAuditFor)\(/g)) {
          if (/function\s+$/.test(src.slice(Math.max(0, m.index - 16), m.index))) continue; // the definitions
          let depth = 0;
          let i = m.index + m[0].length - 1;
          for (; i < src.length; i++) {
            if (src[i] === '(') depth++;
            else if (src[i] === ')' && --depth === 0) break;
          }
          calls.push({ file: path.relative(root, p), text: src.slice(m.index, i + 1) });
        }
      }
    }
  };
  visit(root);
  return calls;
}

describe('the catalogue of audit actions', () => {
  const calls = auditCalls();
  const written = new Set<string>();
  const unchecked: string[] = [];
  const entities = new Set<string>();
  for (const c of calls) {
    const forCall = /^recordAuditFor\([^,]+,[^,]+,\s*'([^']+)'/.exec(c.text);
    if (forCall) {
      written.add(forCall[1]!);
      entities.add(forCall[1]!.split('.')[0]!);
      continue;
    }
    const action = /\baction:\s*([^\n]*?)(?:,\s*entity\b|,\s*$)/m.exec(c.text);
    if (!action || c.file === path.join('services', 'audit.ts')) continue; // recordAudit hands its entry on to appendAudit
    const expr = action[1]!;
    for (const q of expr.matchAll(/'([a-z_]+\.[A-Za-z_]+)'/g)) written.add(q[1]!);
    // A code built from parts, or passed in, is checked by tsc against the catalogue.
    if (/[`]|^[A-Za-z_.]+$/.test(expr.trim()) && !/satisfies AuditAction/.test(expr)) unchecked.push(`${c.file}: ${expr}`);
    for (const q of c.text.matchAll(/\bentity:\s*'([a-z_]+)'/g)) entities.add(q[1]!);
  }

  // A decision on a proposal records the action its kind names (services/four-eyes.ts: a table tsc checks).
  for (const kind of Object.values(PROPOSALS)) for (const a of [kind.confirmed, kind.rejected]) written.add(a);

  it('finds the actions main/ writes, each in the catalogue, none built without tsc checking it', () => {
    expect(calls.length).toBeGreaterThan(80);
    expect(written.size).toBeGreaterThan(80);
    expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect(unchecked).toEqual([]);
    expect([...entities].filter((e) => !(AUDIT_ENTITIES as readonly string[]).includes(e))).toEqual([]);
  });

  it('names every action and says it as a sentence in Chinese and in English, with the same blanks', () => {
    const missing: string[] = [];
    const mismatched: string[] = [];
    const notChinese: string[] = [];
    for (const a of [...AUDIT_ACTIONS, ...LEGACY_AUDIT_ACTIONS]) {
      for (const key of [`auditAction.${a}`, `auditSentence.${a}`] as MessageKey[]) {
        if (!zhCN[key] || !en[key]) missing.push(key);
        else if (placeholders(zhCN[key]).sort().join() !== placeholders(en[key]).sort().join()) mismatched.push(key);
        else if (/[A-Za-z_]/.test(zhCN[key].replace(/\{\w+\}/g, ''))) notChinese.push(key);
      }
      if (zhCN[`auditSentence.${a}` as MessageKey] && !zhCN[`auditSentence.${a}` as MessageKey].includes('{who}'))
        missing.push(`{who} in ${a}`);
    }
    for (const e of AUDIT_ENTITIES) if (!zhCN[`auditEntity.${e}` as MessageKey] || !en[`auditEntity.${e}` as MessageKey]) missing.push(e);
    // an import's entry counts its events by type
    for (const e of EVENT_TYPES) if (!zhCN[`event.type.${e}` as MessageKey] || !en[`event.type.${e}` as MessageKey]) missing.push(e);
    expect(missing).toEqual([]);
    expect(mismatched).toEqual([]);
    expect(notChinese).toEqual([]);
  });
});

describe('an entry as a sentence', () => {
  const reversal: AuditRowLike = {
    action: 'recharge.reverse',
    entityId: '5',
    count: 1,
    staffName: 'liqiang',
    before: null,
    after: JSON.stringify({ receiptNo: 'CZ2026-000005', amount: '100648.00', coins: 6480, reason: '客户发卡行拒付' }),
  };

  it('names the person, the document and the amount in yuan', () => {
    expect(auditSentence(zh, names, reversal)).toBe('李强 冲销了充值记录 #5 (100,648.00 元)');
    expect(auditSentence(english, names, reversal)).toBe('李强 reversed recharge record #5 (100,648.00 yuan)');
  });

  it('reads an older entry’s fen as yuan (ledger.reverse with "amount": 3999)', () => {
    const old: AuditRowLike = {
      action: 'ledger.reverse',
      entityId: '42',
      count: 1,
      staffName: 'liqiang',
      before: null,
      after: JSON.stringify({ reversalId: 43, reason: '录入错误', amount: 3999 }),
    };
    expect(auditSentence(zh, names, old)).toBe('李强 冲销了分录 #42 (39.99 元)');
    expect(auditSentence(english, names, old)).toBe('李强 reversed transfer #42 (39.99 yuan)');
    expect(auditFields(zh, names, old.after)).toEqual([
      { key: 'reversalId', label: '冲销分录号', value: '43' },
      { key: 'reason', label: '原因', value: '录入错误' },
      { key: 'amount', label: '金额', value: '39.99 元' },
    ]);
  });

  it('shows before/after as labelled fields: amounts, coins, people, states and times in words', () => {
    expect(auditFields(zh, names, reversal.after)).toEqual([
      { key: 'receiptNo', label: '充值记录号', value: 'CZ2026-000005' },
      { key: 'amount', label: '金额', value: '100,648.00 元' },
      { key: 'coins', label: '币数', value: '6,480' },
      { key: 'reason', label: '原因', value: '客户发卡行拒付' },
    ]);
    const payout = JSON.stringify({
      status: 'approved',
      gross: '540.00',
      approvers: ['approver'],
      lockedUntil: Date.parse('2026-11-25T10:00:00+08:00'),
    });
    expect(auditFields(zh, names, payout).map((f) => `${f.label}=${f.value}`)).toEqual([
      '状态=已批准',
      '含税金额=540.00 元',
      '审批人=审批 王芳',
      '锁定至=2026-11-25 10:00:00',
    ]);
    expect(auditFields(english, names, payout).map((f) => `${f.label}=${f.value}`)).toEqual([
      'Status=approved',
      'Gross=540.00 yuan',
      'Approvers=审批 王芳',
      'Locked until=2026-11-25 10:00:00',
    ]);
  });
});

describe('the entries demo books hold', () => {
  let rows: AuditRowLike[];
  let transferCodes: string[];

  beforeAll(async () => {
    const made = await scratchBooks('coffer-audit-words-', 'demo.sqlite');
    try {
      const books = made.books;
      await createDemoBooks(books, { password: PASSWORD, customers: 12, seed: 11 });
      rows = (await books
        .sql(
          'SELECT action, entity_id AS entityId, item_count AS count, staff_name AS staffName, before_json AS before, after_json AS after FROM audit',
        )
        .all()) as AuditRowLike[];
      transferCodes = ((await books.sql('SELECT DISTINCT code FROM transfers').all()) as { code: string }[]).map((r) => r.code);
    } finally {
      await made.remove();
    }
  });

  it('says every one as a sentence and labels every field, with no code, JSON or snake_case on the Chinese screen', () => {
    expect(new Set(rows.map((r) => r.action)).size).toBeGreaterThan(12);
    const problems: string[] = [];
    for (const r of rows) {
      for (const t of [zh, english]) {
        const s = auditSentence(t, names, r);
        if (/[{}]/.test(s) || s.includes(r.action)) problems.push(`${r.action}: ${s}`);
        for (const side of [r.before, r.after])
          for (const f of auditFields(t, names, side))
            if (f.label === f.key && fieldLabel(t, f.key) === f.key) problems.push(`${r.action}: no label for ${f.key}`);
      }
      for (const side of [r.before, r.after])
        for (const f of auditFields(zh, names, side))
          if (/[{}"]|\b[a-z]+_[a-z_]+\b/.test(f.value) && f.key !== 'file' && f.key !== 'fileName')
            problems.push(`${r.action}.${f.key}: ${f.value}`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('names every business code a posting carries, for the ledger’s list and filter', () => {
    expect(transferCodes.length).toBeGreaterThan(8);
    const codes: readonly string[] = TRANSFER_BUSINESS_CODES;
    expect([...transferCodes, ...Object.keys(VOUCHER_SOURCE_BY_CODE)].filter((c) => !codes.includes(c))).toEqual([]);
    const unnamed = codes.filter((c) => !zhCN[`transferCode.${c}` as MessageKey] || !en[`transferCode.${c}` as MessageKey]);
    expect(unnamed).toEqual([]);
    expect(zh(`transferCode.bank_in` as MessageKey)).toBe('银行收款');
  });
});
