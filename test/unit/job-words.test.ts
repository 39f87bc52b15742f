// A job shows in the header by its name in the console's language (issue 13 §1): every job and scan
// method has a label in both catalogues, so the header never falls back to a method name such as
// "approvals.approveAll".
import { describe, expect, it } from 'vitest';
import { contract } from '../../main/api/contract';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

const jobMethods = Object.entries(contract)
  .filter(([, d]) => d.kind === 'job' || d.kind === 'scan')
  .map(([name]) => name);

describe('job names in the header', () => {
  it('finds the long actions to name', () => {
    expect(jobMethods).toContain('reconcile.run');
    expect(jobMethods).toContain('approvals.approveAll');
  });

  it.each(['zh-CN', 'en'] as const)('names every job in %s', (lang) => {
    const catalogue: Record<string, string> = lang === 'en' ? en : zhCN;
    const unnamed = jobMethods.filter((m) => !catalogue[`job.method.${m}`]);
    expect(unnamed).toEqual([]);
  });

  it('says them in Chinese on a zh-CN screen', () => {
    const notChinese = jobMethods.filter((m) => !/[\u4e00-\u9fff]/.test((zhCN as Record<string, string>)[`job.method.${m}`] ?? ''));
    expect(notChinese).toEqual([]);
  });
});
