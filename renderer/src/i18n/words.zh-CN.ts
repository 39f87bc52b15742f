// 会计的用语 (issue 13 §1): request numbers, people, accounts by 科目, business actions.
export const wordsZhCN = {
  'request.source': '来源',
  'request.source.counter': '柜台录入',
  'request.platformRef': '平台单号',
};
