// The layouts of workbooks Coffer hands out, written down by hand (not read from main/, so that a changed
// layout fails the tests). No vitest here: the end-to-end specs read it too.

/** The 月结包's sheets in order (each sheet's name up to its first space): the cover and the seven reports. */
export const MONTH_END_PACK_SHEETS = [
  '封面',
  '科目余额表',
  '资产负债表',
  '利润表',
  '递延收入变动表',
  '余额调节表',
  '增值税申报数据',
  '扣缴申报',
];

/** The header row of the Kingdee (金蝶 KIS) voucher import sheet, column by column. */
export const KINGDEE_HEADER = [
  '日期',
  '凭证字',
  '凭证号',
  '附单据数',
  '摘要',
  '科目代码',
  '科目名称',
  '借方金额',
  '贷方金额',
  '币别',
  '汇率',
  '数量',
  '单价',
  '制单人',
  '审核人',
  '过账人',
];
