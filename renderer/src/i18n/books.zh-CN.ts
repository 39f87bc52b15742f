// 账簿：凭证、科目、结账共用的词。
export const booksZhCN = {
  'undo.reverse_recharge': '在“充值记录”中冲回该充值',
  'undo.unmatch': '在“对账”中取消匹配',
  'undo.unpay_refund': '在“退款”中处理该退款',
  'undo.bank_reversal': '银行流水不能冲销；请导入银行的冲正流水',
  'undo.platform_event': '请平台发送更正事件',
  'undo.none': '冲销分录不能再冲销',
  'nav.vouchers': '凭证',
  'nav.closing': '结账',
} as const;
