// A recharge request's state shows as a tag in words (渠道充值 list, queue, request page): every state
// the books store has a label in both catalogues, so no request shows a raw code such as "reversed".
import { describe, expect, it } from 'vitest';
import { REQUEST_STATUSES } from '../../main/domain/request-status';
import { en } from '../../renderer/src/i18n/en';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

describe('request states in words', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ] as const)('names every state in %s', (_, catalogue: Record<string, string>) => {
    expect(REQUEST_STATUSES.filter((s) => !catalogue[`request.status.${s}`])).toEqual([]);
  });

  it('calls a reversed request 已冲回, as the records and refunds do', () => {
    expect((zhCN as Record<string, string>)['request.status.reversed']).toBe((zhCN as Record<string, string>)['record.reversed']);
  });
});
